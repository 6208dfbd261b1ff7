"""Tests of nnmath.network.training: full-batch gradient descent, mini-batch SGD, History."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from network_reference import dead_by_hand, loss_by_hand, small_problem

import nnmath
from nnmath import network as nw


@pytest.fixture(scope="module")
def spiral():
    return nw.make_spiral()


@pytest.fixture(scope="module")
def split():
    return nw.make_spiral_split()


# --------------------------------------------------------------------------
# Full-batch gradient descent
# --------------------------------------------------------------------------


def test_can_overfit_a_handful_of_points():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(6, 2))
    y = np.array([0, 1, 2, 0, 1, 2])
    history = nw.train(X, y, hidden=20, lr=1.0, steps=1500, reg=0.0)
    assert history.loss[-1] < 0.01
    assert history.accuracy[-1] == 1.0
    assert history.final.accuracy(X, y) == 1.0


def test_network_learns_the_spiral_but_a_linear_classifier_cannot(spiral):
    X, y = spiral
    net = nw.train(X, y, hidden=100, lr=1.0, steps=1000)
    lin = nw.train_linear(X, y, lr=1.0, steps=1000)
    assert net.accuracy[-1] >= 0.95
    assert net.final.accuracy(X, y) == net.accuracy[-1]
    assert lin.accuracy[-1] < 0.60
    assert net.loss[-1] < 0.5 * lin.loss[-1]
    assert isinstance(net.final, nw.TwoLayerNet) and isinstance(lin.final, nw.LinearClassifier)


def test_the_numbers_the_capstone_shows(spiral):
    """Chapter 5's runs, as the first implementation of the network computed them."""
    X, y = spiral
    h = nw.train(X, y, hidden=100, lr=1.0, steps=1000, reg=1e-3)
    np.testing.assert_allclose(
        h.loss[[0, 100, 1000]],
        [1.3284131053331079, 0.31556341762852486, 0.24470692421368145],
        rtol=1e-9,
    )
    assert h.accuracy[-1] == 0.99 and h.dead_fraction[-1] == 0.0
    lin = nw.train_linear(X, y, lr=1.0, steps=1000)
    assert lin.loss[-1] == pytest.approx(0.7470209061718787, rel=1e-9)
    assert lin.accuracy[-1] == 0.54
    wrecked = nw.train(X, y, hidden=100, lr=10.0, steps=1000, reg=1e-3)
    assert wrecked.dead_fraction[-1] == 1.0 and wrecked.accuracy[-1] == pytest.approx(1 / 3)
    assert nw.train(X, y, hidden=10, lr=1.0, steps=1000).accuracy[-1] == pytest.approx(29 / 30)


def test_training_is_deterministic_and_loss_decreases():
    X, y = nw.make_spiral(n_per_class=30)
    a = nw.train(X, y, hidden=10, steps=200, seed=1)
    b = nw.train(X, y, hidden=10, steps=200, seed=1)
    np.testing.assert_array_equal(a.loss, b.loss)
    assert a.loss[-1] < a.loss[0]
    assert np.all(np.isfinite(a.loss))


def test_full_batch_steps_are_gradient_descent_steps():
    net, X, y = small_problem()
    h = nw.fit(net, X, y, lr=0.5, steps=3, reg=1e-2, checkpoint_every=1)
    model = net
    for step in range(4):
        np.testing.assert_array_equal(h.model_at(step).W1, model.W1)
        assert h.loss[step] == pytest.approx(loss_by_hand(model, X, y, 1e-2), rel=1e-12)
        _, g = model.loss_and_grads(X, y, reg=1e-2)
        model = nw.TwoLayerNet(
            *(p - 0.5 * d for p, d in zip(model.parameters(), g.parameters(), strict=True))
        )


def test_fit_leaves_its_model_alone():
    net, X, y = small_problem()
    before = [p.copy() for p in net.parameters()]
    h = nw.fit(net, X, y, lr=1.0, steps=5)
    for p, q in zip(net.parameters(), before, strict=True):
        np.testing.assert_array_equal(p, q)
    assert h.model_at(0) is not net
    assert not np.array_equal(h.final.W1, net.W1)


