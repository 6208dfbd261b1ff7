"""What TensorFlow returns in the cases the book describes (run eagerly, on the CPU).

The tie rule of ``tf.maximum`` is also cited to its source: ``_MaximumGrad`` in
``tensorflow/python/ops/math_grad.py`` masks the gradient with ``greater_equal(x, y)``
(``tensorflow_math_grad`` in references.bib).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from claims_support import require

import nnmath as nn

tf = require("tensorflow")

DTYPES = (tf.float64, tf.float32)
AROUND_0 = [-1.5, 0.0, 2.0]


def grad_of(f: Callable, x0: list[float], dtype: tf.DType) -> np.ndarray:
    """d sum(f(x)) / dx at x0, by tf.GradientTape."""
    x = tf.Variable(tf.constant(x0, dtype=dtype))
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(f(x))
    return tape.gradient(total, x).numpy().astype(np.float64)


def relu_gate_at_0(f: Callable, dtype: tf.DType) -> float:
    """The value `f` uses for ReLU'(0), after checking f' is ReLU's on both sides."""
    g = grad_of(f, AROUND_0, dtype)
    np.testing.assert_array_equal(g[[0, 2]], nn.relu_grad(np.array([-1.5, 2.0])))
    return float(g[1])


def test_tf_relu_grad_at_0_is_0(measured) -> None:
    """tf.nn.relu uses ReLU'(0) = 0, as nnmath.relu_grad does.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `relu`).
    """
    for dtype in DTYPES:
        value = relu_gate_at_0(tf.nn.relu, dtype)
        assert value == 0.0
        measured(value, tf, dtype.name)


def test_tf_maximum_gives_a_tie_to_its_first_argument(measured) -> None:
    """tf.maximum gives a tie's gradient to its first argument: (x, 0) gives 1, (0, x) gives 0.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `tf.maximum(x, 0.)` and
    `tf.maximum(0., x)`).
    """
    for dtype in DTYPES:
        zeros = tf.zeros(len(AROUND_0), dtype=dtype)  # a tensor, and a scalar below
        x_first = relu_gate_at_0(lambda x, zeros=zeros: tf.maximum(x, zeros), dtype)
        scalar = relu_gate_at_0(lambda x, d=dtype: tf.maximum(x, tf.constant(0.0, d)), dtype)
        zero_first = relu_gate_at_0(lambda x, zeros=zeros: tf.maximum(zeros, x), dtype)
        assert x_first == scalar == 1.0
        assert zero_first == 0.0
        measured(f"(x, 0) {x_first:g}, (0, x) {zero_first:g}", tf, dtype.name)


def test_tf_clip_by_value_gives_1_at_0(measured) -> None:
    """tf.clip_by_value(x, 0, big) gives 1 at x = 0, like torch.clamp.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `tf.clip_by_value`).
    """
    for dtype in DTYPES:
        value = relu_gate_at_0(
            lambda x, d=dtype: tf.clip_by_value(x, tf.constant(0.0, d), tf.constant(1e9, d)), dtype
        )
        assert value == 1.0
        measured(value, tf, dtype.name)


def test_tf_where_gives_0_at_0(measured) -> None:
    """tf.where(x > 0, x, 0) gives 0 at x = 0 (the mask is false there).

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `where(x > 0, x, 0)`).
    """
    for dtype in DTYPES:
        value = relu_gate_at_0(lambda x: tf.where(x > 0, x, tf.zeros_like(x)), dtype)
        assert value == 0.0
        measured(value, tf, dtype.name)


def test_tf_leaky_relu_grad_at_0_is_alpha(measured) -> None:
    """tf.nn.leaky_relu's gradient at 0 is α, as nnmath.leaky_relu_grad's.

    Claimed in: chapters/frameworks.ipynb (fw-leaky-relu: the table, `tf.nn.leaky_relu`; also
    README.md, "Conventions").
    """
    alpha = 0.1
    for dtype in DTYPES:
        g = grad_of(lambda x: tf.nn.leaky_relu(x, alpha), AROUND_0, dtype)
        # The leak is held as a float32 attribute: 0.1 to about 1.5e-9, even in float64.
        np.testing.assert_allclose(g, nn.leaky_relu_grad(np.array(AROUND_0), alpha), rtol=1e-7)
        measured(g[1], tf, dtype.name)


