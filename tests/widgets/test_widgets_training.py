"""The training explorer: what it draws at each step is what nnmath's training run recorded."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_checks import assert_healthy, line_x, line_y

from nnmath import network
from nnmath.plots import decision_image
from nnmath.widgets import EXPLORERS, TrainingExplorer, explore
from nnmath.widgets.training import BLOWN_UP

pytestmark = pytest.mark.filterwarnings("error")


def run(hidden: int, lr: float) -> network.History:
    """An independent run of nnmath's training with the explorer's settings."""
    X, y = network.make_spiral()
    return network.train(
        X, y, hidden=hidden, lr=lr, steps=1000, reg=1e-3, seed=0, checkpoint_every=1
    )


@pytest.mark.parametrize(("hidden", "lr"), [(100, 1.0), (5, 0.3), (20, 10.0)])
@pytest.mark.parametrize("step", [0, 1, 37, 1000])
def test_readout_and_marker_are_the_runs_numbers(hidden: int, lr: float, step: int) -> None:
    history = run(hidden, lr)
    ex = explore("training", hidden=hidden, lr=lr, step=step)
    text = ex.readout.get_text()
    assert f"loss      {history.loss[step]:6.3f}" in text
    assert f"accuracy  {100 * history.accuracy[step]:5.1f}%" in text
    assert f"dead ReLU {100 * history.dead_fraction[step]:5.1f}%" in text
    np.testing.assert_array_equal(line_y(ex.marker), [np.clip(history.loss[step], 0.15, 25.0)])
    np.testing.assert_array_equal(line_x(ex.loss_line), np.arange(1001))
    assert_healthy(ex)


def test_regions_are_nnmaths_decision_grid() -> None:
    ex = explore("training", hidden=20, lr=1.0, step=40)
    history = run(20, 1.0)
    grid = network.decision_grid(history.model_at(40), ex.LIMITS, ex.LIMITS, n=ex.GRID)
    image = np.asarray(ex.image.get_array())
    colours = {tuple(image[i, j]) for i, j in zip(*np.nonzero(grid == 0), strict=True)}
    assert len(colours) == 1, "one colour per predicted class"
    for k in (1, 2):
        other = {tuple(image[i, j]) for i, j in zip(*np.nonzero(grid == k), strict=True)}
        assert len(other) == 1 and other != colours


def test_a_blown_up_loss_says_so() -> None:
    history = run(20, 10.0)
    ex = explore("training", hidden=20, lr=10.0, step=1000)
    assert history.loss[1000] > history.loss[0]
    assert BLOWN_UP in ex.readout.get_text()
    ex.set("lr", 1.0)
    assert BLOWN_UP not in ex.readout.get_text()


def test_explorer_is_registered() -> None:
    assert EXPLORERS["training"] is TrainingExplorer


def test_explorer_step_swaps_regions_and_marker() -> None:
    ex = explore("training", hidden=20, lr=1.0)
    X, y = network.make_spiral()
    artists = (ex.image, ex.loss_line, ex.marker, ex.readout)
    for step in (0, 50, 1000):
        ex.controls["step"].value = step
        model = ex.history.model_at(step)
        grid = network.decision_grid(model, ex.LIMITS, ex.LIMITS, n=ex.GRID)
        np.testing.assert_array_equal(np.asarray(ex.image.get_array()), decision_image(grid))
        assert ex.marker.get_xdata()[0] == step
        assert ex.marker.get_ydata()[0] == pytest.approx(ex.history.loss[step])
        acc = model.accuracy(X, y)
        assert f"{100 * acc:5.1f}%" in ex.readout.get_text()
        assert ex.render_rgba().shape[2] == 4
    assert (ex.image, ex.loss_line, ex.marker, ex.readout) == artists  # updated in place


def test_explorer_hidden_and_lr_retrain_and_redraw_the_curve() -> None:
    ex = explore("training", hidden=20, lr=1.0, step=1000)
    before = np.array(ex.loss_line.get_ydata())
    ex.controls["lr"].value = 0.1
    h = network.train(*network.make_spiral(), hidden=20, lr=0.1, steps=1000, reg=1e-3)
    np.testing.assert_allclose(ex.loss_line.get_ydata(), np.clip(h.loss, *ex.LOSS_LIMITS))
    assert not np.array_equal(before, ex.loss_line.get_ydata())
    assert ex.loss_line in ex.animated and ex.image in ex.animated
    ex.controls["hidden"].value = 5
    assert ex.history.final.n_hidden == 5 and ex.history.lr == 0.1


@pytest.mark.parametrize(("hidden", "lr"), [(5, 10.0), (100, 10.0), (5, 0.1)])
def test_explorer_extremes_stay_finite(hidden: int, lr: float) -> None:
    ex = explore("training", hidden=hidden, lr=lr)
    for step in (0, 2, 1000):
        ex.controls["step"].value = step
        assert np.isfinite(ex.loss_line.get_ydata()).all()
        assert np.isfinite(ex.marker.get_ydata()).all()
        assert ex.render_rgba().any()


def test_explorer_rejects_steps_it_did_not_take() -> None:
    with pytest.raises(ValueError, match="step"):
        explore("training", step=1001)
    with pytest.raises(TypeError, match="whole number"):
        explore("training", step=7.5)
