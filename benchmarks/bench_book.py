"""Build time of the whole book, and the weight of each chapter page.

Goals (issue 5), on the 2-core reference machine:

=========================================================  ============
measure                                                    goal
=========================================================  ============
clean build of the whole book, every notebook executed     < 90 s
each chapter page with everything it loads                 < 3 MB
=========================================================  ============

The build goes to a fresh temporary folder (``jupyter-book build --path-output``), so
nothing is cached: every notebook runs and every page is written, with the same
flags as ``make book``.

A page's weight is what a reader's browser fetches: the HTML plus every script,
stylesheet, image and font it loads from the book. It is measured by serving the build
on 127.0.0.1 and opening each chapter in headless Chromium, counting the body of every
response; that includes what MathJax loads on demand (its components and fonts),
which a scan of the HTML would miss. Without Chromium the benchmark falls back to a
static count of the files named by ``<script>``, ``<link>`` and ``<img>`` tags, by
``url()`` in the local stylesheets, and by MathJax's configuration (its components and
basic fonts), and says so. 1 MB is 10^6 bytes.

Run ``python benchmarks/bench_book.py`` (or ``make bench`` for every benchmark);
``--html _build/html`` measures an existing build without building.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD_GOAL_S = 90.0
PAGE_GOAL_BYTES = 3_000_000
JB_FLAGS = ["-W", "-n", "--keep-going"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
KINDS = ("html", "images", "scripts", "styles", "fonts", "other")


# -- the book ---------------------------------------------------------------------
def chapter_pages(source: Path = ROOT) -> list[str]:
    """HTML paths of the notebook chapters listed in ``_toc.yml``."""
    toc = yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8"))
    files: list[str] = []

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(re.sub(r"\.(md|ipynb)$", "", entry["file"]))
            walk(entry.get("chapters", []) + entry.get("sections", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return [f"{name}.html" for name in files if (source / f"{name}.ipynb").is_file()]


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


# -- page weight in a browser --------------------------------------------------------
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


def _kind(resource_type: str, url: str) -> str:
    if resource_type == "document":
        return "html"
    if resource_type in ("image", "font", "script", "stylesheet"):
        return {"image": "images", "font": "fonts", "script": "scripts"}.get(
            resource_type, "styles"
        )
    return "other"


def _local_only(route, *, base: str) -> None:
    """Let requests to the local server through; abort anything else."""
    if route.request.url.startswith(base):
        route.continue_()
    else:
        route.abort()


def weigh_in_browser(html_dir: Path, pages: list[str]) -> dict[str, Counter]:
    """Bytes each page loads, by kind, as counted by headless Chromium."""
    from playwright.sync_api import sync_playwright

    weights: dict[str, Counter] = {}
    with serve(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        for page_path in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", functools.partial(_local_only, base=base))
            sizes: dict[str, tuple[str, int]] = {}

            def on_response(response, sizes=sizes, base=base) -> None:
                if response.url.startswith(base) and response.ok:
                    kind = _kind(response.request.resource_type, response.url)
                    sizes[response.url] = (kind, len(response.body()))

            context.on("response", on_response)
            page = context.new_page()
            page.goto(base + page_path, wait_until="networkidle")
            if page.locator("script[src*='mathjax/']").count():
                page.wait_for_function("() => window.MathJax && MathJax.startup.promise")
                page.evaluate("() => MathJax.startup.promise.then(() => true)")
                page.wait_for_load_state("networkidle")
            total: Counter = Counter()
            for kind, size in sizes.values():
                total[kind] += size
            weights[page_path] = total
            context.close()
        browser.close()
    return weights


# -- page weight from the files (no browser) -------------------------------------------
class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.found.append(("scripts", a["src"]))
        elif tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if "stylesheet" in rel:
                self.found.append(("styles", a["href"]))
            elif "preload" in rel or "icon" in rel:
                self.found.append(("scripts" if a.get("as") == "script" else "other", a["href"]))
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.found.append(("images", a["src"]))


def _local_file(html_dir: Path, base_url: str, ref: str) -> Path | None:
    url = urljoin(base_url, ref)
    if urlsplit(url).scheme != "file":
        return None
    path = Path(unquote(urlsplit(url).path))
    return path if path.is_file() and html_dir in path.parents else None


#: MathJax fonts that CommonHTML output fetches for almost any formula.
MATHJAX_BASIC_FONTS = ("MathJax_Zero", "MathJax_Main-Regular", "MathJax_Math-Italic")


def _mathjax_parts(html: str, parser: _References) -> list[tuple[str, str]]:
    """The components and basic fonts MathJax loads on demand, as (kind, reference)."""
    startup = next((ref for _, ref in parser.found if ref.split("?")[0].endswith("startup.js")), "")
    config = re.search(r"window\.MathJax = ({.*?})</script>", html)
    if not startup or not config:
        return []
    root = startup.split("?")[0].rsplit("/", 1)[0]
    load = json.loads(config.group(1)).get("loader", {}).get("load", [])
    parts = [("scripts", f"{root}/core.js")] + [("scripts", f"{root}/{c}.js") for c in load]
    if "output/chtml" in load:
        parts.append(("scripts", f"{root}/output/chtml/fonts/tex.js"))
        fonts = f"{root}/output/chtml/fonts/woff-v2"
        parts += [("fonts", f"{fonts}/{name}.woff") for name in MATHJAX_BASIC_FONTS]
    return parts


def weigh_static(html_dir: Path, pages: list[str]) -> dict[str, Counter]:
    """Bytes of each page and the local files it names, MathJax's usual components included."""
    weights: dict[str, Counter] = {}
    for page_path in pages:
        html_file = html_dir / page_path
        parser = _References()
        html = html_file.read_text(encoding="utf-8")
        parser.feed(html)
        parser.found += _mathjax_parts(html, parser)
        total: Counter = Counter(html=html_file.stat().st_size)
        seen: set[Path] = set()
        for kind, ref in parser.found:
            path = _local_file(html_dir, html_file.as_uri(), ref)
            if path is None or path in seen:
                continue
            seen.add(path)
            total[kind] += path.stat().st_size
            if kind == "styles":
                css = path.read_text(encoding="utf-8", errors="replace")
                # one source per @font-face (the browser takes the first it supports)
                faces = re.findall(r"@font-face\s*{[^}]*?url\(([^)]+)\)", css)
                css = re.sub(r"@font-face\s*{[^}]*}", "", css)
                for target in faces + re.findall(r"url\(([^)]+)\)", css):
                    target = target.strip("'\" ")
                    asset = _local_file(html_dir, path.as_uri(), target)
                    if asset is not None and asset not in seen:
                        seen.add(asset)
                        total["fonts" if target in faces else "images"] += asset.stat().st_size
        weights[page_path] = total
    return weights


