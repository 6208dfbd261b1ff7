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


# -- panels named by letter ------------------------------------------------------------
#: A panel named by where it sits: "Left:", "(right)", "the left panel", "Right, the ...".
#: A phone shows side-by-side panels one under another, so the book names them (a), (b)
#: (``nnmath.plots.label_panels``). Directions inside one panel ("further left", "the
#: bottom right corner", "towards the upper-right corner") are not panels.
PANEL_BY_POSITION = re.compile(
    r"\((?:left|right|top|bottom)\)"
    r"|\b(?:left|right|top|bottom)(?:\s+(?:panel|chart|plot|row|column)s?\b|\s*:)"
    r"|(?:^|[.;]\s+)(?:Left|Right|Top|Bottom)\b",
    re.I | re.M,
)


def figure_texts(path: Path) -> list[tuple[str, str]]:
    """Each figure's caption and alt text in ``path``: (what, text)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("mystnb", {})
        name = meta.get("figure", {}).get("name", "a figure")
        out.append((f"{name}'s caption", meta.get("figure", {}).get("caption", "")))
        out.append((f"{name}'s alt text", meta.get("image", {}).get("alt", "")))
    return [(what, text) for what, text in out if text]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Left: three ReLU curves. Right: their sum.", True),
        ("GELU (left) with their derivatives (right)", True),
        ("Left panel: the ReLU graph", True),
        ("a dip. Right, the close-up framed on the left", True),
        ("(a) Three ReLU curves; (b) their sum.", False),
        ("it slides towards the upper-right corner, one across the bottom right corner", False),
        ("each later one lies further left, with fewer points on its left", False),
    ],
)
def test_the_panel_by_position_rule(text: str, found: bool) -> None:
    assert bool(PANEL_BY_POSITION.search(text)) is found


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_captions_name_panels_by_letter_not_by_position(path: Path) -> None:
    found = [
        f"{what}: ...{text[max(0, m.start() - 30) : m.end() + 30]}..."
        for what, text in figure_texts(path)
        for m in PANEL_BY_POSITION.finditer(text)
    ]
    assert not found, "\n".join(found)


# -- what a reader sees of the code, and the whole page's length ----------------------
#: Tags that keep a code cell's source out of the page (it still runs, and its asserts
#: still fail the build), or fold it away until the reader asks for it.
REMOVED = {"remove-input", "remove-cell"}
FOLDED = {"hide-input", "hide-cell"}
#: Visible code a chapter may show: lines, of which `assert` lines, and characters a line
#: (the code column holds about 76 characters at the book's width before it scrolls).
CODE_LINES_GOAL, ASSERT_GOAL, LINE_WIDTH = 180, 10, 76
#: Words of every markdown cell of each chapter (prose, math and code in markdown,
#: exercises, solutions and collapsed boxes included) as the chapters stood before the
#: rewrite for the first reader (commit 862490c). A chapter may only get shorter.
PAGE_WORDS_BEFORE = {
    "01_relu": 4685,
    "02_softmax": 5048,
    "03_cross_entropy": 5006,
    "04_softmax_cross_entropy": 4689,
    "05_training": 4297,
    "06_troubleshooting": 3089,
}


def code_cells(path: Path) -> list[tuple[str, set[str], bool]]:
    """Each code cell's source, tags, and whether it sits inside a solution."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells, in_solution = [], False
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            if "{solution-start}" in text:
                in_solution = True
            if "{solution-end}" in text:
                in_solution = False
        elif cell["cell_type"] == "code":
            cells.append((text, set(cell.get("metadata", {}).get("tags", [])), in_solution))
    return cells


def visible_code(path: Path) -> list[str]:
    """The non-blank code lines a reader sees without opening anything."""
    lines = []
    for text, tags, in_solution in code_cells(path):
        if in_solution or tags & (REMOVED | FOLDED):
            continue
        lines += [line for line in text.splitlines() if line.strip()]
    return lines


def shown_code(path: Path) -> list[str]:
    """Every code line the page holds, folded or in a solution included."""
    return [
        line
        for text, tags, _ in code_cells(path)
        if not tags & REMOVED
        for line in text.splitlines()
    ]


def page_words(path: Path) -> int:
    return sum(word_count(text) for text in markdown_cells(path))


