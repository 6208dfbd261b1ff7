"""Explorer for softmax: logits and temperature in, probabilities and the full Jacobian out."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .. import softmax, softmax_jacobian
from ..plots import DIVERGING_CMAP, PALETTE, style_axes
from .controls import Slider
from .explorer import Explorer, logit_controls, read_logits

__all__ = ["SoftmaxExplorer"]


class SoftmaxExplorer(Explorer):
    """Softmax of 3 to 5 logits at a temperature: the probabilities and the Jacobian.

    Controls: ``z1`` ... ``z5`` (the logits; only the first ``classes`` are used),
    ``classes`` (K, from 3 to 5) and ``temperature`` (T > 0).

    The left panel shows :math:`p = \\operatorname{softmax}(z / T)` as bars, the right
    panel the Jacobian :math:`\\operatorname{diag}(p) - p p^\\top` of softmax with
    respect to the scaled logits :math:`z / T` (with respect to :math:`z` itself
    it is the same matrix divided by T). Every diagonal entry is
    :math:`p_i (1 - p_i) \\le 1/4` and every off-diagonal one is
    :math:`-p_i p_j \\ge -1/4`, so the colour scale is fixed to [-1/4, 1/4].

    Examples
    --------
    >>> ex = SoftmaxExplorer()
    >>> [round(float(b.get_height()), 4) for b in ex.bars[:ex.classes]]
    [0.09, 0.2447, 0.6652]
    >>> ex.controls["temperature"].value = 0.5
    >>> [round(float(b.get_height()), 4) for b in ex.bars[:ex.classes]]
    [0.0159, 0.1173, 0.8668]
    >>> ex.image.get_array().shape
    (3, 3)
    """

    name = "softmax"
    title = (
        "Softmax probabilities as bars (left) and the heatmap of its Jacobian "
        "diag(p) - p pᵀ (right)"
    )
    figsize = (8.5, 3.7)
    MAX_CLASSES = 5
    MIN_CLASSES = 3
    LOGIT_RANGE = (-8.0, 8.0)
    #: Bound of the colour scale: |entries of diag(p) - p pᵀ| never exceed 1/4.
    JAC_LIMIT = 0.25
    DEFAULT_LOGITS = (1.0, 2.0, 3.0, 0.0, -1.0)

    CONTROLS = (
        *logit_controls(DEFAULT_LOGITS, LOGIT_RANGE),
        Slider("classes", "classes K", MIN_CLASSES, MAX_CLASSES, 1, 3, integer=True),
        Slider("temperature", "temperature T", 0.1, 5.0, 0.05, 1.0),
    )

    def page_config(self) -> dict[str, Any]:
        return {"jacLimit": self.JAC_LIMIT, "maxClasses": self.MAX_CLASSES}

    # -- reading the controls -------------------------------------------------------
    @property
    def classes(self) -> int:
        """Number of classes K in use."""
        return int(self.controls["classes"].value)

    @property
    def logits(self) -> np.ndarray:
        """The K logits in use, shape (K,)."""
        return read_logits(self.controls, self.classes)

    @property
    def temperature(self) -> float:
        """The temperature T."""
        return float(self.controls["temperature"].value)

    # -- figure ----------------------------------------------------------------------
    def build(self, figure: Figure) -> None:
        n = self.MAX_CLASSES
        ax_p, ax_j = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.0]})
        self.ax_p, self.ax_j = ax_p, ax_j
        self._shown_classes: int | None = None

        # Probabilities: one bar and one value label per class, K of them visible.
        self.bars = list(ax_p.bar(np.arange(n), np.zeros(n), width=0.62, color=PALETTE["blue"]))
        self.bar_labels = [
            ax_p.text(i, 0.0, "", ha="center", va="bottom", fontsize=9) for i in range(n)
        ]
        (self.uniform,) = ax_p.plot(
            [], [], color=PALETTE["grey"], lw=1.2, ls="--", label="uniform 1/K"
        )
        self.readout = ax_p.text(
            0.02,
            0.985,
            "",
            transform=ax_p.transAxes,
            va="top",
            ha="left",
            fontsize=9,
            family="monospace",
        )
        ax_p.set_ylim(0.0, 1.32)
        ax_p.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0])
        style_axes(ax_p, xlabel="class i", ylabel="probability pᵢ", title="p = softmax(z / T)")
        ax_p.grid(False, axis="x")
        ax_p.legend(handles=[self.uniform], loc="upper right", frameon=False, borderaxespad=0.2)

        # Jacobian: one image (K x K of it used) with a value in every cell.
        self.image = ax_j.imshow(
            np.zeros((n, n)),
            cmap=DIVERGING_CMAP,
            vmin=-self.JAC_LIMIT,
            vmax=self.JAC_LIMIT,
            interpolation="nearest",
            aspect="equal",
        )
        self.cell_labels = [
            [ax_j.text(j, i, "", ha="center", va="center", fontsize=9) for j in range(n)]
            for i in range(n)
        ]
        colorbar = figure.colorbar(self.image, ax=ax_j, fraction=0.05, pad=0.03)
        colorbar.set_ticks([-0.25, -0.125, 0.0, 0.125, 0.25])
        colorbar.ax.tick_params(labelsize=9)
        ax_j.set_title("Jacobian ∂pᵢ/∂(zⱼ/T) = diag(p) − p pᵀ")
        ax_j.set_xlabel("logit j   (every row sums to 0)")
        ax_j.set_ylabel("probability i")
        ax_j.tick_params(length=0)
        for side in ax_j.spines.values():
            side.set_visible(False)

        self.animate(
            *self.bars,
            *self.bar_labels,
            self.readout,
            self.image,
            *(t for row in self.cell_labels for t in row),
        )

    def _show_classes(self, k: int) -> None:
        """Show K bars and a K x K Jacobian: changes limits and ticks, so redraw the background."""
        if k == self._shown_classes:
            return
        self._shown_classes = k
        ticks = np.arange(k)
        names = [str(i + 1) for i in range(k)]
        self.ax_p.set_xlim(-0.6, k - 0.4)
        self.ax_p.set_xticks(ticks, names)
        self.uniform.set_data([-0.6, k - 0.4], [1.0 / k, 1.0 / k])
        self.image.set_extent((-0.5, k - 0.5, k - 0.5, -0.5))
        self.ax_j.set_xlim(-0.5, k - 0.5)
        self.ax_j.set_ylim(k - 0.5, -0.5)
        self.ax_j.set_xticks(ticks, names)
        self.ax_j.set_yticks(ticks, names)
        for i in range(self.MAX_CLASSES):
            self.bars[i].set_visible(i < k)
            self.bar_labels[i].set_visible(i < k)
            for j in range(self.MAX_CLASSES):
                self.cell_labels[i][j].set_visible(i < k and j < k)
            # In the live widget, hide the sliders of unused logits.
            self.controls[f"z{i + 1}"].layout.display = None if i < k else "none"
        self.invalidate()

    def update(self) -> None:
        k = self.classes
        self._show_classes(k)
        z, t = self.logits, self.temperature
        p = softmax(z, temperature=t)
        jac = softmax_jacobian(z / t)
        for i in range(k):
            self.bars[i].set_height(p[i])
            self.bar_labels[i].set_position((i, p[i] + 0.015))
            self.bar_labels[i].set_text(f"{p[i]:.3f}")
        self.image.set_data(jac)
        strong = 0.55 * self.JAC_LIMIT
        for i in range(k):
            for j in range(k):
                value = jac[i, j]
                label = self.cell_labels[i][j]
                label.set_text(_signed(value))
                label.set_color("white" if abs(value) > strong else "black")
        zs = ", ".join(f"{v:g}" for v in np.round(z, 2))
        self.readout.set_text(f"z = [{zs}]\nT = {t:.2f}")


def _signed(value: float) -> str:
    """Three decimals with a true minus sign; tiny values print as 0."""
    text = f"{value:.3f}"
    if text in ("-0.000", "0.000"):
        return "0"
    return text.replace("-", "−")
