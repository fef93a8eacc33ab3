"""What each activation g makes a single neuron (the lecture's names), its task and its loss."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    """What a choice of g makes the neuron, and how it is trained."""

    name: str
    task: str  # "classification" or "regression"
    loss: str  # core loss name
    labels: tuple[float, float] = (0.0, 1.0)  # targets of class 0 and class 1
    note: str = ""


ROLES = {
    "step": Role("Perceptron", "classification", "squared_error",
                 note="g′(z) = 0 for every z ≠ 0, so dJ/dz = dJ/dŷ · g′(z) = 0 and dJ/dw = dJ/dz · x = 0: "
                      "<b>gradient descent cannot move</b>, however wrong the neuron is. (The perceptron "
                      "learning rule sidesteps this by using (y − ŷ)·x directly; networks use smooth g instead.)"),
    "sigmoid": Role("Logistic regression", "classification", "binary_cross_entropy",
                    note="ŷ = σ(z) is the probability of class 1; trained with binary cross-entropy, "
                         "whose gradient is simply dJ/dz = ŷ − y."),
    "relu": Role("ReLU unit (a hidden neuron of a network)", "regression", "squared_error",
                 note="A straight line where z &gt; 0 and flat zero where z &lt; 0: examples with z &lt; 0 get no "
                      "gradient (g′ = 0), which is how a ReLU can 'die'."),
    "tanh": Role("tanh unit (a classifier with outputs −1 … +1)", "classification", "squared_error", (-1.0, 1.0),
                 note="Like the sigmoid but centred on 0; its slope vanishes for large |z| (saturation)."),
    "linear": Role("Linear regression", "regression", "squared_error",
                   note="g(z) = z: the neuron is a straight line (a plane in 2-D); trained with squared error."),
}
