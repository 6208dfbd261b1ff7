"""Build time of the whole book; how soon each page is ready, and what it weighs.

Goals, on the 2-core reference machine:

===================================================================  =====================
measure                                                              goal
===================================================================  =====================
clean build of the whole book, every notebook executed               < 90 s
time until a chapter page is ready, over the bibliography page's     <= 1.5
each chapter page with everything it loads                           <= 1.5 MB
===================================================================  =====================

The build goes to a fresh temporary folder (``jupyter-book build --path-output``), so
nothing is cached: every notebook runs and every page is written, with the same flags as
``make book``. ``--html _build/html`` measures an existing build instead.

**Ready** is when the page has been drawn with everything it loaded: the first frame
rendered after both the load event and the last batch of web fonts (the math comes
typeset from the build, so it is final once KaTeX's fonts are in and drawn), counted from
the start of the navigation. Each page is opened ``--loads`` times (default 11) in headless
Chromium from 127.0.0.1, each time in a fresh browser context (an empty cache, as a
first visit), the pages taking turns so that a busy moment of the machine hits them
alike. A page's ratio is the median, over the rounds, of its ready time divided by the
bibliography page's in the same round; the bibliography page is the book's lightest page
of text, with the same theme, scripts and styles as a chapter.

**Weight** is what a reader's browser fetches: the HTML plus every script, stylesheet,
image and font it loads, counted from the response bodies as Chromium receives them
(uncompressed: the local server does not compress), so it includes the fonts a page
asks for only when its text needs them (a section far below the first screen is laid
out, and its fonts fetched, only when the reader nears it). The report also gives the
part of each page's weight that its explorers add (``_static/nnmath.js`` and
``_static/explorers/``), and the largest files the chapter pages load, to show where the
rest goes. 1 MB is 10^6 bytes.

Run ``python benchmarks/bench_book.py`` (or ``make bench`` for every benchmark).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD_GOAL_S = 90.0
READY_GOAL_RATIO = 1.5
PAGE_GOAL_BYTES = 1_500_000
BASELINE_PAGE = "bibliography.html"
JB_FLAGS = ["-W", "-n", "--keep-going"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
KINDS = ("html", "images", "scripts", "styles", "fonts", "other")


# -- the book ---------------------------------------------------------------------
def toc_pages(source: Path = ROOT) -> list[str]:
    """HTML paths of every document in ``_toc.yml``, the root first."""
    toc = yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("chapters", []) + entry.get("sections", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return [re.sub(r"\.(md|ipynb)$", "", name) + ".html" for name in files]


def chapter_pages(source: Path = ROOT) -> list[str]:
    """HTML paths of the notebook chapters listed in ``_toc.yml``."""
    return [p for p in toc_pages(source) if (source / p).with_suffix(".ipynb").is_file()]


def jupyter_book() -> str:
    local = Path(sys.executable).with_name("jupyter-book")
    found = str(local) if local.is_file() else shutil.which("jupyter-book")
    if not found:
        raise RuntimeError("jupyter-book is not installed: run `make install`")
    return found


def clean_build(output: Path) -> tuple[float, dict[str, float]]:
    """Build the whole book into ``output``; return wall seconds and each notebook's run time."""
    command = [jupyter_book(), "build", str(ROOT), "--path-output", str(output), *JB_FLAGS]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    log = run.stdout + run.stderr
    (output / "build.log").write_text(log, encoding="utf-8")
    if run.returncode != 0:
        tail = "\n".join(log.splitlines()[-30:])
        raise RuntimeError(f"the book build failed ({output / 'build.log'}):\n{tail}")
    executed = {
        Path(path).stem: float(secs)
        for path, secs in re.findall(r"(\S+\.ipynb): Executed notebook in ([\d.]+) seconds", log)
    }
    return seconds, executed


# -- the pages in a browser ----------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _is_explorer_file(path: str) -> bool:
    path = path.split("?")[0]
    return path == "_static/nnmath.js" or path.startswith("_static/explorers/")


def _kind(resource_type: str) -> str:
    return {
        "document": "html",
        "image": "images",
        "font": "fonts",
        "script": "scripts",
        "stylesheet": "styles",
    }.get(resource_type, "other")


