/* Softmax of K logits at a temperature T: p = softmax(z / T) as bars, and its Jacobian
 * diag(p) - p p^T as a heatmap. The state: nnmath.widgets.softmax.SoftmaxExplorer.compute
 * in a kernel, compute() below (with nnmath.js) on the page. */
import { DIVERGING } from "../generated/constants.json";
import { PALETTE as C, colormap, fmt } from "../kit.js";

const SIZE = { w: 340, h: 330 };
/**
 * Decimals of the heatmap's numbers: three while the widest, "\u22120.000" (41 px at the
 * cells' 11 px), leaves a clear gap in its cell (K = 3 and 4: cells of 70 and 52 px), two
 * in the 42 px cells of K = 5, where three ran into one another.
 */
const cellDigits = (k) => (k >= 5 ? 2 : 3);

export function compute(values, config, nn) {
  const K = values.classes;
  const T = values.temperature;
  const z = [];
  for (let i = 0; i < K; i++) z.push(values[`z${i + 1}`]);
  return { K, T, z, p: nn.softmax(z, T), jacobian: nn.softmaxJacobian(z.map((v) => v / T)) };
}

export const view = {
  build(kit, config, controls) {
    const n = config.maxClasses;
    this.config = config;
    this.controls = controls;
    this.diverging = colormap(DIVERGING);
    this.shown = null;
    const fig = kit.figure(2);
    const p = fig.panel(SIZE, { x: 58, y: 34, w: 266, h: 240 }, {
      xlim: [-0.6, n - 0.4], ylim: [0, 1.45], yticks: [0, 0.25, 0.5, 0.75, 1], xticks: [],
      xlabel: "class i", ylabel: "probability p\u1D62", title: "p = softmax(z / T)", gridX: false,
    });
    this.ax = p;
    this.uniform = p.line({ color: C.grey, width: 1.2, dash: "5 3" });
    this.bars = [];
    this.labels = [];
    this.ticks = [];
    for (let i = 0; i < n; i++) {
      this.bars.push(p.bar({ color: C.blue, width: 0.62 }));
      this.labels.push(p.text(i, 0, { anchor: "middle", size: 12 }));
      const tick = kit.el("text", { y: 34 + 240 + 16, "text-anchor": "middle", class: "nx-tick" }, p.front);
      tick.textContent = String(i + 1);
      this.ticks.push(tick);
    }
    this.readout = p.text(0.02, 0.985, { axes: true, baseline: "top", mono: true });
    // Above the tallest bar's label (p = 1) and below the readout's two lines.
    p.legend([{ label: "uniform 1/K", color: C.grey, dash: "5 3", width: 1.2 }],
      { x: 1.0, y: 0.85, anchor: "end", columnWidth: 115 });

    // The Jacobian: a K x K grid of cells in a square, with a colour bar over [-1/4, 1/4].
    const side = 210;
    this.jac = { x: 50, y: 40, side };
    const j = fig.panel(SIZE, { x: 50, y: 40, w: side, h: side }, {
      xlim: [0, 1], ylim: [0, 1], xticks: [], yticks: [], grid: false, spines: false,
      title: "Jacobian diag(p) \u2212 p p\u1D40 = \u2202p\u1D62/\u2202(z\u2C7C/T)",
      xlabel: "logit j", ylabel: "probability i", ylabelOffset: 30,
    });
    this.cells = [];
    this.cellText = [];
    this.rowTicks = [];
    this.colTicks = [];
    for (let r = 0; r < n; r++) {
      this.cells.push([]);
      this.cellText.push([]);
      for (let c = 0; c < n; c++) {
        this.cells[r].push(kit.el("rect", {}, j.data));
        this.cellText[r].push(kit.el("text", { "text-anchor": "middle", class: "nx-cell" }, j.front));
      }
      const rt = kit.el("text", { "text-anchor": "end", class: "nx-tick" }, j.front);
      rt.textContent = String(r + 1);
      this.rowTicks.push(rt);
      const ct = kit.el("text", { "text-anchor": "middle", class: "nx-tick" }, j.front);
      ct.textContent = String(r + 1);
      this.colTicks.push(ct);
    }
    const bar = { x: 272, y: 40, w: 14, h: side };
    const stops = 40;
    for (let s = 0; s < stops; s++) {
      kit.el("rect", {
        x: bar.x, y: bar.y + (s * bar.h) / stops, width: bar.w, height: bar.h / stops + 0.5,
        fill: this.diverging(1 - (s + 0.5) / stops),
      }, j.svg);
    }
    kit.el("rect", { x: bar.x, y: bar.y, width: bar.w, height: bar.h, class: "nx-colorbar" }, j.frame);
    const lim = config.jacLimit;
    for (const t of [-lim, -lim / 2, 0, lim / 2, lim]) {
      const y = bar.y + ((lim - t) / (2 * lim)) * bar.h;
      kit.el("line", { x1: bar.x + bar.w, x2: bar.x + bar.w + 4, y1: y, y2: y, class: "nx-spine" }, j.frame);
      const label = kit.el("text", { x: bar.x + bar.w + 7, y: y + 4, class: "nx-tick" }, j.frame);
      label.textContent = t === 0 ? "0" : fmt(t, 3);
    }
  },

  /** K bars and a K x K grid: move the ticks, show and hide (the layout changes with K). */
  showClasses(k) {
    if (k === this.shown) return;
    this.shown = k;
    const p = this.ax;
    p.xlim = [-0.6, k - 0.4];
    this.uniform.set([-0.6, k - 0.4], [1 / k, 1 / k]);
    const cell = this.jac.side / k;
    const show = (node, on) => node.setAttribute("visibility", on ? "visible" : "hidden");
    for (let i = 0; i < this.config.maxClasses; i++) {
      const on = i < k;
      this.bars[i].show(on);
      this.labels[i].show(on);
      this.ticks[i].setAttribute("x", p.sx(i));
      show(this.ticks[i], on);
      this.rowTicks[i].setAttribute("x", this.jac.x - 6);
      this.rowTicks[i].setAttribute("y", this.jac.y + (i + 0.5) * cell + 4);
      show(this.rowTicks[i], on);
      this.colTicks[i].setAttribute("x", this.jac.x + (i + 0.5) * cell);
      this.colTicks[i].setAttribute("y", this.jac.y + this.jac.side + 16);
      show(this.colTicks[i], on);
      for (let j = 0; j < this.config.maxClasses; j++) {
        const here = on && j < k;
        show(this.cells[i][j], here);
        show(this.cellText[i][j], here);
        if (here) {
          Object.entries({ x: this.jac.x + j * cell, y: this.jac.y + i * cell, width: cell + 0.3, height: cell + 0.3 })
            .forEach(([a, v]) => this.cells[i][j].setAttribute(a, v));
          this.cellText[i][j].setAttribute("x", this.jac.x + (j + 0.5) * cell);
          this.cellText[i][j].setAttribute("y", this.jac.y + (i + 0.5) * cell + 4);
        }
      }
      // The sliders of unused logits are hidden; they come after K, which stays put.
      if (this.controls) this.controls.hide(`z${i + 1}`, !on);
    }
  },

  draw(state) {
    const { K: k, T: t, z, p, jacobian: jac } = state;
    this.showClasses(k);
    const lim = this.config.jacLimit;
    const digits = cellDigits(k);
    for (let i = 0; i < k; i++) {
      this.bars[i].set(i, p[i]);
      this.labels[i].move(i, p[i] + 0.015);
      this.labels[i].set(p[i].toFixed(3));
      for (let j = 0; j < k; j++) {
        const v = jac[i][j];
        this.cells[i][j].setAttribute("fill", this.diverging((v + lim) / (2 * lim)));
        // An entry that rounds to zero keeps its sign and its decimals: "−0.000" for the
        // tiny negative off-diagonal entries (every one is -p_i p_j < 0), "0.000" for a tiny
        // positive diagonal one, as its neighbours read; "0" only for an entry that is 0.
        const text = fmt(v, digits);
        const zero = /^0\.0+$/.test(text);
        this.cellText[i][j].textContent = !zero ? text : v < 0 ? `\u2212${text}` : v > 0 ? text : "0";
        this.cellText[i][j].setAttribute("fill", Math.abs(v) > 0.55 * lim ? "#ffffff" : C.black);
      }
    }
    const zs = z.map((v) => String(Math.round(v * 100) / 100).replace("-", "\u2212"));
    this.readout.set([`z = (${zs.join(", ")})`, `T = ${t.toFixed(2)}`]);
    return `p = (${p.map((v) => v.toFixed(3)).join(", ")}) at temperature ${t.toFixed(2)}.`;
  },
};
