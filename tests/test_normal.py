"""nnmath/_normal.py: the standard normal distribution behind GELU, against independent values."""

from __future__ import annotations

import math
import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import ndtr
from scipy.stats import norm

from nnmath._normal import exp_neg_half_square, normal_cdf, normal_pdf

# Points in every range of the approximation (v = |x| / sqrt 2 below 0.46875, up to 4,
# beyond), their borders, and tiny values.
X = np.concatenate(
    [
        np.linspace(-5.0, 5.0, 4001),
        [0.46875 * math.sqrt(2), 4 * math.sqrt(2)],
        np.nextafter(0.46875 * math.sqrt(2), [0.0, 1.0]),
        np.nextafter(4 * math.sqrt(2), [0.0, 10.0]),
        [-1e-300, -5e-324, 0.0, 5e-324, 1e-300],
    ]
)


def test_cdf_matches_the_standard_library_erfc():
    # math.erfc is the C library's; for |x| <= 5 the rounding of x / sqrt(2) costs it
    # at most about 25 units in the 17th digit.
    expected = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in X])
    assert_allclose(normal_cdf(X), expected, rtol=4e-15, atol=0)


def test_cdf_matches_scipy_into_the_far_tail():
    x = np.linspace(-37.5, 37.5, 30001)
    assert_allclose(normal_cdf(x), ndtr(x), rtol=1e-12, atol=0)


def test_cdf_in_the_far_tail_matches_the_asymptotic_series():
    # Phi(x) = phi(x)/|x| (1 - 1/x^2 + 3/x^4 - 15/x^6 + 105/x^8 - 945/x^10 ...), with
    # x^2 exact for these x, so that math.exp rounds once; truncation error ~ 1e-14.
    for x in (-30.0, -32.0, -35.0):
        phi = math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        s = 1 - 1 / x**2 + 3 / x**4 - 15 / x**6 + 105 / x**8 - 945 / x**10
        assert_allclose(normal_cdf(np.array([x])), [phi / -x * s], rtol=1e-13)


def test_cdf_symmetry_and_exact_values():
    x = np.linspace(0.0, 10.0, 1001)
    assert_allclose(normal_cdf(x) + normal_cdf(-x), 1.0, rtol=0, atol=2.3e-16)
    assert normal_cdf(np.array([0.0]))[0] == 0.5
    assert_array_equal(normal_cdf(np.array([-np.inf, np.inf, -1e300, 1e300])), [0, 1, 0, 1])


def test_pdf_matches_the_closed_form():
    expected = np.array([math.exp(-v * v / 2) / math.sqrt(2 * math.pi) for v in X])
    assert_allclose(normal_pdf(X), expected, rtol=4e-15, atol=0)
    x = np.linspace(-37.5, 37.5, 3001)
    assert_allclose(normal_pdf(x), norm.pdf(x), rtol=1e-12, atol=0)
    assert_array_equal(normal_pdf(np.array([-np.inf, np.inf, 1e300])), [0.0, 0.0, 0.0])


def test_exp_neg_half_square_keeps_relative_accuracy_where_x_squared_rounds():
    # Reference: the decimal module, 60 digits, from the exact value of each float x.
    x = np.array([30.1, 35.7, 12.345, -20.5, 1.234567])
    with localcontext() as ctx:
        ctx.prec = 60
        exact = np.array([float((-(Decimal(v) ** 2) / 2).exp()) for v in x])
    assert_allclose(exp_neg_half_square(x), exact, rtol=4e-16, atol=0)
    assert_allclose(normal_pdf(x), exact / math.sqrt(2 * math.pi), rtol=6e-16, atol=0)
    # What the split avoids: exp(-x * x / 2) loses about x^2/2 units in the last place.
    naive = np.exp(-x * x / 2)
    assert np.max(np.abs(naive - exact) / exact) > 5e-15


@pytest.mark.parametrize("fn", [normal_cdf, normal_pdf, exp_neg_half_square])
def test_no_warning_anywhere(fn):
    x = np.array([-np.inf, -1e308, -1e154, -40.0, 0.0, 40.0, 1e154, 1e308, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(x)
    assert not np.isnan(out).any()


def test_shapes_and_scalars():
    assert normal_cdf(np.zeros((2, 3))).shape == (2, 3)
    assert normal_cdf(np.array(1.0)).shape == ()
    assert normal_cdf(np.zeros(0)).shape == (0,)
