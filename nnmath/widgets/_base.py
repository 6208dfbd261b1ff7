"""The machinery every explorer shares: controls, a figure redrawn in place, static sweeps.

An :class:`Explorer` owns a Matplotlib :class:`~matplotlib.figure.Figure` and a dict of
ipywidgets controls. Subclasses create their artists once in :meth:`Explorer.build`
and only set data in :meth:`Explorer.update`. Artists that change are registered with
:meth:`Explorer.animate`; everything else is drawn once into a cached background, so
a slider move redraws only what moved (blitting on the Agg canvas) and encodes one
PNG, which is what a live widget sends to the browser.

:func:`static_sweep` uses the same explorer to pre-render one frame per value of a
single control and returns HTML with a range slider that swaps the frames in the
browser. That needs no kernel and no network, so it works on the static book page.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import numbers
import struct
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, ClassVar

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image

from ..plots import book_style

__all__ = [
    "Explorer",
    "StaticSweep",
    "check_control_value",
    "clip_marker",
    "encode_png",
    "logit_sliders",
    "read_logits",
    "set_control",
    "static_sweep",
]

#: Colours kept when a static frame is reduced to a palette PNG (smaller pages).
STATIC_COLORS = 128


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _fast_png(rgb: np.ndarray) -> bytes:
    """RGB pixels as a PNG, quickly: every row filtered with "Up", zlib level 1.

    Figures are mostly flat colour, so the difference to the row above is mostly
    zero and compresses well at the fastest zlib level; PIL's adaptive filter
    choice costs about twice the time for a similar size.
    """
    height, width, _ = rgb.shape
    rows = rgb.reshape(height, width * 3)
    raw = np.empty((height, width * 3 + 1), dtype=np.uint8)
    raw[:, 0] = 2  # filter type "Up"
    raw[0, 0] = 0  # first row: no row above, no filter
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # uint8 arithmetic wraps, as PNG wants
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw.tobytes(), 1))
        + _png_chunk(b"IEND", b"")
    )


def encode_png(rgba: np.ndarray, *, palette: bool = False) -> bytes:
    """Encode an RGBA pixel buffer as PNG bytes (the alpha channel is dropped).

    Parameters
    ----------
    rgba : ndarray of shape (height, width, 4), dtype uint8
        Pixels, for example ``np.asarray(canvas.buffer_rgba())``.
    palette : bool
        If True, reduce to an optimised palette image of at most
        :data:`STATIC_COLORS` colours, compressed hard (for frames stored in a
        page); if False, encode the RGB pixels fast (for live updates).

    Returns
    -------
    bytes
        A PNG file.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from PIL import Image
    >>> pixels = np.zeros((2, 3, 4), dtype=np.uint8)
    >>> pixels[..., 0] = [[0, 10, 250], [255, 5, 0]]
    >>> png = encode_png(pixels)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    >>> np.asarray(Image.open(io.BytesIO(png)))[..., 0].tolist()
    [[0, 10, 250], [255, 5, 0]]
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(
            f"rgba must be a uint8 array of shape (height, width, 4), got {rgba.dtype} {rgba.shape}"
        )
    if not palette:
        return _fast_png(rgba[..., :3])
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), mode="RGB")
    image = image.quantize(
        colors=STATIC_COLORS, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def check_control_value(control: Any, name: str, value: Any) -> None:
    """Raise if ``control`` cannot take ``value`` exactly (see :func:`set_control`)."""
    options = getattr(control, "options", None)
    if options is not None:
        allowed = [o[1] if isinstance(o, tuple) else o for o in options]
        if value not in allowed:
            raise ValueError(f"control {name!r} takes one of {allowed}, got {value!r}")
    elif hasattr(control, "min") and hasattr(control, "max"):
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"control {name!r} takes a real number, got {value!r}")
        if not control.min <= value <= control.max:
            raise ValueError(
                f"control {name!r} takes values in [{control.min}, {control.max}], got {value!r}"
            )


def set_control(control: Any, name: str, value: Any) -> None:
    """Set ``control.value``, refusing values the control would silently clamp or reject.

    ipywidgets sliders clip a value outside ``[min, max]`` without a word; for an
    explorer that would plot something other than what was asked for.

    Raises
    ------
    ValueError
        If the control cannot take ``value`` exactly (out of range, not an option).
    TypeError
        If a slider is given something other than a real number.
    """
    check_control_value(control, name, value)
    control.value = value


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


#: Unicode subscript digits, for control labels such as "logit z₂".
SUBSCRIPT = {i: chr(0x2080 + i) for i in range(10)}


