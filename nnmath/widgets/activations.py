"""Explorer for ReLU and Leaky ReLU: the function, its derivative, a point and its tangent."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from matplotlib.figure import Figure

from .. import leaky_relu, leaky_relu_grad, relu, relu_grad
from ..plots import PALETTE, format_number, plot_derivative, readout, style_axes, tangent
from ..registry import Formula, by_name
from .controls import Slider
from .explorer import Explorer

__all__ = ["ActivationExplorer", "ReluExplorer"]


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
    covers = ("relu", "leaky_relu")
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


class ActivationExplorer(Explorer):
    """An elementwise formula of the registry and its derivative, with a movable point.

    Made for any entry of :data:`nnmath.registry.FORMULAS` whose kind is
    ``"elementwise"`` by :meth:`of`; :data:`nnmath.widgets.EXPLORERS` holds one for
    every such formula that no explorer of its own shows, so a new activation of the
    package gets its explorer, in Jupyter and on the page, with no code here.

    Control: ``x`` (the point). The left panel shows the function with the point and
    its tangent, the right panel the derivative, with a gap at each kink of the
    formula and the convention there as a dot.

    Examples
    --------
    >>> ex = ActivationExplorer.of("gelu")(x=0.0)
    >>> ex.point.get_data(), ex.d_point.get_data()
    (([0.0], [0.0]), ([0.0], [0.5]))
    """

    #: The registry entry shown.
    formula: ClassVar[Formula]
    #: The page's view of every explorer of this class (``_static/explorers/activation.js``).
    view = "activation"
    XMIN, XMAX = -3.0, 3.0
    CONTROLS = (Slider("x", "point x", XMIN, XMAX, 0.05, 1.0),)
    #: Room above and below the curves, as a fraction of their range.
    MARGIN = 0.08

    @classmethod
    def of(cls, name: str) -> type[ActivationExplorer]:
        """The explorer class of the registry's elementwise formula ``name``."""
        formula = by_name(name)
        if formula.kind != "elementwise" or formula.derivative is None:
            raise ValueError(
                f"name must be an elementwise formula with a derivative, got {name!r} "
                f"({formula.kind})"
            )
        title = f"{name}(x) (left) and its derivative (right), with a point x and the tangent there"
        return type(
            f"{_camel(name, upper=True)}Explorer",
            (cls,),
            {"name": name, "title": title, "formula": formula, "__doc__": cls.__doc__},
        )

    def _limits(self, values: np.ndarray) -> tuple[float, float]:
        lo, hi = float(np.min(values)), float(np.max(values))
        pad = self.MARGIN * max(hi - lo, 1.0)
        return lo - pad, hi + pad

    def page_config(self) -> dict[str, Any]:
        f = self.formula
        return {
            "function": _camel(f.name),
            "derivative": _camel(f.derivative.__name__),
            "label": f.name,
            "kinks": list(f.kinks),
            "xlim": [self.XMIN, self.XMAX],
            "flim": self.f_limits,
            "dlim": self.d_limits,
        }

    def build(self, figure: Figure) -> None:
        f, name = self.formula, self.formula.name
        self.grid = np.linspace(self.XMIN, self.XMAX, 601)
        self.f_limits = self._limits(f.function(self.grid))
        self.d_limits = self._limits(f.derivative(self.grid))
        ax_f, ax_d = figure.subplots(1, 2)
        self.ax_f, self.ax_d = ax_f, ax_d
        ax_f.plot(self.grid, f.function(self.grid), color=PALETTE["blue"], lw=2.2, label=name)
        plot_derivative(
            ax_d,
            f.derivative,
            self.grid,
            kinks=f.kinks,
            color=PALETTE["blue"],
            lw=2.2,
            label=f"{name}′",
        )
        (self.tangent,) = ax_f.plot(
            [], [], color=PALETTE["vermillion"], lw=1.4, label="tangent at x"
        )
        (self.point,) = ax_f.plot([], [], "o", color=PALETTE["vermillion"], ms=7, zorder=5)
        (self.d_point,) = ax_d.plot([], [], "o", color=PALETTE["vermillion"], ms=7, zorder=5)
        self.readout = readout(ax_f)
        self.animate(self.tangent, self.point, self.d_point, self.readout)
        for ax, limits in ((ax_f, self.f_limits), (ax_d, self.d_limits)):
            ax.set_xlim(self.XMIN, self.XMAX)
            ax.set_ylim(*limits)
            ax.axvline(0, color=PALETTE["black"], lw=0.6, alpha=0.4)
        style_axes(ax_f, xlabel="x", ylabel=f"{name}(x)", title=f"{name}(x)")
        style_axes(ax_d, xlabel="x", ylabel=f"{name}′(x)", title="its derivative")
        ax_f.legend(loc="lower right", frameon=False)
        ax_d.legend(loc="lower right", frameon=False)

    def update(self) -> None:
        x = float(self.controls["x"].value)
        fx = float(self.formula.function(np.array([x]))[0]) + 0.0  # no "-0.000"
        slope = float(self.formula.derivative(np.array([x]))[0])
        self.point.set_data([x], [fx])
        self.d_point.set_data([x], [slope])
        self.tangent.set_data(*tangent(x, fx, slope, half_width=1.2))
        note = "\n(at a kink: a convention)" if x in self.formula.kinks else ""
        self.readout.set_text(
            f"x = {format_number(x, '+.2f')}\n"
            f"f(x) = {format_number(fx, '+.3f')}\n"
            f"f′(x) = {format_number(slope, '.3f')}{note}"
        )


def _camel(name: str, *, upper: bool = False) -> str:
    """nnmath's name as JavaScript spells it (``relu_grad`` -> ``reluGrad``)."""
    head, *rest = name.split("_")
    text = head + "".join(part.title() for part in rest)
    return text[0].upper() + text[1:] if upper else text
