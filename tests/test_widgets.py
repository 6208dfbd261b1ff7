"""Headless tests of the explorers: plotted data against nnmath and by-hand formulas.

Every explorer in the registry gets the generic checks (builds with no arguments,
every control at its extremes gives finite, non-empty plots and no warnings, the
PNG changes when a control moves, the live widget follows, artists are made once).
The book's four math explorers also get their plotted values checked against
formulas written out here, independently of the explorer code.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pytest
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

import nnmath
from nnmath.widgets import (
    EXPLORERS,
    Explorer,
    StaticSweep,
    encode_png,
    explore,
    set_control,
    static_sweep,
)

pytestmark = pytest.mark.filterwarnings("error")

#: The explorers of the four math chapters; others (the capstone's) get the generic checks.
MATH = ("relu", "softmax", "cross_entropy", "softmax_cross_entropy")
#: Explorers that train or compute a lot per setting: fewer generic moves.
HEAVY = {"training"}
KB = 1024


# -- helpers ---------------------------------------------------------------------------
def choices(control: Any) -> list[Any]:
    """Values a control can take: its options, or min, middle and max of a slider."""
    options = getattr(control, "options", None)
    if options is not None:
        return [o[1] if isinstance(o, tuple) else o for o in options]
    lo, hi = control.min, control.max
    mid = lo + (hi - lo) / 2
    if isinstance(control.value, int):
        return [int(lo), round(mid), int(hi)]
    step = getattr(control, "step", None)
    if step:
        mid = lo + round((mid - lo) / step) * step
    return [float(lo), float(mid), float(hi)]


def extremes(control: Any) -> list[Any]:
    """First and last value of a control."""
    values = choices(control)
    return [values[0], values[-1]]


def moves_for(name: str, ex: Explorer) -> list[tuple[str, Any]]:
    """(control, value) pairs: every choice of every control, fewer for heavy explorers."""
    pick = extremes if name in HEAVY else choices
    return [(key, value) for key, control in ex.controls.items() for value in pick(control)]


def png_pixels(png: bytes) -> np.ndarray:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def assert_healthy(ex: Explorer) -> None:
    """Every plotted number is finite, no text says nan/inf, and every panel shows data."""
    for ax in ex.figure.axes:
        shown = 0
        for artist in ax.get_children():
            if not artist.get_visible():
                continue
            if isinstance(artist, Line2D):
                xy = np.asarray(artist.get_xydata(), dtype=float)
                assert np.all(np.isfinite(xy)), f"non-finite data in line {artist}"
                shown += len(xy) > 0
            elif isinstance(artist, Rectangle) and artist is not ax.patch:
                box = [artist.get_x(), artist.get_y(), artist.get_width(), artist.get_height()]
                assert np.all(np.isfinite(box)), f"non-finite bar {artist}"
                shown += 1
            elif isinstance(artist, AxesImage):
                data = np.asarray(artist.get_array(), dtype=float)
                assert np.all(np.isfinite(data)), "non-finite image data"
                shown += data.size > 0
            elif isinstance(artist, Collection):  # a colour bar, a scatter of points
                shown += 1
            elif isinstance(artist, Text):
                assert not re.search(r"\b(nan|inf)\b", artist.get_text(), re.IGNORECASE), (
                    f"text shows {artist.get_text()!r}"
                )
        assert shown > 0, f"an empty panel: {ax.get_title()!r}"


def heights(bars: list[Rectangle]) -> np.ndarray:
    return np.array([b.get_height() for b in bars])


def line_y(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_ydata(), dtype=float)


def line_x(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_xdata(), dtype=float)


@pytest.fixture(params=sorted(EXPLORERS))
def name(request: pytest.FixtureRequest) -> str:
    return request.param


# -- generic: every explorer -------------------------------------------------------------
def test_registry_holds_the_math_explorers() -> None:
    assert set(MATH) <= set(EXPLORERS)
    for key, cls in EXPLORERS.items():
        assert cls.name == key
        assert issubclass(cls, Explorer)


def test_builds_with_no_arguments(name: str) -> None:
    ex = EXPLORERS[name]()
    assert isinstance(ex.controls, dict) and ex.controls
    assert isinstance(ex.figure, Figure)
    assert ex.title
    width, height = ex.figure.get_size_inches()
    assert width <= 8.5
    pixels = png_pixels(ex.render_png())
    assert pixels.shape == (round(height * ex.figure.dpi), round(width * ex.figure.dpi), 3)
    assert (pixels[0, 0] == 255).all(), "figures have an opaque white background"
    assert_healthy(ex)


def test_text_is_legible(name: str) -> None:
    ex = EXPLORERS[name]()
    ex.render_png()
    texts = [t for t in ex.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts
    for text in texts:
        assert text.get_fontsize() >= 9, f"{text.get_text()!r} is {text.get_fontsize()} pt"


def test_every_control_at_min_middle_max(name: str) -> None:
    ex = EXPLORERS[name]()
    for key, value in moves_for(name, ex):
        set_control(ex.controls[key], key, value)
        assert ex.controls[key].value == value
        assert_healthy(ex)
        png_pixels(ex.render_png())


def test_artists_are_made_once(name: str) -> None:
    ex = EXPLORERS[name]()
    ex.render_png()

    def inventory() -> list[int]:
        return [
            id(a)
            for ax in ex.figure.axes
            for a in (*ax.lines, *ax.patches, *ax.images, *ax.texts, *ax.collections)
        ]

    before, animated = inventory(), list(ex._animated)
    for key, value in moves_for(name, ex):
        ex.controls[key].value = value
        ex.render_png()
    assert inventory() == before
    assert ex._animated == animated
    assert animated, "an explorer registers the artists that change"


def test_redrawing_only_changed_panels_equals_redrawing_all(name: str) -> None:
    ex = EXPLORERS[name]()
    ex.render_rgba()
    for key, value in moves_for(name, ex):
        ex.controls[key].value = value
        partial = ex.render_rgba().copy()
        canvas = ex.figure.canvas
        canvas.restore_region(ex._background)
        for artist in ex._animated:
            ex.figure.draw_artist(artist)
        full = np.asarray(canvas.buffer_rgba())
        assert (partial == full).all(), f"stale pixels after moving {key!r} to {value!r}"


def test_pixels_change_when_each_control_moves(name: str) -> None:
    ex = EXPLORERS[name]()
    for key, control in ex.controls.items():
        if getattr(control.layout, "display", None) == "none":
            continue  # hidden from the reader (an unused logit): nothing to show
        before = png_pixels(ex.render_png())
        value = next(v for v in reversed(choices(control)) if v != control.value)
        control.value = value
        after = png_pixels(ex.render_png())
        assert before.shape == after.shape
        assert (before != after).any(), f"moving {key!r} changed nothing"


def test_live_widget_image_follows_the_controls(name: str) -> None:
    import ipywidgets

    ex = EXPLORERS[name]()
    box = ex.widget
    assert isinstance(box, ipywidgets.VBox)
    assert ex.widget is box
    image = box.children[-1]
    assert isinstance(image, ipywidgets.Image) and image.format == "png"
    shown = list(box.children[0].children)
    assert all(c in shown for c in ex.controls.values())
    control = next(iter(ex.controls.values()))
    before = image.value
    control.value = next(v for v in reversed(choices(control)) if v != control.value)
    assert image.value != before
    np.testing.assert_array_equal(png_pixels(image.value), png_pixels(ex.render_png()))


def test_static_sweep_of_first_control(name: str) -> None:
    ex = EXPLORERS[name]()
    key, control = next(iter(ex.controls.items()))
    values = extremes(control)
    sweep = static_sweep(name, key, values)
    assert isinstance(sweep, StaticSweep)
    assert len(sweep.frames) == 2 and sweep.frames[0] != sweep.frames[1]
    html = sweep._repr_html_()
    assert 'type="range"' in html and 'max="1"' in html


def test_unknown_control_value_is_refused(name: str) -> None:
    cls = EXPLORERS[name]
    with pytest.raises(TypeError, match="unknown control"):
        cls(no_such_control=1)


# -- relu ------------------------------------------------------------------------------
@pytest.mark.parametrize("alpha", [0.0, 0.25, 0.5])
@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 1.25, 3.0])
def test_relu_plots_leaky_relu_and_its_derivative(alpha: float, x: float) -> None:
    ex = explore("relu")
    ex.controls["alpha"].value = alpha
    ex.controls["x"].value = x
    g = line_x(ex.leaky)
    np.testing.assert_allclose(line_y(ex.leaky), np.where(g > 0, g, alpha * g))
    left, right = ex.d_leaky_left, ex.d_leaky_right
    assert (line_x(left) < 0).all() and (line_x(right) > 0).all()
    np.testing.assert_array_equal(line_y(left), alpha)
    np.testing.assert_array_equal(line_y(right), 1.0)
    np.testing.assert_array_equal(line_y(ex.d_leaky_zero), [alpha])  # the convention at 0
    fx = (x if x > 0 else alpha * x) + 0.0  # no negative zero
    slope = 1.0 if x > 0 else alpha
    np.testing.assert_allclose(line_y(ex.point), [fx])
    np.testing.assert_allclose(line_x(ex.point), [x])
    np.testing.assert_allclose(line_y(ex.d_point), [slope])
    tx, ty = line_x(ex.tangent), line_y(ex.tangent)
    np.testing.assert_allclose(np.diff(ty) / np.diff(tx), [slope])
    np.testing.assert_allclose(np.interp(x, tx, ty), fx, atol=1e-12)
    assert f"{fx:+.3f}" in ex.readout.get_text()
    assert_healthy(ex)


def test_relu_alpha_zero_is_plain_relu() -> None:
    ex = explore("relu", alpha=0.0)
    np.testing.assert_array_equal(line_y(ex.leaky), nnmath.relu(line_x(ex.leaky)))


# -- softmax ---------------------------------------------------------------------------
def softmax_by_hand(z: np.ndarray, t: float) -> np.ndarray:
    e = np.exp((z - z.max()) / t)
    return e / e.sum()


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
    for value in choices(ex.controls[key]):
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


# -- cross_entropy -----------------------------------------------------------------------
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
    for value in choices(ex.controls[key]):
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


# -- softmax_cross_entropy ---------------------------------------------------------------
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
    for value in choices(ex.controls[key]):
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


# -- static sweeps -----------------------------------------------------------------------
SWEEPS = [  # those of the chapters, and denser ones
    ("relu", "alpha", [round(v, 2) for v in np.linspace(0.0, 0.5, 11)], "0.25"),
    ("relu", "x", [round(v, 2) for v in np.linspace(-3.0, 3.0, 13)], "-1.50"),
    ("relu", "x", [round(v, 2) for v in np.linspace(-3.0, 3.0, 25)], "-1.50"),
    (
        "softmax",
        "temperature",
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0],
        "0.75",
    ),
    (
        "cross_entropy",
        "p",
        [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98],
        "0.50",
    ),
    ("cross_entropy", "p", [round(v, 2) for v in np.linspace(0.02, 0.98, 25)], "0.50"),
    ("cross_entropy", "reduction", ["mean", "sum"], "sum"),
    ("softmax_cross_entropy", "z2", [round(v, 1) for v in np.linspace(-3.0, 5.0, 17)], "1.0"),
]


@pytest.mark.parametrize(
    ("explorer", "param", "values", "a_label"),
    SWEEPS,
    ids=[f"{s[0]}-{s[1]}-{len(s[2])}" for s in SWEEPS],
)
def test_static_sweep(explorer: str, param: str, values: list[Any], a_label: str) -> None:
    sweep = static_sweep(explorer, param, values, label="the knob")
    n = len(values)
    assert len(sweep.frames) == n
    assert len(set(sweep.frames)) == n, "every frame differs"
    sizes = {png_pixels(f).shape for f in sweep.frames}
    assert len(sizes) == 1, "frames line up"
    html = sweep._repr_html_()
    assert html.startswith('<div class="nnmath-sweep"')
    assert re.search(
        rf'<input type="range" class="nnmath-sweep-range"[^>]* min="0" '
        rf'max="{n - 1}" step="1" value="{sweep.start}"',
        html,
    )
    shown = sweep.labels[sweep.start]
    # The visible readout is the value; screen readers get the label with it.
    assert re.search(rf'<output class="nnmath-sweep-value"[^>]*>{re.escape(shown)}</output>', html)
    assert f'aria-valuetext="the knob = {shown}"' in html
    assert '<img class="nnmath-sweep-frame" src="data:image/png;base64,' in html
    assert f"the knob = {a_label}" in html
    assert html.count("data:image/png;base64,") == n + 1  # the JSON frames and the shown one
    assert "http://" not in html and "https://" not in html, "no request leaves the page"
    assert sweep.nbytes <= 600 * KB, f"{sweep.nbytes / KB:.0f} KB"


def test_static_sweep_starts_at_the_current_value_and_leaves_it() -> None:
    ex = explore("relu", alpha=0.2)
    sweep = static_sweep(ex, "alpha", [0.0, 0.1, 0.2, 0.3])
    assert sweep.start == 2
    assert ex.controls["alpha"].value == 0.2
    assert sweep.labels == ("0.00", "0.10", "0.20", "0.30")


def test_static_sweep_crops_to_the_changing_panels() -> None:
    whole = explore("cross_entropy").render_rgba().shape
    sweep = static_sweep("cross_entropy", "p", [0.2, 0.8])
    top = png_pixels(sweep.frames[0]).shape
    assert top[1] == whole[1] and top[0] < 0.6 * whole[0]
    assert "Binary cross-entropy" in sweep.alt
    full = static_sweep("cross_entropy", "p", [0.2, 0.8], crop=False)
    assert png_pixels(full.frames[0]).shape[:2] == whole[:2]


def test_static_sweep_settings_reach_the_explorer() -> None:
    sweep = static_sweep("softmax", "temperature", [0.5, 2.0], classes=5)
    ex = explore("softmax", classes=5, temperature=0.5)
    assert sweep.frames[0] == encode_png(ex.render_rgba(), palette=True)
    assert sweep.frames[0] != encode_png(
        explore("softmax", temperature=0.5).render_rgba(), palette=True
    )


def test_static_sweep_errors() -> None:
    with pytest.raises(ValueError, match="explorer must be one of"):
        static_sweep("nope", "alpha", [0.1])
    with pytest.raises(ValueError, match="param must be one of"):
        static_sweep("relu", "beta", [0.1])
    with pytest.raises(ValueError, match=r"takes values in \[0.0, 0.5\]"):
        static_sweep("relu", "alpha", [0.1, 0.9])
    with pytest.raises(ValueError, match="takes one of"):
        static_sweep("cross_entropy", "reduction", ["mean", "median"])
    with pytest.raises(TypeError, match="real number"):
        static_sweep("relu", "alpha", ["a lot"])
    with pytest.raises(ValueError, match="must not be empty"):
        static_sweep("relu", "alpha", [])
    with pytest.raises(ValueError, match="start must be"):
        static_sweep("relu", "alpha", [0.1], start=3)
    with pytest.raises(TypeError, match="unknown control"):
        static_sweep("relu", "alpha", [0.1], beta=2)
    with pytest.raises(TypeError, match="settings are only accepted"):
        static_sweep(explore("relu"), "alpha", [0.1], x=2.0)
    ex = explore("relu", alpha=0.3)
    with pytest.raises(ValueError):
        static_sweep(ex, "alpha", [0.0, 0.7])
    assert ex.controls["alpha"].value == 0.3, "a refused sweep leaves the explorer alone"


def test_explore_unknown_name_names_the_choices() -> None:
    with pytest.raises(ValueError, match="nope") as info:
        explore("nope")
    for key in EXPLORERS:
        assert key in str(info.value)


def test_set_control_refuses_silent_clamping() -> None:
    ex = explore("relu")
    with pytest.raises(ValueError, match="alpha"):
        set_control(ex.controls["alpha"], "alpha", 2.0)
    with pytest.raises(ValueError, match="alpha"):
        explore("relu", alpha=-0.1)
    set_control(ex.controls["alpha"], "alpha", 0.3)
    assert ex.controls["alpha"].value == 0.3