def test_history_has_one_time_axis_and_checkpoints_are_copies():
    X, y = nw.make_spiral(n_per_class=20)
    h = nw.train(X, y, hidden=8, steps=95, checkpoint_every=20)
    assert h.steps.tolist() == list(range(96))
    assert h.loss.shape == h.accuracy.shape == h.dead_fraction.shape == (96,)
    assert h.val_loss is None and h.val_accuracy is None
    assert sorted(h.checkpoints) == [0, 20, 40, 60, 80, 95]
    # Checkpoint 0 is the initialisation, untouched by later updates.
    np.testing.assert_array_equal(h.model_at(0).W1, nw.TwoLayerNet.init(2, 8, 3).W1)
    assert not np.array_equal(h.model_at(0).W1, h.final.W1)
    # Every record at a step is a measurement of the model after that many updates.
    for step, model in h.checkpoints.items():
        assert h.loss[step] == pytest.approx(model.loss_and_grads(X, y, reg=h.reg)[0])
        assert h.accuracy[step] == model.accuracy(X, y)
        assert h.dead_fraction[step] == dead_by_hand(model, X)
    assert h.model_at(40) is h.checkpoints[40]
    assert h.final is h.checkpoints[95]
    with pytest.raises(ValueError, match="not checkpointed"):
        h.model_at(41)
    custom = nw.train(X, y, hidden=8, steps=50, checkpoint_at=[50, 0, 5])
    assert sorted(custom.checkpoints) == [0, 5, 50]
    assert sorted(nw.train(X, y, hidden=8, steps=50, checkpoint_at=[5]).checkpoints) == [5, 50]


def test_settings_are_recorded_plainly():
    X, y = nw.make_spiral(n_per_class=10)
    full = nw.train(X, y, hidden=4, lr=0.5, steps=3, reg=0.01)
    assert (full.lr, full.reg, full.batch_size, full.steps_per_epoch) == (0.5, 0.01, 30, 1)
    assert full.shuffle_seed is None
    sgd = nw.train(X, y, hidden=4, lr=0.5, epochs=2, batch_size=7, shuffle_seed=3)
    assert (sgd.batch_size, sgd.steps_per_epoch, sgd.shuffle_seed) == (7, 5, 3)
    assert sgd.steps[-1] == 10


def test_eval_every_thins_the_time_axis():
    X, y = nw.make_spiral(n_per_class=10)
    every = nw.train(X, y, hidden=4, steps=20)
    h = nw.train(X, y, hidden=4, steps=20, eval_every=8)
    assert h.steps.tolist() == [0, 8, 16, 20]
    np.testing.assert_array_equal(h.loss, every.loss[h.steps])
    np.testing.assert_array_equal(h.accuracy, every.accuracy[h.steps])


def test_default_checkpoint_count_is_about_twenty():
    X, y = nw.make_spiral(n_per_class=10)
    h = nw.train(X, y, hidden=4, steps=100)
    kept = sorted(h.checkpoints)
    assert 15 <= len(kept) <= 21 and kept[0] == 0 and kept[-1] == 100


def test_large_learning_rate_kills_more_units(spiral):
    X, y = spiral
    sane = nw.train(X, y, hidden=50, lr=1.0, steps=300)
    huge = nw.train(X, y, hidden=50, lr=10.0, steps=300)
    for h in (sane, huge):
        kept = sorted(h.checkpoints)
        np.testing.assert_allclose(
            h.dead_fraction[kept], [dead_by_hand(h.checkpoints[s], X) for s in kept]
        )
    assert sane.dead_fraction[0] == 0.0
    assert huge.dead_fraction[-1] > sane.dead_fraction[-1] + 0.5
    assert huge.accuracy[-1] < sane.accuracy[-1]


def test_linear_history_has_no_dead_fraction():
    X, y = nw.make_spiral(n_per_class=10)
    h = nw.train_linear(X, y, steps=10)
    assert isinstance(h.final, nw.LinearClassifier) and np.isnan(h.dead_fraction).all()


# --------------------------------------------------------------------------
# Mini-batch SGD
# --------------------------------------------------------------------------


