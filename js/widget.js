/* The explorers in Jupyter: an anywidget view (nnmath.widgets.Explorer).
 *
 * The kernel sends the explorer's `spec` (its controls and what its drawing needs) and its
 * `state`, computed by nnmath in Python; a control moved here sets `values`, the kernel
 * computes the new state, and the same view as on the book's page draws it. One request
 * is in flight at a time: moves made meanwhile are merged into the next one.
 */
import { createExplorer } from "./explorer.js";
import { VIEWS } from "./views/index.js";

const PATIENCE_MS = 3000; // a reply that never comes (a kernel restarted) blocks no move

function render({ model, el }) {
  const spec = model.get("spec");
  const module = VIEWS[spec.view];
  const root = el.ownerDocument.createElement("div");
  // JupyterLab's and Notebook's shortcuts (arrow keys move between cells) stop here: the
  // arrow keys move the explorer's sliders and radio buttons, as on the page.
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  root.addEventListener("keydown", (event) => {
    if (/^(Arrow|Home$|End$|Page)/.test(event.key)) event.stopPropagation();
  });
  el.append(root);
  let inFlight = null;
  let queued = null;
  const send = (values) => {
    inFlight = setTimeout(() => {
      inFlight = null;
      if (queued) send(queued);
    }, PATIENCE_MS);
    queued = null;
    model.set("values", values);
    model.save_changes();
  };
  const explorer = createExplorer(root, spec, module.view, (values) => {
    root.dataset.asked = JSON.stringify(values);
    if (inFlight) queued = values;
    else send(values);
  });
  const show = () => {
    // data-values: the values the state drawn was computed for; data-asked: the last asked.
    root.dataset.values = JSON.stringify(model.get("values"));
    explorer.draw(model.get("state"));
  };
  explorer.controls.set(model.get("values"));
  root.dataset.asked = JSON.stringify(model.get("values"));
  show();
  root.dataset.ready = "true";
  const onState = () => {
    show();
    clearTimeout(inFlight);
    inFlight = null;
    if (queued) send(queued);
  };
  const onValues = () => {
    explorer.controls.set(model.get("values"));
    if (!inFlight) root.dataset.asked = JSON.stringify(model.get("values")); // set from Python
  };
  model.on("change:state", onState);
  model.on("change:values", onValues);
  return () => {
    model.off("change:state", onState);
    model.off("change:values", onValues);
  };
}

export default { render };
