"""Tests of nnmath.network.data: the spiral and its held-out draw."""

from __future__ import annotations

import numpy as np
import pytest

from nnmath import network as nw


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


def test_spiral_noise_is_on_the_angle_with_the_stated_spread():
    X, y = nw.make_spiral(n_per_class=2000, n_classes=3, noise=0.2, seed=4)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r, np.tile(np.linspace(0, 1, 2000), 3), atol=1e-12)
    theta = np.arctan2(X[:, 0], X[:, 1])
    offset = np.angle(np.exp(1j * (theta - 4.0 * (y + r))))[r > 0]  # wrapped to (-pi, pi]
    assert abs(offset.mean()) < 0.01
    assert offset.std() == pytest.approx(0.2, rel=0.03)


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
# The held-out spiral
# --------------------------------------------------------------------------


def test_split_is_the_training_spiral_and_a_draw_with_another_seed():
    (X, y), (X_held, y_held) = nw.make_spiral_split(n_per_class=50, n_classes=4, noise=0.3)
    X0, y0 = nw.make_spiral(n_per_class=50, n_classes=4, noise=0.3, seed=0)
    X1, _ = nw.make_spiral(n_per_class=50, n_classes=4, noise=0.3, seed=nw.HELD_OUT_SEED)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(X_held, X1)
    np.testing.assert_array_equal(y_held, y)
    assert nw.HELD_OUT_SEED != 0


def test_held_out_points_are_new_points():
    (X, _), (X_held, _) = nw.make_spiral_split()
    # No held-out point coincides with a training point, apart from the arms' common
    # start at the origin, which has no angle to perturb.
    distance = np.sqrt(((X_held[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))
    nearest = distance.min(axis=1)
    at_origin = np.hypot(X_held[:, 0], X_held[:, 1]) == 0
    assert at_origin.sum() == 3
    assert nearest[~at_origin].min() > 1e-4
    same_point = np.hypot(*(X_held - X).T)  # a point and its namesake: same radius, new angle
    assert np.median(same_point[~at_origin]) > 0.05


def test_split_takes_explicit_seeds():
    (X, _), (X_held, _) = nw.make_spiral_split(seed=3, held_out_seed=7)
    np.testing.assert_array_equal(X, nw.make_spiral(seed=3)[0])
    np.testing.assert_array_equal(X_held, nw.make_spiral(seed=7)[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"held_out_seed": 0}, ValueError, "held_out_seed must differ from seed"),
        ({"seed": 4, "held_out_seed": 4}, ValueError, "held_out_seed"),
        ({"held_out_seed": -1}, ValueError, "held_out_seed"),
        ({"held_out_seed": 1.0}, TypeError, "held_out_seed"),
        ({"seed": "0"}, TypeError, "seed"),
        ({"n_per_class": 0}, ValueError, "n_per_class"),
        ({"noise": -1.0}, ValueError, "noise"),
    ],
    ids=lambda v: str(v),
)
def test_split_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        nw.make_spiral_split(**kwargs)
