/* The explorers of the book's static page, computed in the browser with nnmath.js.
 *
 * Built by esbuild into a classic script (it runs from file:// as over http), loaded after
 * nnmath.js by the small loader _ext/page_explorers.py puts on a page with an explorer.
 * Each explorer is a <div class="nnmath-explorer" data-explorer="NAME"> holding the JSON
 * of nnmath.widgets.page.page_spec; here the same view as in Jupyter draws it, and the
 * state it draws is computed by nnmath.js (in a kernel, nnmath computes it).
 */
import { createExplorer } from "./explorer.js";
import { RESET_EVENT, mountPractice } from "./practice.js";
import { VIEWS } from "./views/index.js";

/** The page's computation for a view: {compute(values) -> {state, busy}}. */
function computer(view, config, nn, refresh, win) {
  if (view.createComputer) return view.createComputer(config, nn, refresh, win);
  return { compute: (values) => ({ state: view.compute(values, config, nn), busy: false }) };
}

/** Mount the explorer of `root`; its spec is the JSON inside it, or `given`. */
function mount(root, given) {
  if (root.dataset.ready) return;
  const spec = given || JSON.parse(root.querySelector("script.nnmath-explorer-spec").textContent);
  const module = VIEWS[spec.view];
  if (!module) throw new Error(`no page view ${JSON.stringify(spec.view)} for explorer ${spec.name}`);
  let explorer = null;
  const ask = (values) => {
    try {
      const out = work.compute(values);
      root.dataset.values = JSON.stringify(values);
      explorer.draw(out.state, out.busy);
    } catch (error) {
      explorer.fail(error);
    }
  };
  const refresh = () => ask({ ...explorer.controls.values });
  const work = computer(module, spec.config, window.nnmath, refresh, window);
  explorer = createExplorer(root, spec, module.view, ask);
  refresh();
  root.dataset.ready = "true";
  // Back to the values the page gave it (a challenge's "Start over").
  const start = Object.fromEntries(spec.controls.map((c) => [c.name, c.value]));
  root.addEventListener(RESET_EVENT, () => {
    explorer.controls.set(start);
    refresh();
  });
  // Once the page is idle, redraw a few times with the same values (nothing changes on
  // screen): the browser compiles the update path then, not on the reader's first move.
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 200));
  idle(() => {
    for (let i = 0; i < 3; i++) refresh();
  });
}

/** The page's side of practice: a predict's explorer is mounted like any other. */
const PRACTICE_ENV = {
  mountExplorer(host, spec) {
    host.className = "nnmath-explorer";
    host.dataset.explorer = spec.name;
    host.dataset.view = spec.view;
    mount(host, spec);
  },
  scope: (root) => root.ownerDocument,
};

/** What the reader is looking at: the first block of the article that reaches below the
 * sticky header (a paragraph, a heading, a formula, a figure, a cell's code; an explorer or
 * a check as a whole, as they are about to be redrawn). None at the top of the page. */
function readersPlace(doc, win) {
  const article = doc.querySelector("article.bd-article");
  if (!article || win.scrollY <= 0) return null;
  const header = parseFloat(win.getComputedStyle(doc.documentElement).scrollPaddingTop) || 0;
  const blocks = article.querySelectorAll(
    ":is(p, li, h1, h2, h3, h4, h5, h6, pre, figure, table, div.math, summary," +
      " .nnmath-explorer, .nnmath-practice):not(:is(.nnmath-explorer, .nnmath-practice) *)",
  );
  for (const block of blocks) {
    const box = block.getBoundingClientRect();
    if (box.height > 0 && box.bottom > header) return block;
  }
  return null;
}

/** Run `draw`, which adds to the page, without moving what the reader is looking at.
 *
 * The explorers and checks are drawn once the page has loaded; a reader who came by a link
 * to a section below them is there already, and the room they take would push that
 * section down the screen. Browsers with scroll anchoring keep the reader's place
 * themselves (then nothing has moved here); the others are scrolled by what it moved. */
function keepingTheReadersPlace(draw, doc = document, win = window) {
  const place = readersPlace(doc, win);
  const top = place && place.getBoundingClientRect().top;
  try {
    draw();
  } finally {
    const moved = place && place.isConnected ? place.getBoundingClientRect().top - top : 0;
    if (Math.abs(moved) >= 1) win.scrollBy(0, moved);
  }
}

/** Mount every explorer of the page (its scripts come once the page has loaded), then its
 * practice, which may listen to them, keeping the reader's place. */
function mountAll() {
  keepingTheReadersPlace(mountEvery);
}

function mountEvery() {
  for (const root of document.querySelectorAll(".nnmath-explorer[data-explorer]")) mount(root);
  for (const root of document.querySelectorAll(".nnmath-practice[data-chapter]")) {
    if (root.dataset.ready) continue;
    try {
      const script = root.querySelector("script.nnmath-practice-spec");
      mountPractice(root, JSON.parse(script.textContent), PRACTICE_ENV);
    } catch (error) {
      root.dataset.error = String((error && error.message) || error);
      throw error;
    } finally {
      root.dataset.ready = "true";
    }
  }
}

window.nnmathExplorers = {
  mountAll,
  /** The page's state for `values`, computed at once (training runs to the step asked). */
  compute(view, config, values) {
    return computer(VIEWS[view], config, window.nnmath, () => {}, null).compute(values).state;
  },
};
