"""Exact log-softmax, softmax cross-entropy and its gradient, for any float logits.

The oracle of the large-logit tests, independent of NumPy's and of nnmath's arithmetic:
every float is an exact rational number (``fractions.Fraction``), so the shifted logits
``z_i - m`` are exact; the exponentials and the logarithm come from ``decimal`` at
60 significant digits (``Decimal.exp`` and ``Decimal.ln`` are correctly rounded), and
the result is rounded once to the nearest float64. Terms ``e^(z_j - m)`` with
``z_j - m < -1500`` are left out: they are below ``1e-651`` of the row's sum, far
under the 60 digits kept.

``ulps(got, exact, dtype)`` measures an error in units in the last place of the
dtype at the exact value's size (1 for results smaller than 1, so that entries that
are nearly 0 count in ulps of 1: see each test for why).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np

DIGITS = 60
ULPS = 4  # how far nnmath (and nnmath.js) may be from the exact values, in ulps (see users)
FAR = -1500  # e^-1500 ~ 1e-651: nothing at 60 digits


def _dec(q: Fraction) -> Decimal:
    return Decimal(q.numerator) / Decimal(q.denominator)


def _shifted(z: Sequence[float]) -> list[Fraction | None]:
    """``z_i - max z`` exactly; None where ``z_i`` is ``-inf`` (a masked class)."""
    finite = [Fraction(float(v)) for v in z if v != -math.inf]
    m = max(finite)
    return [None if v == -math.inf else Fraction(float(v)) - m for v in z]


def _log_sum(shifted: list[Fraction | None]) -> Decimal:
    """``log sum_j e^(z_j - m)``, at least 0 (the maximum adds e^0 = 1)."""
    s = sum((_dec(d).exp() for d in shifted if d is not None and d > FAR), Decimal(0))
    return s.ln()


def log_softmax(z: Sequence[float]) -> list[float]:
    """``(z_i - m) - log s`` of one row, each entry rounded once to float64."""
    with localcontext() as ctx:
        ctx.prec = DIGITS
        d = _shifted(z)
        log_s = _log_sum(d)
        return [-math.inf if v is None else float(_dec(v) - log_s) for v in d]


def logsumexp(z: Sequence[float]) -> float:
    """``m + log s`` of one row, rounded once to float64."""
    with localcontext() as ctx:
        ctx.prec = DIGITS
        m = max(Fraction(float(v)) for v in z if v != -math.inf)
        return float(_dec(m) + _log_sum(_shifted(z)))


def cross_entropy(z: Sequence[float], y: int | Sequence[float]) -> float:
    """``-sum_k y_k log softmax(z)_k`` of one row, for a label or a probability row."""
    with localcontext() as ctx:
        ctx.prec = DIGITS
        d = _shifted(z)
        log_s = _log_sum(d)
        weights = [1.0 if k == y else 0.0 for k in range(len(z))] if isinstance(y, int) else y
        total = Decimal(0)
        for w, v in zip(weights, d, strict=True):
            if w == 0:
                continue
            if v is None:
                return math.inf
            total += Decimal(float(w)) * (log_s - _dec(v))
        return float(total)


def cross_entropy_grad(z: Sequence[float], y: int | Sequence[float]) -> list[float]:
    """``(sum y) p - y`` of one row, each entry rounded once to float64."""
    with localcontext() as ctx:
        ctx.prec = DIGITS
        d = _shifted(z)
        e = [Decimal(0) if v is None or v <= FAR else _dec(v).exp() for v in d]
        s = sum(e, Decimal(0))
        weights = [1.0 if k == y else 0.0 for k in range(len(z))] if isinstance(y, int) else y
        total = sum((Decimal(float(w)) for w in weights), Decimal(0))
        return [float(total * ek / s - Decimal(float(w))) for ek, w in zip(e, weights, strict=True)]


def ulps(got, exact, dtype) -> np.ndarray:
    """``|got - exact|`` in units in the last place of `dtype` at ``max(|exact|, 1)``.

    `exact` is a float64 array of exact values rounded once; where rounding it to
    `dtype` overflows, the dtype's infinity is the exact result. Infinities of the
    same sign are 0 ulps apart; anything against NaN is infinitely far.
    """
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(exact, dtype=np.float64)
    with np.errstate(over="ignore"):
        e = np.where(np.isinf(e.astype(dtype)), e.astype(dtype).astype(np.float64), e)
    same = (g == e) | (np.isinf(g) & np.isinf(e) & (np.sign(g) == np.sign(e)))
    size = np.maximum(np.abs(np.where(np.isfinite(e), e, 1.0)), 1.0)
    _, power = np.frexp(size)  # size = f 2^power with f in [0.5, 1): its ulp in dtype is
    unit = np.ldexp(1.0, power - 1 - np.finfo(dtype).nmant)  # 2^(power - 1 - mantissa bits)
    with np.errstate(invalid="ignore", over="ignore"):
        far = np.abs(g - e) / unit
    return np.where(same, 0.0, np.where(np.isnan(far), np.inf, far))
