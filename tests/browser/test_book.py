"""The built book in a real browser: offline, error-free, math rendered, sliders working.

Each test takes one page of the table of contents (``docname``) or one chapter
notebook (``chapter``); see ``conftest.py`` for how pages are served and recorded.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from book_site import HTML, SOURCE, book_extension, require_browser_and_build, toc_docnames

require_browser_and_build()

# The math comes from the build as MathML, which the browser draws and a screen reader
# reads: every formula holds one <math> element, drawn (it has a size) in the served math
# font; no error node; no TeX left as text outside code; nothing typesets math in the
# browser. (Formulas wider than the column: test_no_formula_is_cut_off.)
MATH_REPORT = r"""
() => {
  const root = document.querySelector("article.bd-article") || document.body;
  const maths = Array.from(root.querySelectorAll(".math"));
  const clip = el => el.textContent.trim().slice(0, 100);
  const unrendered = maths.filter(m => m.querySelectorAll("math").length !== 1).map(clip);
  const errors = Array.from(document.querySelectorAll(".math-error, merror"))
                      .map(e => (e.getAttribute("title") || "") + ": " + clip(e));
  const undrawn = maths.map(m => m.querySelector("math")).filter(m => m && m.checkVisibility()
      && (m.getBoundingClientRect().width < 1 || m.getBoundingClientRect().height < 1))
    .map(clip);
  const fonts = new Set(maths.map(m => m.querySelector("math")).filter(Boolean)
    .map(m => getComputedStyle(m).fontFamily.split(",")[0].replace(/"/g, "").trim()));
  const skip = "pre, code, script, style, textarea, math, .highlight, kbd, samp";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: n => (n.parentElement && n.parentElement.closest(skip))
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const tex = /\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\frac|\\sum|\\mathrm|\\operatorname/;
  const raw = [];
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue;
    if (tex.test(text)) raw.push(text.trim().slice(0, 100));
  }
  const browserTypesetting = Array.from(document.querySelectorAll(
    "script[src*='mathjax' i], script[src*='katex' i], script[src*='temml' i], mjx-container"))
    .map(e => e.tagName.toLowerCase() + " " + (e.getAttribute("src") || ""));
  if (window.MathJax) browserTypesetting.push("window.MathJax");
  const mathFont = Array.from(document.fonts).filter(f => f.family.replace(/"/g, "")
    === "Noto Sans Math").map(f => f.status);
  return {formulas: maths.length, unrendered, errors, undrawn, raw, browserTypesetting,
          fonts: Array.from(fonts), mathFont};
}
"""

# Numbered display equations, and the {eq} references to them (on this page or another).
EQUATIONS_REPORT = r"""
() => {
  const root = document.querySelector("article.bd-article") || document.body;
  const numbers = {};
  const unnumbered = [];
  const mainPath = [];  // the numbers a reader who opens no box sees, in order
  root.querySelectorAll("div.math[id^='equation-']").forEach(div => {
    const eqno = div.querySelector(":scope > span.eqno");
    const text = eqno ? eqno.firstChild.textContent.trim() : "";
    if (/^\(\d+(\.\d+)*\)$/.test(text)) numbers[div.id] = text;
    else unnumbered.push(div.id + ": " + JSON.stringify(text));
    if (!div.closest("details")) mainPath.push(text);
  });
  const h1 = root.querySelector("h1 .section-number");
  const links = root.querySelectorAll("a[href*='#equation-']:not(.headerlink)");
  const references = Array.from(links).map(a => ({text: a.textContent.trim(), href: a.href}));
  return {numbers, unnumbered, chapter: h1 ? h1.textContent.trim().replace(/\.$/, "") : null,
          references, mainPath};
}
"""


def _fail_list(what: str, items: list[str]) -> str:
    return f"{what}:\n  " + "\n  ".join(items)


def test_every_request_stays_on_the_local_server(visit: Any) -> None:
    assert not visit.foreign, _fail_list("requests to third-party hosts", visit.foreign)


def test_no_console_error_or_failed_request(visit: Any) -> None:
    assert not visit.problems(), _fail_list("errors while loading", visit.problems())


def test_each_id_names_one_element(docname: str) -> None:
    """No id is given twice in a page (sphinx-exercise gave every exercise's and
    solution's body the same one; _ext/dropdowns.py takes it off)."""
    html = (HTML / f"{docname}.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', html)
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, _fail_list(f"ids given more than once in {docname}", twice)


def test_every_formula_is_rendered(visit: Any) -> None:
    report = visit.page.evaluate(MATH_REPORT)
    problems = (
        [f"not one MathML formula: {t}" for t in report["unrendered"]]
        + [f"math error: {t}" for t in report["errors"]]
        + [f"not drawn: {t}" for t in report["undrawn"]]
        + [f"raw TeX in the text: {t}" for t in report["raw"]]
        + [f"math typeset in the browser: {t}" for t in report["browserTypesetting"]]
    )
    if report["formulas"]:
        if report["fonts"] != ["Noto Sans Math"]:
            problems.append(f"formulas drawn in {report['fonts']}, not the served math font")
        if report["mathFont"] != ["loaded"]:
            problems.append(f"the math font is {report['mathFont']}, not loaded")
    assert not problems, _fail_list(f"{report['formulas']} formulas, problems", problems)


def test_equations_are_numbered_and_references_match(open_page: Any, docname: str) -> None:
    """Each labelled equation shows its number, (chapter.n) in a chapter, and every
    reference to an equation shows the number the equation itself shows. A reader who
    opens no "Going further" box or solution sees the numbers run 1, 2, 3 ... with no
    gap: an equation numbered inside a box comes after the chapter's other ones, or has
    no number."""
    visit = open_page(f"{docname}.html")
    report = visit.page.evaluate(EQUATIONS_REPORT)
    problems = [f"equation without a number: {t}" for t in report["unnumbered"]]
    if report["chapter"]:
        prefix = f"({report['chapter']}."
        problems += [
            f"{key}: {number} is not numbered within chapter {report['chapter']}"
            for key, number in report["numbers"].items()
            if not number.startswith(prefix)
        ]
        seen = report["mainPath"]
        running = [f"{prefix}{i})" for i in range(1, len(seen) + 1)]
        if seen != running:
            problems.append(f"outside the boxes the numbers run {seen}, not {running}")
    for ref in report["references"]:
        page_url, _, anchor = ref["href"].partition("#")
        if page_url.split("?")[0] == visit.url.split("?")[0]:
            target = report["numbers"].get(anchor)
        else:  # an equation of another page
            target = _equation_numbers(open_page, page_url).get(anchor)
        if target is None:
            problems.append(f"reference {ref['text']!r} points at no numbered equation")
        elif ref["text"] != target:
            problems.append(f"reference {ref['text']!r} to {anchor}, which shows {target}")
    if (SOURCE / f"{docname}.ipynb").is_file() and re.search(
        r"\$\$ *\(eq-", (SOURCE / f"{docname}.ipynb").read_text(encoding="utf-8")
    ):
        assert report["numbers"], "a page with labelled equations shows their numbers"
    assert not problems, _fail_list("equation numbers", problems)


def _equation_numbers(open_page: Any, page_url: str) -> dict[str, str]:
    path = page_url.split("://", 1)[1].split("/", 1)[1]
    return open_page(path).page.evaluate(EQUATIONS_REPORT)["numbers"]


def test_images_have_alt_text_or_a_caption(visit: Any) -> None:
    missing = visit.page.evaluate(
        """() => Array.from(document.querySelectorAll("article.bd-article img"))
          .filter(img => {
            const alt = (img.getAttribute("alt") || "").trim();
            const named = alt && !/\\.(png|jpe?g|svg|gif)$/i.test(alt);
            const fig = img.closest("figure");
            return !named && !(fig && fig.querySelector("figcaption"));
          })
          .map(img => (img.getAttribute("src") || "").slice(0, 80))"""
    )
    assert not missing, _fail_list("images without alt text or caption", missing)


def test_no_empty_or_broken_widget_box(visit: Any) -> None:
    found = visit.page.evaluate(
        """() => {
          const out = [];
          document.querySelectorAll(
            'script[type="application/vnd.jupyter.widget-view+json"], .jupyter-widgets, '
            + '.widget-subarea').forEach(e => out.push("widget view: " + e.outerHTML.slice(0, 80)));
          document.querySelectorAll("article.bd-article .cell_output").forEach(e => {
            const media = e.querySelector("img, svg, canvas, iframe, video");
            // innerText is empty for what is not rendered (inside a closed dropdown)
            const text = e.checkVisibility() ? e.innerText : e.textContent;
            const content = text.trim() || media;
            if (!content) out.push("empty output: " + e.outerHTML.slice(0, 80));
          });
          return out;
        }"""
    )
    assert not found, _fail_list("widget outputs that cannot work without a kernel", found)


def test_launch_and_download_buttons(open_page: Any, chapter: str, book_config: dict) -> None:
    visit = open_page(f"{chapter}.html")
    page = visit.page
    repo = book_config["repository"]["url"].rstrip("/").removesuffix(".git")
    owner_repo = "/".join(repo.split("/")[-2:])
    binder = page.locator('.dropdown-launch-buttons a[href*="mybinder.org/v2/gh/"]')
    assert binder.count() == 1, "the rocket menu offers Binder"
    href = binder.get_attribute("href")
    assert f"/v2/gh/{owner_repo}/" in href, f"Binder link {href} is not built from {repo}"
    assert f"{chapter}.ipynb" in href, f"Binder link {href} does not open {chapter}.ipynb"

    download = page.locator(f'.dropdown-download-buttons a[href$="{chapter}.ipynb"]')
    assert download.count() == 1, "the download menu offers the notebook"
    url = urljoin(visit.url, download.get_attribute("href"))
    response = page.request.get(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    notebook = json.loads(response.text())
    assert notebook["nbformat"] == 4 and notebook["cells"], "the download is a notebook"


def test_search_finds_softmax(open_page: Any) -> None:
    results_link = "#search-results ul.search li a"
    visit = open_page("search.html?q=softmax", shoot="search", ready=results_link)
    page = visit.page
    results = page.locator(results_link)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("softmax" in href for href in hrefs), f"no softmax page among {hrefs}"
    assert not visit.foreign, _fail_list("requests to third-party hosts", visit.foreign)
    assert not visit.problems(), _fail_list("errors on the search page", visit.problems())


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_body_text_is_legible_in_both_themes(
    open_page: Any, front_page: str, theme: Any, mode: str
) -> None:
    """The front page's text keeps a contrast ratio of at least 4.5 (WCAG AA)."""
    page = open_page(f"{front_page}.html").page
    theme(page, mode)
    ratio = page.evaluate(
        """() => {
          const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
              return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const p = document.querySelector("article.bd-article p, article.bd-article h1");
          const fg = lum(rgb(getComputedStyle(p).color));
          const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
          return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        }"""
    )
    theme(page, "light")
    assert ratio >= 4.5, f"{mode} theme: contrast {ratio:.2f} of body text"


# -- the page as a reader sees it: laptop and phone, light and dark -----------------------
SCREENS_AND_MODES = [
    pytest.param(screen, mode, id=f"{screen}-{mode}")
    for screen in ("laptop", "phone")
    for mode in ("light", "dark")
]

# The list items of the article a reader can see, each with the box its marker is drawn in
# (left of the item's first line, where `list-style-position: outside` puts it) and the
# page's background colour there.
LIST_MARKERS = r"""
() => {
  const rgb = s => (s.match(/[\d.]+/g) || [255, 255, 255]).slice(0, 3).map(Number);
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && !/rgba\([^)]*,\s*0\)|transparent/.test(c)) return rgb(c);
    }
    return rgb(getComputedStyle(document.body).backgroundColor);
  };
  return Array.from(document.querySelectorAll("article.bd-article li"))
    .filter(li => getComputedStyle(li).display === "list-item"
                  && getComputedStyle(li).listStyleType !== "none"
                  && li.checkVisibility({visibilityProperty: true, opacityProperty: true})
                  && li.getBoundingClientRect().height > 0)
    .map((li, i) => {
      li.dataset.markerCheck = String(i);
      const style = getComputedStyle(li);
      const line = parseFloat(style.lineHeight) || 1.5 * parseFloat(style.fontSize);
      return {i, text: li.textContent.trim().slice(0, 40), background: background(li),
              line, type: style.listStyleType};
    });
}
"""


def _ink(png: bytes, background: list[int]) -> int:
    """How many pixels of a screenshot differ clearly from the background colour."""
    import io

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    return int((np.abs(pixels - np.array(background)).max(axis=2) > 80).sum())


@pytest.mark.parametrize(("screen", "mode"), SCREENS_AND_MODES)
def test_list_markers_are_drawn(read_page: Any, chapter: str, screen: str, mode: str) -> None:
    """Every bullet and number of the article's lists shows: the box left of each item's
    first line, where its marker is drawn, holds ink (paint containment on an item, as
    `content-visibility` brings, clips it away)."""
    page = read_page(f"{chapter}.html", screen, mode).page
    items = page.evaluate(LIST_MARKERS)
    if not items:
        pytest.skip(f"{chapter} shows no list")
    blank = []
    for item in items:
        li = page.locator(f'[data-marker-check="{item["i"]}"]')
        li.scroll_into_view_if_needed()
        box = li.bounding_box()
        clip = {
            "x": max(0.0, box["x"] - 32),
            "y": box["y"],
            "width": min(30.0, box["x"]),
            "height": item["line"],
        }
        if clip["width"] < 4:
            blank.append(f"{item['text']!r}: no room for a marker left of the item")
            continue
        if _ink(page.screenshot(clip=clip), item["background"]) < 4:
            blank.append(f"{item['type']} marker of {item['text']!r}")
    page.evaluate("() => window.scrollTo(0, 0)")
    assert not blank, _fail_list(f"{len(blank)} of {len(items)} list markers not drawn", blank)


SCROLL_THROUGH = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const height = () => document.documentElement.scrollHeight;
  window.scrollTo(0, 0);
  await frame();
  const before = height();
  for (let y = 0; y < height(); y += window.innerHeight * 0.8) {
    window.scrollTo(0, y);
    await frame();
  }
  await frame();
  const after = height();
  window.scrollTo(0, 0);
  return {before, after};
}"""


@pytest.mark.parametrize(("screen", "mode"), SCREENS_AND_MODES)
def test_the_page_keeps_its_length_while_it_is_read(
    read_page: Any, docname: str, screen: str, mode: str
) -> None:
    """The document is as long at the top as after a scroll through it (within 2 %):
    nothing is laid out only when the reader comes near it."""
    page = read_page(f"{docname}.html", screen, mode).page
    heights = page.evaluate(SCROLL_THROUGH)
    change = abs(heights["after"] - heights["before"]) / heights["before"]
    assert change <= 0.02, f"{heights['before']} px tall at the top, {heights['after']} px after"


# Three sections of a chapter, spread over it: the second, the middle and the last but one of
# its second-level sections (the first is at the top of the page already, and the page may
# end before the last can reach the top of the window).
SECTION_TARGETS = """() => {
  const ids = Array.from(document.querySelectorAll("article.bd-article section section[id]"))
    .filter(s => s.querySelector(":scope > h2"))
    .map(s => s.id);
  return ids.length < 4 ? ids : [ids[1], ids[Math.floor(ids.length / 2)], ids[ids.length - 2]];
}"""
HEADING_TOP = """id => {
  const heading = document.getElementById(id).querySelector(":scope > h2");
  const bottom = document.documentElement.scrollHeight - window.innerHeight;
  return [heading.getBoundingClientRect().top, window.scrollY >= bottom - 1];
}"""


@pytest.mark.parametrize(("screen", "mode"), SCREENS_AND_MODES)
def test_section_links_land_under_the_header_and_stay(
    read_page: Any, chapter: str, screen: str, mode: str
) -> None:
    """Following a link to a section puts its heading 0-130 px from the top of the
    window (just under the sticky header), and it is still there a second later."""
    page = read_page(f"{chapter}.html", screen, mode).page
    targets = page.evaluate(SECTION_TARGETS)
    assert len(targets) == 3, f"{chapter}: sections {targets}"
    problems = []
    for target in targets:
        page.evaluate(
            "id => { location.hash = ''; window.scrollTo(0, 0); location.hash = id; }", target
        )
        page.wait_for_timeout(300)
        landed, at_end = page.evaluate(HEADING_TOP, target)
        page.wait_for_timeout(1000)
        later, _ = page.evaluate(HEADING_TOP, target)
        # Lower is right only where the page ends too soon for the heading to go higher.
        if not 0 <= landed <= 130 and not (at_end and landed >= 0):
            problems.append(f"#{target}: the heading landed {landed:.0f} px from the top")
        if abs(later - landed) > 2:
            problems.append(f"#{target}: the heading moved from {landed:.0f} to {later:.0f} px")
    page.evaluate("() => { history.replaceState(null, '', location.pathname); scrollTo(0, 0); }")
    assert not problems, "\n".join(problems)


# Scroll anchoring off, as in a browser without it: the page must keep the reader's place.
NO_SCROLL_ANCHORING = """document.addEventListener("DOMContentLoaded", () => {
  const style = document.createElement("style");
  style.textContent = "html, body, * { overflow-anchor: none !important; }";
  document.head.append(style);
});"""
HEIGHT_AT_LOAD = """addEventListener("load", () => {
  window.__heightAtLoad = document.documentElement.scrollHeight;
});"""


@pytest.mark.parametrize("screen", ["laptop", "phone"])
@pytest.mark.parametrize("anchoring", ["native", "none"])
def test_a_page_opened_at_a_section_keeps_it_in_place_while_it_comes_alive(
    chromium: Any, site: str, chapter: str, screen: str, anchoring: str
) -> None:
    """A link from another page to a section: the section's heading lands under the
    sticky header and stays there while the explorers and checks above it are drawn
    (they come after the load event and make the page longer), in a browser that anchors
    the scroll position itself and in one that does not."""
    from conftest import SCREENS, wait_for_explorers

    context = chromium.new_context(**SCREENS[screen], service_workers="block")
    try:
        if anchoring == "none":
            context.add_init_script(NO_SCROLL_ANCHORING)
        context.add_init_script(HEIGHT_AT_LOAD)
        page = context.new_page()
        page.goto(f"{site}{chapter}.html", wait_until="load")
        alive = page.locator(".nnmath-explorer, .nnmath-practice[data-chapter]").count()
        if not alive:
            pytest.skip(f"{chapter}: nothing on this page comes alive after the load event")
        target = page.evaluate(SECTION_TARGETS)[-1]
        page.goto("about:blank")
        page.goto(f"{site}{chapter}.html#{target}", wait_until="load")
        wait_for_explorers(page)
        page.wait_for_timeout(300)
        grown = page.evaluate("document.documentElement.scrollHeight - window.__heightAtLoad")
        landed, at_end = page.evaluate(HEADING_TOP, target)
    finally:
        context.close()
    # Something above the section came alive after the load event, or there is no test.
    assert grown > 200, f"{chapter}: the page grew by {grown} px only once it had loaded"
    assert 0 <= landed <= 130 or (at_end and landed >= 0), (
        f"#{target}: the heading is {landed:.0f} px from the top once the page is alive"
    )


# Every formula, in a line of text or on its own: the parts of it that a reader cannot see
# or scroll to (a formula in a line does not wrap, so a long one can stick out of its
# line). An ancestor that clips (overflow other than visible) hides what sticks out of it,
# unless it scrolls that way: to the right or down, never to the left or up. Past the
# column (or the window) with nothing that scrolls to it is cut off as well.
FORMULAS_CUT_OFF = r"""
() => {
  const article = document.querySelector("article.bd-article");
  const column = article.getBoundingClientRect();
  const out = [];
  // What is drawn of each formula: its MathML, or the visual half of a formula typeset
  // as HTML beside MathML kept for screen readers (KaTeX's .katex-html).
  const drawn = Array.from(article.querySelectorAll("div.math, span.math"))
    .map(el => el.querySelector(".katex-html") || el.querySelector("math"));
  const shown = {visibilityProperty: true, opacityProperty: true};
  drawn.filter(Boolean).forEach((math, n) => {
    if (!math.checkVisibility(shown)) return;
    let box = math.getBoundingClientRect();
    const name = ((math.closest("div.math") || {}).id || `formula ${n + 1}`) + ": "
      + math.textContent.replace(/\s+/g, "").slice(0, 30);
    const px = v => `${Math.round(v)} px`;
    for (let el = math.parentElement; el && el !== article; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX === "visible") continue;
      const r = el.getBoundingClientRect();
      const scrolls = /auto|scroll/.test(style.overflowX);
      if (box.left < r.left - 1) out.push(`${name}: ${px(r.left - box.left)} cut off on the left`);
      if (box.right > r.right + 1 && !scrolls)
        out.push(`${name}: ${px(box.right - r.right)} cut off on the right`);
      if (scrolls && el.scrollWidth > el.clientWidth && el.scrollLeft !== 0)
        out.push(`${name}: its box does not start at its left edge`);
      // What sticks out of a box that scrolls is reached by scrolling it; from here on
      // what counts is that box.
      if (scrolls) box = r;
    }
    if (box.right > column.right + 1 || box.right > window.innerWidth)
      out.push(`${name}: reaches ${Math.round(box.right)} px, past the column's right edge`);
    if (box.left < column.left - 1)
      out.push(`${name}: starts ${Math.round(column.left - box.left)} px left of the column`);
  });
  return out;
}
"""


@pytest.mark.parametrize(("screen", "mode"), SCREENS_AND_MODES)
def test_no_formula_is_cut_off(read_page: Any, docname: str, screen: str, mode: str) -> None:
    """A display formula wider than the column scrolls inside its own box, from its left
    edge; a formula in a line of text fits the column (in a solution's dropdown too); no
    part of any formula is out of the reader's reach."""
    page = read_page(f"{docname}.html", screen, mode).page
    cut = page.evaluate(FORMULAS_CUT_OFF)
    assert not cut, _fail_list("formulas cut off", cut)


#: Opens every dropdown of the article (a solution, a "Going further" box, a hidden cell:
#: each a <details>) as a reader would. Returns how many it opened.
OPEN_DROPDOWNS = """() => {
  const closed = Array.from(document.querySelectorAll("article.bd-article details:not([open])"));
  closed.forEach((box) => box.querySelector(":scope > summary").click());
  return closed.length;
}"""


def test_no_formula_is_cut_off_in_an_opened_dropdown(
    chromium: Any, site: str, chapter: str
) -> None:
    """On a phone, with every solution and dropdown opened: a formula in a line of text
    fits its box, a display formula scrolls in its own (a dropdown's padding leaves the
    narrowest column of the page)."""
    from conftest import SCREENS, wait_for_math

    context = chromium.new_context(**SCREENS["phone"])
    try:
        page = context.new_page()
        page.goto(f"{site}{chapter}.html", wait_until="load")
        wait_for_math(page)
        opened = page.evaluate(OPEN_DROPDOWNS)
        page.wait_for_timeout(100)  # the boxes' contents laid out and drawn
        cut = page.evaluate(FORMULAS_CUT_OFF)
    finally:
        context.close()
    assert opened > 0 or chapter == "chapters/frameworks", f"{chapter}: no dropdown opened"
    assert not cut, _fail_list("formulas cut off in an opened dropdown", cut)


#: Every dropdown of the article (solutions and "Going further" boxes, _ext/dropdowns.py):
#: its name, whether it is open, and whether anything of its contents is drawn.
DROPDOWNS = """() => Array.from(document.querySelectorAll("article.bd-article details.dropdown"),
  (box) => ({
    name: box.querySelector(":scope > summary").textContent.trim().slice(0, 50),
    open: box.open,
    drawn: Array.from(box.children).slice(1).some((el) => el.checkVisibility()),
    scripted: !!box.querySelector(".toggle-button"),
  }))"""


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_dropdowns_are_closed_as_the_page_arrives_and_open_on_a_click(
    chromium: Any, site: str, scripts: bool
) -> None:
    """Solutions and "Going further" boxes are closed <details> in the page as served: no
    script has to close them, so none shows its answer before the reader has tried, the
    page does not shrink when scripts run, and their contents are not laid out until
    opened. A click, Enter or Space on the title opens and closes one, scripts or not."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=scripts
    )
    try:
        page = context.new_page()
        page.goto(f"{site}chapters/03_cross_entropy.html", wait_until="load")
        boxes = page.evaluate(DROPDOWNS)
        assert len(boxes) == 10, [b["name"] for b in boxes]  # 7 solutions, 3 "Going further"
        shown = [b["name"] for b in boxes if b["open"] or b["drawn"] or b["scripted"]]
        assert not shown, _fail_list("dropdowns open, drawn or taken over by a script", shown)
        title = page.locator("article.bd-article details.dropdown > summary").first
        title.click()
        first = page.evaluate(DROPDOWNS)[0]
        assert first["open"] and first["drawn"], first
        title.click()
        assert not page.evaluate(DROPDOWNS)[0]["open"]
        title.focus()
        page.keyboard.press("Enter")
        assert page.evaluate(DROPDOWNS)[0]["open"]
        page.keyboard.press("Space")
        assert not page.evaluate(DROPDOWNS)[0]["open"]
    finally:
        context.close()


def test_a_link_into_a_closed_dropdown_opens_it(chromium: Any, site: str) -> None:
    """A link to an equation in a solution opens the solution and lands on the equation
    (the browser opens the <details> around a link's target); printing opens them all."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        target = "equation-eq-pmy-lse-loss"
        page.goto(f"{site}chapters/04_softmax_cross_entropy.html#{target}", wait_until="load")
        page.wait_for_timeout(300)
        landed = page.evaluate(
            """(id) => { const el = document.getElementById(id);
            return {open: el.closest("details.dropdown").open,
                    top: el.getBoundingClientRect().top}; }""",
            target,
        )
        assert landed["open"] and 0 <= landed["top"] <= 130, landed
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        closed = [b["name"] for b in page.evaluate(DROPDOWNS) if not b["open"]]
        assert not closed, _fail_list("dropdowns still closed for printing", closed)
    finally:
        context.close()


#: A figure's text is about 12.5 px at its natural size (nnmath.plots: 9-10 pt at 100 dpi),
#: so it is legible (9 px) at 72 % of that size or more.
FIGURE_SCALE = 0.72

#: What the reader sees of each figure: the whole picture, or (a figure of side-by-side
#: panels on a narrow screen) each of its panels, with their natural and shown widths.
FIGURE_SIZES = """() => Array.from(document.querySelectorAll(
    ".bd-article figure img:not(.figure-panel > img)"), (img) => {
  const box = img.closest(".figure-scroll");
  const name = img.closest("figure").id || img.getAttribute("src");
  const scrolls = !!box && box.scrollWidth > box.clientWidth + 1;
  const seen = {scrolls, tabStop: !!box && box.tabIndex === 0,
                overflowX: box ? getComputedStyle(box).overflowX : "none"};
  const panels = box && box.querySelector(".figure-panels");
  if (panels && getComputedStyle(img).display === "none") {
    return Array.from(panels.querySelectorAll(".figure-panel"), (panel, i) => ({
      ...seen, name: `${name}, panel ${i + 1}`,
      natural: parseFloat(panel.style.getPropertyValue("--panel-width")),
      shown: panel.getBoundingClientRect().width,
    }));
  }
  return [{...seen, name, natural: img.naturalWidth, shown: img.getBoundingClientRect().width}];
}).flat()"""


@pytest.mark.parametrize(("screen", "mode"), SCREENS_AND_MODES)
def test_figures_stay_legible(read_page: Any, chapter: str, screen: str, mode: str) -> None:
    """No figure is shrunk below 72 % of its size (its text stays 9 px or more) where a
    reader cannot zoom it: on a phone a wide figure keeps that size and scrolls sideways in
    its own box, a tab stop, or shows its panels one under another, each at that size or
    more; on a laptop every figure fits the column, at that size or more (a figure drawn
    wider than the column allows, 672 / 0.72 = 933 px, is drawn narrower)."""
    page = read_page(f"{chapter}.html", screen, mode).page
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.bd-article figure img'))"
        ".every((img) => img.complete)"
    )
    figures = page.evaluate(FIGURE_SIZES)
    assert figures, f"{chapter}: no figure"
    problems = []
    for f in figures:
        scale = f["shown"] / f["natural"]
        if screen == "laptop" and f["scrolls"]:
            problems.append(f"{f['name']}: scrolls sideways on a laptop")
        if scale < FIGURE_SCALE - 0.005:
            problems.append(f"{f['name']}: shown at {scale:.2f} of its size")
        if f["scrolls"] and not (f["tabStop"] and f["overflowX"] in ("auto", "scroll")):
            problems.append(f"{f['name']}: scrolls, but is not a tab stop")
    assert not problems, _fail_list("figures too small to read", problems)


#: Each figure picture of the article: the file it shows and its box.
FIGURE_PICTURES = """() => Array.from(document.querySelectorAll(".bd-article figure img"),
  (img) => ({src: img.getAttribute("src"), shown: img.currentSrc.split("/").pop(),
             natural: img.naturalWidth, width: img.getBoundingClientRect().width,
             height: img.getBoundingClientRect().height}))"""


@pytest.mark.parametrize("ratio", [1, 3])
def test_figures_are_sharp_on_a_screen_of_more_pixels(
    chromium: Any, site: str, read_page: Any, chapter: str, ratio: int
) -> None:
    """A phone of 3 device pixels per CSS pixel shows each figure (whole or in panels) from
    its 2x picture, a screen of 1 from its 1x picture, at the same size on screen: the 2x
    picture is laid out at half its pixels, so the page's layout does not change."""
    from conftest import SCREENS

    plain = read_page(f"{chapter}.html", "phone", "light").page.evaluate(FIGURE_PICTURES)
    context = chromium.new_context(
        **SCREENS["phone"], device_scale_factor=ratio, service_workers="block"
    )
    try:
        page = context.new_page()
        page.goto(f"{site}{chapter}.html", wait_until="load")
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.bd-article figure img'))"
            ".every((img) => img.complete && img.naturalWidth > 0)"
        )
        dense = page.evaluate(FIGURE_PICTURES)
    finally:
        context.close()
    assert plain and len(dense) == len(plain), chapter
    problems = []
    for a, b in zip(plain, dense, strict=True):
        name = a["src"].split("/").pop()
        want = name.replace(".png", "@2x.png") if ratio > 1 else name
        if b["shown"] != want:
            problems.append(f"{name}: shows {b['shown']}, not {want}")
        if abs(b["natural"] - a["natural"]) > 1:
            problems.append(f"{name}: natural width {b['natural']} against {a['natural']}")
        if abs(b["width"] - a["width"]) > 0.5 or abs(b["height"] - a["height"]) > 0.5:
            problems.append(
                f"{name}: {b['width']:.1f}x{b['height']:.1f} on screen, "
                f"not {a['width']:.1f}x{a['height']:.1f}"
            )
    assert not problems, _fail_list(f"figures at {ratio} px per CSS pixel", problems)


SPLIT_FIGURES = """() => Array.from(document.querySelectorAll(".figure-split"), (box) => {
  const whole = box.querySelector("img[data-figure]");
  const panels = box.querySelector(".figure-panels");
  const column = box.closest("figure").getBoundingClientRect();
  return {
    name: box.closest("figure").id,
    whole: getComputedStyle(whole).display !== "none",
    panels: getComputedStyle(panels).display !== "none",
    label: panels.getAttribute("aria-label"), alt: whole.getAttribute("alt"),
    role: panels.getAttribute("role"),
    pictures: Array.from(panels.querySelectorAll("img"), (img) =>
      [img.getAttribute("src") === whole.getAttribute("src"), img.getAttribute("alt"),
       img.complete && img.naturalWidth > 0]),
    inside: Array.from(panels.querySelectorAll(".figure-panel"), (panel) => {
      const b = panel.getBoundingClientRect();
      return b.left >= column.left - 0.5 && b.right <= column.right + 0.5 && b.height > 50;
    }),
    scrolls: box.scrollWidth > box.clientWidth + 1,
  };
})"""


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_a_figure_of_panels_shows_them_one_under_another_on_a_phone(
    read_page: Any, chapter: str, screen: str
) -> None:
    """On a phone a figure of side-by-side panels (cut by ``_ext/offline_assets.py``) shows
    them one under another, each whole in the column, nothing to scroll; the panels carry
    the figure's text alternative (the pictures inside them none, being parts of it). On a
    laptop the figure is shown whole, and the panels not at all."""
    page = read_page(f"{chapter}.html", screen, "light").page
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.bd-article figure img'))"
        ".every((img) => img.complete)"
    )
    problems = []
    for f in page.evaluate(SPLIT_FIGURES):
        on_phone = screen == "phone"
        if f["whole"] == on_phone or f["panels"] != on_phone:
            problems.append(f"{f['name']}: whole {f['whole']}, panels {f['panels']}")
        if f["role"] != "img" or not f["label"] or f["label"] != f["alt"]:
            problems.append(f"{f['name']}: panels labelled {f['label']!r}, not as the figure")
        if not all(same and alt == "" for same, alt, _ in f["pictures"]):
            problems.append(f"{f['name']}: a panel shows another picture, or has its own alt")
        if on_phone and not (all(f["inside"]) and all(ok for *_, ok in f["pictures"])):
            problems.append(f"{f['name']}: a panel outside the column, or not drawn")
        if on_phone and f["scrolls"]:
            problems.append(f"{f['name']}: still scrolls sideways")
    assert not problems, _fail_list("figures of panels", problems)


def test_the_wide_figures_of_side_by_side_panels_are_cut() -> None:
    """The chapters' figures of two or more panels side by side are many (the cutting
    finds their gaps in the pictures): four chapters or more show one cut, at least."""
    cut = {
        page.stem
        for page in (HTML / "chapters").glob("*.html")
        if 'class="figure-scroll figure-split"' in page.read_text(encoding="utf-8")
    }
    assert len(cut) >= 4, f"figures cut into panels only in {sorted(cut)}"


# Every block of the article that scrolls sideways, and whether it fades at its edges.
SIDEWAYS = """() => Array.from(document.querySelectorAll(
    ".bd-article :is(pre, .pst-scrollable-table-container, div.math > .math-box, .figure-scroll)"))
  .filter(el => el.checkVisibility() && el.scrollWidth > el.clientWidth + 1)
  .map(el => ({what: el.className || el.tagName, text: el.textContent.trim().slice(0, 40),
               fades: getComputedStyle(el).maskImage !== "none"}))"""


@contextmanager
def dropdowns_opened(page: Any) -> Iterator[int]:
    """Every closed dropdown of the article (solutions, "Going further" boxes) opened, as a
    reader opens them, for what the block does; closed again after it, since the page is
    shared with the tests that read it as it arrives. Gives how many it opened."""
    opened = page.evaluate(
        "() => Array.from(document.querySelectorAll('.bd-article details:not([open])'),"
        " (d, i) => { d.open = true; d.dataset.testOpened = i; return i; }).length"
    )
    try:
        yield opened
    finally:
        page.evaluate(
            "() => document.querySelectorAll('[data-test-opened]').forEach(d => {"
            " d.open = false; delete d.dataset.testOpened; })"
        )


def test_a_block_that_scrolls_sideways_fades_where_more_of_it_lies(
    read_page: Any, chapter: str
) -> None:
    """On a phone, a code block, table, formula or figure wider than the column scrolls
    inside its box, and fades at the edge beyond which more of it lies: a block cut off
    at a sharp edge looks complete."""
    page = read_page(f"{chapter}.html", "phone", "light").page
    with dropdowns_opened(page) as opened:
        page.wait_for_timeout(300)  # the tab stops come with the next frame, then the fades
        blocks = page.evaluate(SIDEWAYS)
    assert opened > 0 or chapter.endswith("frameworks"), f"{chapter}: no dropdown to open"
    sharp = [f"{b['what']}: {b['text']!r}" for b in blocks if not b["fades"]]
    assert not sharp, _fail_list("blocks that scroll sideways with sharp edges", sharp)


def test_no_figure_scrolls_sideways_on_a_phone(read_page: Any, chapter: str) -> None:
    """Every figure is seen whole in a phone's column, at 72 % of its size or more: a
    figure of panels shows them one under another, a figure of one panel is drawn narrow
    enough. (One that scrolled hid its legend, or the end of its curves, off screen.)"""
    page = read_page(f"{chapter}.html", "phone", "light").page
    scrolling = page.evaluate(
        "() => Array.from(document.querySelectorAll('.bd-article figure'))"
        ".filter(f => Array.from(f.querySelectorAll('.figure-scroll, .figure-panels'))"
        ".some(e => e.checkVisibility() && e.scrollWidth > e.clientWidth + 1))"
        ".map(f => f.id)"
    )
    assert not scrolling, _fail_list("figures that scroll sideways at 390 px", scrolling)


def test_no_printed_output_scrolls_sideways_on_a_phone(read_page: Any, chapter: str) -> None:
    """What a cell prints fits a phone's column, dropdowns open: its lines are short enough,
    and an error message wraps. (An output that scrolled hid the number the text was about,
    past the edge; code may still scroll, with a fade and a tab stop.)"""
    page = read_page(f"{chapter}.html", "phone", "light").page
    with dropdowns_opened(page):
        scrolling = page.evaluate(
            """() => Array.from(document.querySelectorAll('.bd-article .cell_output pre'))
              .filter(pre => pre.checkVisibility() && pre.scrollWidth > pre.clientWidth + 1)
              .map(pre => pre.textContent.split('\\n')
                .reduce((a, b) => b.length > a.length ? b : a))"""
        )
    assert not scrolling, _fail_list("printed lines wider than a phone at 390 px", scrolling)


def test_short_inline_code_is_not_broken_across_lines_on_a_phone(
    read_page: Any, docname: str
) -> None:
    """A short piece of inline code with a space in it (``i - 1``, ``make book``) is drawn
    on one line at 390 px: on a phone ``i -`` used to end one line and ``1`` begin the
    next. Only pieces of at most 16 characters; a longer one may wrap, or it would run
    past the column."""
    page = read_page(f"{docname}.html", "phone", "light").page
    with dropdowns_opened(page):
        codes = page.evaluate(
            """() => Array.from(document.querySelectorAll('.bd-article code.literal'))
              .filter(c => c.checkVisibility())
              .map(c => ({text: c.textContent, lines: new Set(
                Array.from(c.getClientRects()).map(r => Math.round(r.top))).size}))"""
        )
    short = [c for c in codes if " " in c["text"] and len(c["text"]) <= 16]
    broken = [c["text"] for c in short if c["lines"] > 1]
    assert not broken, _fail_list("short inline code broken across lines at 390 px", broken)


def test_the_links_to_the_previous_and_next_pages_are_whole_on_a_phone(
    read_page: Any, docname: str
) -> None:
    """At the foot of a page, each link to the previous or next page shows its whole
    title, inside the screen: the theme gave each link at most 45 % of a phone's width and
    clipped the rest, so chapter 5's link to "6. Troubleshooting by symptom" read "Nex"
    and "Troubleshootin"."""
    page = read_page(f"{docname}.html", "phone", "light").page
    links = page.evaluate(
        """() => Array.from(document.querySelectorAll('.prev-next-area a')).map(a => {
          const box = a.getBoundingClientRect();
          return {title: a.querySelector('.prev-next-title').textContent,
                  clipped: a.scrollWidth > a.clientWidth + 1,
                  outside: box.left < -1 || box.right > innerWidth + 1};
        })"""
    )
    cut = [link["title"] for link in links if link["clipped"] or link["outside"]]
    assert not cut, _fail_list("links to the previous or next page cut off at 390 px", cut)


def test_a_figure_whose_caption_names_panel_a_is_cut_into_panels() -> None:
    """A caption that names panels (a), (b) speaks of panels side by side; on a phone they
    must show one under another, each whole, for the letters to be found in turn (a
    legend or a title across the panels keeps a figure whole: each panel has its own)."""
    whole = []
    for page in sorted((HTML / "chapters").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for figure in re.finditer(r'<figure[^>]*id="([^"]+)"(.*?)</figure>', html, re.S):
            caption = re.search(r"<figcaption>(.*?)</figcaption>", figure.group(2), re.S)
            names_a = caption and "(a)" in re.sub(r"<[^>]+>", "", caption.group(1))
            if names_a and 'class="figure-scroll figure-split"' not in figure.group(2):
                whole.append(f"{page.stem}: {figure.group(1)}")
    assert not whole, _fail_list("figures with lettered panels left whole", whole)


@pytest.mark.parametrize(("screen", "mode"), SCREENS_AND_MODES)
def test_no_console_error_or_failed_request_on_any_screen(
    read_page: Any, docname: str, screen: str, mode: str
) -> None:
    visit = read_page(f"{docname}.html", screen, mode)
    assert not visit.problems(), _fail_list("errors while loading", visit.problems())
    assert not visit.foreign, _fail_list("requests to third-party hosts", visit.foreign)


@pytest.mark.parametrize("page_path", ["index.html", "search.html?q=softmax"])
def test_redirect_and_search_pages_have_no_error(read_page: Any, page_path: str) -> None:
    """``index.html`` (which sends the reader to the first page) and the search page,
    from the server; the redirect page is where a reader arrives."""
    visit = read_page(page_path, "laptop", "light")
    if page_path.startswith("search"):
        visit.page.locator("#search-results ul.search li").first.wait_for(timeout=15_000)
    else:
        visit.page.wait_for_url("**/intro.html", timeout=15_000)
    assert not visit.problems(), _fail_list("errors while loading", visit.problems())


# -- the book opened as a file ----------------------------------------------------------
def _file_pages() -> list[str]:
    return ["index.html"] + [f"{name}.html" for name in toc_docnames()]


@pytest.mark.parametrize("page_path", _file_pages())
def test_no_console_error_or_failed_request_from_a_file(read_page: Any, page_path: str) -> None:
    """Opened as a file (``file://``, what ``make book`` says to open), every page loads
    its scripts, styles, fonts and figures with no error."""
    visit = read_page(page_path, "laptop", "light", via="file")
    visit.page.wait_for_timeout(300)
    assert not visit.problems(), _fail_list("errors while loading", visit.problems())
    assert not visit.foreign, _fail_list("requests off the book", visit.foreign)


def test_search_from_a_file_lists_pages_and_says_what_it_needs(read_page: Any) -> None:
    visit = read_page("search.html?q=softmax", "laptop", "light", via="file")
    page = visit.page
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("softmax" in href for href in hrefs), f"no softmax page among {hrefs}"
    note = page.locator(".nnmath-search-note")
    assert note.count() == 1 and "serve the book" in note.inner_text()
    page.wait_for_timeout(500)  # a snippet fetch that failed would have logged by now
    assert not visit.problems(), _fail_list("errors on the search page", visit.problems())


@pytest.mark.parametrize("via", ["http", "file"])
def test_the_themes_start_up_still_runs_in_its_own_tasks(
    chromium: Any, site: str, via: str
) -> None:
    """The theme's start-up functions, which the build runs each in a task of its own
    (``THEME_PATCHES`` in ``_ext/offline_assets.py``), all still run: the
    sidebar's scroll to the page's link (which says so in the console), the theme switch,
    and Ctrl+K, which opens the search."""
    built = (SOURCE / "_build/html/_static/scripts/pydata-sphinx-theme.js").read_text()
    assert "?setTimeout(e):" in built, "the theme's documentReady is not split into tasks"
    base = site if via == "http" else (SOURCE / "_build" / "html").as_uri() + "/"
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        said: list[str] = []
        page.on("console", lambda message: said.append(message.text))
        page.goto(base + "chapters/06_troubleshooting.html", wait_until="load")
        page.wait_for_timeout(500)
        assert any("Scrolled sidebar" in text for text in said), said
        before = page.evaluate("() => document.documentElement.dataset.mode")
        page.locator(".theme-switch-button").first.click()
        after = page.evaluate("() => document.documentElement.dataset.mode")
        assert before != after, f"the theme switch left the mode at {before!r}"
        page.keyboard.press("Control+k")
        page.wait_for_selector("#pst-search-dialog[open]", timeout=5_000)
    finally:
        context.close()


#: Before the page's scripts (and before its ``<html>`` exists): every value the page's
#: scripts give ``data-theme``, and the one it has when the first frame is drawn.
THEME_WATCH = """
window.__themes = {set: [], firstFrame: null};
new MutationObserver(records => {
  for (const record of records) window.__themes.set.push(record.target.dataset.theme);
})  .observe(document, {attributes: true, subtree: true, attributeFilter: ["data-theme"]});
requestAnimationFrame(() => {
  window.__themes.firstFrame = document.documentElement.dataset.theme;
});
"""


@pytest.mark.parametrize(
    ("scheme", "chosen", "theme"),
    [
        ("light", None, "light"),
        ("dark", None, "dark"),
        ("dark", "auto", "dark"),
        ("light", "dark", "dark"),
        ("dark", "light", "light"),
    ],
)
def test_the_page_is_drawn_in_its_theme_from_the_first_frame(
    chromium: Any, site: str, scheme: str, chosen: str | None, theme: str
) -> None:
    """The page's first script picks the light or dark theme (the reader's choice, or the
    system's colour scheme on a first visit), so the first frame is drawn in it and the
    theme's own script, when it runs after the page is parsed, sets the same one: the
    page is not drawn without its colours first, nor styled and laid out again when the
    theme's script picks it (the layout template's ``block css``)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        if chosen is not None:
            context.add_init_script(f"localStorage.setItem('mode', {chosen!r});")
        context.add_init_script(THEME_WATCH)
        page = context.new_page()
        page.goto(site + "chapters/02_softmax.html", wait_until="load")
        page.wait_for_function("() => window.__themes.firstFrame !== null", timeout=10_000)
        page.wait_for_timeout(300)  # the theme's start-up tasks
        seen = page.evaluate("() => window.__themes")
        assert seen["firstFrame"] == theme, seen
        assert seen["set"] and set(seen["set"]) == {theme}, seen
        assert page.evaluate("() => document.documentElement.dataset.mode") == (chosen or "auto")
    finally:
        context.close()


#: Before the page's scripts: the math font's faces and their state when the parser
#: puts the page's first formula into the document (before any layout of it).
MATH_FONT_WATCH = """
window.__mathFont = null;
new MutationObserver((records, observer) => {
  if (!document.querySelector("math")) return;
  window.__mathFont = {};
  for (const face of document.fonts) {
    const family = face.family.replace(/"/g, "");
    (window.__mathFont[family] = window.__mathFont[family] || []).push(face.status);
  }
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.parametrize("via", ["http", "file"])
@pytest.mark.parametrize(
    ("path", "families"),
    [
        ("chapters/01_relu.html", ("Noto Sans Math", "Temml")),  # relu' has a prime
        ("chapters/04_softmax_cross_entropy.html", ("Noto Sans Math",)),  # no prime
    ],
)
def test_the_math_fonts_are_asked_for_before_the_first_formula(
    chromium: Any, site: str, via: str, path: str, families: tuple[str, ...]
) -> None:
    """The page's head asks for the fonts its formulas use (``font_script`` in
    ``_ext/build_time_math.py``): each face is loading, or in, when the first formula is
    parsed, rather than asked for at the first layout of a formula, which drew the
    formulas in a fallback font and left a prime invisible until Temml's font came;
    each font file is fetched once, from a server or a file, and a page with no prime
    does not fetch Temml's font at all."""
    base = site if via == "http" else (SOURCE / "_build" / "html").as_uri() + "/"
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(MATH_FONT_WATCH)
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url) if "woff2" in r.url else 0)
        page.goto(base + path, wait_until="load")
        page.evaluate("() => document.fonts.ready")
        states = page.evaluate("() => window.__mathFont")
        for family in families:
            assert states.get(family) in (["loading"], ["loaded"]), (family, states)
        assert all(
            status == "unloaded"
            for family, statuses in states.items()
            if family not in families
            for status in statuses
        ), states
        wanted = {"Noto Sans Math": "noto-sans-math", "Temml": "Temml.woff2"}
        for family, file in wanted.items():
            assert sum(file in url for url in fetched) == (family in families), fetched
        assert page.evaluate("() => document.fonts.check('16px \"Noto Sans Math\"', '\u2211')")
    finally:
        context.close()


#: Widths of every root in a page: the <msqrt>'s own, the sum of its children's, and its
#: font size. The radical sign is the difference (MathML draws it; no text holds it).
ROOT_WIDTHS = """() => Array.from(document.querySelectorAll("msqrt, mroot")).map((root) => {
  const inner = Array.from(root.children).reduce(
    (sum, child) => sum + child.getBoundingClientRect().width, 0);
  return {text: root.textContent, width: root.getBoundingClientRect().width, inner,
          em: parseFloat(getComputedStyle(root).fontSize)};
})"""


@pytest.mark.parametrize("path", ["chapters/01_relu.html", "chapters/05_training.html"])
def test_every_root_draws_its_radical_sign(open_page: Any, path: str) -> None:
    """A square root shows its radical sign: the math font keeps the glyph (and its
    larger sizes) though no formula's text holds it. Without it, √2 was drawn as a bare
    2, wrong formulas (GELU's Φ and φ in chapter 1, He's scale in chapter 5)."""
    page = open_page(path).page
    page.evaluate("() => document.fonts.ready")
    roots = page.evaluate(ROOT_WIDTHS)
    assert roots, f"{path} has no root to check"
    bare = [r["text"] for r in roots if r["width"] - r["inner"] < 0.4 * r["em"]]
    assert not bare, _fail_list("roots drawn without a radical sign", bare)


def test_search_snippets_are_the_pages_text(open_page: Any) -> None:
    """A result's snippet is text of the page's article: no button text from its header
    (".ipynb", ".pdf", "Binder") and no navigation links."""
    visit = open_page(
        "search.html?q=softmax", shoot="search", ready="#search-results ul.search li a"
    )
    page = visit.page
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results p.context').length >= 3",
        timeout=15_000,
    )
    snippets = page.locator("#search-results p.context").all_inner_texts()
    button_text = re.compile(r"\.ipynb|\.pdf|\bBinder\b|Open an issue|\bprevious\b|\bnext\b")
    bad = [s[:80] for s in snippets if button_text.search(s)]
    assert not bad, _fail_list("snippets with button or navigation text", bad)


def test_search_icon_is_clear_of_the_query(open_page: Any) -> None:
    """The magnifier of the search page's field sits left of where the query starts."""
    page = open_page(
        "search.html?q=softmax", shoot="search", ready="#search-results ul.search li a"
    ).page
    report = page.evaluate(
        """() => {
          const form = document.querySelector(".bd-search-container form.bd-search");
          const icon = form.querySelector("i, svg").getBoundingClientRect();
          const input = form.querySelector("input");
          const box = input.getBoundingClientRect();
          const text = box.left + parseFloat(getComputedStyle(input).paddingLeft)
                       + parseFloat(getComputedStyle(input).borderLeftWidth);
          return {iconRight: icon.right, textLeft: text, value: input.value};
        }"""
    )
    assert report["value"] == "softmax"
    assert report["iconRight"] <= report["textLeft"], report


# -- the theme's stylesheets, trimmed by the build and bundled -----------------------------
#: The stylesheets _ext/offline_assets.py trims, and the theme packages' full versions.
def _full_stylesheets() -> dict[Path, str]:
    import pydata_sphinx_theme
    import sphinx_book_theme

    pydata = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static"
    book = Path(sphinx_book_theme.__file__).parent / "theme/sphinx_book_theme/static"
    return {
        (HTML / "_static/styles/pydata-sphinx-theme.css").resolve(): (
            pydata / "styles/pydata-sphinx-theme.css"
        ).read_text(encoding="utf-8"),
        (HTML / "_static/styles/sphinx-book-theme.css").resolve(): (
            book / "styles/sphinx-book-theme.css"
        ).read_text(encoding="utf-8"),
    }


def _fulfil_css(text: str) -> Any:
    return lambda route: route.fulfill(body=text, content_type="text/css")


def _page_bundles(docname: str) -> list[tuple[str, list[Path]]]:
    """The bundles ``docname`` links: each one's path under the book and its files."""
    bundles = book_extension("stylesheet_bundles")  # joins each page's stylesheets
    page = HTML / f"{docname}.html"
    found = []
    for href in re.findall(
        r'<link rel="stylesheet" href="([^"]*_static/bundles/[^"]+)"',
        page.read_text(encoding="utf-8"),
    ):
        path = (page.parent / href).resolve()
        found.append((path.relative_to(HTML.resolve()).as_posix(), bundles.sources_of(path, HTML)))
    return found


# How each element of the page is drawn: its box and the styles that show.
DRAWN = """() => {
  const props = ["display", "position", "visibility", "opacity", "color", "background-color",
    "background-image", "font-family", "font-size", "font-weight", "font-style", "line-height",
    "margin", "padding", "border-top", "border-left", "border-radius", "box-shadow",
    "text-decoration-line", "overflow-x", "z-index", "list-style-type"];
  // Colours mid-transition are not what either stylesheet draws in the end.
  for (const a of document.getAnimations()) { try { a.finish(); } catch (endless) {} }
  // An explorer's figure moves on its own (the capstone trains in the page): left out.
  const still = Array.from(document.querySelectorAll("body *"))
    .filter(el => !el.closest(".nnmath-explorer"));
  return still.map(el => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const where = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (typeof el.className === "string" && el.className ? "." + el.className.trim()
         .split(/\\s+/).join(".") : "");
    const before = getComputedStyle(el, "::before").content;
    return [where, [r.x, r.y, r.width, r.height].map(Math.round).join(","),
            props.map(p => s.getPropertyValue(p)).join(" | ") + " | " + before];
  });
}"""


def test_a_page_links_its_stylesheets_as_two_files_at_most(docname: str) -> None:
    """The theme's stylesheets in one bundle every page shares, the page's own in another:
    each a render-blocking request the first screen waits for. No ``@import`` (a request
    that starts only once its stylesheet has come), and every file a bundle names is
    served."""
    page = (HTML / f"{docname}.html").read_text(encoding="utf-8")
    head = page[: page.index("</head>")]
    links = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*>', head)
    assert 1 <= len(links) <= 2, _fail_list(f"{len(links)} stylesheets", links)
    for path, files in _page_bundles(docname):
        text = (HTML / path).read_text(encoding="utf-8")
        assert "@import" not in text, f"{path} still imports a stylesheet"
        # A data URL is left out whole (an SVG in one may name its own url(#marker)).
        linked = re.sub(r"""url\(\s*(["'])data:.*?\1\s*\)""", "", text, flags=re.S)
        for url in re.findall(r"""url\(\s*['"]?([^'")]+)""", linked):
            if not re.match(r"^(data:|#)", url):
                assert ((HTML / path).parent / url.split("?")[0]).is_file(), f"{path}: {url}"
        # Each file whole and in order (those with url()s or @import checked above).
        at = 0
        for file in files:
            # A source map's comment names a file beside it, and @charset may only open a
            # file: both left out.
            piece = re.sub(
                r'/\*# sourceMappingURL=[^*]*\*/|@charset "[^"]*";', "", file.read_text("utf-8")
            )
            if "url(" in piece or "@import" in piece:
                continue
            found = text.find(piece.strip(), at)
            assert found >= 0, f"{path}: {file.name} is not in it whole, after the files before it"
            at = found


def _separate_sheets(docname: str) -> str:
    """The page as built, with each bundle's link replaced by links to its files."""
    page = HTML / f"{docname}.html"
    html = page.read_text(encoding="utf-8")
    for path, files in _page_bundles(docname):
        rel = [os.path.relpath(file, page.parent.resolve()) for file in files]
        tags = "".join(f'<link rel="stylesheet" href="{href}" />' for href in rel)
        html = re.sub(rf'<link rel="stylesheet" href="[^"]*{re.escape(path)}" />', tags, html)
    return html


def _drawn_both_ways(
    chromium: Any,
    url: str,
    screen: str,
    mode: str,
    other: Callable[[Any], None],
    check_other: Callable[[Any], None] = lambda page: None,
) -> tuple[list, list]:
    """How the page draws each element as served, and once ``other(context)`` has routed
    some of its files to another version (``check_other(page)`` checks that it did)."""
    from conftest import SCREENS, wait_for_explorers, wait_for_math

    drawn = []
    for routed in (False, True):
        context = chromium.new_context(**SCREENS[screen], color_scheme=mode)
        if routed:
            other(context)
        page = context.new_page()
        page.goto(url, wait_until="load")
        if routed:
            check_other(page)
        wait_for_math(page)
        wait_for_explorers(page)
        drawn.append(page.evaluate(DRAWN))
        context.close()
    return drawn[0], drawn[1]


def _assert_drawn_alike(served: list, other: list, name: str) -> None:
    assert len(served) == len(other), "the page has as many elements either way"
    differences = [
        f"{a[0]}: {a[1]} {a[2]!r}\n    {name}: {b[1]} {b[2]!r}"
        for a, b in zip(served, other, strict=True)
        if a != b
    ]
    assert not differences, _fail_list(
        f"{len(differences)} elements drawn differently", differences[:10]
    )


@pytest.mark.parametrize(("screen", "mode"), [("laptop", "light"), ("phone", "dark")])
def test_bundled_styles_draw_each_element_as_the_separate_ones(
    chromium: Any, site: str, docname: str, screen: str, mode: str
) -> None:
    """The page with its stylesheets bundled, and with each bundle's files linked one by
    one as the theme and the extensions write them, gives every element the same box and
    the same styles."""
    assert _page_bundles(docname), "the page links a bundle"
    separate = _separate_sheets(docname)
    url = f"{site}{docname}.html"

    def unbundled(context: Any) -> None:
        context.route(url, lambda route: route.fulfill(body=separate, content_type="text/html"))

    def each_linked(page: Any) -> None:
        links = page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length")
        assert links > 2, "the page without bundles links each stylesheet"

    bundled, apart = _drawn_both_ways(chromium, url, screen, mode, unbundled, each_linked)
    _assert_drawn_alike(bundled, apart, "separate")


@pytest.mark.parametrize(("screen", "mode"), [("laptop", "light"), ("phone", "dark")])
def test_trimmed_styles_draw_each_element_as_the_full_ones(
    chromium: Any, site: str, docname: str, screen: str, mode: str
) -> None:
    """The theme's stylesheets as served (without the rules no page can use) and as the
    theme ships them give every element of the page the same box and the same styles."""
    full = _full_stylesheets()
    bundles = book_extension("stylesheet_bundles")  # joins each page's stylesheets
    theme = [(path, files) for path, files in _page_bundles(docname) if set(full) & set(files)]
    assert theme, "the page links the theme's stylesheets in a bundle"

    def untrimmed(context: Any) -> None:  # the same bundle, made of the full stylesheets
        for path, files in theme:
            text = bundles.bundle_text(files, (HTML / path).parent.resolve(), HTML, full)
            context.route(f"**/{path}*", _fulfil_css(text))

    served, original = _drawn_both_ways(chromium, f"{site}{docname}.html", screen, mode, untrimmed)
    _assert_drawn_alike(served, original, "full")
