"""Practice on the built book's pages: every check answered every way, every challenge met.

Generic over what the built pages show: each chapter page's practice roots carry their
checks' JSON (completed by the build), and every check and challenge found there is
driven here, over http and from file:// (what ``make book`` tells a reader to open), in a
fresh browser context each (fresh localStorage):

* every option of every choice, alone, right and wrong (and, with several right options,
  the right set); the right answer, every common wrong number and another wrong number of
  every number check; an answer that is not a number. After each, the check's
  ``data-state`` says whether it was right, and the feedback shown is the one declared for
  that answer (its text, and the link to the section that explains it);
* a predict, once answered, shows its explorer set to the values declared, and the state it
  draws is nnmath's for those values;
* the answers survive a reload; the chapter's progress counts them; "Clear my answers"
  clears them, and they stay cleared after a reload;
* every challenge: not met at its explorer's defaults; its explorer's controls driven with
  the keyboard to a solution found by searching the controls with nnmath (the explorer's
  Python state); the challenge then says it is met, in the moves counted, and "Start over"
  puts the explorer back; met in more moves than the fewest (a control moved away and back
  first), it says how few it takes from the start, and "Start over" then lets the reader
  meet it in that many;
* no request leaves the page, no error is logged; axe finds no violation with every
  feedback and every predict's explorer shown, in the light and the dark theme.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from book_site import (
    AXE_SCRIPT,
    HTML,
    OfflinePage,
    chapter_docnames,
    require_browser_and_build,
)
from conftest import set_theme, tall_viewport
from explorer_states import assert_same_state
from practice_support import search_solution

from nnmath.practice import CHECKS, Challenge
from nnmath.widgets import EXPLORERS

require_browser_and_build()

SPEC = re.compile(
    r'<div class="nnmath-practice" data-chapter="[A-Za-z0-9_]+">'
    r'<script type="application/json" class="nnmath-practice-spec">(.*?)</script>',
    re.S,
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def built_practice() -> dict[str, list[dict[str, Any]]]:
    """Each chapter's practice specs, as the built page holds them."""
    found: dict[str, list[dict[str, Any]]] = {}
    for chapter in chapter_docnames():
        page = (HTML / f"{chapter}.html").read_text(encoding="utf-8")
        specs = [json.loads(m.group(1).replace("\\u003c", "<")) for m in SPEC.finditer(page)]
        if specs:
            found[chapter] = specs
    return found


PRACTICE = built_practice()
CHAPTERS = sorted(PRACTICE)
# What the tests drive: the chapter of each check and challenge the pages show.
ITEMS = {
    item["id"]: (chapter, item)
    for chapter, specs in PRACTICE.items()
    for spec in specs
    for item in spec.get("items", [])
}
# The chapters with a challenge (the troubleshooting page has no explorer, so none).
CHALLENGED = sorted({chapter for chapter, item in ITEMS.values() if item["kind"] == "challenge"})


def test_every_declared_check_is_on_its_chapters_page() -> None:
    from nnmath.practice import CHAPTERS as DECLARED

    for chapter, ids in DECLARED.items():
        shown = [i for i, (c, _) in ITEMS.items() if c.endswith(chapter)]
        assert sorted(shown) == sorted(ids), f"{chapter}: declared {ids}, shown {shown}"
        progress = [s for c, specs in PRACTICE.items() if c.endswith(chapter) for s in specs]
        assert sum("progress" in s for s in progress) == 1, f"{chapter}: one progress block"


def test_the_math_font_covers_every_formula_of_practice() -> None:
    """The book serves its math font cut to the characters of the formulas its pages hold
    as MathML; practice's formulas sit in JSON, which that cut does not read, so every one
    of them must also be in the version for readers without JavaScript."""
    import html as html_module
    import sys

    sys.path.insert(0, str(HTML.parents[1] / "_ext"))
    import build_time_math

    covered = build_time_math.math_characters(HTML)
    needed: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, list) and len(value) == 3 and value[0] == "math":
            for formula in build_time_math.MATH_ELEMENT.findall(value[2]):
                needed.update(html_module.unescape(build_time_math.TAG.sub("", formula)))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(PRACTICE)
    missing = sorted(needed - covered - set("\n\t "))
    assert needed and not missing, f"characters of practice's math not in the font: {missing}"


