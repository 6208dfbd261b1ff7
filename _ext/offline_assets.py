"""Make every page of the book load its scripts, styles and fonts from the book itself.

A default Jupyter Book build names scripts on third-party hosts and ships a few heavy
assets a reader never needs. (The math is rendered at build time by ``build_time_math``.)
This local Sphinx extension, listed in ``_config.yml``, does the rest at build time:

* replaces the theme's ``scripts/fontawesome.js`` (1.5 MB: every Font Awesome icon as
  inline SVG) with an empty script. The theme's stylesheet already draws the same
  icons from the woff2 webfonts it serves, so the page looks the same and is lighter.
* drops the ipywidgets state that myst-nb embeds in a page. The live explorers need a
  kernel, their outputs are removed from the HTML and no widget manager is loaded,
  so the state (which holds each widget's PNG) would be dead weight.
* when the thebe launch button is off, drops sphinx-thebe's scripts and stylesheet
  (they name a CDN copy of thebe, and the extension adds its inline configuration
  twice, which is a "redeclared const" error in every page), and removes duplicate
  inline scripts.

It writes ``index.html``, the page that sends a reader on to the first page, as a whole
page with the book's icon (without one the browser asks for ``/favicon.ico``: a 404).

It also cuts what a reader's browser would fetch for nothing:

* sphinx-design's stylesheet and tab script (62 KB) on pages that use none of its
  components;
* Sphinx's search scripts and the whole search index on every page but the search page
  (``_ext/templates/layout.html``): the theme loads them everywhere for its
  search-as-you-type box, which is off;
* the icon font: the theme's stylesheet carries a rule for each of Font Awesome's ~2000
  icons and its fonts every glyph (160 KB for the solid face alone). After the build,
  only the rules of the icons that a page or a script of the book names are kept, and
  the fonts are cut down to those glyphs and to the ones stylesheets draw directly
  (admonition titles, for one) (fontTools);
* the theme's styles: its stylesheets lose every rule whose selector needs a class that
  no page names and no script could add (about two thirds of pydata-sphinx-theme's);
* the figures' size on a phone: each figure gets its natural size, and a box of its own
  that lets it keep a legible size (at least 72 %, text of 9 px) and scroll sideways on
  a narrow screen, instead of shrinking to a third; a figure of side-by-side panels is
  also cut into them (the same picture, once a panel), which a narrow screen shows one
  under another;
* the figures' weight: an opaque PNG figure becomes a 256-colour palette PNG when that
  changes no pixel by more than a trace (matplotlib's flat colours and anti-aliased
  edges fit in a palette), which makes it about a third of the size;
* the code's weight: Pygments wraps every name, bracket and run of spaces of a code
  block in its own ``<span>``, though the served styles draw those tokens in the block's
  own colour in both themes. Those spans are taken out (the text stays), which leaves a
  chapter about a sixth fewer elements to parse and 40-60 KB lighter; and neighbouring
  tokens drawn alike in both themes (a string's prefix, quotes and braces) become one
  span;
* the theme's check of every code block's scroll size at the load event, which can lay
  out the whole page once more inside the load event's task; ``_static/nnmath-a11y.js``
  gives the same tab stops to scrollable blocks, display math and solutions opened later
  included, from a ResizeObserver.

And it lets the reader's browser breathe while a page starts: the theme's start-up
functions, which ran in one task (the longest of a chapter's load, as one of them lays
out the whole page), each run in a task of their own.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"

FONTAWESOME_STUB = (
    "/* Intentionally empty: the theme's CSS draws the Font Awesome icons from the\n"
    "   webfonts in _static/vendor/fontawesome, so the 1.5 MB SVG script is not shipped. */\n"
)


def stub_fontawesome(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    script = static / "scripts" / "fontawesome.js"
    webfonts = static / "vendor" / "fontawesome" / "webfonts"
    # Only when the theme serves the webfonts that draw the icons without the script.
    if script.is_file() and any(webfonts.glob("*.woff2")):
        script.write_text(FONTAWESOME_STUB, encoding="utf-8")


#: The theme's script, which the book edits after the build (see ``THEME_PATCHES``).
THEME_SCRIPT = "scripts/pydata-sphinx-theme.js"

#: In the theme's script, the call that, at the load event, reads the scroll size of every
#: code block and cell output of the page (to give the scrollable ones a tab stop), and
#: sets up the same reading after every change to the article's DOM. When the layout is
#: not up to date at that moment (an image or a font just arrived), the read lays out the
#: whole page inside the load event's task: 59 ms in one of four traced loads of chapter
#: 2, none in four without it. It also gives no tab stop to display math, nor to a block
#: inside a solution that is opened later (it has no size at load).
THEME_LOAD_CALL = '"complete"===document.readyState?I():window.addEventListener("load",I)'
#: What replaces it: nothing. ``_static/nnmath-a11y.js`` gives those tab stops from a
#: ResizeObserver, which reports each block once it is laid out and again when its size
#: changes.
THEME_NO_CALL = "void 0/* tab stops of scrollable blocks: _static/nnmath-a11y.js */"

#: The theme's ``documentReady``: it runs each of its start-up functions (the sidebar's
#: scroll, the theme switch, the search buttons, the table of contents...) at once when
#: its deferred script runs, all in one task. That was the longest main-thread task of a
#: chapter's load: the sidebar's scroll reads the layout, which styles and lays out the
#: whole chapter (57 ms of a 100 ms task in a trace of chapter 1).
THEME_READY = (
    'function e(e){"loading"!=document.readyState?e():'
    'document.addEventListener("DOMContentLoaded",e)}'
)
#: What replaces it: the same functions, each in a task of its own. The same work is done
#: before the load event, and the browser can answer the reader between them: the
#: longest task before the load event fell from 89-112 ms to 51-71 ms (medians of 9 cold
#: loads, two runs).
THEME_READY_YIELDING = (
    'function e(e){"loading"!=document.readyState?setTimeout(e):'
    'document.addEventListener("DOMContentLoaded",()=>setTimeout(e))}'
)

#: Each edit of the theme's script: what it replaces, with what, what the script must
#: still do for the edit to apply, and the constant to update when it no longer does.
THEME_PATCHES = (
    (
        THEME_LOAD_CALL,
        THEME_NO_CALL,
        "makes the scroll check that nnmath-a11y.js replaces",
        "THEME_LOAD_CALL",
    ),
    (
        THEME_READY,
        THEME_READY_YIELDING,
        "has the documentReady that the book splits into tasks",
        "THEME_READY",
    ),
)


def patch_theme_script(app: Sphinx, exception: Exception | None) -> None:
    """Make the edits of :data:`THEME_PATCHES` to the theme's script, once each (a
    rebuild finds them made). A theme whose script no longer has what an edit replaces
    stops the build, naming the constant to update."""
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir) / "_static" / THEME_SCRIPT
    text = script.read_text(encoding="utf-8")
    for original, replacement, still, constant in THEME_PATCHES:
        if replacement in text:
            continue
        if text.count(original) != 1:
            raise ExtensionError(
                f"{script.name} no longer {still}; update {constant} in _ext/offline_assets.py"
            )
        text = text.replace(original, replacement)
    script.write_text(text, encoding="utf-8")


def drop_widget_state(app: Sphinx, pagename: str, *args: Any) -> None:
    metadata = getattr(app.env, "nb_metadata", {}).get(pagename, {})
    metadata.get("js_files", {}).pop("ipywidgets_state", None)


def _thebe_enabled(app: Sphinx) -> bool:
    options = app.config.html_theme_options or {}
    return bool((options.get("launch_buttons") or {}).get("thebe"))


def tidy_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], *args: Any
) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    without_thebe = not _thebe_enabled(app)
    kept, seen = [], set()
    for script in scripts:
        name = str(getattr(script, "filename", "") or "")
        body = getattr(script, "attributes", {}).get("body", "")
        if without_thebe and ("thebe" in name or "THEBE_JS_URL" in body):
            continue
        key = (name, body)
        if key in seen:
            continue
        seen.add(key)
        kept.append(script)
    scripts[:] = kept  # in place: Sphinx restores the list before the next page
    styles = context.get("css_files")
    if without_thebe and isinstance(styles, list):
        styles[:] = [css for css in styles if "thebe" not in str(getattr(css, "filename", ""))]
    # sphinx-design's files, on a page that uses none of its components (class "sd-...").
    if not re.search(r'class="(?:[^"]*\s)?sd-', str(context.get("body", ""))):
        unused = ("sphinx-design", "design-tabs.js")
        scripts[:] = [js for js in scripts if not _named(js, unused)]
        if isinstance(styles, list):
            styles[:] = [css for css in styles if not _named(css, unused)]


def _named(asset: Any, names: tuple[str, ...]) -> bool:
    filename = str(getattr(asset, "filename", "") or "")
    return any(name in filename for name in names)


# -- the icon font ------------------------------------------------------------------
THEME_CSS = "styles/pydata-sphinx-theme.css"
FONTAWESOME_FONTS = "vendor/fontawesome/webfonts"
#: One icon rule of the theme's stylesheet: `.fa-a:before,.fa-b:before{content:"\f0c9"}`.
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"\\([0-9a-f]{2,6})"\}')
ICON_NAME = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")


def icons_in_use(outdir: Path) -> set[str]:
    """Every ``fa-...`` name in the built pages and in the scripts they load."""
    names: set[str] = set()
    for path in [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]:
        names.update(ICON_NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def trim_icon_font(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    css_path, fonts = static / THEME_CSS, static / FONTAWESOME_FONTS
    if not css_path.is_file() or not fonts.is_dir():
        return
    used = icons_in_use(Path(app.outdir))
    css = css_path.read_text(encoding="utf-8")
    kept: set[int] = set()

    def keep_if_used(match: re.Match[str]) -> str:
        names = {name.split(":")[0].lstrip(".") for name in match.group(1).split(",")}
        if names & used:
            kept.add(int(match.group(2), 16))
            return match.group(0)
        return ""

    trimmed = ICON_RULE.sub(keep_if_used, css)
    if not kept:  # the stylesheet changed shape: leave it and the fonts alone
        logger.warning("no icon rule recognised in the theme's stylesheet", type="offline")
        return
    css_path.write_text(trimmed, encoding="utf-8")
    # Icons that stylesheets draw without an fa- class (admonition titles, dropdowns...):
    # every private-use character or escape left in any stylesheet keeps its glyph.
    for sheet in static.rglob("*.css"):
        kept |= private_use_codepoints(sheet.read_text(encoding="utf-8", errors="replace"))
    for font in sorted(fonts.glob("*.woff2")) + sorted(fonts.glob("*.ttf")):
        subset_font(font, kept)
    logger.info(
        f"icon font: {len(kept)} icons kept; stylesheet {len(css) // 1000} -> "
        f"{len(trimmed) // 1000} KB"
    )


def private_use_codepoints(css: str) -> set[int]:
    """Unicode private-use code points (where icon fonts put their glyphs) in ``css``,
    written as characters or as CSS escapes."""
    found = {ord(char) for char in css if 0xE000 <= ord(char) <= 0xF8FF}
    found |= {int(code, 16) for code in re.findall(r"\\([0-9a-fA-F]{4,6})", css)}
    return {code for code in found if 0xE000 <= code <= 0xF8FF}


def subset_font(path: Path, codepoints: set[int]) -> None:
    """Cut ``path`` down, in place, to the glyphs of ``codepoints`` (those it has)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    options = subset.Options()
    options.flavor = "woff2" if path.suffix == ".woff2" else None
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints & set(font.getBestCmap() or {}))
    subsetter.subset(font)
    font.flavor = options.flavor
    font.save(path)