def test_the_visible_code_counting_rule(tmp_path: Path) -> None:
    def cell(kind: str, text: str, tags: tuple[str, ...] = ()) -> dict:
        return {"cell_type": kind, "source": text, "metadata": {"tags": list(tags)}}

    cells = [
        cell("code", "x = 1\n\nassert x == 1\n"),
        cell("code", "assert True\n", ("remove-input",)),
        cell("code", "y = 2\n", ("hide-input",)),
        cell("markdown", "```{solution-start} e\n:class: dropdown\n```"),
        cell("code", "z = 3\n"),
        cell("markdown", "```{solution-end}\n```"),
    ]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert visible_code(path) == ["x = 1", "assert x == 1"]
    assert shown_code(path) == ["x = 1", "", "assert x == 1", "y = 2", "z = 3"]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_visible_code_is_the_lesson(path: Path) -> None:
    lines = visible_code(path)
    asserts = [line for line in lines if line.lstrip().startswith("assert")]
    assert len(lines) <= CODE_LINES_GOAL, f"{path.stem}: {len(lines)} visible lines of code"
    assert len(asserts) <= ASSERT_GOAL, f"{path.stem}: {len(asserts)} visible assert lines"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_a_check_shows_itself_not_the_call_that_puts_it_there(path: Path) -> None:
    """A cell ``practice("...")`` draws its checks; its source is plumbing, and a reader
    who meets it in the page sees a line of code before the question."""
    shown = [
        text.strip()
        for text, tags, _ in code_cells(path)
        if text.lstrip().startswith("practice(") and not tags & REMOVED
    ]
    assert not shown, f"{path.stem}: practice cells without remove-input: {shown}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_code_line_is_cut_off(path: Path) -> None:
    wide = [line for line in shown_code(path) if len(line) > LINE_WIDTH]
    assert not wide, f"{path.stem}: {len(wide)} code lines wider than {LINE_WIDTH}: {wide[:3]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_whole_page_gets_shorter(path: Path) -> None:
    before = PAGE_WORDS_BEFORE.get(path.stem)
    if before is None:
        pytest.skip(f"{path.stem} is new: no earlier length to compare with")
    words = page_words(path)
    assert words <= before, f"{path.stem}: {words} words in all, {before} before the rewrite"


def test_print_the_chapters_measures(capsys: pytest.CaptureFixture[str]) -> None:
    """The numbers the goals above are about, one row a chapter, in the test log."""
    rows = []
    for path in CHAPTERS:
        lines = visible_code(path)
        asserts = sum(line.lstrip().startswith("assert") for line in lines)
        rows.append(
            f"{path.stem:<26} {word_count(first_reading_prose(markdown_cells(path))):>6} "
            f"{page_words(path):>6} {PAGE_WORDS_BEFORE.get(path.stem, '-'):>6} "
            f"{len(lines):>5} {asserts:>7}"
        )
    header = f"{'chapter':<26} {'first':>6} {'page':>6} {'before':>6} {'code':>5} {'asserts':>7}"
    with capsys.disabled():
        print("\n" + "\n".join([header, *rows]))
    assert len(rows) == len(CHAPTERS) > 0


# -- chapter 3 and the notation page --------------------------------------------------
def test_chapter_3_writes_the_notation_pages_letters() -> None:
    """The sigmoid's output is p, as on the notation page and in chapter 4 (not a); the
    clipping threshold is \\tau (τ), which the notation page lists, never an epsilon that a
    reader could take for label smoothing's \\varepsilon (ε); sum and mean share a minimiser,
    not a minimum."""
    notebook = json.loads((ROOT / "chapters" / "03_cross_entropy.ipynb").read_text("utf-8"))
    text = "\n".join(
        "".join(cell["source"]) + json.dumps(cell.get("metadata", {}), ensure_ascii=False)
        for cell in notebook["cells"]
    )
    assert not re.search(r"\ba = (\\sigma|nn\.sigmoid)|\(a - y\)|\(a − 1\)|−log a\b", text)
    assert "p = \\sigma(z)" in text and "$E = \\tfrac12 (p - y)^2$" in text
    assert not re.search(r"\\(var)?epsilon|ε|ϵ", text)
    assert "[\\tau, 1 - \\tau]" in text and "[τ, 1 − τ]" in text
    notation = (ROOT / "notation.md").read_text(encoding="utf-8")
    assert re.search(
        r"^\| \$\\tau\$ \| a small constant that keeps the logarithm from \$\\log 0\$",
        notation,
        re.M,
    )
    practice = (ROOT / "nnmath" / "practice" / "cross_entropy.py").read_text(encoding="utf-8")
    assert "same minimum" not in text and "same minimum" not in practice
