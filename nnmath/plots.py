"""The shared vocabulary of the book's figures: palette, figure factory, axis styling,
and the pieces the chapters and the explorers draw alike.

- Colours: :data:`PALETTE`, :data:`CYCLE`, :data:`DIVERGING_CMAP`, and the class palette
  :data:`CLASS_COLORS` / :data:`CLASS_MARKERS` with the tints of decision regions
  (:func:`class_tints`, :func:`decision_image`, :func:`plot_decision_regions`,
  :func:`plot_classes`).
- Figures: :func:`new_figure`, :func:`style_axes`, :func:`label_panels`,
  :func:`book_style`, :class:`BookFigure`.
- Pieces: :func:`readout` (the monospace box of numbers), :func:`tangent` (a tangent
  segment at a point), :func:`split_at_kinks` and :func:`plot_derivative` (a derivative
  drawn with a gap at each kink and its value there as a dot),
  :func:`plot_function_and_derivative`, and :func:`format_number` (numbers with a true
  minus sign, as the tick labels have).

The palette is Okabe and Ito's colour-universal set, which stays distinguishable
under the common forms of colour blindness. Figures have an opaque white
background, so they read the same on the book's light and dark themes.

Nothing here selects a Matplotlib backend: figures are made with
:class:`matplotlib.figure.Figure` directly and attached to an Agg canvas, so they
never enter pyplot's global state and cannot leak.

Examples
--------
>>> from nnmath.plots import new_figure, PALETTE
>>> fig, (ax,) = new_figure(ncols=1)
>>> line, = ax.plot([0, 1], [0, 1], color=PALETTE["blue"])
>>> fig.get_facecolor()
(1.0, 1.0, 1.0, 1.0)
"""

from __future__ import annotations

import contextlib
import itertools
import numbers
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text
from numpy.typing import ArrayLike, NDArray

from nnmath._validation import as_float_array, check_real_scalar

__all__ = [
    "CLASS_COLORS",
    "CLASS_MARKERS",
    "CLASS_TINTS",
    "CYCLE",
    "DIVERGING_CMAP",
    "MINUS",
    "PALETTE",
    "PIXEL_RATIO",
    "RC",
    "READOUT_BOX",
    "REGION_TINT",
    "BookFigure",
    "book_style",
    "class_tints",
    "decision_image",
    "format_number",
    "label_panels",
    "new_figure",
    "plot_classes",
    "plot_decision_regions",
    "plot_derivative",
    "plot_function_and_derivative",
    "plot_unit_lines",
    "readout",
    "split_at_kinks",
    "style_axes",
    "tangent",
    "unit_line",
]

#: Okabe–Ito colours by name.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}

#: Order in which series take colours (yellow last: it is weak on white).
CYCLE: tuple[str, ...] = tuple(
    PALETTE[name] for name in ("blue", "vermillion", "green", "orange", "purple", "sky", "yellow")
)

#: Colours of classes 0, 1, 2, ... (Okabe–Ito, in the order of :data:`CYCLE`; no yellow,
#: which is too weak on white for points and regions).
CLASS_COLORS: tuple[str, ...] = tuple(
    PALETTE[name] for name in ("blue", "vermillion", "green", "orange", "purple", "sky")
)

#: Marker of each class, so that classes differ in shape as well as colour.
CLASS_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P")

#: How far each class colour is mixed towards white for its decision region.
REGION_TINT: float = 0.72

#: Colormap for signed quantities centred on 0 (a Jacobian, a gradient): ColorBrewer's
#: red-blue, which stays readable under the common forms of colour blindness and has a
#: white centre, so 0 reads as "nothing" on the white figure background.
DIVERGING_CMAP: str = "RdBu_r"

#: Matplotlib settings applied to every figure made by :func:`new_figure`.
RC: dict[str, object] = {
    "font.size": 10.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 10.0,
    "legend.fontsize": 9.0,
    "axes.prop_cycle": None,  # filled in below
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
}


#: The box of a readout: rounded, white, with a grey edge.
READOUT_BOX: dict[str, str] = {"boxstyle": "round", "fc": "white", "ec": "#bbbbbb"}

