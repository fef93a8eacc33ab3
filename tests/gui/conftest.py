"""GUI tests: Start on the shipped (trained) model asks whether to fine-tune or start fresh in a modal
dialog. Tests that train keep the form's learning rate instead of answering it; the tests of the question
(test_first_contact.py) replace the answer themselves. Likewise a modified model is offered for saving
(Save / Discard / Cancel, modal) before it is lost: here the answer is Discard, recorded in `unsaved_asked`,
unless a test answers itself (test_unsaved.py)."""

import pytest

from nnviz.gui.app import unsaved
from nnviz.gui.training import fine_tune


@pytest.fixture(autouse=True)
def keep_the_forms_rate(monkeypatch):
    monkeypatch.setattr(fine_tune, "ask_start", lambda parent, text: fine_tune.KEEP)


@pytest.fixture(autouse=True)
def unsaved_asked(monkeypatch):
    """Every Save / Discard / Cancel question asked, as (action, what); answered Discard."""
    asked = []
    monkeypatch.setattr(unsaved, "ask", lambda parent, action, what: asked.append((action, what)) or unsaved.DISCARD)
    return asked

