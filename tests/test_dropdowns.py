"""The local Sphinx extension ``_ext/dropdowns.py`` on a tiny throwaway book.

The test writes a one-page reStructuredText project with an exercise, its solution and two
admonitions (one a dropdown, one not), and builds it with ``python -m sphinx`` in a fresh
process, with the extensions the book uses for them (sphinx-exercise and this one).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "_ext"

CONF = f"""
import sys
sys.path.insert(0, {str(EXT)!r})
extensions = ["sphinx_exercise", "dropdowns"]
"""

BODY = """
.. exercise:: A first exercise
   :label: ex-one

   Compute it.

.. solution:: ex-one
   :class: dropdown

   It is 42.

.. exercise:: A second exercise
   :label: ex-two

   Compute it again.

.. solution:: ex-two
   :class: dropdown

   Still 42.

.. admonition:: Going further: more
   :class: dropdown

   Hidden until opened.

.. admonition:: Always shown

   Plain.
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("dropdowns")
    source, out = tmp / "src", tmp / "out"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text(f"Title\n=====\n{BODY}", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(source), str(out)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return (out / "index.html").read_text(encoding="utf-8")


def box(page: str, text: str) -> str:
    """The HTML of the box (``<details>`` or ``<div>``) that holds ``text``."""
    before = page[: page.index(text)]
    opening = list(re.finditer(r'<(details|div)\b[^>]*class="[^"]*admonition[^"]*"', before))[-1]
    tag, start = opening.group(1), opening.start()
    depth = 0
    for match in re.finditer(rf"<{tag}\b|</{tag}>", page[start:]):
        depth += -1 if match.group(0).startswith("</") else 1
        if depth == 0:
            return page[start : start + match.end()]
    raise AssertionError(f"the box of {text!r} is not closed")


def test_a_dropdown_box_is_a_closed_details_with_its_title_as_summary(page: str) -> None:
    going = box(page, "Hidden until opened.")
    assert going.startswith('<details class="dropdown admonition"'), going[:80]
    assert " open" not in going.split(">", 1)[0]
    assert re.search(r'<summary class="admonition-title">Going further: more<svg', going)
    assert going.endswith("</details>")


def test_a_solution_is_a_closed_details_whose_title_links_nowhere(page: str) -> None:
    solution = box(page, "It is 42.")
    assert solution.startswith('<details class="solution dropdown admonition"'), solution[:80]
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", solution, re.S)
    assert summary, solution[:200]
    # A click on its title opens it: no link inside the <summary> to take the click.
    assert "<a " not in summary.group(1) and "Solution to" in summary.group(1)
    assert "ex-one" in page.split(solution)[0]  # the exercise is still where it was


def test_other_boxes_are_written_as_before(page: str) -> None:
    shown = box(page, "Plain.")
    assert shown.startswith('<div class="admonition'), shown[:80]
    assert '<p class="admonition-title">Always shown</p>' in shown
    assert page.count("<details") == page.count("</details>") == 3


def test_each_id_names_one_element(page: str) -> None:
    """sphinx-exercise gives every exercise's and solution's body the same id."""
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'id="ex-one"' in page and 'id="ex-two"' in page
