"""The activation explorers: ReLU's own, and the generic one of any elementwise formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from explorer_checks import assert_healthy, line_x, line_y

import nnmath
from nnmath.widgets import explore

pytestmark = pytest.mark.filterwarnings("error")


@pytest.mark.parametrize("alpha", [0.0, 0.25, 0.5])
@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 1.25, 3.0])
def test_relu_plots_leaky_relu_and_its_derivative(alpha: float, x: float) -> None:
    ex = explore("relu")
    ex.controls["alpha"].value = alpha
    ex.controls["x"].value = x
    g = line_x(ex.leaky)
    np.testing.assert_allclose(line_y(ex.leaky), np.where(g > 0, g, alpha * g))
    left, right = ex.d_leaky_left, ex.d_leaky_right
    assert (line_x(left) < 0).all() and (line_x(right) > 0).all()
    np.testing.assert_array_equal(line_y(left), alpha)
    np.testing.assert_array_equal(line_y(right), 1.0)
    np.testing.assert_array_equal(line_y(ex.d_leaky_zero), [alpha])  # the convention at 0
    fx = (x if x > 0 else alpha * x) + 0.0  # no negative zero
    slope = 1.0 if x > 0 else alpha
    np.testing.assert_allclose(line_y(ex.point), [fx])
    np.testing.assert_allclose(line_x(ex.point), [x])
    np.testing.assert_allclose(line_y(ex.d_point), [slope])
    tx, ty = line_x(ex.tangent), line_y(ex.tangent)
    np.testing.assert_allclose(np.diff(ty) / np.diff(tx), [slope])
    np.testing.assert_allclose(np.interp(x, tx, ty), fx, atol=1e-12)
    assert f"{fx:+.3f}" in ex.readout.get_text()
    assert_healthy(ex)


def test_relu_alpha_zero_is_plain_relu() -> None:
    ex = explore("relu", alpha=0.0)
    np.testing.assert_array_equal(line_y(ex.leaky), nnmath.relu(line_x(ex.leaky)))


# -- the generic explorer of an elementwise formula ------------------------------------------
def test_every_elementwise_formula_of_the_registry_has_an_explorer() -> None:
    from nnmath.registry import FORMULAS
    from nnmath.widgets import EXPLORERS

    shown = {n for cls in EXPLORERS.values() for n in (cls.name, *cls.covers)}
    for formula in FORMULAS:
        if formula.kind == "elementwise":
            assert formula.name in shown, f"{formula.name} has no explorer"


def gelu_by_hand(x: float) -> tuple[float, float]:
    phi = 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))
    return x * phi, phi + x * math.exp(-x * x / 2.0) / math.sqrt(2.0 * math.pi)


@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 1.25, 3.0])
def test_gelu_explorer_draws_x_phi_and_its_derivative(x: float) -> None:
    ex = explore("gelu", x=x)
    f, df = gelu_by_hand(x)
    np.testing.assert_allclose(line_y(ex.point), [f], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(line_y(ex.d_point), [df], rtol=1e-13)
    tx, ty = line_x(ex.tangent), line_y(ex.tangent)
    np.testing.assert_allclose(np.diff(ty) / np.diff(tx), [df], rtol=1e-12)
    np.testing.assert_allclose(np.interp(x, tx, ty), f, atol=1e-12)
    assert "f′(x) = " in ex.readout.get_text()
    assert_healthy(ex)


def test_sigmoid_explorer_and_its_page_names() -> None:
    ex = explore("sigmoid", x=2.0)
    np.testing.assert_allclose(line_y(ex.point), [1.0 / (1.0 + math.exp(-2.0))], rtol=1e-15)
    config = ex.page_config()
    assert (config["function"], config["derivative"]) == ("sigmoid", "sigmoidGrad")
    assert config["kinks"] == [] and ex.view == "activation"
    lo, hi = config["flim"]
    assert lo < 0.0 and hi > 1.0, "the curve's range with room around it"


def test_only_elementwise_formulas_get_the_generic_explorer() -> None:
    from nnmath.widgets import ActivationExplorer

    with pytest.raises(ValueError, match="elementwise"):
        ActivationExplorer.of("softmax")