# -- the page -------------------------------------------------------------------------------------
class PracticePage(OfflinePage):
    """A chapter page in its own browser context, with what it requested and logged."""

    def __init__(self, chromium: Any, chapter: str, scheme: str, site: str) -> None:
        if scheme == "http":
            self.url, base = f"{site}{chapter}.html", site
        else:
            self.url, base = (HTML / f"{chapter}.html").as_uri(), HTML.as_uri() + "/"
        super().__init__(chromium, base)
        self.page.on("dialog", lambda dialog: dialog.accept())
        self.load()

    def load(self) -> None:
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_function(
            "() => { const r = document.querySelectorAll('.nnmath-practice[data-chapter]');"
            " return r.length > 0 && Array.from(r).every(e => e.dataset.ready === 'true'); }",
            timeout=60_000,
        )

    def reload(self) -> None:
        self.load()

    def wait_stored(self, chapter: str, test: str) -> None:
        """Wait until another page of the same origin reads what ``test`` (a JavaScript
        predicate of the chapter's saved practice) asks for: the browser has the answer,
        not only this page. (A reload a few milliseconds after an answer, which no reader
        makes, could otherwise outrun the write, as seen from file:// on a busy machine.)"""
        key = f"nnmath-practice/{chapter.rsplit('/', 1)[-1]}"
        probe = self.context.new_page()
        try:
            probe.goto(self.url.rsplit("/", 2)[0] + "/bibliography.html", wait_until="load")
            probe.wait_for_function(
                f"() => {{ const d = JSON.parse(localStorage.getItem({key!r}) || 'null');"
                f" return !!d && ({test})(d); }}",
                timeout=30_000,
            )
        finally:
            probe.close()

    def check(self, check_id: str) -> Any:
        return self.page.locator(f'[data-check="{check_id}"]')

    def state(self, locator: Any) -> dict[str, Any]:
        return json.loads(locator.get_attribute("data-state"))

    def close(self) -> None:
        self.context.close()

    def clean(self) -> None:
        assert not self.foreign, f"requests left the page: {self.foreign}"
        assert not self.errors, f"errors logged: {self.errors}"


