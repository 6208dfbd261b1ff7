"""What the build trims from the pages (``_ext/offline_assets.py``) still shows right.

* Every Font Awesome icon that a page or a script names, and that the theme's own
  stylesheet defines, keeps its rule in the served stylesheet, and its glyph is in the
  served icon font (read with fontTools); so does every icon glyph that a stylesheet
  draws directly (admonition titles).
* Every figure PNG served is, pixel for pixel, within a trace of the PNG the notebook
  made (``_build/jupyter_execute``); the explorers' still pictures, SVG files that the
  explorers' view drew when the book was built (``_ext/page_explorers.py``), are each the
  picture one page's ``<noscript>`` shows.
* The code blocks, whose plain tokens lost their ``<span>`` (the served Pygments styles
  draw them in the block's own colour), still show each notebook cell's code verbatim,
  and no span of such a token is left.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from book_site import HTML, SOURCE, book_extension, chapter_docnames
from bs4 import BeautifulSoup
from PIL import Image

if not (HTML / "index.html").is_file():
    pytest.skip(f"no built book in {HTML}: run `make build` first", allow_module_level=True)

THEME_CSS = (
    Path(__import__("pydata_sphinx_theme").__file__).parent
    / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css"
)
THEME_FONTS = THEME_CSS.parents[1] / "vendor/fontawesome/webfonts"
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"\\([0-9a-f]{2,6})"\}')


def _icon_rules(css: str) -> dict[str, int]:
    rules = {}
    for selectors, code in ICON_RULE.findall(css):
        for selector in selectors.split(","):
            rules[selector.split(":")[0].lstrip(".")] = int(code, 16)
    return rules


def test_every_icon_in_use_keeps_its_rule_and_glyph() -> None:
    from fontTools.ttLib import TTFont

    used: set[str] = set()
    for path in [*HTML.rglob("*.html"), *(HTML / "_static").rglob("*.js")]:
        used |= set(re.findall(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*", path.read_text(errors="replace")))
    original = _icon_rules(THEME_CSS.read_text(encoding="utf-8"))
    served = _icon_rules((HTML / "_static/styles/pydata-sphinx-theme.css").read_text("utf-8"))
    icons = sorted(used & set(original))
    assert len(icons) >= 10, f"only {icons} found: is the theme still using Font Awesome?"
    fonts = HTML / "_static/vendor/fontawesome/webfonts"
    glyphs: set[int] = set()
    for font in fonts.glob("*.woff2"):
        glyphs |= set(TTFont(font).getBestCmap() or {})
    problems = [f"{name}: rule dropped" for name in icons if name not in served]
    problems += [
        f"{name}: U+{original[name]:04X} missing from the served icon fonts"
        for name in icons
        if original[name] not in glyphs
    ]
    # Glyphs that stylesheets draw without an fa- class (admonition titles and the like),
    # written as private-use characters or escapes: those the theme's font has are served.
    full = set(TTFont(THEME_FONTS / "fa-solid-900.woff2").getBestCmap())
    for sheet in (HTML / "_static").rglob("*.css"):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        codes = {ord(c) for c in text if 0xE000 <= ord(c) <= 0xF8FF}
        codes |= {int(c, 16) for c in re.findall(r"\\([0-9a-fA-F]{4,6})", text)}
        problems += [
            f"{sheet.name}: U+{code:04X} missing from the served icon fonts"
            for code in sorted(codes & full - glyphs)
        ]
    assert not problems, "\n".join(problems)
    assert len(served) < len(original) / 10, "the unused icon rules were not dropped"


#: The explorers' still pictures, written by _ext/page_explorers.py.
STILL_PICTURE = "explorer-*.svg"


def test_figures_look_as_the_notebooks_drew_them() -> None:
    """Each figure is served as the notebook drew it, at twice the resolution (``@2x``),
    and as that picture averaged over 2 x 2 blocks, its 1x picture: each within what a
    palette of 256 colours changes, and of the sizes those give."""
    sources = HTML.parent / "jupyter_execute"
    stills = set((HTML / "_images").glob(STILL_PICTURE))
    # The figures the pages show (an incremental build leaves old ones in _images).
    shown = {
        name
        for page in HTML.rglob("*.html")
        for name in re.findall(
            r'<img [^>]*src="[^"]*_images/([^"?/]+\.png)', page.read_text("utf-8")
        )
    }
    figures = sorted({HTML / "_images" / name for name in shown} - stills)
    assert figures, "no figure in _images"
    compared = 0
    for served in figures:
        source = sources / served.name
        if not source.is_file():
            continue
        drawn = Image.open(source).convert("RGB")
        assert round(Image.open(source).info["dpi"][0]) == 200, f"{served.name}: not drawn at 2x"
        # The independent 1x: the notebook's pixels, averaged in numpy over 2 x 2 blocks.
        a = np.asarray(drawn, dtype=np.float64)
        a = np.pad(a, ((0, a.shape[0] % 2), (0, a.shape[1] % 2), (0, 0)), mode="edge")
        one_x = a.reshape(a.shape[0] // 2, 2, a.shape[1] // 2, 2, 3).mean(axis=(1, 3))
        sharp = served.with_name(served.stem + "@2x.png")
        assert sharp.is_file(), f"{served.name}: no 2x picture"
        for picture, truth in ((sharp, np.asarray(drawn, dtype=np.float64)), (served, one_x)):
            b = np.asarray(Image.open(picture).convert("RGB"), dtype=np.float64)
            assert truth.shape == b.shape, f"{picture.name}: size {b.shape}, not {truth.shape}"
            error = np.abs(truth - b)
            assert error.max() <= 65 and error.mean() <= 0.5, (
                f"{picture.name}: pixels changed by up to {error.max():.0f}, "
                f"{error.mean():.3f} on average"
            )
        compared += 1
    assert compared == len(figures), f"only {compared} of {len(figures)} figures have a source"


def test_each_still_picture_is_shown_by_a_page() -> None:
    stills = {path.name for path in (HTML / "_images").glob(STILL_PICTURE)}
    assert stills, "no explorer still picture in _images"
    shown: dict[str, int] = {}
    for page in HTML.rglob("*.html"):
        for src in re.findall(r'<noscript><img src="([^"]+)"', page.read_text(encoding="utf-8")):
            target = (page.parent / src.split("?")[0]).resolve()
            assert target.is_file(), f"{page.name}: still picture {src} is missing"
            shown[target.name] = shown.get(target.name, 0) + 1
    assert set(shown) == stills, f"pictures no page shows: {sorted(stills - set(shown))}"
    for name in stills:
        svg = (HTML / "_images" / name).read_text(encoding="utf-8")
        size = re.search(r'^<svg xmlns="[^"]+" viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg)
        assert size and min(float(v) for v in size.groups()) >= 100, f"{name}: {svg[:120]}"
        assert "<script" not in svg and "http" + "s:" not in svg, f"{name}: a script or a link"


def test_code_blocks_keep_every_character_of_the_notebooks_code() -> None:
    assets = book_extension("offline_assets")
    plain = assets.plain_token_classes((HTML / "_static/pygments.css").read_text(encoding="utf-8"))
    assert {"n", "p"} <= plain, f"the theme's styles colour names or brackets: {sorted(plain)}"
    for doc in chapter_docnames():
        notebook = nbformat.read(SOURCE / f"{doc}.ipynb", as_version=4)
        sources = [c.source.strip() for c in notebook.cells if c.cell_type == "code"]
        if not sources:
            continue  # a page of prose (the frameworks appendix, for now)
        soup = BeautifulSoup((HTML / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        blocks = soup.select("div.cell div.cell_input div.highlight pre")
        assert len(blocks) >= 5, f"{doc}: {len(blocks)} code cells shown"
        for pre in blocks:
            left = [s["class"][0] for s in pre.find_all("span") if s.get("class", [""])[0] in plain]
            assert not left, f"{doc}: plain token spans left: {left[:5]}"
            code = pre.get_text().strip()
            assert code in sources, f"{doc}: code changed: {code[:80]!r}"


def _figure_png(path: Path, ncols: int, legend_below: bool = False, nrows: int = 1) -> Path:
    """A figure drawn as the chapters draw theirs: side-by-side panels with titles, axis
    labels and tick labels (nnmath.plots), optionally a legend under all of them."""
    from nnmath.plots import new_figure, style_axes

    fig, axes = new_figure(nrows=nrows, ncols=ncols, figsize=(4.2 * ncols, 3.3 * nrows))
    for k, ax in enumerate(np.ravel(axes)):
        ax.plot([0, 1, 2], [k, k + 1, k], label=f"line {k}")
        style_axes(ax, xlabel="x", ylabel=f"quantity {k}", title=f"panel {k + 1}")
    if legend_below:
        fig.legend(loc="lower center", ncols=6, bbox_to_anchor=(0.5, -0.12))
    fig.savefig(path, dpi=100, bbox_inches="tight")  # new_figure is outside pyplot
    return path


def _figure_3d_png(path: Path) -> Path:
    """Chapter 2's kind of figure: a 3-D plot, then a panel drawn without axes."""
    from nnmath.plots import new_figure

    fig, (left, right) = new_figure(ncols=2, figsize=(8.2, 4.6))
    fig.get_layout_engine().set(wspace=0.1)
    left.remove()
    left = fig.add_subplot(1, 2, 1, projection="3d")
    left.plot([0, 1, 2], [0, 1, 2], [0, 3, 6])
    left.set_xlabel("z1")
    left.set_ylabel("z2")
    left.set_zlabel("z3")
    right.plot([0, 1, 0.5, 0], [0, 0, 0.9, 0])
    right.text(0, -0.1, "class 1", ha="center")
    right.axis("off")
    fig.savefig(path, dpi=100, bbox_inches="tight")
    return path