def test_minibatch_gradient_is_the_mean_over_its_batch():
    net, X, y = small_problem(n=20)
    batch = next(nw.minibatches(20, 6, seed=2))
    Xb, yb = X[batch], y[batch]
    assert np.abs(Xb @ net.W1 + net.b1).min() > 1e-3  # no pre-activation near the kink
    _, g = net.loss_and_grads(Xb, yb, reg=0.0)
    # The mean of the per-sample gradients ...
    per_sample = [net.loss_and_grads(X[[i]], y[[i]])[1] for i in batch]
    for name in ("W1", "b1", "W2", "b2"):
        mean = np.mean([getattr(s, name) for s in per_sample], axis=0)
        np.testing.assert_allclose(getattr(g, name), mean, rtol=1e-12, atol=1e-15)
        # ... and central differences of the batch's mean loss, computed without nnmath.

        def f(value, name=name):
            return loss_by_hand(dataclasses.replace(net, **{name: value}), Xb, yb)

        numeric = nnmath.numerical_gradient(f, getattr(net, name), eps=1e-6)
        error = np.abs(getattr(g, name) - numeric).max() / np.abs(numeric).max()
        assert error < 1e-7, (name, error)


@pytest.mark.parametrize("kind", ["two-layer", "linear"])
def test_sgd_steps_follow_shuffled_batches(kind):
    """Two epochs by hand: a fresh permutation each epoch, cut into batches of 5, 5 and 2."""
    net, X, y = small_problem(n=12)
    if kind == "linear":
        net = nw.LinearClassifier.init(2, 3, seed=4, scale=1.0)
    h = nw.fit(net, X, y, lr=0.3, batch_size=5, epochs=2, shuffle_seed=9, reg=1e-2)
    assert h.steps_per_epoch == 3 and h.steps.tolist() == [0, 3, 6]
    rng = np.random.default_rng(9)
    model = net
    for _ in range(2):
        order = rng.permutation(12)
        for batch in (order[:5], order[5:10], order[10:]):
            _, g = model.loss_and_grads(X[batch], y[batch], reg=1e-2)
            model = type(net)(
                *(p - 0.3 * d for p, d in zip(model.parameters(), g.parameters(), strict=True))
            )
    for a, b in zip(h.final.parameters(), model.parameters(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    assert h.loss[-1] == pytest.approx(model.loss_and_grads(X, y, reg=1e-2)[0], rel=1e-12)


def test_an_epoch_covers_every_sample_once():
    for n, b in [(10, 3), (12, 4), (7, 7), (5, 1)]:
        batches = nw.minibatches(n, b, seed=1)
        per_epoch = -(-n // b)
        epochs = [[next(batches) for _ in range(per_epoch)] for _ in range(3)]
        for epoch in epochs:
            assert [len(batch) for batch in epoch[:-1]] == [b] * (per_epoch - 1)
            assert sorted(np.concatenate(epoch).tolist()) == list(range(n))
        if n > 1:
            orders = [np.concatenate(epoch).tolist() for epoch in epochs]
            assert orders[0] != orders[1] or orders[1] != orders[2]  # reshuffled


def test_batch_size_n_reproduces_full_batch_descent(spiral):
    X, y = spiral
    full = nw.train(X, y, hidden=20, lr=1.0, steps=200)
    whole = nw.train(X, y, hidden=20, lr=1.0, steps=200, batch_size=len(y), shuffle_seed=5)
    assert whole.steps_per_epoch == 1
    # Shuffling the rows changes only the order of the sums, so only the rounding.
    np.testing.assert_allclose(whole.loss, full.loss, rtol=1e-9)
    np.testing.assert_array_equal(whole.accuracy, full.accuracy)
    for a, b in zip(whole.final.parameters(), full.final.parameters(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-12)


def test_sgd_is_reproducible_from_its_seed(spiral):
    X, y = spiral
    a = nw.train(X, y, hidden=20, lr=0.3, epochs=5, batch_size=32, shuffle_seed=4)
    b = nw.train(X, y, hidden=20, lr=0.3, epochs=5, batch_size=32, shuffle_seed=4)
    c = nw.train(X, y, hidden=20, lr=0.3, epochs=5, batch_size=32, shuffle_seed=5)
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.final.W1, b.final.W1)
    assert not np.array_equal(a.loss[1:], c.loss[1:])
    assert a.loss[0] == c.loss[0]  # the same start: only the batches differ
    assert a.steps_per_epoch == 10 and a.steps.tolist() == list(range(0, 51, 10))


def test_sgd_learns_the_spiral(split):
    (X, y), (X_held, y_held) = split
    h = nw.train(X, y, lr=0.3, batch_size=30, epochs=100, X_val=X_held, y_val=y_held)
    assert h.steps[-1] == 1000
    assert h.accuracy[-1] >= 0.95 and h.val_accuracy[-1] >= 0.90
    assert h.loss[-1] < 0.3


def test_mean_reduction_keeps_the_gradient_size_across_batch_sizes(spiral):
    """With the mean, a batch's gradient estimates the full one: same size, more noise."""
    X, y = spiral
    net = nw.TwoLayerNet.init(2, 100, 3, seed=0)
    full = net.loss_and_grads(X, y)[1].W2
    for b in (10, 100):
        batches = nw.minibatches(len(y), b, seed=0)
        grads = [net.loss_and_grads(X[i], y[i])[1].W2 for i in (next(batches) for _ in range(60))]
        mean_norm = np.mean([np.linalg.norm(g) for g in grads])
        assert 0.5 < mean_norm / np.linalg.norm(full) < 2.0, b
        assert np.linalg.norm(np.mean(grads, axis=0) - full) < 0.5 * np.linalg.norm(full)


# --------------------------------------------------------------------------
# Held-out data
# --------------------------------------------------------------------------


def test_the_book_network_does_well_on_the_held_out_spiral(split):
    (X, y), (X_held, y_held) = split
    h = nw.train(X, y, hidden=100, lr=1.0, steps=1000, reg=1e-3, X_val=X_held, y_val=y_held)
    assert h.val_accuracy[-1] >= 0.90
    assert h.val_accuracy[-1] == h.final.accuracy(X_held, y_held)
    assert h.val_loss[-1] == pytest.approx(loss_by_hand(h.final, X_held, y_held, reg=1e-3))
    assert h.val_loss.shape == h.loss.shape == (1001,)
    # The same run without held-out data: the held-out set is only looked at.
    np.testing.assert_array_equal(h.loss, nw.train(X, y, steps=1000).loss)
    lin = nw.train_linear(X, y, steps=1000, X_val=X_held, y_val=y_held)
    assert lin.val_accuracy[-1] < 0.60


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": 0.0}, ValueError, "lr"),
        ({"lr": "1"}, TypeError, "lr"),
        ({"lr": float("inf")}, ValueError, "lr"),
        ({"hidden": 0}, ValueError, "hidden"),
        ({"reg": -1e-3}, ValueError, "reg"),
        ({"checkpoint_every": 0}, ValueError, "checkpoint_every"),
        ({"checkpoint_at": [0, 500]}, ValueError, "checkpoint_at"),
        ({"checkpoint_at": [0.5]}, TypeError, "checkpoint_at"),
        ({"checkpoint_at": []}, TypeError, "checkpoint_at"),
        ({"checkpoint_every": 2, "checkpoint_at": [0]}, TypeError, "checkpoint_at"),
        ({"n_classes": 2}, ValueError, "y"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 16}, ValueError, "batch_size must be <= 15"),
        ({"batch_size": 2.0}, TypeError, "batch_size"),
        ({"batch_size": True}, TypeError, "batch_size"),
        ({"batch_size": 4, "shuffle_seed": -1}, ValueError, "shuffle_seed"),
        ({"shuffle_seed": "0"}, TypeError, "shuffle_seed"),
        ({"epochs": 3}, TypeError, "steps or epochs"),
        ({"eval_every": 0}, ValueError, "eval_every"),
        ({"eval_every": 1.5}, TypeError, "eval_every"),
        ({"X_val": np.zeros((3, 2))}, TypeError, "X_val and y_val together"),
        ({"y_val": np.zeros(3, dtype=int)}, TypeError, "X_val and y_val together"),
        ({"X_val": np.zeros((3, 5)), "y_val": np.zeros(3, dtype=int)}, ValueError, "X_val"),
        ({"X_val": np.zeros((3, 2)), "y_val": np.zeros(2, dtype=int)}, ValueError, "y_val"),
        ({"X_val": np.zeros((3, 2)), "y_val": np.array([0, 1, 3])}, ValueError, "y_val"),
        ({"X_val": np.zeros((3, 2)), "y_val": np.zeros(3)}, TypeError, "y_val"),
        ({"X_val": np.zeros((0, 2)), "y_val": np.zeros(0, dtype=int)}, ValueError, "X_val"),
        ({"X_val": np.full((3, 2), np.nan), "y_val": np.zeros(3, dtype=int)}, ValueError, "X_val"),
    ],
    ids=lambda v: str(v),
)
def test_train_rejects_bad_arguments(kwargs, error, match):
    X, y = nw.make_spiral(n_per_class=5)
    with pytest.raises(error, match=match):
        nw.train(X, y, steps=10, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({}, TypeError, "steps or epochs"),
        ({"steps": 3, "epochs": 3}, TypeError, "steps or epochs"),
        ({"epochs": -1}, ValueError, "epochs"),
        ({"epochs": 1.5}, TypeError, "epochs"),
        ({"steps": -1}, ValueError, "steps"),
    ],
    ids=lambda v: str(v),
)
def test_fit_needs_exactly_one_length(kwargs, error, match):
    net, X, y = small_problem()
    with pytest.raises(error, match=match):
        nw.fit(net, X, y, lr=1.0, **kwargs)


