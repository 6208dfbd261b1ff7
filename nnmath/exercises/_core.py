"""The machinery behind :func:`nnmath.exercises.check`: run, compare, explain.

An :class:`Exercise` pairs a reference (nnmath's answer, same signature as the
learner's function) with a list of :class:`Case` inputs.  :func:`run` calls the
learner's function on a copy of every case, compares what comes back with the
reference in a fixed order (structure, shape, dtype, NaN/inf, values, then side
effects and memory), and turns the first difference of each case into a
:class:`Failure` with a readable message and, where the mistake is a common
one, a hint.  Nothing the learner's function does can make :func:`run` raise.
"""

from __future__ import annotations

import html
import textwrap
import traceback
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["FAILURE_KINDS", "Case", "CheckResult", "Exercise", "Failure", "Mismatch", "run"]

#: Every kind of failure a check can report, in the order the checks are made.
FAILURE_KINDS = (
    "not implemented",  # the stub still raises NotImplementedError
    "exception",  # the function raised another exception
    "no result",  # it returned None
    "wrong type",  # not a numeric array, or not the tuple the exercise asks for
    "wrong shape",
    "wrong dtype",  # integers or booleans, or float64 where float32 was due
    "not finite",  # NaN or inf where the value is finite
    "wrong value",
    "changed input",  # it modified one of its arguments in place
    "memory",  # it allocated far more than the task needs
)

# |received - expected| <= ATOL + RTOL * |expected|, entry by entry, by dtype.  Wide enough
# for any correct order of operations, far too narrow for any mistake the exercises target.
_TOLERANCES = {np.dtype(np.float64): (1e-6, 1e-10), np.dtype(np.float32): (1e-4, 1e-6)}

_WIDTH = 76


@dataclass(frozen=True)
class Case:
    """One input of an exercise: the positional arguments the learner's function receives.

    ``tags`` name what the case is about (``"kink"``, ``"extreme"``, ``"float32"``,
    ...), so that hints can tell what a failure there most likely means.
    ``max_peak_bytes``, if set, bounds the memory the function may allocate.
    """

    label: str
    args: tuple
    tags: frozenset[str] = frozenset()
    max_peak_bytes: int | None = None


@dataclass
class Mismatch:
    """What a diagnosis sees: the first difference found in one case."""

    kind: str
    message: str
    component: str | None = None
    index: tuple | None = None
    expected: Any = None
    received: Any = None
    full_expected: Any = None
    full_received: Any = None
    exception: BaseException | None = None
    warnings: tuple[str, ...] = ()


# (explanation, the wrong answer a common mistake gives on the case's inputs)
Candidate = tuple[str, Any]


