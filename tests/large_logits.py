"""Rows of logits at every magnitude, and targets for them (Hypothesis strategies).

Shared by the large-logit tests of ``nnmath`` (``test_magnitudes.py``) and of
``nnmath.js`` (``browser/test_nnmath_js.py``): float64 logits up to ±1e300, float32
logits over the whole finite range of float32, the extremes, rows of near-ties around
one large value (where the loss is about ln K and the old form lost it), and masked
classes (``-inf``).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

F32_MAX = float(np.finfo(np.float32).max)


def magnitudes(dtype) -> st.SearchStrategy[float]:
    """Logits of any size for `dtype`: float64 up to ±1e300, float32 over its whole range,
    with the extremes, nearby pairs (ties and near-ties, where the loss is about ln K)
    and small numbers mixed in."""
    if dtype == np.float32:
        wide = st.floats(-F32_MAX, F32_MAX, width=32)
        ends = [-F32_MAX, F32_MAX, 1e38, -1e38, 1e8, 1e4]
    else:
        wide = st.floats(-1e300, 1e300)
        ends = [-1e300, 1e300, 1e16, -1e16, 1e8, 1e4]
    return st.one_of(wide, st.sampled_from([*ends, 0.0]), st.floats(-30, 30, width=32))


@st.composite
def rows(draw, dtype=np.float64, min_k=1, max_k=6):
    """A batch of 1-3 rows of K logits; some rows near one large value (ties, neighbours)."""
    k = draw(st.integers(min_k, max_k))
    n = draw(st.integers(1, 3))
    out = []
    for _ in range(n):
        if draw(st.booleans()):
            row = draw(st.lists(magnitudes(dtype), min_size=k, max_size=k))
        else:  # k logits within a few units of one large centre: the loss is O(1)
            centre = draw(magnitudes(dtype))
            gaps = draw(st.lists(st.sampled_from([0.0, 1.0, -1.0, 0.5, -3.0]), min_size=k,
                                 max_size=k))  # fmt: skip
            row = [float(dtype(centre + g)) for g in gaps]
        masked = draw(st.lists(st.integers(0, 5).map(lambda i: i == 0), min_size=k, max_size=k))
        if not all(masked):
            row = [-math.inf if m else v for v, m in zip(row, masked, strict=True)]
        out.append(row)
    return np.array(out, dtype=dtype)


@st.composite
def targets(draw, z):
    """Labels, or probability rows (one-hot, sparse or dense) for the logits `z`."""
    n, k = z.shape
    if draw(st.booleans()):
        return np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.sampled_from([0.0, 0.0, 1.0, 0.25, 3.0]), min_size=n * k,
                               max_size=n * k))).reshape(n, k)  # fmt: skip
    w[:, draw(st.integers(0, k - 1))] += 1.0
    return (w / w.sum(axis=-1, keepdims=True)).astype(z.dtype)


def target_of(y: np.ndarray, i: int) -> int | list[float]:
    """Row `i` of a target as the exact oracle (and nnmath.js) take it: a label or a list."""
    return int(y[i]) if y.ndim == 1 else [float(v) for v in y[i]]


def row_of(z: np.ndarray, i: int) -> list[float]:
    """Row `i` of the logits as a list of (exact) float64 values."""
    return [float(v) for v in z[i]]