def test_a_figure_is_cut_into_its_panels_with_their_labels(tmp_path: Path) -> None:
    """Each panel of a cut figure holds its own y-axis label and tick labels (they lie to
    its left) and its title and x-axis label; nothing is cut from a shared legend."""
    assets = book_extension("offline_assets")
    two = _figure_png(tmp_path / "two.png", 2)
    panels = assets.figure_panels(two)
    assert len(panels) == 2
    pixels = np.asarray(Image.open(two).convert("RGB"), dtype=np.int16)
    ink = np.abs(pixels - pixels[0, 0]).max(axis=2) > 8
    columns = np.flatnonzero(ink.any(axis=0))
    left, right = panels
    assert left[0] <= columns[0] and right[2] >= columns[-1] + 1  # nothing left out
    # The cut lies in blank columns, and each panel holds, left to right, its y-axis
    # label, its tick labels and its axes: three runs of ink (the second panel's label
    # must not go to the first, whose right side it sits closer to).
    assert not ink[:, left[2] - assets.PAD : right[0] + assets.PAD].any()
    for panel in panels:
        runs = assets._content_runs(~ink[:, panel[0] : panel[2]].any(axis=0), assets.MIN_GAP)
        assert len(runs) == 3, f"panel {panel}: runs of ink {runs}"
    assert all(p[3] - p[1] > 0.8 * pixels.shape[0] for p in panels)  # titles to x labels
    # A 3-D plot labels its third axis on its right: that label stays with it.
    three_d = assets.figure_panels(_figure_3d_png(tmp_path / "three_d.png"))
    assert len(three_d) == 2
    pixels = np.asarray(Image.open(tmp_path / "three_d.png").convert("RGB"), dtype=np.int16)
    ink = np.abs(pixels - pixels[0, 0]).max(axis=2) > 8
    runs = assets._content_runs(~ink.any(axis=0), assets.MIN_GAP)
    z_label = runs[-2]  # the last narrow piece before the flat panel
    assert z_label[1] - z_label[0] < assets.MIN_PANEL
    assert three_d[0][2] >= z_label[1] and three_d[1][0] >= z_label[1]
    grid = assets.figure_panels(_figure_png(tmp_path / "grid.png", 2, nrows=2))
    assert len(grid) == 4 and grid[0][1] == grid[1][1] < grid[2][1] == grid[3][1]  # by rows
    # Two columns, each a title and legend over a plot (as the 3-D figures are drawn): the
    # same rows in each column, but the titles are no panels, so each column is one.
    canvas = np.full((320, 440, 3), 255, np.uint8)
    for left in (10, 230):
        canvas[10:75, left : left + 180] = 0  # title and legend
        canvas[95:300, left : left + 200] = 0  # the plot
    Image.fromarray(canvas).save(tmp_path / "titled.png")
    titled = assets.figure_panels(tmp_path / "titled.png")
    assert [(top, bottom) for _, top, _, bottom in titled] == [(7, 303), (7, 303)], titled
    assert not assets.figure_panels(_figure_png(tmp_path / "one.png", 1))
    assert not assets.figure_panels(_figure_png(tmp_path / "shared.png", 2, legend_below=True))
