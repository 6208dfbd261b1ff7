"""The explorers in JupyterLab: a control move to the redrawn view, kernel round trip included.

JupyterLab is started on 127.0.0.1 (offline, a throw-away configuration) with a notebook of
two explorers of the same figure, ReLU and Leaky ReLU with their derivatives and a point:

* the book's explorer (``explore("relu")``): an anywidget whose view sends the new value to
  the kernel, where nnmath computes the state, and draws the state it gets back;
* the baseline, the usual way to make one: ``ipywidgets.interact`` with a function that
  draws the same two panels with Matplotlib (inline backend) on every move.

For each, the ``x`` slider is moved with the arrow keys in headless Chromium, alternating
between the two, and each move is timed in the page: from the key going down to the new
picture in the page (the view's ``nnmath-explorer-state`` event; the baseline's new image),
plus the rendering work of the next frame (style, layout, paint), as
``bench_page_explorers.py`` times a move; the wait for that frame is idle time, left out.
Each move starts with the kernel idle (the other explorer's last move finished). Goals:
the explorer's median at most 50 ms, and below the baseline's, measured in the same run.
Medians over ``MOVES`` moves each.

Run ``python benchmarks/bench_widgets.py`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MOVES = 30
GOAL_MS = 50.0
SERVER_LOG = "server.log"

BASELINE = """
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from nnmath import leaky_relu, leaky_relu_grad, relu, relu_grad

grid = np.linspace(-3, 3, 241)

def draw(alpha, x):
    fig, (f, d) = plt.subplots(1, 2, figsize=(8.2, 3.3))
    f.plot(grid, relu(grid), "--", color="grey", label="ReLU")
    f.plot(grid, leaky_relu(grid, alpha=alpha), label="Leaky ReLU")
    point = np.array([x])
    fx, dfx = leaky_relu(point, alpha=alpha)[0], leaky_relu_grad(point, alpha=alpha)[0]
    f.plot([x - 1.2, x + 1.2], [fx - 1.2 * dfx, fx + 1.2 * dfx], label="tangent at x")
    f.plot([x], [fx], "o")
    d.plot(grid[grid < 0], relu_grad(grid[grid < 0]), "--", color="grey")
    d.plot(grid[grid > 0], leaky_relu_grad(grid[grid > 0], alpha=alpha))
    d.plot([x], [dfx], "o")
    f.legend(); f.set_title("Leaky ReLU"); d.set_title("its derivative")
    plt.show()

widgets.interact(
    draw,
    alpha=widgets.FloatSlider(0.1, min=0, max=0.5, step=0.01, description="leak"),
    x=widgets.FloatSlider(1.0, min=-3, max=3, step=0.05, description="point x"),
)
"""

CELLS = ['from nnmath.widgets import explore\nex = explore("relu"); ex', BASELINE]

#: In the page: ``window.moved`` resolves with the milliseconds from the next keydown to
#: the frame after the picture changed (``kind``: "explorer" or "baseline").
WATCH = r"""
([kind, output]) => { window.moved = new Promise((done, fail) => {
  setTimeout(() => fail(new Error(`no new picture in 20 s (${kind})`)), 20000);
  let start = null;
  const down = () => { start = performance.now(); };
  document.addEventListener("keydown", down, { capture: true, once: true });
  // The picture is in the page: add the rendering work of the next frame, from its start
  // to a task queued from it (the wait for the frame is idle time, as bench_page_explorers
  // counts it).
  const finish = () => {
    const ready = performance.now() - start;
    requestAnimationFrame((frame) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done(ready + performance.now() - frame);
      channel.port2.postMessage(0);
    });
  };
  if (kind === "explorer") {
    const root = output.querySelector(".nnmath-explorer");
    const seen = (e) => {
      if (root.dataset.asked !== root.dataset.values) return;
      root.removeEventListener("nnmath-explorer-state", seen);
      finish();
    };
    root.addEventListener("nnmath-explorer-state", seen);
  } else {
    const before = Array.from(output.querySelectorAll("img"), (i) => i.src).join();
    const watcher = new MutationObserver(() => {
      const now = Array.from(output.querySelectorAll("img"), (i) => i.src).join();
      if (now && now !== before) { watcher.disconnect(); finish(); }
    });
    watcher.observe(output, { subtree: true, childList: true, attributes: true });
  }
}); }
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_lab(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    import nbformat

    root = home / "notebooks"
    root.mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in CELLS],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, str(root / "bench.ipynb"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    for key, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("IPYTHONDIR", "ipython"),
    ):
        env[key] = str(home / sub)
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port = _free_port()
    with open(home / SERVER_LOG, "wb") as log:  # the server keeps its own copy of the file
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "lab",
                "--no-browser",
                "--allow-root",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--IdentityProvider.token=",
                "--ServerApp.password=",
                "--ServerApp.disable_check_xsrf=True",
                f"--ServerApp.root_dir={root}",
                "--LabApp.news_url=None",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "api/status", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("jupyter lab did not start")


