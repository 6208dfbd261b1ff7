/* One explorer in a page or a notebook: its controls, its figure and its readout, drawn by
 * its view from a `state`, wherever that state was computed.
 *
 * A view is {build(kit, config, controls), draw(state) -> readout}: build draws what never
 * changes and makes the artists that move; draw sets them from a state (the numbers the
 * explorer shows, as nnmath computes them) and returns one sentence for the live region.
 *
 * After every draw the root element carries the state as JSON in `data-state` and fires
 * an `nnmath-explorer-state` event (bubbling, the state in `detail`): the hook the tests,
 * and anything on the page that reacts to an explorer, read. `data-busy` is "true" while
 * the state shown is not yet the one asked for (the capstone still training). On the page,
 * `data-values` holds the control values the state was computed for.
 */
import * as kit from "./kit.js";
import { Controls } from "./controls.js";

export const STATE_EVENT = "nnmath-explorer-state";

/**
 * Make the explorer of `spec` (nnmath.widgets.page.page_spec) inside `root`.
 * `request(values)` is called after a control moved, with every control's value; the
 * caller answers with draw(state) (at once on the page, when the kernel has computed it in
 * a notebook).
 */
export function createExplorer(root, spec, view, request) {
  const doc = root.ownerDocument;
  const id = kit.uid(`nnmath-${spec.name}-`);
  root.classList.add("nnmath-explorer");
  root.dataset.explorer = spec.name;
  const controls = new Controls(root, spec.controls, id, () => request({ ...controls.values }));
  const card = doc.createElement("div");
  card.className = "nnmath-explorer-card";
  root.append(card);
  const status = doc.createElement("p");
  status.className = "nnmath-explorer-readout";
  status.setAttribute("aria-live", "polite");
  root.append(status);
  // A figure of panels in the card, labelled for screen readers (the explorer's title,
  // unless the view splits it into parts); controlsHere puts controls between two parts.
  const figure = (columns, label = spec.title) => new kit.Figure(card, label, columns);
  const controlsHere = (names, label) => controls.group(names, card, label);
  view = Object.create(view); // each explorer keeps its own artists
  view.build({ ...kit, figure, controlsHere }, spec.config, controls);

  return {
    controls,
    view,
    /** Draw `state`; `busy`: more is coming for the values asked for. */
    draw(state, busy = false) {
      const readout = view.draw(state, controls);
      root.removeAttribute("data-error");
      status.removeAttribute("role");
      if (readout !== undefined && status.textContent !== readout) status.textContent = readout;
      root.dataset.state = JSON.stringify(state);
      root.dataset.busy = busy ? "true" : "false";
      root.dispatchEvent(new doc.defaultView.CustomEvent(STATE_EVENT, { bubbles: true, detail: state }));
    },
    /** Show an error (a bad value, a failed computation) in the live region. */
    fail(error) {
      const message = String((error && error.message) || error);
      status.textContent = message;
      status.setAttribute("role", "alert");
      root.dataset.error = message;
    },
  };
}
