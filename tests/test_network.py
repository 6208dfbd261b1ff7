"""Tests of nnmath.network: the spiral data, the two-layer network, its gradients and training."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nnmath
from nnmath import network as nw

EPS = 1e-6
KEYS = ("W1", "b1", "W2", "b2")


# --------------------------------------------------------------------------
# Helpers written here, independently of nnmath.network
# --------------------------------------------------------------------------


def small_problem(seed=3, n=12, hidden=7, k=3):
    """A small float64 batch and network, away from every ReLU kink."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = rng.integers(0, k, size=n)
    params = {
        "W1": rng.standard_normal((2, hidden)),
        "b1": 0.3 * rng.standard_normal(hidden),
        "W2": rng.standard_normal((hidden, k)),
        "b2": 0.3 * rng.standard_normal(k),
    }
    return params, X, y


def pre_activations(params, X):
    return np.asarray(X) @ params["W1"] + params["b1"]


def loss_by_hand(params, X, y, reg=0.0):
    """Mean cross-entropy of the network, computed with plain NumPy (no nnmath)."""
    H = np.maximum(pre_activations(params, X), 0.0)
    Z = H @ params["W2"] + params["b2"]
    Z = Z - Z.max(axis=1, keepdims=True)
    logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    data = -logp[np.arange(len(y)), y].mean()
    return data + 0.5 * reg * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))


def loss_as_function_of(name, params, X, y, reg):
    """The network's loss as a function of one parameter array, the others fixed."""

    def f(value):
        trial = dict(params)
        trial[name] = value
        return nw.loss_and_grads(trial, X, y, reg=reg)[0]

    return f


def relative_error(a, n):
    """Entry-wise relative error, CS231n style (0 where both are 0)."""
    a, n = np.asarray(a, float), np.asarray(n, float)
    scale = np.maximum(np.abs(a), np.abs(n))
    rel = np.divide(np.abs(a - n), scale, out=np.zeros_like(scale), where=scale > 0)
    return float(rel.max())


# --------------------------------------------------------------------------
# The spiral
# --------------------------------------------------------------------------


def test_spiral_shapes_dtypes_and_balance():
    X, y = nw.make_spiral(n_per_class=40, n_classes=4)
    assert X.shape == (160, 2) and X.dtype == np.float64
    assert y.shape == (160,) and y.dtype.kind == "i"
    assert np.bincount(y).tolist() == [40, 40, 40, 40]
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.max() <= 1.0 + 1e-12
    assert np.isclose(radius.max(), 1.0)


def test_spiral_is_deterministic():
    a = nw.make_spiral(seed=5)
    b = nw.make_spiral(seed=5)
    c = nw.make_spiral(seed=6)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.allclose(a[0], c[0])
    np.testing.assert_array_equal(a[1], c[1])  # the labels do not depend on the noise


def test_spiral_without_noise_lies_on_the_arms():
    X, y = nw.make_spiral(n_per_class=5, n_classes=3, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r, np.tile(np.linspace(0, 1, 5), 3), atol=1e-12)
    theta = np.arctan2(X[:, 0], X[:, 1])  # the angle is measured from the y axis
    expected = 4.0 * (y + r)
    on_arm = np.cos(theta - expected)[r > 0]
    np.testing.assert_allclose(on_arm, 1.0, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_per_class": 0}, ValueError, "n_per_class"),
        ({"n_per_class": 2.5}, TypeError, "n_per_class"),
        ({"n_classes": 0}, ValueError, "n_classes"),
        ({"n_classes": True}, TypeError, "n_classes"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": float("nan")}, ValueError, "noise"),
        ({"noise": "0.2"}, TypeError, "noise"),
        ({"seed": -1}, ValueError, "seed"),
    ],
    ids=lambda v: str(v),
)
def test_spiral_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        nw.make_spiral(**kwargs)


# --------------------------------------------------------------------------
# Initialisation and forward pass
# --------------------------------------------------------------------------


def test_init_params_shapes_he_scale_and_zero_biases():
    params = nw.init_params(2, 500, 3, seed=1)
    assert {k: v.shape for k, v in params.items()} == {
        "W1": (2, 500),
        "b1": (500,),
        "W2": (500, 3),
        "b2": (3,),
    }
    assert not params["b1"].any() and not params["b2"].any()
    # He initialisation: standard deviation sqrt(2 / fan_in).
    assert abs(params["W1"].std() - 1.0) < 0.1
    assert abs(params["W2"].std() - math.sqrt(2 / 500)) < 0.01
    small = nw.init_params(2, 500, 3, seed=1, scale=0.01)
    assert abs(small["W1"].std() - 0.01) < 0.002
    np.testing.assert_array_equal(
        nw.init_params(2, 5, 3, seed=4)["W1"], nw.init_params(2, 5, 3, seed=4)["W1"]
    )


