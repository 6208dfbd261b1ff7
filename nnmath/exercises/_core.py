"""The machinery behind :func:`nnmath.exercises.check`: run, compare, explain.

An :class:`Exercise` pairs a reference (nnmath's answer, same signature as the
learner's function) with a list of :class:`Case` inputs.  :func:`run` calls the
learner's function on a copy of every case, compares what comes back with the
reference in a fixed order (structure, shape, dtype, NaN/inf, values, then side
effects and memory), and turns the first difference of each case into a
:class:`Failure` with a readable message and, where the mistake is a common
one, a hint.  Nothing the learner's function does can make :func:`run` raise.

Each check runs on a worker thread, and the caller waits for it at most a time
limit: a function that sleeps, loops forever or waits for input cannot hang the
notebook.  A check that runs out of time is reported, its thread is asked to stop
(an exception raised in it, as ``KeyboardInterrupt`` is raised in the main thread;
a call waiting in C code, such as ``time.sleep``, sees it only once that returns),
and the remaining checks are not run.  Threads work alike on Linux, macOS and
Windows and inside Jupyter; signals exist on neither Windows nor any thread but
the main one, and a worker process could not receive a function defined in a
notebook.  Everything that runs the learner's code (the call, converting what it
returned, its ``repr`` and its exception's message) runs on that thread, within the
limit.
"""

from __future__ import annotations

import ctypes
import html
import sys
import textwrap
import threading
import time
import traceback
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "FAILURE_KINDS",
    "TIME_LIMIT",
    "Case",
    "CheckResult",
    "Exercise",
    "Failure",
    "Mismatch",
    "run",
]

#: Seconds one check may take by default: a call of the learner's function on one input,
#: and comparing what it returned.  The exercises' inputs are small: a correct function,
#: even a Python loop over every entry, needs a small fraction of this.
TIME_LIMIT = 5.0

# How long a call that ran out of time gets to end once asked to stop.
_GRACE = 0.5

