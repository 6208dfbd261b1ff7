"""The softmax explorer: bars and Jacobian against softmax and diag(p) − p pᵀ by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from explorer_checks import assert_healthy, choices, heights, png_pixels, softmax_by_hand

import nnmath
from nnmath.widgets import explore

pytestmark = pytest.mark.filterwarnings("error")


def check_softmax(ex: Any) -> None:
    k = ex.controls["classes"].value
    t = ex.controls["temperature"].value
    z = np.array([ex.controls[f"z{i + 1}"].value for i in range(k)], dtype=float)
    p = softmax_by_hand(z, t)
    np.testing.assert_allclose(heights(ex.bars[:k]), p, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(heights(ex.bars[:k]), nnmath.softmax(z, temperature=t))
    assert [b.get_visible() for b in ex.bars] == [i < k for i in range(len(ex.bars))]
    jac = np.asarray(ex.image.get_array(), dtype=float)
    np.testing.assert_allclose(jac, np.diag(p) - np.outer(p, p), atol=1e-15)
    assert abs(jac).max() <= 0.25
    for i in range(k):
        assert ex.bar_labels[i].get_text() == f"{p[i]:.3f}"
        for j in range(k):
            shown = ex.cell_labels[i][j].get_text().replace("−", "-")
            assert float(shown) == pytest.approx(jac[i, j], abs=5e-4)
    assert ex.image.norm.vmin == -0.25 and ex.image.norm.vmax == 0.25
    assert ex.ax_p.get_ylim()[0] == 0.0


def test_softmax_default_matches_reference_numbers() -> None:
    ex = explore("softmax")
    np.testing.assert_allclose(
        heights(ex.bars[:3]), [0.09003057, 0.24472847, 0.66524096], atol=1e-8
    )
    np.testing.assert_allclose(
        ex.image.get_array(),
        [
            [0.081925, -0.022033, -0.059892],
            [-0.022033, 0.184836, -0.162803],
            [-0.059892, -0.162803, 0.222695],
        ],
        atol=1e-6,
    )
    check_softmax(ex)


@pytest.mark.parametrize("key", ["z1", "z2", "z3", "z4", "z5", "classes", "temperature"])
def test_softmax_each_control(key: str) -> None:
    ex = explore("softmax", classes=5)
    for value in choices(ex, key):
        ex.controls[key].value = value
        check_softmax(ex)
        assert_healthy(ex)


def test_softmax_temperature_reference_numbers() -> None:
    ex = explore("softmax", temperature=0.5)
    np.testing.assert_allclose(heights(ex.bars[:3]), [0.0159, 0.1173, 0.8668], atol=1e-4)
    ex.controls["temperature"].value = 2.0
    np.testing.assert_allclose(heights(ex.bars[:3]), [0.1863, 0.3072, 0.5065], atol=1e-4)


def test_softmax_classes_resize_the_jacobian() -> None:
    ex = explore("softmax")
    for k in (3, 5, 4):
        ex.controls["classes"].value = k
        ex.render_png()
        assert ex.image.get_array().shape == (k, k)
        assert ex.ax_j.get_xlim() == (-0.5, k - 0.5)
        assert len(ex.ax_p.get_xticks()) == k
        hidden = [ex.controls[f"z{i + 1}"].layout.display for i in range(5)]
        assert hidden == [None if i < k else "none" for i in range(5)]
        check_softmax(ex)


@pytest.mark.parametrize(
    "logits",
    [
        (1000.0, -1000.0, 0.0, 999.9, -5.0),
        (-1000.0, -1000.0, -1000.0, -1000.0, -1000.0),
        (8.0, -8.0, 8.0, -8.0, 8.0),
    ],
)
def test_softmax_huge_logits_at_minimum_temperature(logits: tuple[float, ...]) -> None:
    ex = explore("softmax", classes=5)
    for i, z in enumerate(logits):
        control = ex.controls[f"z{i + 1}"]
        control.min, control.max = -1000.0, 1000.0
        control.value = z
    ex.controls["temperature"].value = ex.controls["temperature"].min
    check_softmax(ex)
    assert_healthy(ex)
    assert heights(ex.bars).sum() == pytest.approx(1.0)
    png_pixels(ex.render_png())
