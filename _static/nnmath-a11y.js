/* Keyboard access to code and outputs that scroll only once a reader opens them.
 *
 * The theme gives every scrollable code block and output a tab stop (tabIndex 0, so the
 * keyboard can scroll it) when the page loads, the window resizes or nodes are added. A
 * block inside a closed solution or a hidden cell has no size at that moment, and opening
 * it changes none of those, so it would stay out of reach. A ResizeObserver sees each such
 * block get its size and applies the theme's own rule to it.
 */
(() => {
  "use strict";
  const SELECTOR = "pre, .cell_output > .output, .pst-scrollable-table-container";

  function updateTabStop(element) {
    const scrolls =
      element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight;
    element.tabIndex = scrolls ? 0 : -1;
  }

  function start() {
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver((entries) => {
      entries.forEach((entry) => updateTabStop(entry.target));
    });
    document.querySelectorAll(SELECTOR).forEach((element) => observer.observe(element));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
