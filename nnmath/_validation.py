"""Input checking shared by every public function of :mod:`nnmath`.

Each check raises ``TypeError`` (wrong kind of input) or ``ValueError`` (right
kind, wrong values) with a message that names the argument and says what is
wrong with it, e.g. ``"z contains NaN at index (1, 2)"``.

The checks are meant to run on every call, also inside training loops and
benchmarks, so they are cheap: a reduction (``min``/``max``) over the data,
which allocates nothing of the input's size.  Only once a check has failed do
they spend more work, to find and report the first offending index.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

REDUCTIONS = ("mean", "sum", "none")
ROW_SUM_TOL = 1e-5


def _index(idx) -> str:
    """Format an index tuple the way NumPy users write it: ``(1, 2)``."""
    return "(" + ", ".join(str(int(i)) for i in idx) + ("," if len(idx) == 1 else "") + ")"


def _subscript(idx) -> str:
    """Format an index tuple as a subscript: ``1, 2`` (empty for a scalar)."""
    return ", ".join(str(int(i)) for i in idx)


def _first(mask: NDArray[np.bool_]) -> str:
    """Index of the first True entry of ``mask``, formatted."""
    return _index(np.unravel_index(int(np.argmax(mask)), mask.shape))


def as_array(x: object, name: str) -> NDArray:
    """``np.asarray(x)``, with any failure to convert reported as a ``TypeError`` naming `name`.

    Nested lists of different lengths, and objects whose ``__array__`` raises (a
    PyTorch tensor that requires grad, say), make NumPy raise errors that name no
    argument; here they say which argument it was and how to convert it.
    """
    try:
        return np.asarray(x)
    except Exception as exc:  # NumPy's ValueError for ragged lists; anything __array__ raises
        if isinstance(exc, ValueError) and "inhomogeneous" in str(exc):
            why = "its nested sequences have different lengths (a ragged array)"
        else:
            text = str(exc).rstrip(". ")
            why = (
                f"converting the {type(x).__name__} raised {type(exc).__name__}: {text}. "
                "Convert it to a NumPy array first (a PyTorch tensor t: "
                "t.detach().cpu().numpy())"
            )
        raise TypeError(f"{name} cannot be converted to a numeric array: {why}") from None


def as_float_array(x: ArrayLike, name: str) -> NDArray[np.floating]:
    """Convert ``x`` to a floating array without copying floating input.

    float16, float32 and float64 arrays keep their dtype (float32 stays float32);
    booleans and integers become float64.  Strings, objects, complex numbers,
    extended precision (``np.longdouble``) and other kinds raise ``TypeError``.
    """
    a = as_array(x, name)
    kind = a.dtype.kind
    if kind == "f" and a.dtype.char in "efd":  # float16, float32, float64
        return a
    if kind in "biu":
        return a.astype(np.float64)
    if kind == "f":
        raise TypeError(
            f"{name} has dtype {a.dtype} (np.longdouble), which nnmath does not compute in: "
            "its functions work in float16, float32 and float64 only. Convert it with "
            f"np.asarray({name}, dtype=np.float64)"
        )
    if kind == "c":
        raise TypeError(f"{name} must be real, got complex dtype {a.dtype}")
    raise TypeError(f"{name} must be a real numeric array, got dtype {a.dtype}")


def working_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype nnmath computes in for inputs of `dtype`: float32 for float16, else itself.

    float16 overflows at 65504 and carries 11 bits: a sum of exponentials, a
    temperature or a slope leaves its range long before the result does.  Such
    inputs are computed in float32 and the result rounded once to float16.
    """
    return np.dtype(np.float32) if dtype == np.float16 else np.dtype(dtype)


def check_no_nan(a: NDArray[np.floating], name: str) -> None:
    """Raise ``ValueError`` if ``a`` contains a NaN (``min`` propagates NaN)."""
    if a.size and np.isnan(np.min(a)):
        raise ValueError(f"{name} contains NaN at index {_first(np.isnan(a))}")


