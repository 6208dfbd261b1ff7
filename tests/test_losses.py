"""nnmath/losses.py: reference numbers, exact infinities, SciPy as an oracle, properties.

What every loss promises alike (its gradient against central differences, consistent
reductions, dtypes, read-only input) is tested over the registry in
``test_registry.py``; this file holds what is particular to each.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.special as sps
from cases import random_simplex
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from nnmath import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    one_hot,
    sigmoid,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    softmax_jacobian,
)

Z123 = np.array([1.0, 2.0, 3.0])
Z123.setflags(write=False)  # shared by the tests of this module: none may change it


@pytest.fixture(autouse=True)
def _runtime_warnings_are_errors():
    """Also without pyproject's filter: no NumPy RuntimeWarning may escape a loss."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


# --------------------------------------------------------------------------
# Reference numbers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"), [(0, 2.40760596), (1, 1.40760596), (2, 0.40760596)]
)
def test_cross_entropy_reference_z123(target, expected):
    assert_allclose(softmax_cross_entropy(Z123, target), expected, atol=5e-9)
    assert_allclose(softmax_cross_entropy(Z123, one_hot(target, 3)), expected, atol=5e-9)
    p = sps.softmax(Z123)
    assert_allclose(cross_entropy(p, target), expected, atol=5e-9)


@pytest.mark.parametrize(("k", "expected"), [(3, 1.0986), (10, 2.3026)])
def test_uniform_guess_costs_ln_k(k, expected):
    assert_allclose(softmax_cross_entropy(np.zeros(k), 0), expected, atol=5e-5)
    assert_allclose(cross_entropy(np.full(k, 1 / k), k - 1), expected, atol=5e-5)
    assert_allclose(softmax_cross_entropy(np.zeros((4, k)), [0, 1, 2, 0]), np.log(k), rtol=1e-14)


def test_worked_gradient_middle_class():
    p = np.array([0.2, 0.3, 0.5])
    assert_allclose(softmax_cross_entropy_grad(np.log(p), 1), [0.2, -0.7, 0.5], atol=1e-15)


def test_diagonal_only_shortcut_chain_vs_true_gradient():
    y = np.array([0.0, 1.0, 0.0])
    p = softmax(Z123)
    dl_dp = cross_entropy_grad(p, y)
    diagonal_only = dl_dp * np.diag(softmax_jacobian(Z123))
    assert_allclose(diagonal_only, [0.0, -0.755, 0.0], atol=5e-4)
    assert_allclose(diagonal_only, -y * (1 - p), atol=1e-15)
    true = softmax_cross_entropy_grad(Z123, 1)
    assert_allclose(true, [0.090, -0.755, 0.665], atol=5e-4)
    assert_allclose(softmax_jacobian(Z123).T @ dl_dp, true, atol=1e-15)


# --------------------------------------------------------------------------
# Exact values where a naive formula fails
# --------------------------------------------------------------------------


def test_softmax_cross_entropy_large_logit_gap():
    assert softmax_cross_entropy([0.0, 200.0], 0) == 200.0
    assert_array_equal(softmax_cross_entropy_grad([0.0, 200.0], 0), [-1.0, 1.0])
    assert softmax_cross_entropy(np.array([0.0, 200.0], dtype=np.float32), 0) == 200.0


def test_naive_probability_path_is_infinite_where_logits_are_not():
    # In float32, softmax([0, 200])[0] = e^-200 underflows to 0: -log p is inf,
    # while the logits form is exact.  (In float64 e^-200 is still representable.)
    z32 = np.array([0.0, 200.0], dtype=np.float32)
    p = softmax(z32)
    assert p[0] == 0.0
    assert cross_entropy(p, 0) == np.inf
    assert softmax_cross_entropy(z32, 0) == np.float32(200.0)
    assert_allclose(cross_entropy(softmax([0.0, 200.0]), 0), 200.0, rtol=1e-13)
    p = softmax([0.0, 800.0])
    assert cross_entropy(p, 0) == np.inf
    assert softmax_cross_entropy([0.0, 800.0], 0) == 800.0


