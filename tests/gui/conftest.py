"""GUI tests: Start on the shipped (trained) model asks whether to fine-tune or start fresh in a modal
dialog. Tests that train keep the form's learning rate instead of answering it; the tests of the question
(test_first_contact.py) replace the answer themselves."""

import pytest

from nnviz.gui.training import fine_tune


@pytest.fixture(autouse=True)
def keep_the_forms_rate(monkeypatch):
    monkeypatch.setattr(fine_tune, "ask_start", lambda parent, text: fine_tune.KEEP)
