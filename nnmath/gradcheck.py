"""Gradient checking by central differences.

An analytic gradient is only trusted once it agrees with a numerical one.
:func:`numerical_gradient` and :func:`numerical_jacobian` perturb one input
entry at a time; :func:`relative_error` measures how far two gradients are
apart; :func:`gradient_check` does both and returns that error.

Rules of thumb (CS231n): work in float64; stay away from kinks such as ReLU at
0, where a central difference averages the two one-sided slopes; keep the
function's value moderate (a few samples, not thousands), since the rounding
error of a central difference grows with :math:`|f|`.  CS231n's thresholds, an
error below ``1e-7`` is good and above ``1e-2`` the gradient is wrong, are
quoted for the entrywise measure, ``relative_error(..., entrywise=True)``; the
default measure, against the scale of the whole gradient, is never larger
and uses the same thresholds in this package's tests.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnmath._validation import (
    as_array,
    as_float_array,
    check_no_nan,
    check_real_scalar,
    check_same_shape,
)

__all__ = ["gradient_check", "numerical_gradient", "numerical_jacobian", "relative_error"]


# A central difference divides by the step actually taken, (x + h) - (x - h).  Where that
# is off from 2h by more than this fraction, h is within a few spacings of the float64
# numbers near x: the step is mostly rounding, and so is f(x + h) - f(x - h).
STEP_TOLERANCE = 0.01


def _prepare(x: ArrayLike, eps: float) -> tuple[NDArray[np.float64], float]:
    a = as_float_array(x, "x")
    check_no_nan(a, "x")
    if not np.isfinite(a).all():
        raise ValueError("x must be finite to take differences around it")
    step = check_real_scalar(eps, "eps")
    if step <= 0:
        raise ValueError(f"eps must be > 0, got {eps!r}")
    work = np.array(a, dtype=np.float64)
    _check_step(work, step)
    return work, step


def _check_step(x: NDArray[np.float64], h: float) -> None:
    """Every entry of `x` moved by ``±h`` really moves by about ``h`` in float64."""
    with np.errstate(over="ignore"):
        taken = (x + h) - (x - h)
    off = ~(np.abs(taken - 2 * h) <= STEP_TOLERANCE * 2 * h)  # inf and NaN are off too
    if not off.any():
        return
    i = np.unravel_index(int(np.argmax(off)), x.shape)
    where = f"x[{', '.join(map(str, i))}]" if x.ndim else "x"
    xi = float(x[i])
    spacing = float(np.spacing(abs(xi)))
    suggest = 1e-6 * float(np.max(np.abs(x)))
    raise ValueError(
        f"eps = {h:g} is too small a step at {where} = {xi:g}: in float64, x + eps and "
        f"x - eps are {float(taken[i]):.3g} apart, not {2 * h:.3g}, since the numbers near "
        f"{xi:g} are {spacing:.3g} apart. A central difference there would be mostly "
        f"rounding. Use a step in proportion to x, such as eps={suggest:.1g} (the default "
        "1e-6 times the largest |x|), or rescale x towards 1"
    )


def _value(f: Callable, x: NDArray, scalar: bool) -> NDArray[np.float64]:
    out = as_array(f(x), "f(x)")
    if out.dtype.kind not in "biuf":
        raise TypeError(f"f must return real numbers, got dtype {out.dtype}")
    if scalar and out.ndim != 0:
        raise ValueError(
            f"f must return a scalar for numerical_gradient, got shape {out.shape} "
            "(use numerical_jacobian for vector-valued functions)"
        )
    return out.astype(np.float64)


def _central_differences(f: Callable, x: ArrayLike, eps: float, scalar: bool) -> NDArray:
    work, step = _prepare(x, eps)
    flat = work.reshape(-1)  # a view: changing flat changes work, which f sees
    columns = []
    for i in range(flat.size):
        orig = flat[i]
        flat[i] = orig + step
        upper = flat[i]
        f_plus = _value(f, work, scalar)
        flat[i] = orig - step
        lower = flat[i]
        f_minus = _value(f, work, scalar)
        flat[i] = orig
        # Divide by the step actually taken: (x + h) - (x - h) is not always 2h in floating point.
        columns.append((f_plus - f_minus) / (upper - lower))
    if scalar:
        return np.array(columns, dtype=np.float64).reshape(work.shape)
    out_shape = _value(f, work, scalar).shape
    if not columns:
        return np.zeros(out_shape + work.shape)
    jac = np.stack(columns, axis=-1)  # shape out_shape + (x.size,)
    return jac.reshape(out_shape + work.shape)


def numerical_gradient(
    f: Callable[[NDArray[np.float64]], float], x: ArrayLike, eps: float = 1e-6
) -> NDArray[np.float64]:
    r"""Gradient of a scalar function by central differences.

    Parameters
    ----------
    f : callable
        Takes an array of the shape of `x` and returns a scalar.  It is called
        ``2 * x.size`` times, on a float64 copy of `x`.
    x : array_like of any shape
        The point at which to differentiate (finite values).
    eps : float, default 1e-6
        The step :math:`h`.  It must move every entry of `x` by about `eps` in float64:
        a step within 1% of ``2 * eps`` between :math:`x - h` and :math:`x + h`
        (at the default, :math:`|x|` up to about :math:`10^8`); otherwise a
        ``ValueError`` says which entry and what step would do.

    Returns
    -------
    ndarray of the shape of `x`, float64

    See Also
    --------
    numerical_jacobian : for vector-valued functions.
    gradient_check : compare with an analytic gradient.

    Notes
    -----
    .. math:: \frac{\partial f}{\partial x_i} \approx
              \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    The truncation error is :math:`O(h^2)`, against :math:`O(h)` for a
    one-sided difference; rounding adds about :math:`10^{-16} |f| / h`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnmath
    >>> g = nnmath.numerical_gradient(lambda x: np.sum(x**2), [1.0, -2.0])
    >>> print(g.round(6))
    [ 2. -4.]
    >>> print(nnmath.numerical_gradient(lambda x: nnmath.relu(x).sum(), [0.0]).round(6))
    [0.5]
    """
    return _central_differences(f, x, eps, scalar=True)


def numerical_jacobian(
    f: Callable[[NDArray[np.float64]], ArrayLike], x: ArrayLike, eps: float = 1e-6
) -> NDArray[np.float64]:
    r"""Jacobian of a function by central differences.

    Parameters
    ----------
    f : callable
        Takes an array of the shape of `x` and returns an array (or scalar).
    x : array_like of any shape
        The point at which to differentiate.
    eps : float, default 1e-6
        The step :math:`h`, as in :func:`numerical_gradient`.

    Returns
    -------
    ndarray of shape ``f(x).shape + x.shape``, float64
        ``J[i, j]`` is :math:`\partial f_i / \partial x_j`.

    See Also
    --------
    numerical_gradient : the scalar case.
    nnmath.softmax_jacobian : the analytic Jacobian of softmax.

    Notes
    -----
    .. math:: J_{ij} \approx \frac{f_i(x + h e_j) - f_i(x - h e_j)}{2h}

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.numerical_jacobian(nnmath.softmax, [1.0, 2.0, 3.0]).round(6))
    [[ 0.081925 -0.022033 -0.059892]
     [-0.022033  0.184836 -0.162803]
     [-0.059892 -0.162803  0.222695]]
    """
    return _central_differences(f, x, eps, scalar=False)


def relative_error(analytic: ArrayLike, numeric: ArrayLike, *, entrywise: bool = False) -> float:
    r"""How far an analytic gradient is from a numerical one, relative to their size.

    Parameters
    ----------
    analytic, numeric : array_like of the same shape
        The two gradients (any shape; a scalar is one entry).
    entrywise : bool, default False
        False: divide the largest difference by the largest entry of either
        gradient as a whole (the measure :func:`gradient_check` returns).
        True: divide each entry's difference by that entry's own size and return
        the largest of these ratios (CS231n's measure).

    Returns
    -------
    float
        With :math:`g` the analytic and :math:`\tilde g` the numerical gradient,

        - ``entrywise=False``:
          :math:`\max_i |g_i - \tilde g_i| \,/\, \max_i \max(|g_i|, |\tilde g_i|)`;
        - ``entrywise=True``:
          :math:`\max_i \bigl(|g_i - \tilde g_i| \,/\, \max(|g_i|, |\tilde g_i|)\bigr)`.

        An entry (or gradient) that is exactly 0 in both counts as exact, 0; so
        does an empty gradient.  NaN, a failed comparison, when either holds NaN
        or an infinity.

    Raises
    ------
    ValueError
        If the shapes differ.
    TypeError
        If either is not a real numeric array.

    See Also
    --------
    gradient_check : central differences and this measure in one call.

    Notes
    -----
    The entrywise error of every entry is at least its error against the whole
    gradient, so the default measure is never larger than the entrywise one.
    They differ where entries differ in size:

    - the entrywise measure flags *correct* gradients whose true entries are tiny.
      The rounding error of a central difference is about :math:`10^{-16}|f|/h`
      in every entry, whatever the entry's size, so an entry near :math:`10^{-9}`
      (a class with probability :math:`10^{-9}`) gets a large relative error
      however right it is;
    - the default measure hides a wrong entry that is tiny next to the largest:
      ``[1, 1e-9]`` against ``[1, 2e-9]`` is off by a factor 2 in its second
      entry, an error of ``0.5`` entrywise but ``1e-9`` against the scale of 1.

    CS231n's thresholds (below ``1e-7`` good, above ``1e-2`` wrong) are quoted
    for the entrywise measure.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.relative_error([1.0, 1e-9], [1.0, 2e-9]))
    1e-09
    >>> print(nnmath.relative_error([1.0, 1e-9], [1.0, 2e-9], entrywise=True))
    0.5
    """
    a = as_float_array(analytic, "analytic")
    n = as_float_array(numeric, "numeric")
    check_same_shape(a, n, "analytic", "numeric")
    if not isinstance(entrywise, (bool, np.bool_)):
        raise TypeError(f"entrywise must be True or False, got {entrywise!r}")
    a = a.astype(np.float64, copy=False)
    n = n.astype(np.float64, copy=False)
    if a.size == 0:
        return 0.0
    if not (np.isfinite(a).all() and np.isfinite(n).all()):
        return float("nan")
    diff = np.abs(a - n)
    size = np.maximum(np.abs(a), np.abs(n))
    if entrywise:
        ratio = np.zeros_like(diff)
        np.divide(diff, size, out=ratio, where=size > 0)
        return float(np.max(ratio))
    scale = float(np.max(size))
    return float(np.max(diff)) / scale if scale > 0 else 0.0


def gradient_check(
    f: Callable[[NDArray[np.float64]], float],
    grad_f: Callable[[NDArray[np.float64]], ArrayLike],
    x: ArrayLike,
    eps: float = 1e-6,
) -> float:
    r"""Largest relative error between an analytic gradient and central differences.

    Parameters
    ----------
    f : callable
        Scalar function of an array of the shape of `x`.
    grad_f : callable
        Its claimed gradient: returns an array of the shape of `x`.
    x : array_like of any shape
        Where to check; keep away from kinks (ReLU at 0).
    eps : float, default 1e-6
        Step of the central differences, as in :func:`numerical_gradient`.

    Returns
    -------
    float
        ``relative_error(analytic, numeric)``: the largest entry of :math:`|a - n|`
        divided by the largest entry of :math:`|a|` and :math:`|n|` (0 when both
        gradients are exactly 0; NaN, a failed check, when either holds NaN or
        inf).  The book and the tests of this package pass a gradient below
        ``1e-7`` in float64.

    See Also
    --------
    numerical_gradient : the numerical side of the comparison.
    relative_error : the measure, and its entrywise form.

    Notes
    -----
    With :math:`g` the analytic and :math:`\tilde g` the numerical gradient,

    .. math:: \text{err} = \frac{\max_i |g_i - \tilde g_i|}{\max_i \max(|g_i|, |\tilde g_i|)}

    that is, every entry's error relative to the scale of the whole gradient.
    Dividing each entry by its own size instead (CS231n's entrywise form, for
    which its thresholds of ``1e-7`` and ``1e-2`` are quoted) flags correct
    gradients: the rounding error of a central difference is about
    :math:`10^{-16}|f|/h \approx 10^{-10}|f|` in every entry, so an entry whose
    true value is tiny (a class with probability :math:`10^{-9}`) gets a large
    relative error however right it is.  A wrong formula (a missing term, a
    wrong factor) shows up at the scale of the gradient, far above ``1e-7``;
    an error confined to entries far smaller than the largest does not, and
    ``relative_error(analytic, numeric, entrywise=True)`` is the measure that sees it.

    Examples
    --------
    >>> import numpy as np
    >>> import nnmath
    >>> z = np.array([1.0, 2.0, 3.0])
    >>> err = nnmath.gradient_check(
    ...     lambda z: nnmath.softmax_cross_entropy(z, 0),
    ...     lambda z: nnmath.softmax_cross_entropy_grad(z, 0),
    ...     z,
    ... )
    >>> bool(err < 1e-7)
    True
    >>> wrong = nnmath.gradient_check(
    ...     lambda z: nnmath.softmax_cross_entropy(z, 0),
    ...     lambda z: nnmath.softmax(z),  # forgot to subtract y
    ...     z,
    ... )
    >>> bool(wrong > 1e-2)
    True
    """
    numeric = numerical_gradient(f, x, eps)
    analytic = as_float_array(grad_f(np.array(x, dtype=np.float64)), "grad_f(x)")
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"grad_f(x) has shape {analytic.shape} but x has shape {numeric.shape}; they must match"
        )
    return relative_error(analytic, numeric)
