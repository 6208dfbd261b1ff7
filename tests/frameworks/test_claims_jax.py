"""What JAX (and optax, its loss library) return in the cases the book describes.

float64 runs inside ``jax.enable_x64(True)`` only, so the rest of the process (Keras on
its JAX backend, say) keeps JAX's float32 default.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from claims_support import require

import nnmath as nn

jax = require("jax")
jnp = jax.numpy

DTYPES = ("float64", "float32")
AROUND_0 = [-1.5, 0.0, 2.0]


def grad_of(f: Callable, x0: list[float], dtype: str) -> np.ndarray:
    """d sum(f(x)) / dx at x0, by jax.grad, in `dtype`."""
    with jax.enable_x64(dtype == "float64"):
        x = jnp.asarray(x0, dtype=dtype)
        g = jax.grad(lambda v: jnp.sum(f(v)))(x)
        assert g.dtype == dtype
        return np.asarray(g, dtype=np.float64)


def relu_gate_at_0(f: Callable, dtype: str) -> float:
    """The value `f` uses for ReLU'(0), after checking f' is ReLU's on both sides."""
    g = grad_of(f, AROUND_0, dtype)
    np.testing.assert_array_equal(g[[0, 2]], nn.relu_grad(np.array([-1.5, 2.0])))
    return float(g[1])


def test_jax_relu_grad_at_0_is_0(measured) -> None:
    """jax.nn.relu uses ReLU'(0) = 0, as nnmath.relu_grad does.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `relu`).
    """
    for dtype in DTYPES:
        value = relu_gate_at_0(jax.nn.relu, dtype)
        assert value == 0.0
        measured(value, jax, dtype)


def test_jax_relu_documentation_cites_bertoin_et_al(measured) -> None:
    """jax.nn.relu's documentation cites "Numerical influence of ReLU'(0) on backpropagation".

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: "The documentation of JAX's `relu` cites
    bertoin2021relu").
    """
    doc = jax.nn.relu.__doc__ or ""
    assert "Numerical influence of ReLU" in doc
    assert r"\nabla \mathrm{relu}(0) = 0" in doc
    measured("cited in jax.nn.relu.__doc__", jax)


def test_jnp_maximum_splits_a_tie_in_half(measured) -> None:
    """jnp.maximum(x, 0) (and lax.max) give 0.5 at x = 0, in either argument order.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `jnp.maximum(x, 0)`).
    """
    for dtype in DTYPES:
        first = relu_gate_at_0(lambda x: jnp.maximum(x, 0.0), dtype)
        second = relu_gate_at_0(lambda x: jnp.maximum(0.0, x), dtype)
        lax = relu_gate_at_0(lambda x: jax.lax.max(x, jnp.zeros_like(x)), dtype)
        assert first == second == lax == 0.5
        measured(first, jax, dtype)


def test_jnp_clip_splits_a_tie_in_half(measured) -> None:
    """jnp.clip(x, 0) and a JAX array's x.clip(min=0) give 0.5 at 0, unlike torch.clamp's 1.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `jnp.clip(x, 0)`,
    `x.clip(min=0)` on a JAX array).
    """
    for dtype in DTYPES:
        value = relu_gate_at_0(lambda x: jnp.clip(x, min=0.0), dtype)
        method = relu_gate_at_0(lambda x: x.clip(min=0.0), dtype)
        assert value == method == 0.5
        measured(value, jax, dtype)


def test_jnp_where_gives_0_at_0(measured) -> None:
    """jnp.where(x > 0, x, 0) gives 0 at x = 0 (the mask is false there).

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `where(x > 0, x, 0)`).
    """
    for dtype in DTYPES:
        value = relu_gate_at_0(lambda x: jnp.where(x > 0, x, 0.0), dtype)
        assert value == 0.0
        measured(value, jax, dtype)


def test_jax_leaky_relu_grad_at_0_is_1_not_alpha(measured) -> None:
    """jax.nn.leaky_relu's gradient at 0 is 1 (it tests x >= 0), not nnmath's α.

    Claimed in: chapters/frameworks.ipynb (fw-leaky-relu: the table, `jax.nn.leaky_relu`).
    """
    alpha = 0.1
    for dtype in DTYPES:
        g = grad_of(lambda x: jax.nn.leaky_relu(x, alpha), AROUND_0, dtype)
        ours = nn.leaky_relu_grad(np.array(AROUND_0), alpha=alpha)
        np.testing.assert_allclose(g[[0, 2]], ours[[0, 2]], rtol=1e-7)
        assert g[1] == 1.0 and ours[1] == alpha
        measured(g[1], jax, dtype)


