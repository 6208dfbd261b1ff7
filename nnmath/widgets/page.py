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
import io
import json
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from ..plots import DIVERGING_CMAP, PALETTE

if TYPE_CHECKING:
    from .explorer import Explorer

__all__ = ["encode_array", "page_html", "page_spec", "page_style"]


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
        "view": explorer.view or explorer.name,
        "title": explorer.title,
        "controls": controls,
        "config": explorer.page_config(),
        "style": page_style(),
    }


def page_style() -> dict[str, Any]:
    """The book's figure style for the page: the palette and the diverging colour map."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps[DIVERGING_CMAP]
    return {
        "palette": dict(PALETTE),
        "diverging": [to_hex(cmap(t)) for t in np.linspace(0.0, 1.0, 11)],
    }


#: The still picture for readers without JavaScript: its scale and its colours.
STILL_SCALE = 0.75
STILL_COLORS = 64


def still_picture(explorer: Explorer) -> tuple[str, tuple[int, int]]:
    """The figure as it is now, as base64 of a small palette PNG, and its size in pixels.

    Only a reader without JavaScript sees it, so it is kept small: three quarters of the
    live figure's size and 64 colours (the figures are flat colour, which survives that).
    """
    from PIL import Image

    pixels = np.ascontiguousarray(explorer.render_rgba()[..., :3])
    image = Image.fromarray(pixels, mode="RGB")
    size = (round(image.width * STILL_SCALE), round(image.height * STILL_SCALE))
    image = image.resize(size, Image.Resampling.LANCZOS).quantize(
        colors=STILL_COLORS, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii"), size


def page_html(explorer: Explorer) -> str:
    """The HTML of ``explorer`` for the book page (see the module docstring)."""
    payload = json.dumps(page_spec(explorer), separators=(",", ":"), allow_nan=False)
    # Inside <script>, "</" would end the element early; JSON allows "\u003c" instead.
    payload = payload.replace("<", "\\u003c")
    picture, (width, height) = still_picture(explorer)
    alt = escape(explorer.title)
    return (
        f'<div class="nnmath-explorer" data-explorer="{escape(explorer.name)}" '
        f'data-view="{escape(explorer.view or explorer.name)}">'
        f'<script type="application/json" class="nnmath-explorer-spec">{payload}</script>'
        f'<noscript><img src="data:image/png;base64,{picture}" alt="{alt}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto"></noscript>'
        "</div>"
    )