def check_class_axis(a: NDArray, name: str, axis: int = -1) -> int:
    """Return ``axis`` normalised to ``0 <= axis < a.ndim``; the axis must be non-empty."""
    if a.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension (the class axis), got a scalar")
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer, got {axis!r}")
    if not -a.ndim <= axis < a.ndim:
        raise ValueError(f"axis {axis} is out of range for {name} with shape {a.shape}")
    axis = int(axis) % a.ndim
    if a.shape[axis] == 0:
        raise ValueError(f"{name} has an empty class axis (shape {a.shape}, axis {axis})")
    return axis


def check_row_max(m: NDArray, a: NDArray, name: str, axis: int) -> None:
    """Check logits through their row maxima ``m`` (keepdims form).

    ``np.max`` propagates NaN, so a row's maximum is NaN if the row holds a NaN,
    +inf if it holds +inf, and -inf if every entry is -inf.  Checking the
    small array ``m`` therefore validates the whole of ``a`` at no extra cost.
    """
    if np.isfinite(m).all():
        return
    nan = np.isnan(a)
    if nan.any():
        raise ValueError(f"{name} contains NaN at index {_first(nan)}")
    pinf = np.isposinf(a)
    if pinf.any():
        raise ValueError(
            f"{name} contains +inf at index {_first(pinf)}; logits may be -inf "
            "(a masked class) but not +inf"
        )
    row = np.squeeze(np.isneginf(m), axis=axis)
    where = f"a row of only -inf logits at index {_first(row)}" if row.ndim else "only -inf logits"
    raise ValueError(f"{name} has {where}; at least one logit per row must be finite")


def check_logits(a: NDArray, name: str) -> None:
    """Elementwise logits (binary losses): no NaN and no +inf; -inf is allowed."""
    if a.size == 0:
        return
    hi = np.max(a)
    if np.isfinite(hi) or hi == -np.inf:
        return
    nan = np.isnan(a)
    if nan.any():
        raise ValueError(f"{name} contains NaN at index {_first(nan)}")
    raise ValueError(
        f"{name} contains +inf at index {_first(np.isposinf(a))}; logits must be finite or -inf"
    )


def check_unit_interval(a: NDArray, name: str) -> None:
    """Every entry of ``a`` lies in [0, 1] (NaN fails too)."""
    if a.size == 0:
        return
    lo, hi = np.min(a), np.max(a)
    if lo >= 0 and hi <= 1:
        return
    nan = np.isnan(a)
    if nan.any():
        raise ValueError(f"{name} contains NaN at index {_first(nan)}")
    bad = (a < 0) | (a > 1)
    idx = np.unravel_index(int(np.argmax(bad)), a.shape)
    where = f"{name}[{_subscript(idx)}]" if a.ndim else name
    raise ValueError(f"{name} must lie in [0, 1] (probabilities), but {where} = {float(a[idx]):g}")


def row_sum_tolerance(dtype: np.dtype) -> float:
    """How far from 1 a row of probabilities of `dtype` may sum: :data:`ROW_SUM_TOL`, or
    twice the dtype's machine epsilon where that is larger (float16: 0.00195)."""
    return max(ROW_SUM_TOL, 2 * float(np.finfo(dtype).eps))


def check_rows_sum_to_one(a: NDArray, name: str, axis: int = -1) -> None:
    """Rows of a probability array sum to 1 within :func:`row_sum_tolerance` of its dtype.

    The sums are taken in float64, so that they say what the rows hold rather than
    how a narrow dtype rounds their sum.
    """
    if a.size == 0:
        return
    tol = row_sum_tolerance(a.dtype)
    s = np.sum(a, axis=axis, dtype=np.float64)
    dev = np.abs(s - 1)
    if np.max(dev) <= tol:
        return
    bad = dev > tol
    idx = np.unravel_index(int(np.argmax(bad)), bad.shape)
    which = f"the row at index {_index(idx)} sums" if bad.ndim else "it sums"
    raise ValueError(
        f"{name} rows must sum to 1 (tolerance {tol:.3g} for {a.dtype}), but {which} to "
        f"{float(s[idx]):.6g}"
    )