# -- the theme's stylesheets ------------------------------------------------------------
#: The theme's stylesheets, cut down to the rules the book can use.
TRIMMED_STYLESHEETS = ("styles/pydata-sphinx-theme.css", "styles/sphinx-book-theme.css")
#: A class in a selector; the part of a selector inside :not(...), which needs no class.
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
NEGATION = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")
#: Words of a script: any of them may be a class name the script adds to an element.
SCRIPT_WORD = re.compile(r"[_a-zA-Z][\w-]*")


def classes_in_use(outdir: Path) -> set[str]:
    """Every class a page names, and every word of every script (which may add one)."""
    names: set[str] = set()
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for value in re.findall(r'class="([^"]*)"', text):
            names.update(value.split())
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.S):
            names.update(SCRIPT_WORD.findall(script))
    for script in (outdir / "_static").rglob("*.js"):
        names.update(SCRIPT_WORD.findall(script.read_text(encoding="utf-8", errors="replace")))
    return names


def split_selectors(prelude: str) -> list[str]:
    """The selectors of a rule's comma-separated list (commas inside parentheses stay).

    >>> split_selectors(".a:not(.b, .c) > p, .d")
    ['.a:not(.b, .c) > p', '.d']
    """
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i].strip())
            start = i + 1
    parts.append(prelude[start:].strip())
    return [part for part in parts if part]


