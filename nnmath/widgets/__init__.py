"""Interactive explorers for the book: live widgets in Jupyter, computed in the page of the book.

``EXPLORERS`` maps a short name to an explorer class; calling it with no arguments
builds the explorer. In a notebook, displaying an explorer shows its controls above
the figure, and moving a control redraws the figure. The same display carries the
explorer for the static book page (:mod:`nnmath.widgets.page`): there the controls
and the figure are built and computed in the browser, with no kernel.

The pieces, one concern a module:

- :mod:`~nnmath.widgets.controls`: control declarations, shared by both front-ends;
- :mod:`~nnmath.widgets.explorer`: the live explorer (Matplotlib figure, blitting);
- :mod:`~nnmath.widgets.page`: the explorer's description for the page;
- :mod:`~nnmath.widgets.png`: PNG encoding;
- this module: the registry of the book's explorers.

Examples
--------
>>> from nnmath.widgets import EXPLORERS, explore
>>> "relu" in EXPLORERS
True
>>> ex = explore("relu", alpha=0.0)
>>> ex.controls["x"].value = -1.5
>>> ex.point.get_data()
([-1.5], [0.0])
"""

from __future__ import annotations

from typing import Any

from ..registry import FORMULAS
from .activations import ActivationExplorer, ReluExplorer
from .controls import Choice, Control, Slider
from .explorer import Explorer
from .losses import CrossEntropyExplorer, SoftmaxCrossEntropyExplorer
from .page import page_html, page_spec
from .png import encode_png
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
    "encode_png",
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
        Initial control values, by control name.

    Returns
    -------
    Explorer
        Displays itself as a live widget in a notebook, and computed in the page in the
        HTML book.
    """
    if name not in EXPLORERS:
        raise ValueError(f"name must be one of {sorted(EXPLORERS)}, got {name!r}")
    return EXPLORERS[name](**values)
