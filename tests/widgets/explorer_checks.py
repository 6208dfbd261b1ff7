"""Helpers shared by the explorer tests: the values a control can take, and plot health checks."""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
from matplotlib.collections import Collection
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from nnmath.widgets import Choice, Explorer

#: Explorers that train or compute a lot per setting: fewer generic moves.
HEAVY = {"training"}


def choices(ex: Explorer, key: str) -> list[Any]:
    """Values control ``key`` can take: its options, or min, middle and max of a slider."""
    declaration = ex.declarations[key]
    if isinstance(declaration, Choice):
        return declaration.values
    lo, hi = declaration.min, declaration.max
    if declaration.integer:
        return [int(lo), round(lo + (hi - lo) / 2), int(hi)]
    step = declaration.step
    mid = lo + round((hi - lo) / 2 / step) * step
    return [float(lo), float(mid), float(hi)]


def extremes(ex: Explorer, key: str) -> list[Any]:
    """First and last value of a control."""
    values = choices(ex, key)
    return [values[0], values[-1]]


def moves_for(name: str, ex: Explorer) -> list[tuple[str, Any]]:
    """(control, value) pairs: every choice of every control, fewer for heavy explorers."""
    pick = extremes if name in HEAVY else choices
    return [(key, value) for key in ex.controls for value in pick(ex, key)]


def png_pixels(png: bytes) -> np.ndarray:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def assert_healthy(ex: Explorer) -> None:
    """Every plotted number is finite, no text says nan/inf, and every panel shows data."""
    for ax in ex.figure.axes:
        shown = 0
        for artist in ax.get_children():
            if not artist.get_visible():
                continue
            if isinstance(artist, Line2D):
                xy = np.asarray(artist.get_xydata(), dtype=float)
                assert np.all(np.isfinite(xy)), f"non-finite data in line {artist}"
                shown += len(xy) > 0
            elif isinstance(artist, Rectangle) and artist is not ax.patch:
                box = [artist.get_x(), artist.get_y(), artist.get_width(), artist.get_height()]
                assert np.all(np.isfinite(box)), f"non-finite bar {artist}"
                shown += 1
            elif isinstance(artist, AxesImage):
                data = np.asarray(artist.get_array(), dtype=float)
                assert np.all(np.isfinite(data)), "non-finite image data"
                shown += data.size > 0
            elif isinstance(artist, Collection):  # a colour bar, a scatter of points
                shown += 1
            elif isinstance(artist, Text):
                assert not re.search(r"\b(nan|inf)\b", artist.get_text(), re.IGNORECASE), (
                    f"text shows {artist.get_text()!r}"
                )
        assert shown > 0, f"an empty panel: {ax.get_title()!r}"


def heights(bars: list[Rectangle]) -> np.ndarray:
    return np.array([b.get_height() for b in bars])


def line_y(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_ydata(), dtype=float)


def line_x(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_xdata(), dtype=float)


def softmax_by_hand(z: np.ndarray, t: float) -> np.ndarray:
    e = np.exp((z - z.max()) / t)
    return e / e.sum()
