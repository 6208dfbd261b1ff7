"""Each page's stylesheets as two files: the theme's, shared by every page, and the page's own.

A page of the book used to link 9 to 13 stylesheets, and the theme's first one pulled in
Sphinx's ``basic.css`` through ``@import``, a request that could start only once the
first had arrived. Every one of them is render-blocking: the browser draws nothing until
it has them all, and on a phone's connection each costs a round trip. A chapter asked
for four more than the bibliography page (the practice checks', the explorers' and
the math's sheets), so its first screen waited for more of them.

Once every page is written and every stylesheet is final (after the build trims the
theme's, ``offline_assets.trim_theme_styles``), this step gives each page at most two:

- ``_static/bundles/theme-<hash>.css``: the stylesheets that every page links first, in
  the same order (the theme's, Sphinx's, the extensions'), with ``basic.css`` written in
  where ``@import`` named it. One file for the whole book, which the browser keeps.
- ``_static/bundles/page-<hash>.css``: the rest of the page's stylesheets (the book's
  own: practice, explorers, math, ``nnmath.css``), one file for each combination. A page
  left with one stylesheet keeps its own link.

The rules are the same, in the same order: each file's text is copied whole, with its
relative ``url()``\\s rewritten for the bundle's folder. A bundle's second line lists
the files it holds (relative to the output folder), so that a page kept from an earlier
build (Sphinx rewrites only the pages that changed) is read back to its stylesheets and
bundled again like the others. The separate files stay in ``_static``.
"""

from __future__ import annotations

import hashlib
import itertools
import posixpath
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