def logit_sliders(defaults: Sequence[float], value_range: tuple[float, float]) -> dict[str, Any]:
    """One slider per logit, named ``z1``, ``z2``, ... and labelled "logit z₁", ...

    Parameters
    ----------
    defaults : sequence of float
        Initial value of each logit; its length is the number of sliders.
    value_range : (float, float)
        Slider range, shared by all logits.
    """
    import ipywidgets as widgets

    lo, hi = value_range
    return {
        f"z{i + 1}": widgets.FloatSlider(
            value=value,
            min=lo,
            max=hi,
            step=0.1,
            description=f"logit z{SUBSCRIPT[i + 1]}",
            readout_format=".1f",
        )
        for i, value in enumerate(defaults)
    }


def read_logits(controls: Mapping[str, Any], k: int) -> np.ndarray:
    """The values of the first ``k`` logit sliders made by :func:`logit_sliders`, shape (k,)."""
    return np.array([float(controls[f"z{i + 1}"].value) for i in range(k)])


class Explorer:
    """Base class of the interactive explorers.

    Subclasses set :attr:`name` and :attr:`title`, and implement
    :meth:`make_controls`, :meth:`build` and :meth:`update`.

    Parameters
    ----------
    **values
        Initial values for controls, by name (for example ``alpha=0.1``).

    Attributes
    ----------
    controls : dict of str to ipywidgets.ValueWidget
        The controls. Setting ``controls[name].value`` updates the figure at once.
    figure : matplotlib.figure.Figure
        The figure, drawn on an Agg canvas.
    """

    #: Short name, the key in :data:`nnmath.widgets.EXPLORERS`.
    name: ClassVar[str] = ""
    #: One line saying what the figure shows; used for alt text.
    title: ClassVar[str] = ""
    #: Figure size in inches and resolution.
    figsize: ClassVar[tuple[float, float]] = (8.0, 3.4)
    dpi: ClassVar[float] = 100.0
    #: Margin in pixels restored around a panel with it (markers on its edge, labels).
    REGION_PAD: ClassVar[float] = 12.0

    def __init__(self, **values: Any) -> None:
        self.controls: dict[str, Any] = dict(self.make_controls())
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise TypeError(
                f"unknown control(s) {unknown} for explorer {self.name!r}; "
                f"its controls are {sorted(self.controls)}"
            )
        for key, value in values.items():
            set_control(self.controls[key], key, value)
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
    def make_controls(self) -> Mapping[str, Any]:
        """Return the controls, by name."""
        raise NotImplementedError

    def build(self, figure: Figure) -> None:
        """Create axes and artists once; register the ones that change with :meth:`animate`."""
        raise NotImplementedError

    def update(self) -> None:
        """Set the data of the animated artists from the current control values."""
        raise NotImplementedError

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
    def values(self) -> dict[str, Any]:
        """Current value of every control, by name."""
        return {key: control.value for key, control in self.controls.items()}

    def alt_text(self, axes: list[Any]) -> str:
        """Alt text for a picture showing ``axes`` (all of the figure's, or a band of them).

        The default is :attr:`title`; explorers whose static sweeps may show only
        some panels override it to describe those.
        """
        return self.title

    # -- rendering -------------------------------------------------------------------
    def render_rgba(self) -> np.ndarray:
        """Draw the figure as it is now and return its pixels, shape (height, width, 4).

        The first call draws everything and caches the static background. Later
        calls redraw only the panels whose animated artists changed since the last
        call (matplotlib marks a changed artist "stale"): each such panel's area is
        restored from the background and its animated artists are drawn again; the
        other panels keep their pixels. If a changed artist reaches outside its
        panel's area, the whole figure is restored and every animated artist drawn.
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
            for control in self.controls.values():
                control.style.description_width = "initial"
            controls = widgets.GridBox(
                list(self.controls.values()),
                layout=widgets.Layout(
                    grid_template_columns="repeat(auto-fill, minmax(260px, 1fr))",
                    grid_gap="2px 16px",
                    max_width=f"{width}px",
                ),
            )
            self._widget = widgets.VBox([controls, self._image])
        return self._widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"<{type(self).__name__} {settings}>"


def _format_value(control: Any, value: Any) -> str:
    options = getattr(control, "options", None)
    if options is not None:
        for option in options:
            if isinstance(option, tuple) and option[1] == value:
                return str(option[0])
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    fmt = getattr(control, "readout_format", None) or ".3g"
    return format(value, fmt)


_sweep_counter = itertools.count(1)


@dataclass(frozen=True)
class StaticSweep:
    """Pre-rendered frames of an explorer over one control, shown with a range slider.

    Displaying it in a notebook or on the book page gives an image, a labelled
    ``<input type="range">`` and the current value; moving the slider swaps frames in
    the browser, with no kernel and no request.
    """

    explorer: str
    param: str
    label: str
    labels: tuple[str, ...]
    frames: tuple[bytes, ...]
    start: int
    alt: str
    caption: str
    uid: str

    def data_uris(self) -> list[str]:
        """Each frame as a ``data:image/png;base64`` URI."""
        import base64

        return ["data:image/png;base64," + base64.b64encode(f).decode("ascii") for f in self.frames]

    def _repr_html_(self) -> str:
        uris = self.data_uris()
        n = len(uris)
        shown = f"{self.label} = {self.labels[self.start]}"
        payload = json.dumps(
            {
                "frames": uris,
                "labels": [f"{self.label} = {lab}" for lab in self.labels],
                "values": list(self.labels),
                "alt": self.alt,
            }
        ).replace("<", "\\u003c")
        uid = self.uid
        caption = (
            f'<p class="nnmath-sweep-caption">{escape(self.caption)}</p>' if self.caption else ""
        )
        script = (
            "(function(){var r=document.getElementById(" + json.dumps(uid) + ");"
            "if(!r||r.getAttribute('data-ready'))return;r.setAttribute('data-ready','1');"
            "var d=JSON.parse(r.querySelector('script.nnmath-sweep-data').textContent);"
            "var img=r.querySelector('img.nnmath-sweep-frame');"
            "var s=r.querySelector('input.nnmath-sweep-range');"
            "var o=r.querySelector('output.nnmath-sweep-value');"
            "function show(){var i=+s.value;img.src=d.frames[i];"
            "img.alt=d.alt+' ('+d.labels[i]+')';o.textContent=d.values[i];"
            "s.setAttribute('aria-valuetext',d.labels[i]);}"
            "s.addEventListener('input',show);s.addEventListener('change',show);})();"
        )
        return (
            f'<div class="nnmath-sweep" id="{uid}" data-explorer="{escape(self.explorer)}" '
            f'data-param="{escape(self.param)}" style="max-width:100%;margin:0.5em 0 1em">'
            f'<div class="nnmath-sweep-controls" style="display:flex;flex-wrap:wrap;'
            f'align-items:center;gap:0.4em 0.8em;margin-bottom:0.3em">'
            f'<label for="{uid}-range" style="font-weight:600">{escape(self.label)}</label>'
            f'<input type="range" class="nnmath-sweep-range" id="{uid}-range" min="0" '
            f'max="{n - 1}" step="1" value="{self.start}" '
            f'aria-valuetext="{escape(shown)}" style="flex:1 1 12em;max-width:24em">'
            f'<output class="nnmath-sweep-value" for="{uid}-range" '
            f'style="font-variant-numeric:tabular-nums;min-width:4em">'
            f"{escape(self.labels[self.start])}</output>"
            f"</div>"
            f'<img class="nnmath-sweep-frame" src="{uris[self.start]}" '
            f'alt="{escape(self.alt)} ({escape(shown)})" '
            f'style="max-width:100%;height:auto;display:block;border-radius:4px">'
            f"{caption}"
            f'<script type="application/json" class="nnmath-sweep-data">{payload}</script>'
            f"<script>{script}</script>"
            f"</div>"
        )

    @property
    def nbytes(self) -> int:
        """Size of the HTML this sweep adds to a page, in bytes."""
        return len(self._repr_html_().encode("utf-8"))


def _axes_bands(figure: Figure, height: int) -> list[tuple[Any, int, int]]:
    """Each axes with the pixel rows (from the top) of its box with title and labels."""
    renderer = figure.canvas.get_renderer()
    bands = []
    for ax in figure.axes:
        box = ax.get_tightbbox(renderer)
        if box is None:
            continue
        top = max(0, int(np.floor(height - box.y1)))
        bottom = min(height, int(np.ceil(height - box.y0)))
        bands.append((ax, top, bottom))
    return bands


def _changing_rows(figure: Figure, pixels: list[np.ndarray], pad: int = 6) -> slice:
    """The band of pixel rows holding every panel that changes over the frames."""
    height = pixels[0].shape[0]
    changed = np.zeros(height, dtype=bool)
    for frame in pixels[1:]:
        changed |= np.any(frame != pixels[0], axis=(1, 2))
    if not changed.any():
        return slice(None)
    where = np.flatnonzero(changed)
    lo, hi = int(where[0]), int(where[-1]) + 1
    bands = _axes_bands(figure, height)
    grown = True
    while grown:  # take whole panels: any panel the band touches, and its neighbours in turn
        grown = False
        for _, top, bottom in bands:
            if top < hi and bottom > lo and (top < lo or bottom > hi):
                lo, hi, grown = min(lo, top), max(hi, bottom), True
    lo, hi = max(0, lo - pad), min(height, hi + pad)
    if hi - lo >= 0.9 * height:
        return slice(None)
    return slice(lo, hi)


def _axes_in_rows(figure: Figure, rows: slice, height: int) -> list[Any]:
    """The axes whose box lies within ``rows``."""
    lo = rows.start or 0
    hi = height if rows.stop is None else rows.stop
    return [ax for ax, top, bottom in _axes_bands(figure, height) if top >= lo and bottom <= hi]


def static_sweep(
    explorer: str | Explorer,
    param: str,
    values: Iterable[Any],
    *,
    label: str | None = None,
    fmt: Callable[[Any], str] | None = None,
    start: int | None = None,
    alt: str | None = None,
    caption: str = "",
    crop: bool = True,
    **settings: Any,
) -> StaticSweep:
    """Pre-render an explorer over the values of one control, for pages without a kernel.

    Parameters
    ----------
    explorer : str or Explorer
        A name in :data:`nnmath.widgets.EXPLORERS`, or an explorer instance.
    param : str
        The control to sweep.
    values : iterable
        Values it takes, one frame each (keep it to about 10-25 frames: each adds
        to the page).
    label : str, optional
        Text before the slider; defaults to the control's description.
    fmt : callable, optional
        Formats a value for display; defaults to the control's readout format.
    start : int, optional
        Index of the frame shown first; defaults to the value nearest the
        control's current one.
    alt, caption : str
        Alt text of the image (defaults to the explorer's title) and a caption.
    crop : bool
        If True (the default), keep only the band of rows of panels that change
        over the sweep (for example the binary-loss row of ``cross_entropy`` when
        sweeping ``p``): smaller frames, and the reader sees what the slider moves.
        Panels in a row with a changing one are always kept whole.
    **settings
        Values for the other controls, when ``explorer`` is a name.

    Returns
    -------
    StaticSweep
        Displays as HTML; ``frames`` holds the PNG bytes.
    """
    from . import EXPLORERS

    if isinstance(explorer, str):
        if explorer not in EXPLORERS:
            raise ValueError(f"explorer must be one of {sorted(EXPLORERS)}, got {explorer!r}")
        ex = EXPLORERS[explorer](**settings)
    elif isinstance(explorer, Explorer):
        if settings:
            raise TypeError("settings are only accepted with an explorer name")
        ex = explorer
    else:
        raise TypeError(f"explorer must be a name or an Explorer, got {type(explorer).__name__}")
    if param not in ex.controls:
        raise ValueError(f"param must be one of {sorted(ex.controls)}, got {param!r}")
    control = ex.controls[param]
    values = list(values)
    if not values:
        raise ValueError("values must not be empty")
    initial = control.value
    if start is None:
        try:
            start = int(np.argmin([abs(float(v) - float(initial)) for v in values]))
        except (TypeError, ValueError):
            start = values.index(initial) if initial in values else 0
    if not 0 <= start < len(values):
        raise ValueError(f"start must be an index in [0, {len(values)}), got {start}")
    for value in values:  # all or nothing: refuse a bad value before drawing anything
        check_control_value(control, param, value)
    pixels = []
    try:
        for value in values:
            set_control(control, param, value)
            pixels.append(ex.render_rgba().copy())
    finally:
        control.value = initial
    rows = _changing_rows(ex.figure, pixels) if crop else slice(None)
    frames = [encode_png(p[rows], palette=True) for p in pixels]
    if alt is None:
        alt = ex.alt_text(_axes_in_rows(ex.figure, rows, pixels[0].shape[0]))
    formatter = fmt or (lambda v: _format_value(control, v))
    labels = tuple(formatter(v) for v in values)
    text = label if label is not None else (control.description or param)
    digest = hashlib.sha1(
        json.dumps([ex.name, param, labels, sorted(map(str, settings.items()))]).encode()
    ).hexdigest()[:10]
    return StaticSweep(
        explorer=ex.name,
        param=param,
        label=text,
        labels=labels,
        frames=tuple(frames),
        start=start,
        alt=alt,
        caption=caption,
        uid=f"nnmath-sweep-{digest}-{next(_sweep_counter)}",
    )
