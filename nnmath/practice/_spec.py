"""The declarations of practice: knowledge checks, explorer challenges, and the numbers they state.

A chapter's catalogue module (``nnmath/practice/<topic>.py``) builds these once; the
book's page and the Jupyter widget both draw them from :meth:`~Check.spec`, the JSON
written here. Everything a reader can be told is declared, never assembled in the view:
the question, each option and what choosing it means, each common wrong number and the
misconception behind it, the section that explains it.

Texts (questions, options, feedback, goals) are plain sentences with two kinds of markup:
``$...$`` for math (typeset when the book is built, like the rest of the page) and
```...``` for code; ``\\$`` is a dollar sign. A hyphen before a digit in the prose
becomes a true minus sign (U+2212).

Section labels (``see=``) are the MyST labels of the chapters, ``(sec-relu-dead)=`` above
a heading; the book's build turns each into a link and fails on a label it does not know.
"""

from __future__ import annotations

import math
import numbers
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "OPERATORS",
    "Challenge",
    "Check",
    "Choice",
    "Condition",
    "DeclarationError",
    "Fact",
    "Number",
    "Option",
    "Predict",
    "Wrong",
    "facts_of",
    "goal_met",
    "parse_text",
    "read_path",
]


class DeclarationError(ValueError):
    """A check or challenge declared wrongly; the message names it and says what is wrong."""


#: A check's or a challenge's id: lowercase words joined by hyphens, such as ``relu-kink``.
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: A MyST label, as ``(sec-relu-dead)=`` declares it.
LABEL = re.compile(r"^[A-Za-z0-9][\w.:-]*$")


# -- numbers ---------------------------------------------------------------------------------
_FACTS: list[Fact] = []


@dataclass(eq=False)
class Fact:
    """A number the book states in a check, computed by nnmath, with an independent oracle.

    Use a fact wherever a number appears in a question, an option, a feedback or as an
    answer: ``f"... is {fd:.2f}"`` formats its value (and records the text shown, so a
    test can tell which numbers of a text were computed). The tests compare ``value``,
    computed by nnmath when the book is built, with ``oracle()``, computed another way (a
    closed form, exact fractions, SciPy, a plain-Python formula), within ``rtol`` and
    ``atol``.

    Parameters
    ----------
    value : real
        nnmath's number (a NumPy scalar or a 0-d or one-element array is taken as a float).
    oracle : callable
        No arguments; returns the same number computed without nnmath.
    what : str
        What the number is, for the tests' messages.
    rtol, atol : float
        How close ``value`` and ``oracle()`` must be.

    Examples
    --------
    >>> import numpy as np
    >>> import nnmath as nn
    >>> fd = Fact(nn.numerical_gradient(lambda v: np.sum(nn.relu(v)), np.array([0.0]))[0],
    ...           oracle=lambda: (max(1e-6, 0.0) - max(-1e-6, 0.0)) / 2e-6,
    ...           what="central difference of ReLU at 0")
    >>> f"{fd:.1f}", float(fd)
    ('0.5', 0.5)
    >>> fd.shown
    {'0.5'}
    """

    value: float
    oracle: Callable[[], Any]
    what: str
    rtol: float = 1e-12
    atol: float = 0.0
    #: The texts this fact was formatted into.
    shown: set[str] = field(default_factory=set, repr=False)
    #: The module that declared it (a chapter's catalogue).
    module: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        try:
            value = float(self.value.item() if hasattr(self.value, "item") else self.value)
        except (TypeError, ValueError):
            raise DeclarationError(
                f"Fact {self.what!r}: value must be one real number, got {self.value!r}"
            ) from None
        if not math.isfinite(value):
            raise DeclarationError(f"Fact {self.what!r}: value must be finite, got {value!r}")
        if not callable(self.oracle):
            raise DeclarationError(
                f"Fact {self.what!r}: oracle must be a function of no arguments that "
                "computes the same number without nnmath"
            )
        if not self.what:
            raise DeclarationError("Fact: `what` must say what the number is")
        self.value = value
        self.module = _caller_module()
        _FACTS.append(self)

    def __float__(self) -> float:
        return self.value

    def __format__(self, spec: str) -> str:
        text = format(self.value, spec)
        self.shown.add(text)
        return text

    def __str__(self) -> str:
        return format(self, "")


