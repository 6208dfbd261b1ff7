"""One explorer, two computations: the state the page computes with nnmath.js, held to nnmath's.

Shared by the tests of the page (``test_page_explorers.py``, ``test_explorer_states.py``)
and of JupyterLab (``test_live_jupyterlab.py``). ``assert_same_state`` compares a state
drawn in a browser with the one :meth:`nnmath.widgets.Explorer.compute` makes for the same
values: every number to 1e-12 relative (the last-bit differences of V8's and NumPy's exp
and log), with these exceptions, each for a reason:

* entries that are differences of computed numbers of size about 1 (p - y, the Jacobian
  diag(p) - p pᵀ) also get an absolute floor of a few ulps of 1: where they nearly cancel,
  an ulp of their operands is all that is left of them;
* central differences (``numeric``, ``maxDiff``, ``relativeError``) divide a difference of
  two losses by 2e-6, so the losses' last bits become 1e-10 of the result: 1e-8 absolute;
* the capstone's losses, to 1e-9 relative (1000 steps of rounding), and only at learning
  rates up to 1, where the runs are not chaotic.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnmath.widgets import EXPLORERS, Choice

RTOL = 1e-12
EPS = float(np.finfo(float).eps)
#: Keys only the page knows: its thread, how far its run has trained, whether it parted.
PAGE_ONLY = {"thread", "trained", "parted"}
LOOSE = {"numeric": 1e-8, "maxDiff": 1e-8, "relativeError": 1e-3}
CANCELLING = {"grad", "jacobian", "curve", "losses", "curves", "dloss"}


def _close(got: Any, expected: Any, where: str, rtol: float, atol: float) -> None:
    np.testing.assert_allclose(
        np.asarray(got, dtype=float),
        np.asarray(expected, dtype=float),
        rtol=rtol,
        atol=atol,
        err_msg=where,
    )


def assert_same_state(name: str, page: dict[str, Any], python: dict[str, Any]) -> None:
    """The state a browser drew equals nnmath's for the same values (see the module doc)."""
    assert set(page) - PAGE_ONLY == set(python) - PAGE_ONLY, (sorted(page), sorted(python))
    training = name == "training"
    for key, expected in python.items():
        if key in PAGE_ONLY:
            continue
        got = page[key]
        where = f"{name}: {key}"
        if training and key == "losses":
            _close(got, expected[: len(got)], where, 1e-9, 0.0)
        elif training and key in ("loss",):
            _close(got, expected, where, 1e-9, 0.0)
        elif training and key == "reference":
            for k in ("loss", "accuracy", "dead"):
                _close(got[k], expected[k], f"{where}.{k}", 1e-9, 0.0)
        elif key in LOOSE:
            _close(got, expected, where, 0.0, LOOSE[key])
        elif isinstance(expected, dict):
            for k, v in expected.items():
                _close(got[k], v, f"{where}.{k}", RTOL, 8 * EPS * (1 + np.max(np.abs(v))))
        elif isinstance(expected, (str, bool)) or expected is None:
            assert got == expected, f"{where}: {got!r} != {expected!r}"
        else:
            atol = 8 * EPS * (1 + np.max(np.abs(expected))) if key in CANCELLING else 1e-300
            _close(got, expected, where, RTOL, atol)


def random_values(name: str, rng: np.random.Generator, extreme: bool = False) -> dict[str, Any]:
    """Values every control of ``name`` can take: random, or each at one end of its range."""
    values = {}
    for d in EXPLORERS[name].CONTROLS:
        if isinstance(d, Choice):
            values[d.name] = d.values[int(rng.integers(len(d.values)))]
            continue
        steps = round((d.max - d.min) / d.step)
        i = int(rng.choice([0, steps])) if extreme else int(rng.integers(steps + 1))
        value = d.min + i * d.step if i < steps else d.max
        values[d.name] = round(value) if d.integer else round(value, 10)
    return values
