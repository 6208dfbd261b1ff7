"""The explorer in a kernel: an anywidget whose state nnmath computes, drawn by the page's view.

An :class:`Explorer` is an :class:`anywidget.AnyWidget` with three synced traits:

``spec``
    What the view builds itself from, sent once: the control declarations (with their
    current values), the explorer's title and view, and what its drawing needs
    (:meth:`Explorer.page_config`: limits, fixed data).
``values``
    Every control's value, by name. The view sets it when a control moves; Python may set
    it too (``ex.values = {...}``, or :meth:`Explorer.set` for one control).
``state``
    The numbers the view draws, computed by :meth:`Explorer.compute` with nnmath whenever
    ``values`` changes: the same JSON as the ``data-state`` of the explorer on the book's
    page, where the same view draws the same state computed by ``nnmath.js``.

The view is one ES module, ``static/widget.js``, bundled from the modules in ``js/`` that
the book's page is built from too (``_ext/explorer_bundles.py``). It is committed in the
package, so a plain ``pip install`` gives a working widget with no build step.

Displayed in a notebook, an explorer offers two representations: the live widget, and the
HTML of the same explorer computed in the browser (:mod:`nnmath.widgets.page`), which is
what the static book page shows, where there is no kernel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import numpy as np
import traitlets

from .controls import Control, Slider

__all__ = ["Explorer", "grid_of", "logit_controls", "read_logits"]

STATIC = Path(__file__).resolve().parent / "static"
#: Unicode subscript digits, for control labels such as "logit z₂".
SUBSCRIPT = {i: chr(0x2080 + i) for i in range(10)}


def logit_controls(defaults: Sequence[float], value_range: tuple[float, float]) -> list[Slider]:
    """One slider per logit, named ``z1``, ``z2``, ... and labelled "logit z₁", ..., each
    with buttons that move it by one step (0.1): a finger on a phone's slider cannot land
    on one value of a hundred, and the challenges ask for exact logits.

    Parameters
    ----------
    defaults : sequence of float
        Initial value of each logit; its length is the number of sliders.
    value_range : (float, float)
        Slider range, shared by all logits.
    """
    lo, hi = value_range
    return [
        Slider(f"z{i + 1}", f"logit z{SUBSCRIPT[i + 1]}", lo, hi, 0.1, value, fmt=".1f", nudge=True)
        for i, value in enumerate(defaults)
    ]


def read_logits(values: Mapping[str, Any], k: int) -> np.ndarray:
    """The first ``k`` logits of the controls made by :func:`logit_controls`, shape (k,)."""
    return np.array([float(values[f"z{i + 1}"]) for i in range(k)])


def grid_of(limits: Sequence[float], points: int) -> np.ndarray:
    """The points a curve is drawn at: ``points`` of them from one limit to the other, both
    included, as the page's ``linspace`` makes them (``lo + i * step``, the last one ``hi``).

    >>> grid_of((0.0, 1.0), 5).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    lo, hi = (float(v) for v in limits)
    grid = lo + np.arange(points) * ((hi - lo) / (points - 1))
    grid[-1] = hi
    return grid


class Explorer(anywidget.AnyWidget):
    """Base class of the interactive explorers.

    Subclasses set :attr:`name`, :attr:`title` and :attr:`CONTROLS`, and implement
    :meth:`compute` and :meth:`page_config`.

    Parameters
    ----------
    **values
        Initial values for controls, by name (for example ``alpha=0.1``).

    Examples
    --------
    >>> from nnmath.widgets import explore
    >>> ex = explore("relu", x=-2.0)
    >>> ex.state["x"], ex.state["f"]
    (-2.0, -0.2)
    >>> ex.set("alpha", 0.0)
    >>> ex.state["f"]
    0.0
    """

    #: Short name, the key in :data:`nnmath.widgets.EXPLORERS`.
    name: ClassVar[str] = ""
    #: One line saying what the figure shows: the figure's accessible name and alt text.
    title: ClassVar[str] = ""
    #: The view that draws this explorer (``js/views/<view>.js``); its name if empty.
    view: ClassVar[str] = ""
    #: The registry's formulas this explorer shows (none is given a generic explorer).
    covers: ClassVar[tuple[str, ...]] = ()
    #: The controls, declared once for Jupyter and for the page.
    CONTROLS: ClassVar[tuple[Control, ...]] = ()

    _esm = STATIC / "widget.js"
    _css = STATIC / "explorers.css"

    spec = traitlets.Dict().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)

    def __init__(self, **values: Any) -> None:
        self.declarations: dict[str, Control] = {c.name: c for c in self.CONTROLS}
        unknown = sorted(set(values) - set(self.declarations))
        if unknown:
            raise TypeError(
                f"unknown control(s) {unknown} for explorer {self.name!r}; "
                f"its controls are {sorted(self.declarations)}"
            )
        start = {c.name: c.value for c in self.CONTROLS}
        start.update({key: self.declarations[key].check(v) for key, v in values.items()})
        super().__init__(values=start)
        self.state = self.compute(dict(self.values))
        self.spec = self.page_spec()

    # -- what subclasses implement -------------------------------------------------
    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The numbers the view draws for ``values``, computed with nnmath (JSON-ready)."""
        raise NotImplementedError

    def page_config(self) -> dict[str, Any]:
        """What the view needs besides the controls: limits, fixed data."""
        return {}

    # -- values and state ------------------------------------------------------------
    @traitlets.validate("values")
    def _check_values(self, proposal: Any) -> dict[str, Any]:
        """Every control's value, each one a value its control can take exactly.

        A dict that names only some controls leaves the others as they are. A value a
        control cannot take raises (an ipywidgets slider would clip it without a word,
        and the explorer would show something other than what was asked for).
        """
        new = dict(proposal["value"])
        unknown = sorted(set(new) - set(self.declarations))
        if unknown:
            raise ValueError(
                f"values names no control of explorer {self.name!r}: {unknown}; "
                f"its controls are {sorted(self.declarations)}"
            )
        old = self.values or {}
        merged = {key: new.get(key, old.get(key)) for key in self.declarations}
        return {key: self.declarations[key].check(v) for key, v in merged.items()}

    @traitlets.observe("values")
    def _on_values(self, change: Mapping[str, Any]) -> None:
        if self.spec:  # built: recompute (__init__ computes the first state itself)
            self.state = self.compute(dict(change["new"]))

    def set(self, name: str, value: Any) -> None:
        """Set control ``name`` to ``value``, refusing what the control would clip or reject.

        Raises
        ------
        ValueError
            If ``name`` is not a control, or the control cannot take ``value`` exactly.
        TypeError
            If a slider is given something other than a real number.
        """
        if name not in self.declarations:
            raise ValueError(f"name must be one of {sorted(self.declarations)}, got {name!r}")
        self.values = {**self.values, name: self.declarations[name].check(value)}

    def page_spec(self) -> dict[str, Any]:
        """The JSON-ready description the view builds itself from, on the page as here."""
        controls = []
        for declaration in self.CONTROLS:
            spec = declaration.spec()
            spec["value"] = self.values[declaration.name]
            controls.append(spec)
        return {
            "name": self.name,
            "view": self.view or self.name,
            "title": self.title,
            "controls": controls,
            "config": self.page_config(),
        }

    # -- notebook display ----------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The live widget for Jupyter, and the page version for the HTML book."""
        from .page import page_html

        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = {**data, "text/html": page_html(self)}
        return data, metadata

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"<{type(self).__name__} {settings}>"
