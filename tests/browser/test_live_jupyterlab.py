"""The live explorers in a real JupyterLab, as a Binder or local reader gets them.

A module fixture starts ``jupyter lab`` from this interpreter on a free port of
127.0.0.1, with no token, no browser and a throw-away Jupyter config, runtime, data
and settings directory, serving a temporary folder that holds one small notebook: one
explorer a cell, every explorer of ``nnmath.widgets.EXPLORERS``, then a cell that prints
their ``values`` as the kernel has them.

The test opens that notebook in headless Chromium, runs all cells from the "Run" menu,
and for each explorer (an anywidget: the same view as the book's page, its state
computed by nnmath in the kernel) moves every control with the keyboard, as a reader
would. After each move it waits for the kernel's state and checks it: the numbers the
view drew (its ``data-state``) equal what nnmath computes here for the values it shows.
At the end the kernel's values are those of the controls. Nothing may be requested from
a host other than 127.0.0.1 (anywidget's front-end comes from its wheel) and the page
may log no error. A screenshot of each explorer is saved as
``_build/screenshots/jupyterlab-NAME.png``.

Skipped with one line when Chromium, Playwright, JupyterLab or anywidget is missing;
with ``CI=true`` that is a failure instead.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from book_site import CHROMIUM, IN_CI, SCREENSHOTS
from explorer_states import assert_same_state

from nnmath.widgets import EXPLORERS


def _missing() -> str | None:
    """Why a live JupyterLab cannot be tested here, or None if it can."""
    if not Path(CHROMIUM).is_file():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    for module, package in [
        ("playwright.sync_api", "playwright"),
        ("jupyterlab", "jupyterlab"),
        ("jupyterlab_widgets", "jupyterlab_widgets"),
        ("anywidget", "anywidget"),
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

NOTEBOOK = "live-explorers.ipynb"
NAMES = sorted(EXPLORERS)
CELLS = [
    "import json\nfrom nnmath.widgets import explore\nex = {}",
    *(f'ex["{name}"] = explore("{name}"); ex["{name}"]' for name in NAMES),
    "print(json.dumps({name: e.values for name, e in ex.items()}))",
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


@contextmanager
def serve_lab(home: Path, root: Path) -> Iterator[Lab]:
    """JupyterLab serving ``root`` on 127.0.0.1, its settings and logs under ``home``,
    stopped with every process it started when the block ends."""
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
            env=_clean_env(home),
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


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab serving a temporary folder with :data:`NOTEBOOK`, on 127.0.0.1."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "notebooks"
    root.mkdir()
    _write_notebook(root / NOTEBOOK)
    with serve_lab(home, root) as server:
        yield server


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


def _settled(page: Any, root: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The state drawn and its values, once the kernel has answered the last move."""
    page.wait_for_function(
        "el => el.dataset.asked === el.dataset.values", arg=root.element_handle(), timeout=STEP
    )
    return json.loads(root.get_attribute("data-state")), json.loads(
        root.get_attribute("data-values")
    )


def _check(name: str, page: Any, root: Any) -> dict[str, Any]:
    state, values = _settled(page, root)
    assert_same_state(name, state, EXPLORERS[name](**values).state)
    return values


def _exercise(name: str, page: Any, root: Any) -> int:
    """Move every control of one explorer with the keyboard; check each state. Moves made."""
    moves = 0
    sliders = root.locator("input[type=range]")
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        if not slider.is_visible():
            continue
        keys = ("End", "Home") if name == "training" else ("End", "ArrowLeft", "Home")
        for key in keys:
            before = root.get_attribute("data-state")
            slider.focus()
            page.keyboard.press(key)
            values = _check(name, page, root)
            moves += root.get_attribute("data-state") != before
            if key == "ArrowLeft":  # one step down from the end: the notebook keeps no key
                top = float(slider.get_attribute("max"))
                assert values[slider.get_attribute("name")] < top, f"{name}: {key} did nothing"
    groups = root.locator("fieldset")
    for i in range(groups.count()):
        radios = groups.nth(i).locator("input[type=radio]")
        checked = next(j for j in range(radios.count()) if radios.nth(j).is_checked())
        radios.nth(checked).focus()
        page.keyboard.press("ArrowLeft" if checked else "ArrowRight")
        _check(name, page, root)
        moves += 1
    return moves


# -- the test --------------------------------------------------------------------------
def test_every_explorer_is_live_in_jupyterlab(lab: Lab, lab_page: tuple[Any, Record]) -> None:
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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(NAMES):
        root = cells.nth(i + 1).locator(".nnmath-explorer[data-ready='true']")
        try:
            root.wait_for(timeout=120_000 if name == "training" else STEP)
        except Exception as exc:
            outputs = notebook.locator(".jp-OutputArea-output").all_inner_texts()
            page.screenshot(path=str(SCREENSHOTS / "jupyterlab-live-failed.png"))
            raise AssertionError(
                f"the {name} explorer did not render: {exc}\noutputs: {outputs}"
                f"{record.summary()}{context}"
            ) from exc
        root.scroll_into_view_if_needed()
        _check(name, page, root)
        assert _exercise(name, page, root) >= 2, f"{name}: the controls changed nothing"
        root.screenshot(path=str(SCREENSHOTS / f"jupyterlab-{name}.png"))

    # The kernel has the values the controls show.
    last = cells.nth(len(NAMES) + 1)
    last.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Enter")
    output = last.locator(".jp-OutputArea-output")
    output.wait_for()
    page.wait_for_function(
        "el => el.innerText.trim().startsWith('{')", arg=output.element_handle(), timeout=STEP
    )
    kernel = json.loads(output.inner_text())
    for i, name in enumerate(NAMES):
        root = cells.nth(i + 1).locator(".nnmath-explorer")
        assert kernel[name] == json.loads(root.get_attribute("data-values")), name

    assert not record.foreign, "requests to hosts other than 127.0.0.1:\n  " + "\n  ".join(
        record.foreign
    )
    assert not record.errors, record.summary() + context
