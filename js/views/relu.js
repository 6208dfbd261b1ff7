/* ReLU and Leaky ReLU with their derivatives: a point x, its value, slope and tangent.
 * The state: nnmath.widgets.activations.ReluExplorer.compute in a kernel, compute() below
 * (with nnmath.js) on the page. */
import { PALETTE as C, fmt, linspace, signed } from "../kit.js";

const SIZE = { w: 340, h: 320 };
const BOX = { x: 58, y: 34, w: 266, h: 230 };

export function compute(values, config, nn) {
  const { alpha, x } = values;
  const grid = linspace(config.xlim[0], config.xlim[1], config.points);
  return {
    alpha, x,
    f: nn.leakyRelu(x, alpha) + 0, // + 0 turns -0 into 0
    df: nn.leakyReluGrad(x, alpha),
    curves: {
      relu: grid.map((v) => nn.relu(v)),
      reluGrad: grid.map((v) => nn.reluGrad(v)),
      leaky: grid.map((v) => nn.leakyRelu(v, alpha)),
      leakyGrad: grid.map((v) => nn.leakyReluGrad(v, alpha)),
    },
    atKink: { relu: nn.reluGrad(0), leaky: nn.leakyReluGrad(0, alpha) },
  };
}

/** The pieces of a curve on either side of 0, 0 itself left out (the derivative jumps there). */
function sides(grid, ys) {
  const left = [[], []];
  const right = [[], []];
  grid.forEach((x, i) => {
    if (x < 0) left[0].push(x), left[1].push(ys[i]);
    else if (x > 0) right[0].push(x), right[1].push(ys[i]);
  });
  return [left, right];
}

export const view = {
  build(kit, config) {
    const fig = kit.figure(2);
    this.grid = linspace(config.xlim[0], config.xlim[1], config.points);
    const f = fig.panel(SIZE, BOX, {
      xlim: config.xlim, ylim: config.flim, xlabel: "x", ylabel: "f(x)",
      title: "Leaky ReLU f(x) = max(x, \u03B1x)", yticks: [-1, 0, 1, 2, 3],
    });
    const d = fig.panel(SIZE, BOX, {
      xlim: config.xlim, ylim: config.dlim, xlabel: "x", ylabel: "f\u2032(x)",
      title: "its derivative f\u2032(x)", yticks: [0, 0.25, 0.5, 0.75, 1],
    });
    f.vline(0, { color: C.black, width: 0.6, opacity: 0.4 });
    d.vline(0, { color: C.black, width: 0.6, opacity: 0.4 });
    f.text(-2.85, 1.05, { baseline: "middle", still: true }).set(["kink at 0:", "no derivative"]);
    kit.el("path", {
      d: `M${f.sx(-1.75)} ${f.sy(0.78)}L${f.sx(0) - 3} ${f.sy(0) - 3}`,
      stroke: C.black, "stroke-width": 0.8, fill: "none",
    }, f.frame);
    const grey = { color: C.grey, width: 1.5, dash: "5 3" };
    this.relu = f.line(grey, true);
    this.reluSides = [d.line(grey, true), d.line(grey, true)];
    this.leaky = f.line({ color: C.blue, width: 2.2 });
    this.tangent = f.line({ color: C.vermillion, width: 1.4 });
    this.point = f.marker({ color: C.vermillion });
    this.leakySides = [d.line({ color: C.blue, width: 2.2 }), d.line({ color: C.blue, width: 2.2 })];
    // The point before the convention's dots at x = 0, which stay visible on top of it.
    this.dPoint = d.marker({ color: C.vermillion });
    this.reluZero = d.marker({ color: C.grey, size: 3.5 });
    this.leakyZero = d.marker({ color: C.blue, size: 3.5 });
    this.readout = f.text(0.03, 0.97, { axes: true, baseline: "top", box: true });
    f.legend([
      { label: "ReLU", color: C.grey, dash: "5 3", width: 1.5 },
      { label: "Leaky ReLU", color: C.blue, width: 2.2 },
      { label: "tangent at x", color: C.vermillion, width: 1.4 },
    ], { x: 1.0, y: 0.03, anchor: "end", from: "bottom", columnWidth: 120 });
    // Its four rows (68 px) between the derivatives' 1 (x > 0) and the leak's highest α,
    // 0.5 (x < 0), 85 px lower: at y = 0.6 they lay on the leak's line and its dot at 0. On
    // a box, so that the line x = 0 behind it does not run through its words.
    d.legend([
      { label: "ReLU\u2032", color: C.grey, dash: "5 3", width: 1.5 },
      { label: "ReLU\u2032(0) := 0", color: C.grey, kind: "dot" },
      { label: "Leaky ReLU\u2032", color: C.blue, width: 2.2 },
      { label: "Leaky ReLU\u2032(0) := \u03B1", color: C.blue, kind: "dot" },
    ], { x: 0.98, y: 1 - (d.sy(1) + 8 - BOX.y) / BOX.h, anchor: "end", columnWidth: 170, boxed: true });
  },

  draw(state) {
    const { x, f, df, curves } = state;
    if (this.curvesOf !== state.alpha) { // the curves depend on alpha only
      this.curvesOf = state.alpha;
      this.relu.set(this.grid, curves.relu);
      this.leaky.set(this.grid, curves.leaky);
      sides(this.grid, curves.reluGrad).forEach((side, i) => this.reluSides[i].set(...side));
      sides(this.grid, curves.leakyGrad).forEach((side, i) => this.leakySides[i].set(...side));
      this.reluZero.set(0, state.atKink.relu);
      this.leakyZero.set(0, state.atKink.leaky);
    }
    this.point.set(x, f);
    this.dPoint.set(x, df);
    this.tangent.set([x - 1.2, x + 1.2], [f - 1.2 * df, f + 1.2 * df]);
    const lines = [`x = ${signed(x, 2)}`, `f(x) = ${signed(f, 3)}`, `f\u2032(x) = ${fmt(df, 2)}`];
    if (x === 0) lines.push("(at 0: a convention)"); // short: the box stays clear of the line
    this.readout.set(lines);
    return `At x = ${fmt(x, 2)}: f(x) = ${fmt(f, 3)}, f\u2032(x) = ${fmt(df, 2)}` +
      (x === 0 ? " (at the kink, by convention)." : ".");
  },
};
