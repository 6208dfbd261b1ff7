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


def _sweep_state(sweep: Any) -> tuple[str, str, int]:
    return (
        sweep.locator("img.nnmath-sweep-frame").get_attribute("src") or "",
        (sweep.locator("output.nnmath-sweep-value").text_content() or "").strip(),
        int(sweep.locator("input.nnmath-sweep-range").input_value()),
    )


def test_static_sliders_change_the_figure(visit: Any, docname: str) -> None:
    page = visit.page
    sweeps = page.locator(".nnmath-sweep")
    count = sweeps.count()
    if docname.startswith("chapters/"):
        assert count >= 1, "a chapter page shows at least one static slider"
    requests_before = len(visit.foreign)
    for i in range(count):
        sweep = sweeps.nth(i)
        where = f"slider {i + 1} of {count} ({sweep.get_attribute('id')})"
        for part in (
            "img.nnmath-sweep-frame",
            "input.nnmath-sweep-range",
            "output.nnmath-sweep-value",
        ):
            assert sweep.locator(part).count() == 1, f"{where}: needs exactly one {part}"
        slider = sweep.locator("input.nnmath-sweep-range")
        low, high = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
        assert low == 0 and high >= 1, f"{where}: range must be 0..n-1 with n >= 2"
        label = page.locator(f'label[for="{slider.get_attribute("id")}"]')
        assert label.count() == 1 or slider.get_attribute("aria-label"), f"{where}: no label"
        assert (sweep.locator("img").get_attribute("alt") or "").strip(), f"{where}: no alt text"

        slider.scroll_into_view_if_needed()
        seen = {_sweep_state(sweep)}
        start = _sweep_state(sweep)
        # Keyboard: jump to the far end, then one step back.
        far, back = ("End", "ArrowLeft") if start[2] < high else ("Home", "ArrowRight")
        slider.focus()
        for key, expected in (
            (far, high if far == "End" else low),
            (back, high - 1 if far == "End" else low + 1),
        ):
            before = _sweep_state(sweep)
            page.keyboard.press(key)
            after = _sweep_state(sweep)
            assert after[2] == expected, f"{where}: {key} moved to {after[2]}, not {expected}"
            assert after[0] != before[0], f"{where}: {key} did not change the image"
            assert after[1] != before[1], f"{where}: {key} did not change the shown value"
            seen.add(after)
        # Setting the value directly (as assistive technology or a click does).
        target = low if _sweep_state(sweep)[2] != low else high
        before = _sweep_state(sweep)
        slider.fill(str(target))
        after = _sweep_state(sweep)
        assert after[2] == target and after[0] != before[0] and after[1] != before[1], (
            f"{where}: setting the value to {target} did not update the figure"
        )
        seen.add(after)
        assert len({s[0] for s in seen}) == len({s[2] for s in seen}), (
            f"{where}: different positions showed the same frame"
        )
    assert visit.foreign[requests_before:] == [], "moving a slider made a third-party request"
    if count:
        page.evaluate("() => window.scrollTo(0, 0)")


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
