"""Explorer for ReLU and Leaky ReLU: the function, its derivative, a point and its tangent."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .. import leaky_relu, leaky_relu_grad, relu, relu_grad
from ..plots import PALETTE, style_axes
from .controls import Slider
from .explorer import Explorer

__all__ = ["ReluExplorer"]


class ReluExplorer(Explorer):
    """ReLU and Leaky ReLU with their derivatives; a movable point shows f(x), f'(x), tangent.

    Controls: ``alpha`` (the leak, 0 gives plain ReLU) and ``x`` (the point).

    Examples
    --------
    >>> ex = ReluExplorer(alpha=0.1, x=-2.0)
    >>> ex.point.get_data()
    ([-2.0], [-0.2])
    """

    name = "relu"
    title = "Leaky ReLU (left) and its derivative (right), with plain ReLU for reference"
    XMIN, XMAX = -3.0, 3.0

    CONTROLS = (
        Slider("alpha", "leak α", 0.0, 0.5, 0.01, 0.1),
        Slider("x", "point x", XMIN, XMAX, 0.05, 1.0),
    )
    F_LIMITS = (-1.7, 3.0)
    D_LIMITS = (-0.15, 1.2)

    def page_config(self) -> dict[str, Any]:
        return {"xlim": [self.XMIN, self.XMAX], "flim": self.F_LIMITS, "dlim": self.D_LIMITS}

    def build(self, figure: Figure) -> None:
        self.grid = np.linspace(self.XMIN, self.XMAX, 601)
        ax_f, ax_d = figure.subplots(1, 2)
        self.ax_f, self.ax_d = ax_f, ax_d

        # Static: plain ReLU and its derivative (the framework convention relu'(0) = 0).
        ax_f.plot(self.grid, relu(self.grid), color=PALETTE["grey"], lw=1.5, ls="--", label="ReLU")
        # The derivative jumps at 0: draw each side on its own, the value at 0 as a dot.
        left, right = self.grid[self.grid < 0], self.grid[self.grid > 0]
        ax_d.plot(left, relu_grad(left), color=PALETTE["grey"], lw=1.5, ls="--", label="ReLU′")
        ax_d.plot(right, relu_grad(right), color=PALETTE["grey"], lw=1.5, ls="--")
        ax_d.plot([0], [0], "o", color=PALETTE["grey"], ms=5, label="ReLU′(0) := 0")
        ax_f.axvline(0, color=PALETTE["black"], lw=0.6, alpha=0.4)
        ax_d.axvline(0, color=PALETTE["black"], lw=0.6, alpha=0.4)
        ax_f.annotate(
            "kink at 0:\nno derivative",
            xy=(0, 0),
            xytext=(-2.85, 1.05),
            fontsize=9,
            va="center",
            arrowprops={"arrowstyle": "->", "color": PALETTE["black"], "lw": 0.8},
        )

        # Animated: Leaky ReLU, its derivative, the point, the tangent and the readout.
        (self.leaky,) = ax_f.plot([], [], color=PALETTE["blue"], lw=2.2, label="Leaky ReLU")
        (self.tangent,) = ax_f.plot(
            [], [], color=PALETTE["vermillion"], lw=1.4, label="tangent at x"
        )
        (self.point,) = ax_f.plot([], [], "o", color=PALETTE["vermillion"], ms=7, zorder=5)
        (self.d_leaky_left,) = ax_d.plot([], [], color=PALETTE["blue"], lw=2.2, label="Leaky ReLU′")
        (self.d_leaky_right,) = ax_d.plot([], [], color=PALETTE["blue"], lw=2.2)
        (self.d_point,) = ax_d.plot([], [], "o", color=PALETTE["vermillion"], ms=7, zorder=5)
        (self.d_leaky_zero,) = ax_d.plot(
            [], [], "o", color=PALETTE["blue"], ms=5, label="Leaky ReLU′(0) := α"
        )
        self.point.set_clip_on(False)
        self.d_point.set_clip_on(False)
        self.readout = ax_f.text(
            0.03,
            0.97,
            "",
            transform=ax_f.transAxes,
            va="top",
            fontsize=9,
            family="monospace",
            bbox={"boxstyle": "round", "fc": "white", "ec": "#bbbbbb"},
        )
        self.animate(
            self.leaky,
            self.tangent,
            self.point,
            self.d_leaky_left,
            self.d_leaky_right,
            self.d_leaky_zero,
            self.d_point,
            self.readout,
        )

        ax_f.set_xlim(self.XMIN, self.XMAX)
        ax_f.set_ylim(*self.F_LIMITS)
        ax_d.set_xlim(self.XMIN, self.XMAX)
        ax_d.set_ylim(*self.D_LIMITS)
        style_axes(ax_f, xlabel="x", ylabel="f(x)", title="Leaky ReLU f(x) = max(x, αx)")
        style_axes(ax_d, xlabel="x", ylabel="f′(x)", title="its derivative f′(x)")
        ax_f.legend(loc="lower right", frameon=False)
        ax_d.legend(loc="center right", frameon=False)

    def update(self) -> None:
        alpha = float(self.controls["alpha"].value)
        x = float(self.controls["x"].value)
        grid = self.grid
        self.leaky.set_data(grid, leaky_relu(grid, alpha=alpha))
        left, right = grid[grid < 0], grid[grid > 0]
        self.d_leaky_left.set_data(left, leaky_relu_grad(left, alpha=alpha))
        self.d_leaky_right.set_data(right, leaky_relu_grad(right, alpha=alpha))
        self.d_leaky_zero.set_data([0.0], leaky_relu_grad(np.zeros(1), alpha=alpha))

        fx = float(leaky_relu(np.array([x]), alpha=alpha)[0]) + 0.0  # no "-0.000"
        slope = float(leaky_relu_grad(np.array([x]), alpha=alpha)[0])
        self.point.set_data([x], [fx])
        self.d_point.set_data([x], [slope])
        span = np.array([x - 1.2, x + 1.2])
        self.tangent.set_data(span, fx + slope * (span - x))
        note = "\n(at the kink: a convention)" if x == 0 else ""
        self.readout.set_text(f"x = {x:+.2f}\nf(x) = {fx:+.3f}\nf′(x) = {slope:.2f}{note}")
