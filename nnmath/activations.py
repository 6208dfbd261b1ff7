"""Activation functions and their derivatives, value and derivative side by side.

Elementwise: :func:`relu` / :func:`relu_grad`, :func:`leaky_relu` /
:func:`leaky_relu_grad`, :func:`sigmoid` / :func:`sigmoid_grad`, :func:`gelu` /
:func:`gelu_grad`.

Along a class axis (logits in): :func:`softmax` / :func:`softmax_jacobian`,
:func:`log_softmax` and :func:`logsumexp`.  These shift every row by its maximum
before exponentiating, so finite logits of any magnitude give finite, accurate
results.  A logit of ``-inf`` is allowed and means "this class is masked out"
(its probability is exactly 0); NaN, ``+inf`` and rows made only of ``-inf`` are
errors.

Floating inputs keep their dtype (float32 stays float32); integer and boolean
inputs are computed in float64.  Derivatives are always floating arrays.  Where
float16 would overflow or round away a parameter (a sum of exponentials, a
temperature, a slope), it is computed in float32 and rounded once to float16.
``np.longdouble`` is refused with a ``TypeError``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnmath._normal import normal_cdf, normal_pdf
from nnmath._validation import (
    as_float_array,
    check_class_axis,
    check_gelu_approximate,
    check_no_nan,
    check_row_max,
    check_slope,
    check_temperature,
    working_dtype,
)

__all__ = [
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "log_softmax",
    "logsumexp",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_jacobian",
]

# Rows are processed in blocks of about this many elements (256 KiB in float64)
# when a full-size temporary is not needed: the block stays in cache between
# the exp and the sum, and no array of the input's size is allocated.
_BLOCK_ELEMENTS = 1 << 15


# --------------------------------------------------------------------------
# Elementwise activations
# --------------------------------------------------------------------------


def relu(x: ArrayLike) -> NDArray[np.floating]:
    r"""Rectified linear unit, :math:`\max(x, 0)`, elementwise.

    Parameters
    ----------
    x : array_like of any shape
        Pre-activations.  NaN is rejected; ``±inf`` is allowed.

    Returns
    -------
    ndarray of the same shape as `x`
        Floating (float32 stays float32; integers become float64).

    See Also
    --------
    relu_grad : its derivative.
    leaky_relu : keeps a small slope for negative inputs.

    Notes
    -----
    .. math:: \operatorname{relu}(x) = \max(x, 0)

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.relu([-2.0, 0.0, 3.0]))
    [0. 0. 3.]
    """
    a = as_float_array(x, "x")
    check_no_nan(a, "x")
    return np.maximum(a, 0)


def relu_grad(x: ArrayLike) -> NDArray[np.floating]:
    r"""Derivative of :func:`relu` with respect to its input, elementwise.

    ReLU has no derivative at 0 (its subdifferential there is :math:`[0, 1]`).
    Like PyTorch, TensorFlow and JAX, we take :math:`\operatorname{relu}'(0) = 0`.

    Parameters
    ----------
    x : array_like of any shape
        Pre-activations (the input of :func:`relu`, not its output).

    Returns
    -------
    ndarray of the same shape as `x`
        1.0 where ``x > 0``, else 0.0; always floating.

    See Also
    --------
    relu : the function itself.

    Notes
    -----
    .. math:: \operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    A central difference at exactly 0 gives 0.5, the average of the two
    one-sided slopes: gradient checks must stay away from the kink.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.relu_grad([-2.0, 0.0, 3.0]))
    [0. 0. 1.]
    """
    a = as_float_array(x, "x")
    check_no_nan(a, "x")
    return (a > 0).astype(a.dtype)


def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> NDArray[np.floating]:
    r"""Leaky ReLU: :math:`x` for positive inputs, :math:`\alpha x` otherwise.

    Parameters
    ----------
    x : array_like of any shape
        Pre-activations.
    alpha : float, default 0.01
        Slope for negative inputs (a finite real number within the range of the dtype
        of `x`; 0 gives :func:`relu`, also at ``-inf``).

    Returns
    -------
    ndarray of the same shape as `x`

    See Also
    --------
    leaky_relu_grad : its derivative.
    relu : the case ``alpha = 0``.

    Notes
    -----
    .. math:: \operatorname{leaky\_relu}(x) = \begin{cases} x & x > 0 \\
              \alpha x & x \le 0 \end{cases}

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.leaky_relu([-2.0, 0.0, 3.0], alpha=0.1))
    [-0.2  0.   3. ]
    """
    a = as_float_array(x, "x")
    slope = check_slope(alpha, a.dtype)
    check_no_nan(a, "x")
    if slope == 0:  # relu; alpha * x would be NaN at x = -inf
        return np.where(a > 0, a, a.dtype.type(0))
    s = a.dtype.type(slope)
    if a.dtype == np.float16 or abs(s) < np.finfo(a.dtype).smallest_normal:
        # alpha rounds badly (or to 0) in this dtype: multiply in float64, round once.
        neg = np.multiply(a, slope, dtype=np.float64).astype(a.dtype)
    else:
        neg = a * s
    out = np.where(a > 0, a, neg)
    out += 0  # -0.0 (a negative x times a tiny alpha) becomes 0.0
    return out


def leaky_relu_grad(x: ArrayLike, alpha: float = 0.01) -> NDArray[np.floating]:
    r"""Derivative of :func:`leaky_relu` with respect to its input, elementwise.

    At the kink we take the left slope: ``leaky_relu_grad(0) = alpha``, which
    for ``alpha = 0`` agrees with :func:`relu_grad`.

    Parameters
    ----------
    x : array_like of any shape
        Pre-activations.
    alpha : float, default 0.01
        Slope for negative inputs.

    Returns
    -------
    ndarray of the same shape as `x`
        1.0 where ``x > 0``, else `alpha`; always floating.

    See Also
    --------
    leaky_relu : the function itself.

    Notes
    -----
    .. math:: \operatorname{leaky\_relu}'(x) = \begin{cases} 1 & x > 0 \\
              \alpha & x \le 0 \end{cases}

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.leaky_relu_grad([-2.0, 0.0, 3.0], alpha=0.1))
    [0.1 0.1 1. ]
    """
    a = as_float_array(x, "x")
    slope = check_slope(alpha, a.dtype)
    check_no_nan(a, "x")
    return np.where(a > 0, a.dtype.type(1), a.dtype.type(slope))


def _exp_neg_abs(a: NDArray[np.floating]) -> NDArray[np.floating]:
    """``exp(-|a|)``, which lies in [0, 1] and so never overflows."""
    e = np.abs(a)
    np.negative(e, out=e)
    np.exp(e, out=e)
    return e


def sigmoid(x: ArrayLike) -> NDArray[np.floating]:
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise.

    Computed without overflow for any input: with :math:`e = e^{-|x|}`,
    :math:`\sigma(x) = 1/(1+e)` for :math:`x \ge 0` and :math:`e/(1+e)` otherwise.

    Parameters
    ----------
    x : array_like of any shape
        Logits.  ``±inf`` give exactly 1 and 0; NaN is rejected.

    Returns
    -------
    ndarray of the same shape as `x`, values in [0, 1]

    See Also
    --------
    sigmoid_grad : its derivative.
    softmax : the multi-class generalisation.

    Notes
    -----
    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.sigmoid([-1000.0, 0.0, 1000.0]))
    [0.  0.5 1. ]
    """
    a = as_float_array(x, "x")
    check_no_nan(a, "x")
    shape = a.shape
    a = np.atleast_1d(a)  # the in-place steps below need an array, not a NumPy scalar
    e = _exp_neg_abs(a)
    out = np.add(e, 1)
    np.divide(1, out, out=out)
    np.multiply(e, out, out=out, where=a < 0)
    return out.reshape(shape)


