"""Where the built book is, what it contains, and whether this machine can test it.

Shared by ``conftest.py`` (fixtures) and the test modules (which skip, or fail in CI,
as a whole when the browser or the build is missing).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(os.environ.get("BOOK_SOURCE", ROOT)).resolve()
HTML = SOURCE / "_build" / "html"
SCREENSHOTS = SOURCE / "_build" / "screenshots"
_chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM = shutil.which(_chromium) or _chromium
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
#: axe-core, from the npm packages that `make install` puts in .venv/node (_ext/package.json).
AXE_SCRIPT = Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
]


@functools.cache
def book_extension(name: str) -> ModuleType:
    """The book's local Sphinx extension ``_ext/<name>.py``, loaded once (the tests call
    its functions on the built pages)."""
    spec = importlib.util.spec_from_file_location(name, SOURCE / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the table of contents ----------------------------------------------------------
def toc_docnames(toc_path: Path = SOURCE / "_toc.yml") -> list[str]:
    """Every document of ``_toc.yml`` (root first), without suffix."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            if "file" in entry:
                names.append(entry["file"])
            for key in ("chapters", "sections"):
                walk(entry.get(key, []))
            for part in entry.get("parts", []):
                walk(part.get("chapters", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return [re.sub(r"\.(md|ipynb)$", "", name) for name in names]


def chapter_docnames() -> list[str]:
    """The notebook chapters: the pages that get launch and download buttons."""
    return [name for name in toc_docnames() if (SOURCE / f"{name}.ipynb").is_file()]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not Path(CHROMIUM).is_file():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if not (HTML / "index.html").is_file():
        return f"no built book in {HTML}: run `make build` first"
    if not AXE_SCRIPT.is_file():
        return f"axe-core not found at {AXE_SCRIPT}: run `make install`"
    return None


def require_browser_and_build() -> None:
    """At the top of a test module: skip it, with one line, or fail it in CI."""
    reason = missing()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


# -- a page that may not leave the book ---------------------------------------------
class OfflinePage:
    """A new page in its own browser context (1280x900, no service worker) that may load
    only what lies under ``base`` (and data:, blob:, about: addresses). Every other request
    is refused and kept in ``foreign``; console errors and uncaught exceptions are kept
    in ``errors``, so that a test can say the page neither left the book nor failed."""

    def __init__(self, chromium: Any, base: str) -> None:
        self.context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block"
        )
        self.foreign: list[str] = []
        self.errors: list[str] = []

        def route(route: Any) -> None:
            request = route.request.url
            if request.startswith(base) or request.startswith(("data:", "blob:", "about:")):
                route.continue_()
            else:
                self.foreign.append(request)
                route.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
