"""The explorer on the static book page: its declaration as JSON, computed and drawn in the browser.

The book page has no kernel. There, an explorer is a ``<div data-explorer="NAME">``
holding a JSON description: the control declarations (with their current values), and
what the page's drawing needs (limits, fixed data such as a batch, or the capstone's
spiral and initial weights). The book's ``_static/explorers.js`` turns it into native
form controls and an SVG figure, computed by ``_static/nnmath.js``, the JavaScript
mirror of :mod:`nnmath`. A still picture of the explorer at its current settings,
inside ``<noscript>``, is what a reader without JavaScript sees.

Arrays go to the page as base64 of their little-endian float64 (or int32) bytes: exact,
and about half the size of the same numbers written out in JSON.

Examples
--------
>>> from nnmath.widgets import explore
>>> from nnmath.widgets.page import page_spec
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
    """Base64 of an array's little-endian bytes, as ``nnmath.decodeFloat64`` reads them.

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
    controls = []
    for declaration in explorer.CONTROLS:
        spec = declaration.spec()
        spec["value"] = explorer.controls[declaration.name].value
        controls.append(spec)
    return {
        "name": explorer.name,
        "title": explorer.title,
        "controls": controls,
        "config": explorer.page_config(),
    }


def page_html(explorer: Explorer) -> str:
    """The HTML of ``explorer`` for the book page (see the module docstring)."""
    payload = json.dumps(page_spec(explorer), separators=(",", ":"), allow_nan=False)
    # Inside <script>, "</" would end the element early; JSON allows "\u003c" instead.
    payload = payload.replace("<", "\\u003c")
    width, height = explorer.figure.canvas.get_width_height()
    picture = base64.b64encode(explorer.render_png(palette=True)).decode("ascii")
    alt = escape(explorer.title)
    return (
        f'<div class="nnmath-explorer" data-explorer="{escape(explorer.name)}">'
        f'<script type="application/json" class="nnmath-explorer-spec">{payload}</script>'
        f'<noscript><img src="data:image/png;base64,{picture}" alt="{alt}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto"></noscript>'
        "</div>"
    )
