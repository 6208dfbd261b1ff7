"""Every explorer's two computations are one: nnmath.js's state equals nnmath's, in a browser.

The page's scripts (built from ``js/`` by ``make js``) run in a blank page of headless
Chromium; for each explorer, ``nnmathExplorers.compute`` gives the state the page would
draw for a set of control values, and :meth:`Explorer.compute` the state a kernel would
send to the same view. Random values and values at the ends of every range; the capstone
at learning rates up to 1 (above, its runs are chaotic: see ``test_page_explorers.py``).
Tolerances: ``explorer_states.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from explorer_states import assert_same_state, random_values
from js_page import NNMATH_JS, require_browser

from nnmath.widgets import EXPLORERS
from nnmath.widgets.training import reference, setting_key

require_browser()

EXPLORERS_JS = NNMATH_JS.parent / "explorers" / "explorers.js"
CASES = 12  # random value sets per explorer, half of them at the ends of the ranges


@pytest.fixture(scope="module")
def page(chromium: Any) -> Iterator[Any]:
    if not EXPLORERS_JS.is_file():
        pytest.fail(f"{EXPLORERS_JS} is missing: run `make js`")
    context = chromium.new_context()
    context.route("**/*", lambda route: route.abort())
    page = context.new_page()
    page.goto("about:blank")
    page.add_script_tag(path=str(NNMATH_JS))
    page.add_script_tag(path=str(EXPLORERS_JS))
    yield page
    context.close()


def page_state(page: Any, spec: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return page.evaluate(
        "([view, config, values]) => nnmathExplorers.compute(view, config, values)",
        [spec["view"], spec["config"], values],
    )


@pytest.mark.parametrize("name", sorted(n for n in EXPLORERS if n != "training"))
def test_the_page_computes_nnmaths_state(page: Any, name: str) -> None:
    rng = np.random.default_rng(sum(map(ord, name)))
    spec = EXPLORERS[name]().page_spec()
    for case in range(CASES):
        values = random_values(name, rng, extreme=case % 2 == 1)
        expected = EXPLORERS[name](**values).state
        assert_same_state(name, page_state(page, spec, values), expected)


@pytest.mark.parametrize(
    ("hidden", "lr", "step"), [(100, 1.0, 1000), (5, 0.1, 0), (20, 0.3, 537), (50, 1.0, 999)]
)
def test_the_page_trains_nnmaths_network(page: Any, hidden: int, lr: float, step: int) -> None:
    spec = EXPLORERS["training"]().page_spec()
    # What the book's build adds: nnmath's own final numbers for the setting.
    spec["config"]["references"] = {setting_key(hidden, lr): reference(hidden, lr)}
    values = {"hidden": hidden, "lr": lr, "step": step}
    got = page_state(page, spec, values)
    assert got["step"] == step and got["thread"] == "page"
    assert_same_state("training", got, EXPLORERS["training"](**values).state)


def test_a_difference_fails(page: Any) -> None:
    """The comparison can fail: a state one step away is told apart."""
    spec = EXPLORERS["relu"]().page_spec()
    got = page_state(page, spec, {"alpha": 0.1, "x": 1.0})
    with pytest.raises(AssertionError):
        assert_same_state("relu", got, EXPLORERS["relu"](alpha=0.1, x=1.05).state)
