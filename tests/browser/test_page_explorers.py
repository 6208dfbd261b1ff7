"""The explorers on the built book page, computed in the browser, held to nnmath.

Every explorer of every chapter is opened over http and from file:// (what ``make book``
tells a reader to open). Each control is moved, with the keyboard where a reader would
use it; after every move the numbers the page drew (the root's ``data-state``) must
equal what nnmath computes in Python for the same inputs, the figure must change, and
the page must make no request off the machine and log no error.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import numpy as np
import pytest
from book_site import (
    HTML,
    SCREENSHOTS,
    OfflinePage,
    chapter_docnames,
    require_browser_and_build,
)
from explorer_states import assert_same_state

from nnmath.widgets import EXPLORERS, ActivationExplorer
from nnmath.widgets.training import reference

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


class ExplorerPage(OfflinePage):
    """A chapter page opened in its own context, with its explorer and what the page did."""

    def __init__(self, chromium: Any, url: str, base: str) -> None:
        super().__init__(chromium, base)
        self.page.goto(url, wait_until="load")
        self.page.wait_for_selector(f"{ROOT}[data-ready='true']", timeout=60_000)

    def root(self, name: str) -> Any:
        return self.page.locator(f'{ROOT}[data-explorer="{name}"]').first

    def state(self, name: str) -> dict[str, Any]:
        """The numbers drawn, once the explorer has finished any work in progress."""
        return self.state_and_values(name)[0]

    def state_and_values(self, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The numbers drawn and the control values they were computed for."""
        root = self.root(name)
        self.page.wait_for_function(
            "el => el.dataset.busy === 'false'", arg=root.element_handle(), timeout=60_000
        )
        assert root.get_attribute("data-error") is None, root.get_attribute("data-error")
        return json.loads(root.get_attribute("data-state")), json.loads(
            root.get_attribute("data-values")
        )

    def check(self, name: str) -> dict[str, Any]:
        """The state drawn, checked against nnmath's for the same values."""
        state, values = self.state_and_values(name)
        check_against_nnmath(name, state, values)
        return state

    def picture(self, name: str) -> str:
        """What the figures show (a view may draw several): their SVG layers and the
        pixels of their rasters."""
        return self.root(name).evaluate(
            "(root) => Array.from(root.querySelectorAll('.nx-figure'), f => f.innerHTML"
            " + Array.from(f.querySelectorAll('canvas'), c => c.toDataURL()).join()).join()"
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
def check_against_nnmath(name: str, state: dict[str, Any], values: dict[str, Any]) -> None:
    """The page's state equals the state nnmath computes for the same control values.

    Above a learning rate of 1 the capstone's runs are chaotic: the page's and nnmath's may
    part. There the page must carry nnmath's own final numbers, and say whether it parted.
    """
    if name == "training" and values["lr"] > 1:
        expected = reference(values["hidden"], values["lr"])
        for key in ("loss", "accuracy", "dead"):
            assert state["reference"][key] == pytest.approx(expected[key], rel=1e-12)
        if state["parted"] is not None:
            final = state["losses"][-1] if state["diverged"] is None else None
            apart = final is None or abs(final - expected["loss"]) > 1e-9 * expected["loss"]
            assert state["parted"] == apart, (state["parted"], final, expected)
        return
    assert_same_state(name, state, EXPLORERS[name](**values).state)


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
    state, values = page.state_and_values(name)
    assert values == {c.name: c.value for c in EXPLORERS[name].CONTROLS}
    check_against_nnmath(name, state, values)
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
            page.check(name)
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
            page.check(name)
            assert after != before and page.picture(name) != picture
        checked = next(j for j in range(radios.count()) if radios.nth(j).is_checked())
        radios.nth(checked).focus()
        page.page.keyboard.press("ArrowLeft" if checked else "ArrowRight")
        assert not radios.nth(checked).is_checked(), "the arrow keys move the choice"
        page.check(name)
    assert moved >= 2
    assert not page.errors and not page.foreign, (page.errors, page.foreign)


def test_softmax_classes_show_and_hide_logits(pages: Any) -> None:
    page = pages(next(c for c, n in PAGES if n == "softmax"))
    root = page.root("softmax")
    classes = root.locator("input[name=classes]")
    classes.fill("5")
    state = page.check("softmax")
    assert state["K"] == 5 and len(state["p"]) == 5
    assert root.locator("input[name=z5]").is_visible()
    classes.fill("3")
    assert not root.locator("input[name=z5]").is_visible()
    assert page.state("softmax")["K"] == 3


def test_the_heatmap_shows_each_entry_rounded_with_its_sign(pages: Any) -> None:
    """Every cell of the softmax Jacobian's heatmap reads its entry, rounded; an entry too
    small for the decimals shown keeps its sign ("\u22120.00" at K = 5 for the logits 0 and
    -1), since every off-diagonal entry, -p_i p_j, is negative."""
    page = pages(next(c for c, n in PAGES if n == "softmax"))
    root = page.root("softmax")
    for k, digits in ((3, 3), (4, 3), (5, 2)):
        root.locator("input[name=classes]").fill(str(k))
        state = page.check("softmax")
        cells = root.locator("text.nx-cell").evaluate_all(
            "ts => ts.filter(t => getComputedStyle(t).visibility !== 'hidden')"
            ".map(t => t.textContent)"
        )
        assert len(cells) == k * k
        shown = np.array(cells).reshape(k, k)
        jac = np.array(state["jacobian"])
        for (i, j), text in np.ndenumerate(shown):
            value = float(text.replace("\u2212", "-"))
            assert abs(value - jac[i, j]) <= 0.5 * 10.0**-digits + 1e-12, (k, i, j, text)
            if i != j:
                assert text.startswith("\u2212"), f"K = {k}: entry ({i + 1}, {j + 1}) reads {text}"
    assert "\u22120.00" in cells  # K = 5: dp_4/dz_5 and more round to zero, keeping the sign
    root.locator("input[name=classes]").fill("3")
    # Cold, T = 0.1: every entry rounds to zero, and each reads as its neighbours do, with
    # three decimals and its sign (the diagonal read "0" beside "−0.000").
    for name, value in (("z1", "1"), ("z2", "2"), ("z3", "3"), ("temperature", "0.1")):
        root.locator(f"input[name={name}]").fill(value)  # other tests move them
    page.check("softmax")
    cells = root.locator("text.nx-cell").evaluate_all(
        "ts => ts.filter(t => getComputedStyle(t).visibility !== 'hidden').map(t => t.textContent)"
    )
    expected = ["0.000" if i == j else "\u22120.000" for i in range(3) for j in range(3)]
    assert cells == expected, cells
    root.locator("input[name=temperature]").fill("1")


def test_training_plays_and_reports_a_blown_up_loss(pages: Any) -> None:
    page = pages(next(c for c, n in PAGES if n == "training"))
    root = page.root("training")
    root.locator("fieldset", has_text="hidden units").get_by_label("100", exact=True).check()
    root.locator("input[name=step]").fill("1000")
    root.locator("fieldset", has_text="learning rate").get_by_label("10", exact=True).check()
    state = page.state("training")
    assert state["lr"] == 10 and state["blownUp"], state
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
    state = page.check("training")
    assert 50 < state["step"] < 1000
    assert not page.errors and not page.foreign, (page.errors, page.foreign)


def test_readouts_are_announced_politely(pages: Any) -> None:
    for doc, name in PAGES:
        readout = pages(doc).root(name).locator(".nnmath-explorer-readout")
        assert readout.get_attribute("aria-live") == "polite"
        assert readout.text_content().strip()
        # One figure labelled with the explorer's title, or (cross-entropy) a figure for
        # each part of it, labelled with that part.
        labels = (
            pages(doc)
            .root(name)
            .evaluate(
                "root => Array.from(root.querySelectorAll('[role=img]'), f => f.ariaLabel.trim())"
            )
        )
        parts = EXPLORERS[name]().page_config().get("figures", [EXPLORERS[name].title])
        assert labels == parts, labels


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
    state = page.check("training")
    assert state["thread"] == "worker", "training runs off the page's thread"
    rates.get_by_label("1", exact=True).check()
    page.state("training")
    rates.get_by_label("0.3", exact=True).check()  # back: the kept run, already trained
    again = json.loads(root.get_attribute("data-state"))
    assert again["lr"] == 0.3 and again["trained"] == 1000 and again["step"] == 1000
    assert not page.errors and not page.foreign, (page.errors, page.foreign)


def test_where_the_capstone_parts_from_nnmath_it_says_so(pages: Any) -> None:
    page = pages(next(c for c, n in PAGES if n == "training"))
    root = page.root("training")
    root.locator("fieldset", has_text="hidden units").get_by_label("100", exact=True).check()
    root.locator("input[name=step]").fill("1000")
    parted = {}
    for lr in ("1", "3"):
        root.locator("fieldset", has_text="learning rate").get_by_label(lr, exact=True).check()
        page.page.wait_for_function(
            "el => JSON.parse(el.dataset.state).parted !== null && el.dataset.busy === 'false'",
            arg=root.element_handle(),
            timeout=120_000,
        )
        state = page.check("training")
        parted[lr] = state["parted"]
        readout = root.locator(".nnmath-explorer-readout").text_content()
        assert ("parted" in readout) == state["parted"], readout
        if state["parted"]:
            assert f"{state['reference']['loss']:.3f}" in readout, readout
    assert parted["1"] is False, "at lr 1 the page's run is nnmath's"
    assert not page.errors and not page.foreign, (page.errors, page.foreign)


# -- the page as a reader sees it: phone and laptop, light and dark ------------------------------
VIEWPORTS = {
    "laptop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
}

#: In the page: sizes of every explorer's text and controls, as rendered.
MEASURE = r"""
(root) => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const shown = (el) => el.offsetParent !== null;
  const texts = [];
  for (const svg of root.querySelectorAll("svg.nnmath-explorer-figure")) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll("text")) {
      if (!t.textContent.trim() || getComputedStyle(t).visibility === "hidden") continue;
      texts.push({ size: px(t) * scale, small: t.matches(".nx-tick, .nx-cell"),
                   text: t.textContent });
    }
  }
  const html = "label, legend, output, .nnmath-explorer-readout, button, select";
  for (const el of root.querySelectorAll(html)) {
    if (shown(el) && el.textContent.trim()) {
      texts.push({ size: px(el), small: false, text: el.textContent });
    }
  }
  const targets = [];
  for (const el of root.querySelectorAll("input[type=range], select, button, .nnmath-option")) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    targets.push({ what: el.outerHTML.slice(0, 60), w: box.width, h: box.height });
  }
  const style = getComputedStyle(root);
  return {
    texts, targets,
    panels: Array.from(root.querySelectorAll(".nx-panel"),
                       (p) => p.getBoundingClientRect().toJSON()),
    schemes: Array.from(root.querySelectorAll("input, select, button"),
                        (el) => getComputedStyle(el).colorScheme),
    touch: Array.from(root.querySelectorAll("input[type=range]"),
                      (el) => getComputedStyle(el).touchAction),
    panelScheme: style.colorScheme, background: style.backgroundColor,
  };
}
"""


@pytest.fixture(scope="module", params=sorted(VIEWPORTS))
def device(request: pytest.FixtureRequest, chromium: Any, site: str) -> Any:
    context = chromium.new_context(**VIEWPORTS[request.param], service_workers="block")
    opened: dict[str, Any] = {}

    def open_chapter(chapter: str) -> Any:
        if chapter not in opened:
            page = context.new_page()
            page.goto(f"{site}{chapter}.html", wait_until="load")
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.nnmath-explorer'))"
                ".every(e => e.dataset.ready === 'true' && e.dataset.busy === 'false')",
                timeout=120_000,
            )
            opened[chapter] = page
        return opened[chapter]

    open_chapter.kind = request.param
    yield open_chapter
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("doc", "name"), PAGES, ids=[n for _, n in PAGES])
def test_text_and_targets_are_large_enough(device: Any, doc: str, name: str, theme: str) -> None:
    page = device(doc)
    page.evaluate("t => { document.documentElement.dataset.theme = t; }", theme)
    root = page.locator(f'{ROOT}[data-explorer="{name}"]').first
    root.scroll_into_view_if_needed()
    m = root.evaluate(MEASURE)
    small = [t for t in m["texts"] if t["size"] < 9 - 1e-6]
    assert not small, f"text under 9 px: {small[:5]}"
    body = [t for t in m["texts"] if not t["small"] and t["size"] < 11 - 1e-6]
    assert not body, f"text under 11 px (only ticks and cells may be 9 px): {body[:5]}"
    least = 44 if device.kind == "phone" else 24
    tiny = [t for t in m["targets"] if t["w"] < least - 0.5 or t["h"] < least - 0.5]
    assert not tiny, f"controls under {least}x{least} px: {tiny}"
    assert set(m["touch"]) <= {"pan-y", "none"}, "a drag on a slider must move the slider"
    # One colour scheme for the card and its controls, in both themes: a light panel.
    assert m["panelScheme"] == "light" and set(m["schemes"]) == {"light"}, m["schemes"]
    assert m["background"] == "rgb(255, 255, 255)"
    if device.kind == "phone":  # the panels stack
        boxes = m["panels"]
        assert all(b["top"] >= a["bottom"] - 1 for a, b in itertools.pairwise(boxes)), boxes
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=str(SCREENSHOTS / f"explorer-{name}-{device.kind}-{theme}.png"))
    page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")


