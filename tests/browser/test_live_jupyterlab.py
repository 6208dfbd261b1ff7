"""The live explorers in a real JupyterLab, as a Binder or local reader gets them.

A module fixture starts ``jupyter lab`` from this interpreter on a free port of
127.0.0.1, with no token, no browser and a throw-away Jupyter config, runtime, data
and settings directory, serving a temporary folder that holds one small notebook::

    from nnmath.widgets import explore
    ex = explore("relu"); ex
    print("x =", ex.controls["x"].value, "point =", ex.point.get_data()[0][0])

The test opens that notebook in headless Chromium, runs all cells from the "Run"
menu, waits for the explorer (sliders above an image), moves the ``x`` slider with
the keyboard, and checks that the readout, the picture and the kernel's state all
follow, that nothing was requested from a host other than 127.0.0.1, and that the
page logged no error. A screenshot is saved as
``_build/screenshots/jupyterlab-live-relu.png``.

Skipped with one line when Chromium, Playwright or JupyterLab is missing; with
``CI=true`` that is a failure instead.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from book_site import CHROMIUM, IN_CI, SCREENSHOTS


def _missing() -> str | None:
    """Why a live JupyterLab cannot be tested here, or None if it can."""
    if not Path(CHROMIUM).is_file():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    for module, package in [
        ("playwright.sync_api", "playwright"),
        ("jupyterlab", "jupyterlab"),
        ("jupyterlab_widgets", "jupyterlab_widgets"),
        ("ipykernel", "ipykernel"),
    ]:
        if importlib.util.find_spec(module.split(".")[0]) is None:
            return f"{package} is not installed in {sys.prefix} (pip install {package})"
    return None


_reason = _missing()
if _reason is not None:
    if IN_CI:
        pytest.fail(f"{_reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(_reason, allow_module_level=True)

NOTEBOOK = "live-relu.ipynb"
CELLS = [
    "from nnmath.widgets import explore",
    'ex = explore("relu"); ex',
    'print("x =", ex.controls["x"].value, "point =", ex.point.get_data()[0][0])',
]
STARTUP_TIMEOUT = 60.0  # seconds for the server to answer /api/status
STEP = 30_000  # milliseconds for any one step in the browser
PRESSES = 4  # ArrowRight presses on the x slider (step 0.05: 1.00 -> 1.20)


# -- the server ----------------------------------------------------------------------
@dataclass
class Lab:
    """A running JupyterLab: its base URL, process and log file."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_notebook(path: Path) -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in CELLS],
        metadata={
            # A kernel named up front: JupyterLab starts it without asking.
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        },
    )
    nbformat.write(notebook, str(path))


