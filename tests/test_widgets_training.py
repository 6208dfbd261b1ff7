"""Tests of the `training` explorer, which draws nnmath.network's training runs."""

from __future__ import annotations

import numpy as np
import pytest

from nnmath import network as nw


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
        model = ex.history.model_at(step)
        grid = nw.decision_grid(model, ex.LIMITS, ex.LIMITS, n=ex.GRID)
        np.testing.assert_array_equal(np.asarray(ex.image.get_array()), _tints()[grid])
        assert ex.marker.get_xdata()[0] == step
        assert ex.marker.get_ydata()[0] == pytest.approx(ex.history.loss[step])
        acc = model.accuracy(X, y)
        assert f"{100 * acc:5.1f}%" in ex.readout.get_text()
        assert ex.render_rgba().shape[2] == 4
    assert (ex.image, ex.loss_line, ex.marker, ex.readout) == artists  # updated in place


def test_explorer_hidden_and_lr_retrain_and_redraw_the_curve(training_explorer):
    ex = training_explorer
    ex.controls["step"].value = 1000
    before = np.array(ex.loss_line.get_ydata())
    ex.controls["lr"].value = 0.1
    h = nw.train(
        *nw.make_spiral(), hidden=20, lr=0.1, steps=1000, reg=1e-3, checkpoint_at=ex.RECORD_AT
    )
    np.testing.assert_allclose(ex.loss_line.get_ydata(), np.clip(h.loss, *ex.LOSS_LIMITS))
    assert not np.array_equal(before, ex.loss_line.get_ydata())
    assert ex.loss_line in ex._animated and ex.image in ex._animated
    ex.controls["hidden"].value = 5
    assert ex.history.final.n_hidden == 5 and ex.history.lr == 0.1
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
