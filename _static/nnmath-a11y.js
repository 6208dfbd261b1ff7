/* Keyboard access to code blocks and outputs that scroll sideways, without laying out the
 * whole page to find them.
 *
 * A block whose content is wider than its box needs a tab stop (tabIndex 0) so that the
 * keyboard can scroll it. The theme finds those blocks by reading the scroll size of every
 * block at the load event, which lays out every section of a chapter, even those the page
 * lays out only when the reader comes near them (content-visibility in nnmath.css): a
 * tenth of a second on a chapter page. _ext/offline_assets.py takes that call out of the
 * theme's script; this script does the same job in two cheaper steps:
 *
 * - at once, for every <pre>, from its text: a block whose longest line has more
 *   characters than fit in the article's column scrolls, and gets its tab stop now, with
 *   no layout of its own (one measure of the column and of a character is enough);
 * - exactly, for each block when it is drawn (it comes near the screen, or a closed
 *   solution around it opens), and again whenever its size changes: the theme's own rule.
 */
(() => {
  "use strict";
  const SELECTOR = "pre, .cell_output > .output, .pst-scrollable-table-container";

  function updateTabStop(element) {
    const scrolls =
      element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight;
    element.tabIndex = scrolls ? 0 : -1;
  }

  /** How many characters of code fit on a line of the article's column. */
  function columnCharacters() {
    const article = document.querySelector(".bd-article") || document.body;
    const probe = document.createElement("pre");
    probe.style.cssText = "position:absolute;visibility:hidden;margin:0;padding:0;border:0";
    probe.textContent = "0".repeat(100);
    article.appendChild(probe);
    const perCharacter = probe.getBoundingClientRect().width / 100;
    probe.remove();
    return perCharacter > 0 ? Math.floor(article.clientWidth / perCharacter) : Infinity;
  }

  function start() {
    const blocks = Array.from(document.querySelectorAll(SELECTOR));
    // Step one: from the text. A little room is left for the padding of a block and of the
    // boxes (solutions, notes) it may sit in.
    const fits = columnCharacters() - 6;
    blocks.forEach((element) => {
      if (element.tagName !== "PRE") return;
      const longest = element.textContent.split("\n").reduce((m, l) => Math.max(m, l.length), 0);
      if (longest > fits) element.tabIndex = 0;
    });
    // Step two: exactly, once drawn, and on every change of size.
    if (typeof IntersectionObserver === "undefined" || typeof ResizeObserver === "undefined") {
      blocks.forEach(updateTabStop);
      return;
    }
    const sized = new ResizeObserver((entries) => {
      entries.forEach((entry) => updateTabStop(entry.target));
    });
    const near = new IntersectionObserver(
      (entries) => {
        entries.forEach((entry) => {
          if (!entry.isIntersecting) return;
          near.unobserve(entry.target);
          updateTabStop(entry.target);
          sized.observe(entry.target);
        });
      },
      { rootMargin: "100% 0px" },
    );
    blocks.forEach((element) => near.observe(element));
  }

  if (document.readyState === "complete") requestAnimationFrame(start);
  else window.addEventListener("load", () => requestAnimationFrame(start));
})();
