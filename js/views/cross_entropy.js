/* Binary cross-entropy and its derivative against p (top); a batch's categorical losses,
 * their mean and sum, and the gradient that the mean divides by N (bottom). The state:
 * nnmath.widgets.losses.CrossEntropyExplorer.compute in a kernel, compute() below (with
 * nnmath.js) on the page.
 *
 * Two kinds of label meet here, and the figure keeps them apart: the binary label y is 0
 * or 1 (is the sample in the positive class?); the batch's classes are numbered 1 to K. */
import { PALETTE as C, fmt, linspace } from "../kit.js";

const SIZE = { w: 340, h: 310 };
const BOX = { x: 58, y: 34, w: 266, h: 210 };
/** Decimals of the batch's losses: the bars' labels (two fit over a bar), and so the
 * readout's "L = mean = ..." and the sentence read out, which give the same numbers. */
const BATCH_DIGITS = 2;

export function compute(values, config, nn) {
  const { y, p, reduction } = values;
  const grid = linspace(config.pEps, 1 - config.pEps, config.points);
  const curves = {};
  for (const label of [0, 1]) {
    curves[`loss${label}`] = grid.map((q) => nn.binaryCrossEntropy(q, label));
    curves[`grad${label}`] = grid.map((q) => nn.binaryCrossEntropyGrad(q, label));
  }
  const labels = [values.true_class, ...config.otherLabels];
  const n = labels.length;
  const losses = [];
  const sumGrad = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    losses.push(nn.crossEntropy(config.batch[i], labels[i]));
    sum += losses[i];
    sumGrad.push(nn.crossEntropyGrad(config.batch[i], labels[i])[labels[i]]);
  }
  const mean = sum / n;
  return {
    y, p, true_class: values.true_class, reduction,
    loss: nn.binaryCrossEntropy(p, y),
    dloss: nn.binaryCrossEntropyGrad(p, y),
    curves,
    losses, mean, sum,
    batchLoss: reduction === "mean" ? mean : sum,
    atTrue: labels.map((label, i) => config.batch[i][label]),
    sumGrad,
    grad: sumGrad.map((g) => (reduction === "mean" ? g / n : g)),
  };
}

