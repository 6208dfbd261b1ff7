r"""The standard normal distribution in NumPy alone: :math:`\Phi` and :math:`\varphi` for GELU.

NumPy has no error function, and importing :mod:`nnmath` must need NumPy only, so
:math:`\Phi(x) = \tfrac12 \operatorname{erfc}(-x/\sqrt2)` is computed here from
W. J. Cody's rational Chebyshev approximations of erf and erfc ("Rational Chebyshev
approximations for the error function", Mathematics of Computation 23, 1969,
631-637), as netlib's SPECFUN routine CALERF evaluates them. The three ranges of
:math:`v = |x|/\sqrt2` and their coefficients are Cody's:

- :math:`v \le 0.46875`: :math:`\operatorname{erf}(v) = v\,A(v^2)/B(v^2)`;
- :math:`0.46875 < v \le 4`: :math:`\operatorname{erfc}(v) = e^{-v^2}\,C(v)/D(v)`;
- :math:`v > 4`: :math:`\operatorname{erfc}(v) = \dfrac{e^{-v^2}}{v}
  \Bigl(\dfrac{1}{\sqrt\pi} - w\,P(w)/Q(w)\Bigr)`, :math:`w = 1/v^2`.

The factor :math:`e^{-v^2} = e^{-x^2/2}` is where accuracy is lost in the tails: the
rounding error of :math:`x^2` is multiplied by :math:`x^2/2` in the exponent. As
Cody does, :math:`x` is split into a part with few bits, whose square is exact, and a
small remainder (:func:`exp_neg_half_square`), so the tails keep nearly full relative
accuracy, and computing :math:`e^{-x^2/2}` from `x` itself (not from the rounded
:math:`x/\sqrt2`) avoids a second such error.

Everything is computed in float64 and never warns: infinities give the limits
(:math:`\Phi(-\infty) = 0`, :math:`\Phi(\infty) = 1`, :math:`\varphi(\pm\infty) = 0`),
and values that underflow become 0 quietly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["exp_neg_half_square", "normal_cdf", "normal_pdf"]

_SQRT_HALF = 0.70710678118654752440  # 1 / sqrt(2)
_INV_SQRT_2PI = 0.39894228040143267794  # 1 / sqrt(2 pi)
_INV_SQRT_PI = 0.56418958354775628695  # 1 / sqrt(pi)

# Coefficients in descending powers, for np.polyval.
_A = (
    0.185777706184603153,
    3.1611237438705656,
    113.864154151050156,
    377.485237685302021,
    3209.37758913846947,
)
_B = (1.0, 23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062)
_C = (
    2.15311535474403846e-8,
    0.564188496988670089,
    8.88314979438837594,
    66.1191906371416295,
    298.635138197400131,
    881.95222124176909,
    1712.04761263407058,
    2051.07837782607147,
    1230.33935479799725,
)
_D = (
    1.0,
    15.7449261107098347,
    117.693950891312499,
    537.181101862009858,
    1621.38957456669019,
    3290.79923573345963,
    4362.61909014324716,
    3439.36767414372164,
    1230.33935480374942,
)
_P = (
    0.0163153871373020978,
    0.305326634961232344,
    0.360344899949804439,
    0.125781726111229246,
    0.0160837851487422766,
    6.58749161529837803e-4,
)
_Q = (
    1.0,
    2.56852019228982242,
    1.87295284992346047,
    0.527905102951428412,
    0.0605183413124413191,
    0.00233520497626869185,
)

# Limits of the ranges, in v = |x| / sqrt(2).
_SMALL = 0.46875
_MEDIUM = 4.0
# Beyond |x| = 40, exp(-x^2/2) < 1e-347 is 0 in float64: clipping there changes no
# result and keeps x^2 and 1/v^2 far from overflow and underflow.
_CLIP = 40.0


def exp_neg_half_square(x: NDArray[np.float64]) -> NDArray[np.float64]:
    r""":math:`e^{-x^2/2}` with nearly full relative accuracy for large :math:`|x|`.

    With :math:`h` = :math:`|x|` truncated to a multiple of 1/16, :math:`h^2` is exact and
    :math:`x^2 - h^2 = (|x| - h)(|x| + h)` is small and accurate, so
    :math:`e^{-x^2/2} = e^{-h^2/2}\,e^{-(|x| - h)(|x| + h)/2}` carries only the
    rounding of two exponentials.
    """
    a = np.minimum(np.abs(x), _CLIP)
    hi = np.trunc(a * 16.0) / 16.0
    out = np.exp(-0.5 * hi * hi)
    out *= np.exp(-0.5 * (a - hi) * (a + hi))
    return out


def normal_pdf(x: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""Density of the standard normal distribution, :math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}`."""
    out = exp_neg_half_square(x)
    out *= _INV_SQRT_2PI
    return out


def normal_cdf(x: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""Distribution function of the standard normal, :math:`\Phi(x) = P(X \le x)`.

    Within a few units in the last place down to :math:`x \approx -37`, below which
    :math:`\Phi(x)` leaves the normal range of float64 (it is 0 below about -38.5).
    """
    x = np.asarray(x, dtype=np.float64)
    shape = x.shape
    x = x.reshape(-1)
    v = np.abs(x) * _SQRT_HALF
    out = np.empty_like(x)

    small = v <= _SMALL
    s = x[small] * _SQRT_HALF
    s2 = s * s
    out[small] = 0.5 + 0.5 * (s * np.polyval(_A, s2) / np.polyval(_B, s2))

    # Elsewhere compute the smaller tail Phi(-|x|) = erfc(v) / 2, then reflect for x > 0.
    rest = ~small
    xr, vr = x[rest], v[rest]
    tail = np.empty_like(vr)
    medium = vr <= _MEDIUM
    vm = vr[medium]
    tail[medium] = np.polyval(_C, vm) / np.polyval(_D, vm)
    vl = np.minimum(vr[~medium], _CLIP)
    w = 1.0 / (vl * vl)
    tail[~medium] = (_INV_SQRT_PI - w * np.polyval(_P, w) / np.polyval(_Q, w)) / vl
    tail *= exp_neg_half_square(xr)
    tail *= 0.5
    out[rest] = np.where(xr < 0, tail, 1.0 - tail)
    return out.reshape(shape)
