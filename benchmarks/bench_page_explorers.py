"""The page explorers: how long a control move takes, and what they add to a chapter page.

Goals, in headless Chromium on the 2-core reference machine:

===========================================================  ============
measure                                                      goal
===========================================================  ============
a control move, script and rendering: median over the moves  <= 16 ms
a control move: the slowest                                  <= 50 ms
the scripts, styles and data a chapter's explorers add       <= 100 KB
===========================================================  ============

A move is timed in the page: from setting a control's value and dispatching its
``input`` (or ``change``) event, through the explorer's handler (script), to the end of
the rendering work of the next frame (style, layout, paint), measured from the frame's
start to a task queued from its ``requestAnimationFrame`` callback. The wait for the
frame itself is left out: it is idle time, not work. The moves walk every control of
every explorer across its range (sliders in 40 steps, every option of a choice). As a
second, coarser view, the Event Timing API reports any real key press on a slider whose
handling and next paint took 16 ms or more (its resolution is 8 ms); the count of such
presses is printed too.

The weight is counted from the built files: nnmath.js, core.js, the explorer's view,
explorers.css, and the explorer's own HTML in the page (its JSON, with the capstone's
data and initial weights, and the still picture for readers without JavaScript).
The baseline it replaces, for scale: the pre-rendered one-parameter sweeps were 64-374
KB each (measured before they were removed).

Run ``python benchmarks/bench_page_explorers.py`` after ``make book`` (``--html DIR``
for another build).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MEDIAN_GOAL_MS = 16.0
WORST_GOAL_MS = 50.0
WEIGHT_GOAL_BYTES = 100 * 1024
ROOT_DIV = re.compile(
    r'<div class="nnmath-explorer" data-explorer="([a-z_]+)" data-view="([a-z_]+)">'
    r".*?</noscript></div>",
    re.S,
)

#: In the page: time moves of every control of one explorer, returning milliseconds.
TIME_MOVES = r"""
async (name) => {
  const root = document.querySelector(`.nnmath-explorer[data-explorer="${name}"]`);
  const settle = () => new Promise(done => {
    const check = () => root.dataset.busy === "false" ? done() : requestAnimationFrame(check);
    check();
  });
  const frame = () => new Promise(done => requestAnimationFrame(start => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now() - start);
    channel.port2.postMessage(0);
  }));
  await settle();
  const times = [];
  async function move(input, eventName) {
    const t0 = performance.now();
    input.dispatchEvent(new Event(eventName, { bubbles: true }));
    const script = performance.now() - t0;
    const render = await frame();
    times.push(script + render);
    await settle();
  }
  for (const input of root.querySelectorAll("input[type=range]")) {
    if (input.closest("[hidden]")) continue;
    const lo = Number(input.min), hi = Number(input.max), start = input.value;
    for (let i = 0; i <= 40; i++) {
      input.value = String(lo + ((hi - lo) * (i % 2 ? 40 - i : i)) / 40);
      await move(input, "input");
    }
    input.value = start;
    await move(input, "input");
  }
  for (const group of root.querySelectorAll("fieldset")) {
    const radios = Array.from(group.querySelectorAll("input[type=radio]"));
    const start = radios.find(r => r.checked);
    for (const radio of radios.concat([start])) {
      radio.checked = true;
      await move(radio, "change");
    }
  }
  for (const select of root.querySelectorAll("select")) {
    const start = select.value;
    for (const option of Array.from(select.options).map(o => o.value).concat([start])) {
      select.value = option;
      await move(select, "change");
    }
  }
  return times;
}
"""

#: Event Timing: key presses on a slider that took 16 ms or more until the next paint.
SLOW_KEYS = r"""
async (name) => {
  const root = document.querySelector(`.nnmath-explorer[data-explorer="${name}"]`);
  window.__slow = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (e.name === "keydown") window.__slow.push(e.duration);
  }).observe({ type: "event", durationThreshold: 16, buffered: false });
  const slider = Array.from(root.querySelectorAll("input[type=range]"))
    .find(s => !s.closest("[hidden]"));
  slider.focus();
  return slider.id;
}
"""


def weights(html: Path) -> list[tuple[str, str, int]]:
    """(chapter, explorer, bytes the explorer adds) for every explorer of the built book."""
    static = html / "_static"
    shared = sum(
        (static / name).stat().st_size
        for name in ("nnmath.js", "explorers/core.js", "explorers/explorers.css")
    )
    out = []
    for page in sorted((html / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for match in ROOT_DIV.finditer(text):
            name = match.group(1)
            view = (static / "explorers" / f"{match.group(2)}.js").stat().st_size
            out.append((page.stem, name, shared + view + len(match.group(0).encode())))
    return out


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def time_moves(html: Path, pages: list[tuple[str, str]]) -> dict[str, tuple[list[float], int]]:
    from playwright.sync_api import sync_playwright

    base, server = serve(html)
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-background-networking"],
            )
            for chapter, name in pages:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}chapters/{chapter}.html", wait_until="load")
                page.wait_for_selector(f'[data-explorer="{name}"][data-ready="true"]')
                page.locator(f'[data-explorer="{name}"]').first.scroll_into_view_if_needed()
                times = page.evaluate(TIME_MOVES, name)
                page.evaluate(SLOW_KEYS, name)
                for key in ["ArrowRight"] * 10 + ["ArrowLeft"] * 10:
                    page.keyboard.press(key)
                page.wait_for_timeout(300)
                slow = page.evaluate("() => window.__slow.length")
                results[name] = (times, slow)
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args(argv if argv is not None else [])
    if not (args.html / "index.html").is_file():
        print(f"bench_page_explorers: no built book in {args.html}; run `make book` first")
        return
    found = weights(args.html)
    print("The page explorers (headless Chromium)")
    print(
        f"{'explorer':<24}{'moves':>6}{'median ms':>11}{'worst ms':>10}{'keys>=16ms':>12}"
        f"{'adds KB':>9}"
    )
    if not Path(CHROMIUM).is_file():
        print(f"  (no Chromium at {CHROMIUM}: sizes only)")
        timed = {}
    else:
        timed = time_moves(args.html, [(c, n) for c, n, _ in found])
    ok = True
    for _chapter, name, size in found:
        times, slow = timed.get(name, ([], 0))
        median = statistics.median(times) if times else float("nan")
        worst = max(times) if times else float("nan")
        ok &= size <= WEIGHT_GOAL_BYTES and (
            not times or (median <= MEDIAN_GOAL_MS and worst <= WORST_GOAL_MS)
        )
        print(
            f"{name:<24}{len(times):>6}{median:>11.1f}{worst:>10.1f}{slow:>12}{size / 1024:>9.1f}"
        )
    print(
        f"goals: median <= {MEDIAN_GOAL_MS:g} ms, worst <= {WORST_GOAL_MS:g} ms, "
        f"<= {WEIGHT_GOAL_BYTES // 1024} KB a chapter: {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
