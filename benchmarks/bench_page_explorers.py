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
every explorer across its range (sliders in 40 steps, every option of a choice), once
the explorer is at rest (the capstone's explorer has finished training in the
background). The Event Timing API is no help here: it reports only events of 16 ms or
more, rounded to 8 ms, and counts the wait for the next frame.

The weight is counted from the built files, for each chapter: nnmath.js, explorers.js (the
one view of every explorer, bundled from js/) and explorers.css once, and each explorer's
own HTML in the page (its JSON, with the capstone's data, initial weights and nnmath's
final numbers). The still picture for
readers without JavaScript is a file linked from ``<noscript>``, which a browser running
scripts never fetches: it is listed apart.
The baseline it replaces, for scale: the pre-rendered one-parameter sweeps were 64-374
KB each (measured before they were removed).

Run ``python benchmarks/bench_page_explorers.py`` after ``make book`` (``--html DIR``
for another build).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
# The quiet local server and the browser of the page-load benchmark.
from bench_book import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

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
  // Time moves at rest: a view still working in the background (the capstone trains to
  // its last step after showing the one asked for) would add that work to every frame.
  const idle = () => new Promise(done => {
    const check = () => {
      const state = JSON.parse(root.dataset.state || "{}");
      if (state.trained === undefined || state.trained >= 1000) setTimeout(done, 300);
      else setTimeout(check, 50);
    };
    check();
  });
  await idle();
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


def weights(html: Path) -> list[tuple[str, list[str], int, int]]:
    """(chapter, its explorers, bytes they add, bytes of their still pictures) per chapter."""
    static = html / "_static"
    shared = sum(
        (static / name).stat().st_size
        for name in ("nnmath.js", "explorers/explorers.js", "explorers/explorers.css")
    )
    out = []
    for page in sorted((html / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = list(ROOT_DIV.finditer(text))
        if not found:
            continue
        size = shared + sum(len(m.group(0).encode()) for m in found)
        stills = sum(
            (page.parent / src.split("?")[0]).stat().st_size
            for m in found
            for src in re.findall(r'<noscript><img src="([^"]+)"', m.group(0))
            if not src.startswith("data:")
        )
        out.append((page.stem, [m.group(1) for m in found], size, stills))
    return out


def time_moves(html: Path, pages: list[tuple[str, str]]) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with serve(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for chapter, name in pages:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}chapters/{chapter}.html", wait_until="load")
            page.wait_for_selector(f'[data-explorer="{name}"][data-ready="true"]')
            page.locator(f'[data-explorer="{name}"]').first.scroll_into_view_if_needed()
            results[name] = page.evaluate(TIME_MOVES, name)
            page.close()
        browser.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--quick", action="store_true", help="one chapter: does it run?")
    args = parser.parse_args(argv if argv is not None else [])
    if not (args.html / "index.html").is_file():
        print(f"bench_page_explorers: no built book in {args.html}; run `make book` first")
        return
    found = weights(args.html)
    if args.quick:
        print("quick run: the first chapter's explorers; its numbers mean nothing")
        found = found[:1]
    print("The page explorers (headless Chromium)")
    if not Path(CHROMIUM).is_file():
        print(f"  (no Chromium at {CHROMIUM}: sizes only)")
        timed: dict[str, list[float]] = {}
    else:
        timed = time_moves(args.html, [(c, n) for c, names, _, _ in found for n in names])
    ok = True
    print(f"{'explorer':<24}{'moves':>6}{'median ms':>11}{'worst ms':>10}")
    for name, times in timed.items():
        median, worst = statistics.median(times), max(times)
        ok &= median <= MEDIAN_GOAL_MS and worst <= WORST_GOAL_MS
        print(f"{name:<24}{len(times):>6}{median:>11.1f}{worst:>10.1f}")
    print()
    print(f"{'chapter':<28}{'adds KB':>8}{'still picture KB':>18}")
    for chapter, _, size, stills in found:
        ok &= size <= WEIGHT_GOAL_BYTES
        print(f"{chapter:<28}{size / 1024:>8.1f}{stills / 1024:>18.1f}")
    print(
        f"goals: median <= {MEDIAN_GOAL_MS:g} ms, worst <= {WORST_GOAL_MS:g} ms, "
        f"<= {WEIGHT_GOAL_BYTES // 1024} KB a chapter: {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
