/* The search page, after Sphinx's searchtools.js (inlined by _ext/templates/layout.html).
 *
 * - A result's snippet is made from the page's article text, without the buttons of its
 *   header (download ".ipynb", ".pdf", the launch menu) or the links at its foot.
 * - Opened from a file (file://), the browser refuses to fetch the result pages that the
 *   snippets come from (one console error a result): the results list the pages without
 *   snippets, and a note says how to see them.
 */
(() => {
  "use strict";
  if (typeof Search === "undefined" || typeof DOCUMENTATION_OPTIONS === "undefined") return;

  // Not part of what a page says: its header's buttons, the previous/next links, the
  // permalinks, scripts and styles.
  const NOT_TEXT = [
    ".headerlink",
    "script",
    "style",
    ".bd-header-article",
    ".prev-next-area",
    "button",
  ].join(", ");

  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(NOT_TEXT).forEach((element) => element.remove());
    const main = page.querySelector('[role="main"]');
    if (!main) return "";
    const section = anchor ? main.querySelector(anchor) : null;
    return (section || main).textContent.replace(/\s+/g, " ").trim();
  };

  if (window.location.protocol === "file:") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
    document.addEventListener("DOMContentLoaded", () => {
      const results = document.getElementById("search-results");
      if (!results) return;
      const note = document.createElement("p");
      note.className = "nnmath-search-note";
      const command = document.createElement("code");
      command.textContent = "python -m http.server";
      const address = document.createElement("code");
      address.textContent = "http://localhost:8000/search.html";
      note.append(
        "This book was opened as a file, so the results list the pages without the text " +
          "around each match. To see it, serve the book: run ",
        command,
        " in its folder (_build/html), then open ",
        address,
        ".",
      );
      results.parentNode.insertBefore(note, results);
    });
  }
})();