def _caller_module() -> str:
    """The module outside this one that is declaring something (a catalogue)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame.f_globals.get("__name__", "") if frame is not None else ""


def facts_of(module: str) -> list[Fact]:
    """Every :class:`Fact` that ``module`` (a catalogue's ``__name__``) declared."""
    return [fact for fact in _FACTS if fact.module == module]


def _real(value: Any, what: str) -> float:
    if isinstance(value, Fact):
        return value.value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DeclarationError(f"{what} must be a real number, got {value!r}")
    if not math.isfinite(value):
        raise DeclarationError(f"{what} must be finite, got {value!r}")
    return float(value)


# -- texts -------------------------------------------------------------------------------------
_MARKUP = re.compile(r"\\\$|\$(?P<math>[^$]+)\$|`(?P<code>[^`]+)`|(?P<stray>[$`])")
_MINUS = re.compile(r"(?<![\w.)\]])-(?=\.?\d)")
#: An apostrophe within or closing a word ("unit's", "classes' "), as the chapters' prose
#: writes it (Sphinx's smart quotes): a right single quotation mark.
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w|\s|[.,;:!?)]|$)")


def _typeset(text: str) -> str:
    """Prose typography for a text segment: true minus signs and curly apostrophes."""
    return _APOSTROPHE.sub("\u2019", _MINUS.sub("\u2212", text))


def parse_text(text: str, where: str = "text") -> list[list[str]]:
    """A text as segments ``[kind, content]``: ``"text"``, ``"math"`` (TeX) or ``"code"``.

    Raises
    ------
    DeclarationError
        On an unmatched ``$`` or backtick, or an empty text; ``where`` names the text.

    Examples
    --------
    >>> for kind, content in parse_text("At $x = 0$ `relu_grad` is 0, not -0.5 (\\\\$2)"):
    ...     print(kind, repr(content))
    text 'At '
    math 'x = 0'
    text ' '
    code 'relu_grad'
    text ' is 0, not −0.5 ($2)'
    >>> parse_text("the unit's slope, the classes' sum, $f'(x)$, `a = 'x'`")[0][1]
    'the unit’s slope, the classes’ sum, '
    >>> parse_text("costs $5")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    nnmath.practice._spec.DeclarationError: text has an unmatched '$' at position 6: ...
    """
    if not isinstance(text, str) or not text.strip():
        raise DeclarationError(f"{where} must be a non-empty string, got {text!r}")
    segments: list[list[str]] = []

    def add(kind: str, content: str) -> None:
        if kind == "text" and segments and segments[-1][0] == "text":
            segments[-1][1] += content
        elif content:
            segments.append([kind, content])

    last = 0
    for match in _MARKUP.finditer(text):
        add("text", _typeset(text[last : match.start()]))
        last = match.end()
        if match.group(0) == "\\$":
            add("text", "$")
        elif match.group("stray"):
            raise DeclarationError(
                f"{where} has an unmatched {match.group('stray')!r} at position {match.start()}: "
                f"{text!r} (write \\$ for a dollar sign)"
            )
        elif match.group("math") is not None:
            add("math", match.group("math").strip())
        else:
            add("code", match.group("code"))
    add("text", _typeset(text[last:]))
    return segments


def _label(value: Any, where: str) -> str:
    if not isinstance(value, str) or not LABEL.match(value):
        raise DeclarationError(
            f"{where} must be the label of the section that explains it, as the chapter "
            f"declares it with (label)= above a heading, e.g. 'sec-relu-dead'; got {value!r}"
        )
    return value


def _see(label: str | None) -> dict[str, str] | None:
    return None if label is None else {"label": label}


