"""Training in the page against training in NumPy: gradient steps per second, same run.

The page trains the capstone network with ``_static/nnmath.js`` (``createTrainer`` and
``step()``), run here in headless Chromium; the baseline is ``nnmath.network.train``, the
loop the book runs in a kernel. Both start from the same spiral and the same initial
parameters (``TwoLayerNet.init(2, hidden, 3, seed=0)``, shipped to the page as base64) and do
the same full-batch gradient descent, for a hidden layer of 100 units (the book's) and
of 10. Repeats alternate between the two, and each side's median is taken.

=======================================================  =========
measure                                                  goal
=======================================================  =========
page steps per second / NumPy steps per second           >= 1
the same, in the book's training explorer (a worker)     >= 1
a control move while the explorer trains: median         <= 16 ms
=======================================================  =========

The second and third rows use the built book (``make book`` first): in chapter 5's
explorer, the time from choosing a setting to its 1000th step shown, against NumPy's
``train`` of the same 1000 steps in the same run; and, while such a run trains, moves of
the step slider, timed as ``bench_page_explorers.py`` times them. The size of
``nnmath.js`` is printed for information (the page-weight goal, 100 KB a chapter, is
``bench_page_explorers.py``'s). 1 KB is 1000 bytes.

Run ``python benchmarks/bench_page_training.py`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:
    import nnmath  # noqa: F401
except ImportError:  # running from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nnmath import network

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The quiet local server and the browser of the page-load benchmark.
from bench_book import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[1]
# Built from js/nnmath.js by `make js` (esbuild; the constants generated from nnmath).
NNMATH_JS = ROOT / "_build" / "js" / "page" / "nnmath.js"
RATIO_GOAL = 1.0
HIDDEN = (100, 10)
REPEATS = 9
#: Steps per timed repeat, so that each takes some 50-200 ms on either side.
STEPS = {100: 200, 10: 1000}

# One timed run in the page: a fresh trainer from the shipped data, `steps` steps.
_PAGE_RUN = """a => {
  const d = nnmath.decodeFloat64;
  const t = nnmath.network.createTrainer({X: d(a.X), y: nnmath.decodeInt32(a.y), nIn: 2,
    hidden: a.hidden, nOut: 3, W1: d(a.W1), b1: d(a.b1), W2: d(a.W2), b2: d(a.b2),
    lr: 1.0, reg: 1e-3});
  const start = performance.now();
  let loss = 0;
  for (let i = 0; i < a.steps; i++) loss = t.step();
  return {seconds: (performance.now() - start) / 1000, loss};
}"""


@dataclass
class Result:
    hidden: int
    page: float  # median steps per second
    numpy: float
    ratios: list[float]  # page / NumPy, repeat by repeat

    @property
    def ratio(self) -> float:
        return self.page / self.numpy


def _b64(a: np.ndarray, dtype: str = "<f8") -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")


def _numpy_rate(X: np.ndarray, y: np.ndarray, hidden: int, steps: int) -> tuple[float, float]:
    start = time.perf_counter()
    history = network.train(X, y, hidden=hidden, steps=steps, lr=1.0, reg=1e-3, checkpoint_at=[0])
    return steps / (time.perf_counter() - start), float(history.loss[steps - 1])


def run(repeats: int = REPEATS) -> list[Result] | str:
    """Measure every hidden size; a string says why the page could not be measured."""
    if not Path(CHROMIUM).is_file():
        return f"Chromium not found at {CHROMIUM}"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "Playwright for Python is not installed"
    X, y = network.make_spiral()
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())  # nothing may leave the page
        page.goto("about:blank")
        page.add_script_tag(path=str(NNMATH_JS))
        for hidden in HIDDEN:
            net = network.TwoLayerNet.init(2, hidden, 3, seed=0)
            arg = {"X": _b64(X), "y": _b64(y, "<i4"), "hidden": hidden, "steps": STEPS[hidden]}
            arg.update({k: _b64(getattr(net, k)) for k in ("W1", "b1", "W2", "b2")})
            page.evaluate(_PAGE_RUN, {**arg, "steps": 3 * STEPS[hidden]})  # compile, warm up
            _numpy_rate(X, y, hidden, STEPS[hidden])
            pages, numpys = [], []
            for _ in range(repeats):
                js = page.evaluate(_PAGE_RUN, arg)
                rate, loss = _numpy_rate(X, y, hidden, STEPS[hidden])
                # The same computation on both sides: the last loss agrees.
                if abs(js["loss"] - loss) > 1e-9 * loss:
                    raise AssertionError(f"hidden={hidden}: page loss {js['loss']} != {loss}")
                pages.append(STEPS[hidden] / js["seconds"])
                numpys.append(rate)
            results.append(
                Result(
                    hidden=hidden,
                    page=statistics.median(pages),
                    numpy=statistics.median(numpys),
                    ratios=[p / n for p, n in zip(pages, numpys, strict=True)],
                )
            )
        browser.close()
    return results


def size_report() -> str:
    data = NNMATH_JS.read_bytes()
    kb, gz = len(data) / 1000, len(gzip.compress(data, 9)) / 1000
    return f"_static/nnmath.js: {kb:.1f} KB ({gz:.1f} KB gzipped, as a server may send it)"


#: In chapter 5's page: choose a setting, time until its last step is shown, then time
#: moves of the step slider while another run trains.
_EXPLORER_RUN = r"""
async ([hidden, lr, lrWhileMoving]) => {
  const root = document.querySelector('.nnmath-explorer[data-explorer="training"]');
  const state = () => JSON.parse(root.dataset.state || "{}");
  const pick = (name, value) => {
    const group = Array.from(root.querySelectorAll("fieldset"))
      .find(f => f.textContent.includes(name));
    const radio = Array.from(group.querySelectorAll("input")).find(r =>
      r.nextSibling.textContent === String(value));
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const slider = root.querySelector("input[name=step]");
  slider.value = slider.max; slider.dispatchEvent(new Event("input"));
  const t0 = performance.now();
  pick("learning rate", lr); pick("hidden units", hidden);
  await new Promise(done => {
    const check = () => state().trained >= 1000 && state().step === 1000
      ? done() : requestAnimationFrame(check);
    check();
  });
  const seconds = (performance.now() - t0) / 1000;
  // Moves while a new run trains (a learning rate not trained yet: it starts from scratch).
  pick("learning rate", lrWhileMoving);
  const frame = () => new Promise(done => requestAnimationFrame(start => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now() - start);
    channel.port2.postMessage(0);
  }));
  const moves = [];
  for (let i = 0; i < 30 && state().trained < 1000; i++) {
    const a = performance.now();
    slider.value = String(i * 3); slider.dispatchEvent(new Event("input"));
    const script = performance.now() - a;
    moves.push(script + await frame());
  }
  return { seconds, moves, thread: state().thread };
}
"""


def explorer_report(html: Path) -> str:
    """Steps per second of the book's training explorer against NumPy, in the same run."""
    if not (html / "chapters" / "05_training.html").is_file():
        return f"explorer not measured: no built book in {html}"
    from playwright.sync_api import sync_playwright

    X, y = network.make_spiral()
    lines = [f"{'explorer':>8}  {'page':>10}  {'NumPy':>10}  {'ratio':>6}  moves while training"]
    with serve(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}chapters/05_training.html")
        page.wait_for_selector('[data-explorer="training"][data-ready="true"]')
        page.locator('[data-explorer="training"]').scroll_into_view_if_needed()
        # Each setting, and the one trained while the step slider moves, is new to the
        # page: the explorer keeps its runs, and a kept run would cost nothing.
        for hidden, lr, lr_moving in ((100, 1, 0.3), (10, 1, 0.3), (100, 3, 0.1)):
            out = page.evaluate(_EXPLORER_RUN, [hidden, lr, lr_moving])
            start = time.perf_counter()
            network.train(X, y, hidden=hidden, lr=lr, steps=1000, reg=1e-3)
            numpy = 1000 / (time.perf_counter() - start)
            rate = 1000 / out["seconds"]
            moves = out["moves"]
            during = (
                f"median {statistics.median(moves):.1f} ms, worst {max(moves):.1f} ms "
                f"({len(moves)}, on the {out['thread']} thread)"
                if moves
                else "(trained before a move)"
            )
            lines.append(
                f"{hidden:>4} {lr:<3g} {rate:>8.0f}/s  {numpy:>8.0f}/s  {rate / numpy:>6.2f}  "
                f"{during}"
            )
        browser.close()
    return "\n".join(lines)


