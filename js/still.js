/* The still picture of an explorer, for a reader without JavaScript: the one view, run in
 * Node at build time in linkedom's DOM, drawing a state computed by nnmath, serialized as
 * one SVG (the panels laid out as on a wide page, the figure's styles inside).
 *
 * Reads [{spec, state}, ...] as JSON on stdin, writes [svg, ...] as JSON on stdout; the
 * stylesheet to embed is the first argument. Used by _ext/page_explorers.py. */
import { readFileSync } from "node:fs";
import { parseHTML } from "linkedom";
import * as kit from "./kit.js";
import { VIEWS } from "./views/index.js";

/** The rules of the stylesheet that style the figure (not the controls). */
function figureRules(css) {
  return (css.match(/[^{}]+\{[^{}]*\}/g) || [])
    .filter((rule) => /nnmath-explorer-figure|\.nx-/.test(rule.split("{")[0]) && !/nx-layer|nx-raster|nx-panel/.test(rule))
    .map((rule) => rule.trim().replace(/\s+/g, " "))
    .join("\n");
}

function render(spec, state, style) {
  const { document } = parseHTML("<!doctype html><html><body><div id=host></div></body></html>");
  const host = document.getElementById("host");
  // A view may draw its panels as several figures (with its controls between them on
  // the page): the picture has their rows one under the other, and no controls.
  const figures = [];
  const figureOf = (columns) => figures[figures.push(new kit.Figure(host, spec.title, columns)) - 1];
  const view = Object.create(VIEWS[spec.view].view);
  view.build({ ...kit, figure: figureOf, controlsHere: () => {} }, spec.config, null);
  view.draw(state);
  const rows = [];
  for (const figure of figures) {
    figure.panels.forEach((panel, i) => {
      if (i % figure.columns === 0) rows.push([]);
      rows[rows.length - 1].push(panel);
    });
  }
  let height = 0;
  let width = 0;
  const parts = [];
  for (const row of rows) {
    let x = 0;
    for (const panel of row) {
      for (const layer of panel.holder.querySelectorAll("svg")) {
        if (layer.parentNode !== panel.holder) continue;
        layer.removeAttribute("aria-hidden");
        kit.setAttrs(layer, { x, y: height, width: panel.size.w, height: panel.size.h });
        parts.push(layer.outerHTML);
      }
      x += panel.size.w;
    }
    width = Math.max(width, x);
    height += Math.max(...row.map((p) => p.size.h));
  }
  return `<svg xmlns="${kit.SVG_NS}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `class="nnmath-explorer-figure"><style>${style}</style>${parts.join("")}</svg>`;
}

const style = figureRules(readFileSync(process.argv[2], "utf8"));
const items = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(items.map(({ spec, state }) => render(spec, state, style))));