def test_probability_losses_true_infinities_and_zero_log_zero():
    assert_array_equal(
        binary_cross_entropy([0.0, 1.0, 0.0, 1.0], [1, 0, 0, 1], reduction="none"),
        [np.inf, np.inf, 0.0, 0.0],
    )
    assert binary_cross_entropy([0.0], [1.0]) == np.inf
    assert_array_equal(cross_entropy([[0.0, 1.0], [1.0, 0.0]], [0, 0], reduction="none"),
                       [np.inf, 0.0])  # fmt: skip
    assert cross_entropy([1.0, 0.0, 0.0], [1.0, 0.0, 0.0]) == 0.0
    assert not np.signbit(cross_entropy([1.0, 0.0], 0))


def test_probability_gradients_never_nan():
    g = binary_cross_entropy_grad([0.0, 1.0, 0.0, 1.0], [0, 1, 1, 0], reduction="none")
    assert_array_equal(g, [1.0, -1.0, -np.inf, np.inf])
    g = cross_entropy_grad([[0.0, 1.0], [1.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]], reduction="sum")
    assert_array_equal(g, [[0.0, -1.0], [-1.0, 0.0]])
    g = cross_entropy_grad([0.0, 1.0], 0, reduction="sum")
    assert_array_equal(g, [-np.inf, 0.0])
    g = cross_entropy_grad([0.0, 1.0], 1, reduction="sum")
    assert_array_equal(g, [0.0, -1.0])


def test_sigmoid_then_bce_loses_information_logits_keep_it():
    # At z = -50 the unclipped probability path still chains to -1 ...
    z = np.array([-50.0])
    with np.errstate(over="raise"):
        chained = (
            binary_cross_entropy_grad(sigmoid(z), [1.0], reduction="sum")
            * np.exp(z)
            / (1 + np.exp(z)) ** 2
        )
    assert_allclose(chained, [-1.0], rtol=1e-12)
    # ... but once sigmoid underflows to 0 the probability is gone: the loss is
    # inf, while the logits form still gives the exact loss and gradient.
    z = np.array([-800.0])
    assert sigmoid(z)[0] == 0.0
    assert binary_cross_entropy(sigmoid(z), [1.0]) == np.inf
    assert_allclose(binary_cross_entropy_with_logits(z, [1.0]), 800.0, rtol=1e-15)
    assert_allclose(binary_cross_entropy_with_logits_grad(z, [1.0]), [-1.0], rtol=1e-15)
    assert_allclose(binary_cross_entropy_with_logits([-50.0], [1.0]), 50.0, rtol=1e-15)


def test_masked_logits_in_softmax_cross_entropy():
    z = np.array([[2.0, -np.inf, 0.5], [-np.inf, 1.0, 3.0]])
    y = np.array([0, 2])
    expected = [sps.logsumexp([2.0, 0.5]) - 2.0, sps.logsumexp([1.0, 3.0]) - 3.0]
    assert_allclose(softmax_cross_entropy(z, y, reduction="none"), expected, rtol=1e-14)
    g = softmax_cross_entropy_grad(z, y, reduction="sum")
    assert g[0, 1] == 0.0 and g[1, 0] == 0.0
    soft = np.array([[0.5, 0.0, 0.5], [0.0, 0.25, 0.75]])
    loss = softmax_cross_entropy(z, soft, reduction="none")
    assert np.all(np.isfinite(loss))
    gs = softmax_cross_entropy_grad(z, soft, reduction="sum")
    assert gs[0, 1] == 0.0 and gs[1, 0] == 0.0
    # The label on a masked class: the loss is truly infinite, the gradient is p - y.
    assert softmax_cross_entropy([0.0, -np.inf], 1) == np.inf
    assert_array_equal(softmax_cross_entropy_grad([0.0, -np.inf], 1), [1.0, -1.0])


def test_bce_with_logits_minus_inf_is_a_certain_negative():
    z = np.array([-np.inf, -np.inf])
    assert_array_equal(binary_cross_entropy_with_logits(z, [0.0, 1.0], reduction="none"),
                       [0.0, np.inf])  # fmt: skip
    assert_array_equal(binary_cross_entropy_with_logits_grad(z, [0.0, 1.0], reduction="none"),
                       [0.0, -1.0])  # fmt: skip


