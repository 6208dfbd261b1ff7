"""Tests of nnmath.network.models: the two models, their forward and backward passes."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from network_reference import (
    dead_by_hand,
    logits_by_hand,
    loss_by_hand,
    mean_cross_entropy_by_hand,
    pre_activations,
    relative_error,
    small_problem,
)

import nnmath
from nnmath import network as nw

EPS = 1e-6
KEYS = ("W1", "b1", "W2", "b2")


def loss_as_function_of(name, net, X, y, reg):
    """The network's loss as a function of one parameter array, the others fixed."""

    def f(value):
        return dataclasses.replace(net, **{name: value}).loss_and_grads(X, y, reg=reg)[0]

    return f


def random_linear(seed=2, n=9, k=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = rng.integers(0, k, n)
    model = nw.LinearClassifier(W=rng.standard_normal((2, k)), b=rng.standard_normal(k))
    return model, X, y


# --------------------------------------------------------------------------
# Construction and initialisation
# --------------------------------------------------------------------------


def test_init_shapes_he_scale_and_zero_biases():
    net = nw.TwoLayerNet.init(2, 500, 3, seed=1)
    assert {name: p.shape for name, p in zip(KEYS, net.parameters(), strict=True)} == {
        "W1": (2, 500),
        "b1": (500,),
        "W2": (500, 3),
        "b2": (3,),
    }
    assert (net.n_in, net.n_hidden, net.n_out) == (2, 500, 3)
    assert not net.b1.any() and not net.b2.any()
    # He initialisation: standard deviation sqrt(2 / fan_in).
    assert abs(net.W1.std() - 1.0) < 0.1
    assert abs(net.W2.std() - math.sqrt(2 / 500)) < 0.01
    small = nw.TwoLayerNet.init(2, 500, 3, seed=1, scale=0.01)
    assert abs(small.W1.std() - 0.01) < 0.002
    np.testing.assert_array_equal(
        nw.TwoLayerNet.init(2, 5, 3, seed=4).W1, nw.TwoLayerNet.init(2, 5, 3, seed=4).W1
    )
    assert not np.array_equal(
        nw.TwoLayerNet.init(2, 5, 3, seed=4).W1, nw.TwoLayerNet.init(2, 5, 3, seed=5).W1
    )


def test_linear_init_shapes_and_scale():
    model = nw.LinearClassifier.init(2, 3, seed=0)
    assert (model.W.shape, model.b.shape, model.n_in, model.n_out) == ((2, 3), (3,), 2, 3)
    assert not model.b.any()
    wide = nw.LinearClassifier.init(400, 50, seed=0)
    assert abs(wide.W.std() - 0.01) < 0.001
    assert abs(nw.LinearClassifier.init(400, 50, scale=0.5).W.std() - 0.5) < 0.05


def test_models_are_frozen_dataclasses_with_named_fields():
    net, _, _ = small_problem()
    assert [f.name for f in dataclasses.fields(net)] == list(KEYS)
    assert [f.name for f in dataclasses.fields(nw.LinearClassifier)] == ["W", "b"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        net.W1 = np.zeros((2, 7))
    assert repr(net) == "TwoLayerNet(W1: (2, 7), b1: (7,), W2: (7, 3), b2: (3,))"
    for p, field in zip(net.parameters(), KEYS, strict=True):
        assert p is getattr(net, field)  # the arrays themselves, to update in place


def test_copy_is_independent():
    net, _, _ = small_problem()
    twin = net.copy()
    for a, b in zip(net.parameters(), twin.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
        assert not np.shares_memory(a, b)
    twin.W1[0, 0] += 1.0
    assert twin.W1[0, 0] != net.W1[0, 0]


def test_lists_become_arrays_and_float32_stays_float32():
    net = nw.TwoLayerNet(W1=[[1.0, -1.0]], b1=[0, 0], W2=[[1.0], [2.0]], b2=[0.5])
    assert net.b1.dtype == np.float64 and net.W1.shape == (1, 2)
    f32 = nw.TwoLayerNet(*(p.astype(np.float32) for p in net.parameters()))
    logits, _ = f32.forward(np.array([[3.0]], dtype=np.float32))
    assert logits.dtype == np.float32
    np.testing.assert_allclose(logits, [[3.0 * 1 + 0.5]])


# --------------------------------------------------------------------------
# Forward pass and loss
# --------------------------------------------------------------------------


def test_forward_matches_plain_numpy():
    net, X, _ = small_problem()
    logits, cache = net.forward(X)
    A = np.maximum(X @ net.W1 + net.b1, 0)
    np.testing.assert_allclose(cache.A, A)
    np.testing.assert_allclose(cache.Z1, X @ net.W1 + net.b1)
    np.testing.assert_array_equal(cache.X, X)
    np.testing.assert_allclose(logits, A @ net.W2 + net.b2)
    np.testing.assert_array_equal(net.logits(X), logits)


def test_loss_matches_plain_numpy():
    net, X, y = small_problem()
    for reg in (0.0, 0.1):
        loss, _ = net.loss_and_grads(X, y, reg=reg)
        assert loss == pytest.approx(loss_by_hand(net, X, y, reg), rel=1e-12)


def test_linear_loss_matches_plain_numpy():
    model, X, y = random_linear()
    for reg in (0.0, 0.3):
        loss, _ = model.loss_and_grads(X, y, reg=reg)
        expected = mean_cross_entropy_by_hand(X @ model.W + model.b, y)
        expected += 0.5 * reg * np.sum(model.W**2)
        assert loss == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------
# Gradients of the whole network against central differences
# --------------------------------------------------------------------------


@pytest.mark.parametrize("reg", [0.0, 1e-2], ids=["no-reg", "reg"])
@pytest.mark.parametrize("name", KEYS)
def test_every_parameter_gradient_matches_central_differences(name, reg):
    net, X, y = small_problem()
    # Stay away from the kink: no pre-activation may cross 0 within a step of EPS.
    assert np.abs(pre_activations(net, X)).min() > 1e3 * EPS
    f = loss_as_function_of(name, net, X, y, reg)
    numeric = nnmath.numerical_gradient(f, getattr(net, name), eps=EPS)
    analytic = getattr(net.loss_and_grads(X, y, reg=reg)[1], name)
    assert analytic.shape == getattr(net, name).shape
    assert np.abs(numeric).min() > 1e-6  # no entry so small that rounding dominates
    assert relative_error(analytic, numeric) < 1e-6


def test_gradient_check_helper_agrees_on_the_network():
    net, X, y = small_problem()
    assert np.abs(pre_activations(net, X)).min() > 1e3 * EPS
    for name in KEYS:

        def grad(value, name=name):
            trial = dataclasses.replace(net, **{name: value})
            return getattr(trial.loss_and_grads(X, y, reg=1e-3)[1], name)

        err = nnmath.gradient_check(
            loss_as_function_of(name, net, X, y, 1e-3), grad, getattr(net, name)
        )
        assert err < 1e-6, (name, err)


def test_the_gradient_check_catches_a_missing_relu_gate():
    """The check above has teeth: dropping relu'(Z1) from the backward pass fails it."""
    net, X, y = small_problem()
    Z1 = pre_activations(net, X)
    assert (Z1 < 0).any()  # some units are off for some inputs, so the gate matters
    A = np.maximum(Z1, 0)
    dZ2 = nnmath.softmax_cross_entropy_grad(A @ net.W2 + net.b2, y)
    wrong_dW1 = X.T @ (dZ2 @ net.W2.T)  # forgot "* relu_grad(Z1)"
    numeric = nnmath.numerical_gradient(loss_as_function_of("W1", net, X, y, 0.0), net.W1)
    assert relative_error(wrong_dW1, numeric) > 1e-2


def test_gradients_of_linear_classifier_match_central_differences():
    model, X, y = random_linear()
    for name in ("W", "b"):

        def f(value, name=name):
            return dataclasses.replace(model, **{name: value}).loss_and_grads(X, y, reg=1e-2)[0]

        numeric = nnmath.numerical_gradient(f, getattr(model, name))
        analytic = getattr(model.loss_and_grads(X, y, reg=1e-2)[1], name)
        assert relative_error(analytic, numeric) < 1e-6


@pytest.mark.parametrize("kind", ["two-layer", "linear"])
def test_backward_of_any_upstream_gradient_matches_central_differences(kind):
    """backward(cache, G) is the gradient of sum(G * logits), whatever G is."""
    net, X, _ = small_problem() if kind == "two-layer" else random_linear()
    G = np.random.default_rng(8).standard_normal((X.shape[0], net.n_out))
    _, cache = net.forward(X)
    grads = net.backward(cache, G)
    assert type(grads) is type(net)
    for f in dataclasses.fields(net):

        def scalar(value, name=f.name):
            return float(np.sum(G * dataclasses.replace(net, **{name: value}).logits(X)))

        numeric = nnmath.numerical_gradient(scalar, getattr(net, f.name))
        assert relative_error(getattr(grads, f.name), numeric) < 1e-6, f.name


def test_backward_from_p_minus_y_is_the_gradient_of_the_loss():
    net, X, y = small_problem()
    logits, cache = net.forward(X)
    via_backward = net.backward(cache, nnmath.softmax_cross_entropy_grad(logits, y))
    _, grads = net.loss_and_grads(X, y)
    for a, b in zip(via_backward.parameters(), grads.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_dead_unit_gets_no_gradient():
    net, X, y = small_problem()
    b1 = net.b1.copy()
    b1[0] = -100.0  # unit 0 never fires on these inputs
    _, grads = dataclasses.replace(net, b1=b1).loss_and_grads(X, y)
    assert not grads.W1[:, 0].any() and grads.b1[0] == 0.0
    assert not grads.W2[0].any()


def test_penalty_reaches_the_weights_only():
    net, X, y = small_problem()
    _, plain = net.loss_and_grads(X, y)
    _, penalised = net.loss_and_grads(X, y, reg=0.5)
    np.testing.assert_allclose(penalised.W1 - plain.W1, 0.5 * net.W1, atol=1e-15)
    np.testing.assert_allclose(penalised.W2 - plain.W2, 0.5 * net.W2, atol=1e-15)
    np.testing.assert_array_equal(penalised.b1, plain.b1)
    np.testing.assert_array_equal(penalised.b2, plain.b2)


# --------------------------------------------------------------------------
# Sanity checks a practitioner uses
# --------------------------------------------------------------------------


@pytest.mark.parametrize("k", [3, 10])
def test_initial_loss_is_close_to_ln_k_with_small_weights(k):
    X, y = nw.make_spiral(n_per_class=30, n_classes=k)
    net = nw.TwoLayerNet.init(2, 50, k, scale=1e-3)
    loss, _ = net.loss_and_grads(X, y)
    assert loss == pytest.approx(math.log(k), abs=1e-4)


def test_he_initial_loss_is_not_far_from_ln_3():
    X, y = nw.make_spiral()
    loss, _ = nw.TwoLayerNet.init(2, 100, 3).loss_and_grads(X, y)
    assert abs(loss - math.log(3)) < 0.5


# --------------------------------------------------------------------------
# Dead ReLUs, predictions and decision regions
# --------------------------------------------------------------------------


def test_dead_fraction_matches_an_independent_count():
    net, X, _ = small_problem()
    assert net.dead_fraction(X) == dead_by_hand(net, X)
    b1 = net.b1.copy()
    b1[:3] = -50.0
    net = dataclasses.replace(net, b1=b1)
    assert net.dead_fraction(X) == pytest.approx(dead_by_hand(net, X))
    assert dead_by_hand(net, X) >= 3 / 7


def test_predict_and_accuracy_for_both_kinds_of_model():
    net, X, y = small_problem()
    logits = logits_by_hand(net, X)
    np.testing.assert_array_equal(net.predict(X), logits.argmax(axis=1))
    assert net.accuracy(X, y) == np.mean(logits.argmax(axis=1) == y)
    linear = nw.LinearClassifier(W=net.W1[:, :3], b=net.b2)
    np.testing.assert_array_equal(linear.predict(X), (X @ linear.W + linear.b).argmax(axis=1))
    assert linear.accuracy(X, y) == np.mean((X @ linear.W + linear.b).argmax(axis=1) == y)


def test_decision_grid_orientation():
    X, y = nw.make_spiral(n_per_class=30)
    net = nw.train(X, y, hidden=20, steps=100).final
    grid = nw.decision_grid(net, (-1.0, 1.0), (-0.5, 0.5), n=5)
    assert grid.shape == (5, 5)
    xs, ys = np.linspace(-1, 1, 5), np.linspace(-0.5, 0.5, 5)
    for i, j in [(0, 4), (4, 0), (1, 3), (2, 2)]:
        assert grid[i, j] == net.predict([[xs[j], ys[i]]])[0]
    assert len(np.unique(grid)) > 1


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------


def test_bad_params_are_rejected():
    net, _, _ = small_problem()
    with pytest.raises(TypeError, match="missing"):
        nw.TwoLayerNet(W1=net.W1, b1=net.b1)
    with pytest.raises(ValueError, match="b1"):
        dataclasses.replace(net, b1=np.zeros(3))
    with pytest.raises(ValueError, match="W2"):
        dataclasses.replace(net, W2=np.zeros((4, 3)))
    with pytest.raises(TypeError, match="W1"):
        dataclasses.replace(net, W1=np.full((2, 7), "a"))
    with pytest.raises(ValueError, match="W1 must hold finite"):
        dataclasses.replace(net, W1=np.full((2, 7), np.nan))
    with pytest.raises(ValueError, match="b2"):
        dataclasses.replace(net, b2=np.array([0.0, np.inf, 0.0]))
    with pytest.raises(ValueError, match="W1 must be a 2-D"):
        dataclasses.replace(net, W1=np.zeros(7))
    with pytest.raises(ValueError, match="W2 must be a 2-D array with at least one entry"):
        dataclasses.replace(net, W2=np.zeros((7, 0)), b2=np.zeros(0))
    with pytest.raises(ValueError, match="b"):
        nw.LinearClassifier(W=np.zeros((2, 3)), b=np.zeros(2))
    with pytest.raises(TypeError, match="W"):
        nw.LinearClassifier(W=[[1 + 2j]], b=[0.0])


def test_bad_data_is_rejected():
    net, X, y = small_problem()
    with pytest.raises(ValueError, match="X must be a 2-D"):
        net.forward(X[0])
    with pytest.raises(ValueError, match="features"):
        net.forward(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="finite"):
        net.forward(np.full((2, 2), np.nan))
    with pytest.raises(TypeError, match="X"):
        net.forward([["a", "b"]])
    with pytest.raises(TypeError, match="y"):
        net.loss_and_grads(X, y.astype(float))
    with pytest.raises(ValueError, match="y"):
        net.loss_and_grads(X, y[:-1])
    with pytest.raises(ValueError, match="y"):
        net.loss_and_grads(X, np.full(len(y), 3))
    with pytest.raises(ValueError, match="reg"):
        net.loss_and_grads(X, y, reg=-1.0)
    with pytest.raises(TypeError, match="reg"):
        net.loss_and_grads(X, y, reg="0.1")
    with pytest.raises(ValueError, match="no samples"):
        net.dead_fraction(np.zeros((0, 2)))
    with pytest.raises(ValueError, match="no samples"):
        net.accuracy(np.zeros((0, 2)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="y"):
        net.accuracy(X, y[:3])


def test_backward_rejects_a_bad_cache_or_upstream_gradient():
    net, X, _ = small_problem()
    logits, cache = net.forward(X)
    G = np.ones_like(logits)
    with pytest.raises(TypeError, match="cache must be the TwoLayerCache"):
        net.backward((X,), G)
    linear = nw.LinearClassifier(W=np.zeros((2, 3)), b=np.zeros(3))
    with pytest.raises(TypeError, match="cache must be the LinearCache"):
        linear.backward(cache, G)
    with pytest.raises(ValueError, match=r"dlogits must have shape \(12, 3\)"):
        net.backward(cache, G[:, :2])
    with pytest.raises(ValueError, match="dlogits must hold finite"):
        net.backward(cache, np.full_like(G, np.nan))
    with pytest.raises(TypeError, match="dlogits"):
        net.backward(cache, G.astype(complex))
    wider = nw.TwoLayerNet.init(2, 9, 3)
    with pytest.raises(ValueError, match=r"cache.Z1 must have shape \(12, 9\)"):
        wider.backward(cache, G)
    with pytest.raises(ValueError, match=r"cache\.X must have 3 features"):
        nw.TwoLayerNet.init(3, 7, 3).backward(cache, G)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_in": 0}, ValueError, "n_in"),
        ({"n_hidden": 0}, ValueError, "n_hidden"),
        ({"n_hidden": 2.0}, TypeError, "n_hidden"),
        ({"n_out": True}, TypeError, "n_out"),
        ({"seed": -1}, ValueError, "seed"),
        ({"scale": -0.1}, ValueError, "scale"),
        ({"scale": float("inf")}, ValueError, "scale"),
    ],
    ids=lambda v: str(v),
)
def test_init_rejects_bad_arguments(kwargs, error, match):
    args = {"n_in": 2, "n_hidden": 4, "n_out": 3, **kwargs}
    with pytest.raises(error, match=match):
        nw.TwoLayerNet.init(args.pop("n_in"), args.pop("n_hidden"), args.pop("n_out"), **args)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_in": 0}, ValueError, "n_in"),
        ({"n_out": 1.5}, TypeError, "n_out"),
        ({"seed": "1"}, TypeError, "seed"),
        ({"scale": float("nan")}, ValueError, "scale"),
    ],
    ids=lambda v: str(v),
)
def test_linear_init_rejects_bad_arguments(kwargs, error, match):
    args = {"n_in": 2, "n_out": 3, **kwargs}
    with pytest.raises(error, match=match):
        nw.LinearClassifier.init(args.pop("n_in"), args.pop("n_out"), **args)


def test_decision_grid_rejects_bad_limits_and_models():
    net, _, _ = small_problem()
    with pytest.raises(ValueError, match="xlim"):
        nw.decision_grid(net, (1.0, -1.0), (-1, 1))
    with pytest.raises(TypeError, match="ylim"):
        nw.decision_grid(net, (-1, 1), 3.0)
    with pytest.raises(ValueError, match="n"):
        nw.decision_grid(net, n=1)
    with pytest.raises(TypeError, match="model must be"):
        nw.decision_grid({"W1": net.W1})
    with pytest.raises(ValueError, match="2 inputs"):
        nw.decision_grid(nw.TwoLayerNet.init(3, 4, 2))