def test_forward_matches_plain_numpy():
    params, X, _ = small_problem()
    logits, cache = nw.forward(params, X)
    H = np.maximum(X @ params["W1"] + params["b1"], 0)
    np.testing.assert_allclose(cache["H"], H)
    np.testing.assert_allclose(logits, H @ params["W2"] + params["b2"])


def test_loss_matches_plain_numpy():
    params, X, y = small_problem()
    for reg in (0.0, 0.1):
        loss, _ = nw.loss_and_grads(params, X, y, reg=reg)
        assert loss == pytest.approx(loss_by_hand(params, X, y, reg), rel=1e-12)


# --------------------------------------------------------------------------
# Gradients of the whole network against central differences
# --------------------------------------------------------------------------


@pytest.mark.parametrize("reg", [0.0, 1e-2], ids=["no-reg", "reg"])
@pytest.mark.parametrize("name", KEYS)
def test_every_parameter_gradient_matches_central_differences(name, reg):
    params, X, y = small_problem()
    # Stay away from the kink: no pre-activation may cross 0 within a step of EPS.
    assert np.abs(pre_activations(params, X)).min() > 1e3 * EPS
    f = loss_as_function_of(name, params, X, y, reg)
    numeric = nnmath.numerical_gradient(f, params[name], eps=EPS)
    analytic = nw.loss_and_grads(params, X, y, reg=reg)[1][name]
    assert analytic.shape == params[name].shape
    assert np.abs(numeric).min() > 1e-6  # no entry so small that rounding dominates
    assert relative_error(analytic, numeric) < 1e-6


def test_gradient_check_helper_agrees_on_the_network():
    params, X, y = small_problem()
    assert np.abs(pre_activations(params, X)).min() > 1e3 * EPS
    for name in KEYS:

        def grad(value, name=name):
            trial = dict(params)
            trial[name] = value
            return nw.loss_and_grads(trial, X, y, reg=1e-3)[1][name]

        err = nnmath.gradient_check(
            loss_as_function_of(name, params, X, y, 1e-3), grad, params[name]
        )
        assert err < 1e-6, (name, err)


def test_the_gradient_check_catches_a_missing_relu_gate():
    """The check above has teeth: dropping relu'(Z1) from the backward pass fails it."""
    params, X, y = small_problem()
    Z1 = pre_activations(params, X)
    assert (Z1 < 0).any()  # some units are off for some inputs, so the gate matters
    H = np.maximum(Z1, 0)
    dZ2 = nnmath.softmax_cross_entropy_grad(H @ params["W2"] + params["b2"], y)
    wrong_dW1 = X.T @ (dZ2 @ params["W2"].T)  # forgot "* relu_grad(Z1)"
    numeric = nnmath.numerical_gradient(loss_as_function_of("W1", params, X, y, 0.0), params["W1"])
    assert relative_error(wrong_dW1, numeric) > 1e-2


def test_gradients_of_linear_classifier_match_central_differences():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((9, 2))
    y = rng.integers(0, 3, 9)
    params = {"W": rng.standard_normal((2, 3)), "b": rng.standard_normal(3)}
    for name in ("W", "b"):

        def f(value, name=name):
            trial = dict(params)
            trial[name] = value
            return nw.linear_loss_and_grads(trial, X, y, reg=1e-2)[0]

        numeric = nnmath.numerical_gradient(f, params[name])
        analytic = nw.linear_loss_and_grads(params, X, y, reg=1e-2)[1][name]
        assert relative_error(analytic, numeric) < 1e-6


def test_dead_unit_gets_no_gradient():
    params, X, y = small_problem()
    params["b1"] = params["b1"].copy()
    params["b1"][0] = -100.0  # unit 0 never fires on these inputs
    _, grads = nw.loss_and_grads(params, X, y)
    assert not grads["W1"][:, 0].any() and grads["b1"][0] == 0.0
    assert not grads["W2"][0].any()