def test_changing_k_never_moves_the_k_slider(device: Any) -> None:
    page = device(next(c for c, n in PAGES if n == "softmax"))
    root = page.locator(f'{ROOT}[data-explorer="softmax"]').first
    classes = root.locator("input[name=classes]")
    classes.scroll_into_view_if_needed()
    before = classes.bounding_box()
    for k in ("5", "3", "4"):
        classes.focus()
        classes.fill(k)
        assert json.loads(root.get_attribute("data-state"))["K"] == int(k)
        assert classes.bounding_box() == before, f"K = {k} moved the K slider"


def test_each_control_of_the_cross_entropy_explorer_sits_above_the_panels_it_moves(
    device: Any,
) -> None:
    """The label and p move the two binary panels; the class of sample 1 and the reduction
    move the batch's two panels, which a phone stacks a screen below the binary ones: each
    pair of controls sits just above its own panels, and a move shows the change in view."""
    page = device(next(c for c, n in PAGES if n == "cross_entropy"))
    root = page.locator(f'{ROOT}[data-explorer="cross_entropy"]').first
    root.scroll_into_view_if_needed()
    boxes = root.evaluate(
        """root => ({
          panels: Array.from(root.querySelectorAll(".nx-panel"),
            p => p.getBoundingClientRect().toJSON()),
          rows: Object.fromEntries(Array.from(root.querySelectorAll("[data-control]"),
            r => [r.dataset.control, r.getBoundingClientRect().toJSON()])),
          groups: Array.from(root.querySelectorAll("[role=group].nnmath-explorer-controls"),
            g => [g.getAttribute("aria-label"), Array.from(g.querySelectorAll("[data-control]"),
              r => r.dataset.control)]),
        })"""
    )
    loss, derivative, per_sample, gradient = boxes["panels"]
    binary_bottom = max(loss["bottom"], derivative["bottom"])
    batch_top = min(per_sample["top"], gradient["top"])
    for name in ("y", "p"):
        row = boxes["rows"][name]
        assert row["bottom"] <= loss["top"] + 1, f"{name} is not above the binary panels"
    for name in ("true_class", "reduction"):
        row = boxes["rows"][name]
        assert binary_bottom - 1 <= row["top"], f"{name} is above the binary panels"
        assert row["bottom"] <= batch_top + 1, f"{name} is not above the batch panels"
        gap = batch_top - row["bottom"]
        assert gap < 80, f"{name} is {gap:.0f} px above the batch panels"
    assert boxes["groups"] == [["the batch of 4 samples", ["true_class", "reduction"]]]