#: Every kind of failure a check can report, in the order the checks are made.
FAILURE_KINDS = (
    "not implemented",  # the stub still raises NotImplementedError
    "exception",  # the function raised another exception (SystemExit and the like too)
    "too slow",  # it did not return within the time limit
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
        elif self.kind == "too slow":
            rows.append(("received", "(nothing: the call ran out of time)"))
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
    "too slow": "Too slow",
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
        How many checks the exercise has.
    failures : tuple of Failure
        Every failing check, in order (empty when all pass).
    not_run : tuple of int
        The checks (1-based) that were not run, because an earlier one ran out of time.
    """

    name: str
    n_checks: int
    failures: tuple[Failure, ...] = field(default_factory=tuple)
    not_run: tuple[int, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures and not self.not_run

    @property
    def n_failed(self) -> int:
        return len(self.failures)

    @property
    def n_passed(self) -> int:
        return self.n_checks - len(self.failures) - len(self.not_run)

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
        skipped = f", {len(self.not_run)} not run" if self.not_run else ""
        return (
            f"{self.name}: {many} {self.n_checks} checks fail{skipped}; "
            f"the first is check {f.check}, {f.kind}."
        )

    def __str__(self) -> str:
        if self.passed:
            return self.summary()
        if self.n_failed == self.n_checks:
            head = f"{self.name}: all {self.n_checks} checks fail."
        elif self.not_run:
            head = (
                f"{self.name}: {self.n_failed} of {self.n_checks} checks fail, "
                f"{len(self.not_run)} were not run."
            )
        else:
            head = f"{self.name}: {self.n_failed} of {self.n_checks} checks fail."
        first = self.failures[0]
        parts = [head, "", str(first)]
        # A check that ran out of time is the last one run: shown in full, whatever came first.
        last = self.failures[-1]
        slow = last if last.kind == "too slow" and last is not first else None
        rest = [f for f in self.failures[1:] if f is not slow]
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
        if slow is not None:
            parts += ["", str(slow)]
        if self.not_run:
            which = (
                f"Check {self.not_run[0]} was"
                if len(self.not_run) == 1
                else f"Checks {self.not_run[0]} to {self.not_run[-1]} were"
            )
            note = (
                f"{which} not run: check {last.check} ran out of time, and a function that "
                "does that once usually does it again."
            )
            parts += ["", _wrap(note)]
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


def run(
    exercise: Exercise, function: Callable[..., Any], time_limit: float = TIME_LIMIT
) -> CheckResult:
    """Run ``function`` on every case of ``exercise``; never raises for what it does.

    ``time_limit``: seconds each check may take (``inf``: no limit).  A check that
    runs out of time is the last one run.
    """
    limit = time_limit
    cases = exercise.cases()
    failures = []
    for i, case in enumerate(cases, 1):
        failure, timed_out = _run_case_in_thread(exercise, function, case, i, len(cases), limit)
        if failure is not None:
            failures.append(failure)
        if timed_out:
            not_run = tuple(range(i + 1, len(cases) + 1))
            return CheckResult(exercise.name, len(cases), tuple(failures), not_run)
    return CheckResult(exercise.name, len(cases), tuple(failures))


class _TimeUp(BaseException):
    """Raised in the thread of a call that ran out of time, to stop it.

    A ``BaseException``, as ``KeyboardInterrupt`` is, so that the learner's
    ``except Exception`` does not swallow it.
    """


def _run_case_in_thread(
    ex: Exercise, function: Callable[..., Any], case: Case, i: int, n: int, limit: float
) -> tuple[Failure | None, bool]:
    """One check on a worker thread, waited for at most `limit` seconds.

    Returns the failure (None if the check passed) and whether it ran out of time.
    NumPy's warnings are recorded here, on the caller's thread, for as long as the
    check runs: the record of ``warnings.catch_warnings`` is the process's, so it
    sees the worker's warnings, and it is put back when the wait ends, whether the
    worker has ended or not.  ``tracemalloc`` traces every thread alike.
    """
    box: dict[str, Any] = {}
    done = threading.Event()
    tracing = case.max_peak_bytes is not None and not tracemalloc.is_tracing()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        def work() -> None:
            try:
                box["failure"] = _run_case(ex, function, case, i, n, caught)
            except BaseException as error:  # _TimeUp, once the caller has given up on us
                box["error"] = error
            finally:
                done.set()

        thread = threading.Thread(target=work, name=f"nnmath check {ex.name} #{i}", daemon=True)
        stop = _Stopper(thread, done)
        if tracing:
            tracemalloc.start()
        try:
            thread.start()
            finished = _wait(done, limit)
            if not finished:
                stopped = stop()
        except BaseException:  # the reader interrupted the kernel: stop the call, then go
            stop()
            raise
        finally:
            if tracing:
                tracemalloc.stop()
    if not finished:
        return _too_slow(ex, case, i, n, limit, stopped), True
    if "error" in box:  # a fault of the checker itself, never of the learner's function
        raise box["error"]
    return box["failure"], False


def _wait(done: threading.Event, limit: float) -> bool:
    """Wait up to `limit` seconds for the check to end; True if it did.

    On the check's own event, in short waits: an interrupt of the kernel reaches this
    thread promptly on every platform, and interrupting ``Thread.join`` would leave the
    thread looking ended while it runs on (CPython 3.11's join then marks it stopped).
    """
    deadline = time.monotonic() + limit
    while not done.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        done.wait(min(left, 0.1))
    return True


class _Stopper:
    """Stops a check's thread, once: raises :class:`_TimeUp` in it and waits a moment.

    ``PyThreadState_SetAsyncExc`` is CPython's (Linux, macOS and Windows alike); the
    exception is raised at the thread's next Python instruction, so a call busy in
    Python stops at once and one waiting in C code when that returns.  Calling the
    stopper returns whether the check has ended.
    """

    def __init__(self, thread: threading.Thread, done: threading.Event) -> None:
        self.thread, self.done, self.sent = thread, done, False

    def __call__(self) -> bool:
        ident = self.thread.ident
        if not self.sent and ident is not None and not self.done.is_set():
            self.sent = True
            try:
                set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
                if set_async(ctypes.c_ulong(ident), ctypes.py_object(_TimeUp)) > 1:
                    set_async(ctypes.c_ulong(ident), None)  # cannot happen; undone if it did
            except (AttributeError, OSError):  # not CPython: the call runs on, ignored
                pass
        self.done.wait(_GRACE)
        return self.done.is_set()


def _too_slow(ex: Exercise, case: Case, i: int, n: int, limit: float, stopped: bool) -> Failure:
    expected = ex.reference(*[_copy(a) for a in case.args])
    if stopped:
        fate = "so it was stopped"
    else:
        fate = (
            "and it could not be stopped yet: it is waiting in code that Python cannot "
            "interrupt (time.sleep, input(), a long NumPy operation), and stops when that "
            "returns. Its result will be ignored; if the notebook stays slow, restart the "
            "kernel"
        )
    return Failure(
        check=i,
        n_checks=n,
        label=case.label,
        kind="too slow",
        message=f"the call did not return within the time limit of {limit:g} s, {fate}.",
        hint=(
            "A loop in Python over every entry, or one that never ends, takes this long: "
            "use NumPy's operations on whole arrays, and make sure every loop ends. To "
            f"allow more time, pass time_limit in seconds: check({ex.name!r}, function, "
            "time_limit=30)."
        ),
        inputs=dict(zip(ex.params, case.args, strict=True)),
        expected=expected,
        received=None,
    )


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


def _run_case(
    ex: Exercise, function: Callable[..., Any], case: Case, i: int, n: int, caught: list
) -> Failure | None:
    """One check, on the worker thread: the call, the comparison, the verdict's text."""
    expected = ex.reference(*[_copy(a) for a in case.args])
    call_args = [_copy(a) for a in case.args]
    measure = case.max_peak_bytes is not None
    received, exc, warned, peak = _call(function, call_args, measure, caught)

    m = _compare(ex, case, expected, received, exc)
    if m is None:
        m = _side_effects(ex, case, call_args, peak)
    if m is None:
        return None
    m.warnings = warned
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
        received=_plain(shown_received),
        component=m.component,
        warnings=warned,
    )


def _call(function, args, measure_memory, caught):
    """Call the learner's function, recording NumPy's warnings and, if asked, its peak memory.

    Whatever it raises is the verdict: ``SystemExit`` (``sys.exit()``), ``GeneratorExit``
    and ``KeyboardInterrupt`` raised by the function itself as much as any ``Exception``.
    (The reader's own interrupt of the kernel reaches the main thread, which waits, and
    stops ``check``.)  Only :class:`_TimeUp`, the caller giving up, is let through.
    """
    received, exc, peak = None, None, None
    first = len(caught)
    local = warnings.catch_warnings(record=True) if _CONTEXT_WARNINGS else nullcontext()
    with local as own:
        if own is not None:
            warnings.simplefilter("always")
        with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            try:
                if measure_memory:
                    tracemalloc.reset_peak()
                    before = tracemalloc.get_traced_memory()[0]
                received = function(*args)
                if measure_memory:
                    peak = tracemalloc.get_traced_memory()[1] - before
            except _TimeUp:
                raise
            except BaseException as error:  # the learner's exception is the verdict, not ours
                exc = error
    messages = []
    for w in own if own is not None else caught[first:]:
        if issubclass(w.category, RuntimeWarning):
            text = str(w.message)
            if text not in messages:
                messages.append(text)
    return received, exc, tuple(messages), peak


# Python 3.14 may keep warning filters per thread and context (-X context_aware_warnings,
# the default of free-threaded builds): the caller's record would not see the worker's.
_CONTEXT_WARNINGS = bool(getattr(sys.flags, "context_aware_warnings", False))


class _Shown:
    """What a learner's value looked like, written on the worker thread (see :func:`_plain`)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _plain(value: Any) -> Any:
    """`value` if showing it runs none of the learner's code, else its text, made here.

    A verdict is printed on the caller's thread, with no time limit: an object of the
    learner's own (whose ``__repr__`` might loop or raise) is turned into text on the
    worker thread instead, within the limit.
    """
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is np.ndarray and value.dtype.kind in "biufc":
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biufc":
        return value
    if type(value) in (tuple, list) and all(_plain(v) is v for v in value):
        return value
    return _Shown(_show(value))


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


def _text_of(exc: BaseException) -> str:
    """``str(exc)``, or what is known of it when its ``__str__`` fails."""
    try:
        return str(exc)
    except _TimeUp:
        raise
    except BaseException as error:
        return f"(its message could not be shown: {type(error).__name__})"


def _exception_mismatch(ex: Exercise, exc: BaseException, expected) -> Mismatch:
    said = _text_of(exc)
    text = f"{type(exc).__name__}: {said}" if said else type(exc).__name__
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
    if m.kind == "exception" and isinstance(m.exception, SystemExit):
        return (
            "`sys.exit()` (like `exit()` and `quit()`) ends a whole program; a function "
            "hands back its result with `return`."
        )
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
    try:
        if isinstance(value, (np.ndarray, np.generic)):
            with np.printoptions(precision=6, threshold=threshold, edgeitems=3, linewidth=72):
                return np.array_repr(np.asarray(value))
        if (
            isinstance(value, (tuple, list))
            and value
            and all(isinstance(v, np.ndarray) for v in value)
        ):
            shapes = ", ".join(str(v.shape) for v in value)
            return f"a {type(value).__name__} of {len(value)} arrays of shapes {shapes}"
        if isinstance(value, dict):
            return f"a dict with keys {list(value)[:8]}"
        text = repr(value)
    except _TimeUp:
        raise
    except BaseException as error:  # a learner's object whose __repr__ fails
        return f"(a {type(value).__name__}, whose repr raised {type(error).__name__})"
    return text if len(text) <= 300 else text[:300] + " ..."


def _num(x) -> str:
    """A NumPy number in its shortest form, or to 8 significant digits if that is long."""
    text = str(x)
    return text if len(text) <= 12 else f"{float(x):.8g}"


def _and(numbers: Sequence[int]) -> str:
    """``[2, 3, 5]`` as ``2, 3 and 5``."""
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]