# -- report ------------------------------------------------------------------------------
def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.0f} KB"


def report(
    build_s: float | None, executed: dict[str, float], weights: dict[str, Counter], how: str
) -> str:
    lines = []
    if build_s is not None:
        verdict = "met" if build_s < BUILD_GOAL_S else "MISSED"
        lines.append(
            f"Clean build of the whole book, {len(executed)} notebooks executed: "
            f"{build_s:.1f} s (goal < {BUILD_GOAL_S:.0f} s): {verdict}"
        )
        if executed:
            runs = ", ".join(f"{name} {secs:.1f} s" for name, secs in executed.items())
            lines.append(f"  notebook execution: {runs}")
        lines.append("")
    lines.append(f"Chapter pages with everything they load ({how}; goal < 3 MB each):")
    header = f"{'page':<44}" + "".join(f"{k:>10}" for k in KINDS) + f"{'total':>11}"
    lines.append(header)
    for page_path, weight in weights.items():
        total = sum(weight.values())
        verdict = "met" if total < PAGE_GOAL_BYTES else "MISSED"
        cells = "".join(f"{_mb(weight.get(k, 0)):>10}" for k in KINDS)
        lines.append(f"{page_path:<44}{cells}{_mb(total):>11}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--html", type=Path, help="measure the pages of this existing build; do not build"
    )
    parser.add_argument(
        "--static", action="store_true", help="count files instead of using Chromium"
    )
    args = parser.parse_args([] if argv is None else argv)
    pages = chapter_pages()
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
        if not args.static and Path(CHROMIUM).is_file():
            weights, how = weigh_in_browser(html_dir, pages), "measured in Chromium"
        else:
            weights = weigh_static(html_dir, pages)
            how = "static count of referenced files, without a browser"
    print(report(build_s, executed, weights, how))
    return {
        "build_seconds": build_s,
        "notebook_seconds": executed,
        "page_bytes": {page: sum(w.values()) for page, w in weights.items()},
    }


if __name__ == "__main__":
    main(sys.argv[1:])