def test_a_phone_reaches_one_training_step_by_touch(chromium: Any, site: str) -> None:
    """A finger on a phone sets the training step to one exact value, as chapter 5's
    challenge asks (the first step at which every unit is dead): the step slider takes the
    card's width, and its -1 and +1 buttons move it by one step, as one move."""
    chapter = next(c for c, n in PAGES if n == "training")
    context = chromium.new_context(**VIEWPORTS["phone"], service_workers="block")
    page = context.new_page()
    page.goto(f"{site}{chapter}.html", wait_until="load")
    root = page.locator(f'{ROOT}[data-explorer="training"]').first
    ready = "el => el.dataset.ready === 'true' && el.dataset.busy === 'false'"
    page.wait_for_function(ready, arg=root.element_handle(), timeout=120_000)
    challenge = page.locator('[data-challenge="training-all-dead"]')
    challenge.scroll_into_view_if_needed()
    assert challenge.get_attribute("data-explorer-id") == root.get_attribute("id")
    slider = root.locator("input[name=step]")
    slider.scroll_into_view_if_needed()
    width = slider.bounding_box()["width"]
    card = root.locator(".nnmath-explorer-controls").bounding_box()["width"]
    assert width >= 0.8 * card, f"the step slider is {width:.0f} px of a {card:.0f} px card"

    def values() -> dict[str, Any]:
        return json.loads(root.get_attribute("data-values"))

    lr = root.locator('[data-control="lr"] .nnmath-option')
    lr.filter(has_text=re.compile(r"^\s*10\s*$")).tap()
    page.wait_for_function(ready, arg=root.element_handle(), timeout=120_000)
    assert values()["lr"] == 10
    box = slider.bounding_box()
    page.touchscreen.tap(box["x"] + 1, box["y"] + box["height"] / 2)  # its left end
    start = values()["step"]
    assert start <= 3, f"a tap at the left end set step {start}"
    forward = root.locator("button.nnmath-nudge", has_text="+1")
    back = root.locator("button.nnmath-nudge", has_text="\u22121")
    for step in range(start + 1, 12):
        forward.tap()
        page.wait_for_function(ready, arg=root.element_handle())
        assert values()["step"] == step
    back.tap()
    page.wait_for_function(ready, arg=root.element_handle())
    assert values()["step"] == 10
    assert json.loads(root.get_attribute("data-state"))["dead"] == 1.0
    page.wait_for_function(
        "el => JSON.parse(el.dataset.state).done", arg=challenge.element_handle()
    )
    # The learning rate, then the step slider and its buttons: two moves, the fewest.
    assert json.loads(challenge.get_attribute("data-state"))["best"] == 2
    context.close()