def sigmoid_grad(x: ArrayLike) -> NDArray[np.floating]:
    r"""Derivative of :func:`sigmoid` with respect to its input, elementwise.

    Parameters
    ----------
    x : array_like of any shape
        Logits (the input of :func:`sigmoid`, not its output).

    Returns
    -------
    ndarray of the same shape as `x`, values in [0, 0.25]

    See Also
    --------
    sigmoid : the function itself.

    Notes
    -----
    .. math:: \sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)
              = \frac{e^{-|x|}}{(1 + e^{-|x|})^2}

    The second form keeps full relative accuracy in the tails, where
    :math:`1 - \sigma(x)` would round to 0.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.sigmoid_grad([0.0, 2.0]).round(6))
    [0.25     0.104994]
    """
    a = as_float_array(x, "x")
    check_no_nan(a, "x")
    shape = a.shape
    e = _exp_neg_abs(np.atleast_1d(a))  # in-place steps need an array, not a NumPy scalar
    d = np.add(e, 1)
    np.square(d, out=d)
    np.divide(e, d, out=e)
    return e.reshape(shape)


# sqrt(2 / pi) and the cubic coefficient of the tanh form of GELU (Hendrycks and Gimpel).
_GELU_TANH_SCALE = 0.79788456080286535588
_GELU_TANH_CUBIC = 0.044715
# Beyond |x| = 1e4 the tanh form's inner argument is above 3e10, where its tanh is
# exactly +-1 and its derivative exactly 0: clipping there changes no result and keeps
# x^3 far from overflow.
_GELU_TANH_CLIP = 1e4