# -- choices and numbers -------------------------------------------------------------------------
@dataclass(frozen=True)
class Option:
    """One answer of a :class:`Choice` (or of a :class:`Predict` with options).

    Parameters
    ----------
    text : str
        The option as the reader reads it.
    correct : bool
        Whether it is a right answer.
    why : str
        For a wrong option, the feedback a reader who picks it gets: the misconception it
        stands for, named, and what is true instead. For a right one, why it is right
        (shown once the check is answered right; in a check with several answers, also
        when it was missed).
    see : str, optional
        The label of the section that explains it; the check's ``see`` if not given.
    """

    text: str
    correct: bool = False
    why: str = ""
    see: str | None = None

    def _validate(self, where: str) -> None:
        parse_text(self.text, f"{where}: text")
        if not isinstance(self.correct, bool):
            raise DeclarationError(f"{where}: correct must be True or False")
        if not self.correct and not (isinstance(self.why, str) and self.why.strip()):
            raise DeclarationError(
                f"{where} ({self.text!r}) is wrong but says nothing: give it `why`, the "
                "misconception it stands for and what is true instead"
            )
        if self.why:
            parse_text(self.why, f"{where}: why")
        if self.see is not None:
            _label(self.see, f"{where}: see")

    def spec(self) -> dict[str, Any]:
        return {
            "text": parse_text(self.text),
            "correct": self.correct,
            "why": parse_text(self.why) if self.why else None,
            "see": _see(self.see),
        }


@dataclass(frozen=True)
class Wrong:
    """A common wrong number for a :class:`Number` check, with its own feedback.

    Parameters
    ----------
    value : Fact
        The wrong number, computed by nnmath (what the mistake gives).
    why : str
        The misconception that gives it, named, and what is true instead.
    see : str, optional
        The label of the section that explains it; the check's ``see`` if not given.
    tolerance : float, optional
        How close an answer must be to count as this number; the check's tolerance if not
        given.
    """

    value: Fact
    why: str
    see: str | None = None
    tolerance: float | None = None

    def spec(self, tolerance: float) -> dict[str, Any]:
        return {
            "value": self.value.value,
            "tolerance": tolerance if self.tolerance is None else self.tolerance,
            "why": parse_text(self.why),
            "see": _see(self.see),
        }


def _validate_options(options: Any, multiple: Any, where: str) -> None:
    if not isinstance(options, tuple) or len(options) < 2:
        raise DeclarationError(f"{where}: options must be a tuple of at least two Option")
    for i, option in enumerate(options):
        if not isinstance(option, Option):
            raise DeclarationError(f"{where}: option {i + 1} must be an Option, got {option!r}")
        option._validate(f"{where}, option {i + 1}")
    texts = [option.text for option in options]
    if len(set(texts)) != len(texts):
        raise DeclarationError(f"{where}: two options have the same text")
    right = sum(option.correct for option in options)
    if not isinstance(multiple, bool):
        raise DeclarationError(f"{where}: multiple must be True or False")
    if right == 0:
        raise DeclarationError(f"{where} has no right answer: mark one option correct=True")
    if not multiple and right > 1:
        raise DeclarationError(
            f"{where} has {right} right options: set multiple=True (checkboxes), or keep one"
        )


def _validate_number(
    answer: Any, tolerance: Any, wrong: Any, hint: Any, where: str
) -> tuple[float, float]:
    if not isinstance(answer, Fact):
        raise DeclarationError(
            f"{where}: answer must be a Fact (computed by nnmath, with an oracle), got {answer!r}"
        )
    tol = _real(tolerance, f"{where}: tolerance")
    if tol < 0:
        raise DeclarationError(f"{where}: tolerance must be >= 0, got {tol!r}")
    if not isinstance(wrong, tuple):
        raise DeclarationError(f"{where}: wrong must be a tuple of Wrong")
    for i, item in enumerate(wrong):
        at = f"{where}, wrong number {i + 1}"
        if not isinstance(item, Wrong):
            raise DeclarationError(f"{at} must be a Wrong, got {item!r}")
        if not isinstance(item.value, Fact):
            raise DeclarationError(f"{at}: value must be a Fact (computed by nnmath)")
        parse_text(item.why, f"{at}: why")
        if item.see is not None:
            _label(item.see, f"{at}: see")
        own = tol if item.tolerance is None else _real(item.tolerance, f"{at}: tolerance")
        if abs(item.value.value - answer.value) <= max(tol, own):
            raise DeclarationError(
                f"{at} ({item.value.value!r}) is within the tolerance of the right answer "
                f"({answer.value!r}): a reader could not tell them apart"
            )
    parse_text(hint, f"{where}: hint (the feedback for a wrong number none of `wrong` names)")
    return answer.value, tol