def _kernel_connected(url: str) -> bool:
    """Whether the server lists an idle kernel with the page connected to it.

    While the server is still starting a kernel, ``api/kernels`` can answer 500: jupyter_server
    lists the kernel before it has set the kernel's ``last_activity``, and reading it raises.
    That is "not yet", like a refused connection.
    """
    try:
        with urllib.request.urlopen(url + "api/kernels", timeout=5) as response:
            kernels = json.load(response)
    except OSError:  # HTTPError and URLError included
        return False
    return any(k.get("connections", 0) > 0 and k.get("execution_state") == "idle" for k in kernels)


def measure(url: str, moves: int = MOVES, verbose: bool = False) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"explorer": [], "baseline": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(120_000)
        page.goto(url + "lab/tree/bench.ipynb", wait_until="load")
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
        for _ in range(300):  # until the server counts the page's connection to the kernel
            if _kernel_connected(url):
                break
            time.sleep(0.2)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        cells = page.locator(".jp-Cell")
        outputs = {
            "explorer": cells.nth(0).locator(".jp-Cell-outputArea"),
            "baseline": cells.nth(1).locator(".jp-Cell-outputArea"),
        }
        outputs["explorer"].locator(".nnmath-explorer[data-ready='true']").wait_for()
        outputs["baseline"].locator("img").first.wait_for()
        handles = {
            "explorer": outputs["explorer"].locator("input[name=x]"),
            "baseline": outputs["baseline"]
            .locator(".widget-slider", has_text="point x")
            .locator(".noUi-handle"),
        }
        idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
        for i in range(2 * moves + 4):
            kind = ("explorer", "baseline")[i % 2]
            key = "ArrowLeft" if (i // 2) % 8 < 4 else "ArrowRight"
            # Each move starts with the kernel at rest: the other explorer's last move done.
            idle.wait_for()
            page.wait_for_timeout(150)
            handles[kind].focus()
            page.evaluate(WATCH, [kind, outputs[kind].element_handle()])
            page.keyboard.press(key)
            try:
                ms = page.evaluate("() => window.moved")
            except Exception:
                root = outputs["explorer"].locator(".nnmath-explorer")
                print({k: root.get_attribute(k) for k in ("data-asked", "data-values")})
                print(page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)"))
                raise
            if verbose:
                print(kind, key, f"{ms:.1f} ms", flush=True)
            if i >= 4:  # the first moves warm up
                times[kind].append(ms)
        browser.close()
    return times


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three moves: does it run?")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every move")
    args = parser.parse_args([] if argv is None else argv)
    moves = 3 if args.quick else MOVES
    if args.quick:
        print("quick run: three moves each; its numbers mean nothing")
    if not Path(CHROMIUM).is_file():
        print(f"bench_widgets: no Chromium at {CHROMIUM}; skipped")
        return True
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_lab(Path(tmp))
        try:
            times = measure(url, moves, args.verbose)
        except Exception:
            log = (Path(tmp) / SERVER_LOG).read_text(errors="replace")
            print("JupyterLab's log, last lines:", *log.splitlines()[-40:], sep="\n")
            raise
        finally:
            try:
                urllib.request.urlopen(
                    urllib.request.Request(url + "api/shutdown", method="POST"), timeout=5
                )
            except OSError:
                pass
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
    explorer, baseline = (statistics.median(times[k]) for k in ("explorer", "baseline"))
    ok = explorer <= GOAL_MS and explorer < baseline
    print(f"The relu explorer in JupyterLab: key down to the redrawn view, median of {moves} moves")
    print(f"{'':<34}{'median ms':>10}{'worst ms':>10}")
    print(
        f"{'anywidget, nnmath in the kernel':<34}{explorer:>10.1f}{max(times['explorer']):>10.1f}"
    )
    print(
        f"{'interact + Matplotlib (baseline)':<34}{baseline:>10.1f}{max(times['baseline']):>10.1f}"
    )
    print(
        f"ratio {explorer / baseline:.2f}; goals: median <= {GOAL_MS:g} ms and below the baseline: "
        f"{'met' if ok else 'NOT met'}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1:]) else 1)