def test_a_finger_sets_a_logit_exactly_and_a_mouse_keeps_one_line_a_logit(device: Any) -> None:
    """Chapter 4's challenge needs z2 - z1 of exactly 0.7, a step of 0.1 on a slider of 160
    steps. On a phone each logit's -0.1 and +0.1 buttons move it by one step, and the
    slider takes the card's width on a line of its own; on a laptop the buttons are not
    shown (the arrow keys and a mouse reach one step) and label, slider and readout keep
    one line."""
    page = device(next(c for c, n in PAGES if n == "softmax_cross_entropy"))
    root = page.locator(f'{ROOT}[data-explorer="softmax_cross_entropy"]').first
    row = root.locator('[data-control="z2"]')
    row.scroll_into_view_if_needed()
    slider = row.locator("input[type=range]")
    buttons = row.locator("button.nnmath-nudge")
    label = row.locator("label").bounding_box()
    if device.kind == "laptop":
        assert buttons.count() == 2 and not buttons.first.is_visible()
        assert abs(slider.bounding_box()["y"] - label["y"]) < label["height"], "two lines"
        return
    card = root.locator(".nnmath-explorer-controls").bounding_box()["width"]
    width = slider.bounding_box()["width"]
    assert width >= 0.8 * card, f"the z2 slider is {width:.0f} px of a {card:.0f} px card"
    assert slider.bounding_box()["y"] >= label["y"] + label["height"] - 1, "not a line of its own"
    ready = "el => el.dataset.ready === 'true' && el.dataset.busy === 'false'"

    def z2() -> float:
        return json.loads(root.get_attribute("data-values"))["z2"]

    start = z2()
    for step, text in ((1, "+0.1"), (2, "+0.1"), (1, "\u22120.1")):
        buttons.filter(has_text=text).tap()
        page.wait_for_function(ready, arg=root.element_handle())
        assert abs(z2() - (start + 0.1 * step)) < 1e-9, (text, z2())
    assert abs(float(slider.input_value()) - z2()) < 1e-9
    buttons.filter(has_text="\u22120.1").tap()  # back where it was, for the other tests
    page.wait_for_function(ready, arg=root.element_handle())
    assert abs(z2() - start) < 1e-9


def test_a_finger_sets_the_temperature_back_to_1_exactly(device: Any) -> None:
    """Chapter 2's challenges need T = 1 exactly, one step of 0.05 on a slider of 98. On a
    phone the temperature's -0.05 and +0.05 buttons move it by one step each way."""
    if device.kind == "laptop":
        pytest.skip("the buttons are for a finger")
    page = device(next(c for c, n in PAGES if n == "softmax"))
    root = page.locator(f'{ROOT}[data-explorer="softmax"]').first
    row = root.locator('[data-control="temperature"]')
    row.scroll_into_view_if_needed()
    buttons = row.locator("button.nnmath-nudge")
    ready = "el => el.dataset.ready === 'true' && el.dataset.busy === 'false'"

    def temperature() -> float:
        return json.loads(root.get_attribute("data-values"))["temperature"]

    start = temperature()
    for text, expected in (("+0.05", start + 0.05), ("+0.05", start + 0.1)):
        buttons.filter(has_text=text).tap()
        page.wait_for_function(ready, arg=root.element_handle())
        assert abs(temperature() - expected) < 1e-9, (text, temperature())
    for _ in range(2):
        buttons.filter(has_text="\u22120.05").tap()
        page.wait_for_function(ready, arg=root.element_handle())
    assert temperature() == start == 1.0


#: In the page: each nudged slider row whose readout is not on its buttons' line.
NUDGED_ROWS_APART = """() => Array.from(
  document.querySelectorAll(".nnmath-control-nudged"), (row) => {
  const button = row.querySelector(":scope > .nnmath-nudge").getBoundingClientRect();
  const output = row.querySelector(":scope > output").getBoundingClientRect();
  if (!row.offsetParent) return "";  // a row not shown (a logit beyond K)
  const apart = output.top >= button.bottom || output.bottom <= button.top;
  return apart ? `${row.dataset.control}: readout at ${output.top}, buttons at ${button.top}` : "";
}).filter(Boolean)"""


