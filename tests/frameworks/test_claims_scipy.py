"""What SciPy returns where the book uses it as an independent check.

SciPy is installed with the notebooks' dependencies, so these normally run.
"""

from __future__ import annotations

import numpy as np
from claims_support import require

import nnmath as nn

scipy = require("scipy")
from scipy import special, stats  # noqa: E402


def test_scipy_log_softmax_of_1000_1_is_0_minus_999(measured) -> None:
    """scipy.special.log_softmax([1000, 1]) is [0, −999] where log(softmax) gives −inf.

    The example is SciPy's own: it is in log_softmax's documentation.

    Claimed in: chapters/02_softmax.ipynb ("SciPy's documentation uses this example").
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

    Claimed in: chapters/03_cross_entropy.ipynb (H(y, p) = H(y) + KL(y ‖ p), checked with SciPy).
    """
    y, p = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])
    total = stats.entropy(y) + stats.entropy(y, p)
    assert np.isclose(total, nn.cross_entropy(p, y), rtol=1e-14)
    assert np.isclose(total, -np.sum(y * np.log(p)), rtol=1e-14)
    measured(float(total), scipy)
