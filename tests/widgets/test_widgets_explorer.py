"""The live explorer, for every explorer of the registry: built once, redrawn in place, exact.

Every explorer gets the generic checks: it builds with no arguments; every control at
its extremes gives finite, non-empty plots and no warnings; the PNG changes when a
control moves; the live widget follows; artists are made once; the partial redraw
equals a full one. The per-explorer files check the plotted values against formulas
written out in the tests.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from explorer_checks import assert_healthy, choices, moves_for, png_pixels
from matplotlib.figure import Figure
from matplotlib.text import Text

from nnmath.widgets import EXPLORERS, Explorer, Slider, explore

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(params=sorted(EXPLORERS))
def name(request: pytest.FixtureRequest) -> str:
    return request.param


def test_registry_holds_the_math_explorers() -> None:
    book = {"relu", "softmax", "cross_entropy", "softmax_cross_entropy", "training"}
    assert book <= set(EXPLORERS)
    for key, cls in EXPLORERS.items():
        assert cls.name == key
        assert issubclass(cls, Explorer)


def test_builds_with_no_arguments(name: str) -> None:
    ex = EXPLORERS[name]()
    assert isinstance(ex.controls, dict) and ex.controls
    assert list(ex.controls) == [c.name for c in ex.CONTROLS]
    assert isinstance(ex.figure, Figure)
    assert ex.title
    width, height = ex.figure.get_size_inches()
    assert width <= 8.5
    pixels = png_pixels(ex.render_png())
    assert pixels.shape == (round(height * ex.figure.dpi), round(width * ex.figure.dpi), 3)
    assert (pixels[0, 0] == 255).all(), "figures have an opaque white background"
    assert_healthy(ex)


def test_controls_follow_their_declarations(name: str) -> None:
    ex = EXPLORERS[name]()
    for declaration in ex.CONTROLS:
        control = ex.controls[declaration.name]
        assert control.description == declaration.label
        assert control.value == declaration.value
        if isinstance(declaration, Slider):
            assert (control.min, control.max, control.step) == (
                declaration.min,
                declaration.max,
                declaration.step,
            )
        else:
            assert [value for _, value in control.options] == declaration.values


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
        ex.set(key, value)
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

    before, animated = inventory(), ex.animated
    for key, value in moves_for(name, ex):
        ex.controls[key].value = value
        ex.render_png()
    assert inventory() == before
    assert ex.animated == animated
    assert animated, "an explorer registers the artists that change"


def test_redrawing_only_changed_panels_equals_redrawing_all(name: str) -> None:
    ex = EXPLORERS[name]()
    ex.render_rgba()
    for key, value in moves_for(name, ex):
        ex.controls[key].value = value
        partial = ex.render_rgba().copy()
        full = ex.render_rgba(full=True)
        assert (partial == full).all(), f"stale pixels after moving {key!r} to {value!r}"


def test_pixels_change_when_each_control_moves(name: str) -> None:
    ex = EXPLORERS[name]()
    for key, control in ex.controls.items():
        if getattr(control.layout, "display", None) == "none":
            continue  # hidden from the reader (an unused logit): nothing to show
        before = png_pixels(ex.render_png())
        value = next(v for v in reversed(choices(ex, key)) if v != control.value)
        control.value = value
        after = png_pixels(ex.render_png())
        assert before.shape == after.shape
        assert (before != after).any(), f"moving {key!r} changed nothing"


def widget_children(box: Any) -> list[Any]:
    """Every widget inside ``box``, depth first."""
    found = []
    for child in getattr(box, "children", ()):
        found.append(child)
        found.extend(widget_children(child))
    return found


def test_live_widget_image_follows_the_controls(name: str) -> None:
    import ipywidgets

    ex = EXPLORERS[name]()
    box = ex.widget
    assert isinstance(box, ipywidgets.VBox)
    assert ex.widget is box
    image = box.children[-1]
    assert isinstance(image, ipywidgets.Image) and image.format == "png"
    shown = widget_children(box.children[0])
    assert all(c in shown for c in ex.controls.values())
    control = next(iter(ex.controls.values()))
    key = next(iter(ex.controls))
    before = image.value
    control.value = next(v for v in reversed(choices(ex, key)) if v != control.value)
    assert image.value != before
    np.testing.assert_array_equal(png_pixels(image.value), png_pixels(ex.render_png()))


def test_a_declared_player_drives_its_slider(name: str) -> None:
    import ipywidgets

    ex = EXPLORERS[name]()
    players = [w for w in widget_children(ex.widget) if isinstance(w, ipywidgets.Play)]
    played = [c for c in ex.CONTROLS if isinstance(c, Slider) and c.play]
    assert len(players) == len(played)
    for player, declaration in zip(players, played, strict=True):
        assert (player.min, player.max) == (declaration.min, declaration.max)
        assert player.step == (declaration.play_step or declaration.step)
        assert player.value == ex.controls[declaration.name].value


def test_the_display_offers_the_live_widget_and_the_page_version(name: str) -> None:
    ex = EXPLORERS[name]()
    bundle = ex._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == ex.widget.model_id
    assert f'data-explorer="{name}"' in bundle["text/html"]


def test_unknown_control_is_refused(name: str) -> None:
    cls = EXPLORERS[name]
    with pytest.raises(TypeError, match="unknown control"):
        cls(no_such_control=1)


def test_explore_unknown_name_names_the_choices() -> None:
    with pytest.raises(ValueError, match="nope") as info:
        explore("nope")
    for key in EXPLORERS:
        assert key in str(info.value)


def test_set_refuses_silent_clamping() -> None:
    ex = explore("relu")
    with pytest.raises(ValueError, match="alpha"):
        ex.set("alpha", 2.0)
    with pytest.raises(ValueError, match="alpha"):
        explore("relu", alpha=-0.1)
    with pytest.raises(TypeError, match="real number"):
        ex.set("alpha", "a lot")
    with pytest.raises(ValueError, match="name must be one of"):
        ex.set("beta", 0.1)
    ex.set("alpha", 0.3)
    assert ex.controls["alpha"].value == 0.3
    with pytest.raises(ValueError, match="takes one of"):
        explore("cross_entropy").set("reduction", "median")