# --------------------------------------------------------------------------
# Sanity checks a practitioner uses
# --------------------------------------------------------------------------


@pytest.mark.parametrize("k", [3, 10])
def test_initial_loss_is_close_to_ln_k_with_small_weights(k):
    X, y = nw.make_spiral(n_per_class=30, n_classes=k)
    params = nw.init_params(2, 50, k, scale=1e-3)
    loss, _ = nw.loss_and_grads(params, X, y)
    assert loss == pytest.approx(math.log(k), abs=1e-4)


def test_he_initial_loss_is_not_far_from_ln_3():
    X, y = nw.make_spiral()
    loss, _ = nw.loss_and_grads(nw.init_params(2, 100, 3), X, y)
    assert abs(loss - math.log(3)) < 0.5


def test_can_overfit_a_handful_of_points():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(6, 2))
    y = np.array([0, 1, 2, 0, 1, 2])
    history = nw.train(X, y, hidden=20, lr=1.0, steps=1500, reg=0.0)
    assert history.loss[-1] < 0.01
    assert history.accuracy[-1] == 1.0
    assert nw.accuracy(history.final, X, y) == 1.0


def test_network_learns_the_spiral_but_a_linear_classifier_cannot():
    X, y = nw.make_spiral()
    net = nw.train(X, y, hidden=100, lr=1.0, steps=1000)
    lin = nw.train_linear(X, y, lr=1.0, steps=1000)
    assert net.accuracy[-1] >= 0.95
    assert nw.accuracy(net.final, X, y) == net.accuracy[-1]
    assert lin.accuracy[-1] < 0.60
    assert net.loss[-1] < 0.5 * lin.loss[-1]


def test_training_is_deterministic_and_loss_decreases():
    X, y = nw.make_spiral(n_per_class=30)
    a = nw.train(X, y, hidden=10, steps=200, seed=1)
    b = nw.train(X, y, hidden=10, steps=200, seed=1)
    np.testing.assert_array_equal(a.loss, b.loss)
    assert a.loss[-1] < a.loss[0]
    assert np.all(np.isfinite(a.loss))


def test_history_layout_and_snapshots_are_copies():
    X, y = nw.make_spiral(n_per_class=20)
    h = nw.train(X, y, hidden=8, steps=95, record_every=20)
    assert h.steps.tolist() == [0, 20, 40, 60, 80, 95]
    assert len(h.params) == len(h.accuracy) == len(h.dead_fraction) == 6
    assert h.loss.shape == (96,)
    # Snapshot 0 is the initialisation, untouched by later updates.
    np.testing.assert_array_equal(h.params[0]["W1"], nw.init_params(2, 8, 3)["W1"])
    assert not np.array_equal(h.params[0]["W1"], h.final["W1"])
    # The loss recorded at each step is the loss of the recorded parameters.
    for step, p in zip(h.steps, h.params, strict=True):
        assert h.loss[step] == pytest.approx(nw.loss_and_grads(p, X, y, reg=h.reg)[0])
    assert h.at(40) is h.params[2]
    with pytest.raises(ValueError, match="not recorded"):
        h.at(41)
    custom = nw.train(X, y, hidden=8, steps=50, record_at=[50, 0, 5])
    assert custom.steps.tolist() == [0, 5, 50]


def test_default_record_count_is_about_twenty():
    X, y = nw.make_spiral(n_per_class=10)
    h = nw.train(X, y, hidden=4, steps=100)
    assert 15 <= len(h.steps) <= 21 and h.steps[0] == 0 and h.steps[-1] == 100


# --------------------------------------------------------------------------
# Dead ReLUs
# --------------------------------------------------------------------------


def dead_by_hand(params, X):
    """Fraction of hidden units whose ReLU output is 0 for every row of X."""
    H = np.maximum(np.asarray(X) @ params["W1"] + params["b1"], 0)
    return sum(1 for j in range(H.shape[1]) if np.all(H[:, j] == 0)) / H.shape[1]


def test_dead_fraction_matches_an_independent_count():
    params, X, _ = small_problem()
    assert nw.dead_fraction(params, X) == dead_by_hand(params, X)
    params["b1"] = params["b1"].copy()
    params["b1"][:3] = -50.0
    assert nw.dead_fraction(params, X) == pytest.approx(dead_by_hand(params, X))
    assert dead_by_hand(params, X) >= 3 / 7


