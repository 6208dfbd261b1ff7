/* Keyboard access to blocks that scroll sideways: code, outputs, tables, display math,
 * figures.
 *
 * A block whose content is wider (or taller) than its box needs a tab stop (tabIndex 0),
 * so that a keyboard reader can reach it and scroll it with the arrow keys; one that fits
 * needs none. The theme decides this by reading every block's scroll size at the load
 * event, which can lay out the whole page once more inside that task, and misses display
 * math and blocks in a solution opened later; _ext/offline_assets.py takes that out of
 * the theme's script. Here a ResizeObserver does it instead: the browser reports each block
 * once it has been laid out (all of them in the first frame, wherever they are on the
 * page, so every tab stop exists before the reader reaches it), and again whenever its
 * size changes (a narrower window, a solution opened around it), with the layout
 * already done, so reading the sizes costs no extra layout.
 */
(() => {
  "use strict";
  const SELECTOR = [
    "pre",
    ".cell_output > .output",
    ".pst-scrollable-table-container",
    "div.math > .math-box",
    ".figure-scroll",
  ].join(", ");

  function updateTabStop(element) {
    const scrolls =
      element.scrollWidth > element.clientWidth + 1 ||
      element.scrollHeight > element.clientHeight + 1;
    // A block that needs no tab stop keeps none (and any it had is taken away).
    if (scrolls) element.tabIndex = 0;
    else if (element.hasAttribute("tabindex")) element.removeAttribute("tabindex");
  }

  function start() {
    const blocks = document.querySelectorAll(SELECTOR);
    if (typeof ResizeObserver === "undefined") {
      blocks.forEach(updateTabStop);
      window.addEventListener("resize", () => blocks.forEach(updateTabStop));
      return;
    }
    const sized = new ResizeObserver((entries) => {
      entries.forEach((entry) => updateTabStop(entry.target));
    });
    blocks.forEach((element) => sized.observe(element));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/* A printed page shows every dropdown open (solutions and "Going further" boxes, which
 * _ext/dropdowns.py writes as <details>): closed, it would print as its title alone. */
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details.dropdown:not([open])").forEach((box) => {
    box.open = true;
  });
});