def test_fit_rejects_bad_models_and_data():
    net, X, y = small_problem()
    with pytest.raises(TypeError, match="model must be a TwoLayerNet or a LinearClassifier"):
        nw.fit({"W1": net.W1}, X, y, lr=1.0, steps=1)
    with pytest.raises(ValueError, match="X has 3 features per row but the model expects 2"):
        nw.fit(net, np.zeros((4, 3)), y[:4], lr=1.0, steps=1)
    with pytest.raises(ValueError, match="X holds no samples"):
        nw.fit(net, np.zeros((0, 2)), np.zeros(0, dtype=int), lr=1.0, steps=1)
    with pytest.raises(ValueError, match=r"class labels in y must lie in \[0, 3\)"):
        nw.fit(net, X, np.full(len(y), 3), lr=1.0, steps=1)
    with pytest.raises(TypeError, match="lr"):
        nw.fit(net, X, y, lr=None, steps=1)


def test_negative_steps_are_rejected():
    X, y = nw.make_spiral(n_per_class=5)
    with pytest.raises(ValueError, match="steps"):
        nw.train(X, y, steps=-1)
    with pytest.raises(TypeError, match="steps"):
        nw.train_linear(X, y, steps=1.5)
    with pytest.raises(ValueError, match="X must be a 2-D"):
        nw.train(X[:, 0], y)


