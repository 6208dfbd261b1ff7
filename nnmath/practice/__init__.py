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
from collections.abc import Callable, Mapping
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


def _catalogue_names() -> list[str]:
    """The full names of this package's catalogue modules: every module whose name does not
    start with ``_``, in name order."""
    return sorted(
        f"{__name__}.{info.name}"
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    )


class _Catalogues:
    """The catalogues, imported when first needed.

    A catalogue computes its facts when it is imported, and some take a while (chapter 6
    trains eight small networks), so importing this package imports none of them.
    :func:`practice` and :func:`progress` import them in name order until they have what
    they were asked for (a chapter's notebook waits for its own catalogue, and those
    before it); :data:`CHECKS`, :data:`CHAPTERS`, :data:`MODULES`, an unknown id or
    chapter, and :func:`validate` import them all. Every import is followed by
    :func:`collect` over all imported so far, so a duplicate id or chapter is refused
    as soon as both its modules are in.
    """

    def __init__(self) -> None:
        self.todo = _catalogue_names()  # not imported yet, in name order
        self.modules: list[Any] = []
        self.checks: dict[str, Check] = {}
        self.chapters: dict[str, tuple[str, ...]] = {}
        self.names: dict[str, str] = {}

    def _import_next(self) -> bool:
        """Import the next catalogue not imported yet; False if there is none."""
        if not self.todo:
            return False
        modules = [*self.modules, importlib.import_module(self.todo[0])]
        self.checks, self.chapters, self.names = collect(modules)
        self.modules = modules
        del self.todo[0]
        return True

    def until(self, found: Callable[[], bool]) -> None:
        """Import catalogues in turn until ``found()`` holds, or none is left."""
        while not found() and self._import_next():
            pass

    def all(self) -> _Catalogues:
        self.until(lambda: not self.todo)
        return self


_catalogues = _Catalogues()


def __getattr__(name: str) -> Any:
    # CHECKS, CHAPTERS and MODULES, computed (every catalogue imported) when first read.
    if name == "CHECKS":
        return MappingProxyType(_catalogues.all().checks)
    if name == "CHAPTERS":
        return MappingProxyType(_catalogues.all().chapters)
    if name == "MODULES":
        return MappingProxyType(_catalogues.all().names)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Every check and challenge of the book, by id, in the order of the chapters (read-only).
CHECKS: Mapping[str, Check]
#: The ids of each chapter's checks and challenges, in order, by chapter file name.
CHAPTERS: Mapping[str, tuple[str, ...]]
#: The catalogue module of each chapter.
MODULES: Mapping[str, str]


def chapter_of(check_id: str) -> str:
    """The chapter (file name) that declares ``check_id``."""
    _known(check_id)
    return next(chapter for chapter, ids in _catalogues.chapters.items() if check_id in ids)


def _known(check_id: Any) -> str:
    """``check_id``, once the catalogue that declares it is imported (all of them if none
    does).

    Raises
    ------
    ValueError
        If no catalogue declares it, with the closest id if one is close.
    """
    if isinstance(check_id, str):
        _catalogues.until(lambda: check_id in _catalogues.checks)
    if not isinstance(check_id, str) or check_id not in _catalogues.checks:
        import difflib

        checks = _catalogues.all().checks
        close = difflib.get_close_matches(str(check_id), list(checks), n=1)
        guess = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"check id {check_id!r} is not declared in nnmath.practice (its chapters' "
            f"catalogues list {len(checks)} checks).{guess}"
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

    ids = list(_catalogues.all().checks) if check_ids is None else [_known(i) for i in check_ids]
    for check_id in ids:
        check = _catalogues.checks[check_id]
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
    items = [_catalogues.checks[i].spec() for i in check_ids]
    return Practice({"chapter": chapters.pop(), "items": items})


def progress(chapter: str) -> Practice:
    """The reader's progress in ``chapter``'s practice ("4 of 6 answered, 3 right"), with a
    control that clears it; kept in the reader's browser only."""
    _catalogues.until(lambda: chapter in _catalogues.chapters)
    if chapter not in _catalogues.chapters:
        raise ValueError(f"chapter must be one of {sorted(_catalogues.chapters)}, got {chapter!r}")
    ids = _catalogues.chapters[chapter]
    checks = _catalogues.checks
    return Practice(
        {
            "chapter": chapter,
            "progress": {
                "checks": [i for i in ids if not isinstance(checks[i], Challenge)],
                "challenges": [i for i in ids if isinstance(checks[i], Challenge)],
            },
        }
    )