def _clean_env(home: Path) -> dict[str, str]:
    """This environment, with every Jupyter location moved into ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        PYTHONUNBUFFERED="1",
    )
    # No "get Jupyter news?" toast over the notebook, and no update check.
    notification = home / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )
    return env


def _wait_until_up(lab: Lab) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if lab.process.poll() is not None:
            pytest.fail(
                f"jupyter lab exited with status {lab.process.returncode} before answering:\n"
                + lab.log_tail(),
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(lab.url + "api/status", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"jupyter lab did not answer {lab.url}api/status within {STARTUP_TIMEOUT:.0f} s:\n"
                + lab.log_tail(),
                pytrace=False,
            )
        time.sleep(0.2)


def _descendants(pid: int) -> list[Any]:
    try:
        import psutil
    except ImportError:  # ipykernel needs psutil, so this is rare; the group kill remains
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _stop(lab: Lab) -> None:
    """Shut the server and its kernels down; kill whatever is left."""
    # Kernels run in sessions of their own, so a group kill of the server would miss
    # them: note them now, ask the server to shut down cleanly, then make sure.
    children = _descendants(lab.process.pid)
    if lab.process.poll() is None:
        try:
            request = urllib.request.Request(lab.url + "api/shutdown", method="POST")
            urllib.request.urlopen(request, timeout=5).close()
        except (urllib.error.URLError, OSError):
            pass
        try:
            lab.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if lab.process.poll() is not None:
            break
        try:
            os.killpg(lab.process.pid, sig)
        except ProcessLookupError:
            break
        try:
            lab.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    for child in children:
        try:
            child.kill()
        except Exception:  # already gone: the usual case
            pass


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab serving a temporary folder with :data:`NOTEBOOK`, on 127.0.0.1."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "notebooks"
    root.mkdir()
    _write_notebook(root / NOTEBOOK)
    env = _clean_env(home)
    port = _free_port()
    log = home / "server.log"
    command = [
        *(sys.executable, "-m", "jupyter", "lab", "--no-browser"),
        "--allow-root",  # containers often run as root; harmless otherwise
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one process group, killed as a whole at the end
        )
    server = Lab(url=f"http://127.0.0.1:{port}/", process=process, log=log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(server)


# -- the browser ---------------------------------------------------------------------
@dataclass
class Record:
    """What a page did: requests, foreign hosts, errors."""

    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return "\npage errors:\n  " + "\n  ".join(self.errors) if self.errors else ""


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == "127.0.0.1"


@pytest.fixture
def lab_page(chromium: Any, lab: Lab) -> Iterator[tuple[Any, Record]]:
    """A fresh Chromium page whose requests off 127.0.0.1 are recorded and refused."""
    record = Record()
    context = chromium.new_context(viewport={"width": 1280, "height": 900})

    def route(route: Any) -> None:
        url = route.request.url
        record.requests.append(url)
        if _is_local(url):
            route.continue_()
        else:
            record.foreign.append(url)
            route.abort()

    def on_websocket(ws: Any) -> None:
        record.requests.append(ws.url)
        if urlsplit(ws.url).hostname != "127.0.0.1":
            record.foreign.append(ws.url)

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(STEP)
    page.on("websocket", on_websocket)
    page.on("pageerror", lambda exc: record.errors.append(f"uncaught: {exc}"))
    page.on(
        "console",
        lambda m: record.errors.append(f"console: {m.text}") if m.type == "error" else None,
    )
    try:
        yield page, record
    finally:
        context.close()


def _wait_for_kernel(page: Any, lab: Lab) -> None:
    """Wait until the notebook's kernel is idle with the page connected to it.

    The kernel status in the page reads "idle" even before its session exists, and
    "Run All" in that moment runs nothing; the server knows better: it counts the
    kernel's connections. Should JupyterLab ask for a kernel, its choice is taken.
    """
    deadline = time.monotonic() + STEP / 1000
    dialog = page.locator(".jp-Dialog")
    kernels: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        if dialog.count() and dialog.first.is_visible():
            dialog.first.locator(".jp-Dialog-footer .jp-mod-accept").click()
        try:
            with urllib.request.urlopen(lab.url + "api/kernels", timeout=5) as response:
                kernels = json.load(response)
        except urllib.error.HTTPError:
            # The server answers 500 while a kernel is half started (its last_activity
            # is not set yet); that is a moment to wait, not a failure.
            kernels = []
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            break
        page.wait_for_timeout(200)
    else:
        pytest.fail(f"no idle kernel with a connection after {STEP / 1000:.0f} s: {kernels}")
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    idle.wait_for()


def _png_digest(page: Any, src: str) -> str:
    """SHA-256 of the picture behind an ``<img>`` source (a blob: or data: URL)."""
    return page.evaluate(
        """async src => {
             const bytes = await (await fetch(src)).arrayBuffer();
             const hash = await crypto.subtle.digest("SHA-256", bytes);
             return Array.from(new Uint8Array(hash), b => b.toString(16).padStart(2, "0"))
                         .join("");
           }""",
        src,
    )


def _kernel_report(cell: Any) -> tuple[float, float]:
    """``(x, point)`` from the output of the third cell."""
    text = cell.locator(".jp-OutputArea-output").inner_text()
    match = re.search(r"x = (\S+) point = (\S+)", text)
    assert match, f"unexpected output of the third cell: {text!r}"
    return float(match.group(1)), float(match.group(2))


# -- the test --------------------------------------------------------------------------
def test_relu_explorer_is_live_in_jupyterlab(lab: Lab, lab_page: tuple[Any, Record]) -> None:
    from playwright.sync_api import expect

    page, record = lab_page
    context = f"\n(server log: {lab.log})"
    page.goto(lab.url + f"lab/tree/{NOTEBOOK}", wait_until="load")
    notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
    notebook.wait_for()
    page.keyboard.press("Control+b")  # fold the file browser: more room for the figure

    _wait_for_kernel(page, lab)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    cells = notebook.locator(".jp-Cell")
    explorer = cells.nth(1).locator(".jp-OutputArea-output")
    x_slider = explorer.locator(".widget-slider").filter(has_text="point x")
    image = explorer.locator("img.widget-image")
    try:
        x_slider.wait_for()
        image.wait_for()
    except Exception as exc:
        prompts = notebook.locator(".jp-InputPrompt").all_inner_texts()
        outputs = notebook.locator(".jp-OutputArea-output").all_inner_texts()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "jupyterlab-live-relu-failed.png"))
        raise AssertionError(
            f"the explorer did not render: {exc}\nprompts: {prompts}\noutputs: {outputs}"
            f"{record.summary()}{context}\n(screenshot: jupyterlab-live-relu-failed.png)"
        ) from exc
    expect(explorer.locator(".widget-slider")).to_have_count(2)  # alpha and x
    readout = x_slider.locator(".widget-readout")
    expect(readout).to_have_text("1.00")
    third = cells.nth(2)
    expect(third.locator(".jp-OutputArea-output")).to_contain_text("x = 1.0")
    assert _kernel_report(third) == (1.0, 1.0)

    # Controls above the figure, the figure drawn.
    slider_box, image_box = x_slider.bounding_box(), image.bounding_box()
    assert slider_box and image_box, "slider or image has no box on screen"
    assert slider_box["y"] + slider_box["height"] <= image_box["y"] + 1, (
        f"the controls are not above the figure: slider {slider_box}, image {image_box}"
    )
    assert image.evaluate("img => img.complete && img.naturalWidth") > 300, (
        "the figure did not load"
    )
    src = image.get_attribute("src") or ""
    assert src.startswith(("blob:", "data:")), f"unexpected image source {src[:80]!r}"
    before = _png_digest(page, src)

    # Move x with the keyboard, as a reader without a mouse would.
    x_slider.locator(".noUi-handle").focus()
    for _ in range(PRESSES):
        page.keyboard.press("ArrowRight")
    expect(readout).to_have_text("1.20")

    # The kernel saw the move: the control's value and the explorer's point. Its
    # answer comes after every picture it sent for the move, so the last one is in.
    third.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Enter")  # run it in place
    expect(third.locator(".jp-OutputArea-output")).to_contain_text(re.compile(r"x = 1\.2"))
    x, point = _kernel_report(third)
    assert x == pytest.approx(1.2) and point == pytest.approx(1.2), (
        f"kernel state after the move: x = {x}, point at {point} (expected 1.2)"
    )

    # ... and the figure in the page is a new picture.
    expect(image).not_to_have_attribute("src", src)
    expect(image).to_have_js_property("complete", True)
    new_src = image.get_attribute("src") or ""
    assert _png_digest(page, new_src) != before, "the image source changed, the picture did not"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    x_slider.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "jupyterlab-live-relu.png"))

    assert not record.foreign, "requests to hosts other than 127.0.0.1:\n  " + "\n  ".join(
        record.foreign
    )
    assert not record.errors, record.summary() + context
