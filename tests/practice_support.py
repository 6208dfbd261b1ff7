"""Shared by the practice tests: a challenge's solution, found by searching its explorer's
controls with nnmath (the explorer's Python state), never read from the declaration."""

from __future__ import annotations

import itertools
import math
from typing import Any

from nnmath.practice import Challenge
from nnmath.widgets import EXPLORERS, Slider
from nnmath.widgets import Choice as ChoiceControl


def control_grid(control: Any) -> list[Any]:
    """Every value a control can take: a slider's steps (as a browser's range input snaps
    them, to the step's decimals), a choice's options."""
    if isinstance(control, ChoiceControl):
        return list(control.values)
    assert isinstance(control, Slider)
    n = round((control.max - control.min) / control.step)
    decimals = max(0, -math.floor(math.log10(control.step)) + 2)
    values = [control.min + i * control.step for i in range(n + 1)]
    return [int(v) if control.integer else round(v, decimals) for v in values]


def search_solution(challenge: Challenge, most: int = 3) -> tuple[int, dict[str, Any]] | None:
    """The fewest controls to change from the explorer's defaults to meet the goal, and the
    values that do (the first found, each control's grid in order); None if none within
    ``most`` controls. Only the controls whose moves count are tried: a test holds the
    others to changing nothing of the goal."""
    cls = EXPLORERS[challenge.explorer]
    explorer = cls()
    start = dict(explorer.values)
    grids = {c.name: control_grid(c) for c in cls.CONTROLS if c.name in challenge.counted}
    if challenge.search:
        grids = {name: list(values) for name, values in challenge.search.items()}
    if challenge.met(start, explorer.compute(start)):
        return 0, start
    for k in range(1, most + 1):
        for names in itertools.combinations(sorted(grids), k):
            choices = [[v for v in grids[n] if v != start[n]] for n in names]
            for combo in itertools.product(*choices):
                values = {**start, **dict(zip(names, combo, strict=True))}
                if challenge.met(values, explorer.compute(values)):
                    return k, values
    return None