@dataclass(frozen=True)
class Exercise:
    """An exercise: what the learner writes, nnmath's answer, and the inputs to try.

    Attributes
    ----------
    name, chapter, summary, signature : str, int, str, str
        How the exercise is called and presented.
    params : tuple of str
        The names of the function's arguments, to show the inputs by name.
    description : str
        What the function takes and returns, and what the checks cover.
    reference : callable
        nnmath's answer, with the same signature as the learner's function.
    make_cases : callable
        Returns the list of :class:`Case` (deterministic: a fixed seed).
    outputs : tuple of str, optional
        Names of the results when the function returns a tuple of arrays.
    wrong_answers : callable, optional
        ``case -> [(explanation, wrong answer), ...]``: what common mistakes give.
    diagnose : callable, optional
        ``(case, mismatch) -> hint or None`` for mistakes recognised by where they fail.
    """

    name: str
    chapter: int
    summary: str
    signature: str
    params: tuple[str, ...]
    description: str
    reference: Callable[..., Any]
    make_cases: Callable[[], list[Case]]
    outputs: tuple[str, ...] | None = None
    wrong_answers: Callable[[Case], list[Candidate]] | None = None
    diagnose: Callable[[Case, Mismatch], str | None] | None = None

    def cases(self) -> list[Case]:
        return self.make_cases()

    def describe(self) -> str:
        """Signature, chapter, description and the numbered list of checks."""
        cases = self.cases()
        lines = [f"{self.signature}  (chapter {self.chapter}): {self.summary}", ""]
        lines += textwrap.dedent(self.description).strip().split("\n")
        lines += ["", f"The {len(cases)} checks:"]
        lines += [f"  {i:2d}. {c.label}" for i, c in enumerate(cases, 1)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Failure:
    """The first difference found in one failing check.

    Attributes
    ----------
    check, n_checks : int
        Which check (1-based) out of how many.
    label : str
        What the check tries (e.g. ``"the kink: x = 0 and x = -0.0"``).
    kind : str
        One of :data:`FAILURE_KINDS`.
    message : str
        What was wrong, in one sentence.
    hint : str or None
        The likely cause and how to fix it, when the mistake is a common one.
    inputs : dict
        The arguments the function received, by name.
    expected, received
        nnmath's answer and the function's (the failing component for tuples).
    component : str or None
        For functions that return a tuple, the name of the failing part.
    warnings : tuple of str
        NumPy's floating-point warnings raised while the function ran.
    """

    check: int
    n_checks: int
    label: str
    kind: str
    message: str
    hint: str | None
    inputs: dict[str, Any]
    expected: Any
    received: Any
    component: str | None = None
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        rows = [(name, _show(value)) for name, value in self.inputs.items()]
        part = f" {self.component}" if self.component else ""
        rows.append((f"expected{part}", _show(self.expected)))
        if self.kind in ("not implemented", "exception"):
            rows.append(("received", "(nothing: the function raised an exception)"))
        else:
            rows.append((f"received{part}", _show(self.received)))
        pad = max(len(name) for name, _ in rows)
        lines = [f"Check {self.check} of {self.n_checks}: {self.label}"]
        for name, text in rows:
            first, *rest = text.split("\n")
            lines.append(f"  {name.ljust(pad)} = {first}")
            lines += [" " * (pad + 5) + line for line in rest]
        lines.append(_wrap(f"{_KIND_TITLES[self.kind]}: {self.message}", indent="  "))
        if self.warnings:
            lines.append(_wrap("NumPy warned: " + "; ".join(self.warnings) + ".", indent="  "))
        if self.hint:
            lines.append(_wrap(f"Hint: {self.hint}", indent="  "))
        return "\n".join(lines)


_KIND_TITLES = {
    "not implemented": "Not written yet",
    "exception": "Raised an exception",
    "no result": "No result",
    "wrong type": "Wrong type",
    "wrong shape": "Wrong shape",
    "wrong dtype": "Wrong dtype",
    "not finite": "NaN or inf",
    "wrong value": "Wrong value",
    "changed input": "Changed its input",
    "memory": "Too much memory",
}

# Text and background of the notebook badge: fixed, so the contrast is the same in
# light and dark themes (both pairs are above 7:1, WCAG AAA).
_BADGE_COLORS = {
    True: ("#14532d", "#dcfce7", "#15803d"),  # text, background, border
    False: ("#7f1d1d", "#fee2e2", "#b91c1c"),
}


@dataclass(frozen=True)
class CheckResult:
    """The verdict of :func:`nnmath.exercises.check`: true only if every check passed.

    ``str(result)`` is the full verdict (what ``check`` prints), ``repr`` a one-line
    summary, and in a notebook a small badge whose details unfold on a click.

    Attributes
    ----------
    name : str
        The exercise.
    n_checks : int
        How many checks ran.
    failures : tuple of Failure
        Every failing check, in order (empty when all pass).
    """

    name: str
    n_checks: int
    failures: tuple[Failure, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def n_failed(self) -> int:
        return len(self.failures)

    @property
    def n_passed(self) -> int:
        return self.n_checks - len(self.failures)

    @property
    def first_failure(self) -> Failure | None:
        return self.failures[0] if self.failures else None

    def __bool__(self) -> bool:
        return self.passed

    def summary(self) -> str:
        """One line: how many checks pass, or which one fails first and how."""
        if self.passed:
            return f"{self.name}: all {self.n_checks} checks pass."
        f = self.failures[0]
        many = "all" if self.n_failed == self.n_checks else f"{self.n_failed} of"
        return (
            f"{self.name}: {many} {self.n_checks} checks fail; "
            f"the first is check {f.check}, {f.kind}."
        )

    def __str__(self) -> str:
        if self.passed:
            return self.summary()
        if self.n_failed == self.n_checks:
            head = f"{self.name}: all {self.n_checks} checks fail."
        else:
            head = f"{self.name}: {self.n_failed} of {self.n_checks} checks fail."
        first = self.failures[0]
        parts = [head, "", str(first)]
        rest = self.failures[1:]
        if rest:
            same = all(f.kind == first.kind and f.message == first.message for f in rest)
            if same and self.n_failed == self.n_checks:
                parts += ["", f"The other {len(rest)} checks fail the same way."]
            elif len(rest) <= 3:
                items = "; ".join(f"check {f.check}, {f.label} ({f.kind})" for f in rest)
                parts += ["", _wrap(f"Also failing: {items}.")]
            else:
                groups: dict[str, list[int]] = {}
                for f in rest:
                    groups.setdefault(f.kind, []).append(f.check)
                items = "; ".join(
                    f"{'checks' if len(nums) > 1 else 'check'} {_and(nums)} ({kind})"
                    for kind, nums in groups.items()
                )
                parts += ["", _wrap(f"Also failing: {items}.")]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"<CheckResult {self.summary()}>"

    def _repr_html_(self) -> str:
        fg, bg, border = _BADGE_COLORS[self.passed]
        mark = "\u2713" if self.passed else "\u2717"  # check mark, ballot x
        style = (
            f"color: {fg}; background: {bg}; border: 1px solid {border}; "
            "border-radius: 0.3em; padding: 0.35em 0.7em; margin: 0.2em 0; "
            "font-family: system-ui, sans-serif; line-height: 1.4; max-width: 100%"
        )
        pre = (
            "color: inherit; background: transparent; border: 0; margin: 0.5em 0 0; "
            "padding: 0; white-space: pre-wrap; font-size: 0.85em; overflow-x: auto"
        )
        summary = html.escape(f"{mark} {self.summary()}")
        if self.passed:
            return f'<div class="nnmath-check" style="{style}">{summary}</div>'
        return (
            f'<details class="nnmath-check" style="{style}">'
            f'<summary style="cursor: pointer">{summary}</summary>'
            f'<pre style="{pre}">{html.escape(str(self))}</pre></details>'
        )


# --------------------------------------------------------------------------
# Running one exercise
# --------------------------------------------------------------------------


def run(exercise: Exercise, function: Callable[..., Any]) -> CheckResult:
    """Run ``function`` on every case of ``exercise``; never raises for what it returns."""
    cases = exercise.cases()
    failures = []
    for i, case in enumerate(cases, 1):
        failure = _run_case(exercise, function, case, i, len(cases))
        if failure is not None:
            failures.append(failure)
    return CheckResult(exercise.name, len(cases), tuple(failures))


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


def _run_case(
    ex: Exercise, function: Callable[..., Any], case: Case, i: int, n: int
) -> Failure | None:
    expected = ex.reference(*[_copy(a) for a in case.args])
    call_args = [_copy(a) for a in case.args]
    received, exc, caught, peak = _call(function, call_args, case.max_peak_bytes is not None)

    m = _compare(ex, case, expected, received, exc)
    if m is None:
        m = _side_effects(ex, case, call_args, peak)
    if m is None:
        return None
    m.warnings = caught
    hint = _hint(ex, case, m)
    inputs = dict(zip(ex.params, case.args, strict=True))
    shown_expected = m.expected if m.component else expected
    shown_received = m.received if m.component else received
    return Failure(
        check=i,
        n_checks=n,
        label=case.label,
        kind=m.kind,
        message=m.message,
        hint=hint,
        inputs=inputs,
        expected=shown_expected,
        received=shown_received,
        component=m.component,
        warnings=caught,
    )


def _call(function, args, measure_memory):
    """Call the learner's function, recording NumPy's warnings and, if asked, its peak memory."""
    received, exc, peak = None, None, None
    started = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            try:
                if measure_memory:
                    started = not tracemalloc.is_tracing()
                    if started:
                        tracemalloc.start()
                    tracemalloc.reset_peak()
                    before = tracemalloc.get_traced_memory()[0]
                received = function(*args)
                if measure_memory:
                    peak = tracemalloc.get_traced_memory()[1] - before
            except Exception as error:  # the learner's exception is the verdict, not ours
                exc = error
            finally:
                if started:
                    tracemalloc.stop()
    messages = []
    for w in caught:
        if issubclass(w.category, RuntimeWarning):
            text = str(w.message)
            if text not in messages:
                messages.append(text)
    return received, exc, tuple(messages), peak


# --------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------


def _compare(ex: Exercise, case: Case, expected, received, exc) -> Mismatch | None:
    if exc is not None:
        return _exception_mismatch(ex, exc, expected)
    if ex.outputs is None:
        m = _compare_array(expected, received, "the result")
        if m is not None:
            m.full_expected, m.full_received = expected, received
            if m.kind == "wrong type" and isinstance(received, tuple):
                m.message += f" (a tuple of {len(received)}); the exercise asks for one array"
        return m
    names = ex.outputs
    wanted = "(" + ", ".join(names) + ")"
    if received is None:
        return Mismatch("no result", "the function returned None; is a `return` missing?")
    if isinstance(received, dict):
        return Mismatch(
            "wrong type",
            f"the function returned a dict with keys {list(received)[:6]}; return the tuple "
            f"{wanted}, in this order",
            full_expected=expected,
            full_received=received,
        )
    if not isinstance(received, (tuple, list)) or len(received) != len(names):
        what = type(received).__name__
        if isinstance(received, (tuple, list)):
            what += f" of length {len(received)}"
        return Mismatch(
            "wrong type",
            f"the function returned a {what}; it must return a tuple of {len(names)} arrays "
            f"{wanted}",
            full_expected=expected,
            full_received=received,
        )
    for name, e, r in zip(names, expected, received, strict=True):
        m = _compare_array(e, r, name)
        if m is not None:
            m.component = name
            m.full_expected, m.full_received = expected, received
            return m
    return None


def _exception_mismatch(ex: Exercise, exc: BaseException, expected) -> Mismatch:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    where = _where_raised(exc)
    if isinstance(exc, NotImplementedError):
        return Mismatch(
            "not implemented",
            f"the function raised {text}. Replace the `raise NotImplementedError` line with "
            "your code and run the cell again.",
            expected=expected,
            exception=exc,
        )
    return Mismatch(
        "exception", f"{text}{where}", expected=expected, full_expected=expected, exception=exc
    )


def _where_raised(exc: BaseException) -> str:
    """`` (line 3: return x.astype(int))``: the learner's last line on the way to the error."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename != __file__]
    if not own:
        return ""
    outside = [f for f in own if "site-packages" not in f.filename and "/numpy/" not in f.filename]
    frame = (outside or own)[-1]
    line = (frame.line or "").strip()
    return f" (line {frame.lineno}: {line})" if line else f" (line {frame.lineno})"


def _first(mask: np.ndarray) -> tuple:
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def _at(index: tuple) -> str:
    if not index:
        return ""
    return f" at index ({', '.join(map(str, index))}{',' if len(index) == 1 else ''})"


def _compare_array(expected, received, name: str) -> Mismatch | None:
    e = np.asarray(expected)
    if received is None:
        what = "the function returned None" if name == "the result" else f"{name} is None"
        return Mismatch("no result", f"{what}; is a `return` missing?")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = np.asarray(received)
    except Exception as exc:  # ragged lists, objects that refuse conversion
        return Mismatch(
            "wrong type",
            f"{name} is a {type(received).__name__}, which is not a numeric array ({exc})",
            received=received,
        )
    if r.dtype.kind not in "biuf":
        return Mismatch(
            "wrong type",
            f"{name} is a {type(received).__name__} of dtype {r.dtype}, not an array of real "
            "numbers",
            received=received,
        )
    if r.shape != e.shape:
        return Mismatch(
            "wrong shape",
            f"{name} has shape {r.shape}, but it must have shape {e.shape}",
            expected=e,
            received=r,
        )
    if r.dtype.kind != "f":
        return Mismatch(
            "wrong dtype",
            f"{name} has dtype {r.dtype}, but it must be a floating-point array ({e.dtype}, as "
            "nnmath returns)",
            expected=e,
            received=r,
        )
    if r.dtype != e.dtype:
        return Mismatch(
            "wrong dtype",
            f"{name} has dtype {r.dtype}, but nnmath returns {e.dtype} here",
            expected=e,
            received=r,
        )
    bad = np.isfinite(e) & ~np.isfinite(r)
    if bad.any():
        idx = _first(bad)
        count = int(bad.sum())
        return Mismatch(
            "not finite",
            f"{name} is {_num(r[idx])}{_at(idx)}, where the value is {_num(e[idx])} "
            f"({count} of {r.size} entries are NaN or inf)",
            index=idx,
            expected=e,
            received=r,
        )
    rtol, atol = _TOLERANCES.get(e.dtype, _TOLERANCES[np.dtype(np.float64)])
    with np.errstate(all="ignore"):
        ok = np.isclose(r, e, rtol=rtol, atol=atol)  # equal infinities are close
    if not ok.all():
        idx = _first(~ok)
        count = int((~ok).sum())
        return Mismatch(
            "wrong value",
            f"{name}{_at(idx)} is {_num(r[idx])}, expected {_num(e[idx])} "
            f"({count} of {r.size} entries differ)",
            index=idx,
            expected=e,
            received=r,
        )
    return None


def _side_effects(ex: Exercise, case: Case, call_args: list, peak: int | None) -> Mismatch | None:
    for name, before, after in zip(ex.params, case.args, call_args, strict=True):
        if isinstance(before, np.ndarray) and not (
            after.shape == before.shape and np.array_equal(after, before, equal_nan=True)
        ):
            return Mismatch(
                "changed input",
                f"the result is right, but the function changed its argument {name} in place "
                f"(it now holds {_show(after, threshold=8)}); work on a new array, e.g. "
                "`np.zeros_like` or an expression, so the caller's data survive",
            )
    if peak is not None and case.max_peak_bytes is not None and peak > case.max_peak_bytes:
        return Mismatch(
            "memory",
            f"the result is right, but the function allocated {peak / 1e6:.1f} MB at its peak, "
            f"more than the {case.max_peak_bytes / 1e6:.2f} MB this check allows",
        )
    return None


# --------------------------------------------------------------------------
# Explaining
# --------------------------------------------------------------------------


def _hint(ex: Exercise, case: Case, m: Mismatch) -> str | None:
    """The exercise's own diagnosis first, then a known wrong answer, then generic advice."""
    hints: list[str] = []
    if ex.diagnose is not None:
        try:
            h = ex.diagnose(case, m)
        except Exception:  # a diagnosis must never turn a verdict into a crash
            h = None
        if h:
            hints.append(h)
    if not hints and m.kind in ("wrong value", "not finite"):
        h = _match_wrong_answer(ex, case, m)
        if h:
            hints.append(h)
    if not hints:
        h = _generic_hint(ex, case, m)
        if h:
            hints.append(h)
    return " ".join(hints) or None


def _close(a, b) -> bool:
    try:
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype.kind not in "biuf" or b.dtype.kind not in "biuf":
            return False
        rtol, atol = _TOLERANCES.get(b.dtype, _TOLERANCES[np.dtype(np.float64)])
        with np.errstate(all="ignore"):
            return bool(np.isclose(a, b, rtol=rtol, atol=atol).all())
    except Exception:
        return False


def _match_wrong_answer(ex: Exercise, case: Case, m: Mismatch) -> str | None:
    if ex.wrong_answers is None:
        return None
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            candidates = ex.wrong_answers(case)
    except Exception:
        return None
    for explanation, wrong in candidates:
        if m.component is not None:
            wrong = wrong[ex.outputs.index(m.component)]
        if _close(m.received, wrong):
            return explanation.format(name=m.component or ex.name)
    return None


def _generic_hint(ex: Exercise, case: Case, m: Mismatch) -> str | None:
    if m.kind == "exception" and isinstance(m.exception, TypeError):
        return f"The checks call `{ex.signature}`, with its arguments in this order."
    if m.kind == "wrong dtype":
        r, e = m.received, m.expected
        if r.dtype.kind == "b":
            return (
                "A comparison such as `x > 0` gives booleans; turn them into numbers of the "
                "input's type with `.astype(x.dtype)`."
            )
        if r.dtype.kind in "iu":
            return (
                "An integer array cannot hold a gradient or a probability; build the result "
                "with the input's floating dtype (`.astype(x.dtype)`, `np.zeros_like(x)`)."
            )
        if e.dtype == np.float32:
            return (
                "float32 in, float32 out, as nnmath does. Python floats, "
                "`np.zeros(shape)`, `np.ones(shape)` and `np.array(..., dtype=float)` make "
                "float64, which upcasts everything it touches; use the input's dtype "
                "(`np.zeros_like`, `.astype(x.dtype)`)."
            )
    if m.kind == "wrong shape":
        r, e = m.received, m.expected
        if r.size == e.size:
            return (
                f"The entries may be right but are arranged as {r.shape}, not {e.shape}: "
                "check `keepdims=True` and reshapes."
            )
        if r.ndim == 0 or r.size == 1:
            return "A single number came back: a sum or mean over the whole array, perhaps?"
    return None


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------


_KEEP = "\x00"  # stands for a space inside `code`, which must not be broken across lines


def _wrap(text: str, indent: str = "") -> str:
    """Fill to the verdict's width, never breaking a `code span` across lines."""
    pieces = text.split("`")
    for i in range(1, len(pieces), 2):
        pieces[i] = pieces[i].replace(" ", _KEEP)
    filled = textwrap.fill(
        "`".join(pieces),
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  " if indent else "",
        break_on_hyphens=False,
        break_long_words=False,
    )
    return filled.replace(_KEEP, " ")


def _show(value: Any, threshold: int = 24) -> str:
    """An array as NumPy prints it, shortened; anything else by its repr."""
    if isinstance(value, (np.ndarray, np.generic)):
        with np.printoptions(precision=6, threshold=threshold, edgeitems=3, linewidth=72):
            return np.array_repr(np.asarray(value))
    if isinstance(value, (tuple, list)) and value and all(isinstance(v, np.ndarray) for v in value):
        shapes = ", ".join(str(v.shape) for v in value)
        return f"a {type(value).__name__} of {len(value)} arrays of shapes {shapes}"
    if isinstance(value, dict):
        return f"a dict with keys {list(value)[:8]}"
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + " ..."


def _num(x) -> str:
    """A NumPy number in its shortest form, or to 8 significant digits if that is long."""
    text = str(x)
    return text if len(text) <= 12 else f"{float(x):.8g}"


def _and(numbers: Sequence[int]) -> str:
    """``[2, 3, 5]`` as ``2, 3 and 5``."""
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]
