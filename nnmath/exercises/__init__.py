"""Exercises that grade themselves: write the function, then ``check`` it against nnmath.

:func:`check` runs your function on many inputs, edge cases included (kinks,
extreme logits, probabilities of 0 and 1, float32, soft targets, batches and
single samples), compares every result with nnmath's, and prints a verdict: the
first failing input with the expected and the received values and what went
wrong, or "all N checks pass".  It returns a :class:`CheckResult` that is true
only when every check passes.  A wrong answer, an exception or an unfinished
stub never makes ``check`` raise, so a notebook still runs top to bottom; only
misuse does (an unknown exercise name, something that is not a function).

:data:`NAMES` lists the exercises, :func:`describe` shows what one asks for and
what it checks.

Examples
--------
An unfinished stub:

>>> from nnmath.exercises import check
>>> def relu_grad(x):
...     raise NotImplementedError("your code here")
>>> result = check("relu_grad", relu_grad)
relu_grad: all 11 checks fail.
<BLANKLINE>
Check 1 of 11: a vector of mixed signs
  x        = array([-2. , -0.5,  0.5,  3. ])
  expected = array([0., 0., 1., 1.])
  received = (nothing: the function raised an exception)
  Not written yet: the function raised NotImplementedError: your code here.
    Replace the `raise NotImplementedError` line with your code and run the
    cell again.
<BLANKLINE>
The other 10 checks fail the same way.
>>> bool(result)
False

A common mistake, ``x >= 0``, fails only at the kink, and the verdict says why:

>>> def relu_grad(x):
...     return (x >= 0).astype(x.dtype)
>>> result = check("relu_grad", relu_grad)
relu_grad: 4 of 11 checks fail.
<BLANKLINE>
Check 4 of 11: the kink: x = 0 and x = -0.0
  x        = array([-1. , -0. ,  0. ,  0.5])
  expected = array([0., 0., 0., 1.])
  received = array([0., 1., 1., 1.])
  Wrong value: the result at index (1,) is 1.0, expected 0.0 (2 of 4 entries
    differ)
  Hint: At x = -0.0 your function returns 1.0. (-0.0 counts as 0:
    `-0.0 >= 0` is True.) ReLU has no derivative at 0: its slope is 0 on the
    left and 1 on the right. The convention, as in PyTorch, TensorFlow, JAX
    and nnmath, is relu'(0) = 0, so test `x > 0`, not `x >= 0`.
<BLANKLINE>
Also failing: check 5, kinks inside a matrix (wrong value); check 6, a 0-d
array at the kink, np.array(0.0) (wrong value); check 9, float32 at the kink
(wrong value).
>>> result.first_failure.kind
'wrong value'

The right answer:

>>> def relu_grad(x):
...     return (x > 0).astype(x.dtype)
>>> result = check("relu_grad", relu_grad)
relu_grad: all 11 checks pass.
>>> bool(result), result.n_checks
(True, 11)
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from nnmath.exercises._catalog import EXERCISES as _EXERCISES
from nnmath.exercises._core import (
    FAILURE_KINDS,
    TIME_LIMIT,
    CheckResult,
    Exercise,
    Failure,
    run,
)

__all__ = [
    "EXERCISES",
    "FAILURE_KINDS",
    "NAMES",
    "TIME_LIMIT",
    "CheckResult",
    "Exercise",
    "Failure",
    "check",
    "describe",
]

#: Every exercise, by name (read-only).
EXERCISES = MappingProxyType(_EXERCISES)

#: The names of the exercises, in the order of the chapters.
NAMES: tuple[str, ...] = tuple(_EXERCISES)


class _Text(str):
    """A string that a notebook shows as text, not as a quoted repr."""

    def __repr__(self) -> str:
        return str(self)


def _exercise(name: object) -> Exercise:
    valid = ", ".join(repr(n) for n in NAMES)
    if not isinstance(name, str):
        raise TypeError(
            f"name must be the name of an exercise as a string, one of {valid}; got "
            f"{type(name).__name__} (the call is check(name, function))"
        )
    if name not in _EXERCISES:
        close = difflib.get_close_matches(name, NAMES, n=1)
        guess = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"name {name!r} is not an exercise; the exercises are {valid}.{guess}")
    return _EXERCISES[name]


def describe(name: str) -> str:
    """What the exercise `name` asks for and the list of its checks.

    Parameters
    ----------
    name : str
        One of :data:`NAMES`.

    Returns
    -------
    str
        Signature, chapter, description and numbered checks.  A notebook shows
        it as plain text; ``print`` it elsewhere.

    Raises
    ------
    TypeError, ValueError
        If `name` is not a string or not an exercise (the message lists them).

    Examples
    --------
    >>> from nnmath.exercises import describe
    >>> print(describe("softmax").splitlines()[0])
    softmax(z)  (chapter 2): a numerically stable softmax along the last axis.
    """
    return _Text(_exercise(name).describe())


def check(
    name: str,
    function: Callable[..., Any],
    *,
    quiet: bool = False,
    time_limit: float | None = None,
) -> CheckResult:
    """Check a function written for the exercise `name` against nnmath, and print the verdict.

    Parameters
    ----------
    name : str
        The exercise, one of :data:`NAMES` (see :func:`describe`).
    function : callable
        Your function, with the signature the exercise states.  It is called on
        copies of every input, so it cannot spoil them for the next check.
    quiet : bool, default False
        If true, print nothing; the verdict is still ``str(result)``.
    time_limit : float, optional
        Seconds each check may take, a call of `function` and its comparison
        (default :data:`TIME_LIMIT`, 5 s; set ``nnmath.exercises.TIME_LIMIT`` to change
        it for every check, ``float("inf")`` for none).  A check that runs out of time
        fails as "too slow", its call is stopped, and the checks after it are not run.

    Returns
    -------
    CheckResult
        True only if every check passes; ``result.failures`` holds each failing
        check (``first_failure`` the first) with its input, the expected and the
        received values, the kind of failure and a hint.

    Raises
    ------
    TypeError
        If `name` is not a string, `function` is not callable or `time_limit` is not a
        number.
    ValueError
        If `name` is not an exercise, or `time_limit` is not above 0.
    KeyboardInterrupt
        If you interrupt the kernel while a check runs (the check's call is stopped).

    Notes
    -----
    Whatever `function` does, returns or raises, ``check`` reports it and does
    not raise: ``sys.exit()``, ``GeneratorExit`` or a ``KeyboardInterrupt`` raised by
    the function itself are reported like any other exception, and a function that
    sleeps or loops forever is stopped at the time limit.  Each call runs on a worker
    thread, so it cannot hang the notebook; only ending the whole process
    (``os._exit``) or crashing the interpreter is beyond what ``check`` can catch.

    Values are compared entry by entry with a relative tolerance of 1e-6 (1e-4 for
    float32) plus a tiny absolute one; NaN, inf, the shape and the dtype must match
    exactly.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.exercises import check
    >>> def softmax(z):
    ...     e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    ...     return e / np.sum(e, axis=-1, keepdims=True)
    >>> bool(check("softmax", softmax, quiet=True))
    True
    """
    exercise = _exercise(name)
    if not callable(function):
        raise TypeError(
            f"function must be callable: pass the function itself, as in "
            f"check({name!r}, {name}), not its result; got {type(function).__name__}"
        )
    limit = _time_limit(time_limit)
    result = run(exercise, function, limit)
    if not quiet:
        print(result)
    return result


def _time_limit(value: object) -> float:
    """`time_limit` checked: None means :data:`TIME_LIMIT` as it is now."""
    if value is None:
        value = TIME_LIMIT
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"time_limit must be a number of seconds, got {value!r}")
    if not value > 0:  # NaN fails too
        raise ValueError(f"time_limit must be a number of seconds > 0, got {value!r}")
    return float(value)


def _module_doc() -> str:
    lines = ["", "Exercises", "---------", ""]
    for ex in _EXERCISES.values():
        lines.append(f"{ex.signature}  (chapter {ex.chapter})")
        lines.append(f"    {ex.summary[0].upper()}{ex.summary[1:]}")
        lines += ["    " + line.strip() for line in ex.description.strip().splitlines()]
        lines.append("")
    return "\n".join(lines)


__doc__ = (__doc__ or "") + _module_doc()
