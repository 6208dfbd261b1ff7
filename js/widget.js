/* The explorers in Jupyter: an anywidget view (nnmath.widgets.Explorer).
 *
 * The kernel sends the explorer's `spec` (its controls and what its drawing needs) and its
 * `state`, computed by nnmath in Python; a control moved here sets `values`, the kernel
 * computes the new state, and the same view as on the book's page draws it. One request
 * is in flight at a time: moves made meanwhile are merged into the next one.
 */
import { createExplorer } from "./explorer.js";
import { RESET_EVENT, mountPractice } from "./practice.js";
import { VIEWS } from "./views/index.js";

const PATIENCE_MS = 3000; // a reply that never comes (a kernel restarted) blocks no move

/** A root element where JupyterLab's and Notebook's shortcuts (arrow keys move between
 * cells, space scrolls) stop: the keys move the controls inside, as on the page. */
function keyboardRoot(el, keys) {
  const root = el.ownerDocument.createElement("div");
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  root.addEventListener("keydown", (event) => {
    if (keys.test(event.key)) event.stopPropagation();
  });
  el.append(root);
  return root;
}

const EXPLORER_KEYS = /^(Arrow|Home$|End$|Page)/;

function render(args) {
  return args.model.get("spec").chapter !== undefined ? renderPractice(args) : renderExplorer(args);
}

function renderExplorer({ model, el }) {
  const spec = model.get("spec");
  const module = VIEWS[spec.view];
  const root = keyboardRoot(el, EXPLORER_KEYS);
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
  // Back to the values the explorer was made with (a challenge's "Start over").
  const start = Object.fromEntries(spec.controls.map((c) => [c.name, c.value]));
  root.addEventListener(RESET_EVENT, () => {
    explorer.controls.set(start);
    root.dataset.asked = JSON.stringify(start);
    if (inFlight) queued = start;
    else send(start);
  });
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

/* Practice in Jupyter (nnmath.practice.Practice): the same checks as on the page, graded
 * here. A predict's explorer is computed by nnmath in the kernel: its values go to the
 * `values` trait (by check id), its state comes back in `state`. */
function renderPractice({ model, el }) {
  const root = keyboardRoot(el, /^(?!Escape$)/); // every key but Escape (back to the notebook)
  const explorers = {};
  const env = {
    mountExplorer(host, spec, id) {
      const ask = (values) => {
        host.dataset.asked = JSON.stringify(values);
        model.set("values", { ...model.get("values"), [id]: values });
        model.save_changes();
      };
      explorers[id] = { host, explorer: createExplorer(host, spec, VIEWS[spec.view].view, ask) };
      ask({ ...explorers[id].explorer.controls.values });
    },
    scope: (node) => node.closest(".jp-Notebook") || node.ownerDocument,
    // A section label of the notebook: JupyterLab shows MyST's "(label)=" line as a
    // paragraph just above its heading.
    resolveSee(label) {
      const scope = root.closest(".jp-Notebook") || root.ownerDocument;
      for (const line of scope.querySelectorAll(".jp-RenderedMarkdown p")) {
        const heading = line.nextElementSibling;
        if (line.textContent.trim() !== `(${label})=` || !heading || !/^H[1-6]$/.test(heading.tagName)) continue;
        const title = Array.from(heading.childNodes)
          .filter((n) => !(n.classList && n.classList.contains("jp-InternalAnchorLink")))
          .map((n) => n.textContent)
          .join("")
          .trim();
        // JupyterLab names a heading by data-jupyter-id; the link scrolls to it itself.
        const id = heading.id || heading.dataset.jupyterId || "";
        return { title, href: `#${id}`, target: heading };
      }
      return null;
    },
  };
  const onState = () => {
    const states = model.get("state");
    const values = model.get("values");
    for (const [id, { host, explorer }] of Object.entries(explorers)) {
      if (!states[id]) continue;
      host.dataset.values = JSON.stringify(values[id]);
      explorer.draw(states[id]);
    }
  };
  mountPractice(root, model.get("spec"), env);
  root.dataset.ready = "true";
  model.on("change:state", onState);
  return () => model.off("change:state", onState);
}

export default { render };
