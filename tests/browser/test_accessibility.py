"""Accessibility of the built book: an axe audit of every page, and the keyboard.

* axe-core (the npm package that ``make install`` puts in ``.venv/node``) audits every page
  of the table of contents and the search results, in the light and the dark theme, with
  the WCAG 2.0, 2.1 and 2.2 A and AA rules, with every solution and hidden cell opened
  (axe audits only what is shown, and opening them hides nothing else), at the real
  viewport and at one as tall as the page. Any violation
  fails, with its rule, its elements and axe's explanation.
* Tab, from the top of each chapter page, reaches every control a reader can see (links,
  buttons, inputs, scrollable code), and each one shows a focus ring (an outline or a box
  shadow) that it does not show unfocused.
* Every range input of every page moves with the arrow keys and tells the page so (an
  ``input`` event), as a mouse drag does.

The tests are generic: a new control or page is audited without a change here.
"""

from __future__ import annotations

from typing import Any

import pytest
from book_site import AXE_SCRIPT, require_browser_and_build, toc_docnames
from conftest import tall_viewport

require_browser_and_build()

#: axe-core's tags for the WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SEARCH = ("search.html?q=softmax", "search", "#search-results ul.search li a")


def _audited_pages() -> list[str]:
    return [f"{name}.html" for name in toc_docnames()] + [SEARCH[0]]


def _open(open_page: Any, path: str) -> Any:
    if path == SEARCH[0]:
        return open_page(path, shoot=SEARCH[1], ready=SEARCH[2])
    return open_page(path)


