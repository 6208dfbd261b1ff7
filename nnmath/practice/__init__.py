"""Practice in the page: knowledge checks and explorer challenges, graded with no kernel.

Declared once, here, chapter by chapter; drawn by one view, on the book's static page
(graded in the browser, no kernel needed) and in Jupyter (an anywidget).

The kinds, each a frozen dataclass checked when it is made:

- :class:`Choice`: one right option (radio buttons) or several (``multiple=True``,
  checkboxes); every wrong :class:`Option` says which misconception it stands for;
- :class:`Number`: a number typed by the reader, right within a tolerance; each common
  wrong number is a :class:`Wrong` with its own feedback;
- :class:`Predict`: the reader commits to an answer (options or a number), then an
  explorer appears, set to show it;
- :class:`Challenge`: a goal reached with an explorer on the page, decided by the
  explorer's values and state (:class:`Condition`), "with the fewest moves" where it fits.

Every number a check states or grades is a :class:`Fact`: computed by nnmath when the
book is built, with an oracle (computed another way) the tests compare it with.

Each chapter has a catalogue module, ``nnmath/practice/<topic>.py``, with ``CHAPTER``
(the chapter's file name, ``"01_relu"``) and ``CHECKS`` (its checks and challenges, in
the order of the chapter). Every module of this package whose name does not start with
``_`` is a catalogue; :data:`CHECKS` collects them all.

Examples
--------
>>> from nnmath.practice import CHECKS, CHAPTERS, practice
>>> CHECKS["relu-dead-gradient"].kind
'choice'
>>> "relu-dead-gradient" in CHAPTERS["01_relu"]
True
>>> practice("relu-dead-gradient").page_html()[:52]
'<div class="nnmath-practice" data-chapter="01_relu">'
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from nnmath.practice._spec import (
    OPERATORS,
    Challenge,
    Check,
    Choice,
    Condition,
    DeclarationError,
    Fact,
    Number,
    Option,
    Predict,
    Wrong,
    facts_of,
    goal_met,
    parse_text,
    read_path,
)
from nnmath.practice._widget import Practice

__all__ = [
    "CHAPTERS",
    "CHECKS",
    "MODULES",
    "OPERATORS",
    "Challenge",
    "Check",
    "Choice",
    "Condition",
    "DeclarationError",
    "Fact",
    "Number",
    "Option",
    "Practice",
    "Predict",
    "Wrong",
    "chapter_of",
    "collect",
    "facts_of",
    "goal_met",
    "parse_text",
    "practice",
    "progress",
    "read_path",
    "validate",
]


def collect(catalogues: Any) -> tuple[dict[str, Check], dict[str, tuple[str, ...]], dict[str, str]]:
    """The checks of catalogue modules by id, the ids of each chapter, each chapter's module.

    Raises
    ------
    DeclarationError
        If a module lacks ``CHAPTER`` or ``CHECKS``, two modules declare one chapter, or two
        checks share an id.
    """
    checks: dict[str, Check] = {}
    chapters: dict[str, tuple[str, ...]] = {}
    modules: dict[str, str] = {}
    where: dict[str, str] = {}
    found = []
    for module in catalogues:
        chapter = getattr(module, "CHAPTER", None)
        declared = getattr(module, "CHECKS", None)
        if not isinstance(chapter, str) or not isinstance(declared, tuple):
            raise DeclarationError(
                f"{module.__name__} must define CHAPTER (the chapter's file name, such as "
                "'01_relu') and CHECKS (a tuple of its checks and challenges)"
            )
        if chapter in modules:
            raise DeclarationError(
                f"{module.__name__} and {modules[chapter]} both declare CHAPTER = {chapter!r}"
            )
        modules[chapter] = module.__name__
        found.append((chapter, module.__name__, declared))
    for chapter, name, declared in sorted(found, key=lambda item: item[0]):
        for check in declared:
            if not isinstance(check, Check):
                raise DeclarationError(f"{name}.CHECKS holds {check!r}, not a check")
            if check.id in checks:
                raise DeclarationError(
                    f"duplicate id {check.id!r}: in {name} and in {where[check.id]}"
                )
            checks[check.id] = check
            where[check.id] = name
        chapters[chapter] = tuple(check.id for check in declared)
    return checks, chapters, modules


def _catalogue_modules() -> list[Any]:
    """Every module of this package whose name does not start with ``_``."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]


