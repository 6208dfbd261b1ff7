/* Any elementwise formula of nnmath's registry: the function with a point x and its
 * tangent, and its derivative with a gap at each kink (the value there a dot). The state:
 * nnmath.widgets.activations.ActivationExplorer.compute in a kernel, compute() below (with
 * nnmath.js, the functions named in the config, e.g. "gelu" and "geluGrad") on the page. */
import { PALETTE as C, fmt, linspace, readoutBox, signed } from "../kit.js";

const SIZE = { w: 340, h: 320 };
const BOX = { x: 58, y: 34, w: 266, h: 230 };

function functions(config, nn) {
  const f = nn[config.function];
  const df = nn[config.derivative];
  if (typeof f !== "function" || typeof df !== "function") {
    throw new Error(`nnmath.js has no ${config.function} or ${config.derivative}`);
  }
  return [f, df];
}

export function compute(values, config, nn) {
  const [f, df] = functions(config, nn);
  const x = values.x;
  const grid = linspace(config.xlim[0], config.xlim[1], config.points);
  return {
    x,
    f: f(x) + 0, // + 0 turns -0 into 0
    df: df(x),
    curves: { f: grid.map((v) => f(v)), df: grid.map((v) => df(v)) },
    atKinks: config.kinks.map((k) => df(k)),
  };
}

/** The pieces of the grid between the kinks, the kinks themselves left out. */
function pieces(grid, ys, kinks) {
  const edges = [-Infinity, ...[...kinks].sort((a, b) => a - b), Infinity];
  const out = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const xs = [];
    const vs = [];
    grid.forEach((x, j) => {
      if (x > edges[i] && x < edges[i + 1]) xs.push(x), vs.push(ys[j]);
    });
    if (xs.length) out.push([xs, vs]);
  }
  return out;
}

export const view = {
  build(kit, config) {
    const name = config.label;
    this.config = config;
    this.grid = linspace(config.xlim[0], config.xlim[1], config.points);
    const fig = kit.figure(2);
    const left = fig.panel(SIZE, BOX, {
      xlim: config.xlim, ylim: config.flim, xlabel: "x", ylabel: `${name}(x)`, title: `${name}(x)`,
    });
    const right = fig.panel(SIZE, BOX, {
      xlim: config.xlim, ylim: config.dlim, xlabel: "x", ylabel: `${name}\u2032(x)`, title: "its derivative",
    });
    left.vline(0, { color: C.black, width: 0.6, opacity: 0.4 });
    right.vline(0, { color: C.black, width: 0.6, opacity: 0.4 });
    this.curve = left.line({ color: C.blue, width: 2.2 }, true);
    this.pieces = config.kinks.concat([0]).map(() => right.line({ color: C.blue, width: 2.2 }, true));
    this.kinkDots = config.kinks.map(() => right.marker({ color: C.blue, size: 3.5, still: true }));
    this.tangent = left.line({ color: C.vermillion, width: 1.4 });
    this.point = left.marker({ color: C.vermillion });
    this.dPoint = right.marker({ color: C.vermillion });
    this.readout = left.text(0.03, 0.97, { axes: true, baseline: "top", box: true });
    // The legend under the readout, in the top left, which an activation's curve leaves
    // empty (it rises from left to right); in the bottom right it lay on the curve and the
    // tangent near x = 0. The readout has 3 lines, 4 where a kink adds one.
    const box = readoutBox(config.kinks.length ? 4 : 3);
    const readoutBottom = 0.03 * BOX.h - box.above + box.height;
    left.legend([
      { label: name, color: C.blue, width: 2.2 },
      { label: "tangent at x", color: C.vermillion, width: 1.4 },
    ], { x: 0.03 - 5 / BOX.w, y: 1 - (readoutBottom + 6) / BOX.h, columnWidth: 120 });
    right.legend([{ label: `${name}\u2032`, color: C.blue, width: 2.2 }],
      { x: 0.98, y: 0.03, anchor: "end", from: "bottom", columnWidth: 100 });
  },

  draw(state) {
    const { x, f, df } = state;
    if (!this.drawnCurves) { // the curves depend on no control
      this.drawnCurves = true;
      this.curve.set(this.grid, state.curves.f);
      pieces(this.grid, state.curves.df, this.config.kinks).forEach((p, i) => this.pieces[i].set(...p));
      this.config.kinks.forEach((k, i) => this.kinkDots[i].set(k, state.atKinks[i]));
    }
    this.point.set(x, f);
    this.dPoint.set(x, df);
    this.tangent.set([x - 1.2, x + 1.2], [f - 1.2 * df, f + 1.2 * df]);
    const kink = this.config.kinks.includes(x);
    const lines = [`x = ${signed(x, 2)}`, `f(x) = ${signed(f, 3)}`, `f\u2032(x) = ${fmt(df, 3)}`];
    if (kink) lines.push("(at a kink: a convention)");
    this.readout.set(lines);
    return `At x = ${fmt(x, 2)}: f(x) = ${fmt(f, 3)}, f\u2032(x) = ${fmt(df, 3)}` +
      (kink ? " (at a kink, by convention)." : ".");
  },
};