def test_minibatches_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_samples"):
        nw.minibatches(0, 1)
    with pytest.raises(ValueError, match="batch_size must be <= 4"):
        nw.minibatches(4, 5)
    with pytest.raises(TypeError, match="batch_size"):
        nw.minibatches(4, None)
    with pytest.raises(ValueError, match="seed"):
        nw.minibatches(4, 2, seed=-3)


def test_divergence_is_reported():
    X, y = nw.make_spiral(n_per_class=20)
    with pytest.raises(FloatingPointError, match=r"diverged at step 1 \(.+\) at lr=1e\+200;"):
        nw.train(X, y, lr=1e200, steps=5)
    with pytest.raises(FloatingPointError, match=r"diverged at step 1 \(.+\) at lr=1e\+200;"):
        nw.train(X, y, lr=1e200, steps=5, batch_size=8)


def test_the_divergence_message_names_the_step_the_learning_rate_and_two_fixes():
    """Inputs 255 times too large (chapter 6's raw pixels) at lr=1: the message names the
    first step that fails and the learning rate as it was, and offers both remedies."""
    X, y = nw.make_spiral(n_per_class=20)
    net = nw.TwoLayerNet.init(2, 20, 3, seed=0)
    with pytest.raises(FloatingPointError) as error:
        nw.fit(net, 255 * X, y, lr=1.0, steps=300)
    message = str(error.value)
    found = re.fullmatch(
        r"training diverged at step (\d+) \((.+)\) at lr=1; "
        r"lower the learning rate or rescale the inputs",
        message,
    )
    assert found, message
    step = int(found.group(1))
    assert 0 < step < 300
    history = nw.fit(net, 255 * X, y, lr=1.0, steps=step - 1)  # the step before it is fine
    assert np.isfinite(history.loss).all()
    # Either remedy lets the same 300 steps finish.
    assert np.isfinite(nw.fit(net, X, y, lr=1.0, steps=300).loss).all()
    assert np.isfinite(nw.fit(net, 255 * X, y, lr=1e-4, steps=300).loss).all()