# -- the kinds ----------------------------------------------------------------------------------
class Check:
    """What every check and challenge has: an id, the section that explains it, a spec."""

    kind: ClassVar[str] = ""
    id: str
    see: str

    def _validate_common(self) -> str:
        if not isinstance(self.id, str) or not ID.match(self.id):
            raise DeclarationError(
                f"id must be lowercase words joined by hyphens, such as 'relu-kink'; "
                f"got {self.id!r}"
            )
        where = f"{type(self).__name__} {self.id!r}"
        _label(self.see, f"{where}: see")
        return where

    def labels(self) -> set[str]:
        """Every section label the check points to."""
        found = {self.see}
        for item in (*getattr(self, "options", ()), *getattr(self, "wrong", ())):
            if item.see is not None:
                found.add(item.see)
        return found

    def spec(self) -> dict[str, Any]:
        """The JSON the page's and the widget's view draw the check from."""
        raise NotImplementedError


@dataclass(frozen=True)
class Choice(Check):
    """A question with options: one right answer (radio buttons), or several (checkboxes).

    Parameters
    ----------
    id : str
        Unique in the book: lowercase words joined by hyphens, the chapter's topic first
        (``relu-kink-readout``). It is the page's ``data-check`` and the key of the
        reader's progress, so keep it once published.
    question : str
        The question (math in ``$...$``, code in backticks; numbers from :class:`Fact`).
    options : tuple of Option
        In the order shown. Every wrong option says which misconception it stands for.
    see : str
        The label of the section that explains the answer.
    multiple : bool
        Several right options (checkboxes); a reader is right when exactly those are chosen.
    why : str
        Shown once the reader is right: why the answer is what it is.

    Examples
    --------
    >>> c = Choice("demo-kink", "What does `relu_grad` return at 0?",
    ...            (Option("0", correct=True), Option("0.5", why="0.5 is what a central "
    ...             "difference gives, not the convention")), see="sec-relu-frameworks")
    >>> c.spec()["kind"], [o["correct"] for o in c.spec()["options"]]
    ('choice', [True, False])
    >>> Choice("demo-none", "Pick one", (Option("a", why="no"), Option("b", why="no")),
    ...        see="sec-relu-dead")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    nnmath.practice._spec.DeclarationError: Choice 'demo-none' has no right answer: ...
    """

    kind: ClassVar[str] = "choice"
    id: str
    question: str
    options: tuple[Option, ...]
    see: str
    multiple: bool = False
    why: str = ""

    def __post_init__(self) -> None:
        where = self._validate_common()
        parse_text(self.question, f"{where}: question")
        _validate_options(self.options, self.multiple, where)
        if self.why:
            parse_text(self.why, f"{where}: why")

    def spec(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "question": parse_text(self.question),
            "multiple": self.multiple,
            "options": [option.spec() for option in self.options],
            "why": parse_text(self.why) if self.why else None,
            "see": _see(self.see),
        }


