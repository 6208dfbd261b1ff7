"""The explorer on the static book page: its declaration as JSON, computed and drawn in the browser.

The book page has no kernel. There, an explorer is a ``<div data-explorer="NAME">``
holding a JSON description (:meth:`Explorer.page_spec`: the control declarations with
their current values, and what the drawing needs, such as the capstone's spiral and
initial weights). The book's scripts (built from ``js/``) draw it with the same view as
the Jupyter widget, and compute its state with ``nnmath.js``, the JavaScript mirror of
:mod:`nnmath`. The ``<noscript>`` inside is filled when the book is built
(``_ext/page_explorers.py``) with a still picture of the explorer, drawn by the same view.

Arrays go to the page as base64 of their little-endian float64 (or int32) bytes: exact,
and about half the size of the same numbers written out in JSON.

Examples
--------
>>> from nnmath.widgets import explore
>>> spec = page_spec(explore("relu", x=-1.5))
>>> spec["name"], [c["name"] for c in spec["controls"]]
('relu', ['alpha', 'x'])
>>> spec["controls"][1]["value"]
-1.5
"""

from __future__ import annotations

import base64
import json
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .explorer import Explorer

__all__ = ["encode_array", "page_html", "page_spec"]


def encode_array(values: Any, dtype: str = "float64") -> str:
    """Base64 of an array's little-endian bytes, as the page's ``decode`` reads them.

    Parameters
    ----------
    values : array_like
        The numbers; flattened in row-major order.
    dtype : {"float64", "int32"}
        How they are stored.

    Examples
    --------
    >>> encode_array([1.0, -2.0])
    'AAAAAAAA8D8AAAAAAAAAwA=='
    >>> encode_array([0, 2], dtype="int32")
    'AAAAAAIAAAA='
    """
    kinds = {"float64": "<f8", "int32": "<i4"}
    if dtype not in kinds:
        raise ValueError(f"dtype must be one of {sorted(kinds)}, got {dtype!r}")
    array = np.ascontiguousarray(values, dtype=kinds[dtype]).ravel()
    return base64.b64encode(array.tobytes()).decode("ascii")


def page_spec(explorer: Explorer) -> dict[str, Any]:
    """The JSON-ready description of ``explorer`` that the page builds itself from."""
    return explorer.page_spec()


def page_html(explorer: Explorer) -> str:
    """The HTML of ``explorer`` for the book page (see the module docstring)."""
    payload = json.dumps(page_spec(explorer), separators=(",", ":"), allow_nan=False)
    # Inside <script>, "</" would end the element early; JSON allows "\u003c" instead.
    payload = payload.replace("<", "\\u003c")
    name = escape(explorer.name)
    return (
        f'<div class="nnmath-explorer" data-explorer="{name}" '
        f'data-view="{escape(explorer.view or explorer.name)}">'
        f'<script type="application/json" class="nnmath-explorer-spec">{payload}</script>'
        f'<noscript><p class="nnmath-explorer-still">{escape(explorer.title)}</p></noscript>'
        "</div>"
    )
