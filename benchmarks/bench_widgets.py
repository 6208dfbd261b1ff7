"""Explorer speed in a kernel, against the usual slow pattern measured in the same run.

For every explorer in ``nnmath.widgets.EXPLORERS``, 50 control moves are timed on two
paths, each from ``control.value = v`` to the PNG that would reach the browser:

* fast: the explorer itself. Its live widget is built first; a move updates the
  artists' data, redraws only the animated ones over a cached background and
  encodes the PNG that the widget's ``Image`` then holds.
* slow: ``ipywidgets.interactive`` bound to an identical set of controls, with a
  callback that re-creates the same figure from scratch (new Figure, same
  ``build`` and ``update`` code, so the same artists) and saves it as a PNG with
  ``savefig`` and default settings: what ``interact`` with a plotting function does.

The goal is a median ratio fast/slow of at most 0.5 for every explorer. (The same
explorers on the static page, computed in the browser, are measured by
``bench_page_explorers.py``.)

Run ``python benchmarks/bench_widgets.py`` (or ``make bench``).
"""

from __future__ import annotations

import contextlib
import copy
import io
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

try:
    import nnmath  # noqa: F401
except ImportError:  # running from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnmath.plots import book_style
from nnmath.widgets import EXPLORERS, Explorer

MOVES = 50
RATIO_GOAL = 0.5


def _values_of(control: Any, n: int) -> list[Any]:
    """``n`` distinct-in-turn values a control can take, spread over its range."""
    options = getattr(control, "options", None)
    if options is not None:
        allowed = [o[1] if isinstance(o, tuple) else o for o in options]
        return [allowed[i % len(allowed)] for i in range(n)]
    lo, hi = float(control.min), float(control.max)
    step = float(getattr(control, "step", 0) or 0)
    values = np.linspace(lo, hi, n)
    if step:
        values = lo + np.round((values - lo) / step) * step
    if isinstance(control.value, int | np.integer):
        return [int(v) for v in np.round(values)]
    return [float(np.clip(v, lo, hi)) for v in values]


def moves(controls: dict[str, Any], n: int = MOVES) -> Iterator[tuple[str, Any]]:
    """A fixed sequence of ``n`` moves, cycling over the controls, each changing a value."""
    names = list(controls)
    per = {name: _values_of(controls[name], n) for name in names}
    last = {name: controls[name].value for name in names}
    count, i = 0, 0
    while count < n:
        name = names[i % len(names)]
        candidates = [v for v in per[name] if v != last[name]]
        value = candidates[(i // len(names)) % len(candidates)]
        last[name] = value
        yield name, value
        count += 1
        i += 1


def _from_scratch(cls: type[Explorer], controls: dict[str, Any]) -> Callable[..., bytes]:
    """The interact-style callback: a new figure with the same artists, saved as PNG."""
    shadow = cls.__new__(cls)

    def callback(**_: Any) -> bytes:
        state = copy.copy(shadow)
        state.controls = controls
        state._animated = []
        state._background = None
        with book_style():
            figure = Figure(figsize=cls.figsize, dpi=cls.dpi, layout="constrained")
            FigureCanvasAgg(figure)
            state.build(figure)
            state.update()
            for artist in state._animated:  # a plain figure: everything drawn every time
                artist.set_animated(False)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png")
        callback.png = buffer.getvalue()  # type: ignore[attr-defined]
        return callback.png  # type: ignore[attr-defined]

    return callback


def time_explorer(name: str, n: int = MOVES) -> dict[str, float]:
    """Median seconds per move of the fast and the slow path for one explorer."""
    import ipywidgets

    cls = EXPLORERS[name]
    fast = cls()
    image = fast.widget.children[-1]
    fast_times = []
    for control, value in moves(fast.controls, n):
        start = time.perf_counter()
        fast.controls[control].value = value
        png = image.value
        fast_times.append(time.perf_counter() - start)
        assert png[:4] == b"\x89PNG"

    controls = {c.name: c.widget() for c in cls.CONTROLS}
    callback = _from_scratch(cls, controls)
    slow_times = []
    # Without a kernel, interactive's output area "clears" by printing terminal codes.
    with contextlib.redirect_stdout(io.StringIO()):
        ipywidgets.interactive(callback, **controls)  # calls back on every value change
        for control, value in moves(controls, n):
            start = time.perf_counter()
            controls[control].value = value
            png = callback.png  # type: ignore[attr-defined]
            slow_times.append(time.perf_counter() - start)
            assert png[:4] == b"\x89PNG"
    fast_ms = float(np.median(fast_times)) * 1e3
    slow_ms = float(np.median(slow_times)) * 1e3
    return {"fast_ms": fast_ms, "slow_ms": slow_ms, "ratio": fast_ms / slow_ms}


def main() -> bool:
    """Run both measurements, print a table, and return True if every goal is met."""
    ok = True
    print(f"Explorers: median over {MOVES} moves, control set -> PNG in the widget")
    print(f"{'explorer':<24}{'fast ms':>9}{'slow ms':>9}{'ratio':>8}   goal <= {RATIO_GOAL}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in EXPLORERS:
            r = time_explorer(name)
            passed = r["ratio"] <= RATIO_GOAL
            ok &= passed
            print(
                f"{name:<24}{r['fast_ms']:>9.1f}{r['slow_ms']:>9.1f}{r['ratio']:>8.2f}   "
                f"{'PASS' if passed else 'MISS'}"
            )
    return ok


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
