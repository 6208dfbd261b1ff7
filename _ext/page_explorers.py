"""Load the page explorers' scripts on the pages that show an explorer, and only there.

A chapter's ``explore("relu")`` cell outputs, besides the live widget for Jupyter, a
``<div class="nnmath-explorer" data-explorer="relu">`` (``nnmath.widgets.page``). On
the book page that ``div`` comes alive through three classic scripts served by the book:
``_static/nnmath.js`` (the JavaScript mirror of nnmath), ``_static/explorers/core.js``
(controls, SVG figure, glue) and one ``_static/explorers/VIEW.js`` per kind of explorer on the
page, plus ``_static/explorers/explorers.css``. A small inline script fetches them, in
order, once the page has loaded: the explorers come alive then anyway (below the first
screen, when the browser is idle), so the page's text and math do not wait for 70 KB of
script. A page without an explorer loads none of them.

Each explorer's still picture, for readers without JavaScript, goes from the page into a
file of ``_images/`` (see :func:`move_still_pictures`).

Two more settings in ``_config.yml`` belong to this: myst-nb is told to render the
``text/html`` of such an output rather than the widget view (which needs a kernel), and
no ipywidgets manager is loaded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

#: An explorer's root element in a page's body: its name (a key of nnmath.widgets.EXPLORERS)
#: and its view, the script that draws it.
ROOT = re.compile(
    r'<div class="nnmath-explorer" data-explorer="[a-z0-9_]+" data-view="([a-z0-9_]+)"'
)
STATIC = Path(__file__).resolve().parents[1] / "_static"


def explorers_in(body: str) -> list[str]:
    """The views of the explorers a page's HTML body shows, in order, each once.

    >>> explorers_in('<div class="nnmath-explorer" data-explorer="gelu" data-view="activation">')
    ['activation']
    """
    return list(dict.fromkeys(ROOT.findall(body)))


#: The still picture inside an explorer's <noscript>, as nnmath.widgets.page writes it.
STILL = re.compile(r'(<noscript><img src=")data:image/png;base64,([A-Za-z0-9+/=]+)(")')


def move_still_pictures(app: Sphinx, pagename: str, body: str) -> str:
    """Write each explorer's still picture to ``_images/`` and link it from the page.

    Only a reader without JavaScript sees the picture, and a browser running scripts
    never fetches an image inside ``<noscript>``: as a file, it costs the readers who
    do not see it nothing; inline, it would weigh on every page load.
    """
    images = Path(app.outdir) / "_images"

    def write(match: re.Match[str]) -> str:
        data = base64.b64decode(match.group(2))
        name = f"explorer-{hashlib.sha1(data).hexdigest()[:16]}.png"
        images.mkdir(parents=True, exist_ok=True)
        (images / name).write_bytes(data)
        here = posixpath.dirname(app.builder.get_target_uri(pagename))
        url = posixpath.relpath(f"_images/{name}", here or ".")
        return match.group(1) + url + match.group(3)

    return STILL.sub(write, body)


def add_explorer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], *args: Any
) -> None:
    names = explorers_in(context.get("body", ""))
    if not names:
        return
    context["body"] = move_still_pictures(app, pagename, context["body"])
    missing = [n for n in names if not (STATIC / "explorers" / f"{n}.js").is_file()]
    if missing:
        raise ExtensionError(f"{pagename} shows explorers without a page view: {missing}")
    here = posixpath.dirname(app.builder.get_target_uri(pagename)) or "."
    urls = [
        f"{posixpath.relpath(f'_static/{script}', here)}?v={_digest(STATIC / script)}"
        for script in ("nnmath.js", "explorers/core.js", *(f"explorers/{n}.js" for n in names))
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
        script.onload = script.onerror = function () {
          if (window.nnmathExplorers) window.nnmathExplorers.mountAll(true);
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
    app.connect("html-page-context", add_explorer_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