_checks, _chapters, _modules = collect(_catalogue_modules())
_chapter_of = {i: chapter for chapter, ids in _chapters.items() for i in ids}
#: Every check and challenge of the book, by id, in the order of the chapters (read-only).
CHECKS: Mapping[str, Check] = MappingProxyType(_checks)
#: The ids of each chapter's checks and challenges, in order, by chapter file name.
CHAPTERS: Mapping[str, tuple[str, ...]] = MappingProxyType(_chapters)
#: The catalogue module of each chapter.
MODULES: Mapping[str, str] = MappingProxyType(_modules)


def chapter_of(check_id: str) -> str:
    """The chapter (file name) that declares ``check_id``."""
    return _chapter_of[_known(check_id)]


def _known(check_id: Any) -> str:
    if not isinstance(check_id, str) or check_id not in CHECKS:
        import difflib

        close = difflib.get_close_matches(str(check_id), list(CHECKS), n=1)
        guess = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"check id {check_id!r} is not declared in nnmath.practice (its chapters' "
            f"catalogues list {len(CHECKS)} checks).{guess}"
        )
    return check_id


# -- validation that needs the explorers' states --------------------------------------------------
def validate(check_ids: Any = None, labels: set[str] | None = None) -> None:
    """The checks that construction cannot make: explorers' states, and section labels.

    For each challenge: every ``state.<key>`` its conditions read exists in the
    explorer's state, and the goal does not hold at the explorer's defaults. With
    ``labels`` (every label of the book), every ``see`` must be one of them. The book's
    build runs this with the labels Sphinx knows; the tests with the chapters' labels.

    Raises
    ------
    DeclarationError
        Naming the check and what is wrong.
    """
    from nnmath.widgets import EXPLORERS

    ids = list(CHECKS) if check_ids is None else [_known(i) for i in check_ids]
    for check_id in ids:
        check = CHECKS[check_id]
        where = f"{type(check).__name__} {check.id!r}"
        if labels is not None:
            unknown = sorted(check.labels() - labels)
            if unknown:
                raise DeclarationError(
                    f"{where} points to section label(s) {unknown} that no chapter declares "
                    "(a label is written (label)= on the line above a heading)"
                )
        if isinstance(check, Challenge):
            explorer = EXPLORERS[check.explorer]()
            values, state = dict(explorer.values), explorer.state
            for condition in check.when:
                if condition.path.startswith("state."):
                    try:
                        read_path(condition.path, values, state)
                    except (KeyError, IndexError, ValueError, TypeError):
                        raise DeclarationError(
                            f"{where}: {condition.path!r} is not in the state of explorer "
                            f"{check.explorer!r}; its keys are {sorted(state)}"
                        ) from None
            if check.met(values, state):
                raise DeclarationError(
                    f"{where}: the goal already holds at the explorer's defaults {values}"
                )


# -- display --------------------------------------------------------------------------------------
def practice(*check_ids: str) -> Practice:
    """Show the checks ``check_ids`` (one, or a small group), in a chapter's code cell.

    The cell carries the tag ``remove-input``: the reader sees the checks, not the call.

    Raises
    ------
    ValueError
        If no id is given, an id is not declared, or the ids come from several chapters.
    """
    if not check_ids:
        raise ValueError(
            "practice() needs the id of at least one check, e.g. practice('relu-kink')"
        )
    chapters = {chapter_of(i) for i in check_ids}
    if len(chapters) > 1:
        raise ValueError(
            f"practice() shows checks of one chapter at a time, got {sorted(chapters)}"
        )
    if len(set(check_ids)) != len(check_ids):
        raise ValueError(f"practice() got the same id twice: {check_ids}")
    return Practice({"chapter": chapters.pop(), "items": [CHECKS[i].spec() for i in check_ids]})


def progress(chapter: str) -> Practice:
    """The reader's progress in ``chapter``'s practice ("4 of 6 answered, 3 right"), with a
    control that clears it; kept in the reader's browser only."""
    if chapter not in CHAPTERS:
        raise ValueError(f"chapter must be one of {sorted(CHAPTERS)}, got {chapter!r}")
    ids = CHAPTERS[chapter]
    return Practice(
        {
            "chapter": chapter,
            "progress": {
                "checks": [i for i in ids if not isinstance(CHECKS[i], Challenge)],
                "challenges": [i for i in ids if isinstance(CHECKS[i], Challenge)],
            },
        }
    )
