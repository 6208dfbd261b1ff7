"""Interactive explorers: one view, its state computed by nnmath in a kernel, nnmath.js in a page.

``EXPLORERS`` maps a short name to an explorer class; calling it with no arguments
builds the explorer, an :class:`anywidget.AnyWidget`. In a notebook, displaying an
explorer shows its controls above the figure; moving a control sets its ``values``,
nnmath computes its ``state`` in the kernel, and the view draws it. The same display
carries the explorer for the static book page (:mod:`nnmath.widgets.page`), where the
same view draws the same state computed in the browser by ``nnmath.js``.

The pieces, one concern a module:

- :mod:`~nnmath.widgets.controls`: control declarations, shared by both front-ends;
- :mod:`~nnmath.widgets.explorer`: the widget (values in, state out);
- :mod:`~nnmath.widgets.page`: the explorer's description for the page;
- one module per family of explorers, each with its ``compute``;
- this module: the registry of the book's explorers.

Examples
--------
>>> from nnmath.widgets import EXPLORERS, explore
>>> "relu" in EXPLORERS
True
>>> ex = explore("relu", alpha=0.0)
>>> ex.set("x", -1.5)
>>> ex.state["f"], ex.state["df"]
(0.0, 0.0)
"""

from __future__ import annotations

from typing import Any

from ..registry import FORMULAS
from .activations import ActivationExplorer, ReluExplorer
from .controls import Choice, Control, Slider
from .explorer import Explorer
from .losses import CrossEntropyExplorer, SoftmaxCrossEntropyExplorer
from .page import page_html, page_spec
from .softmax import SoftmaxExplorer
from .training import TrainingExplorer

__all__ = [
    "EXPLORERS",
    "ActivationExplorer",
    "Choice",
    "Control",
    "CrossEntropyExplorer",
    "Explorer",
    "ReluExplorer",
    "Slider",
    "SoftmaxCrossEntropyExplorer",
    "SoftmaxExplorer",
    "TrainingExplorer",
    "explore",
    "page_html",
    "page_spec",
]

#: The explorers written for the book.
_BOOK = (
    ReluExplorer,
    SoftmaxExplorer,
    CrossEntropyExplorer,
    SoftmaxCrossEntropyExplorer,
    TrainingExplorer,
)
#: Every explorer, by name: the book's, then one for each elementwise formula of the
#: registry that none of those shows (a new activation gets its explorer this way).
EXPLORERS: dict[str, type[Explorer]] = {cls.name: cls for cls in _BOOK}
_COVERED = {name for cls in _BOOK for name in (cls.name, *cls.covers)}
EXPLORERS.update(
    (f.name, ActivationExplorer.of(f.name))
    for f in FORMULAS
    if f.kind == "elementwise" and f.derivative is not None and f.name not in _COVERED
)


def explore(name: str, **values: Any) -> Explorer:
    """Build the explorer called ``name``, with initial control values.

    Parameters
    ----------
    name : str
        A key of :data:`EXPLORERS`.
    **values
        Initial control values, by name.

    Returns
    -------
    Explorer
        Displays itself as a live widget in a notebook, and computed in the page in the
        HTML book.
    """
    if name not in EXPLORERS:
        raise ValueError(f"name must be one of {sorted(EXPLORERS)}, got {name!r}")
    return EXPLORERS[name](**values)
