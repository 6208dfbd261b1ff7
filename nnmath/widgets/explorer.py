"""The live explorer in a kernel: declared controls, a figure redrawn in place by blitting.

An :class:`Explorer` owns a Matplotlib :class:`~matplotlib.figure.Figure` and one
ipywidgets control per declaration in :attr:`Explorer.CONTROLS`. Subclasses create
their artists once in :meth:`Explorer.build` and only set data in
:meth:`Explorer.update`. Artists that change are registered with
:meth:`Explorer.animate`; everything else is drawn once into a cached background, so a
control move redraws only what moved (blitting on the Agg canvas) and encodes one PNG,
which is what the live widget sends to the browser.

Displayed in a notebook, an explorer offers two representations: the live widget, and
the HTML of the same explorer computed in the browser (:mod:`nnmath.widgets.page`),
which is what the static book page shows, where there is no kernel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from ..plots import book_style
from .controls import Control, Slider
from .png import encode_png

__all__ = ["Explorer", "clip_marker", "logit_controls", "read_logits"]

#: Unicode subscript digits, for control labels such as "logit z₂".
SUBSCRIPT = {i: chr(0x2080 + i) for i in range(10)}


def clip_marker(
    line: Any,
    x: float,
    y: float,
    ylim: tuple[float, float],
    xlim: tuple[float, float] | None = None,
) -> None:
    """Put a one-point marker at (x, y), or on the edge of the limits pointing off-axis.

    A value beyond the fixed limits would otherwise vanish from the plot; it is
    drawn on the edge as a triangle pointing the way it left.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> (line,) = Figure().subplots().plot([], [], "o")
    >>> clip_marker(line, 0.5, -40.0, (-10.0, 10.0))
    >>> line.get_data(), line.get_marker()
    (([0.5], [-10.0]), 'v')
    >>> clip_marker(line, 12.0, 1.0, (-10.0, 10.0), xlim=(-8.0, 8.0))
    >>> line.get_data(), line.get_marker()
    (([8.0], [1.0]), '>')
    """
    marker = "o"
    if xlim is not None:
        if x > xlim[1]:
            x, marker = xlim[1], ">"
        elif x < xlim[0]:
            x, marker = xlim[0], "<"
    lo, hi = ylim
    if y > hi:
        y, marker = hi, "^"
    elif y < lo:
        y, marker = lo, "v"
    line.set_data([float(x)], [float(y)])
    line.set_marker(marker)
    line.set_clip_on(False)


def logit_controls(defaults: Sequence[float], value_range: tuple[float, float]) -> list[Slider]:
    """One slider per logit, named ``z1``, ``z2``, ... and labelled "logit z₁", ...

    Parameters
    ----------
    defaults : sequence of float
        Initial value of each logit; its length is the number of sliders.
    value_range : (float, float)
        Slider range, shared by all logits.
    """
    lo, hi = value_range
    return [
        Slider(f"z{i + 1}", f"logit z{SUBSCRIPT[i + 1]}", lo, hi, 0.1, value, fmt=".1f")
        for i, value in enumerate(defaults)
    ]


def read_logits(controls: Mapping[str, Any], k: int) -> np.ndarray:
    """The values of the first ``k`` logit controls made by :func:`logit_controls`, shape (k,)."""
    return np.array([float(controls[f"z{i + 1}"].value) for i in range(k)])


class Explorer:
    """Base class of the interactive explorers.

    Subclasses set :attr:`name`, :attr:`title` and :attr:`CONTROLS`, and implement
    :meth:`build`, :meth:`update` and :meth:`page_config`.

    Parameters
    ----------
    **values
        Initial values for controls, by name (for example ``alpha=0.1``).

    Attributes
    ----------
    controls : dict of str to ipywidgets.ValueWidget
        The controls. Setting ``controls[name].value`` updates the figure at once;
        :meth:`set` does the same, but refuses a value the control would clip.
    figure : matplotlib.figure.Figure
        The figure, drawn on an Agg canvas.
    """

    #: Short name, the key in :data:`nnmath.widgets.EXPLORERS`.
    name: ClassVar[str] = ""
    #: One line saying what the figure shows; used for alt text.
    title: ClassVar[str] = ""
    #: The page's drawing of this explorer, ``_static/explorers/<view>.js``; its name if empty.
    view: ClassVar[str] = ""
    #: The registry's formulas this explorer shows (none is given a generic explorer).
    covers: ClassVar[tuple[str, ...]] = ()
    #: The controls, declared once for Jupyter and for the page.
    CONTROLS: ClassVar[tuple[Control, ...]] = ()
    #: Figure size in inches and resolution.
    figsize: ClassVar[tuple[float, float]] = (8.0, 3.4)
    dpi: ClassVar[float] = 100.0
    #: Margin in pixels restored around a panel with it (markers on its edge, labels).
    REGION_PAD: ClassVar[float] = 12.0

    def __init__(self, **values: Any) -> None:
        self.declarations: dict[str, Control] = {c.name: c for c in self.CONTROLS}
        unknown = sorted(set(values) - set(self.declarations))
        if unknown:
            raise TypeError(
                f"unknown control(s) {unknown} for explorer {self.name!r}; "
                f"its controls are {sorted(self.declarations)}"
            )
        checked = {key: self.declarations[key].check(value) for key, value in values.items()}
        self.controls: dict[str, Any] = {c.name: c.widget() for c in self.CONTROLS}
        for key, value in checked.items():
            self.controls[key].value = value
        self._animated: list[Artist] = []
        self._background: Any = None
        self._regions: dict[Any, Any] = {}
        self._spilled: dict[Any, bool] = {}
        self._image: Any = None
        self._widget: Any = None
        with book_style():
            self.figure = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
            FigureCanvasAgg(self.figure)
            self.build(self.figure)
            self.update()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    # -- what subclasses implement -------------------------------------------------
    def build(self, figure: Figure) -> None:
        """Create axes and artists once; register the ones that change with :meth:`animate`."""
        raise NotImplementedError

    def update(self) -> None:
        """Set the data of the animated artists from the current control values."""
        raise NotImplementedError

    def page_config(self) -> dict[str, Any]:
        """What the page's drawing needs besides the controls: limits, fixed data, titles."""
        return {}

    # -- helpers for subclasses ------------------------------------------------------
    def animate(self, *artists: Artist) -> None:
        """Mark artists as changing: they are redrawn on every move, the rest never."""
        for artist in artists:
            artist.set_animated(True)
            artist.set_in_layout(False)  # the layout is fixed; moving data must not shift it
            self._animated.append(artist)

    def invalidate(self) -> None:
        """Redraw the static background next time (call after changing limits or labels)."""
        self._background = None
        self._spilled = {}

    @property
    def animated(self) -> tuple[Artist, ...]:
        """The artists registered with :meth:`animate`, in order."""
        return tuple(self._animated)

    @property
    def values(self) -> dict[str, Any]:
        """Current value of every control, by name."""
        return {key: control.value for key, control in self.controls.items()}

    def set(self, name: str, value: Any) -> None:
        """Set control ``name`` to ``value``, refusing what the control would clip or reject.

        Raises
        ------
        ValueError
            If ``name`` is not a control, or the control cannot take ``value`` exactly.
        TypeError
            If a slider is given something other than a real number.
        """
        if name not in self.declarations:
            raise ValueError(f"name must be one of {sorted(self.declarations)}, got {name!r}")
        self.controls[name].value = self.declarations[name].check(value)

    # -- rendering -------------------------------------------------------------------
    def render_rgba(self, *, full: bool = False) -> np.ndarray:
        """Draw the figure as it is now and return its pixels, shape (height, width, 4).

        The first call draws everything and caches the static background. Later
        calls redraw only the panels whose animated artists changed since the last
        call (matplotlib marks a changed artist "stale"): each such panel's area is
        restored from the background and its animated artists are drawn again; the
        other panels keep their pixels. If a changed artist reaches outside its
        panel's area, the whole figure is restored and every animated artist drawn.
        ``full=True`` restores the whole background and draws every animated artist,
        whatever changed: the reference the partial redraw must equal.
        """
        canvas = self.figure.canvas
        with book_style():
            if self._background is None:
                canvas.draw()
                # Freeze the layout found by the first full draw: frames must not shift.
                self.figure.set_layout_engine("none")
                self._background = canvas.copy_from_bbox(self.figure.bbox)
                self._regions = {}
                redraw = list(self._animated)
            elif full:
                canvas.restore_region(self._background)
                redraw = list(self._animated)
            else:
                redraw = self._restore_changed()
            renderer = canvas.get_renderer()
            spills = {}
            for artist in redraw:
                group = artist.axes
                spills[group] = spills.get(group, False) or self._spills(artist, renderer)
                self.figure.draw_artist(artist)
            self._spilled.update(spills)
        return np.asarray(canvas.buffer_rgba())

    def _region(self, axes: Any) -> Any:
        """The pixels restored with a panel: its box with a margin, within the figure."""
        if axes not in self._regions:
            pad = self.REGION_PAD
            box = axes.bbox.expanded(1.0, 1.0).padded(pad)
            self._regions[axes] = Bbox.intersection(box, self.figure.bbox) or self.figure.bbox
        return self._regions[axes]

    def _spills(self, artist: Artist, renderer: Any) -> bool:
        """Whether ``artist`` draws outside its panel's region (or has no panel)."""
        if artist.axes is None:
            return True
        if not artist.get_visible():
            return False
        extent = artist.get_window_extent(renderer)
        if artist.get_clip_on() and artist.get_clip_box() is not None:
            extent = Bbox.intersection(extent, artist.get_clip_box())
            if extent is None:
                return False
        if extent.width == 0 and extent.height == 0:
            return False
        region = self._region(artist.axes)
        return not (
            region.x0 <= extent.x0
            and extent.x1 <= region.x1
            and region.y0 <= extent.y0
            and extent.y1 <= region.y1
        )

    def _restore_changed(self) -> list[Artist]:
        """Restore the background under the changed panels; return the artists to draw."""
        canvas = self.figure.canvas
        groups: dict[Any, list[Artist]] = {}
        for artist in self._animated:
            groups.setdefault(artist.axes, []).append(artist)
        dirty = {g for g, artists in groups.items() if any(a.stale for a in artists)}
        full = None in dirty or any(self._spilled.get(g, True) for g in dirty)
        if not full:
            renderer = canvas.get_renderer()
            full = any(self._spills(a, renderer) for g in dirty for a in groups[g] if a.stale)
        if not full:
            # A restored area wipes any other panel it overlaps: that panel is redrawn too.
            grown = True
            while grown:
                grown = False
                for g in groups:
                    if g not in dirty and any(
                        self._region(g).overlaps(self._region(d)) for d in dirty
                    ):
                        dirty.add(g)
                        grown = True
        if full:
            canvas.restore_region(self._background)
            return list(self._animated)
        height = round(self.figure.bbox.height)
        for g in dirty:
            x0, y0, x1, y1 = (round(v) for v in self._region(g).extents)
            # Agg counts rows from the top and includes both ends; xy is the offset of
            # the saved region (the whole figure, at 0, 0).
            canvas.restore_region(
                self._background, bbox=(x0, height - y1, x1 - 1, height - y0 - 1), xy=(0, 0)
            )
        return [a for a in self._animated if a.axes in dirty]

    def render_png(self, *, palette: bool = False) -> bytes:
        """Render the figure as PNG bytes (see :func:`encode_png` for ``palette``)."""
        return encode_png(self.render_rgba(), palette=palette)

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self.update()
        if self._image is not None:
            self._image.value = self.render_png()

    # -- notebook display ----------------------------------------------------------
    @property
    def widget(self) -> Any:
        """The live widget: the controls above the figure, as an ipywidgets box."""
        if self._widget is None:
            import ipywidgets as widgets

            width, _ = self.figure.canvas.get_width_height()
            self._image = widgets.Image(
                value=self.render_png(),
                format="png",
                layout=widgets.Layout(width="100%", max_width=f"{width}px"),
            )
            cells = []
            for declaration in self.CONTROLS:
                control = self.controls[declaration.name]
                control.style.description_width = "initial"
                if isinstance(declaration, Slider) and declaration.play:
                    cells.append(widgets.HBox([_player(declaration, control), control]))
                else:
                    cells.append(control)
            controls = widgets.GridBox(
                cells,
                layout=widgets.Layout(
                    grid_template_columns="repeat(auto-fill, minmax(260px, 1fr))",
                    grid_gap="2px 16px",
                    max_width=f"{width}px",
                ),
            )
            self._widget = widgets.VBox([controls, self._image])
        return self._widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget for Jupyter, and the page version for the HTML book."""
        from .page import page_html

        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        bundle["text/html"] = page_html(self)
        return bundle

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"<{type(self).__name__} {settings}>"


def _player(declaration: Slider, control: Any) -> Any:
    """A play/pause button that moves ``control`` from its min to its max, linked in the browser."""
    import ipywidgets as widgets

    player = widgets.Play(
        value=int(control.value),
        min=int(declaration.min),
        max=int(declaration.max),
        step=max(1, int(declaration.play_step or declaration.step)),
        interval=60,
        description=f"play {declaration.label}",
        layout=widgets.Layout(width="auto"),
    )
    widgets.jslink((player, "value"), (control, "value"))
    return player
