"""The chapters as a first reader meets them: length of the main path, and what they speak of.

A chapter's first-reading path is its markdown prose minus what a first reader can
skip: exercises, their solutions, and boxes collapsed by default ("Going further"
dropdowns: any directive with ``:class: dropdown``, or a ``{dropdown}``). Math and code
are not prose: display math and code cells are not counted, and inline math or code
counts as one word; a cross-reference's target does not count. The book's goal is at most
2,500 words of such prose a chapter.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
WORD_GOAL = 2500

FENCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$", re.M | re.S
)
SKIPPED = {"exercise", "solution", "dropdown"}


def markdown_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"]


def first_reading_prose(cells: list[str]) -> str:
    """The prose of a chapter that a first reader goes through (see the module docstring)."""
    kept = []
    in_solution = False
    for text in cells:
        if "{solution-start}" in text:
            in_solution = True
        if in_solution:
            if "{solution-end}" in text:
                in_solution = False
            continue

        def drop(match: re.Match[str]) -> str:
            body = match.group("body")
            if match.group("name") in SKIPPED or re.search(r"^:class:.*\bdropdown\b", body, re.M):
                return ""
            return re.sub(r"^:[\w-]+:.*$", "", body, flags=re.M)  # keep the text, not options

        text = FENCE.sub(drop, text)
        text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)  # display math
        # Inline math and code are read as one word each, a role's target not at all.
        text = re.sub(r"\$[^$\n]+\$", " x ", text)
        text = re.sub(r"\{[\w:-]+\}`[^`\n]*`", " ", text)  # {eq}`eq-a`, {numref}`fig-b`
        text = re.sub(r"`[^`\n]*`", " x ", text)
        kept.append(text)
    return "\n".join(kept)


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*", text))


def test_the_counting_rule() -> None:
    cells = [
        "One two three.\n\n```{exercise} Ex\n:label: e\nfour five\n```\n",
        "```{admonition} Going further: six\n:class: dropdown\nseven eight\n```\nnine $x + y$",
        "```{solution-start} e\n:class: dropdown\n```",
        "ten eleven",
        "```{solution-end}\n```",
        "```{note}\ntwelve {eq}`eq-a` thirteen\n```",
    ]
    prose = first_reading_prose(cells)
    # one two three, nine x (the inline math), twelve thirteen
    assert word_count(prose) == 7, prose


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_first_reading_path_is_short(path: Path) -> None:
    words = word_count(first_reading_prose(markdown_cells(path)))
    assert words <= WORD_GOAL, f"{path.stem}: {words} words on the first-reading path"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_chapters_speak_to_the_reader_not_to_the_notes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\bthe seed\b|\bseed's\b|\bseed notes\b", text, re.I), (
        f"{path.stem} speaks of notes its readers never saw"
    )
