"""The built book in a real browser: offline, error-free, math rendered, sliders working.

Each test takes one page of the table of contents (``docname``) or one chapter
notebook (``chapter``); see ``conftest.py`` for how pages are served and recorded.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

import pytest
from book_site import require_browser_and_build

require_browser_and_build()

# Text that only appears in a page when a formula was left unrendered: TeX delimiters
# and common macros outside code, scripts and MathJax's own output.
MATH_REPORT = r"""
() => {
  const root = document.querySelector("article.bd-article") || document.body;
  const maths = Array.from(root.querySelectorAll(".math"));
  const unrendered = maths.filter(m => !m.querySelector("mjx-container"))
                          .map(m => m.textContent.trim().slice(0, 100));
  const errors = Array.from(new Set(root.querySelectorAll("mjx-merror, [data-mjx-error]")))
                      .map(e => (e.getAttribute("data-mjx-error") || e.textContent).slice(0, 100));
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight, kbd, samp";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: n => (n.parentElement && n.parentElement.closest(skip))
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const tex = /\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\frac|\\sum|\\mathrm/;
  const raw = [];
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue;
    if (tex.test(text)) raw.push(text.trim().slice(0, 100));
  }
  // A display formula wider than the text column is cut off or needs scrolling.
  const wide = Array.from(root.querySelectorAll("div.math mjx-container"))
    .filter(c => c.firstElementChild
                 && c.firstElementChild.getBoundingClientRect().width > root.clientWidth + 1)
    .map(c => c.closest("div.math").textContent.trim().slice(0, 60) || c.closest("div.math").id);
  return {formulas: maths.length, unrendered, errors, raw, wide};
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
        [f"left alone by MathJax: {t}" for t in report["unrendered"]]
        + [f"MathJax error: {t}" for t in report["errors"]]
        + [f"raw TeX in the text: {t}" for t in report["raw"]]
        + [f"wider than the page: {t}" for t in report["wide"]]
    )
    assert not problems, _fail_list(f"{report['formulas']} formulas, problems", problems)


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
