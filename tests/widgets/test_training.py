"""The training explorer: what it draws at each step is what nnmath's training run recorded."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_checks import assert_healthy, line_x, line_y

from nnmath import network
from nnmath.widgets import explore
from nnmath.widgets.training import BLOWN_UP

pytestmark = pytest.mark.filterwarnings("error")


def run(hidden: int, lr: float) -> network.TrainingHistory:
    """An independent run of nnmath's training with the explorer's settings."""
    X, y = network.make_spiral()
    return network.train(X, y, hidden=hidden, lr=lr, steps=1000, reg=1e-3, seed=0, record_every=1)


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
    grid = network.decision_grid(history.at(40), ex.LIMITS, ex.LIMITS, n=ex.GRID)
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
