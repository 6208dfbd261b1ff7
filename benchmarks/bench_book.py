"""Build time of the whole book; how soon each page is drawn and loaded, and what it weighs.

Goals, on the 2-core reference machine:

===================================================================  =====================
measure                                                              goal
===================================================================  =====================
clean build of the whole book, every notebook executed               < 90 s
a chapter's largest contentful paint, over the bibliography page's   <= 1.4
a chapter's load event, over the bibliography page's                 <= 2.0
the longest main-thread task while a chapter loads                   <= 100 ms
each chapter page with everything it loads                           <= 1.5 MB
===================================================================  =====================

The build goes to a fresh temporary folder (``jupyter-book build --path-output``), so
nothing is cached: every notebook runs and every page is written, with the same flags as
``make book``. ``--html DIR`` measures an existing build instead; several ``--html``
folders are measured side by side in the same rounds (to compare two ways of building
the same pages), each against its own bibliography page, each build loading a page first
in half of the rounds (``visit_order``: the second to load the same page came out 0.1-0.2
worse, whichever build it was).

Each page is opened ``--loads`` times (default 9) in headless Chromium at 1280x900, from
127.0.0.1, each time in a fresh browser context (an empty cache, as a first visit), the
pages taking turns so that a busy moment of the machine hits them alike. Three times,
counted from the start of the navigation:

* **LCP**: the largest contentful paint, when the reader sees the first screen's main
  text or figure;
* **load**: the end of the load event, after every image, script, style and font the
  page loads before it;
* **longest task**: the longest main-thread task that starts before the load event ends
  (parsing, styles, layout, scripts): while it runs the page cannot answer the reader.

A page's ratio is the median, over the rounds, of its time divided by the bibliography
page's in the same round; the bibliography page is the book's lightest page of text,
with the same theme, scripts and styles as a chapter. The bibliography page is also
loaded a second time in every round as a page of its own (``control/bibliography.html``,
the same bytes): its ratio to itself, which only chance moves from 1.00, shows how far
the chapters' ratios can be trusted in that run. Every element a reader can see
is laid out: the report counts the elements whose layout a page skips
(``content-visibility``), which must be none, or the times would flatter the page. It
also counts, as *folded*, what closed dropdowns hold (solutions, "Going further" boxes,
hidden code cells: closed ``<details>``): like anything not displayed, it is not laid
out until the reader opens its box, whose size until then is its title's.

**Weight** is what a reader's browser fetches: the HTML plus every script, stylesheet,
image and font it loads, counted from the response bodies as Chromium receives them
(uncompressed: the local server does not compress). The report also gives the part of
each page's weight that its explorers add (``_static/nnmath.js`` and
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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD_GOAL_S = 90.0
LCP_GOAL_RATIO = 1.4
LOAD_GOAL_RATIO = 2.0
LONGEST_TASK_GOAL_MS = 100.0
PAGE_GOAL_BYTES = 1_500_000
BASELINE_PAGE = "bibliography.html"
#: The baseline page again, byte for byte, served under this folder (``control/`` is
#: read as the build's root): its ratio to the baseline shows how far a ratio moves by
#: chance in the same run, which no change to a chapter can be told from.
CONTROL_DIR = "control/"
CONTROL_PAGE = CONTROL_DIR + BASELINE_PAGE
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

    def translate_path(self, path: str) -> str:
        """``/control/...`` is the build's root again (the control page and its files)."""
        if path.startswith("/" + CONTROL_DIR):
            path = path[len(CONTROL_DIR) :]
        return super().translate_path(path)


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a page closed while one of its files was still coming: nothing to report


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
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


#: Before any of the page's scripts: record the largest contentful paint and every long
#: task (over 50 ms on the main thread) from the start of the navigation.
OBSERVERS = """
window.__bench = {lcp: 0, tasks: []};
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__bench.lcp = entry.startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
new PerformanceObserver(list => {
  for (const entry of list.getEntries())
    window.__bench.tasks.push([entry.startTime, entry.duration]);
}).observe({type: "longtask", buffered: true});
"""

#: After the load event, once the fonts are in and the browser has drawn and been idle:
#: the three times, and how many elements of the article skip their layout (containment
#: such as ``content-visibility``, which the page must not use to look faster).
TIMES = """() => {
  void document.body.offsetHeight;  // lay out, so that the fonts in use are requested
  return document.fonts.ready
    .then(() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 300))))
    .then(() => new Promise(done => requestIdleCallback(done, {timeout: 2000})))
    .then(() => {
      const load = performance.getEntriesByType("navigation")[0].loadEventEnd;
      const during = window.__bench.tasks.filter(([start]) => start < load);
      const skipped = Array.from(document.querySelectorAll("body *")).filter(e =>
        getComputedStyle(e).contentVisibility !== "visible").length;
      // What a closed dropdown holds (a solution, a "Going further" box, a hidden cell):
      // not drawn, so not laid out, until the reader opens it. Counted, to be seen.
      const folded = document.querySelectorAll(
        "details:not([open]) > :not(summary), details:not([open]) > :not(summary) *").length;
      return {lcp: window.__bench.lcp, load,
              longest: Math.max(0, ...during.map(([, duration]) => duration)),
              elements: document.getElementsByTagName("*").length, skipped, folded};
    });
}"""


