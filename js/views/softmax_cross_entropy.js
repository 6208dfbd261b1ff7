/* Softmax followed by cross-entropy: p, y and the gradient p - y for each class, with the
 * central differences of the loss marked on it; the loss along the true class's logit,
 * with its tangent. The state: nnmath.widgets.losses.SoftmaxCrossEntropyExplorer.compute
 * in a kernel, compute() below (with nnmath.js) on the page. */
import { PALETTE as C, fmt, fmtExp, linspace, readoutBox } from "../kit.js";

const SIZE = { w: 340, h: 330 };
const BOX = { x: 58, y: 34, w: 266, h: 240 };
/**
 * The loss panel is taller: under its x label, outside the plot, its legend and then the
 * readout (four lines). The curve crosses every corner of the plot for some logits (high
 * other logits lift its right end, low ones drop its left end), so nothing sits on it.
 */
const LOSS_SIZE = { w: 340, h: 434 };
/**
 * The bars' plotting area is taller, and its limits leave room for the value labels of
 * p - y (in [-1, 1]; 12 px, 0.12 past the bar's end): above 1, under the legend's four
 * rows; below -1, over the x axis and its tick labels, at any logits.
 */
const BAR_BOX = { x: 58, y: 34, w: 266, h: 260 };
const BAR_YLIM = [-1.5, 2.6];
/** A pixel row of the panel as a fraction of the plotting area's height (1 is its top). */
const row = (px) => 1 - (px - BOX.y) / BOX.h;

/** Central differences of f at z, step eps (as nnmath.numerical_gradient). */
function numericalGradient(f, z, eps) {
  return z.map((_, i) => {
    const up = z.slice();
    const down = z.slice();
    up[i] += eps;
    down[i] -= eps;
    return (f(up) - f(down)) / (2 * eps);
  });
}

export function compute(values, config, nn) {
  const z = [];
  for (let i = 0; i < config.classes; i++) z.push(values[`z${i + 1}`]);
  const c = values.true_class;
  const y = z.map((_, i) => (i === c ? 1 : 0));
  const grad = nn.softmaxCrossEntropyGrad(z, c);
  const numeric = numericalGradient((v) => nn.softmaxCrossEntropy(v, c), z, config.eps);
  let diff = 0;
  let scale = 0;
  grad.forEach((g, i) => {
    diff = Math.max(diff, Math.abs(g - numeric[i]));
    scale = Math.max(scale, Math.abs(g), Math.abs(numeric[i]));
  });
  const grid = linspace(config.logitRange[0], config.logitRange[1], config.points);
  return {
    z, target: c, p: nn.softmax(z), y, loss: nn.softmaxCrossEntropy(z, c), grad, numeric,
    maxDiff: diff, relativeError: scale > 0 ? diff / scale : 0,
    curve: grid.map((v) => {
      const moved = z.slice();
      moved[c] = v;
      return nn.softmaxCrossEntropy(moved, c);
    }),
  };
}

export const view = {
  build(kit, config) {
    const k = config.classes;
    const xs = [...Array(k).keys()];
    this.k = k;
    this.grid = linspace(config.logitRange[0], config.logitRange[1], config.points);
    const fig = kit.figure(2);
    const b = fig.panel(SIZE, BAR_BOX, {
      xlim: [-0.6, k - 0.4], ylim: BAR_YLIM, yticks: [-1, -0.5, 0, 0.5, 1], xticks: xs,
      xtickLabels: xs.map((i) => `class ${i + 1}`), gridX: false, ylabel: "value",
      title: "p, y and the gradient p \u2212 y",
    });
    b.hline(0, { color: C.black, width: 0.8 });
    const w = 0.26;
    this.width = w;
    this.bars = b;
    this.pBars = xs.map(() => b.bar({ color: C.blue, width: w * 0.95 }));
    this.yBars = xs.map(() => b.bar({ color: C.grey, width: w * 0.95 }));
    this.gBars = xs.map(() => b.bar({ color: C.vermillion, width: w * 0.95 }));
    this.gLabels = xs.map(() => b.text(0, 0, { anchor: "middle", size: 12 }));
    this.crosses = xs.map(() => kit.el("path", { stroke: C.black, "stroke-width": 1.8, fill: "none" }, b.front));
    b.legend([
      { label: "p = softmax(z)", color: C.blue, kind: "bar" },
      { label: "y (one-hot)", color: C.grey, kind: "bar" },
      { label: "p \u2212 y = \u2202\u2113/\u2202z", color: C.vermillion, kind: "bar" },
      { label: "central differences", color: C.black, kind: "cross" },
    ], { x: 0.01, y: 0.99, columnWidth: 160 });

    const l = fig.panel(LOSS_SIZE, BOX, {
      xlim: config.logitRange, ylim: config.lossLim, xlabel: "the logit of the true class",
      ylabel: "loss \u2113 = \u2212log p of the true class", title: "the loss along the true logit",
    });
    this.curve = l.line({ color: C.blue, width: 2.2 });
    this.tangent = l.line({ color: C.vermillion, width: 1.5, dash: "5 3" });
    this.point = l.marker({ color: C.vermillion });
    // The x label's baseline is 36 px under the plot: the legend's two rows from 44 px, the
    // readout's box (its left edge on the plot's) from 84 px.
    l.legend([
      { label: "\u2113 as that logit moves", color: C.blue, width: 2.2 },
      { label: "tangent, slope p \u2212 1", color: C.vermillion, width: 1.5, dash: "5 3" },
    ], { x: 0, y: row(BOX.y + BOX.h + 44), columnWidth: 170 });
    const readoutTop = BOX.y + BOX.h + 84 + readoutBox(0).above; // where its text hangs from
    this.readout = l.text(5 / BOX.w, row(readoutTop), { axes: true, baseline: "top", box: true });
  },

  draw(state) {
    const { z, target: c, p, y, grad, numeric, loss } = state;
    const w = this.width;
    for (let i = 0; i < this.k; i++) {
      this.pBars[i].set(i - w, p[i]);
      this.yBars[i].set(i, y[i]);
      this.gBars[i].set(i + w, grad[i]);
      const up = grad[i] >= 0; // above a bar the label sits on it; below, it hangs from it
      this.gLabels[i].align(up ? "bottom" : "top");
      this.gLabels[i].move(i + w, grad[i] + (up ? 0.12 : -0.12));
      this.gLabels[i].set(fmt(grad[i], 3));
      const cx = this.bars.sx(i + w);
      const cy = this.bars.sy(numeric[i]);
      this.crosses[i].setAttribute("d", `M${cx - 4} ${cy - 4}l8 8m0 -8l-8 8`);
    }
    this.curve.set(this.grid, state.curve);
    const slope = grad[c];
    this.point.set(z[c], loss);
    this.tangent.set([z[c] - 2, z[c] + 2], [loss - 2 * slope, loss + 2 * slope]);
    this.readout.set([
      `class ${c + 1}: \u2113 = ${fmt(loss, 3)}`,
      "p \u2212 y vs central diff.:",
      `max |\u0394| = ${fmtExp(state.maxDiff, 1)}`,
      `relative = ${fmtExp(state.relativeError, 1)}`,
    ]);
    return `Class ${c + 1} is true: loss ${fmt(loss, 3)}, gradient p \u2212 y = (` +
      grad.map((v) => fmt(v, 3)).join(", ") + ").";
  },
};
