"""What SciPy returns where the book uses it as an independent check.

SciPy is installed with the notebooks' dependencies, so these normally run.
"""

from __future__ import annotations

import numpy as np
import pytest
from claims_support import require

import nnmath as nn

scipy = require("scipy")
from scipy import special, stats  # noqa: E402


def test_scipy_log_softmax_of_1000_1_is_0_minus_999(measured) -> None:
    """scipy.special.log_softmax([1000, 1]) is [0, −999] where log(softmax) gives −inf.

    The example is SciPy's own: it is in log_softmax's documentation.

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "log-softmax of (1000, 1) gives (0, −999)").
    """
    x = np.array([1000.0, 1.0])
    log_p = special.log_softmax(x)
    np.testing.assert_allclose(log_p, [0.0, -999.0], atol=1e-12)
    np.testing.assert_allclose(log_p, nn.log_softmax(x), atol=1e-12)
    with np.errstate(divide="ignore"):
        assert np.log(special.softmax(x))[1] == -np.inf
    assert "1000" in (special.log_softmax.__doc__ or "")
    measured(float(log_p[1]), scipy)


def test_scipy_entropy_gives_the_kl_divergence_in_cross_entropy(measured) -> None:
    """scipy.stats.entropy(y) + entropy(y, p) = H(y) + KL(y‖p) equals nnmath.cross_entropy.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: "`scipy.stats.entropy(y, p)` ... is the
    divergence KL(y ‖ p)").
    """
    y, p = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])
    total = stats.entropy(y) + stats.entropy(y, p)
    assert np.isclose(total, nn.cross_entropy(p, y), rtol=1e-14)
    assert np.isclose(total, -np.sum(y * np.log(p)), rtol=1e-14)
    measured(float(total), scipy)


def test_scipy_softmax_defaults_to_the_whole_array(measured) -> None:
    """scipy.special.softmax, log_softmax and logsumexp default to axis=None: the whole array.

    Given a batch, softmax makes all its entries together sum to 1, not each row.

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "SciPy's default, `axis=None`, is the
    whole array").
    """
    for dtype in (np.float64, np.float32):  # the max-shift, in both precisions
        big = np.array([1000.0, 1001.0, 1002.0], dtype)
        np.testing.assert_allclose(special.softmax(big), nn.softmax(big - 1000), rtol=1e-6)
        assert special.log_softmax(np.array([1000.0, 1.0], dtype)).tolist() == [0.0, -999.0]
    batch = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    whole = special.softmax(batch)
    np.testing.assert_allclose(whole, nn.softmax(batch.ravel()).reshape(batch.shape), rtol=1e-14)
    assert whole.sum() == pytest.approx(1.0, rel=1e-14)
    assert not np.allclose(whole.sum(axis=1), 1.0)
    np.testing.assert_allclose(special.softmax(batch, axis=-1), nn.softmax(batch), rtol=1e-14)
    np.testing.assert_allclose(
        special.log_softmax(batch), nn.log_softmax(batch.ravel()).reshape(2, 3)
    )
    assert special.logsumexp(batch) == pytest.approx(float(nn.logsumexp(batch.ravel())), rel=1e-14)
    measured(float(whole.sum(axis=1)[0]), scipy, "first row's sum")