@pytest.mark.parametrize("ratio", [1, 3])
def test_a_nudged_sliders_readout_shares_its_buttons_line_on_a_phone(
    chromium: Any, site: str, ratio: int
) -> None:
    """On a phone, a slider with nudge buttons shows its label, its buttons and its readout
    on one line, and the slider under them, in every explorer; also on a phone of 3 device
    pixels per CSS pixel, whose text comes out a little wider (the temperature's readout
    fell onto a line of its own there)."""
    context = chromium.new_context(
        **VIEWPORTS["phone"],
        device_scale_factor=ratio,
        color_scheme="dark",
        service_workers="block",
    )
    problems = []
    try:
        page = context.new_page()
        for doc in sorted({d for d, _ in PAGES}):
            page.goto(f"{site}{doc}.html", wait_until="load")
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.nnmath-explorer'))"
                ".every(e => e.dataset.ready === 'true')",
                timeout=120_000,
            )
            problems += [f"{doc}: {p}" for p in page.evaluate(NUDGED_ROWS_APART)]
    finally:
        context.close()
    assert not problems, problems


# -- nothing of a figure cut off or covered -------------------------------------------------------
#: Least distance, in px of the page, between two texts side by side in a panel.
TEXT_GAP = 2.0

#: In the page: what of an explorer's figure is cut off or covered. A text past its panel's
#: SVG box (the SVG clips it); two texts of a panel that overlap, or side by side closer
#: than `gap` (they read as one); a legend's text past the legend's box; and a readout (a
#: box, or a block of monospace text) or a legend over the data of its plot: a point of a
#: curve, a marker or a bar inside the plotting area (what lies outside it is clipped away).
LAYOUT = r"""
(root, gap) => {
  const problems = [];
  const hidden = (el) => getComputedStyle(el).visibility === "hidden" ||
    getComputedStyle(el).display === "none";
  const say = (what, el) => `${what}: "${(el.textContent || el.tagName).trim()}"`;
  const meets = (a, b, pad = 0) => a.left < b.right + pad && b.left < a.right + pad &&
    a.top < b.bottom + pad && b.top < a.bottom + pad;
  const inside = (r, x, y) => x > r.x && x < r.x + r.width && y > r.y && y < r.y + r.height;
  for (const holder of root.querySelectorAll(".nx-panel")) {
    const layers = Array.from(holder.querySelectorAll(":scope > svg.nnmath-explorer-figure"));
    const frame = layers[0].getBoundingClientRect();
    const texts = [];
    for (const svg of layers) {
      for (const t of svg.querySelectorAll("text")) {
        if (!t.textContent.trim() || hidden(t)) continue;
        const r = t.getBoundingClientRect();
        texts.push({ t, r });
        if (r.left < frame.left - 0.5 || r.right > frame.right + 0.5 ||
            r.top < frame.top - 0.5 || r.bottom > frame.bottom + 0.5) {
          problems.push(say("past its panel's edge", t));
        }
        const legend = t.closest(".nx-legend");
        const box = legend && legend.querySelector("rect.nx-legend-box");
        if (box && r.right > box.getBoundingClientRect().right + 0.5) {
          problems.push(say("past its legend's box", t));
        }
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const [a, b] = [texts[i].r, texts[j].r];
        // On one line, `gap` apart; lines one above the other may touch (their boxes hold
        // the font's whole height), never overlap.
        const shared = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        const oneLine = shared > 0.5 * Math.min(a.height, b.height);
        if (meets(a, b, oneLine ? gap : -0.5)) {
          const other = JSON.stringify(texts[j].t.textContent);
          problems.push(say(`on or too close to ${other}`, texts[i].t));
        }
      }
    }
    // In the SVG's own units: the plotting area (the clip of the data) and what covers it.
    const clip = layers[0].querySelector("clipPath rect");
    if (!clip) continue;
    const plot = clip.getBBox();
    const covers = [];
    for (const svg of layers) {
      for (const el of svg.querySelectorAll("rect.nx-box, g.nx-legend, text.nx-mono")) {
        const boxed = el.matches("text") && el.parentNode.querySelector("rect.nx-box");
        if (hidden(el) || boxed) continue; // a boxed text: its box is the cover
        const b = el.getBBox();
        if (b.width > 0) covers.push({ el, b });
      }
    }
    // Curves and markers as line segments (the kit draws paths of M, L, m, l and Z only),
    // each cut to the plotting area; dots as their centres; bars as rectangles.
    const segments = [];
    const dots = [];
    const bars = [];
    for (const svg of layers) {
      for (const path of svg.querySelectorAll("path")) {
        if (hidden(path) || path.closest(".nx-legend, defs") || !path.getAttribute("d")) continue;
        let [x, y, x0, y0] = [0, 0, 0, 0];
        for (const [, op, args] of path.getAttribute("d").matchAll(/([MLmlZz])([^MLmlZz]*)/g)) {
          const v = (args.match(/-?[\d.]+(?:e-?\d+)?/g) || []).map(Number);
          if (op === "Z" || op === "z") {
            segments.push([x, y, x0, y0]);
            [x, y] = [x0, y0];
            continue;
          }
          for (let i = 0; i + 1 < v.length; i += 2) {
            const rel = op === "m" || op === "l";
            const [nx, ny] = rel ? [x + v[i], y + v[i + 1]] : [v[i], v[i + 1]];
            if ((op === "M" || op === "m") && i === 0) [x0, y0] = [nx, ny];
            else segments.push([x, y, nx, ny]);
            [x, y] = [nx, ny];
          }
        }
      }
      for (const dot of svg.querySelectorAll("circle")) {
        if (hidden(dot) || dot.closest(".nx-legend, defs")) continue;
        const c = dot.getBBox();
        dots.push({ x: c.x + c.width / 2, y: c.y + c.height / 2 });
      }
      for (const bar of svg.querySelectorAll("g[clip-path] rect")) {
        if (hidden(bar) || bar.getAttribute("fill") === "none") continue;
        const b = bar.getBBox();
        if (b.width > 0 && b.height > 0) bars.push(b);
      }
    }
    /** The part of the segment inside r (Liang-Barsky), or null. */
    const cut = ([ax, ay, bx, by], r) => {
      let [t0, t1] = [0, 1];
      const [dx, dy] = [bx - ax, by - ay];
      const sides = [
        [-dx, ax - r.x], [dx, r.x + r.width - ax], [-dy, ay - r.y], [dy, r.y + r.height - ay],
      ];
      for (const [p, q] of sides) {
        if (p === 0) {
          if (q < 0) return null;
        } else if (p < 0) t0 = Math.max(t0, q / p);
        else t1 = Math.min(t1, q / p);
      }
      return t0 < t1 ? [ax + t0 * dx, ay + t0 * dy, ax + t1 * dx, ay + t1 * dy] : null;
    };
    const shown = segments.map((s) => cut(s, plot)).filter(Boolean);
    for (const { el, b } of covers) {
      const hit = shown.some((s) => cut(s, b)) ||
        dots.some((p) => inside(plot, p.x, p.y) && inside(b, p.x, p.y)) ||
        bars.some((r) => meets(
          { left: r.x, right: r.x + r.width, top: r.y, bottom: r.y + r.height },
          { left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height }));
      if (hit) problems.push(say("over the data", el.matches("rect") ? el.parentNode : el));
    }
  }
  return problems;
}
"""