# --------------------------------------------------------------------------
# SciPy as an independent oracle
# --------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1.0, 20.0, 500.0], ids=["scale1", "scale20", "scale500"])
def test_softmax_cross_entropy_labels_vs_scipy(rng, scale):
    z = rng.standard_normal((40, 7)) * scale
    y = rng.integers(0, 7, 40)
    ref = -sps.log_softmax(z, axis=-1)[np.arange(40), y]
    assert_allclose(softmax_cross_entropy(z, y, reduction="none"), ref, rtol=1e-12, atol=1e-12)
    assert_allclose(softmax_cross_entropy(z, y), ref.mean(), rtol=1e-12)
    assert_allclose(softmax_cross_entropy(z, y, reduction="sum"), ref.sum(), rtol=1e-12)
    grad = sps.softmax(z, axis=-1)
    grad[np.arange(40), y] -= 1
    assert_allclose(softmax_cross_entropy_grad(z, y, reduction="sum"), grad, atol=1e-14)
    assert_allclose(softmax_cross_entropy_grad(z, y), grad / 40, atol=1e-15)


def test_softmax_cross_entropy_soft_targets_vs_scipy(rng):
    z = rng.standard_normal((30, 5)) * 4
    y = random_simplex(rng, (30, 5))
    ref = -np.sum(y * sps.log_softmax(z, axis=-1), axis=-1)
    assert_allclose(softmax_cross_entropy(z, y, reduction="none"), ref, rtol=1e-12)
    assert_allclose(
        softmax_cross_entropy_grad(z, y, reduction="none"), sps.softmax(z, axis=-1) - y, atol=1e-14
    )


def test_cross_entropy_vs_scipy_xlogy(rng):
    p = random_simplex(rng, (25, 4))
    y = random_simplex(rng, (25, 4))
    ref = -np.sum(sps.xlogy(y, p), axis=-1)
    assert_allclose(cross_entropy(p, y, reduction="none"), ref, rtol=1e-13)
    assert_allclose(cross_entropy_grad(p, y, reduction="sum"), -y / p, rtol=1e-14)
    labels = rng.integers(0, 4, 25)
    assert_allclose(cross_entropy(p, labels), -np.mean(np.log(p[np.arange(25), labels])),
                    rtol=1e-13)  # fmt: skip


def test_binary_cross_entropy_vs_scipy(rng):
    p = rng.uniform(0.01, 0.99, 50)
    y = rng.uniform(0, 1, 50)
    y[:10] = 0.0
    y[10:20] = 1.0
    ref = -(sps.xlogy(y, p) + sps.xlogy(1 - y, 1 - p))
    assert_allclose(binary_cross_entropy(p, y, reduction="none"), ref, rtol=1e-13)
    assert_allclose(binary_cross_entropy(p, y), ref.mean(), rtol=1e-13)
    assert_allclose(binary_cross_entropy_grad(p, y, reduction="none"), (p - y) / (p * (1 - p)),
                    rtol=1e-10)  # fmt: skip


def test_binary_cross_entropy_with_logits_vs_scipy(rng):
    z = np.concatenate([rng.standard_normal(40) * 8, [-700.0, -40.0, 40.0, 700.0]])
    y = rng.uniform(0, 1, z.size)
    y[::3] = 1.0
    y[1::3] = 0.0
    ref = -(y * sps.log_expit(z) + (1 - y) * sps.log_expit(-z))
    assert_allclose(binary_cross_entropy_with_logits(z, y, reduction="none"), ref, rtol=1e-12)
    assert_allclose(binary_cross_entropy_with_logits_grad(z, y, reduction="sum"),
                    sps.expit(z) - y, atol=1e-15)  # fmt: skip


def test_bce_and_two_class_softmax_ce_agree(rng):
    # Binary with logit z is two-class softmax with logits [0, z].
    z = rng.standard_normal(20) * 3
    y = rng.integers(0, 2, 20)
    two = np.stack([np.zeros_like(z), z], axis=-1)
    assert_allclose(binary_cross_entropy_with_logits(z, y), softmax_cross_entropy(two, y),
                    rtol=1e-13)  # fmt: skip
    assert_allclose(binary_cross_entropy(sigmoid(z), y), binary_cross_entropy_with_logits(z, y),
                    rtol=1e-10)  # fmt: skip