@dataclass(frozen=True)
class Number(Check):
    """A question whose answer is a number, typed by the reader, right within a tolerance.

    Parameters
    ----------
    id, question, see, why : str
        As for :class:`Choice`.
    answer : Fact
        The right number, computed by nnmath.
    tolerance : float
        How far from ``answer`` a typed number may be (absolute); say in the question how
        precisely to answer ("to two decimals" goes with 0.005).
    wrong : tuple of Wrong
        The common wrong numbers, each with the misconception behind it.
    hint : str
        The feedback for any other wrong number.

    Examples
    --------
    >>> half = Fact(0.5, oracle=lambda: 1 / 2, what="a half")
    >>> one = Fact(1.0, oracle=lambda: 1.0, what="one")
    >>> n = Number("demo-half", "Half of 1?", answer=half, tolerance=0.01,
    ...            wrong=(Wrong(one, "That is the whole."),), hint="Divide by two.",
    ...            see="sec-relu-dead")
    >>> n.spec()["answer"], n.spec()["wrong"][0]["value"]
    (0.5, 1.0)
    """

    kind: ClassVar[str] = "number"
    id: str
    question: str
    answer: Fact
    tolerance: float
    see: str
    hint: str
    wrong: tuple[Wrong, ...] = ()
    why: str = ""

    def __post_init__(self) -> None:
        where = self._validate_common()
        parse_text(self.question, f"{where}: question")
        _validate_number(self.answer, self.tolerance, self.wrong, self.hint, where)
        if self.why:
            parse_text(self.why, f"{where}: why")

    def spec(self) -> dict[str, Any]:
        tol = _real(self.tolerance, "tolerance")
        return {
            "kind": self.kind,
            "id": self.id,
            "question": parse_text(self.question),
            "answer": self.answer.value,
            "tolerance": tol,
            "wrong": [item.spec(tol) for item in self.wrong],
            "hint": parse_text(self.hint),
            "why": parse_text(self.why) if self.why else None,
            "see": _see(self.see),
        }


def _explorer(name: Any, where: str) -> Any:
    from nnmath.widgets import EXPLORERS

    if not isinstance(name, str) or name not in EXPLORERS:
        raise DeclarationError(
            f"{where}: explorer must be one of {sorted(EXPLORERS)}, got {name!r}"
        )
    return EXPLORERS[name]


def _values(cls: Any, values: Any, where: str) -> dict[str, Any]:
    """``values`` checked against the controls of the explorer class ``cls``."""
    if not isinstance(values, Mapping) or not values:
        raise DeclarationError(f"{where} must be a dict of control values, e.g. {{'x': 0.0}}")
    controls = {c.name: c for c in cls.CONTROLS}
    out = {}
    for name, value in values.items():
        if name not in controls:
            raise DeclarationError(
                f"{where}: {name!r} is no control of explorer {cls.name!r}; "
                f"its controls are {sorted(controls)}"
            )
        try:
            out[name] = controls[name].check(float(value) if isinstance(value, Fact) else value)
        except (TypeError, ValueError) as error:
            raise DeclarationError(f"{where}: {error}") from None
    return out


