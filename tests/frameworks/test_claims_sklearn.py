"""What scikit-learn's ``log_loss`` returns in the cases the book describes.

Since 1.2 it clips p to [ε, 1 − ε] with ε the machine epsilon of p's dtype (1e-15 before);
since 1.5 it no longer rescales rows that do not sum to 1, and warns instead.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from claims_support import require

import nnmath as nn

sklearn = require("sklearn")
from sklearn.metrics import log_loss  # noqa: E402


def test_sklearn_log_loss_clips_at_machine_epsilon(measured) -> None:
    """log_loss(y = 1, p = 0) is −log ε: 52 ln 2 ≈ 36.04 for float64, 23 ln 2 ≈ 15.94 for float32.

    Claimed in: chapters/frameworks.ipynb (fw-log0: the table, scikit-learn, 36.044 and 15.942).
    """
    for dtype, bits in (("float64", 52), ("float32", 23)):
        assert np.finfo(dtype).eps == 2.0**-bits
        both_sides = [
            log_loss([1], np.array([[1.0, 0.0]], dtype), labels=[0, 1]),
            log_loss([0], np.array([[0.0, 1.0]], dtype), labels=[0, 1]),
        ]
        assert both_sides == pytest.approx([bits * math.log(2)] * 2, rel=1e-6)
        measured(both_sides[0], sklearn, dtype)
    assert round(log_loss([1], [[1.0, 0.0]], labels=[0, 1]), 2) == 36.04


def test_sklearn_log_loss_defaults_to_the_mean(measured) -> None:
    """log_loss averages over samples by default (normalize=True), and takes probabilities.

    Claimed in: chapters/frameworks.ipynb (fw-reduction: the list, scikit-learn; fw-loss-inputs:
    the table, scikit-learn).
    """
    rng = np.random.default_rng(0)
    p = nn.softmax(rng.normal(size=(8, 3)))
    labels = np.array([0, 1, 2, 0, 1, 2, 0, 1])
    mean = log_loss(labels, p)
    total = log_loss(labels, p, normalize=False)
    assert mean == pytest.approx(nn.cross_entropy(p, labels), rel=1e-13)
    assert total == pytest.approx(nn.cross_entropy(p, labels, reduction="sum"), rel=1e-13)
    measured(mean, sklearn, "8 x 3")


def test_sklearn_log_loss_rejects_values_outside_0_1(measured) -> None:
    """log_loss raises a ValueError for a "probability" above 1 or below 0 (a logit, say).

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, scikit-learn, "an error
    outside [0, 1]").
    """
    for bad in (1.5, -0.5):
        with pytest.raises(ValueError, match=r"values (greater|lower) than"):
            log_loss([1, 0], [bad, 0.2])
    measured("ValueError", sklearn)


def test_sklearn_log_loss_warns_but_does_not_rescale_rows_that_do_not_sum_to_1(measured) -> None:
    """Rows not summing to 1 get a UserWarning and are used as they are (rescaled before 1.5).

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, scikit-learn, and "rescaled
    ... until version 1.5").
    """
    p = np.array([[0.5, 0.2, 0.2], [0.2, 0.5, 0.2]])  # rows sum to 0.9
    labels = [0, 1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss = log_loss(labels, p, labels=[0, 1, 2])
    assert any("do not sum to one" in str(w.message) for w in caught)
    assert loss == pytest.approx(-math.log(0.5), rel=1e-13)  # not −log(0.5/0.9)
    measured(loss, sklearn)
