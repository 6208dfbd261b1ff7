"""The explorers on the built book page, computed in the browser, held to nnmath.

Every explorer of every chapter is opened over http and from file:// (what ``make book``
tells a reader to open). Each control is moved, with the keyboard where a reader would
use it; after every move the numbers the page drew (the root's ``data-state``) must
equal what nnmath computes in Python for the same inputs, the figure must change, and
the page must make no request off the machine and log no error.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import numpy as np
import pytest
from book_site import HTML, chapter_docnames, require_browser_and_build

import nnmath as nn
from nnmath import network
from nnmath.widgets import EXPLORERS, ActivationExplorer

require_browser_and_build()

RTOL = 1e-12
ROOT = ".nnmath-explorer[data-explorer]"


def explorer_pages() -> list[tuple[str, str]]:
    """(chapter, explorer name) for every explorer the built chapters show."""
    found = []
    for chapter in chapter_docnames():
        html = (HTML / f"{chapter}.html").read_text(encoding="utf-8")
        for name in re.findall(r'<div class="nnmath-explorer" data-explorer="([a-z_]+)"', html):
            found.append((chapter, name))
    return found


PAGES = explorer_pages()


@pytest.fixture(scope="module", params=["http", "file"])
def scheme(request: pytest.FixtureRequest) -> str:
    return request.param


class ExplorerPage:
    """A chapter page opened in its own context, with its explorer and what the page did."""

    def __init__(self, chromium: Any, url: str, base: str) -> None:
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
        self.page.goto(url, wait_until="load")
        self.page.wait_for_selector(f"{ROOT}[data-ready='true']", timeout=60_000)

    def root(self, name: str) -> Any:
        return self.page.locator(f'{ROOT}[data-explorer="{name}"]').first

    def state(self, name: str) -> dict[str, Any]:
        """The numbers drawn, once the explorer has finished any work in progress."""
        root = self.root(name)
        self.page.wait_for_function(
            "el => el.dataset.busy === 'false'", arg=root.element_handle(), timeout=60_000
        )
        assert root.get_attribute("data-error") is None, root.get_attribute("data-error")
        return json.loads(root.get_attribute("data-state"))

    def picture(self, name: str) -> str:
        """What the figure shows: its SVG layers and the pixels of its rasters."""
        return (
            self.root(name)
            .locator(".nx-layers")
            .evaluate(
                "(f) => f.innerHTML + Array.from(f.querySelectorAll('canvas'))"
                ".map(c => c.toDataURL()).join()"
            )
        )


@pytest.fixture(scope="module")
def pages(chromium: Any, site: str, scheme: str) -> Any:
    opened: dict[str, ExplorerPage] = {}

    def open_chapter(chapter: str) -> ExplorerPage:
        if chapter not in opened:
            if scheme == "http":
                url, base = f"{site}{chapter}.html", site
            else:
                url = (HTML / f"{chapter}.html").as_uri()
                base = HTML.as_uri() + "/"
            opened[chapter] = ExplorerPage(chromium, url, base)
        return opened[chapter]

    yield open_chapter
    for page in opened.values():
        page.context.close()


# -- what nnmath says, for the same inputs -------------------------------------------------
def close(received: Any, expected: Any, what: str, rtol: float = RTOL) -> None:
    np.testing.assert_allclose(
        np.asarray(received, dtype=float),
        np.asarray(expected, dtype=float),
        rtol=rtol,
        atol=0.0,
        err_msg=what,
    )


@lru_cache(maxsize=8)
def training_run(hidden: int, lr: float) -> network.History:
    X, y = network.make_spiral()
    return network.train(X, y, hidden=hidden, lr=lr, steps=1000, reg=1e-3)


def check_against_nnmath(name: str, state: dict[str, Any]) -> None:
    cls = EXPLORERS[name]
    if issubclass(cls, ActivationExplorer):
        x = np.array([state["x"]])
        close(state["f"], cls.formula.function(x), f"{name}(x)")
        close(state["df"], cls.formula.derivative(x), f"{name}'(x)")
    elif name == "relu":
        x, alpha = state["x"], state["alpha"]
        close(state["f"], nn.leaky_relu(np.array([x]), alpha=alpha), "f(x)")
        close(state["df"], nn.leaky_relu_grad(np.array([x]), alpha=alpha), "f'(x)")
    elif name == "softmax":
        z, t = np.array(state["z"]), state["T"]
        assert len(z) == state["K"]
        close(state["p"], nn.softmax(z, temperature=t), "p")
        close(state["jacobian"], nn.softmax_jacobian(z / t), "jacobian", rtol=1e-11)
    elif name == "cross_entropy":
        p, y = np.array([state["p"]]), np.array([float(state["y"])])
        close(state["loss"], nn.binary_cross_entropy(p, y, reduction="sum"), "binary loss")
        close(state["dloss"], nn.binary_cross_entropy_grad(p, y, reduction="sum"), "dL/dp")
        cls = EXPLORERS["cross_entropy"]
        labels = np.array([state["true_class"], *cls.OTHER_LABELS])
        batch, reduction = cls.BATCH, state["reduction"]
        close(state["losses"], nn.cross_entropy(batch, labels, reduction="none"), "losses")
        close(state["batchLoss"], nn.cross_entropy(batch, labels, reduction=reduction), "L")
        grad = nn.cross_entropy_grad(batch, labels, reduction=reduction)
        close(state["grad"], grad[np.arange(len(labels)), labels], "gradient at the labels")
    elif name == "softmax_cross_entropy":
        z, c = np.array(state["z"]), state["target"]
        close(state["p"], nn.softmax(z), "p")
        close(state["loss"], nn.softmax_cross_entropy(z, c), "loss")
        close(state["grad"], nn.softmax_cross_entropy_grad(z, c), "p - y", rtol=1e-11)
        numeric = nn.numerical_gradient(lambda v: nn.softmax_cross_entropy(v, c), z, eps=1e-6)
        np.testing.assert_allclose(state["numeric"], numeric, atol=1e-8)
        assert state["relativeError"] < 1e-6
    elif name == "training":
        history = training_run(state["hidden"], float(state["lr"]))
        step = state["step"]
        close(state["loss"], history.loss[step], f"loss at step {step}", rtol=1e-9)
        assert state["accuracy"] == pytest.approx(history.accuracy[step], abs=1e-12)
        assert state["dead"] == pytest.approx(history.dead_fraction[step], abs=1e-12)
        assert state["blownUp"] == bool(history.loss[step] > history.loss[0])
    else:
        raise AssertionError(f"no nnmath check for explorer {name!r}")


# -- the tests ---------------------------------------------------------------------------
def test_every_explorer_written_for_the_book_is_on_a_page() -> None:
    shown = {name for _, name in PAGES}
    book = {n for n, cls in EXPLORERS.items() if not issubclass(cls, ActivationExplorer)}
    assert book <= shown, f"explorers on the pages: {sorted(shown)}"


@pytest.mark.parametrize(("doc", "name"), PAGES, ids=[n for _, n in PAGES])
def test_at_its_defaults_the_page_draws_what_nnmath_computes(
    pages: Any, doc: str, name: str
) -> None:
    page = pages(doc)
    state = page.state(name)
    defaults = {c.name: c.value for c in EXPLORERS[name].CONTROLS}
    for key in ("alpha", "x", "T", "p", "y", "hidden", "lr", "step"):
        if key in defaults and key in state:
            assert state[key] == defaults[key], f"{key} starts at {state[key]}"
    check_against_nnmath(name, state)
    assert not page.errors and not page.foreign, (page.errors, page.foreign)


def range_inputs(root: Any) -> list[Any]:
    inputs = root.locator("input[type=range]")
    return [inputs.nth(i) for i in range(inputs.count())]


@pytest.mark.parametrize(("doc", "name"), PAGES, ids=[n for _, n in PAGES])
def test_every_control_moves_the_numbers_and_the_picture(pages: Any, doc: str, name: str) -> None:
    page = pages(doc)
    root = page.root(name)
    root.scroll_into_view_if_needed()
    moved = 0
    # Sliders, with the keyboard: End, then one step back, then Home.
    for slider in range_inputs(root):
        if not slider.is_visible():
            continue
        label = root.locator(f'label[for="{slider.get_attribute("id")}"]')
        assert label.count() == 1 and label.text_content().strip(), "a slider has a label"
        for key in ("End", "ArrowLeft", "Home"):
            before, picture = page.state(name), page.picture(name)
            slider.focus()
            page.page.keyboard.press(key)
            after = page.state(name)
            if after == before:
                continue  # already at that end
            moved += 1
            check_against_nnmath(name, after)
            assert page.picture(name) != picture, f"{key} on {label.text_content()}: same picture"
            text = slider.get_attribute("aria-valuetext")
            assert text and text.startswith(label.text_content().strip()), text
    # Radio groups, with the arrow keys as a reader would; selects, by choosing.
    groups = root.locator("fieldset")
    for i in range(groups.count()):
        radios = groups.nth(i).locator("input[type=radio]")
        assert groups.nth(i).locator("legend").text_content().strip(), "a group has a legend"
        for j in range(radios.count()):
            before, picture = page.state(name), page.picture(name)
            radio = radios.nth(j)
            if radio.is_checked():
                continue
            radio.check()
            after = page.state(name)
            moved += 1
            check_against_nnmath(name, after)
            assert after != before and page.picture(name) != picture
        checked = next(j for j in range(radios.count()) if radios.nth(j).is_checked())
        radios.nth(checked).focus()
        page.page.keyboard.press("ArrowLeft" if checked else "ArrowRight")
        assert not radios.nth(checked).is_checked(), "the arrow keys move the choice"
        check_against_nnmath(name, page.state(name))
    assert moved >= 2
    assert not page.errors and not page.foreign, (page.errors, page.foreign)


def test_softmax_classes_show_and_hide_logits(pages: Any) -> None:
    page = pages(next(c for c, n in PAGES if n == "softmax"))
    root = page.root("softmax")
    classes = root.locator("input[name=classes]")
    classes.fill("5")
    state = page.state("softmax")
    assert state["K"] == 5 and len(state["p"]) == 5
    assert root.locator("input[name=z5]").is_visible()
    check_against_nnmath("softmax", state)
    classes.fill("3")
    assert not root.locator("input[name=z5]").is_visible()
    assert page.state("softmax")["K"] == 3


def test_training_plays_and_reports_a_blown_up_loss(pages: Any) -> None:
    page = pages(next(c for c, n in PAGES if n == "training"))
    root = page.root("training")
    root.locator("fieldset", has_text="hidden units").get_by_label("100", exact=True).check()
    root.locator("input[name=step]").fill("1000")
    root.locator("fieldset", has_text="learning rate").get_by_label("10", exact=True).check()
    state = page.state("training")
    assert state["lr"] == 10 and state["blownUp"], state
    check_against_nnmath("training", state)
    assert "learning rate is too large" in root.locator(".nnmath-explorer-readout").text_content()
    root.locator("fieldset", has_text="learning rate").get_by_label("1", exact=True).check()
    step = root.locator("input[name=step]")
    step.fill("0")
    assert page.state("training")["step"] == 0
    play = root.get_by_role("button", name=re.compile("play"))
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.page.wait_for_function(
        "(el) => JSON.parse(el.dataset.state).step > 50", arg=root.element_handle()
    )
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    state = page.state("training")
    assert 50 < state["step"] < 1000
    check_against_nnmath("training", state)
    assert not page.errors and not page.foreign, (page.errors, page.foreign)


def test_readouts_are_announced_politely(pages: Any) -> None:
    for doc, name in PAGES:
        readout = pages(doc).root(name).locator(".nnmath-explorer-readout")
        assert readout.get_attribute("aria-live") == "polite"
        assert readout.text_content().strip()
        figure = pages(doc).root(name).locator("[role=img]")
        assert (figure.get_attribute("aria-label") or "").strip() == EXPLORERS[name].title


def test_a_reader_without_javascript_sees_a_still_picture(chromium: Any, site: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        for doc, name in PAGES:
            page = context.new_page()
            page.goto(f"{site}{doc}.html", wait_until="load")
            picture = page.locator(f'.nnmath-explorer[data-explorer="{name}"] noscript img')
            if picture.count() == 0:  # scripting off: <noscript> holds elements
                picture = page.locator(f'.nnmath-explorer[data-explorer="{name}"] img')
            assert picture.count() == 1, f"{doc}: no still picture of {name}"
            assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), doc
            assert picture.get_attribute("alt") == EXPLORERS[name].title
            page.close()
    finally:
        context.close()


def test_a_reader_with_javascript_never_fetches_the_still_picture(pages: Any) -> None:
    for doc, _ in PAGES:
        page = pages(doc)
        fetched = page.page.evaluate(
            "() => performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(n => n.includes('/_images/explorer-'))"
        )
        assert fetched == [], f"{doc} fetched {fetched}"


def test_the_network_trains_on_a_worker_thread_and_runs_are_kept(pages: Any) -> None:
    page = pages(next(c for c, n in PAGES if n == "training"))
    root = page.root("training")
    rates = root.locator("fieldset", has_text="learning rate")
    rates.get_by_label("0.3", exact=True).check()
    root.locator("input[name=step]").fill("1000")
    state = page.state("training")
    assert state["thread"] == "worker", "training runs off the page's thread"
    check_against_nnmath("training", state)
    rates.get_by_label("1", exact=True).check()
    page.state("training")
    rates.get_by_label("0.3", exact=True).check()  # back: the kept run, already trained
    again = json.loads(root.get_attribute("data-state"))
    assert again["lr"] == 0.3 and again["trained"] == 1000 and again["step"] == 1000
    assert not page.errors and not page.foreign, (page.errors, page.foreign)
