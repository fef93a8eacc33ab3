"""GUI tests: Start on the shipped (trained) model asks whether to fine-tune or start fresh in a modal
dialog. Tests that train keep the form's learning rate instead of answering it; the tests of the question
(app/test_first_launch.py) replace the answer themselves. Likewise a modified model is offered for saving
(Save / Discard / Cancel, modal) before it is lost: here the answer is Discard, recorded in `unsaved_asked`,
unless a test answers itself (app/test_unsaved_work.py).

Fixtures for every GUI test: `subset` (3,000 training and 1,000 test images of the real MNIST) and `window`
(a MainWindow training on it, in batches of 100); no test touches the user's settings."""

import pytest

from nnviz.core.training import Split
from nnviz.gui.app import unsaved
from nnviz.gui.training import fine_tune
from tests.helpers import mnist, mnist_path  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Never touch the user's preferences."""
    monkeypatch.setenv("NNVIZ_SETTINGS_DIR", str(tmp_path / "settings"))


@pytest.fixture(scope="module")
def subset(mnist):  # noqa: F811
    """3,000 training and 1,000 test images of the real MNIST: no test loads 60,000 images."""
    return Split(mnist.x_train[:3000], mnist.y_train[:3000], mnist.x_test[:1000], mnist.y_test[:1000])


@pytest.fixture
def window(qtbot, subset):
    from nnviz.gui import MainWindow

    win = MainWindow(data=subset)
    qtbot.addWidget(win)
    win.session.confirm_discard = lambda text: True
    panel = win.train_panel
    panel.batch_spin.setValue(100)
    panel.epochs_spin.setValue(50)
    yield win
    win.session.shutdown(5000)


@pytest.fixture(autouse=True)
def keep_the_forms_rate(monkeypatch):
    monkeypatch.setattr(fine_tune, "ask_start", lambda parent, text: fine_tune.KEEP)


@pytest.fixture(autouse=True)
def unsaved_asked(monkeypatch):
    """Every Save / Discard / Cancel question asked, as (action, what); answered Discard."""
    asked = []
    monkeypatch.setattr(unsaved, "ask", lambda parent, action, what: asked.append((action, what)) or unsaved.DISCARD)
    return asked

