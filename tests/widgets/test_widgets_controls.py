"""Control declarations: one source for the controls of the widget and of the page."""

from __future__ import annotations

import pytest

from nnmath.widgets import Choice, Slider

ALPHA = Slider("alpha", "leak α", 0.0, 0.5, 0.01, 0.1)
STEP = Slider("step", "training step", 0, 1000, 1, 1000, integer=True, play=True, play_step=5)
LABEL = Choice("y", "label y", (("0", 0), ("1", 1)), 1)
REDUCTION = Choice("reduction", "reduction", (("mean", "mean"), ("sum", "sum")), "mean", "select")


def test_the_page_spec_carries_the_same_declaration() -> None:
    assert ALPHA.spec() == {
        "kind": "range",
        "name": "alpha",
        "label": "leak α",
        "min": 0.0,
        "max": 0.5,
        "step": 0.01,
        "value": 0.1,
        "decimals": 2,
        "play": False,
        "playStep": 0.01,
        "nudge": False,
    }
    assert STEP.spec()["decimals"] == 0 and STEP.spec()["playStep"] == 5
    assert Slider("z1", "logit z₁", -8, 8, 0.1, 1.0, nudge=True).spec()["nudge"] is True
    assert LABEL.spec() == {
        "kind": "radio",
        "name": "y",
        "label": "label y",
        "options": [{"label": "0", "value": 0}, {"label": "1", "value": 1}],
        "value": 1,
    }
    assert REDUCTION.spec()["kind"] == "select"


def test_readouts() -> None:
    assert ALPHA.format(0.25) == "0.25"
    assert Slider("z1", "logit z₁", -8, 8, 0.1, 1.0, fmt=".1f").format(-1.25) == "-1.2"
    assert STEP.format(40) == "40"
    assert LABEL.format(0) == "0"
    assert Choice("c", "class", (("class 1", 0),), 0).format(0) == "class 1"


@pytest.mark.parametrize(
    ("declaration", "value", "error", "message"),
    [
        (ALPHA, 0.7, ValueError, r"'alpha' takes values in \[0.0, 0.5\], got 0.7"),
        (ALPHA, -0.01, ValueError, "alpha"),
        (ALPHA, float("nan"), ValueError, "alpha"),
        (ALPHA, "0.2", TypeError, "'alpha' takes a real number"),
        (ALPHA, True, TypeError, "real number"),
        (STEP, 2.5, TypeError, "'step' takes a whole number"),
        (STEP, 1001, ValueError, "step"),
        (LABEL, 2, ValueError, r"'y' takes one of \[0, 1\], got 2"),
        (LABEL, True, ValueError, "takes one of"),
        (REDUCTION, "median", ValueError, "'reduction' takes one of"),
    ],
)
def test_a_value_the_control_cannot_take_is_refused(
    declaration: Slider | Choice, value: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        declaration.check(value)


def test_check_passes_good_values_through() -> None:
    assert ALPHA.check(0.5) == 0.5
    assert STEP.check(40.0) == 40 and isinstance(STEP.check(40.0), int)
    assert REDUCTION.check("sum") == "sum"


def test_bad_declarations_are_refused() -> None:
    with pytest.raises(ValueError, match="default of control 'a' must be in"):
        Slider("a", "a", 0.0, 1.0, 0.1, 2.0)
    with pytest.raises(ValueError, match="step of control 'a' must be > 0"):
        Slider("a", "a", 0.0, 1.0, 0.0, 0.5)
    with pytest.raises(ValueError, match="default of control 'c' must be one of"):
        Choice("c", "c", (("x", 1),), 2)
    with pytest.raises(ValueError, match="style must be"):
        Choice("c", "c", (("x", 1),), 1, "wheel")  # type: ignore[arg-type]
