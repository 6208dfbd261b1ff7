"""Interactive explorers for the book: live widgets in Jupyter, static sweeps on the page.

``EXPLORERS`` maps a short name to an explorer class; calling it with no arguments
builds the explorer. In a notebook, displaying an explorer shows its controls above
the figure, and moving a control redraws the figure. :func:`static_sweep`
pre-renders frames over one control for a page without a kernel.

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

from ._base import Explorer, StaticSweep, encode_png, set_control, static_sweep
from .activations import ReluExplorer
from .losses import CrossEntropyExplorer, SoftmaxCrossEntropyExplorer
from .softmax import SoftmaxExplorer
from .training import TrainingExplorer

__all__ = [
    "EXPLORERS",
    "CrossEntropyExplorer",
    "Explorer",
    "ReluExplorer",
    "SoftmaxCrossEntropyExplorer",
    "SoftmaxExplorer",
    "StaticSweep",
    "TrainingExplorer",
    "encode_png",
    "explore",
    "set_control",
    "static_sweep",
]

#: Every explorer of the book, by name.
EXPLORERS: dict[str, type[Explorer]] = {
    cls.name: cls
    for cls in (
        ReluExplorer,
        SoftmaxExplorer,
        CrossEntropyExplorer,
        SoftmaxCrossEntropyExplorer,
        TrainingExplorer,
    )
}


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
        Displays itself as a live widget in a notebook.
    """
    if name not in EXPLORERS:
        raise ValueError(f"name must be one of {sorted(EXPLORERS)}, got {name!r}")
    return EXPLORERS[name](**values)
