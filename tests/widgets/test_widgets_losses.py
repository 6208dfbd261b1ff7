"""The loss explorers: binary and batch cross-entropy, and softmax + cross-entropy, by formula."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from explorer_checks import (
    assert_healthy,
    choices,
    heights,
    line_x,
    line_y,
    png_pixels,
    softmax_by_hand,
)

from nnmath.widgets import explore

pytestmark = pytest.mark.filterwarnings("error")


def check_cross_entropy(ex: Any) -> None:
    y = ex.controls["y"].value
    p = ex.controls["p"].value
    reduction = ex.controls["reduction"].value
    g = line_x(ex.loss_line)
    assert g.min() > 0.0 and g.max() < 1.0, "the p grid stays off 0 and 1"
    loss = -(y * np.log(g) + (1 - y) * np.log1p(-g))
    np.testing.assert_allclose(line_y(ex.loss_line), loss, rtol=1e-10)
    np.testing.assert_allclose(line_y(ex.grad_line), (g - y) / (g * (1 - g)), rtol=1e-8)
    at_p = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(line_y(ex.point), [at_p])
    slope = (p - y) / (p * (1 - p))
    lo, hi = ex.ax_grad.get_ylim()
    np.testing.assert_allclose(line_y(ex.grad_point), [np.clip(slope, lo, hi)])
    assert ex.grad_point.get_marker() == ("o" if lo <= slope <= hi else "v" if slope < lo else "^")
    tx, ty = line_x(ex.tangent), line_y(ex.tangent)
    np.testing.assert_allclose(np.diff(ty) / np.diff(tx), [slope], rtol=1e-9)

    batch = ex.BATCH
    labels = np.array([ex.controls["true_class"].value, *ex.OTHER_LABELS])
    n = len(batch)
    per = -np.log(batch[np.arange(n), labels])
    np.testing.assert_allclose(heights(ex.loss_bars), [*per, per.mean(), per.sum()])
    scale = 1.0 / n if reduction == "mean" else 1.0
    np.testing.assert_allclose(heights(ex.grad_bars), -scale / batch[np.arange(n), labels])
    np.testing.assert_allclose(heights(ex.grad_outline), -1.0 / batch[np.arange(n), labels])
    shown = per.mean() if reduction == "mean" else per.sum()
    assert f"L = {reduction} = {shown:.3f}" in ex.batch_text.get_text()
    for lim in (ex.ax_loss.get_ylim(), ex.ax_grad.get_ylim()):
        assert lim == (ex.LOSS_LIM if lim[0] == 0.0 else ex.GRAD_LIM)


@pytest.mark.parametrize("key", ["y", "p", "true_class", "reduction"])
def test_cross_entropy_each_control(key: str) -> None:
    ex = explore("cross_entropy")
    for value in choices(ex, key):
        ex.controls[key].value = value
        check_cross_entropy(ex)
        assert_healthy(ex)


@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("p", [0.01, 0.5, 0.99])
def test_cross_entropy_p_near_0_and_1(y: int, p: float) -> None:
    ex = explore("cross_entropy", y=y, p=p)
    check_cross_entropy(ex)
    assert_healthy(ex)


def test_cross_entropy_mean_is_sum_over_n() -> None:
    ex = explore("cross_entropy", reduction="sum")
    as_sum = heights(ex.grad_bars)
    ex.controls["reduction"].value = "mean"
    np.testing.assert_allclose(heights(ex.grad_bars) * len(ex.BATCH), as_sum)


def check_softmax_cross_entropy(ex: Any) -> None:
    z = np.array([ex.controls[f"z{i + 1}"].value for i in range(3)], dtype=float)
    c = ex.controls["true_class"].value
    p = softmax_by_hand(z, 1.0)
    y = np.eye(3)[c]
    np.testing.assert_allclose(heights(ex.p_bars), p, atol=1e-15)
    np.testing.assert_array_equal(heights(ex.y_bars), y)
    np.testing.assert_allclose(heights(ex.grad_bars), p - y, atol=1e-15)
    np.testing.assert_allclose(line_y(ex.numeric), p - y, atol=1e-6)
    loss = np.log(np.exp(z - z.max()).sum()) + z.max() - z[c]
    assert f"L = {loss:.3f}" in ex.readout.get_text().replace("−", "-")
    zc = line_x(ex.loss_curve)
    others = np.delete(z, c)
    expected = np.logaddexp(zc, np.logaddexp.reduce(others)) - zc
    np.testing.assert_allclose(line_y(ex.loss_curve), expected, rtol=1e-10, atol=1e-12)
    tx, ty = line_x(ex.tangent), line_y(ex.tangent)
    np.testing.assert_allclose(np.diff(ty) / np.diff(tx), [p[c] - 1.0], atol=1e-12)
    match = re.search(r"max \|Δ\| = (\S+)", ex.readout.get_text())
    assert match and float(match.group(1)) < 1e-5


def test_softmax_cross_entropy_default_is_the_worked_example() -> None:
    ex = explore("softmax_cross_entropy")
    np.testing.assert_allclose(heights(ex.grad_bars), [0.090, -0.755, 0.665], atol=1e-3)
    check_softmax_cross_entropy(ex)


@pytest.mark.parametrize("key", ["z1", "z2", "z3", "true_class"])
def test_softmax_cross_entropy_each_control(key: str) -> None:
    ex = explore("softmax_cross_entropy")
    for value in choices(ex, key):
        ex.controls[key].value = value
        check_softmax_cross_entropy(ex)
        assert_healthy(ex)


@pytest.mark.parametrize(
    "logits", [(1000.0, -1000.0, 0.0), (0.0, 200.0, 0.0), (-1000.0, -1000.0, -1000.0)]
)
def test_softmax_cross_entropy_huge_logits(logits: tuple[float, ...]) -> None:
    ex = explore("softmax_cross_entropy", true_class=0)
    for i, z in enumerate(logits):
        control = ex.controls[f"z{i + 1}"]
        control.min, control.max = -1000.0, 1000.0
        control.value = z
    z = np.array(logits)
    p = softmax_by_hand(z, 1.0)
    np.testing.assert_allclose(heights(ex.grad_bars), p - np.eye(3)[0], atol=1e-15)
    assert_healthy(ex)
    png_pixels(ex.render_png())
