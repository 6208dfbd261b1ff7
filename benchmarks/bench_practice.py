"""Practice in the page: what it adds to a chapter, how fast an answer is graded, and what a
challenge listening to an explorer costs that explorer's moves.

Goals, in headless Chromium on the 2-core reference machine:

=============================================================  ============
measure                                                        goal
=============================================================  ============
an answer, from the submit to the next frame drawn: median     <= 50 ms
an answer: the slowest                                         <= 100 ms
an explorer's moves with its challenge listening, median,
against the same page with no practice, in the same run         <= 1.25x
=============================================================  ============

An answer is timed as an explorer's move is (``bench_page_explorers.py``): from the
form's submit, through the check's handler (grading, feedback, localStorage), to the end
of the rendering work of the next frame. An answer is one response to one action, not a
frame of a continuous drag: its goals are a response's (within 100 ms a reader sees it
as immediate), not the 16 ms of a slider's move. The feedback it shows makes the page
longer, so the browser lays out the rest of the (long) chapter page again. Every check
of every chapter is answered with each of its options, its right number and each common
wrong number; a predict's first answer includes mounting its explorer. The baseline for
the challenges is the same chapter page served with its practice removed, in the same
browser, the two timed in turn three times (the moves of ``bench_page_explorers``: every
slider in 40 steps).

The weight, counted from the built files: the practice's own HTML in each chapter (its
JSON, with the math typeset by the book's renderer, and the version for readers without
JavaScript), its stylesheet, and its script (``js/practice.js`` bundled and minified
alone; the page gets it inside ``explorers.js``).

Run ``python benchmarks/bench_practice.py`` after ``make book``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "_ext"))
import bench_page_explorers as explorers  # noqa: E402

# The quiet local server and the browser of the page-load benchmark.
from bench_book import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

MEDIAN_GOAL_MS = 50.0
WORST_GOAL_MS = 100.0
RATIO_GOAL = 1.25
PRACTICE = re.compile(
    r'<div class="nnmath-practice" data-chapter="[A-Za-z0-9_]+">.*?</noscript></div>', re.S
)

#: In the page: answer every check every way, timing each answer (milliseconds).
TIME_ANSWERS = r"""
async () => {
  const frame = () => new Promise(done => requestAnimationFrame(start => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now() - start);
    channel.port2.postMessage(0);
  }));
  const times = [];
  async function submit(form) {
    const t0 = performance.now();
    form.requestSubmit();
    const script = performance.now() - t0;
    times.push(script + await frame());
  }
  for (const root of document.querySelectorAll("[data-check]")) {
    root.scrollIntoView();
    const form = root.querySelector("form");
    const inputs = Array.from(form.querySelectorAll(".nnmath-choices input"));
    if (inputs.length) {
      for (const input of inputs) {
        inputs.forEach(i => (i.checked = i === input));
        await submit(form);
      }
    } else {
      const field = form.querySelector("input.nnmath-number");
      for (const value of root.dataset.tryNumbers.split(" ")) {
        field.value = value;
        await submit(form);
      }
    }
  }
  return times;
}
"""


def weights(html: Path) -> tuple[list[tuple[str, int, int]], int, int]:
    """(chapter, practice HTML bytes, page bytes) per chapter; the stylesheet's and the
    script's bytes."""
    rows = []
    for page in sorted((html / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = PRACTICE.findall(text)
        if found:
            rows.append((page.stem, sum(len(f.encode()) for f in found), len(text.encode())))
    css = (html / "_static" / "practice" / "practice.css").stat().st_size
    return rows, css, script_bytes()


def script_bytes() -> int:
    """``js/practice.js`` bundled and minified alone, as esbuild does for the page."""
    import explorer_bundles

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "practice.js"
        script = (
            "require('esbuild').buildSync({entryPoints: [process.argv[1]], bundle: true,"
            " minify: true, format: 'iife', outfile: process.argv[2], logLevel: 'error'})"
        )
        explorer_bundles.node("-e", script, str(ROOT / "js" / "practice.js"), str(out))
        return out.stat().st_size


def numbers_to_try(html: str) -> dict[str, str]:
    """For each number check of a page: its right answer and every common wrong number."""
    out = {}
    for spec_text in re.findall(r'class="nnmath-practice-spec">(.*?)</script>', html, re.S):
        for item in json.loads(spec_text.replace("\\u003c", "<")).get("items", []):
            if "answer" in item:
                tried = [item["answer"]] + [w["value"] for w in item["wrong"]]
                out[item["id"]] = " ".join(repr(v) for v in tried)
    return out


def time_answers(html: Path, chapters: list[str]) -> list[float]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    with serve(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for chapter in chapters:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}chapters/{chapter}.html", wait_until="load")
            page.wait_for_selector(".nnmath-practice[data-ready='true'] [data-check]")
            text = (html / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
            for check_id, tried in numbers_to_try(text).items():
                page.locator(f'[data-check="{check_id}"]').evaluate(
                    "(el, tried) => { el.dataset.tryNumbers = tried; }", tried
                )
            times += page.evaluate(TIME_ANSWERS)
            page.close()
        browser.close()
    return times


def time_challenges(
    html: Path, chapters: list[str], rounds: int = 3
) -> list[tuple[str, str, float, float]]:
    """(chapter, explorer, median move with practice, median move without), for each
    chapter with a challenge: ``rounds`` rounds of each, in turn."""
    from playwright.sync_api import sync_playwright

    out = []
    with serve(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for chapter in chapters:
            text = (html / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
            names = re.findall(r'"kind":"challenge","id":"[^"]+","explorer":"([a-z_]+)"', text)
            for name in dict.fromkeys(names):
                timed: dict[bool, list[float]] = {True: [], False: []}
                for _ in range(rounds):
                    for with_practice in (True, False):
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        url = f"{base}chapters/{chapter}.html"
                        if not with_practice:
                            body = PRACTICE.sub("", text).encode()

                            def strip(route, request, body=body):  # no practice
                                route.fulfill(
                                    status=200,
                                    body=body,
                                    content_type="text/html; charset=utf-8",
                                )

                            page.route(url, strip)
                        page.goto(url, wait_until="load")
                        page.wait_for_selector(f'[data-explorer="{name}"][data-ready="true"]')
                        page.locator(f'[data-explorer="{name}"]').first.scroll_into_view_if_needed()
                        timed[with_practice] += page.evaluate(explorers.TIME_MOVES, name)
                        page.close()
                out.append(
                    (
                        chapter,
                        name,
                        statistics.median(timed[True]),
                        statistics.median(timed[False]),
                    )
                )
        browser.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--quick", action="store_true", help="one chapter: does it run?")
    args = parser.parse_args(argv if argv is not None else [])
    if not (args.html / "index.html").is_file():
        print(f"bench_practice: no built book in {args.html}; run `make book` first")
        return
    rows, css, script = weights(args.html)
    print("Practice in the page (headless Chromium)")
    print(f"{'chapter':<28}{'practice HTML KB':>18}{'of the page':>13}")
    for chapter, size, page in rows:
        print(f"{chapter:<28}{size / 1024:>18.1f}{size / page:>12.0%}")
    print(f"stylesheet {css / 1024:.1f} KB, script {script / 1024:.1f} KB (inside explorers.js)")
    if not Path(CHROMIUM).is_file():
        print(f"  (no Chromium at {CHROMIUM}: sizes only)")
        return
    chapters = [chapter for chapter, _, _ in rows]
    rounds = 3
    if args.quick:
        print("quick run: the first chapter, one round; its numbers mean nothing")
        chapters, rounds = chapters[:1], 1
    times = time_answers(args.html, chapters)
    median, worst = statistics.median(times), max(times)
    ok = median <= MEDIAN_GOAL_MS and worst <= WORST_GOAL_MS
    print(f"answers: {len(times)}, median {median:.1f} ms, worst {worst:.1f} ms")
    for chapter, name, with_practice, without in time_challenges(args.html, chapters, rounds):
        ratio = with_practice / without
        ok &= ratio <= RATIO_GOAL
        print(
            f"{chapter} {name}: a move {with_practice:.1f} ms with its challenge listening, "
            f"{without:.1f} ms without practice (ratio {ratio:.2f})"
        )
    print(
        f"goals: answers median <= {MEDIAN_GOAL_MS:g} ms, worst <= {WORST_GOAL_MS:g} ms; "
        f"moves with a challenge <= {RATIO_GOAL:g}x: {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
