"""Explorers for the losses: binary and categorical cross-entropy, and softmax + cross-entropy."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

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
from ..plots import PALETTE, style_axes
from .controls import Choice, Slider
from .explorer import Explorer, clip_marker, logit_controls, read_logits

__all__ = ["CrossEntropyExplorer", "SoftmaxCrossEntropyExplorer"]


def _num(value: float, fmt: str = ".3f") -> str:
    """A number with a true minus sign (U+2212), as the figures' tick labels have."""
    return format(value, fmt).replace("-", "−")


class CrossEntropyExplorer(Explorer):
    """Binary cross-entropy and its derivative against p; a batch's categorical loss, mean vs sum.

    Controls: ``y`` (the binary label, 0 or 1), ``p`` (the predicted probability of
    class 1), ``true_class`` (the label of sample 1 in a batch of four) and
    ``reduction`` (``"mean"`` or ``"sum"``).

    Top row: :math:`L(p) = -[y \\log p + (1 - y)\\log(1 - p)]` and
    :math:`dL/dp = (p - y) / (p (1 - p))` for both labels, the chosen one drawn
    bold with the point p and the tangent there. Bottom row: a batch of
    :attr:`N` = 4 samples over three classes; the per-sample losses with their mean
    and sum, and the gradient entry :math:`\\partial L / \\partial p_{n, y_n}`
    of each sample, which the mean divides by N.

    Examples
    --------
    >>> ex = CrossEntropyExplorer(y=1, p=0.5)
    >>> x, loss = ex.point.get_data()
    >>> print(round(float(loss[0]), 4))
    0.6931
    >>> [round(float(b.get_height()), 3) for b in ex.grad_bars]
    [-0.833, -0.357, -0.312, -0.625]
    >>> ex.controls["reduction"].value = "sum"
    >>> [round(float(b.get_height()), 3) for b in ex.grad_bars]
    [-3.333, -1.429, -1.25, -2.5]
    """

    name = "cross_entropy"
    title = (
        "Binary cross-entropy and its derivative against p (top); per-sample losses of a "
        "batch with their mean and sum, and the gradient that the mean divides by N (bottom)"
    )
    figsize = (8.5, 6.0)
    #: Grid of p for the curves, kept off 0 and 1 where the loss is infinite.
    P_EPS = 1e-4
    LOSS_LIM = (0.0, 5.0)
    GRAD_LIM = (-10.0, 10.0)
    #: The batch: predicted probabilities of four samples over three classes.
    BATCH = np.array([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    #: Labels of samples 2 to 4 (sample 1's label is the ``true_class`` control).
    OTHER_LABELS = (0, 2, 1)

    CONTROLS = (
        Choice("y", "label y", (("0", 0), ("1", 1)), 1),
        Slider("p", "prediction p", 0.01, 0.99, 0.01, 0.7),
        Choice("true_class", "true class of sample 1", (("1", 0), ("2", 1), ("3", 2)), 1),
        Choice("reduction", "reduction", (("mean", "mean"), ("sum", "sum")), "mean"),
    )

    def page_config(self) -> dict[str, Any]:
        return {
            "batch": self.BATCH.tolist(),
            "otherLabels": list(self.OTHER_LABELS),
            "pEps": self.P_EPS,
            "lossLim": self.LOSS_LIM,
            "gradLim": self.GRAD_LIM,
        }

    @property
    def N(self) -> int:
        """Number of samples in the batch."""
        return len(self.BATCH)

    @property
    def labels(self) -> np.ndarray:
        """Class labels of the batch, shape (N,)."""
        return np.array([int(self.controls["true_class"].value), *self.OTHER_LABELS])

    def alt_text(self, axes: list[Any]) -> str:
        shown = set(axes)
        if shown and shown <= {self.ax_loss, self.ax_grad}:
            return (
                "Binary cross-entropy (left) and its derivative (right) against the "
                "predicted probability p, for the labels y = 1 and y = 0"
            )
        if shown and shown <= {self.ax_batch, self.ax_bgrad}:
            return (
                "Per-sample categorical cross-entropy of a batch of four with its mean "
                "and sum (left), and each sample's gradient at its true class (right)"
            )
        return self.title

    def build(self, figure: Figure) -> None:
        (ax_l, ax_d), (ax_b, ax_g) = figure.subplots(2, 2)
        self.ax_loss, self.ax_grad, self.ax_batch, self.ax_bgrad = ax_l, ax_d, ax_b, ax_g
        eps = self.P_EPS
        grid = np.linspace(eps, 1.0 - eps, 801)
        self.grid = grid
        colours = {1: PALETTE["blue"], 0: PALETTE["vermillion"]}
        self.colours = colours

        # Binary loss and derivative for both labels, faint; the chosen label drawn bold.
        handles = []
        for y in (1, 0):
            target = np.full_like(grid, float(y))
            loss = binary_cross_entropy(grid, target, reduction="none")
            grad = binary_cross_entropy_grad(grid, target, reduction="none")
            what = "−log p" if y == 1 else "−log(1 − p)"
            ax_l.plot(grid, loss, color=colours[y], lw=1.2, alpha=0.45)
            ax_d.plot(grid, grad, color=colours[y], lw=1.2, alpha=0.45)
            handles.append(Line2D([], [], color=colours[y], lw=2.4, label=f"y = {y}: L = {what}"))
        (self.loss_line,) = ax_l.plot([], [], lw=2.4)
        (self.tangent,) = ax_l.plot([], [], color=PALETTE["black"], lw=1.2, ls="--")
        (self.point,) = ax_l.plot([], [], "o", color=PALETTE["black"], ms=7, zorder=5)
        (self.grad_line,) = ax_d.plot([], [], lw=2.4)
        (self.grad_point,) = ax_d.plot([], [], "o", color=PALETTE["black"], ms=7, zorder=5)
        self.loss_text = ax_l.text(
            0.5,
            0.97,
            "",
            transform=ax_l.transAxes,
            ha="center",
            va="top",
            fontsize=9,
            family="monospace",
        )
        self.grad_text = ax_d.text(
            0.97,
            0.04,
            "",
            transform=ax_d.transAxes,
            ha="right",
            va="bottom",
            fontsize=9,
            family="monospace",
        )
        ax_l.set_xlim(0.0, 1.0)
        ax_l.set_ylim(*self.LOSS_LIM)
        ax_d.set_xlim(0.0, 1.0)
        ax_d.set_ylim(*self.GRAD_LIM)
        ax_d.axhline(0.0, color=PALETTE["black"], lw=0.6, alpha=0.4)
        style_axes(
            ax_l,
            xlabel="predicted probability p of class 1",
            ylabel="loss L",
            title="binary cross-entropy",
        )
        style_axes(
            ax_d,
            xlabel="predicted probability p of class 1",
            ylabel="dL/dp",
            title="its derivative (p − y) / (p(1 − p))",
        )
        ax_d.legend(handles=handles, loc="upper left", frameon=False)

        # The batch: per-sample losses, then the mean and the sum.
        n = self.N
        names = [f"sample {i + 1}" for i in range(n)]
        slots = np.arange(n + 2, dtype=float)
        slots[n:] += 0.4  # a gap before the reductions
        colors = [PALETTE["sky"]] * n + [PALETTE["orange"], PALETTE["green"]]
        self.loss_bars = list(ax_b.bar(slots, np.zeros(n + 2), width=0.7, color=colors))
        self.loss_labels = [
            ax_b.text(x, 0.0, "", ha="center", va="bottom", fontsize=9) for x in slots
        ]
        self.batch_text = ax_b.text(
            0.02,
            0.97,
            "",
            transform=ax_b.transAxes,
            ha="left",
            va="top",
            fontsize=9,
            family="monospace",
        )
        ax_b.set_xticks(slots, [*(f"{i + 1}" for i in range(n)), "mean", "sum"])
        ax_b.set_xlim(slots[0] - 0.6, slots[-1] + 0.6)
        ax_b.set_ylim(0.0, 4.6)
        style_axes(
            ax_b,
            xlabel="sample n, then the reductions",
            ylabel="loss",
            title="categorical: −log pₙ[yₙ] per sample",
        )
        ax_b.grid(False, axis="x")

        # The gradient at each sample's true class, under the chosen reduction,
        # with the sum's value as an outline for comparison.
        x = np.arange(n, dtype=float)
        self.grad_outline = list(
            ax_g.bar(
                x,
                np.zeros(n),
                width=0.7,
                fill=False,
                ec=PALETTE["grey"],
                ls="--",
                lw=1.0,
                label="sum: −1/pₙ[yₙ]",
            )
        )
        self.grad_bars = list(
            ax_g.bar(x, np.zeros(n), width=0.5, color=PALETTE["purple"], label="chosen reduction")
        )
        self.grad_labels = [ax_g.text(xi, 0.0, "", ha="center", va="top", fontsize=9) for xi in x]
        self.bgrad_text = ax_g.text(
            0.97,
            0.3,
            "",
            transform=ax_g.transAxes,
            ha="right",
            va="bottom",
            fontsize=9,
            family="monospace",
        )
        ax_g.set_xticks(x, names)
        ax_g.set_xlim(-0.6, n - 0.4)
        ax_g.set_ylim(-6.2, 0.0)
        ax_g.axhline(0.0, color=PALETTE["black"], lw=0.8)
        style_axes(
            ax_g,
            xlabel="",
            ylabel="∂L/∂pₙ[yₙ]",
            title="gradient at the true class (other entries are 0)",
        )
        ax_g.grid(False, axis="x")
        ax_g.legend(loc="lower right", frameon=False)

        self._shown: dict[str, tuple[Any, ...]] = {}
        self.animate(
            self.loss_line,
            self.tangent,
            self.point,
            self.grad_line,
            self.grad_point,
            self.loss_text,
            self.grad_text,
            *self.loss_bars,
            *self.loss_labels,
            self.batch_text,
            *self.grad_outline,
            *self.grad_bars,
            *self.grad_labels,
            self.bgrad_text,
        )

    def update(self) -> None:
        y = int(self.controls["y"].value)
        p = float(self.controls["p"].value)
        reduction = str(self.controls["reduction"].value)
        # Each row of panels depends on two controls only: leave a row untouched when
        # its controls did not move, so only the other row is redrawn.
        binary, batch = (y, p), (int(self.controls["true_class"].value), reduction)
        if binary != self._shown.get("binary"):
            self._update_binary(y, p)
        if batch != self._shown.get("batch"):
            self._update_batch(reduction)
        self._shown = {"binary": binary, "batch": batch}

    def _update_binary(self, y: int, p: float) -> None:
        grid = self.grid
        colour = self.colours[y]

        # Binary part: the chosen curve, the point, the tangent.
        target = np.full_like(grid, float(y))
        self.loss_line.set_data(grid, binary_cross_entropy(grid, target, reduction="none"))
        self.loss_line.set_color(colour)
        self.grad_line.set_data(grid, binary_cross_entropy_grad(grid, target, reduction="none"))
        self.grad_line.set_color(colour)
        loss = float(binary_cross_entropy(np.array([p]), np.array([float(y)]), reduction="sum"))
        slope = float(
            binary_cross_entropy_grad(np.array([p]), np.array([float(y)]), reduction="sum")[0]
        )
        clip_marker(self.point, p, loss, self.LOSS_LIM)
        clip_marker(self.grad_point, p, slope, self.GRAD_LIM)
        span = np.array([p - 0.2, p + 0.2])
        self.tangent.set_data(span, loss + slope * (span - p))
        what = "−log p" if y == 1 else "−log(1 − p)"
        self.loss_text.set_text(f"y = {y}, p = {p:.2f}\nL = {what} = {_num(loss)}")
        self.grad_text.set_text(f"dL/dp = {_num(slope)}")

    def _update_batch(self, reduction: str) -> None:
        # Categorical part: the batch.
        labels = self.labels
        n = self.N
        per_sample = cross_entropy(self.BATCH, labels, reduction="none")
        mean = float(cross_entropy(self.BATCH, labels, reduction="mean"))
        total = float(cross_entropy(self.BATCH, labels, reduction="sum"))
        heights = [*per_sample.tolist(), mean, total]
        for i, (bar, label, h) in enumerate(
            zip(self.loss_bars, self.loss_labels, heights, strict=True)
        ):
            bar.set_height(h)
            chosen = (
                i < n or (i == n and reduction == "mean") or (i == n + 1 and reduction == "sum")
            )
            bar.set_alpha(1.0 if chosen else 0.35)
            label.set_position((bar.get_x() + bar.get_width() / 2, h + 0.04))
            label.set_text(_num(h, ".2f"))
        at_true = ", ".join(f"{v:.2f}" for v in self.BATCH[np.arange(n), labels])
        self.batch_text.set_text(
            f"pₙ[yₙ] = {at_true}\n"
            f"L = {reduction} = {_num(mean if reduction == 'mean' else total)}\n"
            f"mean = sum / N = {_num(total, '.2f')} / {n}"
        )

        grad = cross_entropy_grad(self.BATCH, labels, reduction=reduction)
        at_label = grad[np.arange(n), labels]
        as_sum = cross_entropy_grad(self.BATCH, labels, reduction="sum")[np.arange(n), labels]
        for outline, g in zip(self.grad_outline, as_sum, strict=True):
            outline.set_height(g)
        for bar, label, g in zip(self.grad_bars, self.grad_labels, at_label, strict=True):
            bar.set_height(g)
            label.set_position((bar.get_x() + bar.get_width() / 2, g - 0.08))
            label.set_text(_num(g, ".2f"))
        note = (
            f"mean: each −1/pₙ[yₙ]\nis divided by N = {n}"
            if reduction == "mean"
            else ("sum: −1/pₙ[yₙ] itself")
        )
        self.bgrad_text.set_text(note)


class SoftmaxCrossEntropyExplorer(Explorer):
    """Softmax followed by cross-entropy: p, y and the gradient p − y, checked numerically.

    Controls: ``z1``, ``z2``, ``z3`` (the logits) and ``true_class`` (the label).

    Left: for each class, the probability :math:`p_i`, the one-hot target
    :math:`y_i` and the gradient :math:`\\partial L / \\partial z_i = p_i - y_i`
    from :func:`nnmath.softmax_cross_entropy_grad`, with the central differences of
    :func:`nnmath.numerical_gradient` marked on it. Right: the loss as a function of
    the true class's logit, the others fixed; its slope at the current logit is
    :math:`p_c - 1`, the true class's bar on the left.

    Examples
    --------
    >>> ex = SoftmaxCrossEntropyExplorer()
    >>> [round(float(b.get_height()), 3) for b in ex.grad_bars]
    [0.09, -0.755, 0.665]
    >>> ex.controls["true_class"].value = 2
    >>> [round(float(b.get_height()), 3) for b in ex.grad_bars]
    [0.09, 0.245, -0.335]
    """

    name = "softmax_cross_entropy"
    title = (
        "Softmax + cross-entropy: bars of p, y and the gradient p − y for each class (left); "
        "the loss against the true class's logit, with its tangent (right)"
    )
    figsize = (8.5, 3.8)
    CLASSES = 3
    LOGIT_RANGE = (-8.0, 8.0)
    DEFAULT_LOGITS = (1.0, 2.0, 3.0)
    LOSS_LIM = (0.0, 8.0)
    #: Step of the central differences of the live check.
    EPS = 1e-6

    CONTROLS = (
        *logit_controls(DEFAULT_LOGITS, LOGIT_RANGE),
        Choice("true_class", "true class", tuple((str(i + 1), i) for i in range(CLASSES)), 1),
    )

    def page_config(self) -> dict[str, Any]:
        return {"lossLim": self.LOSS_LIM, "logitRange": self.LOGIT_RANGE, "eps": self.EPS}

    @property
    def logits(self) -> np.ndarray:
        """The logits, shape (K,)."""
        return read_logits(self.controls, self.CLASSES)

    @property
    def label(self) -> int:
        """The true class (0-based)."""
        return int(self.controls["true_class"].value)

    def build(self, figure: Figure) -> None:
        k = self.CLASSES
        ax_b, ax_l = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1.0]})
        self.ax_bars, self.ax_loss = ax_b, ax_l
        x = np.arange(k, dtype=float)
        width = 0.26
        p_bars = ax_b.bar(
            x - width,
            np.zeros(k),
            width=width * 0.95,
            color=PALETTE["blue"],
            label="p = softmax(z)",
        )
        y_bars = ax_b.bar(
            x, np.zeros(k), width=width * 0.95, color=PALETTE["grey"], label="y (one-hot)"
        )
        grad_bars = ax_b.bar(
            x + width,
            np.zeros(k),
            width=width * 0.95,
            color=PALETTE["vermillion"],
            label="p − y = ∂L/∂z",
        )
        self.p_bars, self.y_bars, self.grad_bars = list(p_bars), list(y_bars), list(grad_bars)
        (self.numeric,) = ax_b.plot(
            [], [], "x", color=PALETTE["black"], ms=8, mew=1.8, label="central differences"
        )
        self.grad_labels = [
            ax_b.text(xi + width, 0.0, "", ha="center", va="bottom", fontsize=9) for xi in x
        ]
        ax_b.axhline(0.0, color=PALETTE["black"], lw=0.8)
        ax_b.set_xticks(x, [f"class {i + 1}" for i in range(k)])
        ax_b.set_xlim(-0.6, k - 0.4)
        ax_b.set_ylim(-1.25, 1.8)
        ax_b.set_yticks([-1.0, -0.5, 0.0, 0.5, 1.0])
        style_axes(ax_b, ylabel="value", title="p, y and the gradient p − y")
        ax_b.grid(False, axis="x")
        ax_b.legend(
            handles=[p_bars, y_bars, grad_bars, self.numeric],
            loc="upper left",
            ncols=2,
            frameon=False,
            fontsize=9,
            columnspacing=1.0,
            handlelength=1.4,
        )

        lo, hi = self.LOGIT_RANGE
        self.zgrid = np.linspace(lo, hi, 161)
        (self.loss_curve,) = ax_l.plot(
            [], [], color=PALETTE["blue"], lw=2.2, label="$L$ as $z_c$ moves"
        )
        (self.tangent,) = ax_l.plot(
            [], [], color=PALETTE["vermillion"], lw=1.5, ls="--", label="tangent, slope $p_c - 1$"
        )
        (self.point,) = ax_l.plot([], [], "o", color=PALETTE["vermillion"], ms=7, zorder=5)
        self.readout = ax_l.text(
            0.97,
            0.97,
            "",
            transform=ax_l.transAxes,
            ha="right",
            va="top",
            fontsize=9,
            family="monospace",
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#bbbbbb"},
        )
        ax_l.set_xlim(lo, hi)
        ax_l.set_ylim(*self.LOSS_LIM)
        style_axes(
            ax_l,
            xlabel="logit $z_c$ of the true class $c$",
            ylabel="loss $L = -\\log\\,p_c$",
            title="the loss along the true logit",
        )
        # The curve moves under the legend: draw the legend, boxed, over it on every move.
        self.loss_legend = ax_l.legend(loc="lower left", framealpha=0.92, edgecolor="#bbbbbb")

        self.animate(
            *self.p_bars,
            *self.y_bars,
            *self.grad_bars,
            self.numeric,
            *self.grad_labels,
            self.loss_curve,
            self.tangent,
            self.point,
            self.readout,
            self.loss_legend,
        )

    def update(self) -> None:
        z, c = self.logits, self.label
        k = self.CLASSES
        p = softmax(z)
        y = np.zeros(k)
        y[c] = 1.0
        grad = softmax_cross_entropy_grad(z, c)
        loss = float(softmax_cross_entropy(z, c))
        numeric = numerical_gradient(lambda v: softmax_cross_entropy(v, c), z, eps=self.EPS)
        diff = float(np.max(np.abs(grad - numeric)))
        scale = float(max(np.max(np.abs(grad)), np.max(np.abs(numeric))))
        rel = diff / scale if scale > 0 else 0.0

        for i in range(k):
            self.p_bars[i].set_height(p[i])
            self.y_bars[i].set_height(y[i])
            self.grad_bars[i].set_height(grad[i])
            bar = self.grad_bars[i]
            centre = bar.get_x() + bar.get_width() / 2
            if grad[i] >= 0:
                self.grad_labels[i].set_position((centre, grad[i] + 0.12))
                self.grad_labels[i].set_va("bottom")
            else:
                self.grad_labels[i].set_position((centre, grad[i] - 0.12))
                self.grad_labels[i].set_va("top")
            self.grad_labels[i].set_text(_num(grad[i], ".3f"))
        self.numeric.set_data([b.get_x() + b.get_width() / 2 for b in self.grad_bars], numeric)

        # The loss along z_c with the other logits fixed, as a batch of logit vectors.
        batch = np.repeat(z[None, :], len(self.zgrid), axis=0)
        batch[:, c] = self.zgrid
        self.loss_curve.set_data(
            self.zgrid, softmax_cross_entropy(batch, np.full(len(self.zgrid), c), reduction="none")
        )
        slope = float(grad[c])
        clip_marker(self.point, z[c], loss, self.LOSS_LIM, xlim=self.LOGIT_RANGE)
        span = np.array([z[c] - 2.0, z[c] + 2.0])
        self.tangent.set_data(span, loss + slope * (span - z[c]))
        self.readout.set_text(
            f"class {c + 1}: L = {_num(loss)}\n"
            f"p − y vs central diff.:\n"
            f"max |Δ| = {diff:.1e}\n"
            f"relative = {rel:.1e}"
        )