def test_tf_gelu_is_exact_by_default(measured) -> None:
    """tf.nn.gelu is x·Φ(x) by default (approximate=False), as nnmath.gelu.

    Claimed in: chapters/frameworks.ipynb (fw-gelu: "TensorFlow's `tf.nn.gelu` compute[s] the exact
    form"; also nnmath/activations.py, gelu).
    """
    x = np.linspace(-4.0, 4.0, 81)
    exact = tf.nn.gelu(tf.constant(x)).numpy()
    tanh = tf.nn.gelu(tf.constant(x), approximate=True).numpy()
    # TensorFlow computes 0.5·x·(1 + erf(x/√2)), which cancels for negative x: up to about
    # 3e-7 relative near x = −4 in float64 (nnmath agrees with scipy.special.ndtr to 3e-15),
    # still far closer than the tanh form (4.7e-4 absolute).
    np.testing.assert_allclose(exact, nn.gelu(x), rtol=1e-6, atol=1e-15)
    np.testing.assert_allclose(tanh, nn.gelu(x, approximate="tanh"), rtol=1e-6, atol=1e-15)
    assert np.max(np.abs(tanh - exact)) > 1e-4
    nonzero = x != 0
    relative = float(np.max(np.abs(exact[nonzero] / nn.gelu(x[nonzero]) - 1)))
    measured(relative, tf, "float64, max relative gap to nnmath")


def test_tf_sigmoid_cross_entropy_with_logits_keeps_the_gradient_at_minus_50(measured) -> None:
    """tf.nn.sigmoid_cross_entropy_with_logits takes logits: loss 50 and gradient −1 at z = −50.

    Claimed in: chapters/frameworks.ipynb (fw-log0-gradient:
    "`tf.nn.sigmoid_cross_entropy_with_logits` ... the loss 50 and the gradient −1";
    fw-loss-inputs: the lists).
    """
    for dtype in DTYPES:
        z = tf.Variable(tf.constant([-50.0], dtype))
        with tf.GradientTape() as tape:
            loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones(1, dtype), logits=z)
        grad = float(tape.gradient(loss, z)[0])
        assert float(loss[0]) == pytest.approx(50.0, rel=1e-7)
        assert grad == nn.binary_cross_entropy_with_logits_grad([-50.0], [1.0])[0] == -1.0
        measured(grad, tf, dtype.name)


def test_tf_softmax_cross_entropy_with_logits_takes_logits_and_does_not_reduce(measured) -> None:
    """tf.nn.(sparse_)softmax_cross_entropy_with_logits take logits, return one loss a sample.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, TensorFlow; fw-reduction:
    "TensorFlow's `tf.nn` losses: one loss a sample").
    """
    rng = np.random.default_rng(0)
    z, labels = rng.normal(scale=2.0, size=(6, 4)), rng.integers(0, 4, size=6)
    dense = tf.nn.softmax_cross_entropy_with_logits(labels=np.eye(4)[labels], logits=z).numpy()
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=z).numpy()
    per_sample = nn.softmax_cross_entropy(z, labels, reduction="none")
    assert dense.shape == sparse.shape == (6,)
    np.testing.assert_allclose(dense, per_sample, rtol=1e-13)
    np.testing.assert_allclose(sparse, per_sample, rtol=1e-13)
    measured(float(dense.mean()), tf, "mean of 6 losses")


# ------------------------------------------------------------ softmax, and the leak's default


def test_tf_softmax_functions_shift_by_the_max_along_the_last_axis(measured) -> None:
    """tf.nn.softmax, log_softmax shift by the max along the last axis; reduce_logsumexp sums all.

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "All of them take logits and subtract
    the maximum first"; the default axes).
    """
    for dtype in DTYPES:
        big = tf.constant([1000.0, 1001.0, 1002.0], dtype)
        np.testing.assert_allclose(
            tf.nn.softmax(big).numpy(), nn.softmax(np.array([1.0, 2.0, 3.0])), rtol=1e-6
        )
        pair = tf.constant([1000.0, 1.0], dtype)
        assert tf.nn.log_softmax(pair).numpy().tolist() == [0.0, -999.0]
        assert tf.math.log(tf.nn.softmax(pair)).numpy().tolist() == [0.0, -np.inf]
        batch = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
        np.testing.assert_allclose(
            tf.nn.softmax(tf.constant(batch, dtype)).numpy(), nn.softmax(batch), 1e-6
        )
        np.testing.assert_allclose(
            tf.nn.log_softmax(tf.constant(batch, dtype)).numpy(), nn.log_softmax(batch), 1e-6
        )
        every = float(tf.math.reduce_logsumexp(tf.constant(batch, dtype)))  # no axis
        assert every == pytest.approx(float(nn.logsumexp(batch.ravel())), rel=1e-6)
        measured(every, tf, f"{dtype.name}, reduce_logsumexp of a 2 x 3 batch")


def test_tf_leaky_relu_default_leak_is_0_2(measured) -> None:
    """tf.nn.leaky_relu's default leak is 0.2, twenty times nnmath's and PyTorch's 0.01.

    Claimed in: chapters/frameworks.ipynb (fw-leaky-relu: the table, `tf.nn.leaky_relu`,
    default α).
    """
    x = np.array([-3.0, -0.5, 0.0, 2.0])
    got = tf.nn.leaky_relu(tf.constant(x, tf.float64)).numpy()
    # The kernel holds alpha as a float32 attribute: 0.2 to 1.5e-9 relative, in float64 too.
    np.testing.assert_allclose(got, nn.leaky_relu(x, alpha=0.2), rtol=1e-7)
    measured(float(got[0] / x[0]), tf, "slope left of 0")
