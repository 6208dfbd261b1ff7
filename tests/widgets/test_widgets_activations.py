"""The ReLU explorer: Leaky ReLU, its derivative, the point and the tangent, by formula."""

from __future__ import annotations

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