def selector_can_match(selector: str, used: set[str]) -> bool:
    """False only if the selector needs a class that nothing in the book uses.

    >>> used = {"bd-article", "highlight"}
    >>> selector_can_match(".bd-article .highlight pre", used)
    True
    >>> selector_can_match(".bd-article .sd-tab-set", used)
    False
    >>> selector_can_match(".highlight:not(.sd-card)", used)  # :not() needs no class
    True
    >>> selector_can_match(".a:is(.b, .highlight)", used)  # :is(), :where(), :has(): kept
    True
    """
    if re.search(r":(?:is|where|has|matches)\(", selector):
        return True
    return all(name in used for name in SELECTOR_CLASS.findall(NEGATION.sub("", selector)))


def trim_rules(rules: list[Any], used: set[str]) -> str:
    import tinycss2

    kept: list[str] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = split_selectors(tinycss2.serialize(rule.prelude))
            selectors = [s for s in selectors if selector_can_match(s, used)]
            if selectors:
                kept.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule":
            grouping = rule.lower_at_keyword in ("media", "supports", "layer", "container")
            if grouping and rule.content is not None:
                inner = tinycss2.parse_blocks_contents(rule.content)
                body = trim_rules(inner, used)
                if body:
                    prelude = tinycss2.serialize(rule.prelude)
                    kept.append(f"@{rule.at_keyword}{prelude}{{{body}}}")
            else:
                kept.append(tinycss2.serialize([rule]))
    return "".join(kept)


def trim_stylesheet(css: str, used: set[str]) -> str:
    """``css`` without the rules (and the selectors of a list) that need a class nothing
    in the book uses.

    >>> trim_stylesheet("@media (min-width: 1px) { .x, .y p { color: red } } .z { top: 0 }", {"y"})
    '@media (min-width: 1px) {.y p{ color: red }}'
    """
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return ascii_css(trim_rules(rules, used))


