"""Explorers for the losses: binary and categorical cross-entropy, and softmax + cross-entropy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    numerical_gradient,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)
from .controls import Choice, Slider
from .explorer import Explorer, grid_of, logit_controls, read_logits

__all__ = ["CrossEntropyExplorer", "SoftmaxCrossEntropyExplorer"]


class CrossEntropyExplorer(Explorer):
    """Binary cross-entropy and its derivative against p; a batch's categorical loss, mean vs sum.

    Controls: ``y`` (the binary label, 0 or 1), ``p`` (the predicted probability that
    y = 1), ``true_class`` (the class of sample 1 in a batch of four, over classes 1 to 3;
    its value is the 0-based index, as code counts) and ``reduction`` (``"mean"`` or
    ``"sum"``).

    Curves: :math:`L(p) = -[y \\log p + (1 - y)\\log(1 - p)]` and
    :math:`dL/dp = (p - y) / (p (1 - p))` for both labels, the chosen one drawn
    bold with the point p and the tangent there. Bars: a batch of
    :attr:`N` = 4 samples over three classes; the per-sample losses with their mean
    and sum, and the gradient entry :math:`\\partial L / \\partial p_{n, y_n}`
    of each sample, which the mean divides by N.

    Examples
    --------
    >>> ex = CrossEntropyExplorer(y=1, p=0.5)
    >>> round(ex.state["loss"], 4)
    0.6931
    >>> [round(g, 3) for g in ex.state["grad"]]
    [-0.833, -0.357, -0.312, -0.625]
    >>> ex.set("reduction", "sum")
    >>> [round(g, 3) for g in ex.state["grad"]]
    [-3.333, -1.429, -1.25, -2.5]
    """

    name = "cross_entropy"
    #: What each of the two figures shows, for screen readers: the binary panels, then
    #: the batch's, which have their own controls above them.
    FIGURES = (
        "Binary cross-entropy and its derivative against p, the predicted probability that y = 1",
        "for a batch over classes 1 to 3, the per-sample losses with their mean and sum, and "
        "the gradient that the mean divides by N",
    )
    title = "; then, ".join(FIGURES)
    #: Grid of p for the curves, kept off 0 and 1 where the loss is infinite.
    P_EPS = 1e-4
    POINTS = 201
    LOSS_LIM = (0.0, 5.0)
    GRAD_LIM = (-10.0, 10.0)
    #: The batch: predicted probabilities of four samples over three classes.
    BATCH = np.array([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    #: Labels of samples 2 to 4, 0-based (sample 1's label is the ``true_class`` control).
    OTHER_LABELS = (0, 2, 1)

    CONTROLS = (
        Choice("y", "binary label y", (("0", 0), ("1", 1)), 1),
        Slider("p", "prediction p", 0.01, 0.99, 0.01, 0.7, nudge=True),
        Choice("true_class", "class of sample 1", (("1", 0), ("2", 1), ("3", 2)), 1),
        Choice("reduction", "reduction", (("mean", "mean"), ("sum", "sum")), "mean"),
    )

    def page_config(self) -> dict[str, Any]:
        return {
            "batch": self.BATCH.tolist(),
            "otherLabels": list(self.OTHER_LABELS),
            "pEps": self.P_EPS,
            "points": self.POINTS,
            "lossLim": list(self.LOSS_LIM),
            "gradLim": list(self.GRAD_LIM),
            "figures": list(self.FIGURES),
        }

    @property
    def N(self) -> int:
        """Number of samples in the batch."""
        return len(self.BATCH)

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        y, p, reduction = int(values["y"]), float(values["p"]), str(values["reduction"])
        grid = grid_of((self.P_EPS, 1.0 - self.P_EPS), self.POINTS)
        curves = {}
        for label in (0, 1):
            target = np.full_like(grid, float(label))
            curves[f"loss{label}"] = binary_cross_entropy(grid, target, reduction="none").tolist()
            curves[f"grad{label}"] = binary_cross_entropy_grad(
                grid, target, reduction="none"
            ).tolist()
        labels = np.array([int(values["true_class"]), *self.OTHER_LABELS])
        rows = np.arange(self.N)
        mean = float(cross_entropy(self.BATCH, labels, reduction="mean"))
        total = float(cross_entropy(self.BATCH, labels, reduction="sum"))
        grad = cross_entropy_grad(self.BATCH, labels, reduction=reduction)[rows, labels]
        as_sum = cross_entropy_grad(self.BATCH, labels, reduction="sum")[rows, labels]
        one = (np.array([p]), np.array([float(y)]))
        return {
            "y": y,
            "p": p,
            "true_class": int(values["true_class"]),
            "reduction": reduction,
            "loss": float(binary_cross_entropy(*one, reduction="sum")),
            "dloss": float(binary_cross_entropy_grad(*one, reduction="sum")[0]),
            "curves": curves,
            "losses": cross_entropy(self.BATCH, labels, reduction="none").tolist(),
            "mean": mean,
            "sum": total,
            "batchLoss": mean if reduction == "mean" else total,
            "atTrue": self.BATCH[rows, labels].tolist(),
            "sumGrad": as_sum.tolist(),
            "grad": grad.tolist(),
        }


class SoftmaxCrossEntropyExplorer(Explorer):
    """Softmax followed by cross-entropy: p, y and the gradient p − y, checked numerically.

    Controls: ``z1``, ``z2``, ``z3`` (the logits) and ``true_class`` (the label, shown as
    classes 1 to 3; its value is the 0-based index).

    Bars: for each class, the probability :math:`p_i`, the one-hot target
    :math:`y_i` and the gradient :math:`\\partial L / \\partial z_i = p_i - y_i`
    from :func:`nnmath.softmax_cross_entropy_grad`, with the central differences of
    :func:`nnmath.numerical_gradient` marked on it. Curve: the loss as a function of
    the true class's logit, the others fixed; its slope at the current logit is
    :math:`p_c - 1`, the height of the true class's gradient bar.

    Examples
    --------
    >>> ex = SoftmaxCrossEntropyExplorer()
    >>> [round(g, 3) for g in ex.state["grad"]]
    [0.09, -0.755, 0.665]
    >>> ex.set("true_class", 2)
    >>> [round(g, 3) for g in ex.state["grad"]]
    [0.09, 0.245, -0.335]
    """

    name = "softmax_cross_entropy"
    title = (
        "Softmax + cross-entropy: bars of p, y and the gradient p − y for each class, and "
        "the loss against the true class's logit, with its tangent"
    )
    CLASSES = 3
    LOGIT_RANGE = (-8.0, 8.0)
    DEFAULT_LOGITS = (1.0, 2.0, 3.0)
    LOSS_LIM = (0.0, 8.0)
    POINTS = 161
    #: Step of the central differences of the live check.
    EPS = 1e-6

    CONTROLS = (
        *logit_controls(DEFAULT_LOGITS, LOGIT_RANGE),
        Choice("true_class", "true class", tuple((str(i + 1), i) for i in range(CLASSES)), 1),
    )

    def page_config(self) -> dict[str, Any]:
        return {
            "classes": self.CLASSES,
            "lossLim": list(self.LOSS_LIM),
            "logitRange": list(self.LOGIT_RANGE),
            "eps": self.EPS,
            "points": self.POINTS,
        }

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        z, c = read_logits(values, self.CLASSES), int(values["true_class"])
        y = np.zeros(self.CLASSES)
        y[c] = 1.0
        grad = softmax_cross_entropy_grad(z, c)
        numeric = numerical_gradient(lambda v: softmax_cross_entropy(v, c), z, eps=self.EPS)
        diff = float(np.max(np.abs(grad - numeric)))
        scale = float(max(np.max(np.abs(grad)), np.max(np.abs(numeric))))
        grid = grid_of(self.LOGIT_RANGE, self.POINTS)
        batch = np.repeat(z[None, :], grid.size, axis=0)
        batch[:, c] = grid
        return {
            "z": z.tolist(),
            "target": c,
            "p": softmax(z).tolist(),
            "y": y.tolist(),
            "loss": float(softmax_cross_entropy(z, c)),
            "grad": grad.tolist(),
            "numeric": numeric.tolist(),
            "maxDiff": diff,
            "relativeError": diff / scale if scale > 0 else 0.0,
            "curve": softmax_cross_entropy(batch, np.full(grid.size, c), reduction="none").tolist(),
        }