#: Values inside a slider's range where a view draws more than elsewhere: at x = 0 the ReLU
#: explorer's readout grows a line (the value at the kink is a convention).
SPECIAL_STATES = {
    "relu": [
        ("x at the kink", {"x": "0"}),
        ("x at the kink, α at its end", {"alpha": "End", "x": "0"}),
    ],
}


def control_states(name: str) -> list[tuple[str, dict[str, str]]]:
    """(label, settings) that take an explorer to its extremes: its defaults; then its sliders
    all at their ends, all at their starts, and alternating, with every combination of its
    choices (one choice after another when the combinations are many: the capstone trains
    for each)."""
    controls = EXPLORERS[name].CONTROLS
    sliders = [c.name for c in controls if c.spec()["kind"] == "range"]
    choices = [c for c in controls if c.spec()["kind"] != "range"]
    slider_states = [
        {s: "End" for s in sliders},
        {s: "Home" for s in sliders},
        {s: ("End", "Home")[i % 2] for i, s in enumerate(sliders)},
    ]
    options = [[(c.name, label) for label, _ in c.options] for c in choices]
    combos = list(itertools.product(*options))
    if len(combos) > 12:
        combos = [(pair,) for group in options for pair in group]
    states = [("defaults", {}), *SPECIAL_STATES.get(name, [])]
    for combo in combos:
        for sliding in slider_states:
            label = ", ".join(f"{k} {v}" for k, v in [*combo, *sliding.items()])
            states.append((label, {**dict(combo), **sliding}))
    return states


def set_controls(page: Any, root: Any, settings: dict[str, str]) -> None:
    """Choices by clicking their option, sliders with the keyboard (End, Home) or set to a
    value (a number)."""
    for control, value in settings.items():
        row = root.locator(f'[data-control="{control}"]')
        if value in ("End", "Home"):
            slider = row.locator("input[type=range]")
            if slider.is_visible():
                slider.focus()
                page.keyboard.press(value)
        elif row.locator("input[type=range]").count():
            row.locator("input[type=range]").fill(value)
        elif row.locator("select").count():
            row.locator("select").select_option(label=value)
        else:
            row.get_by_label(value, exact=True).check()
    page.wait_for_function(
        "el => el.dataset.busy === 'false'", arg=root.element_handle(), timeout=120_000
    )


@pytest.mark.parametrize(("doc", "name"), PAGES, ids=[n for _, n in PAGES])
def test_no_text_is_cut_off_and_nothing_hides_the_data(device: Any, doc: str, name: str) -> None:
    """At a phone's width and a laptop's, at the defaults and the controls' extremes: every
    text of the figure inside its panel, apart from the others, and no readout or legend
    over a curve, a marker or a bar."""
    page = device(doc)
    page.reload(wait_until="load")
    root = page.locator(f'{ROOT}[data-explorer="{name}"]').first
    page.wait_for_function(
        "el => el.dataset.ready === 'true' && el.dataset.busy === 'false'",
        arg=root.element_handle(),
        timeout=120_000,
    )
    found = {}
    for label, settings in control_states(name):
        set_controls(page, root, settings)
        problems = root.evaluate(LAYOUT, TEXT_GAP)
        if problems:
            found[label] = problems
    page.reload(wait_until="load")  # the other tests find the explorer at its defaults
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


# -- what a figure says: one number, one rounding; shapes and colours that cannot be mixed up ----
def _explorer_at(device: Any, name: str) -> tuple[Any, Any]:
    page = device(next(c for c, n in PAGES if n == name))
    root = page.locator(f'{ROOT}[data-explorer="{name}"]').first
    root.scroll_into_view_if_needed()
    return page, root


#: The numbers of a panel's texts: [{text, lines (of a block's tspans), box (SVG units)}].
PANEL_TEXTS = r"""
(root, index) => {
  const holder = root.querySelectorAll(".nx-panel")[index];
  const hidden = (el) => getComputedStyle(el).visibility === "hidden";
  const out = [];
  for (const t of holder.querySelectorAll("svg.nnmath-explorer-figure text")) {
    if (!t.textContent.trim() || hidden(t)) continue;
    const b = t.getBBox();
    out.push({
      text: t.textContent, cls: t.getAttribute("class"), size: t.getAttribute("font-size"),
      lines: Array.from(t.querySelectorAll("tspan"), (s) => s.textContent),
      box: { left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height },
    });
  }
  return out;
}
"""

DECIMAL_NUMBER = re.compile(r"[\u2212-]?\d+\.(\d+)")


