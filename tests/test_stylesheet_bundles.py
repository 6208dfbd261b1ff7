"""The local Sphinx extension ``_ext/stylesheet_bundles.py`` on a small made-up output folder.

Three pages link stylesheets as Sphinx and the theme write them: a shared run (one of them
``@import``\\s another, one names a font by a relative ``url()``), then the page's own.
The step must leave each page at most two links, keep every rule in its order, keep every
``url()`` pointing at the same file, and give the same result when run again (as on a
build that rewrote no page).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import stylesheet_bundles as bundles  # noqa: E402

SHEETS = {
    "_static/styles/theme.css": '@import "../basic.css";\n',
    "_static/basic.css": "div.body { min-width: 360px; }\n",
    "_static/styles/theme-rules.css": (
        '@charset "UTF-8";\n@font-face { font-family: Icons; src: url(../fonts/icons.woff2); }\n'
        ".icon { font-family: Icons; }\n/*# sourceMappingURL=theme-rules.css.map */\n"
    ),
    "_static/pygments.css": ".highlight .k { color: #0000aa; }\n",
    "_static/math/math.css": (
        '@font-face { font-family: "Math"; src: url("math.woff2"); }\nmath { font-family: Math; }\n'
    ),
    "_static/own.css": (
        "p { color: #222; }\n/* the reader's own: no url( here */\n"
        '.a::after { content: "url(not-a-file)"; }\n'
        ".m { marker: url(\"data:image/svg+xml,<svg><path marker-end='url(%23a)'/></svg>\"); }\n"
    ),
    "_static/print.css": "@media print { nav { display: none; } }\n",
}
FILES = ["_static/fonts/icons.woff2", "_static/math/math.woff2"]
SHARED = ["_static/styles/theme.css", "_static/styles/theme-rules.css", "_static/pygments.css"]


def _page(depth: int, sheets: list[str], extra: str = "") -> str:
    up = "../" * depth
    links = "\n    ".join(
        f'<link rel="stylesheet" type="text/css" href="{up}{name}?v=1" />' for name in sheets
    )
    return (
        f"<!DOCTYPE html>\n<html><head>\n  <title>t</title>\n  <!-- first -->\n    {links}\n"
        f"{extra}</head><body><p>text</p></body></html>\n"
    )


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    for name, text in SHEETS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"font")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "plain.html").write_text(_page(0, [*SHARED, "_static/own.css"]))
    (tmp_path / "chapters" / "maths.html").write_text(
        _page(1, [*SHARED, "_static/math/math.css", "_static/own.css"])
    )
    # A print stylesheet after a script: neither merged nor moved.
    (tmp_path / "other.html").write_text(
        _page(
            0,
            [*SHARED, "_static/own.css"],
            '  <script src="x.js"></script>\n'
            '  <link rel="stylesheet" href="_static/print.css" media="print" />\n',
        )
    )
    # The theme's template macros are not pages.
    (tmp_path / "_static" / "macros.html").write_text(_page(1, SHARED))
    return tmp_path


def _links(page: Path) -> list[str]:
    head = page.read_text(encoding="utf-8").split("</head>")[0]
    return re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"[^>]*>', head)


def _served(page: Path, href: str) -> Path:
    return (page.parent / href.split("?")[0]).resolve()


def test_each_page_links_the_shared_bundle_and_its_own_stylesheets(outdir: Path) -> None:
    counts = bundles.bundle_pages(outdir)
    plain, maths = outdir / "plain.html", outdir / "chapters" / "maths.html"
    # The shared stylesheets: one file, the same for both pages.
    (theme, own) = _links(plain)
    (theme_too, page) = _links(maths)
    assert _served(plain, theme) == _served(maths, theme_too)
    assert re.fullmatch(r"_static/bundles/theme-[0-9a-f]{12}\.css", theme)
    # A page left with one stylesheet links it as it did; two or more make a bundle.
    assert own == "_static/own.css?v=1"
    assert re.fullmatch(r"\.\./_static/bundles/page-[0-9a-f]{12}\.css", page)
    # 4 + 5 + 4 links before (the print sheet is not counted), 2 + 2 + 2 after.
    assert counts == {"before": 13, "after": 6}
    # The macros are left alone.
    assert len(_links(outdir / "_static" / "macros.html")) == 3


def test_a_bundle_holds_every_rule_in_order_and_its_urls_name_the_same_files(
    outdir: Path,
) -> None:
    bundles.bundle_pages(outdir)
    maths = outdir / "chapters" / "maths.html"
    theme, page = (_served(maths, href) for href in _links(maths))
    text = theme.read_text(encoding="utf-8")
    assert text.startswith('@charset "UTF-8";\n/* bundle of: _static/styles/theme.css ')
    # basic.css where theme.css imported it, then the others in the pages' order.
    order = [text.index(rule) for rule in ("div.body", ".icon {", ".highlight .k")]
    assert order == sorted(order)
    assert "@import" not in text and "sourceMappingURL" not in text
    assert text.count("@charset") == 1
    # The font the theme's rules named is the file they named.
    (icons,) = re.findall(r"url\(([^)]+)\)", text)
    assert (theme.parent / icons).resolve() == (outdir / "_static/fonts/icons.woff2").resolve()
    mine = page.read_text(encoding="utf-8")
    (font,) = re.findall(r"url\(\"([^\"]+\.woff2)\"\)", mine)
    assert font == "../math/math.woff2"
    assert (page.parent / font).resolve() == (outdir / "_static/math/math.woff2").resolve()
    assert mine.index("math { font-family") < mine.index("p { color: #222; }")
    # No url( inside a comment, a string or a data URL is taken for one.
    assert SHEETS["_static/own.css"] in mine


def test_a_stylesheet_apart_is_left_where_it_is(outdir: Path) -> None:
    bundles.bundle_pages(outdir)
    html = (outdir / "other.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="_static/print.css" media="print" />' in html
    assert html.index("x.js") < html.index("print.css")
    assert len(_links(outdir / "other.html")) == 3


def test_running_again_reads_the_bundles_back_and_changes_nothing(outdir: Path) -> None:
    bundles.bundle_pages(outdir)

    def texts(paths: object) -> dict[Path, str]:
        return {p: p.read_text(encoding="utf-8") for p in paths}

    pages, made = texts(outdir.rglob("*.html")), texts((outdir / "_static/bundles").iterdir())
    bundles.bundle_pages(outdir)
    assert texts(outdir.rglob("*.html")) == pages
    assert texts((outdir / "_static/bundles").iterdir()) == made


def test_a_changed_stylesheet_makes_a_new_bundle_and_the_old_one_goes(outdir: Path) -> None:
    bundles.bundle_pages(outdir)
    old = set((outdir / "_static/bundles").iterdir())
    (outdir / "_static/pygments.css").write_text(".highlight .k { color: #000088; }\n")
    bundles.bundle_pages(outdir)  # the pages still link the old bundle, as if not rewritten
    new = set((outdir / "_static/bundles").iterdir())
    assert len(old - new) == 1 and len(new - old) == 1
    (fresh,) = new - old
    assert "#000088" in fresh.read_text(encoding="utf-8")
    assert fresh.name in (outdir / "plain.html").read_text(encoding="utf-8")


def test_an_import_of_a_missing_file_is_an_error(outdir: Path) -> None:
    (outdir / "_static/basic.css").unlink()
    with pytest.raises(ValueError, match=r"theme.css imports \.\./basic.css, which is not served"):
        bundles.bundle_pages(outdir)