@dataclass
class PageRun:
    """What the browser saw of one page: times in ms (one per load) and bytes."""

    lcp_ms: list[float] = field(default_factory=list)
    load_ms: list[float] = field(default_factory=list)
    longest_task_ms: list[float] = field(default_factory=list)
    elements: int = 0
    skipped: int = 0
    folded: int = 0
    weight: Counter = field(default_factory=Counter)
    files: dict[str, int] = field(default_factory=dict)

    @property
    def explorer_bytes(self) -> int:
        """What the page's explorers add: the math in the page, their views and style."""
        return sum(size for path, size in self.files.items() if _is_explorer_file(path))


def visit_order(builds: list[str], pages: list[str], round_: int) -> list[tuple[str, str]]:
    """The (build, page) visits of round ``round_``: every page of every build once, the
    builds of one page one after the other, the pages turned by one a round so that each
    takes its turn at the start. Every other round takes the builds in reverse order: a
    build loaded right after the same page of another came out 0.1-0.2 worse in its
    ratios, whichever build it was, so each build goes first in half of the rounds.

    >>> visit_order(["a", "b"], ["p", "q"], 0)
    [('a', 'p'), ('b', 'p'), ('a', 'q'), ('b', 'q')]
    >>> visit_order(["a", "b"], ["p", "q"], 1)
    [('b', 'q'), ('a', 'q'), ('b', 'p'), ('a', 'p')]
    """
    order = builds if round_ % 2 == 0 else builds[::-1]
    shift = round_ % len(pages)
    return [(name, page) for page in pages[shift:] + pages[:shift] for name in order]


def measure_in_browser(
    html_dirs: dict[str, Path], pages: list[str], loads: int
) -> dict[str, dict[str, PageRun]]:
    """Open every page of every build ``loads`` times, each time in a fresh context (an
    empty cache, as a first visit), builds and pages taking turns so that a busy moment
    of the machine hits them alike; weigh each page on its first load."""
    from playwright.sync_api import sync_playwright

    runs = {name: {page: PageRun() for page in pages} for name in html_dirs}
    with ExitStack() as stack:
        bases = {name: stack.enter_context(serve(path)) for name, path in html_dirs.items()}
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for round_ in range(loads):
            for name, page_path in visit_order(list(html_dirs), pages, round_):
                base, run = bases[name], runs[name][page_path]
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route("**/*", functools.partial(_local_only, base=base))
                context.add_init_script(OBSERVERS)
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
                times = page.evaluate(TIMES)
                run.lcp_ms.append(times["lcp"])
                run.load_ms.append(times["load"])
                run.longest_task_ms.append(times["longest"])
                run.elements, run.skipped = times["elements"], times["skipped"]
                run.folded = times["folded"]
                if round_ == 0:
                    page.wait_for_load_state("networkidle")
                    for url, (kind, size) in sizes.items():
                        run.weight[kind] += size
                        run.files[urlsplit(url).path.lstrip("/")] = size
                context.close()
        browser.close()
    return runs


