"""The built book in a real browser: offline, error-free, math rendered, sliders working.

Each test takes one page of the table of contents (``docname``) or one chapter
notebook (``chapter``); see ``conftest.py`` for how pages are served and recorded.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

import pytest
from book_site import SOURCE, require_browser_and_build

require_browser_and_build()

# The math comes typeset from the build (KaTeX): every formula must hold KaTeX's output,
# visual HTML hidden from screen readers beside MathML carrying the TeX; no KaTeX error
# node; no TeX left as text outside code; no display formula wider than the text column;
# and nothing that typesets math in the browser.
MATH_REPORT = r"""
() => {
  const root = document.querySelector("article.bd-article") || document.body;
  const maths = Array.from(root.querySelectorAll(".math"));
  const clip = el => el.textContent.trim().slice(0, 100);
  const unrendered = maths.filter(m => !m.querySelector(".katex")).map(clip);
  const errors = Array.from(document.querySelectorAll(".katex-error"))
                      .map(e => (e.getAttribute("title") || "") + ": " + clip(e));
  const noMathml = Array.from(root.querySelectorAll(".katex"))
    .filter(k => !k.querySelector(".katex-mathml math annotation[encoding='application/x-tex']")
                 || !k.querySelector(".katex-html[aria-hidden='true']"))
    .map(k => (k.querySelector("annotation") || k).textContent.slice(0, 100));
  const skip = "pre, code, script, style, textarea, .katex, .highlight, kbd, samp";
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
  // A display formula wider than the text column is cut off or needs scrolling.
  const column = root.getBoundingClientRect();
  const wide = Array.from(root.querySelectorAll("div.math")).filter(div => {
    const html = div.querySelector(".katex-html");
    if (!html) return false;
    const box = html.getBoundingClientRect();  // cut off, or scrolling inside its box
    return html.scrollWidth > html.clientWidth + 1 || box.right > column.right + 1
           || box.left < column.left - 1;
  }).map(div => div.id || clip(div));
  const browserTypesetting = Array.from(document.querySelectorAll(
    "script[src*='mathjax' i], script[src*='katex' i], mjx-container")).map(e =>
      e.tagName.toLowerCase() + " " + (e.getAttribute("src") || ""));
  if (window.MathJax) browserTypesetting.push("window.MathJax");
  return {formulas: maths.length, unrendered, errors, noMathml, raw, wide, browserTypesetting};
}
"""

# Numbered display equations, and the {eq} references to them (on this page or another).
EQUATIONS_REPORT = r"""
() => {
  const root = document.querySelector("article.bd-article") || document.body;
  const numbers = {};
  const unnumbered = [];
  root.querySelectorAll("div.math[id^='equation-']").forEach(div => {
    const eqno = div.querySelector(":scope > span.eqno");
    const text = eqno ? eqno.firstChild.textContent.trim() : "";
    if (/^\(\d+(\.\d+)*\)$/.test(text)) numbers[div.id] = text;
    else unnumbered.push(div.id + ": " + JSON.stringify(text));
  });
  const h1 = root.querySelector("h1 .section-number");
  const links = root.querySelectorAll("a[href*='#equation-']:not(.headerlink)");
  const references = Array.from(links).map(a => ({text: a.textContent.trim(), href: a.href}));
  return {numbers, unnumbered, chapter: h1 ? h1.textContent.trim().replace(/\.$/, "") : null,
          references};
}
"""


def _fail_list(what: str, items: list[str]) -> str:
    return f"{what}:\n  " + "\n  ".join(items)


def test_every_request_stays_on_the_local_server(visit: Any) -> None:
    assert not visit.foreign, _fail_list("requests to third-party hosts", visit.foreign)


def test_no_console_error_or_failed_request(visit: Any) -> None:
    assert not visit.problems(), _fail_list("errors while loading", visit.problems())


def test_every_formula_is_rendered(visit: Any) -> None:
    report = visit.page.evaluate(MATH_REPORT)
    problems = (
        [f"not rendered by KaTeX: {t}" for t in report["unrendered"]]
        + [f"KaTeX error: {t}" for t in report["errors"]]
        + [f"no MathML for screen readers: {t}" for t in report["noMathml"]]
        + [f"raw TeX in the text: {t}" for t in report["raw"]]
        + [f"wider than the text column: {t}" for t in report["wide"]]
        + [f"math typeset in the browser: {t}" for t in report["browserTypesetting"]]
    )
    assert not problems, _fail_list(f"{report['formulas']} formulas, problems", problems)


def test_equations_are_numbered_and_references_match(open_page: Any, docname: str) -> None:
    """Each labelled equation shows its number, (chapter.n) in a chapter, and every
    reference to an equation shows the number the equation itself shows."""
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
            const content = e.innerText.trim() || media;
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
