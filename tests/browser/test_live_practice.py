"""Practice in a real JupyterLab: the same view as on the page, graded in the browser.

A module fixture starts JupyterLab (as ``test_live_jupyterlab.py`` does) on a notebook
with a number check and a predict, the ReLU explorer and its challenge, and chapter 1's
progress. The test runs it and, with the keyboard and the mouse as a reader would:

* answers the number check wrong, then right: the feedback declared for the wrong number,
  then the right verdict, and the check's ``data-state``;
* commits to the predict: its explorer appears, set to the values declared, its state
  computed by nnmath in the kernel (equal to nnmath's here); a move of its slider is
  computed by the kernel too;
* moves the explorer's controls to a solution of the challenge found with nnmath: the
  challenge, which listens to the explorer above it, says it is met in the fewest moves;
* the challenge's section, found in the notebook by its ``(label)=`` line, is linked;
* the progress counts the answers. Nothing is requested off 127.0.0.1, nothing logged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from book_site import SCREENSHOTS
from explorer_states import assert_same_state
from practice_support import search_solution
from test_live_jupyterlab import (
    STEP,
    Lab,
    _wait_for_kernel,
    lab_page,  # noqa: F401 (a fixture)
    serve_lab,
)

from nnmath.practice import CHECKS
from nnmath.widgets import EXPLORERS

NOTEBOOK = "live-practice.ipynb"
CELLS = [
    "from nnmath.practice import practice, progress\nfrom nnmath.widgets import explore",
    'practice("relu-near-kink", "relu-leaky-kink")',
    'explore("relu")',
    'practice("relu-zero-slope")',
    'progress("01_relu")',
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    import nbformat

    home = tmp_path_factory.mktemp("jupyterlab-practice")
    root = home / "notebooks"
    root.mkdir()
    section = "(sec-relu-leaky)=\n## Leaky ReLU and GELU\n\nA section the challenge points to."
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(section)]
        + [nbformat.v4.new_code_cell(source) for source in CELLS],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(notebook, str(root / NOTEBOOK))
    with serve_lab(home, root) as server:
        yield server


def _state(root: Any) -> dict[str, Any]:
    return json.loads(root.get_attribute("data-state"))


def test_practice_is_graded_in_jupyterlab(lab: Lab, lab_page: tuple[Any, Any]) -> None:  # noqa: F811
    page, record = lab_page
    page.goto(lab.url + f"lab/tree/{NOTEBOOK}", wait_until="load")
    notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
    notebook.wait_for()
    page.keyboard.press("Control+b")
    _wait_for_kernel(page, lab)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    cells = notebook.locator(".jp-Cell.jp-CodeCell")
    cells.nth(4).locator(".nnmath-progress").wait_for(timeout=60_000)

    # A number check: a common wrong number, then the right one.
    near = CHECKS["relu-near-kink"]
    check = cells.nth(1).locator('[data-check="relu-near-kink"]')
    field = check.locator("input.nnmath-number")
    field.fill(repr(near.wrong[0].value.value))
    field.press("Enter")
    assert _state(check) == {"answered": True, "correct": False}
    assert "true derivative" in check.locator(".nnmath-feedback").inner_text()
    field.fill(f"{near.answer.value:.2f}")
    field.press("Enter")
    assert _state(check) == {"answered": True, "correct": True}

    # A predict: its explorer, computed in the kernel, once committed.
    leaky = CHECKS["relu-leaky-kink"]
    predict = cells.nth(1).locator('[data-check="relu-leaky-kink"]')
    predict.locator("input.nnmath-number").fill(repr(leaky.answer.value))
    predict.locator("button[type=submit]").click()
    assert _state(predict) == {"answered": True, "correct": True}
    shown = predict.locator(".nnmath-predict-explorer .nnmath-explorer")
    page.wait_for_function(
        "el => el.dataset.values && el.dataset.values === el.dataset.asked",
        arg=shown.element_handle(),
        timeout=STEP,
    )
    values = json.loads(shown.get_attribute("data-values"))
    assert {k: values[k] for k in leaky.show} == dict(leaky.show)
    assert_same_state(
        "relu", json.loads(shown.get_attribute("data-state")), EXPLORERS["relu"](**values).state
    )
    slider = shown.locator('[data-control="x"] input[type=range]')
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "el => el.dataset.values === el.dataset.asked && JSON.parse(el.dataset.values).x > 0",
        arg=shown.element_handle(),
        timeout=STEP,
    )
    values = json.loads(shown.get_attribute("data-values"))
    assert_same_state(
        "relu", json.loads(shown.get_attribute("data-state")), EXPLORERS["relu"](**values).state
    )
    predict.screenshot(path=str(SCREENSHOTS / "jupyterlab-practice-predict.png"))

    # The challenge listens to the explorer above it.
    challenge = CHECKS["relu-zero-slope"]
    root = cells.nth(3).locator('[data-challenge="relu-zero-slope"]')
    explorer = cells.nth(2).locator(".nnmath-explorer[data-ready='true']")
    explorer.scroll_into_view_if_needed()
    moves, solution = search_solution(challenge)
    start = json.loads(explorer.get_attribute("data-values"))
    for name in [n for n in solution if solution[n] != start[n]]:
        slider = explorer.locator(f'[data-control="{name}"] input[type=range]')
        slider.focus()
        declared = next(c for c in EXPLORERS["relu"].CONTROLS if c.name == name)
        assert solution[name] in (declared.min, declared.max), "the solution is at an end"
        page.keyboard.press("Home" if solution[name] == declared.min else "End")
    page.wait_for_function(
        "el => JSON.parse(el.dataset.state).done", arg=root.element_handle(), timeout=STEP
    )
    assert _state(root)["best"] == moves == challenge.fewest
    # Its section, found in the notebook by its (label)= line, is linked.
    link = root.locator(".nnmath-feedback a.nnmath-see-link")
    assert link.inner_text() == "Leaky ReLU and GELU"
    link.click()
    heading = notebook.locator(".jp-MarkdownCell h2").first
    page.wait_for_function(
        "h => { const r = h.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
        arg=heading.element_handle(),
    )
    root.screenshot(path=str(SCREENSHOTS / "jupyterlab-practice-challenge.png"))

    progress = cells.nth(4).locator(".nnmath-progress")
    counted = _state(progress)
    assert (counted["answered"], counted["right"], counted["met"]) == (2, 2, 1)
    assert not record.foreign, record.foreign
    assert not record.errors, record.summary() + f"\n(server log: {lab.log})"
