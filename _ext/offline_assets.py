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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

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


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", stub_fontawesome)
    # Before myst-nb's own handler (priority 500) adds the page's scripts.
    app.connect("html-page-context", drop_widget_state, priority=400)
    # After every other extension has added its scripts to the page.
    app.connect("html-page-context", tidy_page_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