def ratios(runs: dict[str, PageRun], measure: str, baseline: str) -> dict[str, float]:
    """Median over the rounds of each page's ``measure`` over the baseline's, same round."""
    base = getattr(runs[baseline], measure)
    return {
        page: statistics.median(t / b for t, b in zip(getattr(run, measure), base, strict=True))
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
    if path.startswith("_static/math/"):
        return "math fonts"  # the math's stylesheets are in the page's bundle
    if path.startswith("_static/vendor/fontawesome/") or "fontawesome" in path:
        return "icon font (Font Awesome)"
    if path.startswith("_static/") and path.split("?")[0].endswith(".css"):
        return "stylesheets (the bundles)"
    if path.startswith("_static/") and path.split("?")[0].endswith(".js"):
        return "theme and extension scripts"
    if path.endswith("searchindex.js"):
        return "search index"
    return "other"


def _time_table(runs: dict[str, PageRun], chapters: list[str], loads: int) -> list[str]:
    lcp = ratios(runs, "lcp_ms", BASELINE_PAGE)
    load = ratios(runs, "load_ms", BASELINE_PAGE)
    lines = [
        f"{'page':<40}{'elements':>9}{'folded':>8}{'LCP':>9}{'ratio':>7}{'load':>9}"
        f"{'ratio':>7}{'longest task':>14}"
    ]
    for page, run in runs.items():
        longest = statistics.median(run.longest_task_ms)
        verdict = ""
        if page in chapters:
            ok = (
                lcp[page] <= LCP_GOAL_RATIO
                and load[page] <= LOAD_GOAL_RATIO
                and longest <= LONGEST_TASK_GOAL_MS
                and run.skipped == 0
            )
            verdict = "  " + _verdict(ok)
        skipped = f"  ({run.skipped} elements skip layout)" if run.skipped else ""
        if page == CONTROL_PAGE:
            verdict = "  the baseline again: chance"
        lines.append(
            f"{page:<40}{run.elements:>9}{run.folded:>8}{statistics.median(run.lcp_ms):>6.0f} ms"
            f"{lcp[page]:>7.2f}{statistics.median(run.load_ms):>6.0f} ms{load[page]:>7.2f}"
            f"{longest:>11.0f} ms{verdict}{skipped}"
        )
    return lines


def report(
    build_s: float | None,
    executed: dict[str, float],
    builds: dict[str, dict[str, PageRun]],
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

    lines.append(
        f"Medians of {loads} cold loads in Chromium at 1280x900; ratios to {BASELINE_PAGE} in "
        f"the same round. Goals for chapters: LCP <= {LCP_GOAL_RATIO}x, load <= "
        f"{LOAD_GOAL_RATIO}x, longest task before the load event <= "
        f"{LONGEST_TASK_GOAL_MS:.0f} ms, no element skipping its layout."
    )
    for name, runs in builds.items():
        if len(builds) > 1:
            lines.append(f"-- {name}")
        lines += _time_table(runs, chapters, loads)
    lines.append(
        f"{CONTROL_PAGE} is {BASELINE_PAGE} itself, loaded as a page of its own in the same "
        "rounds: its ratios differ from 1.00 by chance alone, and a chapter's ratio is no "
        "more certain than that."
    )
    lines.append("")

    for name, runs in builds.items():
        lines.append(
            f"Each page with everything it loads, counted in Chromium (goal <= "
            f"{_mb(PAGE_GOAL_BYTES)} for chapters; 'explorers' is the part their scripts add)"
            + (f": {name}" if len(builds) > 1 else ":")
        )
        header = f"{'page':<44}" + "".join(f"{k:>10}" for k in KINDS)
        lines.append(header + f"{'total':>10}{'explorers':>11}")
        for page, run in runs.items():
            if page == CONTROL_PAGE:
                continue  # the baseline's bytes again
            total = sum(run.weight.values())
            cells = "".join(f"{_mb(run.weight.get(k, 0)):>10}" for k in KINDS)
            verdict = f"  {_verdict(total <= PAGE_GOAL_BYTES)}" if page in chapters else ""
            lines.append(
                f"{page:<44}{cells}{_mb(total):>10}{_mb(run.explorer_bytes):>11}" + verdict
            )
        lines.append("")

    # Where a chapter page's weight goes, apart from its own HTML (the first build's).
    runs = next(iter(builds.values()))
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
        "--html",
        type=Path,
        action="append",
        help="measure the pages of this existing build (repeat to compare builds); do not build",
    )
    parser.add_argument("--loads", type=int, default=9, help="cold loads of each page")
    parser.add_argument("--pages", nargs="*", help="only these pages (and the baseline)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one load of the first chapter, from the existing build: does it run?",
    )
    args = parser.parse_args([] if argv is None else argv)
    pages, chapters = toc_pages(), chapter_pages()
    if args.quick:
        print("quick run: one load of the first chapter; its numbers mean nothing")
        args.loads, args.pages = 1, args.pages or chapters[:1]
        args.html = args.html or [ROOT / "_build" / "html"]
    if BASELINE_PAGE not in pages:
        raise RuntimeError(f"{BASELINE_PAGE}, the baseline page, is not in _toc.yml")
    if args.pages:
        pages = [p for p in pages if p in args.pages or p == BASELINE_PAGE]
        chapters = [p for p in chapters if p in pages]
    pages.append(CONTROL_PAGE)
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: the pages need a browser")
    build_s, executed = None, {}
    loads = max(1, args.loads)
    with tempfile.TemporaryDirectory(prefix="bench-book-") as tmp:
        if not args.html:
            build_s, executed = clean_build(Path(tmp))
            html_dirs = {"this build": Path(tmp) / "_build" / "html"}
        else:
            html_dirs = {str(path): path.resolve() for path in args.html}
        for html_dir in html_dirs.values():
            missing = [p for p in pages if not (html_dir / p.removeprefix(CONTROL_DIR)).is_file()]
            if missing:
                raise RuntimeError(f"pages missing from {html_dir}: {missing}")
        builds = measure_in_browser(html_dirs, pages, loads)
    print(report(build_s, executed, builds, chapters, loads))
    runs = next(iter(builds.values()))
    return {
        "build_seconds": build_s,
        "notebook_seconds": executed,
        "lcp_ratio": ratios(runs, "lcp_ms", BASELINE_PAGE),
        "load_ratio": ratios(runs, "load_ms", BASELINE_PAGE),
        "longest_task_ms": {p: statistics.median(r.longest_task_ms) for p, r in runs.items()},
        "skipped_elements": {page: run.skipped for page, run in runs.items()},
        "folded_elements": {page: run.folded for page, run in runs.items()},
        "page_bytes": {page: sum(run.weight.values()) for page, run in runs.items()},
        "explorer_bytes": {page: run.explorer_bytes for page, run in runs.items()},
    }


if __name__ == "__main__":
    main(sys.argv[1:])
