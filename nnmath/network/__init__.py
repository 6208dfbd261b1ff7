"""The capstone: a two-layer ReLU network trained on spiral data with the four formulas.

Everything here is built from the rest of :mod:`nnmath`: :func:`nnmath.relu` and
:func:`nnmath.relu_grad` in the hidden layer, :func:`nnmath.softmax_cross_entropy` and
its gradient :math:`(P - Y)/N` at the output.  Three small modules:

- :mod:`nnmath.network.data`: the spiral, and a held-out spiral drawn with another seed;
- :mod:`nnmath.network.models`: :class:`TwoLayerNet` and :class:`LinearClassifier`, each
  with its forward and backward pass side by side, and :func:`decision_grid`;
- :mod:`nnmath.network.training`: :func:`fit` (full-batch gradient descent or mini-batch
  SGD), the shortcuts :func:`train` and :func:`train_linear`, and :class:`History`.

Random numbers always come from a local :func:`numpy.random.default_rng` seeded by the
caller, so every result is reproducible.

Examples
--------
>>> from nnmath import network
>>> X, y = network.make_spiral(n_per_class=50)
>>> history = network.train(X, y, hidden=50, steps=300)
>>> net = history.final
>>> net
TwoLayerNet(W1: (2, 50), b1: (50,), W2: (50, 3), b2: (3,))
>>> bool(net.accuracy(X, y) == history.accuracy[-1])
True
"""

from nnmath.network.data import HELD_OUT_SEED, make_spiral, make_spiral_split
from nnmath.network.models import (
    Classifier,
    LinearCache,
    LinearClassifier,
    TwoLayerCache,
    TwoLayerNet,
    decision_grid,
)
from nnmath.network.training import History, fit, minibatches, train, train_linear

__all__ = [
    "HELD_OUT_SEED",
    "Classifier",
    "History",
    "LinearCache",
    "LinearClassifier",
    "TwoLayerCache",
    "TwoLayerNet",
    "decision_grid",
    "fit",
    "make_spiral",
    "make_spiral_split",
    "minibatches",
    "train",
    "train_linear",
]