BUNDLES = "_static/bundles"
#: A bundle's second line (after ``@charset``): the files it holds, relative to the
#: output folder.
HEADER = re.compile(r"/\* bundle of: (.*?) \*/")
#: A stylesheet link in a page's head (any attribute order).
LINK = re.compile(r"<link\b[^>]*>")
HREF = re.compile(r'\bhref="([^"]+)"')
#: A comment, a string, or ``url(x)`` (x quoted or not): read in one pass, so that a
#: ``url(`` inside a string or a comment (an SVG in a data URL names its own
#: ``url(#marker)``) is not taken for one of the stylesheet's.
URL = re.compile(
    r"""/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
    r"""|url\(\s*(?:(['"])((?:(?!\1)[^\\\n]|\\.)*)\1|([^'")\s]+))\s*\)""",
    re.S,
)
#: ``@import "x";`` or ``@import url(x);`` with no media query.
IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]+)\1\s*\)?\s*;""")
CHARSET = re.compile(r'@charset\s+"[^"]*"\s*;')
#: An address that is not relative to its file: a scheme (``data:``, ``https:``), ``//``
#: or ``/``; ``#`` for a fragment of the document itself.
ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#)", re.I)
SOURCE_MAP = re.compile(r"/\*[#@]\s*sourceMappingURL=[^*]*\*/")


def _is_stylesheet(tag: str) -> bool:
    """A plain stylesheet link: no media query, no alternate, no integrity check."""
    media = re.search(r'\bmedia="([^"]*)"', tag)
    return (
        re.search(r'\brel="stylesheet"', tag) is not None
        and (media is None or media.group(1).strip() in ("", "all"))
        and not re.search(r"\b(integrity|disabled|title)=", tag)
    )


def _local(href: str, page: Path, outdir: Path) -> Path | None:
    """The file under ``outdir`` (resolved) that ``href`` (from ``page``) names, or None."""
    if ABSOLUTE.match(href):
        return None
    path = (page.parent / href.split("?")[0].split("#")[0]).resolve()
    return path if path.is_relative_to(outdir) and path.is_file() else None


def stylesheet_runs(html: str) -> list[list[re.Match[str]]]:
    """The runs of stylesheet links in the head that only whitespace separates."""
    head_end = html.find("</head>")
    runs: list[list[re.Match[str]]] = []
    for match in LINK.finditer(html, 0, head_end if head_end >= 0 else len(html)):
        if not _is_stylesheet(match.group(0)):
            continue
        if runs and not html[runs[-1][-1].end() : match.start()].strip():
            runs[-1].append(match)
        else:
            runs.append([match])
    return runs


def sources_of(path: Path, outdir: Path) -> list[Path]:
    """The stylesheets a linked file stands for: a bundle's, read from its header."""
    if path.parent != (outdir / BUNDLES).resolve():
        return [path]
    with path.open(encoding="utf-8") as file:
        header = HEADER.search(file.readline() + file.readline())
    if not header:
        return [path]
    return [(outdir / name).resolve() for name in header.group(1).split()]


def rewrite_urls(css: str, source_dir: Path, target_dir: Path) -> str:
    """``css`` from a file in ``source_dir``, its relative ``url()``\\s valid from
    ``target_dir``.

    >>> rewrite_urls('a{b:url("x.woff2")} c{d:url(data:image/png;base64,AA)}',
    ...              Path("/o/_static/math"), Path("/o/_static/bundles"))
    'a{b:url("../math/x.woff2")} c{d:url(data:image/png;base64,AA)}'
    >>> svg = "e{f:url(\\"data:image/svg+xml,<path marker-end='url(%23a)'/>\\")}"
    >>> rewrite_urls(svg, Path("/o/_static/math"), Path("/o/_static/bundles")) == svg
    True
    """

    def move(match: re.Match[str]) -> str:
        if not match.group(0).startswith("url("):
            return match.group(0)  # a comment or a string: as it is
        quote = match.group(1) or ""
        target = (match.group(2) if match.group(1) else match.group(3)).strip()
        if ABSOLUTE.match(target):
            return match.group(0)
        absolute = posixpath.normpath(posixpath.join(source_dir.as_posix(), target))
        moved = posixpath.relpath(absolute, target_dir.as_posix())
        return f"url({quote}{moved}{quote})"

    return URL.sub(move, css)


def bundle_text(
    sources: list[Path], target_dir: Path, outdir: Path, texts: dict[Path, str] | None = None
) -> str:
    """The bundle of ``sources`` (in order) for ``target_dir``: each file's text whole,
    ``@import``\\s written in, ``url()``\\s rewritten. ``texts`` replaces a file's text
    (the tests bundle the theme's untrimmed stylesheets this way)."""
    texts = texts or {}
    root = outdir.resolve()

    def text_of(path: Path, seen: tuple[Path, ...]) -> str:
        if path in seen:
            raise ValueError(f"{path} imports itself")
        css = texts[path] if path in texts else path.read_text(encoding="utf-8")
        css = SOURCE_MAP.sub("", CHARSET.sub("", css))

        def inline(match: re.Match[str]) -> str:
            imported = (path.parent / match.group(2)).resolve()
            if not imported.is_file():
                raise ValueError(f"{path.name} imports {match.group(2)}, which is not served")
            return text_of(imported, (*seen, path))

        return rewrite_urls(IMPORT.sub(inline, css), path.parent, target_dir)

    names = " ".join(path.relative_to(root).as_posix() for path in sources)
    parts = ['@charset "UTF-8";', f"/* bundle of: {names} */"]
    for path in sources:
        parts.append(f"/* {path.relative_to(root).as_posix()} */\n{text_of(path, ())}")
    return "\n".join(parts) + "\n"


def bundle_pages(outdir: Path) -> dict[str, int]:
    """Rewrite every page of ``outdir`` to link its stylesheets as at most two bundles;
    write the bundles, and remove those no page links any more. Returns how many
    stylesheet links each page had and now has, in total."""
    outdir = outdir.resolve()
    target_dir = (outdir / BUNDLES).resolve()
    pages = {}
    elsewhere: set[Path] = set()  # bundles that pages left as they are still link
    for page in sorted(outdir.rglob("*.html")):
        if page.relative_to(outdir).parts[0] == "_static":
            continue  # the theme's template macros, not pages
        html = page.read_text(encoding="utf-8")
        runs = stylesheet_runs(html)
        if not runs:
            continue
        # The page's longest run (the head's stylesheets), each link read back to files.
        run = max(runs, key=len)
        linked = [_local(HREF.search(m.group(0)).group(1), page, outdir) for m in run]
        if any(path is None for path in linked):
            elsewhere.update(p for p in linked if p is not None and p.parent == target_dir)
            continue  # a stylesheet from elsewhere: the page is left as it is
        sheets = [s for path in linked for s in sources_of(path, outdir)]
        pages[page] = (html, run, linked, sheets)
    if not pages:
        return {"before": 0, "after": 0}
    # The sheets every page links first, in the same order.
    in_step = zip(*(sheets for *_, sheets in pages.values()), strict=False)  # to the shortest
    shared = [same[0] for same in itertools.takewhile(lambda at: len(set(at)) == 1, in_step)]
    written: dict[tuple[Path, ...], Path] = {}

    def bundle(kind: str, sheets: list[Path]) -> Path:
        key = tuple(sheets)
        if key not in written:
            text = bundle_text(sheets, target_dir, outdir)
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
            path = target_dir / f"{kind}-{digest}.css"
            target_dir.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            written[key] = path
        return written[key]

    before = after = 0
    for page, (html, run, linked, sheets) in pages.items():
        groups = [("theme", sheets[: len(shared)]), ("page", sheets[len(shared) :])]
        tags = []
        for kind, group in groups:
            if len(group) > 1:
                href = posixpath.relpath(bundle(kind, group).as_posix(), page.parent.as_posix())
                tags.append(f'<link rel="stylesheet" href="{href}" />')
            elif group:  # one file: its own link, as the page had it
                (only,) = group
                own = [m.group(0) for m, path in zip(run, linked, strict=True) if path == only]
                href = posixpath.relpath(only.as_posix(), page.parent.as_posix())
                tags.append(own[0] if own else f'<link rel="stylesheet" href="{href}" />')
        before += len(sheets)
        after += len(tags)
        start, end = run[0].start(), run[-1].end()
        new = html[:start] + "\n".join(tags) + html[end:]
        if new != html:
            page.write_text(new, encoding="utf-8")
    kept = set(written.values()) | elsewhere
    for stale in target_dir.glob("*.css") if target_dir.is_dir() else ():
        if stale.resolve() not in kept:
            stale.unlink()
    return {"before": before, "after": after}


def bundle_stylesheets(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    counts = bundle_pages(Path(app.outdir))
    logger.info(
        f"stylesheets: {counts['before']} links in the pages -> {counts['after']} "
        f"(bundles in {BUNDLES})"
    )


def setup(app: Sphinx) -> dict[str, Any]:
    # Last: after the theme's stylesheets are trimmed (offline_assets, priority 950) and
    # every other step has written its stylesheets and pages.
    app.connect("build-finished", bundle_stylesheets, priority=990)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
