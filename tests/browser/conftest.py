"""Serve the built book on 127.0.0.1 and open its pages in headless Chromium.

The tests read the book that `make build` wrote to ``_build/html``. Every page of the
table of contents is opened once, in its own browser context; every request, console
error, uncaught exception and failed response of that page is recorded, and a
full-page screenshot is saved (light and dark theme) under ``_build/screenshots/``.

Environment:

``CI``
    ``true`` (or ``1``) turns a missing Chromium, Playwright or build into a failure;
    elsewhere the tests are skipped with a one-line reason (see ``book_site.py``).
``CHROMIUM``
    The browser executable (default ``/usr/bin/chromium``, Debian's package).
``BOOK_SOURCE``
    A book folder other than this repository (it must hold ``_config.yml`` and
    ``_toc.yml``, and its build in ``_build/html``).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from book_site import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HTML,
    IN_CI,
    SCREENSHOTS,
    SOURCE,
    chapter_docnames,
    missing,
    toc_docnames,
)


@pytest.fixture(scope="session")
def book_config() -> dict[str, Any]:
    """The book's ``_config.yml``."""
    return yaml.safe_load((SOURCE / "_config.yml").read_text(encoding="utf-8"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "docname" in metafunc.fixturenames:
        metafunc.parametrize("docname", toc_docnames())
    if "chapter" in metafunc.fixturenames:
        metafunc.parametrize("chapter", chapter_docnames())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A test module skipped as a whole collects no test, which pytest reports as exit
    # status 5; on a machine without Chromium that skip is the intended outcome.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED and not IN_CI and missing():
        session.exitstatus = pytest.ExitCode.OK


# -- the local server ----------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """Base URL of ``_build/html`` served by a thread on a free port of 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# -- the browser ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """One page, opened and kept open, with everything it did while loading."""

    url: str
    page: Any
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.console_errors + self.bad_responses


def is_local(url: str, base: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    here, there = urlsplit(base), urlsplit(url)
    return (there.scheme, there.netloc) == (here.scheme, here.netloc)


def wait_for_math(page: Any) -> None:
    """Wait until the page's math is final: its formulas come typeset from the build,
    so that is when the fonts they use have loaded (nothing typesets in the browser)."""
    # Reading a layout property first makes the browser request the fonts it needs.
    page.evaluate(
        "() => { void document.body.offsetHeight; return document.fonts.ready"
        ".then(() => document.fonts.status); }"
    )


def wait_for_explorers(page: Any) -> None:
    """Wait until every explorer and every practice block of the page has come alive
    (the page's script mounts them once it has loaded; a page with checks but no
    explorer, such as the troubleshooting page, has nothing else to wait for), and until
    the browser has been idle once after that."""
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll("
        "'.nnmath-explorer, .nnmath-practice[data-chapter]'))"
        ".every(e => e.dataset.ready === 'true')",
        timeout=60_000,
    )
    # An idle moment, or 2 s without one (a page that is never idle must not hang the run).
    page.evaluate(
        "() => new Promise(done => requestIdleCallback(() => done(true), {timeout: 2000}))"
    )


def set_theme(page: Any, mode: str) -> None:
    """Switch pydata-sphinx-theme to ``light`` or ``dark``, as its theme button does."""
    page.evaluate(
        "mode => { const h = document.documentElement; h.dataset.mode = mode;"
        " h.dataset.theme = mode; }",
        mode,
    )


@contextmanager
def tall_viewport(page: Any) -> Iterator[None]:
    """Make the viewport as tall as the page for the duration, then put it back: the
    whole page on screen at once, for a full-page screenshot (which does not scroll) or
    an audit of every element as if it were in view.
    """
    viewport = page.viewport_size
    height = 0
    # A taller window can change the page's height (images, sticky parts): until stable.
    for _ in range(8):
        # After two frames, or 1 s if no frame comes (a viewport that tall may not draw one).
        new = page.evaluate(
            "() => new Promise(r => { const h = () => r(document.documentElement.scrollHeight);"
            " requestAnimationFrame(() => requestAnimationFrame(h)); setTimeout(h, 1000); })"
        )
        if new == height:
            break
        height = new
        page.set_viewport_size({"width": viewport["width"], "height": min(height, 32_000)})
    try:
        yield
    finally:
        page.set_viewport_size(viewport)
        page.evaluate("() => window.scrollTo(0, 0)")


def screenshot(page: Any, name: str) -> None:
    """A full-page screenshot in the light and the dark theme (see :func:`tall_viewport`)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    slug = name.replace("/", "-")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    for mode in ("light", "dark"):
        set_theme(page, mode)
        with tall_viewport(page):
            page.evaluate("() => document.fonts.ready.then(() => true)")
            suffix = "" if mode == "light" else "-dark"
            page.screenshot(path=str(SCREENSHOTS / f"{slug}{suffix}.png"))
    set_theme(page, "light")


def record(context: Any, visit: Visit, base: str) -> Any:
    """A new page of ``context`` whose requests, failed responses, console errors and
    uncaught exceptions go into ``visit``; a request off ``base`` (the local server, or
    file:// for the book opened as a file) is recorded and never sent."""

    def route(route: Any) -> None:
        url = route.request.url
        visit.requests.append(url)
        if is_local(url, base):
            route.continue_()
        else:  # recorded, and never allowed to leave the machine
            visit.foreign.append(url)
            route.abort()

    def on_response(response: Any) -> None:
        if response.status >= 400:
            visit.bad_responses.append(f"HTTP {response.status}: {response.url}")

    def on_failed(request: Any) -> None:
        if is_local(request.url, base):
            visit.bad_responses.append(f"{request.failure}: {request.url}")

    context.route("**/*", route)
    context.on("response", on_response)
    context.on("requestfailed", on_failed)
    page = context.new_page()

    def on_console(message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            visit.console_errors.append(f"console: {message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: visit.console_errors.append(f"uncaught: {exc}"))
    return page


@pytest.fixture(scope="session")
def open_page(chromium: Any, site: str) -> Iterator[Any]:
    """``open_page(path)``: the :class:`Visit` of a page, loaded once per session.

    ``shoot`` names the screenshot (default: the path); ``ready`` is a selector to
    wait for before taking it.
    """
    visits: dict[str, Visit] = {}
    contexts: list[Any] = []

    def _open(path: str, *, shoot: str | None = None, ready: str | None = None) -> Visit:
        if path in visits:
            return visits[path]
        context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block"
        )
        contexts.append(context)
        visit = Visit(url=site + path, page=None)
        page = record(context, visit, site)
        visit.page = page
        page.goto(visit.url, wait_until="load")
        wait_for_math(page)
        wait_for_explorers(page)
        if ready:  # something the page fills in after loading, e.g. search results
            page.locator(ready).first.wait_for(timeout=15_000)
        screenshot(page, shoot or path.removesuffix(".html"))
        visits[path] = visit
        return visit

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def visit(open_page: Any, docname: str) -> Visit:
    """The :class:`Visit` of the page ``docname`` (see ``pytest_generate_tests``)."""
    return open_page(f"{docname}.html")


@pytest.fixture(scope="session")
def front_page() -> str:
    """The root document of the table of contents."""
    return toc_docnames()[0]


@pytest.fixture(scope="session")
def theme() -> Any:
    """``theme(page, mode)`` switches a page to the light or dark theme."""
    return set_theme


# -- the page as a reader sees it: a laptop and a phone, light and dark ------------------
#: The two screens a reader reads on: a laptop, and a phone held upright (touch, mobile).
SCREENS = {
    "laptop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "has_touch": True,
        "is_mobile": True,
    },
}


@pytest.fixture(scope="session")
def read_page(chromium: Any, site: str) -> Iterator[Any]:
    """``read_page(path, screen, mode, via="http")``: the :class:`Visit` of a page opened
    as a reader opens it, once per session: on a ``screen`` of :data:`SCREENS`, with the
    browser in the ``light`` or ``dark`` colour scheme (which the theme follows), from
    the local server (``via="http"``) or as a file (``via="file"``, what ``make book``
    tells a reader to open). On a phone, a full-page screenshot of each theme is saved
    as ``<page>-phone[-dark].png`` (the laptop's come from :func:`open_page`).
    """
    visits: dict[tuple[str, str, str, str], Visit] = {}
    contexts: list[Any] = []

    def _open(path: str, screen: str, mode: str, via: str = "http") -> Visit:
        key = (path, screen, mode, via)
        if key in visits:
            return visits[key]
        base = site if via == "http" else HTML.as_uri() + "/"
        context = chromium.new_context(
            **SCREENS[screen], color_scheme=mode, service_workers="block"
        )
        contexts.append(context)
        visit = Visit(url=base + path, page=None)
        visit.page = page = record(context, visit, base)
        page.goto(visit.url, wait_until="load")
        if path == "index.html":  # the redirect to the book's first page
            page.wait_for_url(f"**/{toc_docnames()[0]}.html", wait_until="load")
        wait_for_math(page)
        wait_for_explorers(page)
        if screen == "phone" and via == "http":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            slug = path.split("?")[0].removesuffix(".html").replace("/", "-")
            suffix = "" if mode == "light" else "-dark"
            page.screenshot(path=str(SCREENSHOTS / f"{slug}-phone{suffix}.png"), full_page=True)
            page.evaluate("() => window.scrollTo(0, 0)")
        visits[key] = visit
        return visit

    yield _open
    for context in contexts:
        context.close()
