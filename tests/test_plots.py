"""nnmath/plots.py: palette, figure factory, axis styling, and the pieces that the chapters
and the explorers draw alike (readouts, tangents, derivatives with gaps at kinks, numbers
with a true minus sign, decision regions, hidden units as lines), with no global state."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

import nnmath
from nnmath.plots import (
    CLASS_COLORS,
    CLASS_MARKERS,
    CLASS_TINTS,
    CYCLE,
    DIVERGING_CMAP,
    MINUS,
    PALETTE,
    READOUT_BOX,
    REGION_TINT,
    book_style,
    class_tints,
    decision_image,
    format_number,
    label_panels,
    new_figure,
    plot_classes,
    plot_decision_regions,
    plot_derivative,
    plot_function_and_derivative,
    plot_unit_lines,
    readout,
    split_at_kinks,
    style_axes,
    tangent,
    unit_line,
)

pytestmark = pytest.mark.filterwarnings("error")


def test_palette_is_okabe_ito_and_distinct() -> None:
    assert PALETTE["blue"] == "#0072B2" and PALETTE["vermillion"] == "#D55E00"
    rgb = np.array([to_rgb(c) for c in CYCLE])
    distances = np.linalg.norm(rgb[:, None] - rgb[None, :], axis=-1)
    assert distances[~np.eye(len(CYCLE), dtype=bool)].min() > 0.15
    assert CYCLE[-1] == PALETTE["yellow"], "yellow, weak on white, comes last"


def test_diverging_colormap_is_white_in_the_middle() -> None:
    cmap = matplotlib.colormaps[DIVERGING_CMAP]
    assert np.allclose(cmap(0.5)[:3], 1.0, atol=0.06)
    assert cmap(0.0)[2] > cmap(0.0)[0], "negative is blue"
    assert cmap(1.0)[0] > cmap(1.0)[2], "positive is red"


def test_new_figure_is_opaque_white_and_outside_pyplot() -> None:
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    fig, axes = new_figure(2, 3)
    assert len(axes) == 6
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    assert tuple(fig.get_size_inches()) == (12.0, 6.4)
    assert plt.get_fignums() == open_before, "no figure leaks into pyplot"
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    pixels = np.asarray(Image.open(buffer).convert("RGBA"))
    assert (pixels[..., 3] == 255).all(), "opaque: reads the same on a dark page"


def test_book_style_does_not_leak() -> None:
    before = dict(matplotlib.rcParams)
    with book_style():
        assert matplotlib.rcParams["figure.facecolor"] == "white"
        assert matplotlib.rcParams["font.size"] >= 9
    assert dict(matplotlib.rcParams) == before


def test_style_axes_labels_and_quiet_spines() -> None:
    _, (ax,) = new_figure(ncols=1)
    assert style_axes(ax, xlabel="x", ylabel="f(x)", title="t") is ax
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "f(x)", "t")
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()


def test_label_panels_letters_each_panel_in_reading_order() -> None:
    fig, axes = new_figure(nrows=2, ncols=2)
    axes[0].set_title("a centred title")
    assert label_panels(axes) == axes
    assert [ax.get_title(loc="left") for ax in axes] == ["(a)", "(b)", "(c)", "(d)"]
    # The letter is a title of its own: a centred title stays, and the letter is bold.
    assert axes[0].get_title() == "a centred title"
    assert axes[0]._left_title.get_fontweight() in ("bold", 700)
    # Drawn inside the figure, above its panel, at the panel's left edge.
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in axes:
        letter = ax._left_title.get_window_extent(renderer)
        frame = ax.get_window_extent(renderer)
        assert letter.y0 >= frame.y1 - 1
        assert abs(letter.x0 - frame.x0) < 2
        assert fig.bbox.contains(letter.x0, letter.y0) and fig.bbox.contains(letter.x1, letter.y1)


@pytest.mark.parametrize("count", [0, 27])
def test_label_panels_needs_one_to_26_panels(count) -> None:
    _fig, axes = new_figure(ncols=1)
    with pytest.raises(ValueError, match=f"axes: expected 1 to 26 panels to letter, got {count}"):
        label_panels(axes * count)


def test_plot_function_and_derivative_plots_the_given_callables() -> None:
    x = np.linspace(-2.0, 2.0, 41)
    fig = plot_function_and_derivative(np.square, lambda v: 2 * v, x, name="sq")
    (line_f,), (line_d,) = (ax.lines for ax in fig.axes)
    np.testing.assert_array_equal(line_f.get_ydata(), x**2)
    np.testing.assert_array_equal(line_d.get_ydata(), 2 * x)


def test_figure_shows_itself_without_cutting_off_what_is_drawn() -> None:
    from nnmath.plots import BookFigure

    fig, (ax,) = new_figure(ncols=1, figsize=(3.0, 2.0), dpi=100)
    assert isinstance(fig, BookFigure)
    ax.plot([0, 1], [0, 1])
    # A label that reaches past the right edge of the figure must still be in the image.
    fig.text(0.9, 0.5, "a label wider than the space left", ha="left")
    _, shown = fig._repr_png_()
    assert shown["width"] > 300, f"the image is {shown['width']} px wide, so the label was cut off"


def test_figure_shows_itself_sharp_at_its_own_size() -> None:
    """The PNG has twice the pixels of the figure drawn at its dpi, and says to show it at
    that figure's size, so that it is as large on screen as before and sharp on a screen of
    two pixels per CSS pixel."""
    from nnmath.plots import PIXEL_RATIO, book_style

    fig, (ax,) = new_figure(ncols=1, figsize=(3.0, 2.0), dpi=100)
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("a label")
    data, shown = fig._repr_png_()
    image = Image.open(io.BytesIO(data))
    assert PIXEL_RATIO == 2
    assert image.info["dpi"][0] == pytest.approx(200, abs=0.01)
    plain = io.BytesIO()
    with book_style():
        fig.savefig(plain, format="png", dpi=100, bbox_inches="tight", pad_inches=0.1)
    one_x = Image.open(plain).size
    assert abs(shown["width"] - one_x[0]) <= 1 and abs(shown["height"] - one_x[1]) <= 1
    assert (shown["width"], shown["height"]) == (
        (image.size[0] + 1) // 2,
        (image.size[1] + 1) // 2,
    )


def _render(fig) -> np.ndarray:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return np.asarray(Image.open(buffer).convert("RGB"))


# --------------------------------------------------------------------------
# Numbers with a true minus sign
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "zero", "expected"),
    [
        (-1.5, ".3f", None, "\u22121.500"),
        (0.25, ".3f", None, "0.250"),
        (-0.0001, ".3f", None, "0.000"),
        (-0.0001, ".3f", "0", "0"),
        (0.0004, ".3f", "0", "0"),
        (-0.0, ".2f", None, "0.00"),
        (-1.0, "+.2f", None, "\u22121.00"),
        (-0.001, "+.2f", None, "+0.00"),
        (0.25, "+.2f", None, "+0.25"),
        (-2.5e-5, ".1e", None, "\u22122.5e\u221205"),
        (1.5e-7, ".1e", None, "1.5e\u221207"),
        (-np.inf, ".3f", None, "\u2212inf"),
        (np.nan, ".3f", None, "nan"),
        (np.float32(-0.5), ".2f", None, "\u22120.50"),
        (np.array(-3.0), "g", None, "\u22123"),
        (-0.5, ".0%", None, "\u221250%"),
    ],
)
def test_format_number(value, fmt, zero, expected):
    assert MINUS == "\u2212"
    assert format_number(value, fmt, zero=zero) == expected


@pytest.mark.parametrize("value", ["1.0", None, True, 1 + 0j, [1.0]], ids=repr)
def test_format_number_needs_a_real_number(value):
    with pytest.raises(TypeError, match=r"^value must be a real number, got "):
        format_number(value)


# --------------------------------------------------------------------------
# Readout box and tangent
# --------------------------------------------------------------------------


def test_readout_is_monospace_in_a_rounded_white_box_with_a_grey_edge():
    fig, (ax,) = new_figure(ncols=1, figsize=(3.0, 2.0))
    box = readout(ax, 0.03, 0.97, "x = +1.00\nf(x) = 1.000")
    assert box.get_text() == "x = +1.00\nf(x) = 1.000"
    assert box.get_fontfamily() == ["monospace"] and box.get_fontsize() == 9.0
    assert box.get_transform() is ax.transAxes
    assert (box.get_ha(), box.get_va()) == ("left", "top")
    patch = box.get_bbox_patch()
    assert type(patch.get_boxstyle()).__name__ == "Round"
    assert patch.get_facecolor() == (1.0, 1.0, 1.0, 1.0)
    assert patch.get_edgecolor()[:3] == to_rgb("#bbbbbb")
    assert READOUT_BOX == {"boxstyle": "round", "fc": "white", "ec": "#bbbbbb"}
    # Drawn: the middle of the box's left edge is grey #bbbbbb, just inside it white.
    ax.set_axis_off()
    pixels = _render(fig).astype(int)
    edge = patch.get_window_extent()
    row = pixels.shape[0] - 1 - round((edge.y0 + edge.y1) / 2)
    column = round(edge.x0)
    near_edge = pixels[row, column - 1 : column + 2]
    assert (np.abs(near_edge - 0xBB).max(axis=-1) <= 12).any(), near_edge
    np.testing.assert_array_equal(pixels[row, column + 4], [255, 255, 255])


def test_readout_box_is_a_copy_per_call():
    _, (ax,) = new_figure(ncols=1)
    first = readout(ax, text="a")
    first.get_bbox_patch().set_edgecolor("red")
    second = readout(ax, text="b")
    assert second.get_bbox_patch().get_edgecolor()[:3] == to_rgb("#bbbbbb")


def test_tangent_segment_by_hand():
    xs, ys = tangent(1.0, 2.0, 3.0, half_width=0.5)
    np.testing.assert_array_equal(xs, [0.5, 1.5])
    np.testing.assert_array_equal(ys, [0.5, 3.5])
    xs, ys = tangent(-2.0, 0.0, -0.5)
    np.testing.assert_array_equal(xs, [-3.0, -1.0])
    np.testing.assert_array_equal(ys, [0.5, -0.5])


@pytest.mark.parametrize(
    ("args", "exc", "match"),
    [
        ((1.0, 2.0, float("nan")), ValueError, r"^slope must be finite, got nan$"),
        ((1.0, float("inf"), 1.0), ValueError, r"^y0 must be finite"),
        (("a", 2.0, 1.0), TypeError, r"^x0 must be a real number, got 'a'$"),
        ((1.0, 2.0, 1.0, 0.0), ValueError, r"^half_width must be > 0, got 0.0$"),
    ],
    ids=["nan-slope", "inf-y0", "string-x0", "zero-width"],
)
def test_tangent_errors_name_the_argument(args, exc, match):
    with pytest.raises(exc, match=match):
        tangent(*args)


# --------------------------------------------------------------------------
# A derivative with a gap at each kink
# --------------------------------------------------------------------------


def test_split_at_kinks_leaves_the_kinks_out():
    pieces = split_at_kinks(np.linspace(-1.0, 1.0, 5), [0.0])
    assert [p.tolist() for p in pieces] == [[-1.0, -0.5], [0.5, 1.0]]
    pieces = split_at_kinks(np.linspace(-2.0, 2.0, 9), [1.0, -1.0])
    assert [p.tolist() for p in pieces] == [[-2.0, -1.5], [-0.5, 0.0, 0.5], [1.5, 2.0]]
    assert [p.tolist() for p in split_at_kinks([0.5, 1.0], [5.0])] == [[0.5, 1.0]]
    assert [p.tolist() for p in split_at_kinks([1.0, 2.0])] == [[1.0, 2.0]]


@pytest.mark.parametrize(
    ("x", "kinks", "match"),
    [
        ([0.0, 1.0, 0.5], (), r"^x must be strictly increasing$"),
        ([[0.0, 1.0]], (), r"^x must be one-dimensional, got shape \(1, 2\)$"),
        ([0.0, np.nan], (), r"^x must be finite$"),
        ([0.0, 1.0], (np.nan,), r"^kinks must be finite, got nan$"),
    ],
    ids=["unsorted", "2-d", "nan-x", "nan-kink"],
)
def test_split_at_kinks_errors(x, kinks, match):
    with pytest.raises(ValueError, match=match):
        split_at_kinks(x, kinks)


def test_plot_derivative_of_relu_has_a_gap_and_a_dot_at_zero():
    _, (ax,) = new_figure(ncols=1)
    grid = np.linspace(-3.0, 3.0, 601)
    pieces, dots = plot_derivative(
        ax,
        nnmath.relu_grad,
        grid,
        kinks=[0.0],
        color=PALETTE["grey"],
        ls="--",
        label="ReLU′",
        kink_label="ReLU′(0) := 0",
    )
    left, right = (p.get_xydata() for p in pieces)
    assert (left[:, 0] < 0).all() and (right[:, 0] > 0).all(), "no segment crosses the kink"
    np.testing.assert_array_equal(left[:, 1], 0.0)
    np.testing.assert_array_equal(right[:, 1], 1.0)
    assert left[-1, 0] == grid[299] and right[0, 0] == grid[301]
    np.testing.assert_array_equal(dots.get_xydata(), [[0.0, 0.0]])  # relu'(0) := 0
    assert dots.get_linestyle() == "None" and dots.get_marker() == "o"
    assert dots.get_color() == pieces[0].get_color() == PALETTE["grey"]
    assert pieces[1].get_linestyle() == "--"
    labels = [line.get_label() for line in ax.lines]
    assert labels[0] == "ReLU′" and labels[2] == "ReLU′(0) := 0"
    assert labels[1].startswith("_"), "the second piece stays out of the legend"


def test_plot_derivative_dot_shows_the_convention_of_leaky_relu():
    _, (ax,) = new_figure(ncols=1)
    _, dots = plot_derivative(
        ax, lambda v: nnmath.leaky_relu_grad(v, alpha=0.1), np.linspace(-1, 1, 21), kinks=[0.0]
    )
    np.testing.assert_allclose(dots.get_xydata(), [[0.0, 0.1]])


def test_plot_derivative_without_kinks_is_one_line():
    _, (ax,) = new_figure(ncols=1)
    x = np.linspace(-2.0, 2.0, 41)
    pieces, dots = plot_derivative(ax, nnmath.gelu_grad, x)
    assert dots is None and len(pieces) == 1
    np.testing.assert_array_equal(pieces[0].get_ydata(), nnmath.gelu_grad(x))


def test_plot_function_and_derivative_leaves_a_gap_at_kinks():
    x = np.linspace(-2.0, 2.0, 41)
    fig = plot_function_and_derivative(nnmath.relu, nnmath.relu_grad, x, kinks=[0.0], name="ReLU")
    ax_f, ax_d = fig.axes
    (line_f,) = ax_f.lines
    np.testing.assert_array_equal(line_f.get_ydata(), nnmath.relu(x))
    left, right, dots = ax_d.lines
    assert left.get_xdata().max() < 0 < right.get_xdata().min()
    np.testing.assert_array_equal(dots.get_xydata(), [[0.0, 0.0]])


# --------------------------------------------------------------------------
# Classes: palette, tints, decision regions, points
# --------------------------------------------------------------------------


def test_class_palette():
    assert CLASS_COLORS[:3] == (PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"])
    assert PALETTE["yellow"] not in CLASS_COLORS, "yellow is too weak on white"
    assert len(set(CLASS_COLORS)) == len(CLASS_COLORS) == len(CLASS_MARKERS)
    assert len(set(CLASS_MARKERS)) == len(CLASS_MARKERS)
    assert CLASS_MARKERS[:3] == ("o", "s", "^")


def test_class_tints_by_hand():
    # 255 (c + 0.72 (1 - c)) = 0.28 C + 183.6 for a channel C in 0..255:
    # blue (0, 114, 178), vermillion (213, 94, 0), green (0, 158, 115).
    assert REGION_TINT == 0.72
    expected = [[184, 216, 233], [243, 210, 184], [184, 228, 216]]
    np.testing.assert_array_equal(class_tints()[:3], expected)
    np.testing.assert_array_equal(CLASS_TINTS, class_tints())
    assert CLASS_TINTS.dtype == np.uint8 and CLASS_TINTS.shape == (len(CLASS_COLORS), 3)
    np.testing.assert_array_equal(class_tints(["black", "white"], tint=0.5), [[128] * 3, [255] * 3])
    np.testing.assert_array_equal(class_tints(["#0072B2"], tint=0.0), [[0, 114, 178]])
    with pytest.raises(ValueError, match=r"^tint must lie in \[0, 1\], got 1.5$"):
        class_tints(tint=1.5)


def test_class_tints_constant_is_read_only():
    with pytest.raises(ValueError, match="read-only"):
        CLASS_TINTS[0, 0] = 0


def test_decision_image_paints_each_class_with_its_tint():
    classes = np.array([[0, 1, 2], [2, 0, 1]])
    image = decision_image(classes)
    assert image.shape == (2, 3, 3) and image.dtype == np.uint8
    np.testing.assert_array_equal(image[0, 1], [243, 210, 184])
    np.testing.assert_array_equal(image[1, 0], [184, 228, 216])
    own = np.array([[0, 0, 0], [255, 255, 255]], dtype=np.uint8)
    np.testing.assert_array_equal(decision_image([[1, 0]], tints=own), [[[255] * 3, [0] * 3]])


@pytest.mark.parametrize(
    ("classes", "tints", "exc", "match"),
    [
        ([[0.0, 1.0]], None, TypeError, r"^classes must hold integer class labels, got dtype"),
        ([[0, 6]], None, ValueError, r"^classes must lie in \[0, 6\) .*classes\[0, 1\] = 6$"),
        ([[-1, 0]], None, ValueError, r"classes\[0, 0\] = -1$"),
        ([0, 1], None, ValueError, r"^classes must be a 2-d grid, got shape \(2,\)$"),
        ([[0]], np.zeros((2, 4), dtype=np.uint8), ValueError, r"^tints must be a uint8 array"),
    ],
    ids=["float-classes", "too-large", "negative", "1-d", "bad-tints"],
)
def test_decision_image_errors(classes, tints, exc, match):
    with pytest.raises(exc, match=match):
        decision_image(classes, tints)


def test_plot_decision_regions_puts_row_zero_at_the_bottom():
    fig, (ax,) = new_figure(ncols=1, figsize=(3.0, 3.0))
    classes = np.array([[0, 0], [1, 1]])  # class 0 along the bottom row, class 1 on top
    image = plot_decision_regions(ax, classes, (-1.0, 1.0), (-2.0, 2.0))
    assert image.origin == "lower"
    assert list(image.get_extent()) == [-1.0, 1.0, -2.0, 2.0]
    np.testing.assert_array_equal(image.get_array(), decision_image(classes))
    ax.set_axis_off()
    pixels = _render(fig)
    col = pixels.shape[1] // 2
    column = pixels[:, col].astype(int)
    blue_tint, vermillion_tint = CLASS_TINTS[0].astype(int), CLASS_TINTS[1].astype(int)
    top = np.argmax(np.abs(column - vermillion_tint).max(axis=1) <= 2)
    bottom = len(column) - 1 - np.argmax(np.abs(column[::-1] - blue_tint).max(axis=1) <= 2)
    assert top < bottom, "class 1 (row 1) is drawn above class 0 (row 0)"


def test_plot_classes_colours_and_markers():
    _, (ax,) = new_figure(ncols=1)
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    dots = plot_classes(ax, X, np.array([0, 1, 2, 1]))
    # Labels 0, 1, 2 in code; classes 1, 2, 3 in the legend, as in the book's math.
    assert [d.get_label() for d in dots] == ["class 1", "class 2", "class 3"]
    np.testing.assert_array_equal(dots[1].get_offsets(), [[1.0, 0.0], [1.0, 1.0]])
    for k, d in enumerate(dots):
        assert tuple(d.get_facecolor()[0][:3]) == to_rgb(CLASS_COLORS[k])
    named = plot_classes(ax, X[:2], [0, 1], labels=["first", "second"])
    assert [d.get_label() for d in named] == ["first", "second"]
    with pytest.raises(TypeError, match=r"^y must hold integer class labels"):
        plot_classes(ax, X, [0.0, 1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"^y has shape \(2,\) but X has 4 points$"):
        plot_classes(ax, X, [0, 1])
    with pytest.raises(ValueError, match=r"^X must have shape \(n, 2\), got \(4,\)$"):
        plot_classes(ax, X[:, 0], [0, 1, 0, 1])


# --------------------------------------------------------------------------
# Hidden units as lines
# --------------------------------------------------------------------------

BOX = ((-1.0, 1.0), (-1.0, 1.0))


@pytest.mark.parametrize(
    ("w", "b", "ends"),
    [
        ([1.0, 0.0], -0.25, [[0.25, -1.0], [0.25, 1.0]]),  # x1 = 0.25, vertical
        ([0.0, 2.0], 1.0, [[-1.0, -0.5], [1.0, -0.5]]),  # x2 = -0.5, horizontal
        ([1.0, -1.0], 0.0, [[-1.0, -1.0], [1.0, 1.0]]),  # the diagonal, corner to corner
        ([1.0, 1.0], -1.0, [[0.0, 1.0], [1.0, 0.0]]),  # x1 + x2 = 1
        ([-3, 1], 1, [[0.0, -1.0], [2 / 3, 1.0]]),  # integer weights, x2 = 3 x1 - 1
    ],
    ids=["vertical", "horizontal", "diagonal", "anti-diagonal", "integers"],
)
def test_unit_line_by_hand(w, b, ends):
    xs, ys = unit_line(w, b, *BOX)
    np.testing.assert_allclose(np.column_stack([xs, ys]), ends, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    ("w", "b"),
    [([1.0, 0.0], -1.5), ([1.0, 1.0], 2.0), ([0.0, 0.0], 0.0), ([0.0, 0.0], 1.0)],
    ids=["misses-right", "touches-a-corner", "no-line-w-zero", "w-zero-b-nonzero"],
)
def test_unit_line_outside_the_box_is_none(w, b):
    assert unit_line(w, b, *BOX) is None


def test_unit_line_against_the_sign_change_on_the_border():
    # Independent truth: the line crosses the box exactly when w.x + b changes sign on
    # the box's border; where it does, both ends lie on the line and on the border.
    rng = np.random.default_rng(0)
    t = np.linspace(-1.0, 1.0, 4001)
    one = np.ones_like(t)
    border = np.concatenate(
        [np.column_stack(p) for p in ((t, -one), (t, one), (-one, t), (one, t))]
    )
    crossing = 0
    for _ in range(300):
        w = rng.normal(size=2)
        b = 1.5 * rng.normal()
        values = border @ w + b
        segment = unit_line(w, b, *BOX)
        assert (segment is not None) == (values.min() < 0 < values.max()), (w, b)
        if segment is None:
            continue
        crossing += 1
        ends = np.column_stack(segment)
        np.testing.assert_allclose(ends @ w + b, 0.0, atol=1e-12)
        assert np.all(np.abs(ends) <= 1.0 + 1e-12)
        assert np.all(np.isclose(np.abs(ends), 1.0).any(axis=1)), "each end on the border"
        assert ends[0, 0] <= ends[1, 0], "left to right"
    assert 100 < crossing < 300, "both outcomes were tested"


@pytest.mark.parametrize(
    ("args", "exc", "match"),
    [
        (([1.0, 2.0, 3.0], 0.0, *BOX), ValueError, r"^w must hold 2 real weights"),
        (([1.0, np.nan], 0.0, *BOX), ValueError, r"^w must be finite, got nan$"),
        (([1.0, 0.0], np.inf, *BOX), ValueError, r"^b must be finite, got inf$"),
        (([1.0, 0.0], "1", *BOX), TypeError, r"^b must be a real number"),
        (([1.0, 0.0], 0.0, (1.0, -1.0), BOX[1]), ValueError, r"^xlim must be finite with low"),
        (([1.0, 0.0], 0.0, BOX[0], 3.0), TypeError, r"^ylim must be a pair of numbers"),
    ],
    ids=["three-weights", "nan-w", "inf-b", "string-b", "reversed-xlim", "scalar-ylim"],
)
def test_unit_line_errors_name_the_argument(args, exc, match):
    with pytest.raises(exc, match=match):
        unit_line(*args)


def test_plot_unit_lines_draws_dead_units_grey_and_dashed():
    _, (ax,) = new_figure(ncols=1)
    W = np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 1.0, 0.0]])  # one column per unit
    b = np.array([0.0, -0.5, 1.5, -5.0])  # the last unit's line, x1 = 5, misses the box
    live, dead = plot_unit_lines(ax, W, b, *BOX, dead=np.array([False, False, True, True]))
    assert len(live) == 2 and len(dead) == 1
    assert len(ax.lines) == 3
    np.testing.assert_allclose(live[1].get_xydata(), [[-1.0, 0.5], [1.0, 0.5]])
    np.testing.assert_allclose(dead[0].get_xydata() @ W[:, 2] + b[2], 0.0, atol=1e-15)
    assert all(to_rgb(line.get_color()) == to_rgb(PALETTE["black"]) for line in live)
    assert to_rgb(dead[0].get_color()) == to_rgb(PALETTE["grey"])
    assert [line.get_linestyle() for line in live + dead] == ["-", "-", "--"]
    assert [line.get_linewidth() for line in live + dead] == [1.0, 1.0, 1.5]
    _, thin = plot_unit_lines(ax, W, b, *BOX, dead=np.ones(4, dtype=bool), dead_linewidth=0.5)
    assert [line.get_linewidth() for line in thin] == [0.5, 0.5, 0.5]
    labels = [line.get_label() for line in live + dead]
    assert labels[0] == "unit: w·x + b = 0" and labels[2] == "dead unit"
    assert labels[1].startswith("_"), "one legend entry per kind"


def test_plot_unit_lines_of_a_trained_network_pass_between_its_on_and_off_inputs():
    # Every live unit's line separates the inputs it fires on from those it does not.
    from nnmath import network

    X, y = network.make_spiral(n_per_class=30)
    net = network.train(X, y, hidden=8, steps=100).final
    Z1 = X @ net.W1 + net.b1
    _, (ax,) = new_figure(ncols=1)
    live, _ = plot_unit_lines(ax, net.W1, net.b1, (-1.2, 1.2), (-1.2, 1.2))
    assert live
    for line in live:
        (x0, y0), (x1, y1) = line.get_xydata()
        j = int(np.argmin([abs(net.W1[:, k] @ [x0, y0] + net.b1[k]) for k in range(8)]))
        normal = np.array([y1 - y0, x0 - x1])  # perpendicular to the segment
        side = np.sign((X - [x0, y0]) @ normal)
        fires = Z1[:, j] > 0
        assert len(set(side[fires])) <= 1 and len(set(side[~fires])) <= 1
        if fires.any() and (~fires).any():
            assert side[fires][0] != side[~fires][0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"W": np.ones((3, 2)), "b": np.zeros(2)}, r"^W must have shape \(2, n_units\)"),
        ({"W": np.ones((2, 2)), "b": np.zeros(3)}, r"^b must have shape \(2,\)"),
        (
            {"W": np.ones((2, 2)), "b": np.zeros(2), "dead": [0, 1]},
            r"^dead must be a boolean array of shape \(2,\)",
        ),
        ({"W": np.ones((2, 2)), "b": np.zeros(2), "linewidth": 0.0}, r"^linewidth must be > 0"),
        (
            {"W": [[1.0, np.nan], [0.0, 1.0]], "b": np.zeros(2)},
            r"^W must hold finite numbers only$",
        ),
    ],
    ids=["W-rows", "b-length", "dead-ints", "zero-width", "nan-W"],
)
def test_plot_unit_lines_errors_name_the_argument(kwargs, match):
    _, (ax,) = new_figure(ncols=1)
    with pytest.raises(ValueError, match=match):
        plot_unit_lines(ax, xlim=BOX[0], ylim=BOX[1], **kwargs)
