"""What Keras 3 returns in the cases the book describes, on one backend per run.

Keras 3 runs on TensorFlow, JAX or PyTorch. The backend is KERAS_BACKEND if set, else the
first of those installed (Keras's own default, TensorFlow, first); the table says which.
Run ``KERAS_BACKEND=jax make frameworks`` (or torch, tensorflow) to check another one.
Gradients go through the backend's own autodiff.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import numpy as np
import pytest
from claims_support import keras_backend, require

import nnmath as nn

BACKEND = keras_backend()
if BACKEND is None:
    pytest.skip(
        "keras has no backend installed: pip install jax (or tensorflow, torch)",
        allow_module_level=True,
    )
os.environ["KERAS_BACKEND"] = BACKEND
require({"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}[BACKEND])
keras = require("keras")
if keras.backend.backend() != BACKEND:
    pytest.skip(
        f"keras was imported earlier with {keras.backend.backend()}", allow_module_level=True
    )
ops = keras.ops
USING = f"keras {keras.__version__} on {BACKEND}"
EPSILON = 1e-7  # keras.config.epsilon(), the default fuzz factor

# The tie rule of each backend's maximum, as test_claims_{torch,jax,tensorflow} measure it.
MAXIMUM_TIE = {"jax": 0.5, "torch": 0.5, "tensorflow": 1.0}


def grad_of(f: Callable, x0: list[float]) -> np.ndarray:
    """d sum(f(x)) / dx at x0 in float32, Keras's default, by the backend's autodiff."""
    if BACKEND == "jax":
        import jax

        return np.asarray(jax.grad(lambda v: ops.sum(f(v)))(jax.numpy.asarray(x0, "float32")))
    if BACKEND == "torch":
        import torch

        x = torch.tensor(x0, dtype=torch.float32, requires_grad=True)
        ops.sum(f(x)).backward()
        return x.grad.numpy()
    import tensorflow as tf

    x = tf.Variable(tf.constant(x0, tf.float32))
    with tf.GradientTape() as tape:
        total = ops.sum(f(x))
    return tape.gradient(total, x).numpy()


def value(x) -> np.ndarray:
    return np.asarray(ops.convert_to_numpy(x))


def test_keras_config_epsilon_is_1e_7(measured) -> None:
    """Keras's fuzz factor keras.config.epsilon() is 1e-7 and floatx is float32.

    Claimed in: chapters/frameworks.ipynb (fw-log0: the table, "Keras 3, float32 (its default) ...
    ε = 10⁻⁷").
    """
    assert keras.config.epsilon() == EPSILON
    assert keras.config.floatx() == "float32"
    measured(keras.config.epsilon(), USING)


def test_keras_cross_entropies_clip_p_so_the_largest_loss_is_16_118(measured) -> None:
    """Keras 3's cross-entropies on probabilities cost −log(1e-7) ≈ 16.118 at p = 0, not inf.

    Binary, categorical and sparse categorical all clip p to [1e-7, 1 − 1e-7]; the clip
    makes p = 1e-8 and p = 1e-300 cost the same.

    Claimed in: chapters/frameworks.ipynb (fw-log0: the table, Keras 3, 16.118).
    """
    for dtype in ("float64", "float32"):
        loss = value(keras.losses.binary_crossentropy(np.ones(1, dtype), np.zeros(1, dtype)))
        assert float(loss) == pytest.approx(-math.log(EPSILON), rel=1e-6)
        assert round(float(loss), 3) == 16.118
        measured(float(loss), USING, f"{dtype} in, {loss.dtype} out")
    small = [
        value(keras.losses.binary_crossentropy(np.ones(1), np.array([p]))) for p in (1e-8, 1e-300)
    ]
    assert small[0] == small[1]
    wrong = np.array([[1.0, 0.0]], "float32")  # all the probability on the wrong class
    categorical = value(keras.losses.categorical_crossentropy(np.array([[0.0, 1.0]]), wrong))
    sparse = value(keras.losses.sparse_categorical_crossentropy(np.array([1]), wrong))
    assert float(categorical[0]) == pytest.approx(-math.log(EPSILON), rel=1e-6)
    assert float(sparse[0]) == pytest.approx(-math.log(EPSILON), rel=1e-6)
    measured(float(sparse[0]), USING, "sparse categorical, float32")


def test_keras_binary_crossentropy_caps_the_other_side_at_15_94_in_float32(measured) -> None:
    """In float32, binary_crossentropy(y = 0, p = 1) is 23 ln 2 ≈ 15.94, not 16.118.

    1 − 1e-7 rounds to 1 − 2⁻²³ in float32, so the clipped 1 − p is 2⁻²³, not 1e-7.

    Claimed in: chapters/frameworks.ipynb (fw-log0: the table, Keras 3, 15.942, and "Why 15.942").
    """
    loss32 = value(keras.losses.binary_crossentropy(np.zeros(1, "float32"), np.ones(1, "float32")))
    assert np.float32(1) - np.float32(EPSILON) == 1 - 2.0**-23
    assert float(loss32) == pytest.approx(23 * math.log(2), rel=1e-6)
    measured(float(loss32), USING, "float32")
    # float64 input: TensorFlow and PyTorch compute in float64 (16.118); JAX without x64
    # computes in float32 (15.94). Recorded, not asserted.
    loss64 = value(keras.losses.binary_crossentropy(np.zeros(1), np.ones(1)))
    measured(float(loss64), USING, f"float64 in, {loss64.dtype} out")


def test_keras_clipped_probabilities_get_a_zero_gradient(measured) -> None:
    """Where Keras's clip is active the loss is flat: d loss/dp at p = 1e-8, y = 1 is 0.

    Claimed in: chapters/frameworks.ipynb (fw-log0-gradient: "Where Keras's clip holds ... its
    derivative is 0").
    """
    ones = np.ones(1, "float32")
    flat = grad_of(lambda p: keras.losses.binary_crossentropy(ones, p), [1e-8])
    inside = grad_of(lambda p: keras.losses.binary_crossentropy(ones, p), [0.25])
    assert flat[0] == 0.0
    assert inside[0] == pytest.approx(-1 / 0.25, rel=1e-5)  # −y/p where nothing is clipped
    measured(float(flat[0]), USING, "float32, p = 1e-8")


def test_keras_from_logits_keeps_the_gradient_at_minus_50(measured) -> None:
    """binary_crossentropy(from_logits=True) at z = −50, y = 1: loss 50, gradient −1.

    Claimed in: chapters/frameworks.ipynb (fw-log0-gradient: "Keras's with `from_logits=True` ...
    the loss 50 and the gradient −1").
    """
    ones = np.ones(1, "float32")
    loss = value(
        keras.losses.binary_crossentropy(ones, np.array([-50.0], "float32"), from_logits=True)
    )
    grad = grad_of(lambda z: keras.losses.binary_crossentropy(ones, z, from_logits=True), [-50.0])
    assert float(loss) == pytest.approx(50.0, rel=1e-6)
    assert float(grad[0]) == pytest.approx(-1.0, rel=1e-6)
    measured(float(grad[0]), USING, "float32")


def test_keras_losses_take_probabilities_unless_from_logits(measured) -> None:
    """Keras's cross-entropies take probabilities by default, logits with from_logits=True.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, Keras).
    """
    rng = np.random.default_rng(0)
    z, labels = rng.normal(scale=2.0, size=(6, 4)), rng.integers(0, 4, size=6)
    y, p = np.eye(4)[labels], nn.softmax(z)
    losses = keras.losses
    cases = {
        "CategoricalCrossentropy(p)": (
            losses.CategoricalCrossentropy()(y, p),
            nn.cross_entropy(p, y),
        ),
        "SparseCategoricalCrossentropy(p)": (
            losses.SparseCategoricalCrossentropy()(labels, p),
            nn.cross_entropy(p, labels),
        ),
        "CategoricalCrossentropy(from_logits=True)(z)": (
            losses.CategoricalCrossentropy(from_logits=True)(y, z),
            nn.softmax_cross_entropy(z, labels),
        ),
        "BinaryCrossentropy(from_logits=True)(z)": (
            losses.BinaryCrossentropy(from_logits=True)(y, z),
            nn.binary_cross_entropy_with_logits(z, y),
        ),
    }
    for name, (got, expected) in cases.items():
        assert float(value(got)) == pytest.approx(expected, rel=1e-5), name  # float32
    measured(float(value(cases["CategoricalCrossentropy(p)"][0])), USING, "float32, 6 x 4")


def test_keras_probability_losses_accept_logits_without_a_word(measured) -> None:
    """Given logits without from_logits, Keras divides by the row sum and clips: no error.

    categorical_crossentropy(e₂, z = [1, 2, 3]) is −log(2/6) = ln 3, not the 1.4076 of the
    logits; binary_crossentropy(1, 3.0) clips 3 to 1 − 1e-7 and returns about 1e-7.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, Keras, "Given logits,
    `CategoricalCrossentropy` divides them by their row sum, and `BinaryCrossentropy` clips
    them into [1e-7, 1 - 1e-7]"; the cell's "Keras given logits").
    """
    z = np.array([[1.0, 2.0, 3.0]], "float32")
    y = np.array([[0.0, 1.0, 0.0]], "float32")
    taken_as_p = float(value(keras.losses.categorical_crossentropy(y, z))[0])
    assert taken_as_p == pytest.approx(math.log(3), rel=1e-6)
    assert taken_as_p != pytest.approx(nn.softmax_cross_entropy(z, [1]), rel=1e-2)
    clipped = float(
        value(keras.losses.binary_crossentropy(np.ones(1, "float32"), np.array([3.0], "float32")))
    )
    assert 0 < clipped < 2e-7
    measured(taken_as_p, USING, "categorical, z = [1, 2, 3]")
    measured(clipped, USING, "binary, p = 3")


def test_keras_losses_default_to_the_mean(measured) -> None:
    """Keras's loss classes reduce with "sum_over_batch_size", the mean over the batch.

    Claimed in: chapters/frameworks.ipynb (fw-reduction: the list, Keras's loss classes and
    functions; the (N, M) binary case).
    """
    rng = np.random.default_rng(1)
    z, labels = rng.normal(size=(8, 3)), rng.integers(0, 3, size=8)
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    assert loss.reduction == "sum_over_batch_size"
    assert keras.losses.BinaryCrossentropy().reduction == "sum_over_batch_size"
    got = float(value(loss(np.eye(3)[labels], z)))
    per_sample = nn.softmax_cross_entropy(z, labels, reduction="none")
    assert got == pytest.approx(per_sample.mean(), rel=1e-5)
    # Multi-label: the binary loss averages over the last axis, then over the samples,
    # the mean over all N·M entries that nnmath and BCELoss take.
    p = nn.sigmoid(z)
    y = (rng.uniform(size=p.shape) < 0.5).astype(float)
    binary = float(value(keras.losses.BinaryCrossentropy()(y, p)))
    assert binary == pytest.approx(nn.binary_cross_entropy(p, y), rel=1e-5)
    measured(loss.reduction, USING)


def test_keras_softmax_then_from_logits_floors_at_log_e_plus_k_minus_1_minus_1(measured) -> None:
    """Probabilities fed to from_logits=True cannot go below log(e + K − 1) − 1 (0.551, K = 3).

    Claimed in: chapters/frameworks.ipynb (fw-double-softmax: the table, Keras on JAX or PyTorch).
    """
    probs = nn.softmax(np.array([[50.0, 0.0, 0.0]])).astype("float32")  # a plain array
    loss = float(
        value(keras.losses.categorical_crossentropy(np.eye(3)[[0]], probs, from_logits=True))[0]
    )
    assert loss == pytest.approx(math.log(math.e + 2) - 1, rel=1e-6)
    measured(loss, USING, "K = 3, float32")


def test_keras_on_tensorflow_reads_the_logits_behind_its_own_softmax_and_sigmoid(measured) -> None:
    """On TensorFlow, Keras's losses use the logits behind keras.ops.softmax/sigmoid outputs.

    The TensorFlow backend attaches the logits to the tensors that ``ops.softmax`` and
    ``ops.sigmoid`` return, and its cross-entropies compute from them: no double-softmax
    floor (with a warning when from_logits=True), and no 16.118 cap at σ(−50). On JAX
    and PyTorch the same code floors at 0.551 and caps at 16.118.

    Claimed in: chapters/frameworks.ipynb (fw-double-softmax: the table, Keras on TensorFlow;
    fw-log0: "On the TensorFlow backend Keras 3 makes one exception").
    """
    z = np.array([[50.0, 0.0, 0.0]], "float32")
    y = np.eye(3, dtype="float32")[[0]]
    double = lambda: keras.losses.categorical_crossentropy(y, ops.softmax(z), from_logits=True)  # noqa: E731
    wrong_way = np.array([-50.0], "float32")
    capped = lambda: keras.losses.binary_crossentropy(np.ones(1, "float32"), ops.sigmoid(wrong_way))  # noqa: E731
    if BACKEND == "tensorflow":
        with pytest.warns(UserWarning, match="does not represent logits"):
            loss = float(value(double())[0])
        expected = (float(nn.softmax_cross_entropy(z, [0])), 50.0)
    else:
        loss = float(value(double())[0])
        expected = (math.log(math.e + 2) - 1, -math.log(EPSILON))
    binary = float(value(capped()))
    assert loss == pytest.approx(expected[0], rel=1e-6, abs=1e-6)
    assert binary == pytest.approx(expected[1], rel=1e-6)
    measured(loss, USING, "CCE(from_logits=True) of ops.softmax([50, 0, 0])")
    measured(binary, USING, "BCE of ops.sigmoid(−50)")


def test_keras_ops_relu_grad_at_0_is_0(measured) -> None:
    """keras.ops.relu uses ReLU'(0) = 0 on every backend.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `relu` in Keras).
    """
    g = grad_of(ops.relu, [-1.5, 0.0, 2.0])
    np.testing.assert_array_equal(g, nn.relu_grad(np.array([-1.5, 0.0, 2.0])))
    measured(float(g[1]), USING, "float32")


def test_keras_ops_maximum_follows_its_backend_at_a_tie(measured) -> None:
    """keras.ops.maximum(x, 0) at 0 follows the backend: 0.5 on JAX and PyTorch, 1 on TensorFlow.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `keras.ops.maximum(x, 0)`).
    """
    g = grad_of(lambda x: ops.maximum(x, 0.0), [-1.5, 0.0, 2.0])
    np.testing.assert_array_equal(g[[0, 2]], [0.0, 1.0])
    assert float(g[1]) == MAXIMUM_TIE[BACKEND]
    measured(float(g[1]), USING, "float32")


def test_keras_ops_softmax_functions_shift_by_the_max_along_the_last_axis(measured) -> None:
    """keras.ops.softmax and log_softmax shift by the max along the last axis; logsumexp sums all.

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "All of them take logits and subtract
    the maximum first"; the default axes).
    """
    for dtype in ("float32", "float64"):  # float64 is computed in float32 on JAX
        big = np.array([1000.0, 1001.0, 1002.0], dtype)
        np.testing.assert_allclose(
            value(ops.softmax(big)), nn.softmax(np.array([1.0, 2.0, 3.0])), rtol=1e-6
        )
        pair = np.array([1000.0, 1.0], dtype)
        assert value(ops.log_softmax(pair)).tolist() == [0.0, -999.0]
    batch = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], "float32")
    np.testing.assert_allclose(value(ops.softmax(batch)), nn.softmax(batch), rtol=1e-6)
    np.testing.assert_allclose(value(ops.log_softmax(batch)), nn.log_softmax(batch), rtol=1e-6)
    every = float(value(ops.logsumexp(batch)))  # no axis: every entry
    assert every == pytest.approx(float(nn.logsumexp(batch.ravel())), rel=1e-6)
    measured(every, USING, "float32, logsumexp of a 2 x 3 batch")


def test_keras_ops_leaky_relu_leaks_0_2_and_follows_its_backend_at_0(measured) -> None:
    """keras.ops.leaky_relu's default leak is 0.2; at 0 its slope is the backend's (α, or 1 on JAX).

    Claimed in: chapters/frameworks.ipynb (fw-leaky-relu: the table, `keras.ops.leaky_relu`).
    """
    x = np.array([-3.0, -0.5, 2.0], "float32")
    np.testing.assert_allclose(value(ops.leaky_relu(x)), nn.leaky_relu(x, alpha=0.2), rtol=1e-6)
    g = grad_of(ops.leaky_relu, [-1.5, 0.0, 2.0])
    np.testing.assert_allclose(g[[0, 2]], [0.2, 1.0], rtol=1e-6)
    at_0 = {"jax": 1.0, "torch": 0.2, "tensorflow": 0.2}[BACKEND]
    assert float(g[1]) == pytest.approx(at_0, rel=1e-6)
    measured(float(g[1]), USING, "float32, slope at 0")