export const view = {
  build(kit, config) {
    this.config = config;
    this.colours = { 1: C.blue, 0: C.vermillion };
    this.grid = linspace(config.pEps, 1 - config.pEps, config.points);
    const n = config.batch.length;
    const classes = config.batch[0].length;
    const what = "p = predicted probability that y = 1";
    const fig = kit.figure(2, config.figures[0]);
    const l = fig.panel(SIZE, BOX, {
      xlim: [0, 1], ylim: config.lossLim, xlabel: what, ylabel: "loss \u2113",
      title: "binary cross-entropy, y \u2208 {0, 1}",
    });
    const d = fig.panel(SIZE, BOX, {
      xlim: [0, 1], ylim: config.gradLim, xlabel: what, ylabel: "d\u2113/dp",
      title: "its derivative (p \u2212 y) / (p(1 \u2212 p))",
    });
    d.hline(0, { color: C.black, width: 0.6, opacity: 0.4 });
    // Both labels, faint; the chosen one drawn bold on top.
    this.faint = [0, 1].map((y) => [
      l.line({ color: this.colours[y], width: 1.2, opacity: 0.45 }, true),
      d.line({ color: this.colours[y], width: 1.2, opacity: 0.45 }, true),
    ]);
    this.lossLine = l.line({ width: 2.4 });
    this.tangent = l.line({ color: C.black, width: 1.2, dash: "5 3" });
    this.point = l.marker({ color: C.black });
    this.gradLine = d.line({ width: 2.4 });
    this.gradPoint = d.marker({ color: C.black });
    this.lossText = l.text(0.5, 0.97, { axes: true, anchor: "middle", baseline: "top", mono: true });
    this.gradText = d.text(0.97, 0.04, { axes: true, anchor: "end", mono: true });
    d.legend([
      // The curves of this panel: the derivatives of \u2212log p and \u2212log(1 \u2212 p).
      { label: "y = 1: \u22121/p", color: C.blue, width: 2.4 },
      { label: "y = 0: 1/(1 \u2212 p)", color: C.vermillion, width: 2.4 },
    ], { x: 0.02, y: 0.98, columnWidth: 190 });

    // The batch: its controls under the binary panels, then its panels: per-sample
    // losses, then the mean and the sum; the gradient at the true class.
    kit.controlsHere(["true_class", "reduction"], `the batch of ${n} samples`);
    const batch = kit.figure(2, config.figures[1]);
    this.n = n;
    const slots = [];
    for (let i = 0; i < n + 2; i++) slots.push(i < n ? i : i + 0.4);
    this.slots = slots;
    const b = batch.panel(SIZE, BOX, {
      xlim: [slots[0] - 0.6, slots[n + 1] + 0.6], ylim: [0, 4.6], yticks: [0, 1, 2, 3, 4],
      xticks: slots, xtickLabels: ["1", "2", "3", "4", "mean", "sum"], gridX: false,
      xlabel: "sample n, then the reductions", ylabel: "loss",
      title: `per-sample loss \u2113\u2099: ${n} samples, ${classes} classes`,
    });
    const colors = Array(n).fill(C.sky).concat([C.orange, C.green]);
    this.lossBars = colors.map((c) => b.bar({ color: c, width: 0.7 }));
    this.lossLabels = slots.map((x) => b.text(x, 0, { anchor: "middle", size: 12 }));
    // Six lines of at most 25 characters: left of the sum's bar and its label, above the
    // others (the tallest sample's loss is -log 0.2 = 1.61). The first two give sample 1's
    // probabilities, which the class of sample 1 picks from.
    this.batchText = b.text(0.02, 0.97, { axes: true, baseline: "top", mono: true });
    this.sample1 = config.batch[0].map((v) => v.toFixed(2)).join(", "); // fixed: written once
    const xs = [...Array(n).keys()];
    const g = batch.panel(SIZE, BOX, {
      xlim: [-0.6, n - 0.4], ylim: [-6.2, 0], yticks: [-6, -4, -2, 0], xticks: xs,
      xtickLabels: xs.map((i) => `sample ${i + 1}`), gridX: false, ylabel: "\u2202L/\u2202p of the true class",
      title: "gradient at the true class",
    });
    g.hline(0, { color: C.black, width: 0.8 });
    // The dashed boxes are wider than a value label (\u22120.83 at 12 px is 37 px, a box 54 px),
    // so that their sides pass clear of the label hanging inside them.
    this.outlines = xs.map(() => g.bar({ fill: false, edge: C.grey, edgeWidth: 1, dash: "4 2", width: 0.86 }));
    this.gradBars = xs.map(() => g.bar({ color: C.purple, width: 0.5 }));
    this.gradLabels = xs.map((x) => g.text(x, 0, { anchor: "middle", baseline: "top", size: 12 }));
    // Bottom right, under samples 2 to 4 (their boxes end above \u22122.5, at p = 0.4): sample 1's
    // box reaches \u22125 (p = 0.2), so the note and the legend stay right of it.
    this.noteText = g.text(0.98, 0.3, { axes: true, anchor: "end", mono: true });
    g.legend([
      { label: "sum: \u22121/p", color: C.grey, kind: "outline" },
      { label: "chosen reduction", color: C.purple, kind: "bar" },
    ], { x: 0.98, y: 0.03, anchor: "end", from: "bottom", columnWidth: 140 });
  },

  draw(state) {
    const { y, p, loss, dloss, reduction, curves } = state;
    const n = this.n;
    if (!this.drawnFaint) {
      this.drawnFaint = true;
      for (const label of [0, 1]) {
        this.faint[label][0].set(this.grid, curves[`loss${label}`]);
        this.faint[label][1].set(this.grid, curves[`grad${label}`]);
      }
    }
    if (y !== this.curvesFor) { // the bold curves depend on y only
      this.curvesFor = y;
      this.lossLine.set(this.grid, curves[`loss${y}`]);
      this.lossLine.color(this.colours[y]);
      this.gradLine.set(this.grid, curves[`grad${y}`]);
      this.gradLine.color(this.colours[y]);
    }
    this.point.set(p, loss);
    this.gradPoint.set(p, dloss);
    this.tangent.set([p - 0.2, p + 0.2], [loss - 0.2 * dloss, loss + 0.2 * dloss]);
    const what = y === 1 ? "\u2212log p" : "\u2212log(1 \u2212 p)";
    this.lossText.set([`y = ${y}, p = ${p.toFixed(2)}`, `\u2113 = ${what} = ${fmt(loss, 3)}`]);
    this.gradText.set(`d\u2113/dp = ${fmt(dloss, 3)}`);

    const heights = state.losses.concat([state.mean, state.sum]);
    heights.forEach((h, i) => {
      const chosen = i < n || (i === n && reduction === "mean") || (i === n + 1 && reduction === "sum");
      this.lossBars[i].set(this.slots[i], h);
      this.lossBars[i].opacity(chosen ? 1 : 0.35);
      this.lossLabels[i].move(this.slots[i], h + 0.04);
      this.lossLabels[i].set(fmt(h, BATCH_DIGITS));
    });
    this.batchText.set([
      "p of sample 1, by class:",
      this.sample1,
      "p at the true class:",
      state.atTrue.map((v) => v.toFixed(2)).join(", "),
      `L = ${reduction} = ${fmt(state.batchLoss, BATCH_DIGITS)}`,
      `mean = sum / N = ${fmt(state.sum, BATCH_DIGITS)} / ${n}`,
    ]);
    for (let i = 0; i < n; i++) {
      this.outlines[i].set(i, state.sumGrad[i]);
      this.gradBars[i].set(i, state.grad[i]);
      this.gradLabels[i].move(i, state.grad[i] - 0.08);
      this.gradLabels[i].set(fmt(state.grad[i], 2));
    }
    this.noteText.set(reduction === "mean"
      ? ["mean: each \u22121/p", `divided by N = ${n}`]
      : ["sum: each \u22121/p", "as it is"]);
    return `Binary loss ${fmt(loss, 3)}, d\u2113/dp ${fmt(dloss, 3)}; batch loss (${reduction}, sample 1 ` +
      `in class ${state.true_class + 1}) ${fmt(state.batchLoss, BATCH_DIGITS)}.`;
  },
};
