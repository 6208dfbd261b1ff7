"""Which dtypes nnmath computes in, and how (the README's "dtypes" paragraph).

* float64 and float32 are computed in their own dtype (float32 stays float32); GELU is
  computed in float64 and rounded once.
* float16 keeps its dtype, but what would overflow it or round a parameter away is
  computed in float32 and rounded once: sums of exponentials (a row of more than 65504
  classes), temperatures, Leaky ReLU's slope, the sums of the losses' reductions.
* ``np.longdouble`` is refused with a ``TypeError`` that names the argument: nnmath's
  normal distribution (GELU) and its tolerances are float64's, and on some platforms
  longdouble is float64 and on others it is not, so it would give different results.
* Integers and booleans are computed in float64 (``test_registry.py``).

Every expected value here is the float64 result of the same function rounded once to
the narrow dtype, or a closed form: never the narrow computation itself.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from cases import bind, functions, random_simplex
from numpy.testing import assert_allclose, assert_array_equal

import nnmath as nm
from nnmath.registry import TOOLS


@pytest.fixture(autouse=True)
def _no_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


F16, F32 = np.float16, np.float32


def rounded(fn, z, dtype, *args, **kwargs):
    """``fn`` in float64 on the (exactly widened) narrow input, rounded once to `dtype`."""
    return np.asarray(fn(np.asarray(z, dtype=np.float64), *args, **kwargs)).astype(dtype)


# --------------------------------------------------------------------------
# float16: computed in float32 where float16 would overflow
# --------------------------------------------------------------------------


@pytest.mark.parametrize("k", [3, 1000, 65505, 100_000], ids=lambda k: f"K={k}")
def test_float16_rows_of_any_length(k):
    z = np.zeros(k, dtype=F16)
    z[0] = 2.0
    p = nm.softmax(z)
    assert p.dtype == F16
    # Closed forms: p_0 = e^2 / (e^2 + K - 1), the others 1 / (e^2 + K - 1), rounded once
    # (to within an ulp: float32's result may round the other way at a halfway point).
    total = math.exp(2.0) + k - 1
    want = np.array([math.exp(2.0) / total, 1 / total])
    assert np.all(np.abs(p[[0, 1]].astype(float) - want) <= np.spacing(want.astype(F16)))
    assert nm.log_softmax(z)[1] == F16(-math.log(total))
    assert nm.logsumexp(z) == F16(math.log(total))
    assert nm.softmax_cross_entropy(z, 1) == F16(math.log(total))


def test_float16_results_beyond_its_range_are_its_infinities():
    # -120000 and 120000 round to float16's -inf and inf: no warning (see the fixture).
    z = np.array([60000.0, -60000.0], dtype=F16)
    assert_array_equal(nm.log_softmax(z), [0.0, -np.inf])
    assert nm.softmax_cross_entropy(z, 1) == np.inf
    assert nm.softmax_cross_entropy(z, np.array([0.5, 0.5], dtype=F16)) == F16(60000.0)
    assert_array_equal(nm.softmax(z, temperature=1e-3), [1.0, 0.0])


def test_float16_is_float32_arithmetic_rounded_once(rng):
    z = (rng.standard_normal((6, 9)) * 8).astype(F16)
    y = rng.integers(0, 9, 6)
    soft = random_simplex(rng, (6, 9))
    for fn, args in [
        (nm.softmax, ()),
        (nm.log_softmax, ()),
        (nm.logsumexp, ()),
        (nm.softmax_jacobian, ()),
        (nm.softmax_cross_entropy, (y, "none")),
        (nm.softmax_cross_entropy_grad, (y, "mean")),
        (nm.softmax_cross_entropy, (soft, "none")),
        (nm.softmax_cross_entropy_grad, (soft, "sum")),
    ]:
        got = fn(z, *args)
        assert got.dtype == F16
        # float32 carries 13 more bits: once rounded to float16 it is the float64 result
        # rounded, except where the two straddle a halfway point (at most 1 ulp).
        want = rounded(fn, z, F16, *args)
        assert np.all(np.abs(got.astype(float) - want) <= np.spacing(np.abs(want))), fn.__name__


def test_float16_temperature_below_its_range():
    z = np.array([1.0, 2.0, 3.0], dtype=F16)
    assert_array_equal(nm.softmax(z, temperature=1e-8), [0.0, 0.0, 1.0])  # was NaN
    assert_array_equal(nm.softmax(z, temperature=1e5), rounded(nm.softmax, z, F16, temperature=1e5))


def test_float16_losses_are_added_up_in_float32():
    # 10000 losses of about 9.2 add up to 92103, beyond float16's 65504: the mean is 9.2.
    p = np.full(10_000, 1e-4, dtype=F16)
    y = np.ones(10_000, dtype=F16)
    assert nm.binary_cross_entropy(p, y) == F16(-math.log(F16(1e-4)))
    assert nm.binary_cross_entropy(p, y, reduction="sum") == np.inf  # 92103: beyond float16
    z = np.zeros((10_000, 2), dtype=F16)
    z[:, 0] = -9.0
    assert nm.softmax_cross_entropy(z, np.zeros(10_000, dtype=int)) == F16(
        9.0 + math.log1p(math.exp(-9.0))
    )


# --------------------------------------------------------------------------
# Parameters the input's dtype cannot hold
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("dtype", "t"), [(F32, 1e-46), (F32, 1e-39), (F32, 1e39), (F16, 1e-8)])
def test_temperature_the_dtype_cannot_hold(dtype, t):
    # 1e-46 is 0 in float32 (the result was NaN), 1e-39 a subnormal of few bits, 1e39 inf.
    z = np.array([[1.0, 2.0, 3.0], [0.0, -1e-38, 1e-38], [-3e38, 0.0, 3e38]])
    z = z.astype(dtype) if dtype == F32 else z[:1].astype(dtype)
    got = nm.softmax(z, temperature=t)
    assert got.dtype == dtype
    assert_array_equal(got, rounded(nm.softmax, z, dtype, temperature=t))
    assert_allclose(got.astype(float).sum(axis=-1), 1.0, rtol=2 * np.finfo(dtype).eps)


@pytest.mark.parametrize(("dtype", "alpha"), [(F32, 1e39), (F32, -1e39), (F16, 7e4)])
def test_alpha_beyond_the_range_of_the_dtype(dtype, alpha):
    x = np.array([-1.0, 0.0, 1.0], dtype=dtype)
    for fn in (nm.leaky_relu, nm.leaky_relu_grad):
        with pytest.raises(ValueError, match="^" + re.escape(f"alpha = {alpha:g} lies beyond")):
            fn(x, alpha=alpha)
    assert nm.leaky_relu(x.astype(np.float64), alpha=alpha)[0] == -alpha  # float64 holds it


@pytest.mark.parametrize(("dtype", "alpha"), [(F32, 1e-50), (F32, 3e-42), (F16, 1e-6), (F16, 0.01)])
def test_alpha_below_the_normal_range_is_applied_in_float64(dtype, alpha):
    # alpha x rounded once: 1e-50 rounds to 0 in float32, but -1e30 * 1e-50 does not.
    x = np.array([-1e30, -1e10, -3.0, 2.0] if dtype == F32 else [-6e4, -300.0, -3.0, 2.0])
    x = x.astype(dtype)
    want = np.where(x > 0, x, x.astype(np.float64) * alpha).astype(dtype)
    assert_array_equal(nm.leaky_relu(x, alpha=alpha), want)
    assert_array_equal(nm.leaky_relu_grad(x, alpha=alpha), np.where(x > 0, 1, dtype(alpha)))


# --------------------------------------------------------------------------
# Rows of probabilities: a tolerance for the dtype
# --------------------------------------------------------------------------


def test_nnmaths_own_float16_probabilities_are_accepted(rng):
    z = (rng.standard_normal((2000, 7)) * 3).astype(F16)
    p = nm.softmax(z)
    s = p.astype(np.float64).sum(axis=-1)
    assert np.abs(s - 1).max() > 1e-5  # float16 rows cannot sum to 1 within 1e-5 ...
    y = rng.integers(0, 7, 2000)
    assert nm.cross_entropy(p, y).dtype == F16  # ... and are accepted
    # -log p_c from the rounded probabilities: off by their rounding, 2^-11 relative, where
    # p_c is a normal float16 (above 6.1e-5), and by that and the result's own rounding.
    normal = p[np.arange(2000), y] >= np.finfo(F16).smallest_normal
    assert_allclose(
        nm.cross_entropy(p, y, reduction="none")[normal].astype(float),
        nm.softmax_cross_entropy(z, y, reduction="none")[normal].astype(float),
        rtol=2**-10,
        atol=2**-10,
    )


def test_float16_rows_are_summed_exactly_against_a_float16_tolerance():
    # 0.5 + 0.5 + 0.0005 rounds to 1 in float16 arithmetic; summed in float64 it is
    # 1.0005 (float16's 0.0004999), within the float16 tolerance 2 eps = 0.00195.
    nm.cross_entropy(np.array([0.5, 0.5, 0.0005], dtype=F16), 0)
    with pytest.raises(
        ValueError, match=r"^p rows must sum to 1 \(tolerance 0.00195 for float16\)"
    ):
        nm.cross_entropy(np.array([0.5, 0.5, 0.003], dtype=F16), 0)
    with pytest.raises(ValueError, match=r"^p rows must sum to 1 \(tolerance 1e-05 for float32\)"):
        nm.cross_entropy(np.array([0.5, 0.5, 0.0005], dtype=F32), 0)
    with pytest.raises(
        ValueError, match=r"^y rows must sum to 1 \(tolerance 0.00195 for float16\)"
    ):
        nm.softmax_cross_entropy([0.0, 0.0], np.array([0.5, 0.497], dtype=F16))


# --------------------------------------------------------------------------
# longdouble: refused, naming the argument
# --------------------------------------------------------------------------

LONG = np.array([[0.25, 0.75], [0.5, 0.5]], dtype=np.longdouble)


@pytest.mark.parametrize(("formula", "fn"), functions())
def test_longdouble_input_is_refused(formula, fn):
    with pytest.raises(
        TypeError, match=rf"^{formula.input} has dtype {LONG.dtype} \(np.longdouble\)"
    ):
        bind(formula, fn)(LONG)


@pytest.mark.parametrize(("formula", "fn"), functions(lambda f: f.is_loss))
def test_longdouble_target_is_refused(formula, fn):
    x = [[0.25, 0.75], [0.5, 0.5]] if formula.kind == "categorical_loss" else [0.25, 0.5]
    y = np.asarray(x, dtype=np.longdouble)
    with pytest.raises(TypeError, match=r"^y has dtype .* \(np.longdouble\)"):
        fn(x, y)


def test_longdouble_is_refused_by_the_tools():
    assert {t.__name__ for t in TOOLS} >= {"numerical_gradient", "gradient_check"}
    with pytest.raises(TypeError, match=r"^x has dtype .*longdouble"):
        nm.numerical_gradient(np.sum, LONG)
    with pytest.raises(TypeError, match=r"^analytic has dtype .*longdouble"):
        nm.relative_error(LONG, LONG.astype(float))
    with pytest.raises(TypeError, match=r"^grad_f\(x\) has dtype .*longdouble"):
        nm.gradient_check(np.sum, lambda v: np.ones_like(v, dtype=np.longdouble), [1.0])
    with pytest.raises(TypeError, match=r"^labels holds class labels, which must be integers"):
        nm.one_hot(LONG, 2)


def test_gelu_of_a_longdouble_beyond_float64_says_so():
    # It used to be inf, computed in float64 without a word.
    with pytest.raises(TypeError, match=r"np.asarray\(x, dtype=np.float64\)"):
        nm.gelu(np.longdouble(10) ** 400)
