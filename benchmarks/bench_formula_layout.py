"""What the chapters' formulas cost the browser the first time it lays them out.

Not a goal of its own: a measurement behind the first-screen goal of ``bench_book.py``.
A chapter's first screen is drawn only after the browser has laid out everything its
parser has read by then, formulas far below the screen included, and the first layout of
MathML costs far more than that of the same text, or than laying the formulas out again.

Every ``<math>`` of the built chapters (once each, as the chapters have them) goes into
one test page, each in a paragraph of text, with the book's math stylesheets and font,
hidden. Once the font is in, the page shows them and forces a layout (style, then style
and layout, timed in the page), then narrows the column and forces another (the relayout). The same
page is measured with each formula replaced by its text in a ``<span>`` (the same
characters, no MathML), and with the formulas in another math font (DejaVu Math TeX Gyre,
a system font, when installed), to tell the cost of MathML from the cost of a font. Each
variant is opened ``--loads`` times (default 7), each time in a fresh browser context,
the variants taking turns; medians. Ratios are to the plain text's first layout, in the
same run.

Run ``python benchmarks/bench_formula_layout.py`` after ``make book`` (``--html DIR``
for another build).
"""

from __future__ import annotations

import argparse
import html
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "_ext"), str(Path(__file__).resolve().parent)]
# A formula in a built page, and a tag inside it, as the build reads them to cut the font;
# the quiet local server and the browser of the page-load benchmark.
from bench_book import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from build_time_math import MATH_ELEMENT as MATH  # noqa: E402
from build_time_math import TAG  # noqa: E402

#: In the page: wait for the math font, then time a first layout and a relayout.
MEASURE = """
document.fonts.load('1em "Noto Sans Math"').then(() => requestAnimationFrame(() =>
  setTimeout(() => {
    const box = document.getElementById("formulas");
    const t0 = performance.now();
    box.style.display = "block";
    getComputedStyle(box.lastElementChild).color;  // style only
    const styled = performance.now();
    document.body.offsetHeight;  // and layout
    const t1 = performance.now();
    box.style.width = "650px";
    document.body.offsetHeight;
    window.measured = [t1 - t0, performance.now() - t1, styled - t0];
  }, 50)));
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>formulas</title>
<link rel="stylesheet" href="Temml-Local.css"><link rel="stylesheet" href="math.css">
<style>body {{ font-family: sans-serif; width: 700px }} {extra}</style></head>
<body><div id="formulas" style="display: none">{body}</div><script>{script}</script>
</body></html>
"""


def chapter_formulas(built: Path) -> list[str]:
    """Every formula of the built chapters, in page order."""
    formulas: list[str] = []
    for page in sorted((built / "chapters").glob("*.html")):
        formulas += MATH.findall(page.read_text(encoding="utf-8"))
    return formulas


def as_text(formula: str) -> str:
    """The formula's characters in a plain ``<span>``: what it would cost as text."""
    return f"<span>{html.escape(html.unescape(TAG.sub('', formula)))}</span>"


def write_variants(built: Path, folder: Path) -> dict[str, Path]:
    """The test pages, one per variant, with the book's math stylesheets and font."""
    for sheet in (built / "_static" / "math").iterdir():
        shutil.copy2(sheet, folder / sheet.name)
    formulas = chapter_formulas(built)
    variants: dict[str, tuple[Callable[[str], str], str]] = {
        "MathML (the book)": (lambda f: f, ""),
        "MathML, DejaVu Math": (
            lambda f: f,
            'math { font-family: "DejaVu Math TeX Gyre" !important }',
        ),
        "the same text, no MathML": (as_text, ""),
    }
    pages = {}
    for i, (name, (write, extra)) in enumerate(variants.items()):
        body = "\n".join(f"<p>Text before {write(f)} text after.</p>" for f in formulas)
        path = folder / f"variant{i}.html"
        path.write_text(PAGE.format(extra=extra, body=body, script=MEASURE), encoding="utf-8")
        pages[name] = path
    print(
        f"{len(formulas)} formulas of the chapters, "
        f"{sum(f.count('<') for f in formulas) // 2} MathML elements"
    )
    return pages


def measure(folder: Path, pages: dict[str, Path], loads: int) -> dict[str, list[list[float]]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[list[float]]] = {name: [] for name in pages}
    with serve(folder) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(loads):
            for name, path in pages.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(base + path.name)
                page.wait_for_function("() => window.measured", timeout=60_000)
                times[name].append(page.evaluate("() => window.measured"))
                context.close()
        browser.close()
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--loads", type=int, default=7, help="fresh loads of each variant")
    parser.add_argument("--quick", action="store_true", help="one load each: does it run?")
    args = parser.parse_args(argv if argv is not None else [])
    if args.quick:
        print("quick run: one load of each variant; its numbers mean nothing")
        args.loads = 1
    if not (args.html / "_static" / "math" / "math.css").is_file():
        print(f"bench_formula_layout: no built book in {args.html}; run `make book` first")
        return
    if not Path(CHROMIUM).is_file():
        print(f"bench_formula_layout: no Chromium at {CHROMIUM}")
        return
    print("The chapters' formulas, laid out the first time and again (headless Chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        pages = write_variants(args.html, Path(tmp))
        times = measure(Path(tmp), pages, args.loads)
    plain = statistics.median(t[0] for t in times["the same text, no MathML"])
    print(
        f"{'variant':<28}{'first layout ms':>16}{'ratio':>7}{'of it style':>13}{'relayout ms':>13}"
    )
    for name, runs in times.items():
        first = statistics.median(t[0] for t in runs)
        style = statistics.median(t[2] for t in runs)
        again = statistics.median(t[1] for t in runs)
        print(f"{name:<28}{first:>16.1f}{first / plain:>7.2f}{style:>13.1f}{again:>13.1f}")
    print(
        "first layout: style and layout of every formula once the font is in (of it style: "
        "the styles alone, computed first); relayout: the same after the column narrows "
        "(medians)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