def test_the_batch_bars_and_the_readout_round_a_loss_alike(device: Any) -> None:
    """Chapter 3's batch: the bar of the mean (and of the sum) is labelled with the number
    the readout's "L = mean = ..." gives, to the same decimals, and both are nnmath's
    cross-entropy of the batch rounded so (the review saw "0.68" on the bar and
    "L = mean = 0.675" beside it)."""
    from nnmath import cross_entropy

    cls = EXPLORERS["cross_entropy"]
    page, root = _explorer_at(device, "cross_entropy")
    for true_class in ("1", "2", "3"):
        for reduction in ("mean", "sum"):
            set_controls(page, root, {"true_class": true_class, "reduction": reduction})
            texts = root.evaluate(PANEL_TEXTS, 2)  # the panel of the per-sample losses
            bars = [t["text"] for t in texts if t["cls"] == "nx-text" and t["size"] == "12"]
            assert len(bars) == len(cls.BATCH) + 2, bars  # the samples, the mean, the sum
            readout = next(t["lines"] for t in texts if t["cls"] == "nx-mono")
            said = next(line for line in readout if line.startswith("L = "))
            total = next(line for line in readout if line.startswith("mean = sum / N = "))
            labels = np.array([int(true_class) - 1, *cls.OTHER_LABELS])
            exact = {
                how: float(cross_entropy(cls.BATCH, labels, reduction=how))
                for how in ("mean", "sum")
            }
            mean_bar, sum_bar = bars[-2], bars[-1]
            chosen = mean_bar if reduction == "mean" else sum_bar
            assert said == f"L = {reduction} = {chosen}", (said, bars)
            assert total.split(" = ")[-1].split(" / ")[0] == sum_bar, (total, bars)
            for label, how in ((mean_bar, "mean"), (sum_bar, "sum")):
                digits = len(DECIMAL_NUMBER.fullmatch(label).group(1))
                assert label == f"{exact[how]:.{digits}f}", (label, how, exact[how])
            announced = root.locator(".nnmath-explorer-readout").text_content()
            assert f") {chosen}." in announced, announced
    set_controls(page, root, {"true_class": "2", "reduction": "mean"})


#: The class legend of the training explorer and the data it describes: the shape of each
#: legend entry, and of the points drawn in each class colour.
CLASS_SHAPES = r"""
(root) => {
  const holder = root.querySelectorAll(".nx-panel")[0];
  const shape = (el) => el.tagName === "path"
    ? `path:${(el.getAttribute("d").match(/[MLml]/g) || []).length}` : el.tagName;
  const legend = [];
  for (const text of holder.querySelectorAll(".nx-legend text")) {
    const mark = text.previousElementSibling;
    legend.push({ label: text.textContent, shape: shape(mark),
                  fill: mark.getAttribute("fill"), stroke: mark.getAttribute("stroke") });
  }
  const data = {};
  for (const el of holder.querySelectorAll(".nx-over circle, .nx-over rect, .nx-over path")) {
    const fill = el.getAttribute("fill");
    (data[fill] = data[fill] || new Set()).add(shape(el));
  }
  return { legend, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, [...v]])) };
}
"""


def test_the_class_legend_shows_each_class_by_its_own_marker(device: Any) -> None:
    """Each class is drawn in its colour and its shape (nnmath.plots: circles, squares,
    triangles); the legend shows each class with both, as the points are drawn (it showed a
    filled circle for every class)."""
    from nnmath.plots import CLASS_COLORS, CLASS_MARKERS

    _, root = _explorer_at(device, "training")
    found = root.evaluate(CLASS_SHAPES)
    tags = {"o": "circle", "s": "rect", "^": "path:3"}  # a triangle: a move and two lines
    k = EXPLORERS["training"]().page_config()["nOut"]
    assert [e["label"] for e in found["legend"]] == [f"class {j + 1}" for j in range(k)]
    for j, entry in enumerate(found["legend"]):
        assert entry["fill"].lower() == CLASS_COLORS[j].lower(), entry
        assert entry["shape"] == tags[CLASS_MARKERS[j]], (j, entry)
        assert found["data"][entry["fill"]] == [entry["shape"]], (entry, found["data"])


