"""The shared figure style: palette, figure factory, axis styling, no global state."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from nnmath.plots import (
    CYCLE,
    DIVERGING_CMAP,
    PALETTE,
    book_style,
    new_figure,
    plot_function_and_derivative,
    style_axes,
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
    width = Image.open(io.BytesIO(fig._repr_png_())).size[0]
    assert width > 300, f"the image is {width} px wide, so the label was cut off"