# --------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------


def test_mean_divides_by_samples_not_elements(rng):
    z = rng.standard_normal((6, 4))
    y = rng.integers(0, 4, 6)
    assert_allclose(softmax_cross_entropy(z, y), softmax_cross_entropy(z, y, reduction="sum") / 6)
    assert softmax_cross_entropy(z[0], y[0], reduction="none").shape == ()
    assert softmax_cross_entropy(z, y, reduction="none").shape == (6,)
    z3 = rng.standard_normal((2, 3, 4))
    y3 = rng.integers(0, 4, (2, 3))
    assert softmax_cross_entropy(z3, y3, reduction="none").shape == (2, 3)
    assert_allclose(softmax_cross_entropy_grad(z3, y3) * 6,
                    softmax_cross_entropy_grad(z3, y3, reduction="sum"), rtol=1e-14)  # fmt: skip


def test_the_mean_of_losses_whose_sum_overflows_is_finite():
    # Two losses of 1e308 add up to inf; their mean, 1e308, is a float64: divide first.
    z = np.array([[1e308, 0.0], [0.0, 1e308]])
    assert softmax_cross_entropy(z, [1, 0]) == 1e308
    assert softmax_cross_entropy(z, [1, 0], reduction="sum") == np.inf  # the sum is not
    z32 = np.array([[3e38, 0.0], [0.0, 3e38]], dtype=np.float32)
    assert softmax_cross_entropy(z32, [1, 0]) == np.float32(3e38)
    big = np.array([-1e308, -1.5e308])
    assert binary_cross_entropy_with_logits(big, [1.0, 1.0]) == 1.25e308
    # A loss that is infinite stays infinite in the mean.
    assert softmax_cross_entropy([[1e308, -np.inf], [0.0, 1e308]], [1, 0]) == np.inf


# --------------------------------------------------------------------------
# Properties (Hypothesis)
# --------------------------------------------------------------------------

logits = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(1, 6)),
    elements=st.floats(-40, 40, allow_nan=False, width=64),
)


@st.composite
def logits_and_targets(draw):
    z = draw(logits)
    n, k = z.shape
    if draw(st.booleans()):
        y = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
        rows = np.eye(k)[y]
    else:
        w = draw(hnp.arrays(np.float64, (n, k), elements=st.floats(0, 1)))
        w[:, 0] += 1e-3
        y = rows = w / w.sum(axis=-1, keepdims=True)
    return z, y, rows


@given(logits_and_targets())
def test_p_minus_y_is_jacobian_transpose_times_cross_entropy_grad(data):
    z, y, rows = data
    p = softmax(z)
    # Chain rule by hand, on rows where no target class has underflowed to p = 0.
    ok = np.all((p > 1e-250) | (rows == 0), axis=-1)
    dl_dp = np.zeros_like(z)
    np.divide(-rows, p, out=dl_dp, where=rows != 0)
    chained = np.einsum("nij,ni->nj", softmax_jacobian(z), dl_dp)
    g = softmax_cross_entropy_grad(z, y, reduction="sum")
    assert_allclose(g[ok], chained[ok], atol=1e-9)
    if ok.all():
        dl_dp = cross_entropy_grad(p, rows, reduction="sum")
        assert_allclose(g, np.einsum("nij,ni->nj", softmax_jacobian(z), dl_dp), atol=1e-9)


@given(logits_and_targets())
def test_gradient_rows_sum_to_zero_and_loss_nonnegative(data):
    z, y, _ = data
    g = softmax_cross_entropy_grad(z, y, reduction="sum")
    assert_allclose(g.sum(axis=-1), 0.0, atol=1e-12)
    assert np.all(softmax_cross_entropy(z, y, reduction="none") >= 0)


@given(logits_and_targets(), st.floats(-500, 500, allow_nan=False))
def test_softmax_cross_entropy_shift_invariant(data, c):
    z, y, _ = data
    shifted = softmax_cross_entropy(z + c, y, reduction="none")
    assert_allclose(shifted, softmax_cross_entropy(z, y, reduction="none"), rtol=1e-9, atol=1e-9)


