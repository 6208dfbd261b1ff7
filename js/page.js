/* The explorers of the book's static page, computed in the browser with nnmath.js.
 *
 * Built by esbuild into a classic script (it runs from file:// as over http), loaded after
 * nnmath.js by the small loader _ext/page_explorers.py puts on a page with an explorer.
 * Each explorer is a <div class="nnmath-explorer" data-explorer="NAME"> holding the JSON
 * of nnmath.widgets.page.page_spec; here the same view as in Jupyter draws it, and the
 * state it draws is computed by nnmath.js (in a kernel, nnmath computes it).
 */
import { createExplorer } from "./explorer.js";
import { VIEWS } from "./views/index.js";

/** The page's computation for a view: {compute(values) -> {state, busy}}. */
function computer(view, config, nn, refresh, win) {
  if (view.createComputer) return view.createComputer(config, nn, refresh, win);
  return { compute: (values) => ({ state: view.compute(values, config, nn), busy: false }) };
}

function mount(root) {
  if (root.dataset.ready) return;
  const script = root.querySelector("script.nnmath-explorer-spec");
  const spec = JSON.parse(script.textContent);
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
  // Once the page is idle, redraw a few times with the same values (nothing changes on
  // screen): the browser compiles the update path then, not on the reader's first move.
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 200));
  idle(() => {
    for (let i = 0; i < 3; i++) refresh();
  });
}

/** Mount every explorer of the page (its scripts come once the page has loaded). */
function mountAll() {
  for (const root of document.querySelectorAll(".nnmath-explorer[data-explorer]")) mount(root);
}

window.nnmathExplorers = {
  mountAll,
  /** The page's state for `values`, computed at once (training runs to the step asked). */
  compute(view, config, values) {
    return computer(VIEWS[view], config, window.nnmath, () => {}, null).compute(values).state;
  },
};