def ascii_css(css: str) -> str:
    r"""``css`` with every character outside ASCII written as a CSS escape, as the theme
    writes its icons' code points (the parser hands them back as characters).

    >>> print(ascii_css('.fa-bars:before{content:"\uf0c9"} .x:after{content:"\u2192a"}'))
    .fa-bars:before{content:"\f0c9"} .x:after{content:"\2192 a"}
    """

    def escape(match: re.Match[str]) -> str:
        code = "\\" + f"{ord(match.group(1)):x}"
        following = match.group(2)
        # A hex digit or a space right after an escape would be read as part of it.
        return code + (" " if following and re.match(r"[0-9a-fA-F\s]", following) else "")

    return re.sub(r"([^\x00-\x7f])(?=(.?))", escape, css, flags=re.S)


def trim_theme_styles(app: Sphinx, exception: Exception | None) -> None:
    """Cut the theme's stylesheets down to the rules the book can use.

    pydata-sphinx-theme's stylesheet carries Bootstrap's and the theme's rules for every
    component either offers; a page applies few of them, yet the browser matches every
    element of a page against all of them before it can lay the page out. A rule stays
    if each class its selector needs appears in some page or in some script (a script
    may add it); the rest, about two thirds, go.
    """
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    used = classes_in_use(Path(app.outdir))
    for name in TRIMMED_STYLESHEETS:
        path = static / name
        if not path.is_file():
            continue
        css = path.read_text(encoding="utf-8")
        trimmed = trim_stylesheet(css, used)
        path.write_text(trimmed, encoding="utf-8")
        logger.info(f"{name}: {len(css) // 1000} -> {len(trimmed) // 1000} KB")


# -- figures ---------------------------------------------------------------------------
#: The largest change a palette may make to a channel of one pixel, and on average.
PALETTE_MAX_ERROR, PALETTE_MEAN_ERROR = 64, 0.25