def _colour(text: str) -> np.ndarray:
    text = text.strip().lstrip("#")
    return np.array([int(text[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


#: The loss panel of the training explorer: the "ln 3" label's box, the dashed line's height,
#: the current-step marker (its fill and box) and the loss curve's segments inside the plot.
LOSS_PANEL = r"""
(root) => {
  const holder = root.querySelectorAll(".nx-panel")[1];
  const layers = Array.from(holder.querySelectorAll(":scope > svg.nnmath-explorer-figure"));
  const clip = layers[0].querySelector("clipPath rect").getBBox();
  const label = Array.from(holder.querySelectorAll("text")).find((t) => t.textContent === "ln 3");
  const dashed = Array.from(layers[0].querySelectorAll("line[stroke-dasharray]"))[0];
  const curve = layers[1].querySelector("g[clip-path] path");
  const points = [];
  for (const [, x, y] of (curve.getAttribute("d") || "").matchAll(/[ML]([\d.-]+) ([\d.-]+)/g)) {
    points.push([Number(x), Number(y)]);
  }
  const marks = Array.from(layers[1].querySelectorAll(":scope > g > g > :is(circle, path)"))
    .filter((m) => getComputedStyle(m).visibility !== "hidden");
  const box = (b) => ({ left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height });
  return {
    label: box(label.getBBox()), line: Number(dashed.getAttribute("y1")),
    plot: box(clip), points,
    marks: marks.map((m) => ({ fill: m.getAttribute("fill"), box: box(m.getBBox()) })),
  };
}
"""


def _crosses(a: tuple[float, float], b: tuple[float, float], r: dict[str, float]) -> bool:
    """Whether the segment from a to b meets the rectangle r (Liang-Barsky)."""
    (ax, ay), (bx, by) = a, b
    t0, t1 = 0.0, 1.0
    dx, dy = bx - ax, by - ay
    for p, q in ((-dx, ax - r["left"]), (dx, r["right"] - ax), (-dy, ay - r["top"]),
                 (dy, r["bottom"] - ay)):  # fmt: skip
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    return t0 <= t1


def _clip(point: list[float], r: dict[str, float]) -> tuple[float, float]:
    return (min(max(point[0], r["left"]), r["right"]), min(max(point[1], r["top"]), r["bottom"]))


@pytest.mark.parametrize("lr", ["3", "10", "1"])
def test_the_ln_3_label_stays_clear_of_the_loss_and_the_marker(device: Any, lr: str) -> None:
    """At learning rate 3 the loss spikes through ln 3: its label must stay whole (it read
    "n 3", the curve over its first letter) and next to its dashed line, at every step
    drawn; nor may the current-step marker cover it."""
    page, root = _explorer_at(device, "training")
    set_controls(page, root, {"hidden": "100", "lr": lr, "step": "1000"})
    found = root.evaluate(LOSS_PANEL)
    label, plot = found["label"], found["plot"]
    pad = 1.0
    near = {k: v + (pad if k in ("right", "bottom") else -pad) for k, v in label.items()}
    assert near["top"] < found["line"] + 12 and near["bottom"] > found["line"] - 12, found
    points = found["points"]
    assert len(points) > 100
    hits = [
        (a, b)
        for a, b in itertools.pairwise(points)
        if _crosses(_clip(a, plot), _clip(b, plot), near)  # the curve is clipped to the plot
    ]
    assert not hits, f"the loss curve crosses the ln 3 label: {hits[:3]}"
    for step in ("0", "500", "1000"):
        set_controls(page, root, {"step": step})
        for mark in root.evaluate(LOSS_PANEL)["marks"]:
            b = mark["box"]
            apart = (
                b["right"] < near["left"]
                or b["left"] > near["right"]
                or (b["bottom"] < near["top"] or b["top"] > near["bottom"])
            )
            assert apart, (step, mark, label)
    set_controls(page, root, {"lr": "1"})


def test_the_current_step_marker_is_no_class_colour(device: Any) -> None:
    """The loss chart's marker of the current step sits under the class legend: in a class's
    colour it read as a point of that class (it was class 2's)."""
    from nnmath.plots import CLASS_COLORS

    _, root = _explorer_at(device, "training")
    marks = root.evaluate(LOSS_PANEL)["marks"]
    assert marks
    for mark in marks:
        for colour in CLASS_COLORS:
            distance = float(np.linalg.norm(_colour(mark["fill"]) - _colour(colour)))
            assert distance > 100, (mark["fill"], colour, distance)


#: In the bars of the softmax + cross-entropy explorer: each value label of p - y, and what
#: it must keep clear of: the axis lines, the tick labels and the legend (SVG units).
VALUE_LABELS = r"""
(root) => {
  const holder = root.querySelectorAll(".nx-panel")[0];
  const box = (b) => ({ left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height });
  const line = (l) => {
    const [x1, x2, y1, y2] = ["x1", "x2", "y1", "y2"].map((a) => Number(l.getAttribute(a)));
    const w = Number(l.getAttribute("stroke-width") || 1) / 2;
    return { left: Math.min(x1, x2) - w, right: Math.max(x1, x2) + w,
             top: Math.min(y1, y2) - w, bottom: Math.max(y1, y2) + w };
  };
  const texts = Array.from(holder.querySelectorAll("text"));
  const labels = texts.filter((t) => /^[\u2212-]?\d\.\d{3}$/.test(t.textContent))
    .map((t) => ({ text: t.textContent, box: box(t.getBBox()) }));
  const others = [];
  for (const l of holder.querySelectorAll("line.nx-spine")) {
    others.push({ what: "axis", box: line(l) });
  }
  // the zero line, drawn behind the data
  for (const l of holder.querySelectorAll("line[stroke]:not(.nx-spine):not(.nx-grid)")) {
    if (!l.closest(".nx-legend")) others.push({ what: "zero line", box: line(l) });
  }
  for (const t of texts.filter((t) => t.matches(".nx-tick"))) {
    others.push({ what: `tick ${t.textContent}`, box: box(t.getBBox()) });
  }
  for (const g of holder.querySelectorAll(".nx-legend")) {
    others.push({ what: "legend", box: box(g.getBBox()) });
  }
  return { labels, others };
}
"""


def _value_states() -> list[dict[str, str]]:
    """Every logit slider at each end, with every true class; and the defaults."""
    controls = EXPLORERS["softmax_cross_entropy"].CONTROLS
    sliders = [c.name for c in controls if c.spec()["kind"] == "range"]
    classes = [label for label, _ in next(c for c in controls if c.name == "true_class").options]
    states = [{}]
    for ends in itertools.product(("Home", "End"), repeat=len(sliders)):
        for c in classes:
            states.append({**dict(zip(sliders, ends, strict=True)), "true_class": c})
    return states


def test_the_gradient_labels_keep_clear_of_the_axes_ticks_and_legend(device: Any) -> None:
    """Chapter 4's bars of p - y: at every end of every logit slider, with each true class,
    no value label on an axis line, a tick label or the legend, and 2 units apart from them
    (at z1 = 8, z3 = -8, class 3, "-1.000" sat on the x axis beside "class 3", and "0.998"
    touched the legend's last line)."""
    page, root = _explorer_at(device, "softmax_cross_entropy")
    gap = 2.0
    found = []
    for settings in _value_states():
        set_controls(page, root, settings)
        drawn = root.evaluate(VALUE_LABELS)
        assert len(drawn["labels"]) == 3, drawn["labels"]
        for label in drawn["labels"]:
            a = label["box"]
            for other in drawn["others"]:
                b = other["box"]
                apart = (
                    a["right"] + gap <= b["left"]
                    or b["right"] + gap <= a["left"]
                    or a["bottom"] + gap <= b["top"]
                    or b["bottom"] + gap <= a["top"]
                )
                if not apart:
                    found.append(f"{settings}: {label['text']} on {other['what']}")
    page.reload(wait_until="load")  # the other tests find the explorer at its defaults
    assert not found, "\n".join(found[:12])
