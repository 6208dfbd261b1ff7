"""``bench_book``'s order of visits: every build goes first as often as it goes second.

Measured side by side in the same rounds, the build whose pages were loaded right after
the same page of another build came out 0.1-0.2 worse in its ratios, whichever build it
was (two runs with the order swapped). The order of visits must give no build that seat
more often than another, nor leave a visit out.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_book

PAGES = ["chapters/01_relu.html", "chapters/02_softmax.html", "bibliography.html"]


@pytest.mark.parametrize("builds", [["a"], ["a", "b"], ["a", "b", "c"]])
@pytest.mark.parametrize("round_", range(6))
def test_a_round_visits_every_page_of_every_build_once(builds: list[str], round_: int) -> None:
    visits = bench_book.visit_order(builds, PAGES, round_)
    assert sorted(visits) == sorted((b, p) for b in builds for p in PAGES)


@pytest.mark.parametrize("rounds", [2, 4, 10])
def test_two_builds_take_turns_at_going_first(rounds: int) -> None:
    first = Counter()  # (page, build loaded before the other build's same page)
    for round_ in range(rounds):
        visits = bench_book.visit_order(["a", "b"], PAGES, round_)
        for page in PAGES:
            a, b = visits.index(("a", page)), visits.index(("b", page))
            first[page, "a" if a < b else "b"] += 1
    for page in PAGES:
        assert first[page, "a"] == first[page, "b"] == rounds // 2, (page, first)


def test_each_page_takes_its_turn_at_the_start() -> None:
    starts = {bench_book.visit_order(["a"], PAGES, r)[0][1] for r in range(len(PAGES))}
    assert starts == set(PAGES)