@pytest.fixture(params=["http", "file"])
def scheme(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def open_practice(chromium: Any, site: str) -> Any:
    opened: list[PracticePage] = []

    def _open(chapter: str, scheme: str) -> PracticePage:
        page = PracticePage(chromium, chapter, scheme, site)
        opened.append(page)
        return page

    yield _open
    for page in opened:
        page.close()


# -- what the feedback must say -------------------------------------------------------------------
def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2212", "-")).strip()


def expect_said(feedback: str, segments: list[list[str]] | None, what: str) -> None:
    """Every run of words of ``segments`` (outside math) appears in ``feedback``."""
    shown = _words(feedback)
    for kind, content, *_ in segments or []:
        if kind in ("text", "code") and len(content.split()) >= 2:
            assert _words(content) in shown, f"{what}: {content!r} not in {shown!r}"


def expect_link(root: Any, see: dict[str, Any] | None, what: str) -> None:
    if not see:
        return
    hrefs = root.locator(".nnmath-feedback a.nnmath-see-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert see["href"] in hrefs, f"{what}: no link to {see['href']} in {hrefs}"
    assert not see["href"].startswith("http"), "a section link stays in the book"


def feedback(root: Any) -> str:
    # textContent: innerText is empty for what the page has not laid out (off screen).
    return root.locator(".nnmath-feedback").text_content()


# -- answering ------------------------------------------------------------------------------------
def choose(root: Any, indices: list[int]) -> None:
    inputs = root.locator(".nnmath-choices input")
    for i in range(inputs.count()):
        if inputs.nth(i).get_attribute("type") == "checkbox":
            inputs.nth(i).set_checked(i in indices)
        elif i in indices:
            root.locator(f"label[for='{inputs.nth(i).get_attribute('id')}']").click()
    root.locator("button[type=submit]").click()


def type_number(root: Any, text: str) -> None:
    field = root.locator("input.nnmath-number")
    field.fill(text)
    field.press("Enter")  # the keyboard submits the form


def answer_every_way(page: PracticePage, item: dict[str, Any]) -> dict[str, Any]:
    """Answer ``item`` in every way it can be answered; return its state after the last
    answer (a wrong one, so that its feedback stays shown)."""
    root = page.check(item["id"])
    root.scroll_into_view_if_needed()
    assert page.state(root) == {"answered": False, "correct": False}
    what = item["id"]
    if item["kind"] == "choice":
        options = item["options"]
        right = [i for i, o in enumerate(options) if o["correct"]]
        choose(root, right)
        assert page.state(root) == {"answered": True, "correct": True}, what
        expect_said(feedback(root), item["why"], f"{what}, right")
        for i, option in enumerate(options):
            choose(root, [i])
            correct = [i] == right
            assert page.state(root) == {"answered": True, "correct": correct}, (what, i)
            said = feedback(root)
            if correct:
                expect_said(said, item["why"], f"{what}, right")
                continue
            if option["correct"]:  # one of several right answers, alone: the others missed
                for j in right:
                    if j != i:
                        expect_said(said, options[j]["why"], f"{what}, missed {j}")
                        expect_link(root, options[j]["see"] or item["see"], what)
            else:
                expect_said(said, option["why"], f"{what}, option {i}")
                expect_link(root, option["see"] or item["see"], f"{what}, option {i}")
        choose(root, [i for i, o in enumerate(options) if not o["correct"]][:1])
    else:
        type_number(root, "not a number")
        assert page.state(root) == {"answered": False, "correct": False}, what
        assert "Type a number" in feedback(root)
        type_number(root, repr(item["answer"]))
        assert page.state(root) == {"answered": True, "correct": True}, what
        expect_said(feedback(root), item["why"], f"{what}, right")
        for wrong in item["wrong"]:
            type_number(root, repr(wrong["value"]))
            assert page.state(root) == {"answered": True, "correct": False}, what
            expect_said(feedback(root), wrong["why"], f"{what}, {wrong['value']}")
            expect_link(root, wrong["see"] or item["see"], f"{what}, {wrong['value']}")
        answer_rounded_too_soon(page, root, item)
        others = [item["answer"]] + [w["value"] for w in item["wrong"]]
        far = max(abs(v) for v in others) + 1000 * (1 + item["tolerance"])
        type_number(root, repr(-far))
        assert page.state(root) == {"answered": True, "correct": False}, what
        expect_said(feedback(root), item["hint"], f"{what}, another number")
        expect_link(root, item["see"], f"{what}, another number")
    if item.get("predict"):
        check_predict_explorer(root, item)
    return page.state(root)


CLOSE = "Close: that is the answer rounded to"


def answer_rounded_too_soon(page: PracticePage, root: Any, item: dict[str, Any]) -> None:
    """The answer rounded to one decimal fewer than the question asks (-0.13 where it asks
    -0.125 to three) is wrong, and the feedback says it is the rounding, not the method,
    unless that number is a common wrong one, whose own feedback wins. A whole number is
    never taken for a rounding (1 for 0.75 may be the misconception of a slope of 1)."""
    what = item["id"]
    asked = round(-math.log10(2 * item["tolerance"]))
    if abs(2 * item["tolerance"] * 10**asked - 1) > 1e-9:
        return  # not "to k decimals" (a count asked exactly)
    for typed in [f"{item['answer']:.{d}f}" for d in range(asked)]:
        value = float(typed)
        if abs(value - item["answer"]) <= item["tolerance"]:
            continue  # right as typed
        type_number(root, typed)
        assert page.state(root) == {"answered": True, "correct": False}, (what, typed)
        said = _words(feedback(root))
        common = [w for w in item["wrong"] if abs(value - w["value"]) <= w["tolerance"]]
        if common:
            expect_said(said, common[0]["why"], f"{what}, {typed}")
            assert CLOSE not in said, (what, typed)
        elif "." in typed:
            decimals = len(typed.split(".")[1])
            word = ["zero", "one", "two", "three", "four"][decimals]
            assert f"{CLOSE} {word} decimal" in said, (what, typed, said)
            assert f"Give it to {['zero', 'one', 'two', 'three', 'four', 'five'][asked]}" in said
        else:
            assert CLOSE not in said, (what, typed, said)
            expect_said(said, item["hint"], f"{what}, {typed}")


def check_predict_explorer(root: Any, item: dict[str, Any]) -> None:
    """Once answered, a predict shows its explorer, at the values declared, drawn from
    nnmath's numbers."""
    shown = root.locator(".nnmath-predict-explorer .nnmath-explorer")
    assert shown.count() == 1, f"{item['id']}: one explorer shown after the answer"
    shown.locator("[data-ready='true']").or_(shown).first.wait_for()
    root.page.wait_for_function(
        "el => el.dataset.state && el.dataset.busy === 'false'", arg=shown.element_handle()
    )
    values = json.loads(shown.get_attribute("data-values"))
    predict = item["predict"]
    assert {k: values[k] for k in predict["values"]} == predict["values"]
    state = json.loads(shown.get_attribute("data-state"))
    expected = EXPLORERS[predict["explorer"]](**values).state
    assert_same_state(predict["explorer"], state, expected)


@pytest.mark.parametrize("practiced", CHAPTERS)
def test_every_check_answered_every_way_survives_a_reload_and_clears(
    open_practice: Any, practiced: str, scheme: str
) -> None:
    chapter = practiced
    page = open_practice(chapter, scheme)
    checks = [item for spec in PRACTICE[chapter] for item in spec.get("items", [])]
    checks = [item for item in checks if item["kind"] != "challenge"]
    states = {item["id"]: answer_every_way(page, item) for item in checks}
    progress = page.page.locator(".nnmath-progress")
    counted = json.loads(progress.get_attribute("data-state"))
    assert counted["answered"] == len(checks) == counted["checks"]
    assert counted["right"] == sum(s["correct"] for s in states.values())

    last = checks[-1]["id"]
    page.wait_stored(chapter, f"(d) => d.checks['{last}']?.tries > 0")
    page.reload()
    for check_id, state in states.items():
        assert page.state(page.check(check_id)) == state, f"{check_id} after a reload"
        if ITEMS[check_id][1].get("predict"):
            assert page.check(check_id).locator(".nnmath-predict-explorer").count() == 1
    assert json.loads(progress.get_attribute("data-state")) == counted
    assert re.search(
        rf"{counted['answered']} of {counted['checks']} checks answered, "
        rf"{counted['right']} right",
        progress.text_content(),
    ), progress.text_content()

    progress.locator("button").click()  # "Clear my answers" (the dialog is accepted)
    for check_id in states:
        assert page.state(page.check(check_id)) == {"answered": False, "correct": False}
        assert page.check(check_id).locator(".nnmath-predict-explorer").count() == 0
    assert json.loads(progress.get_attribute("data-state"))["answered"] == 0
    page.reload()
    for check_id in states:
        assert page.state(page.check(check_id)) == {"answered": False, "correct": False}
    page.clean()


# -- challenges -----------------------------------------------------------------------------------
def drive(page: Any, explorer: Any, name: str, target: Any, spec: dict[str, Any]) -> None:
    """Set control ``name`` of ``explorer`` to ``target`` as a reader would: a slider with
    the keyboard (Home, End, the arrow keys), a radio button by its label, a list by its
    option."""
    control = next(c for c in spec["controls"] if c["name"] == name)
    row = explorer.locator(f'[data-control="{name}"]')
    if control["kind"] == "range":
        slider = row.locator("input[type=range]")
        slider.focus()
        if target == control["min"]:
            page.keyboard.press("Home")
        elif target == control["max"]:
            page.keyboard.press("End")
        else:
            steps = round((target - float(slider.input_value())) / control["step"])
            for _ in range(abs(steps)):
                page.keyboard.press("ArrowRight" if steps > 0 else "ArrowLeft")
        assert abs(float(slider.input_value()) - target) < 1e-9, (name, target)
    elif control["kind"] == "radio":
        index = [o["value"] for o in control["options"]].index(target)
        row.locator("label.nnmath-option").nth(index).click()
    else:
        index = [o["value"] for o in control["options"]].index(target)
        row.locator("select").select_option(str(index))


@pytest.mark.parametrize("practiced", CHALLENGED)
def test_every_challenge_is_met_by_a_solution_nnmath_finds(
    open_practice: Any, practiced: str, scheme: str
) -> None:
    chapter = practiced
    challenges = [
        i for i, (c, item) in ITEMS.items() if c == chapter and item["kind"] == "challenge"
    ]
    page = open_practice(chapter, scheme)
    for check_id in challenges:
        declared = CHECKS[check_id]
        assert isinstance(declared, Challenge)
        root = page.page.locator(f'[data-challenge="{check_id}"]')
        root.scroll_into_view_if_needed()
        explorer = page.page.locator(f"#{root.get_attribute('data-explorer-id')}")
        spec = json.loads(explorer.locator("script.nnmath-explorer-spec").text_content())
        state = json.loads(explorer.get_attribute("data-state"))
        values = json.loads(explorer.get_attribute("data-values"))
        assert not declared.met(values, state), f"{check_id}: met at the explorer's defaults"
        assert page.state(root)["done"] is False

        moves, solution = search_solution(declared, most=declared.fewest or 3)
        changed = [name for name in solution if solution[name] != values[name]]
        assert len(changed) == moves > 0
        for name in changed:
            drive(page.page, explorer, name, solution[name], spec)
        page.page.wait_for_function(
            "el => JSON.parse(el.dataset.state).done", arg=root.element_handle(), timeout=60_000
        )
        state = page.state(root)
        assert state["best"] == moves, f"{check_id}: {state}"
        said = root.locator(".nnmath-feedback").text_content()
        assert f"Done, in {moves} move" in said
        if declared.fewest:
            assert "fewest possible" in said
        expect_said(said, ITEMS[check_id][1]["why"], f"{check_id}, met")

        root.locator("button", has_text="Start over").click()
        page.page.wait_for_function(
            "([el, start]) => el.dataset.values === start",
            arg=[explorer.element_handle(), json.dumps(values, separators=(",", ":"))],
        )
        assert page.state(root)["moves"] == 0 and page.state(root)["done"] is True

        page.wait_stored(ITEMS[check_id][0], f"(d) => d.challenges['{check_id}']?.done")
        page.reload()
        assert page.state(page.page.locator(f'[data-challenge="{check_id}"]'))["done"] is True
    page.clean()


def test_start_over_on_one_challenge_restarts_the_count_of_each_on_its_explorer(
    open_practice: Any,
) -> None:
    """Two challenges on one explorer count moves from its starting values; Start over on
    either puts the explorer back, so both count from 0 again (the other one used to keep
    its count, and said a goal met in the fewest moves took more)."""
    pairs = {}
    for check_id, (chapter, item) in ITEMS.items():
        if item["kind"] == "challenge":
            pairs.setdefault((chapter, item["explorer"]), []).append(check_id)
    (chapter, _), ids = next((key, ids) for key, ids in pairs.items() if len(ids) >= 2)
    page = open_practice(chapter, "http")
    first, second = (page.page.locator(f'[data-challenge="{i}"]') for i in ids[:2])
    first.scroll_into_view_if_needed()
    assert first.get_attribute("data-explorer-id") == second.get_attribute("data-explorer-id")
    explorer = page.page.locator(f"#{first.get_attribute('data-explorer-id')}")
    spec = json.loads(explorer.locator("script.nnmath-explorer-spec").text_content())
    values = json.loads(explorer.get_attribute("data-values"))
    # a slider whose moves both count
    counted = [set(CHECKS[i].counted) for i in ids[:2]]
    control = next(
        c for c in spec["controls"] if c["kind"] == "range" and all(c["name"] in n for n in counted)
    )
    drive(page.page, explorer, control["name"], _away_from(control, values[control["name"]]), spec)
    assert page.state(first)["moves"] == page.state(second)["moves"] == 1
    first.locator("button", has_text="Start over").click()
    page.page.wait_for_function(
        "([el, start]) => el.dataset.values === start",
        arg=[explorer.element_handle(), json.dumps(values, separators=(",", ":"))],
    )
    assert page.state(first)["moves"] == page.state(second)["moves"] == 0
    page.clean()


def _away_from(control: dict[str, Any], value: Any) -> Any:
    """Another value of ``control`` than ``value``: an end of a slider, another option."""
    if control["kind"] == "range":
        return control["max"] if value != control["max"] else control["min"]
    return next(o["value"] for o in control["options"] if o["value"] != value)


def challenge_on_page(page: Any, check_id: str) -> tuple[Any, Any, dict, dict]:
    """A challenge of an opened page, scrolled to: its root, the explorer it listens to,
    that explorer's spec and its values now."""
    root = page.page.locator(f'[data-challenge="{check_id}"]')
    root.scroll_into_view_if_needed()
    explorer = page.page.locator(f"#{root.get_attribute('data-explorer-id')}")
    spec = json.loads(explorer.locator("script.nnmath-explorer-spec").text_content())
    return root, explorer, spec, json.loads(explorer.get_attribute("data-values"))


def test_a_slider_event_that_changes_nothing_is_no_move(open_practice: Any) -> None:
    """An input or change event of a slider that leaves its value as it was (a script's,
    or a test tool's "fill" with the value it has) counts no move; a step of it counts one."""
    check_id, chapter = next(
        (i, chapter)
        for i, (chapter, item) in ITEMS.items()
        if item["kind"] == "challenge"
        and any(
            c.spec()["kind"] == "range"
            for c in EXPLORERS[CHECKS[i].explorer].CONTROLS
            if c.name in CHECKS[i].counted
        )
    )
    page = open_practice(chapter, "http")
    root, explorer, spec, values = challenge_on_page(page, check_id)
    name = next(
        c["name"]
        for c in spec["controls"]
        if c["kind"] == "range" and c["name"] in CHECKS[check_id].counted
    )
    slider = explorer.locator(f'[data-control="{name}"] input[type=range]')
    for kind in ("input", "change", "input"):
        slider.dispatch_event(kind)
    page.page.wait_for_timeout(300)  # the explorer redraws, and the challenge with it
    assert page.state(root)["moves"] == 0, check_id
    slider.focus()
    page.page.keyboard.press(
        "ArrowLeft" if values[name] > float(slider.get_attribute("min")) else "ArrowRight"
    )
    page.page.wait_for_function(
        "el => JSON.parse(el.dataset.state).moves === 1", arg=root.element_handle()
    )


def test_a_challenge_met_in_more_moves_than_needed_says_how_few_from_the_start(
    open_practice: Any,
) -> None:
    # The first challenge with a fewest count and a control its solution leaves alone.
    for check_id, (chapter, item) in ITEMS.items():
        declared = CHECKS[check_id]
        if item["kind"] != "challenge" or not declared.fewest:
            continue
        page = open_practice(chapter, "http")
        root, explorer, spec, values = challenge_on_page(page, check_id)
        moves, solution = search_solution(declared, most=declared.fewest)
        assert moves == declared.fewest, check_id
        changed = [name for name in solution if solution[name] != values[name]]
        idle = [
            c
            for c in spec["controls"]
            if c["name"] not in changed and c["name"] in declared.counted
        ]
        if idle:
            break
        page.close()
    else:
        pytest.fail("no challenge with a fewest count leaves a control of its explorer alone")

    # A reader who plays with a control first (away and back: one move, nothing changed)...
    control = idle[0]
    drive(page.page, explorer, control["name"], _away_from(control, values[control["name"]]), spec)
    drive(page.page, explorer, control["name"], values[control["name"]], spec)
    assert json.loads(explorer.get_attribute("data-values")) == values
    assert page.state(root) == {"done": False, "moves": 1, "best": None}
    counted = " ".join(root.locator(".nnmath-moves").text_content().split())
    assert "Moves so far: 1 (counted from the explorer\u2019s starting values;" in counted, counted
    # ... meets the goal in one move more than the fewest, and is told so.
    for name in changed:
        drive(page.page, explorer, name, solution[name], spec)
    page.page.wait_for_function(
        "el => JSON.parse(el.dataset.state).done", arg=root.element_handle(), timeout=60_000
    )
    assert page.state(root)["best"] == moves + 1
    said = " ".join(root.locator(".nnmath-feedback").text_content().split())
    fewest = f"{moves} move{'' if moves == 1 else 's'}"
    assert f"Done, in {moves + 1} moves." in said
    assert f"From the explorer\u2019s starting values it can be done in {fewest}:" in said
    assert "press Start over to try." in said and "fewest possible" not in said

    # Start over, then the fewest moves: the best count drops, and the challenge says so.
    root.locator("button", has_text="Start over").click()
    page.page.wait_for_function(
        "([el, start]) => el.dataset.values === start",
        arg=[explorer.element_handle(), json.dumps(values, separators=(",", ":"))],
    )
    for name in changed:
        drive(page.page, explorer, name, solution[name], spec)
    page.page.wait_for_function(
        "el => JSON.parse(el.dataset.state).best === " + str(moves),
        arg=root.element_handle(),
        timeout=60_000,
    )
    said = " ".join(root.locator(".nnmath-feedback").text_content().split())
    assert f"Done, in {fewest}. That is the fewest possible." in said
    page.clean()


def test_moves_of_controls_that_cannot_change_the_goal_do_not_count(open_practice: Any) -> None:
    """A challenge that counts some controls only (their spec's `controls`): a reader who
    first plays with each other control it shows, as chapter 3 invites with the binary
    panel's label and p before its challenge on the batch, then meets the goal in the fewest
    moves, is told it was the fewest (the review found "Done, in 4 moves ... it can be done
    in 2"). The challenge says which moves count."""
    tested = []
    for check_id, (chapter, item) in ITEMS.items():
        declared = CHECKS[check_id]
        if item["kind"] != "challenge" or declared.controls is None:
            continue
        page = open_practice(chapter, "http")
        root, explorer, spec, values = challenge_on_page(page, check_id)
        idle = [
            c
            for c in spec["controls"]
            if c["name"] not in declared.counted
            and explorer.locator(f'[data-control="{c["name"]}"]').is_visible()
        ]
        if not idle:  # shown only once a counted control moves (z4 and z5 at K = 3)
            page.close()
            continue
        tested.append(check_id)
        for control in idle:
            drive(
                page.page,
                explorer,
                control["name"],
                _away_from(control, values[control["name"]]),
                spec,
            )
        assert json.loads(explorer.get_attribute("data-values")) != values
        assert page.state(root) == {"done": False, "moves": 0, "best": None}
        moves, solution = search_solution(declared, most=declared.fewest or 3)
        changed = [name for name in solution if solution[name] != values[name]]
        for name in changed:
            drive(page.page, explorer, name, solution[name], spec)
        page.page.wait_for_function(
            "el => JSON.parse(el.dataset.state).done", arg=root.element_handle(), timeout=60_000
        )
        assert page.state(root)["best"] == moves == declared.fewest, check_id
        said = " ".join(root.locator(".nnmath-feedback").text_content().split())
        fewest = f"{moves} move{'' if moves == 1 else 's'}"
        assert f"Done, in {fewest}. That is the fewest possible." in said, said
        # It names the controls whose moves count, or those whose moves do not.
        said = " ".join(root.locator(".nnmath-how").text_content().split())
        labels = {c.name: c.label for c in EXPLORERS[declared.explorer].CONTROLS}
        named = {n for n in labels if f"\u201c{labels[n]}\u201d" in said}
        assert named in ({*declared.counted}, {*labels} - {*declared.counted}), said
        page.clean()
    assert "ce-gradient-bar" in tested, tested


def test_a_first_wrong_try_names_no_right_answer_and_the_tally_counts_first_tries(
    open_practice: Any,
) -> None:
    # The first check with several right answers: one of them alone leaves the others out.
    check_id, (chapter, item) = next(
        (i, ci) for i, ci in ITEMS.items() if ci[1]["kind"] == "choice" and ci[1].get("multiple")
    )
    options = item["options"]
    right = [i for i, o in enumerate(options) if o["correct"]]
    assert len(right) >= 2, check_id
    missed = right[1:]
    page = open_practice(chapter, "http")
    root = page.check(check_id)
    root.scroll_into_view_if_needed()
    progress = page.page.locator(".nnmath-progress")

    # First try: wrong. The feedback says a right answer is missing, not which nor how many
    # (a count, beside the wrong choices explained, would name them by elimination).
    choose(root, right[:1])
    assert page.state(root) == {"answered": True, "correct": False}
    said = " ".join(feedback(root).split())
    assert "Not every right answer is chosen yet." in said, said
    assert "Missed" not in said and not re.search(r"\b(One|Two|Three|Four) right", said), said
    # The sentence ends with its full stop: no option's colon drawn after it (".:").
    after = root.locator(".nnmath-missed").evaluate("em => getComputedStyle(em, '::after').content")
    assert after in ("none", "normal", '""'), after
    for j in missed:
        for kind, content, *_ in options[j]["why"] or []:
            if kind == "text" and len(content.split()) >= 4:
                assert " ".join(content.split()) not in said, (j, said)
    # The same answer checked again is not a second try: still nothing named.
    choose(root, right[:1])
    said = " ".join(feedback(root).split())
    assert "Missed" not in said and "Not every right answer is chosen yet." in said, said
    # A second, different answer, still wrong: now the missed ones are named, with why.
    second = right[-1:]
    choose(root, second)
    said = feedback(root)
    assert "Missed" in said and "Not every right answer" not in said, said
    for j in right:
        if j not in second:
            expect_said(said, options[j]["why"], f"{check_id}, missed {j} at the second try")
    # Mended at the third try: right, but not at the first try.
    choose(root, right)
    assert page.state(root) == {"answered": True, "correct": True}
    tally = json.loads(progress.get_attribute("data-state"))
    assert (tally["answered"], tally["right"], tally["first"]) == (1, 1, 0)
    assert "1 right (0 at the first try)" in progress.text_content()

    # Another check, right at once: counted at the first try, and still after a reload.
    other_id, (_, other) = next(
        (i, ci)
        for i, ci in ITEMS.items()
        if ci[0] == chapter and i != check_id and ci[1]["kind"] == "choice"
    )
    other_root = page.check(other_id)
    other_root.scroll_into_view_if_needed()
    choose(other_root, [i for i, o in enumerate(other["options"]) if o["correct"]])
    page.wait_stored(chapter, f"(d) => d.checks['{other_id}']?.tries > 0")
    page.reload()
    tally = json.loads(progress.get_attribute("data-state"))
    assert (tally["answered"], tally["right"], tally["first"]) == (2, 2, 1)
    assert "2 right (1 at the first try)" in progress.text_content()
    page.clean()


@pytest.mark.parametrize("practiced", CHAPTERS)
def test_every_wrong_choice_at_once_points_to_each_section_once_and_says_how_once(
    open_practice: Any, practiced: str
) -> None:
    """Every wrong choice of a check chosen together: each is explained, and a section
    they share is pointed to once ("See The subgradient interval [0, 1]." was said twice).
    A check of several right answers says "Choose every right answer." once: its question
    said "Choose every one that is." as well."""
    page = open_practice(practiced, "http")
    for check_id, (chapter, item) in ITEMS.items():
        if chapter != practiced or item["kind"] != "choice":
            continue
        root = page.check(check_id)
        root.scroll_into_view_if_needed()
        wrong = [i for i, o in enumerate(item["options"]) if not o["correct"]]
        choose(root, wrong)
        sees = root.locator(".nnmath-feedback .nnmath-see").all_text_contents()
        assert len(sees) == len(set(sees)), (check_id, sees)
        asked = " ".join(root.text_content().split())
        assert asked.count("Choose every") == (1 if item.get("multiple") else 0), (check_id, asked)
    page.clean()


# -- accessibility with everything shown ----------------------------------------------------------
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("practiced", CHAPTERS)
def test_no_axe_violations_with_every_feedback_shown(
    open_practice: Any, practiced: str, mode: str
) -> None:
    chapter = practiced
    page = open_practice(chapter, "http")
    for spec in PRACTICE[chapter]:
        for item in spec.get("items", []):
            root = page.check(item["id"])
            if item["kind"] == "choice":
                choose(root, [0])
            elif item["kind"] == "number":
                type_number(root, repr(item["wrong"][0]["value"] if item["wrong"] else -1e6))
    page.page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    set_theme(page.page, mode)
    with tall_viewport(page.page):
        result = page.page.evaluate(
            "tags => axe.run(document.querySelectorAll('.nnmath-practice'), {runOnly: "
            "{type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
    problems = [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:4]]}"
        for v in result["violations"]
    ]
    assert not problems, f"{mode} theme:\n" + "\n".join(problems)
    page.clean()