def _gelu_tanh_parts(v: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """For the tanh form: the clipped input and ``2 u`` with ``u`` the argument of tanh."""
    c = np.clip(v, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
    two_u = c * c
    two_u *= _GELU_TANH_CUBIC
    two_u += 1.0
    two_u *= c
    two_u *= 2.0 * _GELU_TANH_SCALE
    return c, two_u


def _gelu_input(
    x: ArrayLike, approximate: object
) -> tuple[NDArray[np.floating], NDArray[np.float64], bool]:
    """What gelu and gelu_grad check first: ``x`` as validated (its dtype is the result's),
    ``x`` in float64, and whether the tanh form was asked for."""
    a = as_float_array(x, "x")
    tanh_form = check_gelu_approximate(approximate)
    check_no_nan(a, "x")
    return a, np.asarray(a, dtype=np.float64), tanh_form


def gelu(x: ArrayLike, approximate: str | None = None) -> NDArray[np.floating]:
    r"""Gaussian error linear unit, :math:`x\,\Phi(x)`, elementwise.

    Parameters
    ----------
    x : array_like of any shape
        Pre-activations.  NaN is rejected; ``±inf`` give the limits ``+inf`` and 0.
    approximate : {None, "none", "tanh"}, default None
        None (or ``"none"``) computes the exact :math:`x\,\Phi(x)`; ``"tanh"`` the
        tanh approximation below.  The names are PyTorch's
        (``torch.nn.functional.gelu(input, approximate='none')``, exact by
        default); JAX's ``jax.nn.gelu(x, approximate=True)`` takes a bool and
        defaults to the tanh form, which is ``approximate="tanh"`` here.

    Returns
    -------
    ndarray of the same shape as `x`
        Floating (float32 stays float32; integers become float64).  Computed in
        float64 and rounded once to the dtype of `x`.

    See Also
    --------
    gelu_grad : its derivative.
    relu : the hard gate that GELU smooths.

    Notes
    -----
    .. math:: \operatorname{gelu}(x) = x\,\Phi(x), \qquad
              \Phi(x) = \tfrac12\bigl(1 + \operatorname{erf}(x/\sqrt2)\bigr)

    where :math:`\Phi` is the distribution function of the standard normal
    distribution (Hendrycks and Gimpel, 2016).  The tanh form is

    .. math:: \tfrac12\,x\,\bigl(1 + \tanh u\bigr), \qquad
              u = \sqrt{2/\pi}\,\bigl(x + 0.044715\,x^3\bigr)

    computed as :math:`x\,\sigma(2u)`, the same number written without the
    cancellation of :math:`1 + \tanh u` for large negative :math:`u`.  The two forms
    differ by less than :math:`5 \cdot 10^{-4}`.  NumPy has no error function, so
    :math:`\Phi` comes from W. J. Cody's rational approximations of erfc (Mathematics
    of Computation 23, 1969), accurate to a few units in the last place.

    GELU is smooth: unlike :func:`relu` it has no kink and needs no convention.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.gelu([-1.0, 0.0, 1.0]).round(6))
    [-0.158655  0.        0.841345]
    >>> print(nnmath.gelu([-1.0, 0.0, 1.0], approximate="tanh").round(6))
    [-0.158808  0.        0.841192]
    """
    a, v, tanh_form = _gelu_input(x, approximate)
    if tanh_form:
        _, two_u = _gelu_tanh_parts(v)
        gate = sigmoid(two_u)
    else:
        gate = normal_cdf(v)
    # The gate is exactly 0 at x = -inf, where the product's limit is 0, not NaN.
    out = np.multiply(np.where(v == -np.inf, 0.0, v), gate)
    out += 0.0  # -0.0 (a negative x whose gate underflowed) becomes 0.0
    return out.astype(a.dtype, copy=False)


def gelu_grad(x: ArrayLike, approximate: str | None = None) -> NDArray[np.floating]:
    r"""Derivative of :func:`gelu` with respect to its input, elementwise.

    Parameters
    ----------
    x : array_like of any shape
        Pre-activations (the input of :func:`gelu`).
    approximate : {None, "none", "tanh"}, default None
        The form of GELU to differentiate, as in :func:`gelu`.

    Returns
    -------
    ndarray of the same shape as `x`
        Always floating, in the dtype of `x` (float64 for integers).  Values lie
        in about :math:`[-0.13, 1.13]`: 0 at ``-inf``, 1 at ``+inf``.

    See Also
    --------
    gelu : the function itself.

    Notes
    -----
    .. math:: \operatorname{gelu}'(x) = \Phi(x) + x\,\varphi(x), \qquad
              \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}

    with :math:`\operatorname{gelu}'(0) = 1/2` exactly.  For the tanh form, with
    :math:`s = \sigma(2u)`,

    .. math:: \frac{d}{dx}\bigl(x\,s\bigr) = s + 2x\,s(1 - s)\,\sqrt{2/\pi}\,
              \bigl(1 + 3 \cdot 0.044715\,x^2\bigr)

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.gelu_grad([-1.0, 0.0, 1.0]).round(6))
    [-0.083315  0.5       1.083315]
    """
    a, v, tanh_form = _gelu_input(x, approximate)
    if tanh_form:
        c, two_u = _gelu_tanh_parts(v)
        slope = c * c
        slope *= 3.0 * _GELU_TANH_CUBIC
        slope += 1.0
        slope *= c
        slope *= sigmoid_grad(two_u)
        slope *= 2.0 * _GELU_TANH_SCALE
        out = sigmoid(two_u)
        out += slope
    else:
        # x phi(x) is 0 at x = +-inf (phi underflows first); use 0 for x there, not inf * 0.
        finite_v = np.where(np.isinf(v), 0.0, v)
        out = normal_cdf(v)
        out += finite_v * normal_pdf(v)
    return out.astype(a.dtype, copy=False)


# --------------------------------------------------------------------------
# Along a class axis
# --------------------------------------------------------------------------


def _prepare_logits(
    z: ArrayLike, name: str = "z", axis: int = -1
) -> tuple[NDArray[np.floating], int, NDArray[np.floating], np.dtype]:
    """Convert and check logits; return ``(z, axis, row_max, dtype)``, row_max with keepdims.

    The row maximum is needed for the max-shift anyway, and NaN, +inf and
    all -inf rows all show up in it, so validation costs one small check.
    ``dtype`` is the dtype of the result; ``z`` and ``row_max`` are in the dtype to
    compute in (float32 for float16 logits, see :func:`working_dtype`).
    """
    a = as_float_array(z, name)
    ax = check_class_axis(a, name, axis)
    m = np.max(a, axis=ax, keepdims=True)
    check_row_max(m, a, name, ax)
    work = working_dtype(a.dtype)
    return a.astype(work, copy=False), ax, m.astype(work, copy=False), a.dtype


def _narrow(result: NDArray, dtype: np.dtype) -> NDArray:
    """A result computed in the working dtype, rounded once to `dtype` (float16 inputs).

    A value beyond float16's range (a log-probability below -65504) rounds to its
    infinity, as the correctly rounded value does: no warning for that.
    """
    with np.errstate(over="ignore"):
        return result.astype(dtype, copy=False)


def _as_rows(a: NDArray, axis: int) -> NDArray | None:
    """``a`` viewed as (rows, classes) when that needs no copy, else None."""
    if axis == a.ndim - 1 and a.flags.c_contiguous:
        return a.reshape(-1, a.shape[-1])
    return None


def _row_blocks(n: int, k: int) -> tuple[int, int]:
    """Rows per block and the block's row count for ``n`` rows of ``k`` classes."""
    step = max(1, _BLOCK_ELEMENTS // k)
    return step, min(step, n)


def _sum_exp_shifted(a: NDArray, axis: int, m: NDArray) -> NDArray:
    r""":math:`\sum_j e^{a_j - m}` along `axis` (keepdims), with no full-size temporary.

    Every term is at most 1 and the row maximum contributes exactly 1, so the
    result lies in [1, K]: its logarithm is finite and accurate.
    """
    rows = _as_rows(a, axis)
    if rows is None:
        e = _shift(a, m)
        np.exp(e, out=e)
        return np.sum(e, axis=axis, keepdims=True)
    n, k = rows.shape
    m_rows = m.reshape(n, 1)
    s = np.empty((n, 1), dtype=a.dtype)
    step, height = _row_blocks(n, k)
    buf = np.empty((height, k), dtype=a.dtype)
    for start in range(0, n, step):
        stop = min(start + step, n)
        b = buf[: stop - start]
        _shift(rows[start:stop], m_rows[start:stop], out=b)
        np.exp(b, out=b)
        np.sum(b, axis=1, keepdims=True, out=s[start:stop])
    return s.reshape(m.shape)


def _shift(a: NDArray, m: NDArray, out: NDArray | None = None) -> NDArray:
    """``a - m``: 0 at the row maximum, below it elsewhere.

    The difference of two finite logits near the ends of the range (``-3e38 - 3e38``
    in float32) overflows to ``-inf``, its correctly rounded value: ``exp`` makes it
    exactly 0, as it would the true difference, so NumPy's warning is not wanted.
    """
    with np.errstate(over="ignore"):
        return np.subtract(a, m, out=out)


def _log_softmax_from(a: NDArray, axis: int, m: NDArray) -> NDArray:
    r""":math:`(a - m) - \log \sum_j e^{a_j - m}` for checked logits `a` with row maxima `m`.

    Written this way, not as :math:`a - (m + \log s)`: both terms are at most 0,
    so nothing cancels and the result is exact to a few ulps, whereas
    :math:`m + \log s` rounds to the spacing of the numbers near :math:`m`
    (``log_softmax([1e16] * 3)`` would be -2, not -1.0986).  Row by row blocks:
    the shifted logits are written into the result, their exponentials into a
    small buffer, so no temporary of the input's size is made.
    """
    rows = _as_rows(a, axis)
    if rows is None:
        out = _shift(a, m)
        s = np.sum(np.exp(out), axis=axis, keepdims=True)
        np.log(s, out=s)
        out -= s
        return out
    n, k = rows.shape
    out = np.empty_like(a, order="C")
    out_rows = out.reshape(n, k)
    m_rows = m.reshape(n, 1)
    step, height = _row_blocks(n, k)
    buf = np.empty((height, k), dtype=a.dtype)
    s = np.empty((height, 1), dtype=a.dtype)
    for start in range(0, n, step):
        stop = min(start + step, n)
        shifted, b, sb = out_rows[start:stop], buf[: stop - start], s[: stop - start]
        _shift(rows[start:stop], m_rows[start:stop], out=shifted)
        np.exp(shifted, out=b)
        np.sum(b, axis=1, keepdims=True, out=sb)
        np.log(sb, out=sb)
        shifted -= sb
    return out


def _representable(value: float, dtype: np.dtype) -> bool:
    """Whether `value` > 0 is a normal number of `dtype` (not rounded to 0, inf or few bits)."""
    info = np.finfo(dtype)
    return float(info.smallest_normal) <= value <= float(info.max)


def _softmax_from(a: NDArray, axis: int, m: NDArray, temperature: float = 1.0) -> NDArray:
    """Softmax of checked logits `a` with row maxima `m`: one output array, no temporaries.

    With a temperature, the shifted logits are divided in float64 instead when the
    dtype of `a` cannot hold the temperature (1e-46 rounds to 0 in float32, 1e39 to
    inf) or cannot hold a shifted logit that the temperature brings back into range
    (``(-3e38 - 3e38) / 1e30`` in float32).
    """
    out = _shift(a, m)
    if temperature != 1.0:
        if a.dtype != np.float64 and (
            not _representable(temperature, a.dtype) or (temperature > 1 and np.isinf(out).any())
        ):
            out = np.subtract(a, m, dtype=np.float64)
        with np.errstate(over="ignore"):  # (z - m) / T below the range: -inf, exp gives 0
            out /= out.dtype.type(temperature)
    np.exp(out, out=out)
    out /= np.sum(out, axis=axis, keepdims=True)
    return out.astype(a.dtype, copy=False)


def softmax(z: ArrayLike, axis: int = -1, temperature: float = 1.0) -> NDArray[np.floating]:
    r"""Softmax along `axis`: exponentiate and normalise so each row sums to 1.

    Parameters
    ----------
    z : array_like of shape (..., n_classes)
        Logits.  Finite values of any magnitude are fine; ``-inf`` masks a
        class (probability exactly 0).  NaN, ``+inf`` and rows of only ``-inf``
        raise ``ValueError``.
    axis : int, default -1
        The class axis.
    temperature : float, default 1.0
        :math:`T > 0`.  Below 1 sharpens the distribution, above 1 flattens it.

    Returns
    -------
    ndarray of the same shape as `z`
        Probabilities, non-negative, summing to 1 along `axis`.

    See Also
    --------
    softmax_jacobian : its derivative (the full matrix, not only the diagonal).
    log_softmax : its logarithm, computed without ``log(0)``.

    Notes
    -----
    .. math:: \operatorname{softmax}(z)_i = \frac{e^{(z_i - m)/T}}{\sum_j e^{(z_j - m)/T}},
              \qquad m = \max_j z_j

    Subtracting the maximum :math:`m` changes nothing mathematically (it
    cancels between numerator and denominator) but keeps every exponent
    :math:`\le 0`, so ``exp`` cannot overflow and the largest term is exactly 1.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.softmax([1.0, 2.0, 3.0]).round(8))
    [0.09003057 0.24472847 0.66524096]
    >>> print(nnmath.softmax([1000.0, 0.0, -1000.0]))
    [1. 0. 0.]
    >>> print(nnmath.softmax([1.0, 2.0, 3.0], temperature=0.5).round(4))
    [0.0159 0.1173 0.8668]
    """
    t = check_temperature(temperature)
    a, ax, m, dtype = _prepare_logits(z, "z", axis)
    return _narrow(_softmax_from(a, ax, m, t), dtype)


def log_softmax(z: ArrayLike, axis: int = -1) -> NDArray[np.floating]:
    r"""Logarithm of :func:`softmax`, computed through log-sum-exp.

    Parameters
    ----------
    z : array_like of shape (..., n_classes)
        Logits (same rules as :func:`softmax`).
    axis : int, default -1
        The class axis.

    Returns
    -------
    ndarray of the same shape as `z`
        Log-probabilities, all :math:`\le 0`; ``-inf`` exactly where `z` is ``-inf``.

    See Also
    --------
    softmax : the probabilities themselves.
    logsumexp : the normaliser subtracted here.

    Notes
    -----
    .. math:: \log \operatorname{softmax}(z)_i = (z_i - m) - \log \sum_j e^{z_j - m},
              \qquad m = \max_j z_j

    computed in that order: both terms are at most 0, so nothing cancels and the
    result is exact to a few ulps at any magnitude of the logits.  Subtracting
    ``logsumexp(z)`` = :math:`m + \log s` from :math:`z_i` instead rounds
    :math:`\log s` to the spacing of the numbers near :math:`m`: at
    :math:`|z| = 10^{16}` that spacing is 2.  Taking ``log(softmax(z))`` loses every
    probability that underflows to 0 and returns ``-inf`` for it.

    Examples
    --------
    >>> import numpy as np
    >>> import nnmath
    >>> print(nnmath.log_softmax([1000.0, 1.0]))
    [   0. -999.]
    >>> with np.errstate(divide="ignore"):
    ...     print(np.log(nnmath.softmax([1000.0, 1.0])))
    [  0. -inf]
    """
    a, ax, m, dtype = _prepare_logits(z, "z", axis)
    return _narrow(_log_softmax_from(a, ax, m), dtype)


def logsumexp(z: ArrayLike, axis: int = -1) -> NDArray[np.floating]:
    r"""Log of the sum of exponentials along `axis`, without overflow.

    Parameters
    ----------
    z : array_like of shape (..., n_classes)
        Logits (same rules as :func:`softmax`).
    axis : int, default -1
        The axis to reduce.

    Returns
    -------
    ndarray of shape ``z.shape`` without `axis`
        A 0-d array for one-dimensional `z`.

    See Also
    --------
    log_softmax : ``z - logsumexp(z)``.
    softmax : its gradient with respect to `z`.

    Notes
    -----
    .. math:: \operatorname{logsumexp}(z) = m + \log \sum_j e^{z_j - m},
              \qquad m = \max_j z_j

    The sum lies in :math:`[1, K]`, so its logarithm is finite and accurate.
    The gradient of logsumexp is softmax.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.logsumexp([1.0, 2.0, 3.0]).round(8))
    3.40760596
    >>> print(nnmath.logsumexp([[1000.0, 1000.0], [0.0, -1000.0]]).round(6))
    [1000.693147    0.      ]
    """
    a, ax, m, dtype = _prepare_logits(z, "z", axis)
    s = _sum_exp_shifted(a, ax, m)
    np.log(s, out=s)
    s += m
    return _narrow(np.squeeze(s, axis=ax), dtype)


def softmax_jacobian(z: ArrayLike) -> NDArray[np.floating]:
    r"""Full Jacobian of :func:`softmax` along the last axis.

    Parameters
    ----------
    z : array_like of shape (..., n_classes)
        Logits (same rules as :func:`softmax`).

    Returns
    -------
    ndarray of shape (..., n_classes, n_classes)
        ``J[..., i, j]`` is :math:`\partial p_i / \partial z_j`.  Each matrix is
        symmetric, its rows sum to 0, and it is singular (adding a constant to
        every logit leaves the softmax unchanged).

    See Also
    --------
    softmax : the function whose derivative this is.
    nnmath.softmax_cross_entropy_grad : the product of this Jacobian with
        :func:`nnmath.cross_entropy_grad`, simplified to :math:`p - y`.

    Notes
    -----
    .. math:: \frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j),
              \qquad J = \operatorname{diag}(p) - p\,p^\top

    The diagonal :math:`p_i(1 - p_i)` alone is not the derivative: the
    off-diagonal terms :math:`-p_i p_j` are what push the wrong classes down.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.softmax_jacobian([1.0, 2.0, 3.0]).round(6))
    [[ 0.081925 -0.022033 -0.059892]
     [-0.022033  0.184836 -0.162803]
     [-0.059892 -0.162803  0.222695]]
    """
    a, ax, m, dtype = _prepare_logits(z, "z", -1)
    p = _softmax_from(a, ax, m)
    jac = np.multiply(p[..., :, None], p[..., None, :])
    np.negative(jac, out=jac)
    k = p.shape[-1]
    diag = np.arange(k)
    jac[..., diag, diag] += p
    return _narrow(jac, dtype)