@dataclass(frozen=True)
class Predict(Check):
    """Predict, then check with the explorer: the reader commits to an answer (options or a
    number), then an explorer appears, set to show it.

    Give either ``options`` (as :class:`Choice`) or ``answer`` with ``tolerance``, ``hint``
    and ``wrong`` (as :class:`Number`).

    Parameters
    ----------
    id, question, see, why : str
        As for :class:`Choice`.
    explorer : str
        A key of :data:`nnmath.widgets.EXPLORERS`.
    show : dict
        The explorer's control values that show the answer (the others keep their
        defaults).
    look : str
        What to look at in the explorer once it shows the answer.
    options, multiple : see :class:`Choice`.
    answer, tolerance, wrong, hint : see :class:`Number`.

    Examples
    --------
    >>> p = Predict("demo-kink", "Predict $f'(0)$ for Leaky ReLU with $\\\\alpha = 0.1$.",
    ...             explorer="relu", show={"alpha": 0.1, "x": 0.0},
    ...             look="The dot at 0 on the right.", see="sec-relu-leaky",
    ...             options=(Option("0.1", correct=True), Option("1", why="the right slope")))
    >>> p.spec()["predict"]["values"]
    {'alpha': 0.1, 'x': 0.0}
    """

    kind: ClassVar[str] = "predict"
    id: str
    question: str
    explorer: str
    show: Mapping[str, Any]
    look: str
    see: str
    options: tuple[Option, ...] = ()
    multiple: bool = False
    answer: Fact | None = None
    tolerance: float | None = None
    hint: str = ""
    wrong: tuple[Wrong, ...] = ()
    why: str = ""

    def __post_init__(self) -> None:
        where = self._validate_common()
        parse_text(self.question, f"{where}: question")
        cls = _explorer(self.explorer, where)
        _values(cls, self.show, f"{where}: show")
        parse_text(self.look, f"{where}: look (what to look at in the explorer)")
        if bool(self.options) == (self.answer is not None):
            raise DeclarationError(
                f"{where}: give either options (a choice) or answer (a number), not "
                f"{'both' if self.options else 'neither'}"
            )
        if self.options:
            _validate_options(self.options, self.multiple, where)
        else:
            _validate_number(self.answer, self.tolerance, self.wrong, self.hint, where)
        if self.why:
            parse_text(self.why, f"{where}: why")

    def spec(self) -> dict[str, Any]:
        from nnmath.widgets import EXPLORERS

        cls = EXPLORERS[self.explorer]
        values = _values(cls, self.show, "show")
        if self.options:
            body = Choice(self.id, self.question, self.options, self.see, self.multiple, self.why)
        else:
            assert self.answer is not None and self.tolerance is not None
            body = Number(
                self.id, self.question, self.answer, self.tolerance, self.see, self.hint,
                self.wrong, self.why,
            )  # fmt: skip
        spec = body.spec()
        spec["predict"] = {
            "explorer": self.explorer,
            "values": values,
            "look": parse_text(self.look),
            # what the view builds the explorer from, set to show the answer
            "spec": cls(**values).page_spec(),
        }
        return spec


# -- challenges ------------------------------------------------------------------------------
#: The comparisons a :class:`Condition` may make.
OPERATORS = ("<", "<=", ">", ">=", "==", "!=")


def read_path(path: str, values: Mapping[str, Any], state: Mapping[str, Any]) -> Any:
    """The number ``path`` names: ``values.<control>`` or ``state.<key>[.<key or index>...]``.

    >>> read_path("state.curves.f.1", {}, {"curves": {"f": [0.0, 2.5]}})
    2.5
    >>> read_path("values.x", {"x": -1.0}, {})
    -1.0
    """
    head, *keys = path.split(".")
    node: Any = values if head == "values" else state
    for key in keys:
        if isinstance(node, Sequence) and not isinstance(node, str):
            node = node[int(key)]
        else:
            node = node[key]
    return node


