"""Explorers for elementwise formulas: ReLU and Leaky ReLU, and any activation of the registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from .. import leaky_relu, leaky_relu_grad, relu, relu_grad
from ..registry import Formula, by_name
from .controls import Slider
from .explorer import Explorer, grid_of

__all__ = ["ActivationExplorer", "ReluExplorer"]

#: Points each curve is drawn at, across the panel.
POINTS = 241


def _one(f: Any, x: float, **kwargs: Any) -> float:
    """``f`` of one number, as a Python float (``+ 0.0`` turns -0.0 into 0.0)."""
    return float(f(np.array([x]), **kwargs)[0]) + 0.0


class ReluExplorer(Explorer):
    """ReLU and Leaky ReLU with their derivatives; a movable point shows f(x), f'(x), tangent.

    Controls: ``alpha`` (the leak, 0 gives plain ReLU) and ``x`` (the point).

    Examples
    --------
    >>> ex = ReluExplorer(alpha=0.1, x=-2.0)
    >>> ex.state["f"], ex.state["df"]
    (-0.2, 0.1)
    """

    name = "relu"
    title = "Leaky ReLU and its derivative, with plain ReLU for reference"
    covers = ("relu", "leaky_relu")
    XMIN, XMAX = -3.0, 3.0
    CONTROLS = (
        Slider("alpha", "leak α", 0.0, 0.5, 0.01, 0.1, nudge=True),
        Slider("x", "point x", XMIN, XMAX, 0.05, 1.0, nudge=True),
    )
    F_LIMITS = (-1.7, 3.0)
    D_LIMITS = (-0.15, 1.2)

    def page_config(self) -> dict[str, Any]:
        return {
            "xlim": [self.XMIN, self.XMAX],
            "flim": list(self.F_LIMITS),
            "dlim": list(self.D_LIMITS),
            "points": POINTS,
        }

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        alpha, x = float(values["alpha"]), float(values["x"])
        grid = grid_of((self.XMIN, self.XMAX), POINTS)
        return {
            "alpha": alpha,
            "x": x,
            "f": _one(leaky_relu, x, alpha=alpha),
            "df": _one(leaky_relu_grad, x, alpha=alpha),
            "curves": {
                "relu": relu(grid).tolist(),
                "reluGrad": relu_grad(grid).tolist(),
                "leaky": leaky_relu(grid, alpha=alpha).tolist(),
                "leakyGrad": leaky_relu_grad(grid, alpha=alpha).tolist(),
            },
            "atKink": {
                "relu": _one(relu_grad, 0.0),
                "leaky": _one(leaky_relu_grad, 0.0, alpha=alpha),
            },
        }


#: How the chapters write each elementwise formula (``\operatorname{GELU}``); a formula
#: not named here is shown by its function's name.
SYMBOLS = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "gelu": "GELU", "sigmoid": "σ"}


class ActivationExplorer(Explorer):
    """An elementwise formula of the registry and its derivative, with a movable point.

    Made for any entry of :data:`nnmath.registry.FORMULAS` whose kind is
    ``"elementwise"`` by :meth:`of`; :data:`nnmath.widgets.EXPLORERS` holds one for
    every such formula that no explorer of its own shows, so a new activation of the
    package gets its explorer, in Jupyter and on the page, with no code here.

    Control: ``x`` (the point). One panel shows the function with the point and its
    tangent, the other the derivative, with a gap at each kink of the formula and the
    convention there as a dot.

    Examples
    --------
    >>> ex = ActivationExplorer.of("gelu")(x=0.0)
    >>> ex.state["f"], ex.state["df"]
    (0.0, 0.5)
    """

    #: The registry entry shown.
    formula: ClassVar[Formula]
    view = "activation"
    XMIN, XMAX = -3.0, 3.0
    CONTROLS = (Slider("x", "point x", XMIN, XMAX, 0.05, 1.0, nudge=True),)
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
        symbol = SYMBOLS.get(name, name)
        title = f"{symbol}(x) and its derivative, with a point x and the tangent there"
        return type(
            f"{_camel(name, upper=True)}Explorer",
            (cls,),
            {"name": name, "title": title, "formula": formula, "__doc__": cls.__doc__},
        )

    def _limits(self, values: np.ndarray) -> list[float]:
        lo, hi = float(np.min(values)), float(np.max(values))
        pad = self.MARGIN * max(hi - lo, 1.0)
        return [lo - pad, hi + pad]

    def page_config(self) -> dict[str, Any]:
        f = self.formula
        grid = grid_of((self.XMIN, self.XMAX), POINTS)
        return {
            "function": _camel(f.name),
            "derivative": _camel(f.derivative.__name__),
            "label": SYMBOLS.get(f.name, f.name),
            "kinks": list(f.kinks),
            "xlim": [self.XMIN, self.XMAX],
            "flim": self._limits(f.function(grid)),
            "dlim": self._limits(f.derivative(grid)),
            "points": POINTS,
        }

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        f, x = self.formula, float(values["x"])
        grid = grid_of((self.XMIN, self.XMAX), POINTS)
        return {
            "x": x,
            "f": _one(f.function, x),
            "df": _one(f.derivative, x),
            "curves": {"f": f.function(grid).tolist(), "df": f.derivative(grid).tolist()},
            "atKinks": [_one(f.derivative, k) for k in f.kinks],
        }


def _camel(name: str, *, upper: bool = False) -> str:
    """nnmath's name as JavaScript spells it (``relu_grad`` -> ``reluGrad``)."""
    head, *rest = name.split("_")
    text = head + "".join(part.title() for part in rest)
    return text[0].upper() + text[1:] if upper else text