def _local_only(route, *, base: str) -> None:
    """Let requests to the local server through; abort anything else."""
    if route.request.url.startswith(base):
        route.continue_()
    else:
        route.abort()


#: Before any of the page's scripts: note when the first frame after the load event, and
#: after each batch of web fonts, has been rendered (layout and paint done).
FRAME_CLOCK = """
window.__renderedAt = [];
const markNextFrame = () => requestAnimationFrame(() => setTimeout(() => {
  window.__renderedAt.push(performance.now());
}, 0));
window.addEventListener("load", markNextFrame);
document.fonts.addEventListener("loadingdone", markNextFrame);
"""

#: After the load event, once every font the page asked for is in and drawn.
READY = """() => {
  void document.body.offsetHeight;  // lay out, so that the fonts in use are requested
  return document.fonts.ready
    .then(() => new Promise(resolve => setTimeout(resolve, 100)))
    .then(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return {load: nav.loadEventEnd, rendered: Math.max(0, ...window.__renderedAt)};
    });
}"""


@dataclass
class PageRun:
    """What the browser saw of one page: ready times (ms, one per load) and bytes."""

    ready_ms: list[float] = field(default_factory=list)
    weight: Counter = field(default_factory=Counter)
    files: dict[str, int] = field(default_factory=dict)

    @property
    def explorer_bytes(self) -> int:
        """What the page's explorers add: the math in the page, their views and style."""
        return sum(size for path, size in self.files.items() if _is_explorer_file(path))


def measure_in_browser(html_dir: Path, pages: list[str], loads: int) -> dict[str, PageRun]:
    """Open every page ``loads`` times (fresh context each time); weigh it on the first."""
    from playwright.sync_api import sync_playwright

    runs = {page: PageRun() for page in pages}
    with serve(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for round_ in range(loads):
            order = pages[round_ % len(pages) :] + pages[: round_ % len(pages)]
            for page_path in order:
                run = runs[page_path]
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route("**/*", functools.partial(_local_only, base=base))
                context.add_init_script(FRAME_CLOCK)
                sizes: dict[str, tuple[str, int]] = {}
                if round_ == 0:

                    def on_response(response, sizes=sizes, base=base) -> None:
                        if response.url.startswith(base) and response.ok:
                            kind = _kind(response.request.resource_type)
                            try:
                                sizes[response.url] = (kind, len(response.body()))
                            except Exception:  # the page closed before the body came
                                pass

                    context.on("response", on_response)
                page = context.new_page()
                page.goto(base + page_path, wait_until="load")
                timing = page.evaluate(READY)
                run.ready_ms.append(max(timing["load"], timing["rendered"]))
                if round_ == 0:
                    page.wait_for_load_state("networkidle")
                    for url, (kind, size) in sizes.items():
                        run.weight[kind] += size
                        run.files[urlsplit(url).path.lstrip("/")] = size
                context.close()
        browser.close()
    return runs


def ready_ratios(runs: dict[str, PageRun], baseline: str) -> dict[str, float]:
    """Median over the rounds of each page's ready time over the baseline's, same round."""
    base = runs[baseline].ready_ms
    return {
        page: statistics.median(t / b for t, b in zip(run.ready_ms, base, strict=True))
        for page, run in runs.items()
    }


# -- report ------------------------------------------------------------------------------
def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.0f} KB"


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _file_group(path: str) -> str:
    if path.startswith("_images/"):
        return "figure PNGs (_images)"
    if path.startswith("_static/katex/"):
        return "KaTeX (CSS, fonts)"
    if path.startswith("_static/vendor/fontawesome/") or "fontawesome" in path:
        return "icon font (Font Awesome)"
    if path.startswith("_static/") and path.split("?")[0].endswith(".css"):
        return "theme and extension CSS"
    if path.startswith("_static/") and path.split("?")[0].endswith(".js"):
        return "theme and extension scripts"
    if path.endswith("searchindex.js"):
        return "search index"
    return "other"