def test_large_learning_rate_kills_more_units():
    X, y = nw.make_spiral()
    sane = nw.train(X, y, hidden=50, lr=1.0, steps=300)
    huge = nw.train(X, y, hidden=50, lr=10.0, steps=300)
    for h in (sane, huge):
        np.testing.assert_allclose(h.dead_fraction, [dead_by_hand(p, X) for p in h.params])
    assert sane.dead_fraction[0] == 0.0
    assert huge.dead_fraction[-1] > sane.dead_fraction[-1] + 0.5
    assert huge.accuracy[-1] < sane.accuracy[-1]


def test_linear_history_has_no_dead_fraction():
    X, y = nw.make_spiral(n_per_class=10)
    h = nw.train_linear(X, y, steps=10)
    assert h.hidden == 0 and np.isnan(h.dead_fraction).all()


# --------------------------------------------------------------------------
# Predictions and decision regions
# --------------------------------------------------------------------------


def test_predict_and_accuracy_for_both_kinds_of_model():
    params, X, y = small_problem()
    logits = np.maximum(X @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"]
    np.testing.assert_array_equal(nw.predict(params, X), logits.argmax(axis=1))
    assert nw.accuracy(params, X, y) == np.mean(logits.argmax(axis=1) == y)
    linear = {"W": params["W1"][:, :3], "b": params["b2"]}
    np.testing.assert_array_equal(
        nw.predict(linear, X), (X @ linear["W"] + linear["b"]).argmax(axis=1)
    )


def test_decision_grid_orientation():
    X, y = nw.make_spiral(n_per_class=30)
    params = nw.train(X, y, hidden=20, steps=100).final
    grid = nw.decision_grid(params, (-1.0, 1.0), (-0.5, 0.5), n=5)
    assert grid.shape == (5, 5)
    xs, ys = np.linspace(-1, 1, 5), np.linspace(-0.5, 0.5, 5)
    for i, j in [(0, 4), (4, 0), (1, 3), (2, 2)]:
        assert grid[i, j] == nw.predict(params, [[xs[j], ys[i]]])[0]


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------


def test_bad_params_are_rejected():
    params, X, _ = small_problem()
    with pytest.raises(TypeError, match="params must be a dict"):
        nw.forward([params["W1"]], X)
    with pytest.raises(ValueError, match="missing"):
        nw.forward({"W1": params["W1"], "b1": params["b1"]}, X)
    bad = dict(params, b1=np.zeros(3))
    with pytest.raises(ValueError, match="b1"):
        nw.forward(bad, X)
    bad = dict(params, W2=np.zeros((4, 3)))
    with pytest.raises(ValueError, match="W2"):
        nw.forward(bad, X)
    bad = dict(params, W1=np.full((2, 7), "a"))
    with pytest.raises(TypeError, match="W1"):
        nw.forward(bad, X)


def test_bad_data_is_rejected():
    params, X, y = small_problem()
    with pytest.raises(ValueError, match="X must be a 2-D"):
        nw.forward(params, X[0])
    with pytest.raises(ValueError, match="features"):
        nw.forward(params, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="finite"):
        nw.forward(params, np.full((2, 2), np.nan))
    with pytest.raises(TypeError, match="y"):
        nw.loss_and_grads(params, X, y.astype(float))
    with pytest.raises(ValueError, match="y"):
        nw.loss_and_grads(params, X, y[:-1])
    with pytest.raises(ValueError, match="y"):
        nw.loss_and_grads(params, X, np.full(len(y), 3))
    with pytest.raises(ValueError, match="reg"):
        nw.loss_and_grads(params, X, y, reg=-1.0)
    with pytest.raises(ValueError, match="no samples"):
        nw.dead_fraction(params, np.zeros((0, 2)))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": 0.0}, ValueError, "lr"),
        ({"lr": "1"}, TypeError, "lr"),
        ({"hidden": 0}, ValueError, "hidden"),
        ({"record_every": 0}, ValueError, "record_every"),
        ({"record_at": [0, 500]}, ValueError, "record_at"),
        ({"record_at": [0.5]}, TypeError, "record_at"),
        ({"record_every": 2, "record_at": [0]}, TypeError, "record_at"),
        ({"n_classes": 2}, ValueError, "y"),
    ],
    ids=lambda v: str(v),
)
def test_train_rejects_bad_arguments(kwargs, error, match):
    X, y = nw.make_spiral(n_per_class=5)
    with pytest.raises(error, match=match):
        nw.train(X, y, steps=10, **kwargs)


