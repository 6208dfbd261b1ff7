"""What Keras 2 (tf.keras in TensorFlow ≤ 2.15, the ``tf-keras`` package since) returns.

Keras 2 and Keras 3 handle log(0) differently; the book's 16.118 is Keras 3's. Keras 2's
``binary_crossentropy`` clips p to [ε, 1 − ε] and then also adds ε inside the log
(``tf_keras/src/backend.py``, ``keras2_backend`` in references.bib).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from claims_support import require

require("tensorflow")
tf_keras = require("tf_keras")
EPSILON = 1e-7


def test_tf_keras_2_binary_crossentropy_adds_epsilon_inside_the_log(measured) -> None:
    """Keras 2's binary_crossentropy(y = 1, p = 0) is −log(2e-7) ≈ 15.42, not Keras 3's 16.118.

    Claimed in: chapters/frameworks.ipynb (fw-log0: the table, tf.keras 2, 15.425 and 15.333).
    """
    for dtype in ("float64", "float32"):
        one, zero = np.ones(1, dtype), np.zeros(1, dtype)
        loss = float(tf_keras.losses.binary_crossentropy(one, zero))
        assert loss == pytest.approx(-math.log(2 * EPSILON), rel=1e-6)
        assert round(loss, 3) == 15.425
        measured(loss, tf_keras, dtype)
    # The other side in float32: −log(2⁻²³ + 1e-7) ≈ 15.33.
    other = float(
        tf_keras.losses.binary_crossentropy(np.zeros(1, "float32"), np.ones(1, "float32"))
    )
    assert other == pytest.approx(-math.log(2.0**-23 + EPSILON), rel=1e-6)
    assert round(other, 3) == 15.333
    measured(other, tf_keras, "float32, y = 0, p = 1")


def test_tf_keras_2_categorical_crossentropy_clips_only(measured) -> None:
    """Keras 2's categorical_crossentropy only clips: its largest loss is −log(1e-7) ≈ 16.118.

    Claimed in: chapters/frameworks.ipynb (fw-log0: "Keras 2's categorical losses clip without the
    extra ε and stop at 16.118").
    """
    y = np.array([[0.0, 1.0]])
    loss = float(tf_keras.losses.categorical_crossentropy(y, np.array([[1.0, 0.0]]))[0])
    assert loss == pytest.approx(-math.log(EPSILON), rel=1e-6)
    measured(loss, tf_keras, "float64")