def report(
    build_s: float | None,
    executed: dict[str, float],
    runs: dict[str, PageRun],
    chapters: list[str],
    loads: int,
) -> str:
    lines = []
    if build_s is not None:
        lines.append(
            f"Clean build of the whole book, {len(executed)} notebooks executed: "
            f"{build_s:.1f} s (goal < {BUILD_GOAL_S:.0f} s): {_verdict(build_s < BUILD_GOAL_S)}"
        )
        if executed:
            runs_text = ", ".join(f"{name} {secs:.1f} s" for name, secs in executed.items())
            lines.append(f"  notebook execution: {runs_text}")
        lines.append("")

    ratios = ready_ratios(runs, BASELINE_PAGE)
    lines.append(
        f"Ready (drawn after the load event and fonts), median of {loads} cold loads in Chromium; "
        f"ratio to {BASELINE_PAGE} in the same round (goal <= {READY_GOAL_RATIO} for chapters):"
    )
    lines.append(f"{'page':<44}{'ready':>10}{'ratio':>8}")
    for page, run in runs.items():
        verdict = _verdict(ratios[page] <= READY_GOAL_RATIO) if page in chapters else ""
        median = statistics.median(run.ready_ms)
        lines.append(f"{page:<44}{median:>8.0f} ms{ratios[page]:>8.2f}  {verdict}")
    lines.append("")

    lines.append(
        f"Each page with everything it loads, counted in Chromium (goal <= "
        f"{_mb(PAGE_GOAL_BYTES)} for chapters; 'explorers' is the part their scripts add):"
    )
    header = f"{'page':<44}" + "".join(f"{k:>10}" for k in KINDS)
    lines.append(header + f"{'total':>10}{'explorers':>11}")
    for page, run in runs.items():
        total = sum(run.weight.values())
        cells = "".join(f"{_mb(run.weight.get(k, 0)):>10}" for k in KINDS)
        verdict = f"  {_verdict(total <= PAGE_GOAL_BYTES)}" if page in chapters else ""
        lines.append(f"{page:<44}{cells}{_mb(total):>10}{_mb(run.explorer_bytes):>11}" + verdict)
    lines.append("")

    # Where a chapter page's weight goes, apart from its own HTML.
    groups: Counter = Counter()
    shared: Counter = Counter()
    sizes: dict[str, int] = {}
    for page in chapters:
        for path, size in runs[page].files.items():
            if path.split("?")[0] == page:
                continue
            groups[_file_group(path)] += size
            shared[path] += 1
            sizes[path] = size
    lines.append(f"Files the {len(chapters)} chapter pages load besides their HTML, in total:")
    for group, size in groups.most_common():
        lines.append(f"  {group:<36}{_mb(size):>10}")
    lines.append("Largest of them (size, chapter pages that load it):")
    for path, size in sorted(sizes.items(), key=lambda item: -item[1])[:10]:
        lines.append(f"  {_mb(size):>9}  {shared[path]}  {path.split('?')[0]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--html", type=Path, help="measure the pages of this existing build; do not build"
    )
    parser.add_argument("--loads", type=int, default=11, help="cold loads of each page")
    args = parser.parse_args([] if argv is None else argv)
    pages, chapters = toc_pages(), chapter_pages()
    if BASELINE_PAGE not in pages:
        raise RuntimeError(f"{BASELINE_PAGE}, the baseline page, is not in _toc.yml")
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: the pages need a browser")
    build_s, executed = None, {}
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        if args.html is None:
            build_s, executed = clean_build(Path(tmp))
            html_dir = Path(tmp) / "_build" / "html"
        else:
            html_dir = args.html.resolve()
        missing = [p for p in pages if not (html_dir / p).is_file()]
        if missing:
            raise RuntimeError(f"pages missing from {html_dir}: {missing}")
        runs = measure_in_browser(html_dir, pages, max(1, args.loads))
    print(report(build_s, executed, runs, chapters, max(1, args.loads)))
    ratios = ready_ratios(runs, BASELINE_PAGE)
    return {
        "build_seconds": build_s,
        "notebook_seconds": executed,
        "ready_ms": {page: statistics.median(run.ready_ms) for page, run in runs.items()},
        "ready_ratio": ratios,
        "page_bytes": {page: sum(run.weight.values()) for page, run in runs.items()},
        "explorer_bytes": {page: run.explorer_bytes for page, run in runs.items()},
    }


if __name__ == "__main__":
    main(sys.argv[1:])