@given(logits_and_targets())
def test_labels_and_one_hot_rows_agree(data):
    z, y, rows = data
    if y.dtype.kind == "i":
        assert_allclose(softmax_cross_entropy(z, y), softmax_cross_entropy(z, rows), rtol=1e-13)
        assert_allclose(softmax_cross_entropy_grad(z, y), softmax_cross_entropy_grad(z, rows),
                        atol=1e-15)  # fmt: skip


def test_gradient_is_sum_y_times_p_minus_y_for_soft_targets(rng):
    # Rows that sum to 1 within the tolerance: (sum y) p - y, not p - y.
    z = rng.standard_normal((3, 4))
    y = random_simplex(rng, (3, 4)) * (1 + 5e-6)
    expected = y.sum(axis=-1, keepdims=True) * sps.softmax(z, axis=-1) - y
    assert_allclose(softmax_cross_entropy_grad(z, y, reduction="sum"), expected, atol=1e-15)


def test_label_smoothing_targets(rng):
    z = rng.standard_normal((4, 5))
    y = one_hot([0, 1, 2, 3], 5) * 0.9 + 0.1 / 5
    assert_allclose(softmax_cross_entropy_grad(z, y, reduction="sum"),
                    sps.softmax(z, axis=-1) - y, atol=1e-15)  # fmt: skip


# --------------------------------------------------------------------------
# one_hot
# --------------------------------------------------------------------------


def test_one_hot():
    out = one_hot([2, 0, 1], 3)
    assert out.dtype == np.float64
    assert_array_equal(out, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert one_hot(np.array([[1, 0]], dtype=np.uint8), 2).shape == (1, 2, 2)
    assert_array_equal(one_hot(1, 2), [0.0, 1.0])
    assert one_hot(np.array([], dtype=int), 4).shape == (0, 4)


# --------------------------------------------------------------------------
# Dtypes
# --------------------------------------------------------------------------


def test_integer_inputs_give_float64_gradients():
    assert softmax_cross_entropy_grad([[1, 2, 3]], [0]).dtype == np.float64
    assert binary_cross_entropy_grad([0, 1], [0, 1]).dtype == np.float64
    assert binary_cross_entropy_with_logits_grad([0, 1], [True, False]).dtype == np.float64
    assert cross_entropy_grad([[0, 1]], [1]).dtype == np.float64
    assert_array_equal(cross_entropy_grad([[0, 1]], [1]), [[0.0, -1.0]])


def test_float32_loss_matches_float64(rng):
    z = rng.standard_normal((8, 5)).astype(np.float32)
    y = rng.integers(0, 5, 8)
    assert_allclose(softmax_cross_entropy(z, y), softmax_cross_entropy(z.astype(float), y),
                    rtol=1e-6)  # fmt: skip


def test_any_memory_layout_gives_the_same_gradients(rng):
    z = rng.standard_normal((3, 4, 5))
    y = rng.integers(0, 5, (3, 4))
    p = sps.softmax(z, axis=-1)
    expected = p - one_hot(y, 5)
    for layout in (np.asfortranarray(z), z.transpose(1, 0, 2).copy().transpose(1, 0, 2)):
        assert_allclose(softmax_cross_entropy_grad(layout, y, reduction="sum"), expected,
                        atol=1e-15)  # fmt: skip
    pf = np.asfortranarray(p)
    assert_allclose(cross_entropy_grad(pf, y, reduction="sum"), -one_hot(y, 5) / p, rtol=1e-15)


def test_a_gradient_beyond_the_range_is_minus_inf_without_a_warning() -> None:
    # -y / p at the smallest subnormal p is -2e323, beyond float64: the true value rounds
    # to -inf, as nnmath.js says; NumPy would warn of the overflow (an error in this suite).
    tiny = 5e-324
    assert binary_cross_entropy_grad([tiny], [1.0], reduction="none")[0] == -np.inf
    assert cross_entropy_grad([[tiny, 1.0]], [0], reduction="none")[0, 0] == -np.inf
    rows = cross_entropy_grad([[tiny, 1.0]], [[1.0, 0.0]], reduction="none")
    assert rows[0, 0] == -np.inf
