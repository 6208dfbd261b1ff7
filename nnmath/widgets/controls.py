"""Controls declared once, for both front-ends: the Jupyter widget and the book's page.

An explorer lists its controls as :class:`Slider` and :class:`Choice` declarations
(name, label, range or options, step, default). :meth:`Slider.spec` gives the JSON from
which the explorers' one view builds a native ``<input type="range">``, radio group or
``<select>``, in the widget and on the page alike; :meth:`Slider.check` is what the
kernel accepts as a value.

Examples
--------
>>> alpha = Slider("alpha", "leak α", 0.0, 0.5, 0.01, 0.1)
>>> alpha.spec()["kind"], alpha.spec()["max"]
('range', 0.5)
>>> alpha.format(0.25)
'0.25'
>>> alpha.check(0.7)
Traceback (most recent call last):
    ...
ValueError: control 'alpha' takes values in [0.0, 0.5], got 0.7
>>> y = Choice("y", "label y", (("0", 0), ("1", 1)), 1)
>>> y.spec()["options"]
[{'label': '0', 'value': 0}, {'label': '1', 'value': 1}]
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Choice", "Control", "Slider"]


@dataclass(frozen=True)
class Slider:
    """A number in ``[min, max]`` on a grid of ``step``.

    Parameters
    ----------
    name : str
        Key of the control in the explorer (and in the page's state).
    label : str
        Visible label, in both front-ends.
    min, max, step : float
        Range and step. With ``integer=True`` all three are integers.
    value : float
        Default value.
    fmt : str
        Format of the readout (``format(value, fmt)``), e.g. ``".2f"``.
    integer : bool
        Whole numbers only.
    continuous : bool
        Update while the slider is dragged.
    play : bool
        Add a play/pause button that moves the value from ``min`` to ``max``.
    play_step : float, optional
        How far one tick of play moves the value; ``step`` by default.
    nudge : bool
        Add buttons that move the value one ``step`` down and up (a slider that plays has
        them anyway).
    """

    name: str
    label: str
    min: float
    max: float
    step: float
    value: float
    fmt: str = ".2f"
    integer: bool = False
    continuous: bool = True
    play: bool = False
    play_step: float | None = None
    nudge: bool = False

    def __post_init__(self) -> None:
        if not self.min <= self.value <= self.max:
            raise ValueError(
                f"default of control {self.name!r} must be in [{self.min}, {self.max}], "
                f"got {self.value!r}"
            )
        if not self.step > 0:
            raise ValueError(f"step of control {self.name!r} must be > 0, got {self.step!r}")

    def check(self, value: Any) -> Any:
        """Return ``value`` if the control can take it exactly; raise otherwise.

        An ipywidgets slider clips a value outside its range without a word; for an
        explorer that would plot something other than what was asked for.
        """
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"control {self.name!r} takes a real number, got {value!r}")
        if self.integer and not float(value).is_integer():
            raise TypeError(f"control {self.name!r} takes a whole number, got {value!r}")
        if not (math.isfinite(value) and self.min <= value <= self.max):
            raise ValueError(
                f"control {self.name!r} takes values in [{self.min}, {self.max}], got {value!r}"
            )
        return int(value) if self.integer else value

    def format(self, value: Any) -> str:
        """The readout of ``value``, as both front-ends show it."""
        if self.integer:
            return str(int(value))
        return format(value, self.fmt)

    def spec(self) -> dict[str, Any]:
        """The declaration as JSON for the page: ``kind`` is ``"range"``."""
        return {
            "kind": "range",
            "name": self.name,
            "label": self.label,
            "min": self.min,
            "max": self.max,
            "step": self.step,
            "value": self.value,
            "decimals": 0 if self.integer else _decimals(self.fmt),
            "play": self.play,
            "playStep": self.play_step or self.step,
            "nudge": self.nudge,
        }


@dataclass(frozen=True)
class Choice:
    """One of a few options, each a (label, value) pair.

    Parameters
    ----------
    name, label : str
        As for :class:`Slider`.
    options : tuple of (str, value)
        The options in order: the label shown and the value the explorer reads.
    value : object
        Default, one of the values.
    style : {"buttons", "select"}
        A radio group or a drop-down list (``<select>``).
    """

    name: str
    label: str
    options: tuple[tuple[str, Any], ...]
    value: Any
    style: Literal["buttons", "select"] = "buttons"

    def __post_init__(self) -> None:
        if self.value not in self.values:
            raise ValueError(
                f"default of control {self.name!r} must be one of {self.values}, got {self.value!r}"
            )
        if self.style not in ("buttons", "select"):
            raise ValueError(f"style must be 'buttons' or 'select', got {self.style!r}")

    @property
    def values(self) -> list[Any]:
        """The values of the options, in order."""
        return [value for _, value in self.options]

    def check(self, value: Any) -> Any:
        """Return ``value`` if it is one of the options' values; raise ValueError otherwise."""
        if isinstance(value, bool) or value not in self.values:
            raise ValueError(f"control {self.name!r} takes one of {self.values}, got {value!r}")
        return value

    def format(self, value: Any) -> str:
        """The label of the option whose value is ``value``."""
        for label, option in self.options:
            if option == value:
                return label
        return str(value)

    def spec(self) -> dict[str, Any]:
        """The declaration as JSON for the page: ``kind`` is ``"radio"`` or ``"select"``."""
        return {
            "kind": "radio" if self.style == "buttons" else "select",
            "name": self.name,
            "label": self.label,
            "options": [{"label": label, "value": value} for label, value in self.options],
            "value": self.value,
        }


#: A control declaration.
Control = Slider | Choice


def _decimals(fmt: str) -> int:
    """Digits after the point that a format such as ``".2f"`` shows (3 for others)."""
    if fmt.startswith(".") and fmt.endswith("f") and fmt[1:-1].isdigit():
        return int(fmt[1:-1])
    return 3
