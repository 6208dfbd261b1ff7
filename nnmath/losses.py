"""Cross-entropy losses and their gradients, value and gradient side by side.

Binary (one probability or logit per sample):
:func:`binary_cross_entropy` / :func:`binary_cross_entropy_grad` take
probabilities, :func:`binary_cross_entropy_with_logits` /
:func:`binary_cross_entropy_with_logits_grad` take logits.

Categorical (a row of ``K`` classes per sample, class axis last):
:func:`cross_entropy` / :func:`cross_entropy_grad` take probabilities,
:func:`softmax_cross_entropy` / :func:`softmax_cross_entropy_grad` take logits.
The target `y` is either integer class labels of shape ``z.shape[:-1]`` or
probability rows (one-hot, soft labels) of the same shape as the input; a
one-dimensional input of shape ``(K,)`` is one sample.

Every function takes ``reduction="mean" | "sum" | "none"``.  ``"mean"``
averages over samples (N rows for the categorical losses, every element for
the binary ones) and its gradient carries the factor :math:`1/N`; ``"sum"``
and ``"none"`` give the per-sample gradient.

Probability-input losses compute the true value, ``+inf`` included (a correct
class given probability 0), with :math:`0 \\log 0 = 0`; a term whose target
weight is 0 contributes exactly 0 to the loss and to the gradient, so no
``0/0`` ever becomes NaN.  Prefer the logit forms: they are exact where the
probability forms have already lost information.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnmath._validation import (
    as_array,
    as_float_array,
    check_class_axis,
    check_labels,
    check_logits,
    check_num_classes,
    check_reduction,
    check_rows_sum_to_one,
    check_same_shape,
    check_unit_interval,
    working_dtype,
)
from nnmath.activations import (
    _narrow,
    _prepare_logits,
    _shift,
    _softmax_from,
    _sum_exp_shifted,
)

# A reduced loss is a NumPy scalar of the input's dtype; reduction="none" gives an array.
Loss = np.floating | NDArray[np.floating]

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "one_hot",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
]


# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------


def _reduce(per_sample: NDArray, reduction: str, n_samples: int, name: str):
    """Apply a reduction to per-sample losses (float16 ones are added up in float32).

    A mean whose sum overflows (two losses of 1e308) is taken of the losses divided
    by their number first: it is finite when every loss is.
    """
    if reduction == "none":
        return per_sample
    acc = working_dtype(per_sample.dtype)
    with np.errstate(over="ignore"):
        total = np.sum(per_sample, dtype=acc)
    if reduction == "mean":
        if n_samples == 0:
            raise ValueError(f"{name} holds no samples, so reduction='mean' is undefined")
        if np.isinf(total) and np.isfinite(per_sample).all():
            total = np.sum(np.divide(per_sample, n_samples, dtype=acc))
        else:
            total = total / n_samples
    with np.errstate(over="ignore"):  # a float16 sum beyond 65504 is inf, as it should be
        return total.astype(per_sample.dtype)


def _scale_grad(grad: NDArray, reduction: str, n_samples: int) -> NDArray:
    if reduction == "mean" and n_samples > 1:
        grad /= grad.dtype.type(n_samples)
    return grad


def _categorical_target(
    y: ArrayLike, a: NDArray, a_name: str
) -> tuple[NDArray | None, NDArray | None]:
    """Interpret `y` against inputs `a` of shape (..., K).

    Returns ``(labels, None)`` for integer labels of shape ``a.shape[:-1]`` and
    ``(None, rows)`` for probability rows of shape ``a.shape``.
    """
    y_arr = as_array(y, "y")
    k = a.shape[-1]
    if y_arr.shape == a.shape:
        rows = as_float_array(y_arr, "y")
        check_unit_interval(rows, "y")
        check_rows_sum_to_one(rows, "y")
        return None, rows.astype(a.dtype, copy=False)
    if y_arr.shape == a.shape[:-1]:
        if y_arr.dtype.kind not in "iu":
            raise TypeError(
                f"y has shape {y_arr.shape}, the shape of class labels for {a_name} of shape "
                f"{a.shape}, so it must hold integers, got dtype {y_arr.dtype} (pass "
                f"probability rows of shape {a.shape} for soft targets)"
            )
        return check_labels(y_arr, "y", k), None
    raise ValueError(
        f"y has shape {y_arr.shape} but {a_name} has shape {a.shape}; y must be class labels "
        f"of shape {a.shape[:-1]} or probability rows of shape {a.shape}"
    )


def _gather(a: NDArray, labels: NDArray) -> NDArray:
    """``a[..., labels]`` row by row: the entry of each row at its label."""
    return np.take_along_axis(a, labels[..., None], axis=-1)[..., 0]


def _add_at_labels(g: NDArray, labels: NDArray, value) -> None:
    """``g[..., labels] += value`` row by row, in place, for any memory layout of `g`."""
    idx = labels[..., None]
    add = np.asarray(value, dtype=g.dtype)[..., None] if np.ndim(value) else value
    np.put_along_axis(g, idx, np.take_along_axis(g, idx, axis=-1) + add, axis=-1)


def _n_rows(a: NDArray) -> int:
    return a.size // a.shape[-1]


def _binary_inputs(p: ArrayLike, y: ArrayLike, p_name: str) -> tuple[NDArray, NDArray]:
    a = as_float_array(p, p_name)
    t = as_float_array(y, "y")
    check_same_shape(a, t, p_name, "y")
    if p_name == "p":
        check_unit_interval(a, "p")
    else:
        check_logits(a, p_name)
    check_unit_interval(t, "y")
    return a, t.astype(a.dtype, copy=False)


# --------------------------------------------------------------------------
# Binary cross-entropy
# --------------------------------------------------------------------------


def binary_cross_entropy(p: ArrayLike, y: ArrayLike, reduction: str = "mean") -> Loss:
    r"""Binary cross-entropy of predicted probabilities `p` against targets `y`.

    Parameters
    ----------
    p : array_like of shape (n_samples,) or any shape
        Predicted probabilities of the positive class, in [0, 1].
    y : array_like of the same shape as `p`
        Targets in [0, 1] (usually 0 or 1; soft targets are allowed).
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` averages over every element, ``"none"`` returns the
        elementwise losses.

    Returns
    -------
    scalar or ndarray of the shape of `p`
        The loss, with the dtype of `p`.  ``+inf`` where a target of weight
        :math:`> 0` is given probability 0 (the true value, never clipped).

    See Also
    --------
    binary_cross_entropy_grad : its gradient with respect to `p`.
    binary_cross_entropy_with_logits : the same loss from logits, exact in the tails.

    Notes
    -----
    .. math:: \ell(p, y) = -\bigl(y \log p + (1 - y) \log(1 - p)\bigr)

    with :math:`0 \log 0 = 0`.  Frameworks clip instead (PyTorch caps the
    log at -100, Keras clips `p` to :math:`[10^{-7}, 1 - 10^{-7}]`), which
    hides how wrong a confident mistake is.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.binary_cross_entropy([0.9, 0.2], [1, 0], reduction="none").round(4))
    [0.1054 0.2231]
    >>> print(nnmath.binary_cross_entropy([0.0, 1.0], [1, 1], reduction="none"))
    [inf  0.]
    """
    reduction = check_reduction(reduction)
    a, t = _binary_inputs(p, y, "p")
    loss = np.zeros_like(a)
    rest = np.zeros_like(a)
    u = 1 - t
    with np.errstate(divide="ignore"):
        np.log(a, out=loss, where=t != 0)
        np.log(1 - a, out=rest, where=u != 0)
    loss *= t  # exactly 0 where t == 0; -inf where t > 0 and p == 0
    rest *= u
    loss += rest
    np.negative(loss, out=loss)
    loss += 0  # turn -0.0 into 0.0
    return _reduce(loss, reduction, a.size, "p")


def binary_cross_entropy_grad(
    p: ArrayLike, y: ArrayLike, reduction: str = "mean"
) -> NDArray[np.floating]:
    r"""Gradient of :func:`binary_cross_entropy` with respect to the probabilities `p`.

    Parameters
    ----------
    p : array_like of any shape
        Predicted probabilities in [0, 1].
    y : array_like of the same shape as `p`
        Targets in [0, 1].
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the number of elements :math:`N`; ``"sum"`` and
        ``"none"`` give the per-element gradient.

    Returns
    -------
    ndarray of the shape of `p`
        :math:`\partial L / \partial p`.  A term with target weight 0
        contributes exactly 0 (so the gradient at ``p = 0, y = 0`` is 1);
        ``-inf`` or ``+inf`` where the loss itself is infinite.

    See Also
    --------
    binary_cross_entropy : the loss.
    binary_cross_entropy_with_logits_grad : through a sigmoid it becomes
        :math:`\sigma(z) - y`.

    Notes
    -----
    .. math:: \frac{\partial \ell}{\partial p} = -\frac{y}{p} + \frac{1 - y}{1 - p}
              = \frac{p - y}{p(1 - p)}

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.binary_cross_entropy_grad([0.5, 0.0], [1, 0], reduction="none"))
    [-2.  1.]
    """
    reduction = check_reduction(reduction)
    a, t = _binary_inputs(p, y, "p")
    grad = np.zeros_like(a)
    rest = np.zeros_like(a)
    u = 1 - t
    with np.errstate(divide="ignore", over="ignore"):  # y / 5e-324 is beyond the range: inf
        np.divide(t, a, out=grad, where=t != 0)
        np.divide(u, 1 - a, out=rest, where=u != 0)
    np.subtract(rest, grad, out=grad)
    return _scale_grad(grad, reduction, a.size)


def binary_cross_entropy_with_logits(z: ArrayLike, y: ArrayLike, reduction: str = "mean") -> Loss:
    r"""Binary cross-entropy of :math:`\sigma(z)` against `y`, computed from the logits `z`.

    Parameters
    ----------
    z : array_like of any shape
        Logits (finite or ``-inf``; NaN and ``+inf`` are rejected).
    y : array_like of the same shape as `z`
        Targets in [0, 1].
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    scalar or ndarray of the shape of `z`
        The loss, with the dtype of `z`.

    See Also
    --------
    binary_cross_entropy_with_logits_grad : its gradient, :math:`\sigma(z) - y`.
    binary_cross_entropy : the same loss from probabilities.

    Notes
    -----
    With :math:`\operatorname{softplus}(x) = \log(1 + e^x)`,

    .. math:: \ell(z, y) = y\,\operatorname{softplus}(-z) + (1 - y)\operatorname{softplus}(z)
              = \log\bigl(1 + e^{-|z|}\bigr) + y \max(-z, 0) + (1 - y) \max(z, 0)

    which never overflows and keeps full accuracy where :math:`\sigma(z)`
    would round to 0 or 1.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.binary_cross_entropy_with_logits([-50.0, 0.0], [1, 1], reduction="none"))
    [50.          0.69314718]
    """
    reduction = check_reduction(reduction)
    a, t = _binary_inputs(z, y, "z")
    shape = a.shape
    a, t = np.atleast_1d(a), np.atleast_1d(t)  # in-place steps need arrays, not NumPy scalars
    loss = np.abs(a)
    np.negative(loss, out=loss)
    np.exp(loss, out=loss)
    np.log1p(loss, out=loss)
    neg = np.maximum(np.negative(a), 0)  # +inf where z = -inf
    np.multiply(t, neg, out=neg, where=t != 0)
    np.add(loss, neg, out=loss, where=t != 0)
    pos = np.maximum(a, 0)
    pos *= 1 - t
    loss += pos
    return _reduce(loss.reshape(shape), reduction, a.size, "z")


def binary_cross_entropy_with_logits_grad(
    z: ArrayLike, y: ArrayLike, reduction: str = "mean"
) -> NDArray[np.floating]:
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to the logits `z`.

    Parameters
    ----------
    z : array_like of any shape
        Logits.
    y : array_like of the same shape as `z`
        Targets in [0, 1].
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the number of elements :math:`N`.

    Returns
    -------
    ndarray of the shape of `z`

    See Also
    --------
    binary_cross_entropy_with_logits : the loss.
    nnmath.softmax_cross_entropy_grad : the categorical twin, :math:`p - y`.

    Notes
    -----
    .. math:: \frac{\partial \ell}{\partial z} = \sigma(z) - y

    the binary twin of :math:`p - y`.  Chaining a sigmoid with the
    probability form instead loses the gradient once :math:`\sigma(z)` rounds
    to 0 or 1.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.binary_cross_entropy_with_logits_grad([-50.0, 0.0], [1, 1], reduction="sum"))
    [-1.  -0.5]
    """
    from nnmath.activations import sigmoid

    reduction = check_reduction(reduction)
    a, t = _binary_inputs(z, y, "z")
    grad = sigmoid(a)
    grad -= t
    return _scale_grad(grad, reduction, a.size)


# --------------------------------------------------------------------------
# Categorical cross-entropy
# --------------------------------------------------------------------------


def _probabilities(p: ArrayLike) -> NDArray[np.floating]:
    a = as_float_array(p, "p")
    check_class_axis(a, "p")
    check_unit_interval(a, "p")
    check_rows_sum_to_one(a, "p")
    return a


def cross_entropy(p: ArrayLike, y: ArrayLike, reduction: str = "mean") -> Loss:
    r"""Categorical cross-entropy of predicted probability rows `p` against `y`.

    Parameters
    ----------
    p : array_like of shape (n_samples, n_classes) or (n_classes,)
        Probabilities: entries in [0, 1], rows summing to 1.
    y : array_like
        Integer class labels of shape (n_samples,) (a scalar for one sample), or
        target probability rows (one-hot or soft) of the same shape as `p`.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` averages over the samples, ``"none"`` returns one loss per
        sample.

    Returns
    -------
    scalar or ndarray of shape (n_samples,)
        ``+inf`` where a class with target weight :math:`> 0` has probability 0.

    See Also
    --------
    cross_entropy_grad : its gradient with respect to `p`.
    softmax_cross_entropy : the same loss from logits (use it when you have them).

    Notes
    -----
    .. math:: \ell(p, y) = -\sum_k y_k \log p_k

    with :math:`0 \log 0 = 0`; for a label :math:`c` this is :math:`-\log p_c`.

    Examples
    --------
    >>> import nnmath
    >>> p = [[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]]
    >>> print(nnmath.cross_entropy(p, [1, 1], reduction="none").round(4))
    [1.204  0.2231]
    >>> print(nnmath.cross_entropy([1/3, 1/3, 1/3], 0).round(4))
    1.0986
    """
    reduction = check_reduction(reduction)
    a = _probabilities(p)
    labels, rows = _categorical_target(y, a, "p")
    with np.errstate(divide="ignore"):
        if labels is not None:
            loss = np.log(_gather(a, labels))
        else:
            logp = np.zeros_like(a)
            np.log(a, out=logp, where=rows != 0)
            logp *= rows
            loss = np.sum(logp, axis=-1)
    loss = np.negative(loss)
    loss += 0
    return _reduce(loss, reduction, _n_rows(a), "p")


def cross_entropy_grad(p: ArrayLike, y: ArrayLike, reduction: str = "mean") -> NDArray[np.floating]:
    r"""Gradient of :func:`cross_entropy` with respect to the probabilities `p`.

    Parameters
    ----------
    p : array_like of shape (n_samples, n_classes) or (n_classes,)
        Probabilities: entries in [0, 1], rows summing to 1.
    y : array_like
        Integer labels of shape (n_samples,) or target rows of the shape of `p`.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the number of samples :math:`N`; ``"sum"`` and
        ``"none"`` give the per-sample gradient.

    Returns
    -------
    ndarray of the shape of `p`
        :math:`\partial L / \partial p`: exactly 0 where the target weight is
        0, ``-inf`` where a class with positive weight has probability 0.

    See Also
    --------
    cross_entropy : the loss.
    nnmath.softmax_jacobian : chain this gradient through it to reach the logits.
    softmax_cross_entropy_grad : the result of that chain, :math:`p - y`.

    Notes
    -----
    .. math:: \frac{\partial \ell}{\partial p_k} = -\frac{y_k}{p_k}

    (divided by :math:`N` for the mean).  This is the gradient on the simplex
    coordinates taken one at a time; the constraint :math:`\sum_k p_k = 1` is
    handled by chaining through the softmax Jacobian.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.cross_entropy_grad([0.2, 0.3, 0.5], 1))
    [ 0.         -3.33333333  0.        ]
    """
    reduction = check_reduction(reduction)
    a = _probabilities(p)
    labels, rows = _categorical_target(y, a, "p")
    grad = np.zeros_like(a)
    with np.errstate(divide="ignore", over="ignore"):  # 1 / 5e-324 is beyond the range: inf
        if labels is not None:
            _add_at_labels(grad, labels, -1 / _gather(a, labels))
        else:
            np.divide(rows, a, out=grad, where=rows != 0)
            np.negative(grad, out=grad)
    grad += 0
    return _scale_grad(grad, reduction, _n_rows(a))


def softmax_cross_entropy(z: ArrayLike, y: ArrayLike, reduction: str = "mean") -> Loss:
    r"""Cross-entropy of :math:`\operatorname{softmax}(z)` against `y`, from the logits `z`.

    Parameters
    ----------
    z : array_like of shape (n_samples, n_classes) or (n_classes,)
        Logits.  Finite values of any magnitude are fine; ``-inf`` masks a class.
    y : array_like
        Integer class labels of shape (n_samples,) (a scalar for one sample), or
        target probability rows (one-hot, soft labels, label smoothing) of the
        same shape as `z`.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` averages over the samples.

    Returns
    -------
    scalar or ndarray of shape (n_samples,)
        The loss, with the dtype of `z`.

    See Also
    --------
    softmax_cross_entropy_grad : its gradient, :math:`p - y`.
    cross_entropy : the same loss from probabilities.
    nnmath.logsumexp : the normaliser used here.

    Notes
    -----
    .. math:: \ell(z, y) = -\sum_k y_k \log \operatorname{softmax}(z)_k
              = \sum_k y_k \bigl((m - z_k) + \log s\bigr),
              \qquad m = \max_j z_j, \quad s = \sum_j e^{z_j - m}

    For a label :math:`c` this is :math:`(m - z_c) + \log s`, which is
    :math:`\operatorname{logsumexp}(z) - z_c`: no probability is ever formed, so
    nothing underflows to 0 before its log.  Both terms are at least 0, so the loss is
    exact to a few ulps at any magnitude of the logits (``logsumexp(z) - z_c`` rounds
    :math:`\log s` to the spacing of the numbers near :math:`m` first).

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.softmax_cross_entropy([1.0, 2.0, 3.0], 0).round(8))
    2.40760596
    >>> print(nnmath.softmax_cross_entropy([0.0, 200.0], 0))
    200.0
    >>> z = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
    >>> print(nnmath.softmax_cross_entropy(z, [2, 1], reduction="none").round(4))
    [0.4076 1.0986]
    """
    reduction = check_reduction(reduction)
    a, ax, m, dtype = _prepare_logits(z, "z", -1)
    labels, rows = _categorical_target(y, a, "z")
    log_s = _sum_exp_shifted(a, ax, m)
    np.log(log_s, out=log_s)
    # (m - z_c) + log s, never (m + log s) - z_c: both terms are >= 0, nothing cancels.
    if labels is not None:
        loss = -_shift(_gather(a, labels), m[..., 0])  # +inf where the true class is masked
        loss += log_s[..., 0]
    else:
        loss = _soft_loss(a, m, log_s, rows)
        if a.dtype != np.float64 and np.isinf(loss).any():
            # m - z_k beyond the range of float32 (3e38 - -3e38) times a weight below 1
            # can be a finite loss: those sums are made again in float64.
            wide = [v.astype(np.float64) for v in (a, m, log_s, rows)]
            loss = _soft_loss(*wide).astype(a.dtype)
    return _narrow(_reduce(loss, reduction, _n_rows(a), "z"), dtype)


def _soft_loss(a: NDArray, m: NDArray, log_s: NDArray, rows: NDArray) -> NDArray:
    """``-sum_k y_k ((z_k - m) - log s)`` per row; a class of weight 0 adds exactly 0."""
    logp = _shift(a, m)  # (z - m) - log s, -inf exactly at masked logits
    logp -= log_s
    with np.errstate(over="ignore"):  # a product beyond the range is inf, as the loss is
        np.multiply(logp, rows, out=logp, where=rows != 0)
    np.copyto(logp, 0, where=rows == 0)
    with np.errstate(over="ignore"):
        return -np.sum(logp, axis=-1) + 0  # + 0 turns -0.0 into 0.0


def softmax_cross_entropy_grad(
    z: ArrayLike, y: ArrayLike, reduction: str = "mean"
) -> NDArray[np.floating]:
    r"""Gradient of :func:`softmax_cross_entropy` with respect to the logits `z`.

    Parameters
    ----------
    z : array_like of shape (n_samples, n_classes) or (n_classes,)
        Logits.
    y : array_like
        Integer labels of shape (n_samples,) or target rows of the shape of `z`.
    reduction : {"mean", "sum", "none"}, default "mean"
        ``"mean"`` divides by the number of samples :math:`N`; ``"sum"`` and
        ``"none"`` give the per-sample gradient :math:`p - y`.

    Returns
    -------
    ndarray of the shape of `z`

    See Also
    --------
    softmax_cross_entropy : the loss.
    nnmath.softmax_jacobian : this gradient is :math:`J^\top` times
        :func:`cross_entropy_grad`, simplified.

    Notes
    -----
    .. math:: \frac{\partial \ell}{\partial z} = \Bigl(\sum_k y_k\Bigr) p - y,
              \qquad p = \operatorname{softmax}(z)

    which is :math:`p - y` whenever the targets sum to 1 (one-hot labels, soft
    labels, label smoothing).  With the mean over :math:`N` samples it is
    :math:`(P - Y)/N`.

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.softmax_cross_entropy_grad([1.0, 2.0, 3.0], 0).round(3))
    [-0.91   0.245  0.665]
    >>> print(nnmath.softmax_cross_entropy_grad([0.0, 200.0], 0))
    [-1.  1.]
    """
    reduction = check_reduction(reduction)
    a, ax, m, dtype = _prepare_logits(z, "z", -1)
    labels, rows = _categorical_target(y, a, "z")
    n = _n_rows(a)
    scale = n if reduction == "mean" and n > 1 else 1
    if labels is not None:
        # p / scale - onehot / scale, with the scale folded into the normaliser.
        grad = _shift(a, m)
        np.exp(grad, out=grad)
        s = np.sum(grad, axis=-1, keepdims=True)
        if scale != 1:
            s *= a.dtype.type(scale)
        grad /= s
        _add_at_labels(grad, labels, a.dtype.type(-1.0 / scale))
        return _narrow(grad, dtype)
    grad = _softmax_from(a, ax, m)
    grad *= np.sum(rows, axis=-1, keepdims=True)
    grad -= rows
    return _narrow(_scale_grad(grad, reduction, n), dtype)


def one_hot(labels: ArrayLike, num_classes: int) -> NDArray[np.float64]:
    r"""One-hot rows for integer class labels.

    Parameters
    ----------
    labels : array_like of integers, any shape (usually (n_samples,))
        Class indices in ``[0, num_classes)``.
    num_classes : int
        Number of classes :math:`K \ge 1`.

    Returns
    -------
    ndarray of shape ``labels.shape + (num_classes,)``, float64

    See Also
    --------
    softmax_cross_entropy : accepts the labels directly or these rows.

    Notes
    -----
    .. math:: \operatorname{one\_hot}(c)_k = \delta_{ck}

    Examples
    --------
    >>> import nnmath
    >>> print(nnmath.one_hot([0, 2], 3))
    [[1. 0. 0.]
     [0. 0. 1.]]
    """
    k = check_num_classes(num_classes)
    lab = check_labels(labels, "labels", k)
    out = np.zeros((*lab.shape, k), dtype=np.float64)
    np.put_along_axis(out, lab[..., None].astype(np.intp), 1.0, axis=-1)
    return out