def report(results: list[Result] | str, repeats: int) -> str:
    lines = [
        "Gradient steps per second on the spiral (300 points, 3 classes), full batch;",
        f"median of {repeats} alternating repeats; goal: page / NumPy >= {RATIO_GOAL:g}",
    ]
    if isinstance(results, str):
        lines.append(f"page not measured: {results}")
    else:
        lines.append(f"{'hidden':>6}  {'page':>10}  {'NumPy':>10}  {'ratio':>6}  range     verdict")
        for r in results:
            verdict = "ok" if r.ratio >= RATIO_GOAL else "below the goal"
            lines.append(
                f"{r.hidden:>6}  {r.page:>8.0f}/s  {r.numpy:>8.0f}/s  {r.ratio:>6.2f}  "
                f"{min(r.ratios):.2f}-{max(r.ratios):.2f} {verdict}"
            )
    lines.append("")
    lines.append("In the book's training explorer: 1000 steps from a new setting, shown")
    lines.append(explorer_report(ROOT / "_build" / "html"))
    lines.append(size_report())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[Result] | str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs on each side")
    parser.add_argument("--quick", action="store_true", help="one run each: does it run?")
    args = parser.parse_args([] if argv is None else argv)
    if args.quick:
        print("quick run: one run on each side; its numbers mean nothing")
        args.repeats = 1
    results = run(args.repeats)
    print(report(results, args.repeats))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
