"""Shared look for every figure of the book: palette, figure factory, axis styling.

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
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "CYCLE",
    "DIVERGING_CMAP",
    "PALETTE",
    "RC",
    "BookFigure",
    "book_style",
    "new_figure",
    "plot_function_and_derivative",
    "style_axes",
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


class BookFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that shows itself in a notebook as a PNG.

    Figures made outside pyplot have no display hook unless ``%matplotlib inline``
    is active; this one renders itself, so ending a cell with ``fig`` shows it in any
    kernel and in the built book.
    """

    def _repr_png_(self) -> bytes:
        import io

        buffer = io.BytesIO()
        with book_style():
            # "tight" as the inline backend does: nothing drawn is cut off at the edges.
            self.savefig(buffer, format="png", dpi=self.dpi, bbox_inches="tight", pad_inches=0.1)
        return buffer.getvalue()


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
    name: str = "f",
    title: str = "",
) -> Figure:
    """Plot a function next to its derivative, both computed by the given callables.

    Parameters
    ----------
    f, df : callable
        Element-wise function and its derivative.
    x : array_like of shape (n,)
        Points at which to evaluate them.
    name : str
        Name used in the legend and axis labels, e.g. ``"ReLU"``.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_function_and_derivative(np.tanh, lambda x: 1 - np.tanh(x) ** 2,
    ...                                    np.linspace(-3, 3, 61), name="tanh")
    >>> [len(ax.lines) for ax in fig.axes]
    [1, 1]
    """
    x = np.asarray(x, dtype=float)
    fig, (ax_f, ax_d) = new_figure(ncols=2, figsize=(8.0, 3.0))
    with book_style():
        ax_f.plot(x, f(x), color=PALETTE["blue"], linewidth=2, label=name)
        ax_d.plot(x, df(x), color=PALETTE["vermillion"], linewidth=2, label=f"{name}′")
        style_axes(ax_f, xlabel="x", ylabel=f"{name}(x)", title=f"{name}(x)")
        style_axes(ax_d, xlabel="x", ylabel=f"{name}′(x)", title=f"derivative {name}′(x)")
        if title:
            fig.suptitle(title)
    return fig
