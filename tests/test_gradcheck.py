"""nnmath/gradcheck.py: central differences against known derivatives; the two error measures."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from nnmath import (
    gradient_check,
    numerical_gradient,
    numerical_jacobian,
    relative_error,
    relu,
    relu_grad,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    softmax_jacobian,
)


def test_numerical_gradient_of_known_functions(rng):
    x = rng.standard_normal((3, 4))
    assert_allclose(numerical_gradient(lambda v: np.sum(v**2), x), 2 * x, atol=1e-8)
    assert_allclose(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x), atol=1e-9)
    g = numerical_gradient(lambda v: float(np.prod(v)), np.array([2.0, 3.0, 5.0]))
    assert_allclose(g, [15.0, 10.0, 6.0], rtol=1e-9)


def test_numerical_gradient_shape_and_dtype():
    g = numerical_gradient(lambda v: v.sum(), np.zeros((2, 3), dtype=np.float32))
    assert g.shape == (2, 3) and g.dtype == np.float64
    assert_allclose(g, 1.0, rtol=1e-9)
    assert numerical_gradient(lambda v: v * 3.0, 1.0).shape == ()
    assert_allclose(numerical_gradient(lambda v: v * 3.0, 1.0), 3.0, rtol=1e-9)
    assert_allclose(numerical_gradient(lambda v: np.sum(v), [1, 2]), [1.0, 1.0], rtol=1e-9)


def test_numerical_jacobian_of_a_linear_map_is_the_matrix(rng):
    a = rng.standard_normal((2, 3))
    jac = numerical_jacobian(lambda v: a @ v, rng.standard_normal(3))
    assert jac.shape == (2, 3)
    assert_allclose(jac, a, atol=1e-9)


def test_numerical_jacobian_shape_convention(rng):
    x = rng.standard_normal((2, 2))
    jac = numerical_jacobian(lambda v: v**2, x)
    assert jac.shape == (2, 2, 2, 2)
    expected = np.zeros((2, 2, 2, 2))
    for i in range(2):
        for j in range(2):
            expected[i, j, i, j] = 2 * x[i, j]
    assert_allclose(jac, expected, atol=1e-8)
    assert numerical_jacobian(lambda v: np.sum(v), x).shape == (2, 2)


def test_numerical_jacobian_of_softmax_matches_analytic(rng):
    z = rng.standard_normal(5)
    assert_allclose(numerical_jacobian(softmax, z), softmax_jacobian(z), atol=1e-9)


def test_input_is_left_unchanged(rng):
    x = rng.standard_normal(4)
    keep = x.copy()
    numerical_gradient(lambda v: np.sum(v**3), x)
    numerical_jacobian(lambda v: v**3, x)
    gradient_check(lambda v: np.sum(v**3), lambda v: 3 * v**2, x)
    assert_array_equal(x, keep)


def test_eps_sets_the_step():
    # A one-sided kink: the central difference at 0 sees both sides at any step.
    assert_allclose(numerical_gradient(lambda v: relu(v).sum(), [0.0], eps=1e-3), [0.5])
    # Truncation error of a central difference is eps^2 f'''/6: visible for large eps.
    g = numerical_gradient(lambda v: np.sum(v**3), [1.0], eps=0.1)
    assert_allclose(g, [3.0 + 0.01], rtol=1e-12)


@pytest.mark.parametrize("x", [1e10, 1e11, 2e10, -3e12, 2.0**40])
def test_a_step_that_rounds_away_is_an_error_naming_eps(x):
    # x + 1e-6 rounds to x (from about 2e10) or to x + one spacing: the difference was NaN
    # (0 / 0) or, at 1e10, 14 % off for a quadratic; now an error says why.
    square = lambda v: np.sum(v**2)  # noqa: E731
    pattern = r"^eps = 1e-06 is too small a step at x\[1\] = .*such as eps="
    for call in (
        lambda: numerical_gradient(square, [1.0, x]),
        lambda: numerical_jacobian(lambda v: v**2, [1.0, x]),
        lambda: gradient_check(square, lambda v: 2 * v, [1.0, x]),
    ):
        with pytest.raises(ValueError, match=pattern):
            call()


def test_the_suggested_step_works():
    x = np.array([1e10, -2e10])
    with pytest.raises(ValueError, match=r"such as eps=(\S+) ") as info:
        numerical_gradient(lambda v: np.sum(v**2), x)
    eps = float(re.search(r"such as eps=(\S+) ", str(info.value)).group(1))
    assert eps == 2e4
    g = numerical_gradient(lambda v: np.sum(v**2), x, eps=eps)
    assert_allclose(g, 2 * x, rtol=1e-9)
    assert gradient_check(lambda v: np.sum(v**2), lambda v: 2 * v, x, eps=eps) < 1e-9


def test_steps_that_the_numbers_near_x_resolve_are_accepted():
    # At 1e7 the spacing is 1.9e-9: a step of 1e-6 is taken to within 0.2 %.
    g = numerical_gradient(lambda v: np.sum(3.0 * v), [1e7, -1e7, 0.0])
    assert_allclose(g, [3.0, 3.0, 3.0], rtol=1e-2)
    assert_allclose(numerical_gradient(np.sum, [1e12], eps=1.0), [1.0])


def test_gradient_check_passes_a_correct_gradient(rng):
    z = rng.standard_normal((4, 3))
    y = rng.integers(0, 3, 4)
    err = gradient_check(
        lambda v: softmax_cross_entropy(v, y), lambda v: softmax_cross_entropy_grad(v, y), z
    )
    assert 0 <= err < 1e-7


def test_gradient_check_catches_the_diagonal_only_softmax_derivative():
    z = np.array([1.0, 2.0, 3.0])
    y = np.array([0.0, 1.0, 0.0])

    def diagonal_only(v):
        p = softmax(v)
        return -y / np.where(y > 0, p, 1.0) * p * (1 - p)

    err = gradient_check(lambda v: softmax_cross_entropy(v, y), diagonal_only, z)
    assert err > 0.5


def test_gradient_check_catches_a_missing_mean_factor(rng):
    z = rng.standard_normal((5, 3))
    y = rng.integers(0, 3, 5)
    err = gradient_check(
        lambda v: softmax_cross_entropy(v, y),
        lambda v: softmax_cross_entropy_grad(v, y, reduction="sum"),
        z,
    )
    assert_allclose(err, 1 - 1 / 5, rtol=1e-6)


def test_gradient_check_relative_error_formula():
    # f(x) = sum(x^2), claimed gradient 2x(1 + d): relative error d / (1 + d).
    x = np.array([1.0, -2.0, 3.0])
    err = gradient_check(lambda v: np.sum(v**2), lambda v: 2 * v * 1.01, x)
    assert_allclose(err, 0.01 / 1.01, rtol=1e-6)


def test_gradient_check_zero_gradient_entries_count_as_exact():
    x = np.array([-1.0, -0.5, 2.0])
    assert gradient_check(lambda v: relu(v).sum(), relu_grad, x) < 1e-9


def test_gradient_check_reports_nan_gradient_as_failure():
    err = gradient_check(lambda v: np.sum(v**2), lambda v: v * np.nan, np.ones(2))
    assert not err < 1e-7


def test_gradient_check_returns_python_float():
    assert isinstance(gradient_check(lambda v: np.sum(v), np.ones_like, np.ones(3)), float)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: numerical_gradient(lambda v: v, np.ones(3)), ValueError, r"f must return a scal"),
        (lambda: numerical_gradient(np.sum, [1.0, np.nan]), ValueError, r"x contains NaN"),
        (lambda: numerical_gradient(np.sum, [1.0, np.inf]), ValueError, r"x must be finite"),
        (lambda: numerical_gradient(np.sum, [1.0], eps=0.0), ValueError, r"eps must be > 0"),
        (lambda: numerical_gradient(np.sum, [1.0], eps="big"), TypeError, r"eps must be a real"),
        (lambda: numerical_gradient(lambda v: "a", [1.0]), TypeError, r"f must return real"),
        (lambda: numerical_gradient(np.sum, ["a"]), TypeError, r"x must be a real"),
        (
            lambda: gradient_check(np.sum, lambda v: np.ones(2), np.ones(3)),
            ValueError,
            r"grad_f\(x\) has shape \(2,\) but x has shape \(3,\)",
        ),
    ],
    ids=[
        "vector-valued-f",
        "nan-x",
        "inf-x",
        "zero-eps",
        "string-eps",
        "string-output",
        "string-x",
        "grad-shape-mismatch",
    ],
)
def test_gradcheck_errors_name_the_problem(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_gradient_check_is_not_fooled_by_tiny_entries(rng):
    # Confident logits give gradient entries near 1e-10, below the rounding
    # noise of a central difference; a correct gradient must still pass.
    z = rng.standard_normal((8, 10)) * 6
    y = rng.integers(0, 10, 8)
    assert np.min(np.abs(softmax_cross_entropy_grad(z, y))) < 1e-9
    err = gradient_check(
        lambda v: softmax_cross_entropy(v, y), lambda v: softmax_cross_entropy_grad(v, y), z
    )
    assert err < 1e-7


def test_gradient_check_catches_a_small_wrong_entry(rng):
    z = rng.standard_normal((4, 5))
    y = rng.integers(0, 5, 4)

    def slightly_wrong(v):
        g = softmax_cross_entropy_grad(v, y)
        g[2, 3] += 1e-5
        return g

    err = gradient_check(lambda v: softmax_cross_entropy(v, y), slightly_wrong, z)
    assert err > 1e-5


# --------------------------------------------------------------------------
# relative_error: the measure, and its entrywise form
# --------------------------------------------------------------------------


def test_relative_error_hand_computed():
    a, n = [3.0, -4.0], [3.3, -4.0]
    assert_allclose(relative_error(a, n), 0.3 / 4.0, rtol=1e-14)
    assert_allclose(relative_error(a, n, entrywise=True), 0.3 / 3.3, rtol=1e-14)
    assert relative_error([0.0, 2.0], [0.0, 2.0], entrywise=True) == 0.0
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([0.0, 0.0], [0.0, 0.0], entrywise=True) == 0.0
    assert relative_error([], []) == 0.0
    assert relative_error(2.0, 1.0) == 0.5
    assert isinstance(relative_error([1.0], [1.0]), float)


def test_a_wrong_tiny_entry_is_hidden_by_the_scale_and_caught_entrywise():
    # [1, 1e-9] against [1, 2e-9]: the second entry is off by a factor 2.
    a, n = [1.0, 1e-9], [1.0, 2e-9]
    assert_allclose(relative_error(a, n), 1e-9, rtol=1e-12)
    assert relative_error(a, n) < 1e-7, "against the whole gradient it passes"
    assert_allclose(relative_error(a, n, entrywise=True), 0.5, rtol=1e-12)
    assert relative_error(a, n, entrywise=True) > 1e-2, "entrywise it is caught"


def test_a_correct_tiny_entry_is_flagged_entrywise_only():
    # The numerical gradient's rounding error (1e-16 here) swamps a true entry of 1e-12.
    a, n = [1.0, 1e-12], [1.0, 1e-12 + 1e-16]
    assert_allclose(relative_error(a, n), 1e-16, rtol=1e-3)
    assert_allclose(relative_error(a, n, entrywise=True), 1e-16 / (1e-12 + 1e-16), rtol=1e-3)


def test_gradient_check_misses_a_wrong_tiny_entry_that_entrywise_catches():
    # f(x) = x0^2 + x1^2 at x1 = 1e-9, with a claimed gradient that doubles the second entry.
    x = np.array([1.0, 1e-9])

    def f(v):
        return np.sum(v**2)

    def wrong(v):
        return np.array([2 * v[0], 4 * v[1]])

    assert gradient_check(f, wrong, x) < 1e-7
    numeric = numerical_gradient(f, x)
    assert_allclose(relative_error(wrong(x), numeric, entrywise=True), 0.5, rtol=0.1)


def test_correct_softmax_gradient_passes_the_scale_and_fails_entrywise(rng):
    # Confident logits: entries near 1e-10 are right, yet their own relative error is large.
    z = rng.standard_normal((8, 10)) * 6
    y = rng.integers(0, 10, 8)
    analytic = softmax_cross_entropy_grad(z, y)
    numeric = numerical_gradient(lambda v: softmax_cross_entropy(v, y), z)
    assert relative_error(analytic, numeric) < 1e-7
    assert relative_error(analytic, numeric, entrywise=True) > 1e-7


def test_gradient_check_returns_relative_error(rng):
    z = rng.standard_normal((3, 4))
    y = rng.integers(0, 4, 3)

    def f(v):
        return softmax_cross_entropy(v, y)

    def g(v):  # the sum's gradient for the mean's loss: wrong by a factor 3
        return softmax_cross_entropy_grad(v, y, reduction="sum")

    expected = relative_error(g(z), numerical_gradient(f, z))
    assert gradient_check(f, g, z) == expected
    assert_allclose(expected, 1 - 1 / 3, rtol=1e-6)


@given(
    hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e3, 1e3)),
    hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e3, 1e3)),
)
def test_the_scale_measure_is_never_larger_than_the_entrywise_one(a, b):
    n = min(a.size, b.size)
    a, b = a[:n], b[:n]
    assert relative_error(a, b) <= relative_error(a, b, entrywise=True) * (1 + 1e-15)


def test_relative_error_non_finite_is_a_failed_comparison():
    assert np.isnan(relative_error([1.0, np.nan], [1.0, 1.0]))
    assert np.isnan(relative_error([1.0, 1.0], [np.inf, 1.0], entrywise=True))


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda: relative_error(np.ones(2), np.ones(3)),
            ValueError,
            r"^numeric has shape \(3,\) but analytic has shape \(2,\); they must match$",
        ),
        (lambda: relative_error(["a"], [1.0]), TypeError, r"^analytic must be a real numeric"),
        (lambda: relative_error([1.0], [1j]), TypeError, r"^numeric must be real, got complex"),
        (
            lambda: relative_error([1.0], [1.0], entrywise="yes"),
            TypeError,
            r"^entrywise must be True or False, got 'yes'$",
        ),
    ],
    ids=["shape-mismatch", "string-analytic", "complex-numeric", "entrywise-not-bool"],
)
def test_relative_error_errors_name_the_argument(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