def check_reduction(reduction: object) -> str:
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    return reduction


def check_gelu_approximate(approximate: object) -> bool:
    """``approximate`` of GELU: None or ``"none"`` (exact, False) or ``"tanh"`` (True)."""
    if approximate is None or (isinstance(approximate, str) and approximate == "none"):
        return False
    if isinstance(approximate, str) and approximate == "tanh":
        return True
    expected = "approximate must be None (or 'none') for the exact form, or 'tanh'"
    if isinstance(approximate, bool):
        raise TypeError(
            f"{expected}, got {approximate!r} (JAX's approximate=True is approximate='tanh' "
            "here, its approximate=False is approximate=None)"
        )
    if isinstance(approximate, str):
        raise ValueError(f"{expected}, got {approximate!r}")
    raise TypeError(f"{expected}, got {approximate!r}")


def check_temperature(temperature: object) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        if isinstance(temperature, np.ndarray) and temperature.ndim == 0:
            return check_temperature(temperature.item())
        raise TypeError(f"temperature must be a real number, got {temperature!r}")
    t = float(temperature)
    if not t > 0 or not np.isfinite(t):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    return t


def check_real_scalar(value: object, name: str) -> float:
    """A finite real Python or NumPy scalar, returned as ``float``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def check_slope(alpha: object, dtype: np.dtype) -> float:
    """The slope `alpha` of Leaky ReLU: a finite real number within the range of `dtype`."""
    slope = check_real_scalar(alpha, "alpha")
    largest = float(np.finfo(dtype).max)
    if abs(slope) > largest:
        raise ValueError(
            f"alpha = {slope:g} lies beyond the range of {np.dtype(dtype)}, the dtype of x "
            f"(largest {largest:.5g}): the slope itself would be inf. Use a smaller alpha, or "
            "x in float64"
        )
    return slope


def check_labels(labels: ArrayLike, name: str, num_classes: int) -> NDArray[np.integer]:
    """Integer class labels in ``[0, num_classes)``, returned as an integer array."""
    a = as_array(labels, name)
    if a.dtype.kind not in "iu":
        raise TypeError(f"{name} holds class labels, which must be integers, got dtype {a.dtype}")
    if a.size:
        lo, hi = np.min(a), np.max(a)
        if lo < 0 or hi >= num_classes:
            bad = (a < 0) | (a >= num_classes)
            idx = np.unravel_index(int(np.argmax(bad)), a.shape)
            where = f"{name}[{_subscript(idx)}]" if a.ndim else name
            raise ValueError(
                f"class labels in {name} must lie in [0, {num_classes}), "
                f"but {where} = {int(a[idx])}"
            )
    return a


def check_num_classes(num_classes: object) -> int:
    if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral):
        raise TypeError(f"num_classes must be an integer, got {num_classes!r}")
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    return int(num_classes)


def check_same_shape(a: NDArray, b: NDArray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b} has shape {b.shape} but {name_a} has shape {a.shape}; they must match"
        )


def check_int(
    value: object, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """A Python or NumPy integer (not a bool) in ``[minimum, maximum]``, returned as ``int``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return int(value)


def check_real(
    value: object, name: str, *, minimum: float | None = None, strict: bool = False
) -> float:
    """A finite real scalar, at least ``minimum`` (above it if ``strict``), as ``float``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    too_small = minimum is not None and (v < minimum or (strict and v == minimum))
    if not np.isfinite(v) or too_small:
        bound = "" if minimum is None else f" {'>' if strict else '>='} {minimum:g}"
        raise ValueError(f"{name} must be a finite number{bound}, got {value!r}")
    return v