def test_jax_gelu_defaults_to_the_tanh_approximation(measured) -> None:
    """jax.nn.gelu defaults to the tanh form (approximate=True); approximate=False is x·Φ(x).

    Claimed in: chapters/frameworks.ipynb (fw-gelu: "JAX's `jax.nn.gelu` computes the tanh form";
    also nnmath/activations.py, gelu).
    """
    x = np.linspace(-4.0, 4.0, 81)
    with jax.enable_x64(True):
        default = np.asarray(jax.nn.gelu(jnp.asarray(x)))
        exact = np.asarray(jax.nn.gelu(jnp.asarray(x), approximate=False))
    np.testing.assert_allclose(default, nn.gelu(x, approximate="tanh"), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(exact, nn.gelu(x), rtol=1e-13, atol=1e-15)
    gap = float(np.max(np.abs(default - exact)))
    assert gap > 1e-4
    measured(gap, jax, "max |default − exact|")


# --------------------------------------------------------------------------------- optax


def test_optax_softmax_cross_entropy_takes_logits_and_does_not_reduce(measured) -> None:
    """optax.softmax_cross_entropy(_with_integer_labels) take logits, return one loss a sample.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, optax; fw-reduction: "optax's
    losses: one loss a sample").
    """
    optax = require("optax")
    rng = np.random.default_rng(0)
    z, labels = rng.normal(scale=2.0, size=(6, 4)), rng.integers(0, 4, size=6)
    with jax.enable_x64(True):
        one_hot = np.asarray(optax.softmax_cross_entropy(jnp.asarray(z), np.eye(4)[labels]))
        integer = np.asarray(optax.softmax_cross_entropy_with_integer_labels(z, labels))
    per_sample = nn.softmax_cross_entropy(z, labels, reduction="none")
    assert one_hot.shape == integer.shape == (6,)  # no reduction: the caller averages
    np.testing.assert_allclose(one_hot, per_sample, rtol=1e-13)
    np.testing.assert_allclose(integer, per_sample, rtol=1e-13)
    measured(float(one_hot.mean()), optax, "mean of 6 losses")


def test_optax_sigmoid_binary_cross_entropy_takes_logits(measured) -> None:
    """optax.sigmoid_binary_cross_entropy takes logits: at z = −50, y = 1 the loss is 50.

    Claimed in: chapters/frameworks.ipynb (fw-log0-gradient: "the losses that take the logit ...
    return the loss 50 and the gradient −1"; fw-loss-inputs: the lists, optax).
    """
    optax = require("optax")
    z, y = np.array([-50.0, -3.0, 0.5, 40.0]), np.array([1.0, 0.0, 1.0, 0.0])
    with jax.enable_x64(True):
        loss = np.asarray(optax.sigmoid_binary_cross_entropy(jnp.asarray(z), jnp.asarray(y)))
        slope = jax.grad(lambda v: optax.sigmoid_binary_cross_entropy(v, 1.0))(-50.0)
    expected = nn.binary_cross_entropy_with_logits(z, y, reduction="none")
    np.testing.assert_allclose(loss, expected, rtol=1e-13)
    assert float(slope) == pytest.approx(-1.0, abs=1e-15)
    measured(float(slope), optax, "dL/dz at −50")


# ------------------------------------------------------------ softmax, and the leak's default


def test_jax_softmax_functions_shift_by_the_max_along_the_last_axis(measured) -> None:
    """jax.nn.softmax and log_softmax shift by the max along the last axis; logsumexp sums all.

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "All of them take logits and subtract
    the maximum first"; the default axes).
    """
    for dtype in DTYPES:
        with jax.enable_x64(dtype == "float64"):
            big = jnp.asarray([1000.0, 1001.0, 1002.0], dtype=dtype)
            np.testing.assert_allclose(
                np.asarray(jax.nn.softmax(big)), nn.softmax(np.array([1.0, 2.0, 3.0])), rtol=1e-6
            )
            pair = jnp.asarray([1000.0, 1.0], dtype=dtype)
            assert np.asarray(jax.nn.log_softmax(pair)).tolist() == [0.0, -999.0]
            assert np.asarray(jnp.log(jax.nn.softmax(pair))).tolist() == [0.0, -np.inf]
            batch = jnp.asarray([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], dtype=dtype)
            np.testing.assert_allclose(np.asarray(jax.nn.softmax(batch)).sum(axis=1), 1.0, 1e-6)
            np.testing.assert_allclose(
                np.asarray(jax.nn.log_softmax(batch)), nn.log_softmax(np.asarray(batch)), 1e-6
            )
            every = float(jax.nn.logsumexp(batch))  # no axis: every entry
            assert every == pytest.approx(float(nn.logsumexp(np.asarray(batch).ravel())), 1e-6)
        measured(every, jax, f"{dtype}, logsumexp of a 2 x 3 batch")


def test_jax_softmax_custom_jvp_is_off_by_default(measured) -> None:
    """JAX's hand-written softmax derivative rule (jax_softmax_custom_jvp) is off by default.

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "used when its option
    `jax_softmax_custom_jvp` is on. It is off by default").
    """
    assert jax.config.jax_softmax_custom_jvp is False
    measured(jax.config.jax_softmax_custom_jvp, jax)


def _shapes(closed: object) -> list[tuple[int, ...]]:
    """The shape of every value a jaxpr computes, nested jaxprs (a custom rule's) included."""
    shapes: list[tuple[int, ...]] = []

    def walk(jaxpr: object) -> None:
        for eqn in jaxpr.eqns:
            shapes.extend(tuple(v.aval.shape) for v in eqn.outvars)
            for param in eqn.params.values():
                inner = getattr(param, "jaxpr", None)
                if inner is not None:
                    walk(getattr(inner, "jaxpr", inner))

    walk(closed.jaxpr)
    return shapes


@pytest.mark.parametrize("custom_jvp", [False, True])
def test_jax_softmax_derivative_builds_no_k_by_k_matrix(measured, custom_jvp: bool) -> None:
    """Neither of JAX's ways to differentiate softmax builds a K x K matrix.

    With `jax_softmax_custom_jvp` off (the default) automatic differentiation carries a
    vector through the formula's steps; on, the hand-written rule p * (v - p . v) does. For
    K = 1000 every value computed by the forward-mode and reverse-mode derivatives, and by the
    gradient of a loss, holds at most K entries (a K x K matrix would hold K * K); the results
    agree with diag(p) - p p^T applied to v.

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "Either way no K x K matrix is built").
    """
    k = 1000
    before = jax.config.jax_softmax_custom_jvp
    jax.config.update("jax_softmax_custom_jvp", custom_jvp)
    try:
        with jax.enable_x64(True):
            z = jnp.linspace(-3.0, 3.0, k)
            v = jnp.asarray(np.random.default_rng(0).normal(size=k))
            forward = lambda z: jax.jvp(jax.nn.softmax, (z,), (v,))[1]  # noqa: E731
            reverse = lambda z: jax.vjp(jax.nn.softmax, z)[1](v)[0]  # noqa: E731
            loss_grad = jax.grad(lambda z: -jnp.log(jax.nn.softmax(z))[3])
            shapes = [
                s for f in (forward, reverse, loss_grad) for s in _shapes(jax.make_jaxpr(f)(z))
            ]
            # a K x K matrix would hold K * K entries; (1,) is a sum kept as an axis
            assert shapes and all(math.prod(s) <= k for s in shapes), sorted(set(shapes))
            jac = nn.softmax_jacobian(np.asarray(z))  # symmetric: J v = J^T v
            np.testing.assert_allclose(np.asarray(forward(z)), jac @ np.asarray(v), atol=1e-15)
            np.testing.assert_allclose(np.asarray(reverse(z)), jac @ np.asarray(v), atol=1e-15)
    finally:
        jax.config.update("jax_softmax_custom_jvp", before)
    measured(max(len(s) for s in shapes), jax, f"custom_jvp={custom_jvp}: most axes of a value")


def test_jax_leaky_relu_default_leak_is_0_01(measured) -> None:
    """jax.nn.leaky_relu's default leak is 0.01, as nnmath.leaky_relu's.

    Claimed in: chapters/frameworks.ipynb (fw-leaky-relu: the table, `jax.nn.leaky_relu`,
    default α).
    """
    x = np.array([-3.0, -0.5, 0.0, 2.0])
    with jax.enable_x64(True):
        got = np.asarray(jax.nn.leaky_relu(jnp.asarray(x)))
    np.testing.assert_allclose(got, nn.leaky_relu(x), rtol=1e-15)
    measured(float(got[0] / x[0]), jax, "slope left of 0")