def test_negative_steps_are_rejected():
    X, y = nw.make_spiral(n_per_class=5)
    with pytest.raises(ValueError, match="steps"):
        nw.train(X, y, steps=-1)
    with pytest.raises(TypeError, match="steps"):
        nw.train_linear(X, y, steps=1.5)


def test_divergence_is_reported():
    X, y = nw.make_spiral(n_per_class=20)
    with pytest.raises(FloatingPointError, match="diverged"):
        nw.train(X, y, lr=1e200, steps=5)


def test_decision_grid_rejects_bad_limits():
    params, _, _ = small_problem()
    with pytest.raises(ValueError, match="xlim"):
        nw.decision_grid(params, (1.0, -1.0), (-1, 1))
    with pytest.raises(TypeError, match="ylim"):
        nw.decision_grid(params, (-1, 1), 3.0)
    with pytest.raises(ValueError, match="n"):
        nw.decision_grid(params, n=1)


# --------------------------------------------------------------------------
# The `training` explorer
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def training_explorer():
    from nnmath.widgets import explore

    return explore("training", hidden=20, lr=1.0)


def test_explorer_is_registered():
    from nnmath.widgets import EXPLORERS, TrainingExplorer

    assert EXPLORERS["training"] is TrainingExplorer


def test_explorer_step_swaps_regions_and_marker(training_explorer):
    from nnmath.widgets.training import _tints

    ex = training_explorer
    X, y = nw.make_spiral()
    artists = (ex.image, ex.loss_line, ex.marker, ex.readout)
    for step in (0, 50, 1000):
        ex.controls["step"].value = step
        params = ex.history.at(step)
        grid = nw.decision_grid(params, ex.LIMITS, ex.LIMITS, n=ex.GRID)
        np.testing.assert_array_equal(np.asarray(ex.image.get_array()), _tints()[grid])
        assert ex.marker.get_xdata()[0] == step
        assert ex.marker.get_ydata()[0] == pytest.approx(ex.history.loss[step])
        acc = nw.accuracy(params, X, y)
        assert f"{100 * acc:5.1f}%" in ex.readout.get_text()
        assert ex.render_rgba().shape[2] == 4
    assert (ex.image, ex.loss_line, ex.marker, ex.readout) == artists  # updated in place


def test_explorer_hidden_and_lr_retrain_and_redraw_the_curve(training_explorer):
    ex = training_explorer
    ex.controls["step"].value = 1000
    before = np.array(ex.loss_line.get_ydata())
    ex.controls["lr"].value = 0.1
    h = nw.train(*nw.make_spiral(), hidden=20, lr=0.1, steps=1000, reg=1e-3, record_at=ex.RECORD_AT)
    np.testing.assert_allclose(ex.loss_line.get_ydata(), np.clip(h.loss, *ex.LOSS_LIMITS))
    assert not np.array_equal(before, ex.loss_line.get_ydata())
    assert ex.loss_line in ex._animated and ex.image in ex._animated
    ex.controls["hidden"].value = 5
    assert ex.history.hidden == 5 and ex.history.lr == 0.1
    ex.controls["lr"].value = 1.0
    ex.controls["hidden"].value = 20


@pytest.mark.parametrize(("hidden", "lr"), [(5, 10.0), (100, 10.0), (5, 0.1)])
def test_explorer_extremes_stay_finite(hidden, lr):
    from nnmath.widgets import explore

    ex = explore("training", hidden=hidden, lr=lr)
    for step in (0, 2, 1000):
        ex.controls["step"].value = step
        assert np.isfinite(ex.loss_line.get_ydata()).all()
        assert np.isfinite(ex.marker.get_ydata()).all()
        assert ex.render_rgba().any()


def test_explorer_rejects_steps_that_were_not_recorded():
    from nnmath.widgets import explore

    with pytest.raises(ValueError, match="step"):
        explore("training", step=7)


def test_static_sweep_over_steps_is_small_enough(training_explorer):
    from nnmath.widgets import static_sweep

    steps = [0, 10, 50, 200, 1000]
    sweep = static_sweep(training_explorer, "step", steps, label="training step")
    assert len(sweep.frames) == len(steps)
    assert len(set(sweep.frames)) == len(steps)  # the regions change between these steps
    assert sweep.nbytes / len(steps) < 600_000 / 15  # 15 frames fit in 600 KB
