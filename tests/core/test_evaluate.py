"""core.evaluate: the one evaluation path (card, Mistakes, `nnviz evaluate`) and what it counts."""

import numpy as np
import pytest

from nnviz.core import preprocess
from nnviz.core.evaluate import Evaluation, evaluate, evaluate_model, model_inputs
from nnviz.core.network import Architecture, Network
from nnviz.core.training import EpochDone, Split, TrainConfig, train


def test_counts_of_a_hand_made_evaluation():
    e = Evaluation(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), k=4)
    assert (e.n, e.correct, e.accuracy) == (6, 4, 4 / 6)
    assert e.confusion.tolist() == [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 2, 0], [0, 0, 0, 0]]
    np.testing.assert_array_equal(e.per_class[:3], [0.5, 1.0, 2 / 3])
    assert np.isnan(e.per_class[3])  # a class with no example has no accuracy, not 0
    assert e.wrong.tolist() == [1, 4]


def test_evaluate_predicts_argmax_and_checks_lengths():
    net = Network(Architecture((5, 4, 3)), seed=0)
    x = np.random.default_rng(0).random((7, 5)).astype(np.float32)
    e = evaluate(net, x, np.zeros(7, int))
    np.testing.assert_array_equal(e.predicted, np.argmax(net.predict_proba(x), 1))
    assert e.k == 3 and e.confusion.sum() == 7
    with pytest.raises(ValueError, match="7 examples but 6 labels"):
        evaluate(net, x, np.zeros(6, int))
    assert evaluate(net, x[:0], np.zeros(0, int)).accuracy == 0.0


def test_model_inputs_deskew_only_when_the_card_says_so():
    x = np.random.default_rng(1).random((3, 784)).astype(np.float32)
    assert model_inputs(x, {}) is x
    np.testing.assert_array_equal(model_inputs(x, {"preprocess": {"deskew": True}}), preprocess.deskew(x))


@pytest.mark.parametrize("deskew", [False, True])
def test_training_reports_the_test_accuracy_of_the_one_evaluation_path(mnist, deskew):
    """The accuracy training reports at an epoch's end (what the GUI writes on the card) is evaluate_model's,
    to the last digit, for a small model trained here."""
    data = Split(mnist.x_train[:3000], mnist.y_train[:3000], mnist.x_test[:2500], mnist.y_test[:2500])
    net = Network(Architecture((784, 12, 10)), seed=0)
    cfg = TrainConfig(epochs=1, batch_size=32, lr=3e-3, deskew=deskew, seed=0)
    epochs = [e for e in train(net, data, cfg) if isinstance(e, EpochDone)]
    result = evaluate_model(net, {"preprocess": {"deskew": deskew}}, data.x_test, data.y_test)
    assert 0.5 < result.accuracy < 0.99  # trained, and not so well that every path would agree by luck
    assert epochs[-1].test_accuracy == result.accuracy == result.correct / 2500