def chapters_on_a_phone(chromium: Any, site: str) -> Iterator[tuple[str, Any]]:
    """Each practised chapter in one page at 390x844 (touch), once its practice is drawn."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        for chapter in CHAPTERS:
            page.goto(f"{site}{chapter}.html", wait_until="load")
            page.wait_for_selector(".nnmath-practice[data-ready='true'] .nnmath-check")
            yield chapter, page
    finally:
        context.close()


def test_the_practice_targets_are_large_enough_on_a_phone(chromium: Any, site: str) -> None:
    """At 390 px every option, field and button is at least 24 px tall and fits the column."""
    for chapter, page in chapters_on_a_phone(chromium, site):
        boxes = page.evaluate(
            "() => Array.from(document.querySelectorAll('.nnmath-practice label, "
            ".nnmath-practice button, .nnmath-practice input[type=text]'))"
            ".map(e => { const b = e.getBoundingClientRect();"
            " return [e.className || e.tagName, b.height, b.right]; })"
        )
        small = [b for b in boxes if b[1] < 24]
        wide = [b for b in boxes if b[2] > 390]
        assert not small, f"{chapter}: targets under 24 px: {small[:4]}"
        assert not wide, f"{chapter}: targets past the screen's edge: {wide[:4]}"


#: At the load event (before the explorers' scripts come and draw practice): the tally
#: written into the page, its height, and how far below its top the next element starts.
TALLY = """() => {
  const tally = document.querySelector(".nnmath-progress");
  if (!tally) return null;
  const root = tally.closest(".nnmath-practice");
  const next = (root.closest(".cell") || root).nextElementSibling;
  const box = tally.getBoundingClientRect();
  return {text: tally.querySelector(".nnmath-progress-line").textContent,
          live: tally.dataset.state !== undefined, height: box.height,
          next: next.getBoundingClientRect().top - box.top};
}"""


@pytest.mark.parametrize("screen", ["laptop", "phone"])
@pytest.mark.parametrize("practiced", CHAPTERS)
def test_the_tally_appears_in_the_room_kept_for_it(
    chromium: Any, site: str, practiced: str, screen: str
) -> None:
    """A chapter's tally is in the page from the start, out of sight, as the script draws
    it on a first visit (``progress_still`` in ``_ext/page_practice.py``): the live one
    takes its room, so what follows it does not move when it appears after the load
    event (a reader who follows a link to the Exercises heading is looking at it)."""
    sizes = {"laptop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
    context = chromium.new_context(viewport=sizes[screen])
    try:
        context.add_init_script(
            f"addEventListener('load', () => {{ window.__tally = ({TALLY})(); }}, {{once: true}});"
        )
        page = context.new_page()
        page.goto(f"{site}{practiced}.html", wait_until="load")
        page.wait_for_selector(".nnmath-progress[data-state]")
        at_load, live = page.evaluate("() => window.__tally"), page.evaluate(TALLY)
        assert at_load is not None and not at_load["live"], at_load
        assert page.locator(".nnmath-progress-still").count() == 0
        assert live["text"] == at_load["text"]
        assert abs(live["height"] - at_load["height"]) <= 1, (at_load, live)
        assert abs(live["next"] - at_load["next"]) <= 1, (at_load, live)
    finally:
        context.close()


#: Each span.math whose next sibling is a text node that starts with punctuation, or whose
#: previous one ends with an opening bracket: a line may break between them, leaving the
#: comma alone at the start of the next line, or "(" alone at the end of one.
STRANDED = r"""() => Array.from(document.querySelectorAll("span.math"))
  .filter(s => { const next = s.nextSibling, prev = s.previousSibling;
    return (next && next.nodeType === 3 && /^[.,;:!?)\]\u2019\u201d\u2026]/.test(next.data))
      || (prev && prev.nodeType === 3 && /[(\[\u2018\u201c]$/.test(prev.data)); })
  .map(s => (s.parentElement.textContent || "").trim().slice(0, 60))"""


def test_punctuation_after_a_formula_stays_on_its_line(chromium: Any, site: str) -> None:
    """In the chapter's text (written by the build) and in its checks (drawn by the page's
    script), the comma or colon after an inline formula, and an opening bracket right
    before one, sit inside the formula's span, which does not wrap, so that no line starts
    with the comma, or ends with the bracket, on a phone."""
    for chapter, page in chapters_on_a_phone(chromium, site):
        stranded = page.evaluate(STRANDED)
        assert not stranded, f"{chapter}: punctuation after a formula: {stranded[:4]}"
        keeping = page.evaluate(
            "() => Array.from(document.querySelectorAll('.nnmath-practice span.math, "
            "article span.math')).filter(s => /[.,;:]$/.test(s.textContent)).length"
        )
        assert keeping > 0, f"{chapter}: no formula holds the punctuation after it"
        white_space = "() => getComputedStyle(document.querySelector('span.math')).whiteSpace"
        assert page.evaluate(white_space) == "nowrap"