#: The minus sign of typeset numbers (U+2212), as Matplotlib's tick labels use.
MINUS = "\u2212"


def book_style() -> contextlib.AbstractContextManager[None]:
    """Context manager that applies :data:`RC` (and the colour cycle) to what is drawn in it.

    Examples
    --------
    >>> from nnmath.plots import book_style
    >>> import matplotlib
    >>> with book_style():
    ...     matplotlib.rcParams["figure.facecolor"]
    'white'
    """
    import matplotlib
    from cycler import cycler

    rc = dict(RC)
    rc["axes.prop_cycle"] = cycler(color=list(CYCLE))
    return matplotlib.rc_context(rc)


#: Pixels drawn per pixel shown: a figure shows itself at twice its resolution, so that its
#: text is sharp on a screen of two or three pixels per CSS pixel (most phones and many
#: laptops), where a 100 dpi picture is drawn enlarged and blurred.
PIXEL_RATIO = 2


class BookFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that shows itself in a notebook as a PNG.

    Figures made outside pyplot have no display hook unless ``%matplotlib inline``
    is active; this one renders itself, so ending a cell with ``fig`` shows it in any
    kernel and in the built book. The PNG is drawn at :data:`PIXEL_RATIO` times the
    figure's ``dpi`` and says what size to show it at (``width`` and ``height`` in its
    metadata, as Jupyter's own high-resolution figures do): the figure keeps its size on
    screen and its text stays sharp. Its PNG also records that resolution (pHYs), from
    which the book's build makes the 1x picture a low-resolution screen loads.
    """

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        import io

        from PIL import Image

        buffer = io.BytesIO()
        with book_style():
            # "tight" as the inline backend does: nothing drawn is cut off at the edges.
            self.savefig(
                buffer,
                format="png",
                dpi=self.dpi * PIXEL_RATIO,
                bbox_inches="tight",
                pad_inches=0.1,
            )
        width, height = Image.open(buffer).size
        # Shown at a whole number of CSS pixels: the size of the 1x picture the build makes.
        shown = {"width": -(-width // PIXEL_RATIO), "height": -(-height // PIXEL_RATIO)}
        return buffer.getvalue(), shown


def style_axes(ax: Axes, *, xlabel: str = "", ylabel: str = "", title: str = "") -> Axes:
    """Label an axis and give it the book's quiet grid and spines.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to style.
    xlabel, ylabel, title : str
        Axis labels and title; empty strings leave them unset.

    Returns
    -------
    matplotlib.axes.Axes
        The same axes, for chaining.
    """
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def label_panels(axes: Sequence[Axes]) -> list[Axes]:
    """Letter the panels (a), (b), ... at the top left of each, in reading order.

    A caption then names a panel by its letter. "Left" and "right" would not do: on a
    narrow screen the book shows side-by-side panels one under another.

    Parameters
    ----------
    axes : sequence of matplotlib.axes.Axes
        The panels, in the order the captions name them (row by row), at most 26.

    Returns
    -------
    list of matplotlib.axes.Axes
        The same axes.

    Raises
    ------
    ValueError
        If ``axes`` is empty or has more than 26 panels.

    Examples
    --------
    >>> fig, axes = new_figure(ncols=2)
    >>> [ax.get_title(loc="left") for ax in label_panels(axes)]
    ['(a)', '(b)']
    """
    axes = list(axes)
    if not 1 <= len(axes) <= 26:
        raise ValueError(f"axes: expected 1 to 26 panels to letter, got {len(axes)}")
    for letter, ax in zip("abcdefghijklmnopqrstuvwxyz", axes, strict=False):
        ax.set_title(f"({letter})", loc="left", fontweight="bold")
    return axes


def new_figure(
    nrows: int = 1,
    ncols: int = 2,
    *,
    figsize: tuple[float, float] | None = None,
    dpi: float = 100.0,
    **subplot_kw: object,
) -> tuple[Figure, list[Axes]]:
    """Make a figure in the book's style, outside pyplot, on an Agg canvas.

    Parameters
    ----------
    nrows, ncols : int
        Grid of axes.
    figsize : (float, float), optional
        Size in inches; defaults to 4 inches of width per column, 3.2 per row.
    dpi : float
        Resolution of the rendered image.
    **subplot_kw
        Passed to :meth:`matplotlib.figure.Figure.subplots` (for example
        ``gridspec_kw``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of matplotlib.axes.Axes
        Flattened, in row-major order.
    """
    if figsize is None:
        figsize = (4.0 * ncols, 3.2 * nrows)
    with book_style():
        fig = BookFigure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    return fig, list(np.ravel(axes))


def plot_function_and_derivative(
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray],
    x: Sequence[float] | np.ndarray,
    *,
    kinks: Sequence[float] = (),
    name: str = "f",
    title: str = "",
) -> Figure:
    """Plot a function next to its derivative, both computed by the given callables.

    Parameters
    ----------
    f, df : callable
        Element-wise function and its derivative.
    x : array_like of shape (n,)
        Points at which to evaluate them, increasing.
    kinks : sequence of float, optional
        Points where `f` has no derivative: the derivative is drawn on each side
        with a gap there, and ``df(kink)`` (the convention) as a dot.
    name : str
        Name used in the legend and axis labels, e.g. ``"ReLU"``.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    See Also
    --------
    plot_derivative : the derivative panel alone, on axes of your own.

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_function_and_derivative(np.tanh, lambda x: 1 - np.tanh(x) ** 2,
    ...                                    np.linspace(-3, 3, 61), name="tanh")
    >>> [len(ax.lines) for ax in fig.axes]
    [1, 1]
    >>> import nnmath
    >>> fig = plot_function_and_derivative(nnmath.relu, nnmath.relu_grad,
    ...                                    np.linspace(-3, 3, 61), kinks=[0.0], name="ReLU")
    >>> [len(ax.lines) for ax in fig.axes]  # two sides of the kink, and the dot at 0
    [1, 3]
    """
    x = np.asarray(x, dtype=float)
    fig, (ax_f, ax_d) = new_figure(ncols=2, figsize=(8.0, 3.0))
    with book_style():
        ax_f.plot(x, f(x), color=PALETTE["blue"], linewidth=2, label=name)
        plot_derivative(
            ax_d, df, x, kinks=kinks, color=PALETTE["vermillion"], linewidth=2, label=f"{name}′"
        )
        style_axes(ax_f, xlabel="x", ylabel=f"{name}(x)", title=f"{name}(x)")
        style_axes(ax_d, xlabel="x", ylabel=f"{name}′(x)", title=f"derivative {name}′(x)")
        if title:
            fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------


def format_number(value: float, fmt: str = ".3f", *, zero: str | None = None) -> str:
    """Format a number with a true minus sign (U+2212), as the figures' tick labels have.

    Parameters
    ----------
    value : float
        A real number (a NumPy scalar or 0-d array is fine).
    fmt : str, default ".3f"
        A format specification, as for :func:`format` (``"+.2f"``, ``".1e"``, ...).
    zero : str, optional
        Text for a value that rounds to zero in `fmt` (``"0"``, say).  By default such
        a value keeps its digits and loses its sign: ``-0.0001`` gives ``"0.000"``, never
        ``"−0.000"``.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(-1.5)
    '−1.500'
    >>> format_number(-0.0001), format_number(-0.0001, zero="0")
    ('0.000', '0')
    >>> format_number(-2.5e-5, ".1e"), format_number(0.25, "+.2f")
    ('−2.5e−05', '+0.25')
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a real number, got {value!r}")
    text = format(value, fmt)
    try:
        rounds_to_zero = float(text) == 0.0
    except ValueError:  # "%" and other formats that float() does not read back
        rounds_to_zero = False
    if rounds_to_zero:
        if zero is not None:
            return zero
        if text.startswith("-"):
            text = ("+" if "+" in fmt else "") + text[1:]
    return text.replace("-", MINUS)


# --------------------------------------------------------------------------
# Pieces of figures
# --------------------------------------------------------------------------


def readout(
    ax: Axes,
    x: float = 0.03,
    y: float = 0.97,
    text: str = "",
    *,
    ha: str = "left",
    va: str = "top",
    fontsize: float = 9.0,
) -> Text:
    """A readout: monospace text in a rounded white box with a grey edge, placed on `ax`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to write on.
    x, y : float
        Position in axes coordinates (0 to 1), of the corner given by `ha` and `va`.
    text : str
        The initial text; change it later with ``set_text``.
    ha, va : str
        Horizontal and vertical alignment of the box at (`x`, `y`).
    fontsize : float
        Font size in points.

    Returns
    -------
    matplotlib.text.Text
        Monospace, so that columns of numbers line up from line to line.

    Examples
    --------
    >>> fig, (ax,) = new_figure(ncols=1)
    >>> box = readout(ax, text="x = 1.00")
    >>> box.get_text(), box.get_bbox_patch().get_edgecolor()[:3]
    ('x = 1.00', (0.7333333333333333, 0.7333333333333333, 0.7333333333333333))
    """
    return ax.text(
        x,
        y,
        text,
        transform=ax.transAxes,
        ha=ha,
        va=va,
        fontsize=fontsize,
        family="monospace",
        bbox=dict(READOUT_BOX),
    )


def tangent(
    x0: float, y0: float, slope: float, half_width: float = 1.0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The end points of the tangent segment through (`x0`, `y0`) with the given slope.

    Parameters
    ----------
    x0, y0 : float
        The point of contact.
    slope : float
        The derivative there.
    half_width : float, default 1.0
        How far the segment reaches on each side of `x0`, in data units (> 0).

    Returns
    -------
    xs, ys : ndarray of shape (2,)
        For ``line.set_data(xs, ys)`` or ``ax.plot(xs, ys)``.

    Examples
    --------
    >>> xs, ys = tangent(1.0, 2.0, 3.0, half_width=0.5)
    >>> print(xs, ys)
    [0.5 1.5] [0.5 3.5]
    """
    x0 = check_real_scalar(x0, "x0")
    y0 = check_real_scalar(y0, "y0")
    slope = check_real_scalar(slope, "slope")
    half_width = check_real_scalar(half_width, "half_width")
    if half_width <= 0:
        raise ValueError(f"half_width must be > 0, got {half_width!r}")
    xs = np.array([x0 - half_width, x0 + half_width])
    return xs, y0 + slope * (xs - x0)


def split_at_kinks(x: ArrayLike, kinks: Sequence[float] = ()) -> list[NDArray[np.float64]]:
    """The pieces of an increasing grid `x` between kinks, the kinks themselves left out.

    Parameters
    ----------
    x : array_like of shape (n,)
        Strictly increasing points.
    kinks : sequence of float
        Where the pieces break; a grid point equal to a kink belongs to no piece.

    Returns
    -------
    list of ndarray
        The non-empty pieces, left to right.  Drawn as separate lines, they leave a
        gap at each kink instead of a vertical jump.

    Examples
    --------
    >>> [piece.tolist() for piece in split_at_kinks([-1.0, -0.5, 0.0, 0.5, 1.0], [0.0])]
    [[-1.0, -0.5], [0.5, 1.0]]
    """
    grid = np.asarray(x, dtype=float)
    if grid.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {grid.shape}")
    if not np.isfinite(grid).all():
        raise ValueError("x must be finite")
    if grid.size > 1 and not np.all(np.diff(grid) > 0):
        raise ValueError("x must be strictly increasing")
    cuts = sorted(check_real_scalar(k, "kinks") for k in kinks)
    edges = [-np.inf, *cuts, np.inf]
    pieces = []
    for lo, hi in itertools.pairwise(edges):
        piece = grid[(grid > lo) & (grid < hi)]
        if piece.size:
            pieces.append(piece)
    return pieces


def plot_derivative(
    ax: Axes,
    df: Callable[[np.ndarray], np.ndarray],
    x: ArrayLike,
    *,
    kinks: Sequence[float] = (),
    label: str | None = None,
    kink_label: str | None = None,
    **line_kw: object,
) -> tuple[list[Line2D], Line2D | None]:
    """Draw a derivative with a gap at each kink, and its value at the kink as a dot.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    df : callable
        The derivative, elementwise (e.g. :func:`nnmath.relu_grad`).
    x : array_like of shape (n,)
        Increasing grid of points.
    kinks : sequence of float
        Points where the function has no derivative.
    label : str, optional
        Legend label of the curve (given to its first piece only).
    kink_label : str, optional
        Legend label of the dots, e.g. ``"ReLU′(0) := 0"``.
    **line_kw
        Passed to :meth:`matplotlib.axes.Axes.plot` for every piece (``color``,
        ``ls``, ``lw``, ...); the dots take the same colour.

    Returns
    -------
    pieces : list of matplotlib.lines.Line2D
        One line per piece between kinks.
    dots : matplotlib.lines.Line2D or None
        The values ``df(kinks)`` as dots; None when there are no kinks.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> fig, (ax,) = new_figure(ncols=1)
    >>> pieces, dots = plot_derivative(ax, nnmath.relu_grad, np.linspace(-2, 2, 41),
    ...                                kinks=[0.0])
    >>> len(pieces), dots.get_xydata().tolist()
    (2, [[0.0, 0.0]])
    """
    pieces = []
    for i, piece in enumerate(split_at_kinks(x, kinks)):
        kw = dict(line_kw)
        if i == 0 and label is not None:
            kw["label"] = label
        (line,) = ax.plot(piece, df(piece), **kw)
        pieces.append(line)
    if not kinks:
        return pieces, None
    at = np.array(sorted(float(k) for k in kinks))
    color = pieces[0].get_color() if pieces else line_kw.get("color")
    dot_kw: dict[str, object] = {"color": color, "ms": 5, "ls": "none", "marker": "o"}
    if kink_label is not None:
        dot_kw["label"] = kink_label
    (dots,) = ax.plot(at, df(at), **dot_kw)
    return pieces, dots


# --------------------------------------------------------------------------
# Classes: palette, decision regions, points
# --------------------------------------------------------------------------


def class_tints(
    colors: Sequence[str] = CLASS_COLORS, tint: float = REGION_TINT
) -> NDArray[np.uint8]:
    """The colours of decision regions: each class colour mixed towards white.

    Parameters
    ----------
    colors : sequence of colour specifications, default :data:`CLASS_COLORS`
    tint : float in [0, 1], default :data:`REGION_TINT`
        0 keeps the colour, 1 gives white.

    Returns
    -------
    ndarray of shape (len(colors), 3), uint8
        Row k is ``255 * (c + tint * (1 - c))`` for the RGB colour c of class k, rounded.

    Examples
    --------
    >>> print(class_tints()[:3])
    [[184 216 233]
     [243 210 184]
     [184 228 216]]
    """
    t = check_real_scalar(tint, "tint")
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"tint must lie in [0, 1], got {tint!r}")
    rgb = np.array([to_rgb(c) for c in colors], dtype=float).reshape(-1, 3)
    return (255 * (rgb + t * (1.0 - rgb))).round().astype(np.uint8)


#: :func:`class_tints` of :data:`CLASS_COLORS` (read-only).
CLASS_TINTS: NDArray[np.uint8] = class_tints()
CLASS_TINTS.setflags(write=False)


def decision_image(classes: ArrayLike, tints: ArrayLike | None = None) -> NDArray[np.uint8]:
    """An RGB image of decision regions from a grid of predicted classes.

    Parameters
    ----------
    classes : array_like of int, shape (ny, nx)
        The class predicted at each grid point (row i at the i-th y value), in
        ``[0, len(tints))``.
    tints : array_like of shape (K, 3), uint8, optional
        The colour of each class's region; default :data:`CLASS_TINTS`.

    Returns
    -------
    ndarray of shape (ny, nx, 3), uint8
        Pixel ``[i, j]`` is ``tints[classes[i, j]]``.  Show it with
        ``origin="lower"`` (:func:`plot_decision_regions` does).

    Examples
    --------
    >>> print(decision_image([[0, 1]]))
    [[[184 216 233]
      [243 210 184]]]
    """
    palette = CLASS_TINTS if tints is None else np.asarray(tints)
    if palette.ndim != 2 or palette.shape[1] != 3 or palette.dtype != np.uint8:
        raise ValueError(
            f"tints must be a uint8 array of shape (K, 3), got {palette.dtype} {palette.shape}"
        )
    grid = np.asarray(classes)
    if grid.dtype.kind not in "iu":
        raise TypeError(f"classes must hold integer class labels, got dtype {grid.dtype}")
    if grid.ndim != 2:
        raise ValueError(f"classes must be a 2-d grid, got shape {grid.shape}")
    k = len(palette)
    if grid.size and (grid.min() < 0 or grid.max() >= k):
        bad = (grid < 0) | (grid >= k)
        i, j = np.unravel_index(int(np.argmax(bad)), grid.shape)
        raise ValueError(
            f"classes must lie in [0, {k}) (one tint per class), but classes[{i}, {j}] = "
            f"{int(grid[i, j])}"
        )
    return palette[grid]


def plot_decision_regions(
    ax: Axes,
    classes: ArrayLike,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    tints: ArrayLike | None = None,
) -> AxesImage:
    """Show a grid of predicted classes as coloured regions over `xlim` x `ylim`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    classes : array_like of int, shape (ny, nx)
        As for :func:`decision_image`: row 0 at ``ylim[0]``, column 0 at ``xlim[0]``.
    xlim, ylim : (float, float)
        The extent of the grid in data coordinates.
    tints : array_like of shape (K, 3), uint8, optional
        Region colours; default :data:`CLASS_TINTS`.

    Returns
    -------
    matplotlib.image.AxesImage
        Update it with ``image.set_data(decision_image(new_classes))``.

    Examples
    --------
    >>> fig, (ax,) = new_figure(ncols=1)
    >>> image = plot_decision_regions(ax, [[0, 1], [2, 0]], (-1, 1), (-1, 1))
    >>> image.origin, image.get_extent()
    ('lower', [-1.0, 1.0, -1.0, 1.0])
    """
    x0, x1 = (check_real_scalar(v, "xlim") for v in xlim)
    y0, y1 = (check_real_scalar(v, "ylim") for v in ylim)
    return ax.imshow(
        decision_image(classes, tints),
        origin="lower",
        extent=(x0, x1, y0, y1),
        interpolation="nearest",
        aspect="equal",
    )


def plot_classes(
    ax: Axes,
    X: ArrayLike,
    y: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    size: float = 14.0,
) -> list[PathCollection]:
    """Scatter 2-d points with each class in its colour and marker.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    X : array_like of shape (n, 2)
        The points.
    y : array_like of int, shape (n,)
        Their classes, in ``[0, len(CLASS_COLORS))``.
    labels : sequence of str, optional
        Legend label of each class present.  By default ``"class 1"``,
        ``"class 2"``, ...: the figures count classes from 1, as the book's math
        does, so label ``k`` in `y` is named ``"class k+1"``.
    size : float
        Marker area in points squared.

    Returns
    -------
    list of matplotlib.collections.PathCollection
        One per class ``0 .. max(y)``, in order (possibly empty).

    Examples
    --------
    >>> fig, (ax,) = new_figure(ncols=1)
    >>> dots = plot_classes(ax, [[0.0, 0.0], [1.0, 1.0]], [0, 1])
    >>> [d.get_label() for d in dots]  # labels 0 and 1: classes 1 and 2
    ['class 1', 'class 2']
    """
    points = np.asarray(X, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {points.shape}")
    cls = np.asarray(y)
    if cls.dtype.kind not in "iu":
        raise TypeError(f"y must hold integer class labels, got dtype {cls.dtype}")
    if cls.shape != (len(points),):
        raise ValueError(f"y has shape {cls.shape} but X has {len(points)} points")
    k = int(cls.max()) + 1 if cls.size else 0
    if cls.size and (cls.min() < 0 or k > len(CLASS_COLORS)):
        raise ValueError(f"y must lie in [0, {len(CLASS_COLORS)}), one colour per class")
    names = [f"class {i + 1}" for i in range(k)] if labels is None else list(labels)
    if len(names) < k:
        raise ValueError(f"labels names {len(names)} classes but y has {k}")
    out = []
    for i in range(k):
        mask = cls == i
        out.append(
            ax.scatter(
                points[mask, 0],
                points[mask, 1],
                s=size,
                c=CLASS_COLORS[i],
                marker=CLASS_MARKERS[i],
                edgecolors="black",
                linewidths=0.4,
                label=names[i],
                zorder=3,
            )
        )
    return out


# --------------------------------------------------------------------------
# Hidden units as lines
# --------------------------------------------------------------------------


def _box(lim: tuple[float, float], name: str) -> tuple[float, float]:
    try:
        lo, hi = lim
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair of numbers (low, high), got {lim!r}") from None
    lo, hi = check_real_scalar(lo, name), check_real_scalar(hi, name)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be finite with low < high, got {lim!r}")
    return lo, hi


def unit_line(
    w: ArrayLike, b: float, xlim: tuple[float, float], ylim: tuple[float, float]
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    r"""The segment of the line :math:`w \cdot x + b = 0` that lies in the box `xlim` x `ylim`.

    A ReLU unit with incoming weights :math:`w = (w_1, w_2)` and bias :math:`b` fires
    where :math:`w \cdot x + b > 0`, on the side of the line that `w` points to, and
    outputs 0 on the other side: this line is where it switches.

    Parameters
    ----------
    w : array_like of shape (2,)
        The unit's weights, one per input coordinate.
    b : float
        Its bias.
    xlim, ylim : (float, float)
        The box, in data coordinates.

    Returns
    -------
    (xs, ys) : two ndarrays of shape (2,), or None
        The two ends of the segment, for ``ax.plot(xs, ys)``; None when the line
        misses the box, only touches a corner, or does not exist (:math:`w = 0`).

    See Also
    --------
    plot_unit_lines : the lines of a whole layer of units.

    Examples
    --------
    >>> xs, ys = unit_line([1.0, 1.0], -1.0, (-2, 2), (-2, 2))  # x1 + x2 = 1
    >>> print(xs, ys)
    [-1.  2.] [ 2. -1.]
    >>> print(unit_line([1.0, 0.0], -3.0, (-2, 2), (-2, 2)))  # x1 = 3: outside the box
    None
    """
    weights = np.asarray(w)
    if weights.dtype.kind not in "iuf" or weights.shape != (2,):
        raise ValueError(
            f"w must hold 2 real weights (one per input coordinate), got "
            f"{weights.dtype} of shape {weights.shape}"
        )
    w1, w2 = (check_real_scalar(v, "w") for v in weights.tolist())
    b = check_real_scalar(b, "b")
    (x0, x1), (y0, y1) = _box(xlim, "xlim"), _box(ylim, "ylim")
    if w1 == 0.0 and w2 == 0.0:
        return None
    slack = 1e-12 * max(x1 - x0, y1 - y0)
    points = []
    if w2 != 0.0:  # where the line crosses the left and the right edge
        for x in (x0, x1):
            y = -(b + w1 * x) / w2 + 0.0  # + 0.0: no -0.0
            if y0 - slack <= y <= y1 + slack:
                points.append((x, min(max(y, y0), y1)))
    if w1 != 0.0:  # the bottom and the top edge
        for y in (y0, y1):
            x = -(b + w2 * y) / w1 + 0.0
            if x0 - slack <= x <= x1 + slack:
                points.append((min(max(x, x0), x1), y))
    if len(points) < 2:
        return None
    pts = np.array(points)
    gaps = np.linalg.norm(pts[:, None] - pts[None, :], axis=-1)
    i, j = np.unravel_index(int(np.argmax(gaps)), gaps.shape)
    if gaps[i, j] <= slack:  # a corner only
        return None
    ends = pts[[i, j]]
    ends = ends[np.lexsort((ends[:, 1], ends[:, 0]))]  # left to right
    return ends[:, 0], ends[:, 1]


def plot_unit_lines(
    ax: Axes,
    W: ArrayLike,
    b: ArrayLike,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    dead: ArrayLike | None = None,
    color: str = PALETTE["black"],
    dead_color: str = PALETTE["grey"],
    linewidth: float = 1.0,
    dead_linewidth: float | None = None,
    label: str | None = "unit: w·x + b = 0",
    dead_label: str | None = "dead unit",
) -> tuple[list[Line2D], list[Line2D]]:
    """Draw the line where each hidden ReLU unit switches on, the dead units' in grey.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    W : array_like of shape (2, n_units)
        Incoming weights, one column per unit (the layout of ``TwoLayerNet.W1``).
    b : array_like of shape (n_units,)
        The units' biases.
    xlim, ylim : (float, float)
        The box to draw in (the lines are cut to it).
    dead : array_like of bool, shape (n_units,), optional
        True for a unit that is dead (off for every input); drawn dashed, in
        `dead_color`.  By default no unit is dead.
    color, dead_color : colour specifications
        Colours of the live and the dead units' lines.
    linewidth : float
        Width of the live units' lines.
    dead_linewidth : float, optional
        Width of the dead units' dashed lines; by default 1.5 times `linewidth`, so
        that a dashed grey line reads as well as a solid one.
    label, dead_label : str or None
        Legend labels, given to the first line of each kind only.

    Returns
    -------
    live, dead : two lists of matplotlib.lines.Line2D
        The lines drawn, in the order of the units; a unit whose line misses the box
        (see :func:`unit_line`) has none.

    Examples
    --------
    >>> fig, (ax,) = new_figure(ncols=1)
    >>> W = [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]  # columns: three units
    >>> b = [0.0, -0.5, 1.5]
    >>> live, dead = plot_unit_lines(ax, W, b, (-1, 1), (-1, 1), dead=[False, False, True])
    >>> [line.get_xydata().tolist() for line in live]  # x1 = 0, and x2 = 0.5
    [[[0.0, -1.0], [0.0, 1.0]], [[-1.0, 0.5], [1.0, 0.5]]]
    >>> dead[0].get_linestyle(), dead[0].get_label(), dead[0].get_linewidth()
    ('--', 'dead unit', 1.5)
    """
    weights = as_float_array(W, "W")
    if weights.ndim != 2 or weights.shape[0] != 2:
        raise ValueError(
            f"W must have shape (2, n_units), one column of 2 weights per unit, got "
            f"shape {weights.shape}"
        )
    n_units = weights.shape[1]
    biases = as_float_array(b, "b")
    if biases.shape != (n_units,):
        raise ValueError(f"b must have shape ({n_units},), one bias per unit, got {biases.shape}")
    for name, a in (("W", weights), ("b", biases)):
        if not np.isfinite(a).all():
            raise ValueError(f"{name} must hold finite numbers only")
    if dead is None:
        is_dead = np.zeros(n_units, dtype=bool)
    else:
        is_dead = np.asarray(dead)
        if is_dead.dtype != np.bool_ or is_dead.shape != (n_units,):
            raise ValueError(
                f"dead must be a boolean array of shape ({n_units},), one flag per unit, got "
                f"{is_dead.dtype} of shape {is_dead.shape}"
            )
    xlim, ylim = _box(xlim, "xlim"), _box(ylim, "ylim")
    width = check_real_scalar(linewidth, "linewidth")
    dead_width = (
        1.5 * width
        if dead_linewidth is None
        else check_real_scalar(dead_linewidth, "dead_linewidth")
    )
    for name, w in (("linewidth", width), ("dead_linewidth", dead_width)):
        if w <= 0:
            raise ValueError(f"{name} must be > 0, got {w!r}")
    live_lines: list[Line2D] = []
    dead_lines: list[Line2D] = []
    for j in range(n_units):
        segment = unit_line(weights[:, j], biases[j], xlim, ylim)
        if segment is None:
            continue
        group = dead_lines if is_dead[j] else live_lines
        kw: dict[str, object] = {
            "color": dead_color if is_dead[j] else color,
            "ls": "--" if is_dead[j] else "-",
            "lw": dead_width if is_dead[j] else width,
            "zorder": 2,
        }
        name = dead_label if is_dead[j] else label
        if not group and name is not None:
            kw["label"] = name
        (line,) = ax.plot(*segment, **kw)
        group.append(line)
    return live_lines, dead_lines