@dataclass(frozen=True)
class Condition:
    """One condition of a challenge's goal, on the explorer's control values or its state.

    Parameters
    ----------
    path : str
        ``"values.<control>"`` (a control's value) or ``"state.<key>"`` (a number the
        explorer draws, the same JSON as its ``data-state``; nested keys and list indices
        are joined by dots: ``"state.p.1"``).
    op : str
        One of ``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``.
    value : real, Fact, str or bool
        What to compare with (a threshold computed by nnmath is a :class:`Fact`).
    tolerance : float
        For ``==`` and ``!=`` with numbers: equal means within this (absolute).

    Examples
    --------
    >>> Condition("state.df", "==", 0.0).met({}, {"df": 1e-12})
    True
    >>> Condition("values.alpha", "<=", 0.05).met({"alpha": 0.1}, {})
    False
    """

    path: str
    op: str
    value: Any
    tolerance: float = 1e-9

    def __post_init__(self) -> None:
        if not isinstance(self.path, str) or not re.match(
            r"^(values|state)(\.[A-Za-z0-9_]+)+$", self.path
        ):
            raise DeclarationError(
                f"Condition path must be 'values.<control>' or 'state.<key>[.<key>...]', "
                f"got {self.path!r}"
            )
        if self.op not in OPERATORS:
            raise DeclarationError(f"Condition op must be one of {OPERATORS}, got {self.op!r}")
        if self.op in ("<", "<=", ">", ">=") and not isinstance(self.value, (Fact, numbers.Real)):
            raise DeclarationError(f"Condition {self.path} {self.op}: value must be a number")

    @property
    def target(self) -> Any:
        return self.value.value if isinstance(self.value, Fact) else self.value

    def met(self, values: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        """Whether the condition holds for these values and state (as the page decides)."""
        try:
            got = read_path(self.path, values, state)
        except (KeyError, IndexError, ValueError, TypeError):
            return False
        want = self.target
        numeric = isinstance(got, numbers.Real) and isinstance(want, numbers.Real)
        if self.op in ("==", "!="):
            same = abs(got - want) <= self.tolerance if numeric else got == want
            return same if self.op == "==" else not same
        if not numeric:
            return False
        return {
            "<": got < want,
            "<=": got <= want,
            ">": got > want,
            ">=": got >= want,
        }[self.op]

    def spec(self) -> dict[str, Any]:
        return {"path": self.path, "op": self.op, "value": self.target, "tolerance": self.tolerance}


def goal_met(
    conditions: Sequence[Condition], values: Mapping[str, Any], state: Mapping[str, Any]
) -> bool:
    """Whether every condition holds."""
    return all(c.met(values, state) for c in conditions)


@dataclass(frozen=True)
class Challenge(Check):
    """A goal to reach with an explorer on the page; the explorer's state decides when.

    The challenge follows an ``explore(name)`` cell of its chapter and listens to that
    explorer (the nearest one above it with this name). It counts the reader's moves (a
    move is a change of one of ``controls``; several steps of the same control in a row are
    one move) and, once the goal holds, says so, with the moves taken.

    Parameters
    ----------
    id, see, why : str
        As for :class:`Choice`; ``why`` is shown when the goal is met: what it shows.
    explorer : str
        A key of :data:`nnmath.widgets.EXPLORERS`.
    goal : str
        The task, as the reader reads it.
    when : tuple of Condition
        The goal: all of them hold.
    fewest : int, optional
        "With the fewest moves": the fewest moves that reach the goal from the explorer's
        defaults (the tests search the controls for it, and fail if it is wrong).
    search : dict, optional
        For the tests' search of a solution: control name -> the values to try (by default
        every value of every control: each slider's steps, each choice's options). Name
        only the controls and values that matter where an explorer is slow to compute.
    controls : tuple of str, optional
        The controls whose moves count: every control that can change whether the goal
        holds (by default all of the explorer's). Name them where the explorer has controls
        that cannot, so that a reader who plays with those first is not told the goal took
        more moves than it did (the tests check that the others cannot change it). Each
        control a condition names (``values.<control>``) and each of ``search`` counts.

    Examples
    --------
    >>> c = Challenge("demo-dead", explorer="relu", goal="Make the slope 0 at x = 1.",
    ...               when=(Condition("values.x", ">", 0), Condition("state.df", "==", 0)),
    ...               fewest=1, why="Only α = 0 has no slope.", see="sec-relu-dead")
    >>> c.met({"alpha": 0.0, "x": 1.0}, {"df": 1.0}), c.spec()["fewest"]
    (False, 1)
    >>> c.spec()["controls"] is None  # every control's moves count
    True
    >>> b = Challenge("demo-batch", explorer="cross_entropy", goal="Make the bar reach -5.",
    ...               when=(Condition("state.grad.0", "==", -5.0),),
    ...               controls=("true_class", "reduction"), why="-1/p.", see="sec-relu-dead")
    >>> b.spec()["controls"], b.spec()["counts"]
    (['true_class', 'reduction'], 'Only moves of “class of sample 1” and “reduction” count.')
    """

    kind: ClassVar[str] = "challenge"
    id: str
    explorer: str
    goal: str
    when: tuple[Condition, ...]
    why: str
    see: str
    fewest: int | None = None
    search: Mapping[str, Sequence[Any]] | None = None
    controls: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        where = self._validate_common()
        cls = _explorer(self.explorer, where)
        counted = self._counted(cls, where)
        parse_text(self.goal, f"{where}: goal")
        parse_text(self.why, f"{where}: why (shown when the goal is met)")
        if not isinstance(self.when, tuple) or not self.when:
            raise DeclarationError(f"{where}: when must be a tuple of at least one Condition")
        controls = {c.name for c in cls.CONTROLS}
        for condition in self.when:
            if not isinstance(condition, Condition):
                raise DeclarationError(f"{where}: when holds {condition!r}, not a Condition")
            head, key = condition.path.split(".")[:2]
            if head == "values" and key not in controls:
                raise DeclarationError(
                    f"{where}: {condition.path!r} names no control of explorer "
                    f"{self.explorer!r}; its controls are {sorted(controls)}"
                )
            if head == "values" and key not in counted:
                raise DeclarationError(
                    f"{where}: the goal names control {key!r}, whose moves do not count: "
                    "add it to controls"
                )
        if self.fewest is not None and (
            isinstance(self.fewest, bool) or not isinstance(self.fewest, int) or self.fewest < 1
        ):
            raise DeclarationError(f"{where}: fewest must be a whole number >= 1")
        if self.search is not None:
            for name, tried in self.search.items():
                _values(cls, {name: tried[0]} if tried else {}, f"{where}: search")
                for value in tried:
                    _values(cls, {name: value}, f"{where}: search")
                if name not in counted:
                    raise DeclarationError(
                        f"{where}: search tries control {name!r}, whose moves do not count: "
                        "add it to controls"
                    )

    def _counted(self, cls: Any, where: str) -> tuple[str, ...]:
        """The names of the controls whose moves count, checked against the explorer's."""
        names = tuple(c.name for c in cls.CONTROLS)
        if self.controls is None:
            return names
        if (
            not isinstance(self.controls, tuple)
            or not self.controls
            or not all(isinstance(name, str) for name in self.controls)
        ):
            raise DeclarationError(
                f"{where}: controls must be a tuple of the names of the controls whose moves "
                f"count, e.g. {names[:1]!r}; got {self.controls!r}"
            )
        for name in self.controls:
            if name not in names:
                raise DeclarationError(
                    f"{where}: controls names {name!r}, no control of explorer "
                    f"{self.explorer!r}; its controls are {sorted(names)}"
                )
        if len(set(self.controls)) != len(self.controls):
            raise DeclarationError(f"{where}: controls names a control twice")
        return self.controls

    @property
    def counted(self) -> tuple[str, ...]:
        """The names of the controls whose moves count (all the explorer's by default)."""
        from nnmath.widgets import EXPLORERS

        return self.controls or tuple(c.name for c in EXPLORERS[self.explorer].CONTROLS)

    def counts(self) -> str | None:
        """What the reader is told of the moves that count, when not every control's do:
        the shorter list, of the controls that count or of those that do not."""
        from nnmath.widgets import EXPLORERS

        every = EXPLORERS[self.explorer].CONTROLS
        if self.controls is None or len(self.controls) == len(every):
            return None

        def listed(labels: list[str]) -> str:
            quoted = [f"\u201c{label}\u201d" for label in labels]
            return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"

        used = [c.label for c in every if c.name in self.controls]
        left = [c.label for c in every if c.name not in self.controls]
        if len(left) < len(used):
            return f"Moves of {listed(left)} do not count."
        return f"Only moves of {listed(used)} count."

    def met(self, values: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        """Whether the goal holds for the explorer's values and state."""
        return goal_met(self.when, values, state)

    def spec(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "explorer": self.explorer,
            "goal": parse_text(self.goal),
            "when": [c.spec() for c in self.when],
            "fewest": self.fewest,
            # the controls whose moves count (null: every one), and what the reader is told
            "controls": None if self.controls is None else list(self.controls),
            "counts": self.counts(),
            "why": parse_text(self.why),
            "see": _see(self.see),
        }