def _axe(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    # Colours must be final before axe reads them: every theme transition jumps to its end
    # (waiting for them could wait forever for one that never ticks; an endless animation
    # cannot finish, and has no final colour to wait for).
    page.evaluate(
        "() => { for (const a of document.getAnimations()) { try { a.finish(); }"
        " catch (endless) {} } return true; }"
    )
    result = page.evaluate(
        "tags => Promise.race([axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}), new Promise((_, no) => setTimeout(() =>"
        " no(new Error('axe.run did not finish in 120 s')), 120000))])",
        WCAG_TAGS,
    )
    return result["violations"]


# Opens every closed <details> (hidden cells; solutions and "Going further" boxes, which
# _ext/dropdowns.py writes as <details>); returns how many, so that the page can be put
# back as it was.
OPEN_ALL = """() => {
  const opened = [];
  document.querySelectorAll("details:not([open])").forEach((d) => {
    d.open = true; d.dataset.a11yOpened = "details"; opened.push(d);
  });
  return opened.length;
}"""
CLOSE_ALL = """() => document.querySelectorAll("[data-a11y-opened]").forEach(e => {
  e.open = false;
  delete e.dataset.a11yOpened;
})"""


def _describe(violations: list[dict[str, Any]], state: str) -> list[str]:
    lines: list[str] = []
    for v in violations:
        lines.append(f"[{state}] {v['id']} ({v['impact']}): {v['help']} - {v['helpUrl']}")
        for node in v["nodes"][:6]:
            why = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {' '.join(map(str, node['target']))}: {why[:220]}")
        if len(v["nodes"]) > 6:
            lines.append(f"    ... and {len(v['nodes']) - 6} more")
    return lines


@pytest.mark.parametrize("viewport", ["tall", "real"])
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("path", _audited_pages())
def test_no_axe_violations(open_page: Any, theme: Any, path: str, mode: str, viewport: str) -> None:
    """At the real viewport (1280x900, what a reader has: blocks that scroll, what is off
    screen), and at one as tall as the page (everything on screen at once)."""
    page = _open(open_page, path).page
    theme(page, mode)
    opened = page.evaluate(OPEN_ALL)
    try:
        if opened:
            page.wait_for_timeout(100)  # the boxes' contents laid out and drawn
        if viewport == "tall":
            with tall_viewport(page):
                violations = _axe(page)
        else:
            violations = _axe(page)
    finally:
        page.evaluate(CLOSE_ALL)
        theme(page, "light")
    state = f"{opened} solutions and hidden cells opened" if opened else "as loaded"
    problems = _describe(violations, f"{viewport} viewport, {state}")
    assert not problems, f"axe, WCAG 2.x A/AA, {mode} theme:\n" + "\n".join(problems)


# -- the keyboard ----------------------------------------------------------------------
# Marks every control a reader can see and use, and returns how many there are.
MARK_CONTROLS = """() => {
  const selector = "a[href], button, input, select, textarea, summary, [tabindex], "
                 + "[contenteditable='true']";
  let n = 0;
  document.querySelectorAll(selector).forEach(el => {
    delete el.dataset.kbd;
    if (el.tabIndex < 0 || el.disabled || el.closest("[inert], [aria-hidden='true']")) return;
    // A group of radio buttons is one tab stop, its checked button (or its first); the
    // arrow keys move within it.
    if (el.type === "radio" && el.name) {
      const group = Array.from(document.getElementsByName(el.name));
      const stop = group.find(r => r.checked) || group[0];
      if (el !== stop) return;
    }
    if (el.getClientRects().length === 0) return;         // not rendered (closed menus...)
    if (el.checkVisibility && !el.checkVisibility()) return; // in a closed <details>
    const style = getComputedStyle(el);
    if (style.visibility !== "visible") return;
    const box = el.getBoundingClientRect();
    if (box.width < 1 && box.height < 1) return;
    el.dataset.kbd = String(n++);
  });
  return n;
}"""

# Whether an outline ring is drawn but every pixel of it falls outside what an ancestor
# that clips (overflow other than visible) shows: a ring styled but never seen.
OUTLINE_CLIPPED = """
function outlineClipped(el, s) {
  if (s.outlineStyle === "none" || !(parseFloat(s.outlineWidth) > 0)) return false;
  const grow = (r, d) => ({l: r.left - d, t: r.top - d, r: r.right + d, b: r.bottom + d});
  const area = r => Math.max(0, r.r - r.l) * Math.max(0, r.b - r.t);
  const cut = (a, c) => ({l: Math.max(a.l, c.l), t: Math.max(a.t, c.t),
                          r: Math.min(a.r, c.r), b: Math.min(a.b, c.b)});
  const box = el.getBoundingClientRect();
  const offset = parseFloat(s.outlineOffset) || 0, width = parseFloat(s.outlineWidth);
  let clip = {l: -1e9, t: -1e9, r: 1e9, b: 1e9};
  for (let a = el.parentElement; a; a = a.parentElement) {
    const st = getComputedStyle(a);
    if (st.overflowX !== "visible" || st.overflowY !== "visible") {
      // A box clips at its padding edge, inside its borders.
      const r = a.getBoundingClientRect(), l = r.left + a.clientLeft, t = r.top + a.clientTop;
      clip = cut(clip, {l, t, r: l + a.clientWidth, b: t + a.clientHeight});
    }
  }
  const ring = area(cut(grow(box, offset + width), clip)) - area(cut(grow(box, offset), clip));
  return ring < 1;
}
"""

# What the focused element looks like: its id, and the styles a focus ring is drawn with.
FOCUSED = (
    "() => {"
    + OUTLINE_CLIPPED
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    id: el.dataset.kbd ?? null,
    what: el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
          ? "." + el.className.trim().split(/\\s+/).join(".") : "")
          + " " + (el.getAttribute("href") || el.textContent.trim()).slice(0, 50),
    ring: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" | "),
    visible: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
              && !/rgba\\([^)]*, 0\\)|transparent/.test(s.outlineColor))
             || (s.boxShadow !== "none" && s.boxShadow !== ""),
    clipped: outlineClipped(el, s),
  };
}"""
)


UNFOCUSED_RING = """id => {
  const el = document.querySelector(`[data-kbd="${id}"]`);
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" | ");
}"""


def test_tab_reaches_every_control_with_a_visible_focus_ring(open_page: Any, chapter: str) -> None:
    page = open_page(f"{chapter}.html").page
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(500)  # the theme's contents sidebar follows the scroll position
    total = page.evaluate(MARK_CONTROLS)
    assert total > 10, f"only {total} controls found on {chapter}"
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.mouse.click(1, 1)  # the page has focus, nothing in it is focused
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    reached: dict[str, dict[str, Any]] = {}
    unmarked: list[str] = []
    first = None
    for _ in range(total + 40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        key = focused["id"] if focused["id"] is not None else focused["what"]
        if key == first:
            break  # wrapped around to the first control
        first = first or key
        if focused["id"] is None:
            unmarked.append(focused["what"])
        else:
            reached.setdefault(focused["id"], focused)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    missed = page.evaluate(
        """ids => Array.from(document.querySelectorAll("[data-kbd]"))
          .filter(el => !ids.includes(el.dataset.kbd))
          // A control shown only for some scroll positions (the contents sidebar's entries
          // of the section being read) counts if it is still shown now, at the top.
          .filter(el => el.getClientRects().length && getComputedStyle(el).visibility === "visible")
          .map(el => el.tagName.toLowerCase() + " " + (el.getAttribute("href")
               || el.getAttribute("aria-label") || el.textContent.trim()).slice(0, 60))""",
        list(reached),
    )
    no_ring = []
    for kbd_id, focused in reached.items():
        unfocused = page.evaluate(UNFOCUSED_RING, kbd_id)
        if not focused["visible"] or focused["ring"] == unfocused:
            no_ring.append(f"{focused['what']}: focused {focused['ring']!r}")
        elif focused["clipped"]:
            no_ring.append(f"{focused['what']}: its ring is cut off by a box around it")
    problems = [f"never reached with Tab: {m}" for m in missed]
    problems += [f"no visible focus ring: {r}" for r in no_ring]
    # Tab also landing on something that is not drawn (off-screen, invisible) is a trap.
    problems += [f"Tab focused an element a reader cannot see: {u}" for u in unmarked]
    page.evaluate("() => window.scrollTo(0, 0)")
    assert not problems, f"{len(reached)} of {total} controls reached:\n  " + "\n  ".join(problems)


def test_range_inputs_follow_the_arrow_keys(visit: Any) -> None:
    page = visit.page
    sliders = page.locator("input[type=range]")
    problems = []
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        if not slider.is_visible():
            continue
        slider.scroll_into_view_if_needed()
        before = float(slider.input_value())
        high = float(slider.get_attribute("max") or 100)
        key, sign = ("ArrowLeft", -1) if before >= high else ("ArrowRight", 1)
        slider.evaluate(
            "el => { el.dataset.inputs = '0';"
            " el.addEventListener('input', () => { el.dataset.inputs++; }); }"
        )
        slider.focus()
        page.keyboard.press(key)
        after = float(slider.input_value())
        inputs = int(slider.get_attribute("data-inputs") or 0)
        name = slider.get_attribute("id") or f"range input {i + 1}"
        if (after - before) * sign <= 0:
            problems.append(f"{name}: {key} left the value at {after}")
        if inputs < 1:
            problems.append(f"{name}: {key} fired no input event")
        page.keyboard.press("ArrowRight" if sign < 0 else "ArrowLeft")  # put it back
    page.evaluate("() => window.scrollTo(0, 0)")
    assert not problems, "\n".join(problems)


# Marks every block of the article that scrolls sideways now (its content is wider than
# its box, and it scrolls), found from the layout alone, not from any tab stop the page
# gives it; returns their descriptions. The explorers' own controls are tested with them.
MARK_SCROLLING_BLOCKS = """() => {
  const out = [];
  document.querySelectorAll("article.bd-article *").forEach(el => {
    delete el.dataset.scrolls;
    if (el.closest(".nnmath-explorer")) return;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) return;
    if (!/auto|scroll/.test(getComputedStyle(el).overflowX)) return;
    if (el.scrollWidth <= el.clientWidth + 1) return;
    el.dataset.scrolls = String(out.length);
    out.push(el.tagName.toLowerCase() + "." + Array.from(el.classList).join(".") + ": "
             + el.textContent.trim().replace(/\\s+/g, " ").slice(0, 50));
  });
  return out;
}"""


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_tab_reaches_every_block_that_scrolls_sideways(
    read_page: Any, chapter: str, screen: str
) -> None:
    """From the top of the page, Tab reaches every code block, output and formula that
    scrolls sideways, wherever it is on the page, so that the arrow keys can scroll it."""
    page = read_page(f"{chapter}.html", screen, "light").page
    page.evaluate("() => window.scrollTo(0, 0)")
    blocks = page.evaluate(MARK_SCROLLING_BLOCKS)
    # Each is a tab stop already, with the reader still at the top of the page.
    no_stop = page.evaluate(
        """() => Array.from(document.querySelectorAll("[data-scrolls]"))
          .filter(el => el.tabIndex < 0).map(el => el.dataset.scrolls)"""
    )
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.mouse.click(1, 1) if screen == "laptop" else page.touchscreen.tap(1, 1)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    reached: set[str] = set()
    seen: list[Any] = []
    for _ in range(800):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " if (!el || el === document.body) return null;"
            " el.dataset.tabbed = el.dataset.tabbed || String(Math.random());"
            " return [el.dataset.tabbed, el.dataset.scrolls ?? null]; }"
        )
        if focused is None:
            continue
        key, block = focused
        if block is not None:
            reached.add(block)
        if len(reached) == len(blocks) or (seen and key == seen[0]):
            break  # every block reached, or Tab came round to the first control again
        seen.append(key)
    page.evaluate(
        "() => { document.activeElement && document.activeElement.blur(); scrollTo(0, 0); }"
    )
    late = [text for i, text in enumerate(blocks) if str(i) in no_stop]
    assert not late, (
        f"{len(late)} of {len(blocks)} scrolling blocks without a tab stop at the top:\n  "
        + ("\n  ".join(late))
    )
    missed = [text for i, text in enumerate(blocks) if str(i) not in reached]
    assert not missed, (
        f"{len(missed)} of {len(blocks)} scrolling blocks never reached with Tab:\n  "
        + ("\n  ".join(missed))
    )
