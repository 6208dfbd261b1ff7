"""The front page: every number in its prose is checked here, and it links the back matter.

``intro.md`` has no code cells to assert in, so each number it writes in digits (outside
math, code and roles), or as a word from five up, is listed in ``NUMBERS`` with a function
that recomputes it or reads it from where it is defined. A number added to the page
without a check, or a check left for a number the page no longer has, fails
``test_every_number_in_the_prose_is_checked``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import nnmath as nn

ROOT = Path(__file__).resolve().parents[1]
INTRO = ROOT / "intro.md"


def prose(text: str) -> str:
    """The text a reader reads as words: no math, code, roles, targets or substitutions."""
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", " ", text)
    text = re.sub(r"\{[\w:-]+\}`[^`\n]*`", " ", text)  # {cite:p}`a,b`, {doc}`chapters/01_relu`
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\{\{[^}]*\}\}", " ", text)
    return text


#: Numbers written as words that are claims rather than counts of what the page shows
#: ("four formulas", "two or three lines"): from five up, and the orders of magnitude.
NUMBER_WORDS = (
    "five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions dozen dozens "
    "twofold threefold tenfold hundredfold"
).split()


def numbers_in(text: str) -> set[str]:
    """Numbers in digits (0.5, 3.10, 1e-7) and number words, as they are written."""
    words = prose(text)
    digits = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:e[-−]?\d+)?(?!\w)", words)
    spelled = [w.lower() for w in re.findall(r"[A-Za-z]+", words) if w.lower() in NUMBER_WORDS]
    return set(digits) | set(spelled)


def relu_is_kinked_at_0() -> None:
    # "at 0", "ReLU′(0)", "the logarithm of 0": ReLU's slope is 0 left of 0 and 1 right of
    # it, the convention there is 0, and log 0 is -inf (what a probability of 0 costs).
    h = 1e-6
    assert nn.relu_grad(np.array([-h, 0.0, h])).tolist() == [0.0, 0.0, 1.0]
    assert nn.binary_cross_entropy(np.array([0.0]), np.array([1.0])) == np.inf


def central_difference_at_0_is_0_5() -> None:
    # "why a central difference there returns 0.5": only the central one; the backward
    # difference gives 0 and the forward one 1.
    zero, h = np.array([0.0]), 1e-6
    central = nn.numerical_gradient(lambda v: np.sum(nn.relu(v)), zero)
    assert central[0] == 0.5
    assert (nn.relu(zero) - nn.relu(zero - h))[0] / h == 0.0
    assert (nn.relu(zero + h) - nn.relu(zero))[0] / h == 1.0


def python_3_10_or_newer() -> None:
    # "You need Python 3.10 or newer": what the package declares.
    # (tomllib is not in Python 3.10, which the project supports: read the line itself.)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^requires-python = ">=3\.10"$', pyproject, re.M)


NUMBERS: dict[str, Callable[[], None]] = {
    "0": relu_is_kinked_at_0,
    "0.5": central_difference_at_0_is_0_5,
    "3.10": python_3_10_or_newer,
}


def test_the_number_finder() -> None:
    text = "At 0.5 and 3.10 {cite:p}`a2010b` $x_1 = 2$ `lr=3` 1e-7 step 73, but not 4x."
    assert numbers_in(text) == {"0.5", "3.10", "1e-7", "73"}
    assert numbers_in("NaN after a few hundred steps, to twelve digits, in two lines") == {
        "hundred",
        "twelve",
    }


def test_every_number_in_the_prose_is_checked() -> None:
    found = numbers_in(INTRO.read_text(encoding="utf-8"))
    assert found - NUMBERS.keys() == set(), "numbers on the front page with no check here"
    assert NUMBERS.keys() - found == set(), "checks here for numbers the front page lost"


@pytest.mark.parametrize("number", sorted(NUMBERS))
def test_the_number_holds(number: str) -> None:
    NUMBERS[number]()


def test_the_front_page_links_the_notation_and_the_frameworks_appendix() -> None:
    text = INTRO.read_text(encoding="utf-8")
    assert "{doc}`notation`" in text
    assert "{doc}`chapters/frameworks`" in text