def palette_png(path: Path) -> bool:
    """Rewrite an opaque RGB(A) PNG with 256 colours if that keeps it visually the same."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as image:
        image.load()
        if image.mode not in ("RGB", "RGBA"):
            return False
        if image.mode == "RGBA" and image.getchannel("A").getextrema() != (255, 255):
            return False
        rgb = image.convert("RGB")
    # A pass of k-means after the median cut keeps thin coloured lines on antialiased
    # backgrounds close (a 3-D plot's shaded panes need it).
    palette = rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE, kmeans=1)
    error = np.abs(np.asarray(rgb, np.int16) - np.asarray(palette.convert("RGB"), np.int16))
    if error.max() > PALETTE_MAX_ERROR or error.mean() > PALETTE_MEAN_ERROR:
        return False
    buffer = io.BytesIO()
    palette.save(buffer, "PNG", optimize=True)
    if buffer.tell() >= path.stat().st_size:
        return False
    path.write_bytes(buffer.getvalue())
    return True


#: A figure's resolution when shown at its natural size (nnmath.plots draws at this dpi
#: times its PIXEL_RATIO, and records the dpi it drew at in the PNG).
SHOWN_DPI = 100


def sharp_name(name: str, ratio: int) -> str:
    """The file name of a figure's picture for a screen of ``ratio`` pixels per CSS pixel.

    >>> sharp_name("ab12.png", 2)
    'ab12@2x.png'
    """
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}@{ratio}x{dot}{suffix}"


def halve_figure(path: Path) -> int:
    """Make the 1x picture of a figure drawn at a higher resolution; return that ratio.

    A figure drawn at ``r`` times :data:`SHOWN_DPI` (its PNG's pHYs says so) is kept as
    ``name@rx.png``, for a screen of ``r`` pixels per CSS pixel, and ``name.png`` becomes
    the picture averaged over ``r`` x ``r`` blocks, the one every other screen loads: the
    same size on screen, at a quarter of the bytes for ``r = 2``. A picture already at
    1x (one this step wrote, or any other) is left as it is, and 1 is returned.
    """
    from PIL import Image

    with Image.open(path) as image:
        ratio = round(image.info.get("dpi", (SHOWN_DPI,))[0] / SHOWN_DPI)
        if ratio < 2:
            return 1
        image.load()
        path.with_name(sharp_name(path.name, ratio)).write_bytes(path.read_bytes())
        # Block averages, the picture as a screen of 1 pixel per CSS pixel would show the
        # sharp one; a partial block at an odd edge counts as one pixel (width rounded up).
        image.reduce(ratio).save(path, "PNG", dpi=(SHOWN_DPI, SHOWN_DPI))
    return ratio


def shrink_figures(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    images = Path(app.outdir) / "_images"
    drawn = sorted(p for p in images.glob("*.png") if "@" not in p.stem) if images.is_dir() else []
    halved = sum(halve_figure(path) > 1 for path in drawn)
    if halved:
        logger.info(f"figures: {halved} drawn at 2x, each given its 1x picture beside it")
    before = after = 0
    for path in sorted(images.glob("*.png")) if images.is_dir() else []:
        size = path.stat().st_size
        before += size
        palette_png(path)
        after += path.stat().st_size
    if before:
        logger.info(f"figures: {before // 1000} -> {after // 1000} KB")


#: A rule of the served pygments.css: the theme, the selector after ``.highlight``, the body.
PYGMENTS_RULE = re.compile(r'html\[data-theme="(\w+)"\] \.highlight(?: \.(\w+))?\s*\{([^}]*)\}')
#: A code block as Sphinx writes it, and a token span inside it (tokens never nest).
CODE_BLOCK = re.compile(r'(<div class="highlight"><pre>)(.*?)(</pre></div>)', re.S)
TOKEN = re.compile(r'<span class="(\w+)">([^<]*)</span>')


def plain_token_classes(pygments_css: str) -> set[str]:
    r"""The token classes that every theme draws exactly as the code block's own text.

    >>> css = (
    ...     'html[data-theme="light"] .highlight { background: #fff; color: #080808 }\n'
    ...     'html[data-theme="light"] .highlight .n { color: #080808 }\n'
    ...     'html[data-theme="light"] .highlight .k { color: #080808; font-weight: bold }\n'
    ...     'html[data-theme="dark"] .highlight { background: #222; color: #F8F8F2 }\n'
    ...     'html[data-theme="dark"] .highlight .n { color: #f8f8f2 }\n'
    ...     'html[data-theme="dark"] .highlight .k { color: #F8F8F2 }\n'
    ... )
    >>> sorted(plain_token_classes(css))
    ['n']
    """
    base = {
        theme: next((d for d in _declarations(body).split("; ") if d.startswith("color:")), "")
        for theme, token, body in PYGMENTS_RULE.findall(pygments_css)
        if not token
    }
    if not base:
        return set()
    return {token for token, look in token_looks(pygments_css).items() if dict(look) == base}


def _declarations(body: str) -> str:
    """A rule's declarations, written one way (spaces, case, the last semicolon)."""
    return " ".join(body.split()).strip(" ;").lower()


def unwrap_plain_tokens(html: str, plain: set[str]) -> tuple[str, int]:
    """Take the spans of ``plain`` token classes out of the code blocks of ``html``.

    >>> code = '<span class="n">x</span><span class="o">=</span><span class="n">f</span>'
    >>> page = f'<div class="highlight"><pre>{code}(1)</pre></div><span class="n">y</span>'
    >>> page, count = unwrap_plain_tokens(page, {"n", "p"})
    >>> page.removesuffix('<span class="n">y</span>'), count  # outside a code block: kept
    ('<div class="highlight"><pre>x<span class="o">=</span>f(1)</pre></div>', 2)
    """
    count = 0

    def token(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(1) not in plain:
            return match.group(0)
        count += 1
        return match.group(2)

    def block(match: re.Match[str]) -> str:
        return match.group(1) + TOKEN.sub(token, match.group(2)) + match.group(3)

    return CODE_BLOCK.sub(block, html), count


def token_looks(pygments_css: str) -> dict[str, tuple[tuple[str, str], ...]]:
    r"""How each token class is drawn: its declarations in every theme, in theme order.
    Two classes drawn alike in every theme look the same.

    >>> css = (
    ...     'html[data-theme="light"] .highlight .s2 { color: #00622F }\n'
    ...     'html[data-theme="light"] .highlight .o { color: #00622f }\n'
    ...     'html[data-theme="dark"] .highlight .s2 { color: #ABE338 }\n'
    ...     'html[data-theme="dark"] .highlight .o { color: #ABE338; }\n'
    ... )
    >>> token_looks(css)["o"] == token_looks(css)["s2"]
    True
    """
    rules: dict[str, dict[str, str]] = {}
    for theme, token, body in PYGMENTS_RULE.findall(pygments_css):
        if token:
            rules.setdefault(token, {})[theme] = _declarations(body)
    return {token: tuple(sorted(by_theme.items())) for token, by_theme in rules.items()}


def merge_alike_tokens(html: str, looks: dict[str, tuple[tuple[str, str], ...]]) -> tuple[str, int]:
    """Join, in the code blocks of ``html``, neighbouring token spans drawn alike in every
    theme (a string's prefix, quotes and interpolation braces, say) into one span, with
    the spaces between them: the block looks the same with fewer elements.

    >>> looks = {"sa": (("dark", "color: #abe338"),), "s2": (("dark", "color: #abe338"),),
    ...          "mi": (("dark", "color: #ffd900"),)}
    >>> code = ('<span class="sa">f</span><span class="s2">&quot;a</span> '
    ...         '<span class="s2">b&quot;</span><span class="mi">1</span>')
    >>> merge_alike_tokens(f'<div class="highlight"><pre>{code}</pre></div>', looks)
    ('<div class="highlight"><pre><span class="sa">f&quot;a b&quot;</span>\
<span class="mi">1</span></pre></div>', 2)
    """
    count = 0

    def block(match: re.Match[str]) -> str:
        nonlocal count
        tokens = TOKEN_OR_TEXT.findall(match.group(2))
        out: list[str] = []
        run_class, run_text, spaces = "", "", ""
        for cls, text, other in tokens:
            if cls and run_class and looks.get(cls) and looks.get(cls) == looks.get(run_class):
                run_text += spaces + text
                spaces = ""
                count += 1
                continue
            if cls:
                if run_class:
                    out.append(f'<span class="{run_class}">{run_text}</span>')
                out.append(spaces)
                run_class, run_text, spaces = cls, text, ""
            elif run_class and other.isspace():
                spaces += other
            else:
                if run_class:
                    out.append(f'<span class="{run_class}">{run_text}</span>')
                out.append(spaces + other)
                run_class, run_text, spaces = "", "", ""
        if run_class:
            out.append(f'<span class="{run_class}">{run_text}</span>')
        out.append(spaces)
        return match.group(1) + "".join(out) + match.group(3)

    return CODE_BLOCK.sub(block, html), count


#: A code block's content, piece by piece: a token span (class, text), or anything else.
TOKEN_OR_TEXT = re.compile(r'<span class="(\w+)">([^<]*)</span>|([^<]+|<[^>]*>)')


def plain_code(app: Sphinx, exception: Exception | None) -> None:
    """Unwrap, in every page, the code tokens drawn in the code block's own colour, and
    join neighbouring tokens drawn alike."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    css = outdir / "_static" / "pygments.css"
    styles = css.read_text(encoding="utf-8") if css.is_file() else ""
    plain, looks = plain_token_classes(styles), token_looks(styles)
    if not plain:
        return
    unwrapped = joined = 0
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new, count = unwrap_plain_tokens(text, plain)
        new, merged = merge_alike_tokens(new, looks)
        if count or merged:
            page.write_text(new, encoding="utf-8")
            unwrapped, joined = unwrapped + count, joined + merged
    logger.info(
        f"code: {unwrapped} spans of the plain tokens {sorted(plain)} unwrapped,"
        f" {joined} joined to a neighbour drawn alike"
    )


#: A figure in a page: an ``<img>`` of a PNG in ``_images/``, not yet sized (a sized one
#: carries ``data-figure``, a panel cut from one ``data-figure-panel``, so that a page
#: written by an earlier build is left as it is).
FIGURE_IMG = re.compile(
    r'<img (?![^>]*data-figure)[^>]*src="(?:\.\./)*_images/([^"?/]+\.png)"[^>]*>'
)


#: Splitting a figure into its panels: a gap between two columns is a band of blank pixel
#: columns at least MIN_GAP wide through the whole figure (the space between two words of
#: a label, "class 2 (true)", can be 3 px of blank); a piece narrower than
#: MIN_PANEL (an axis label, tick labels) joins a panel beside it (:func:`_columns`); a
#: row shorter than MIN_ROW (a title, the x-axis labels) joins its nearer neighbour. Each
#: panel keeps PAD pixels around its content. A figure is split only when every panel is
#: at most MAX_PANEL wide: shown in a phone's 342 px column at 72 % of its size or more.
MIN_GAP, MIN_PANEL, MIN_ROW, MAX_PANEL, PAD = 4, 100, 60, 475, 3


def _content_runs(blank: Any, min_gap: int) -> list[tuple[int, int]]:
    """The runs of False in ``blank``, joined across gaps narrower than ``min_gap``."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, empty in enumerate([*blank.tolist(), True]):
        if not empty and start is None:
            start = i
        elif empty and start is not None:
            if runs and start - runs[-1][1] < min_gap:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((start, i))
            start = None
    return runs


def _columns(pieces: list[tuple[int, int]], least: int) -> list[tuple[int, int]]:
    """The panels' columns: each piece at least ``least`` wide (a panel's axes), with the
    narrower pieces around it (axis labels, tick labels).

    Between two panels the narrow pieces go to the panel on their right, whose y axis they
    label, when the first panel has such pieces on its left too (2-D axes); when it has
    none (a 3-D plot, which labels its axes below and on its right), to the panel on
    their left. Pieces before the first panel join it; those after the last, the last.
    """
    wide = [i for i, (left, right) in enumerate(pieces) if right - left >= least]
    if not wide:
        return [(pieces[0][0], pieces[-1][1])] if pieces else []
    labelled_on_the_left = wide[0] > 0
    starts = [0] + [a + 1 if labelled_on_the_left else b for a, b in itertools.pairwise(wide)]
    ends = [s - 1 for s in starts[1:]] + [len(pieces) - 1]
    return [(pieces[s][0], pieces[e][1]) for s, e in zip(starts, ends, strict=True)]


def _join_small(pieces: list[tuple[int, int]], least: int) -> list[tuple[int, int]]:
    """Join each piece shorter than ``least`` to its nearer neighbour, the smallest first."""
    pieces = list(pieces)
    while len(pieces) > 1:
        i = min(range(len(pieces)), key=lambda k: pieces[k][1] - pieces[k][0])
        if pieces[i][1] - pieces[i][0] >= least:
            break
        before = pieces[i][0] - pieces[i - 1][1] if i > 0 else float("inf")
        after = pieces[i + 1][0] - pieces[i][1] if i + 1 < len(pieces) else float("inf")
        a, b = sorted((i, i - 1 if before <= after else i + 1))
        pieces[a : b + 1] = [(pieces[a][0], pieces[b][1])]
    return pieces


def figure_panels(path: Path) -> list[tuple[int, int, int, int]]:
    """The panels of a figure of side-by-side panels, ``(left, top, right, bottom)`` in its
    pixels, in reading order; empty if it has one column, or a panel too wide to split.

    Columns are cut at blank bands through the whole figure (a title or legend that spans
    two panels keeps them together); each column is cut into rows the same way, and the
    rows are kept only if every column has as many and each piece is a panel (a grid of
    panels), else each column is one panel. A figure whose pieces are not all panels of
    about one height is not cut.
    """
    import numpy as np
    from PIL import Image

    with Image.open(path) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    blank = np.abs(pixels - pixels[0, 0]).max(axis=2) <= 8  # the background's colour
    columns = _columns(_content_runs(blank.all(axis=0), MIN_GAP), MIN_PANEL)
    if len(columns) < 2:
        return []
    rows = [
        _join_small(_content_runs(blank[:, left:right].all(axis=1), MIN_GAP), MIN_ROW)
        for left, right in columns
    ]
    whole_columns = [[(r[0][0], r[-1][1])] for r in rows]
    # A grid if every column has as many rows; if its pieces are not all panels (a title
    # and legend above each plot, a row of their own), each column whole.
    tries = [rows, whole_columns] if len({len(r) for r in rows}) == 1 else [whole_columns]
    height, width = blank.shape
    for grid in tries:
        panels = [
            (
                max(left - PAD, 0),
                max(top - PAD, 0),
                min(right + PAD, width),
                min(bottom + PAD, height),
            )
            for i in range(len(grid[0]))
            for (left, right), column in zip(columns, grid, strict=True)
            for top, bottom in [column[i]]
        ]
        tallest = max(bottom - top for _, top, _, bottom in panels)
        fits = all(right - left <= MAX_PANEL for left, _, right, _ in panels)
        # A piece much shorter than the others is part of something that spans the panels
        # (a shared legend under them): such a figure is not cut.
        whole = all(bottom - top >= 0.6 * tallest for _, top, _, bottom in panels)
        if fits and whole:
            return panels
    return []


def sized_figure(
    tag: str,
    width: int,
    height: int,
    panels: list[tuple[int, int, int, int]] = (),
    sharp: str = "",
) -> str:
    """``tag`` with its natural size, in a box that can scroll it on a narrow screen; with
    ``panels``, also the figure cut into them, which a narrow screen shows one under another.
    ``sharp`` is the URL of the picture at twice the resolution, which a screen of two or
    more pixels per CSS pixel loads instead (``srcset``); a size the tag carries (the
    notebook's display size) gives way to the picture's.

    >>> sized_figure('<img alt="A curve" src="../_images/a.png" />', 811, 331)
    '<span class="figure-scroll"><img alt="A curve" src="../_images/a.png" width="811" \
height="331" style="--figure-width: 811px" data-figure /></span>'
    >>> cut = sized_figure('<img alt="Two" src="a.png" />', 800, 300,
    ...                    [(0, 0, 400, 300), (400, 0, 800, 300)])
    >>> re.findall(r'class="(figure-[a-z]+)"', cut)
    ['figure-panels', 'figure-panel', 'figure-panel']
    >>> re.findall(r'<img src="a.png" alt="" width="800" height="300" style="([^"]*)"', cut)
    ['width: 200%', 'width: 200%; margin-left: -100%']
    >>> 'role="img" aria-label="Two"' in cut
    True

    >>> sharp = sized_figure('<img alt="A" src="a.png" style="width: 811px;" width="811" />',
    ...                      811, 331, sharp="a@2x.png")
    >>> sharp.count('srcset="a@2x.png 2x"'), sharp.count("width="), "811px;" in sharp
    (1, 1, False)

    A later build leaves what it wrote alone (the whole picture and its panels alike):

    >>> FIGURE_IMG.search(cut.replace('src="a.png"', 'src="../_images/a.png"')) is None
    True
    """
    size = f'width="{width}" height="{height}"' + (f' srcset="{sharp} 2x"' if sharp else "")
    attrs = f'{size} style="--figure-width: {width}px" data-figure'
    body = re.sub(r'\s(?:width|height|style)="[^"]*"', "", tag)
    body = body.removesuffix(">").removesuffix("/").rstrip()
    whole = f"{body} {attrs} />"
    if not panels:
        return f'<span class="figure-scroll">{whole}</span>'
    src = re.search(r'src="([^"]*)"', tag).group(1)
    found = re.search(r'alt="([^"]*)"', tag)
    alt = found.group(1) if found else ""
    cut = []
    for left, top, right, bottom in panels:
        w, h = right - left, bottom - top
        # Margins in % of the panel's width (for top too): the picture, scaled to the
        # panel, shifted so that the panel shows its part.
        place = f"width: {100 * width / w:.4g}%"
        place += f"; margin-top: -{100 * top / w:.4g}%" if top else ""
        place += f"; margin-left: -{100 * left / w:.4g}%" if left else ""
        cut.append(
            f'<span class="figure-panel" style="--panel-width: {w}px; aspect-ratio: {w} / {h}">'
            f'<img src="{src}" alt="" {size} style="{place}" '
            "data-figure-panel /></span>"
        )
    # Where the column is narrower than this, the whole figure (at 72 % of its size or
    # more) would scroll: _static/nnmath.css shows the panels there instead.
    fits = math.ceil(0.72 * width / 100) * 100
    return (
        f'<span class="figure-scroll figure-split" data-fits="{fits}">{whole}'
        f'<span class="figure-panels" role="img" aria-label="{alt}">{"".join(cut)}</span></span>'
    )


def size_figures(app: Sphinx, exception: Exception | None) -> None:
    """Give every figure its natural size, and a box of its own that scrolls sideways.

    A figure is drawn with text of about 12 px at its natural size; shrunk to a phone's
    column (a third of that size, for the widest), its text would be 4 px. With its size
    known, ``_static/nnmath.css`` keeps a figure at no less than 72 % of its natural size
    (text of 9 px or more) and lets the reader scroll it sideways within its box, which
    ``_static/nnmath-a11y.js`` makes a tab stop. The size also reserves the figure's room
    before the picture arrives, so nothing below it moves. A figure whose panels
    :func:`figure_panels` finds is also written cut into them, for a narrow screen.
    """
    if exception is not None or app.builder.format != "html":
        return
    from PIL import Image

    outdir = Path(app.outdir)
    sizes: dict[str, tuple[int, int]] = {}
    cuts: dict[str, list[tuple[int, int, int, int]]] = {}

    def size(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in sizes:
            path = outdir / "_images" / name
            if not path.is_file():
                return match.group(0)
            with Image.open(path) as image:
                sizes[name] = image.size
            cuts[name] = figure_panels(path)
        src = re.search(r'src="([^"]*)"', match.group(0)).group(1)
        twice = sharp_name(name, 2)
        sharp = src.replace(name, twice) if (outdir / "_images" / twice).is_file() else ""
        return sized_figure(match.group(0), *sizes[name], cuts[name], sharp)

    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = FIGURE_IMG.sub(size, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    split = sum(1 for panels in cuts.values() if panels)
    logger.info(
        f"figures: {len(sizes)} sized, each in a box that scrolls on a narrow screen; "
        f"{split} of them also cut into their panels, for a narrow screen"
    )


#: The page ``index.html`` that sends a reader on to the book's first page, written (by
#: sphinx-external-toc) when the root document is not called ``index``.
REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="{icon}">
<meta http-equiv="Refresh" content="0; url={target}">
</head>
<body>
<p><a href="{target}">{title}</a></p>
</body>
</html>
"""


def write_redirect_page(app: Sphinx, exception: Exception | None) -> None:
    """A whole page for the redirect, with the book's icon: the one-line redirect page
    sphinx-external-toc writes has none, so the browser asks for ``/favicon.ico`` (a
    failed request and a console error on the first page a reader opens)."""
    if exception is not None or app.builder.name != "html":
        return
    root = app.config.root_doc
    if root == "index":
        return
    page = Path(app.outdir) / "index.html"
    if page.is_file() and 'http-equiv="Refresh"' not in page.read_text(encoding="utf-8"):
        return  # a real page, not a redirect
    page.write_text(
        REDIRECT_PAGE.format(
            language=app.config.language or "en",
            title=html.escape(app.config.html_title or app.config.project),
            icon=icon_data_url(Path(app.srcdir) / (app.config.html_favicon or "")),
            target=f"{root}.html",
        ),
        encoding="utf-8",
    )


def icon_data_url(path: Path) -> str:
    """The book's icon, inline: the page is left at once, and a request for an icon file
    would be cut off by the move (a failed request); "data:," when there is none.

    >>> icon_data_url(Path("no-such-icon.svg"))
    'data:,'
    """
    if not path.is_file():
        return "data:,"
    kind = {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
    mime = kind.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def add_templates(app: Sphinx, config: Config) -> None:
    if str(TEMPLATES) not in config.templates_path:
        # Ahead of the theme's own templates, which the theme appends when it loads.
        config.templates_path.insert(0, str(TEMPLATES))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", add_templates)
    app.connect("build-finished", stub_fontawesome)
    app.connect("build-finished", patch_theme_script)
    app.connect("build-finished", trim_icon_font)
    # After every page is written, so that every class in use is known.
    app.connect("build-finished", trim_theme_styles, priority=950)
    app.connect("build-finished", shrink_figures)
    # After the figures are final (shrink_figures makes the 1x picture each page shows).
    app.connect("build-finished", size_figures, priority=600)
    # After the theme has written the final pygments.css (its light and dark styles).
    app.connect("build-finished", plain_code, priority=900)
    # After sphinx-external-toc has written its one-line redirect page.
    app.connect("build-finished", write_redirect_page, priority=900)
    # Before myst-nb's own handler (priority 500) adds the page's scripts.
    app.connect("html-page-context", drop_widget_state, priority=400)
    # After every other extension has added its scripts to the page.
    app.connect("html-page-context", tidy_page_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
