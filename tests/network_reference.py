"""Plain-NumPy references for the tests of nnmath.network, written independently of it."""

from __future__ import annotations

import numpy as np

from nnmath.network import TwoLayerNet


def small_problem(seed=3, n=12, hidden=7, k=3):
    """A small float64 batch and network, away from every ReLU kink."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = rng.integers(0, k, size=n)
    net = TwoLayerNet(
        W1=rng.standard_normal((2, hidden)),
        b1=0.3 * rng.standard_normal(hidden),
        W2=rng.standard_normal((hidden, k)),
        b2=0.3 * rng.standard_normal(k),
    )
    return net, X, y


def pre_activations(net, X):
    return np.asarray(X) @ net.W1 + net.b1


def logits_by_hand(net, X):
    return np.maximum(pre_activations(net, X), 0.0) @ net.W2 + net.b2


def mean_cross_entropy_by_hand(Z, y):
    """Mean of -log softmax(Z)[n, y[n]], with the max shifted out."""
    Z = Z - Z.max(axis=1, keepdims=True)
    logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean()


def loss_by_hand(net, X, y, reg=0.0):
    """Mean cross-entropy of the network plus the L2 penalty, with plain NumPy (no nnmath)."""
    data = mean_cross_entropy_by_hand(logits_by_hand(net, X), np.asarray(y))
    return data + 0.5 * reg * (np.sum(net.W1**2) + np.sum(net.W2**2))


def dead_by_hand(net, X):
    """Fraction of hidden units whose ReLU output is 0 for every row of X."""
    H = np.maximum(pre_activations(net, X), 0)
    return sum(1 for j in range(H.shape[1]) if np.all(H[:, j] == 0)) / H.shape[1]


def relative_error(a, n):
    """Entry-wise relative error, CS231n style (0 where both are 0)."""
    a, n = np.asarray(a, float), np.asarray(n, float)
    scale = np.maximum(np.abs(a), np.abs(n))
    rel = np.divide(np.abs(a - n), scale, out=np.zeros_like(scale), where=scale > 0)
    return float(rel.max())
