/* The ReLU explorer on the page: Leaky ReLU and its derivative, a point and its tangent.
 * Mirrors nnmath.widgets.activations.ReluExplorer; the numbers come from nnmath.js. */
(function () {
  "use strict";
  var nn = window.nnmath;

  window.nnmathExplorers.register("relu", {
    build: function (kit, config, controls) {
      var C = kit.palette;
      var fig = kit.figure(800, 340);
      var xlim = config.xlim;
      this.kit = kit;
      this.grid = kit.linspace(xlim[0], xlim[1], 601);
      this.left = this.grid.filter(function (x) { return x < 0; });
      this.right = this.grid.filter(function (x) { return x > 0; });
      var f = fig.panel({ x: 62, y: 32, w: 310, h: 250 }, {
        xlim: xlim, ylim: config.flim, xlabel: "x", ylabel: "f(x)",
        title: "Leaky ReLU f(x) = max(x, \u03B1x)", yticks: [-1, 0, 1, 2, 3],
      });
      var d = fig.panel({ x: 470, y: 32, w: 310, h: 250 }, {
        xlim: xlim, ylim: config.dlim, xlabel: "x", ylabel: "f\u2032(x)",
        title: "its derivative f\u2032(x)", yticks: [0, 0.25, 0.5, 0.75, 1],
      });
      var relu = this.grid.map(nn.relu);
      // What never moves: plain ReLU and its derivative, the convention relu'(0) = 0.
      var grey = { color: C.grey, width: 1.5, dash: "5 3" };
      f.line(grey, true).set(this.grid, relu);
      d.line(grey, true).set(this.left, this.left.map(nn.reluGrad));
      d.line(grey, true).set(this.right, this.right.map(nn.reluGrad));
      d.marker({ color: C.grey, size: 3.5, still: true }).set(0, nn.reluGrad(0));
      f.vline(0, { color: C.black, width: 0.6, opacity: 0.4 });
      d.vline(0, { color: C.black, width: 0.6, opacity: 0.4 });
      var note = f.text(-2.85, 1.05, { baseline: "middle", size: 11, still: true });
      note.set(["kink at 0:", "no derivative"]);
      kit.el("path", {
        d: "M" + f.sx(-2.0) + " " + f.sy(0.95) + "L" + (f.sx(0) - 3) + " " + (f.sy(0) - 3),
        stroke: C.black, "stroke-width": 0.8, fill: "none",
      }, fig.frame);
      // What moves.
      this.leaky = f.line({ color: C.blue, width: 2.2 });
      this.tangent = f.line({ color: C.vermillion, width: 1.4 });
      this.point = f.marker({ color: C.vermillion, size: 4.5 });
      this.dLeft = d.line({ color: C.blue, width: 2.2 });
      this.dRight = d.line({ color: C.blue, width: 2.2 });
      this.dZero = d.marker({ color: C.blue, size: 3.5 });
      this.dPoint = d.marker({ color: C.vermillion, size: 4.5 });
      this.readout = f.text(0.03, 0.97, { axes: true, baseline: "top", box: true, size: 11 });
      f.legend([
        { label: "ReLU", color: C.grey, dash: "5 3", width: 1.5 },
        { label: "Leaky ReLU", color: C.blue, width: 2.2 },
        { label: "tangent at x", color: C.vermillion, width: 1.4 },
      ], { x: 0.97, y: 0.03, anchor: "end", from: "bottom", columnWidth: 115 });
      d.legend([
        { label: "ReLU\u2032", color: C.grey, dash: "5 3", width: 1.5 },
        { label: "ReLU\u2032(0) := 0", color: C.grey, kind: "dot" },
        { label: "Leaky ReLU\u2032", color: C.blue, width: 2.2 },
        { label: "Leaky ReLU\u2032(0) := \u03B1", color: C.blue, kind: "dot" },
      ], { x: 1.02, y: 0.62, anchor: "end", columnWidth: 150 });
    },

    update: function (values) {
      var alpha = values.alpha;
      var x = values.x;
      var fmt = this.kit.fmt;
      var leaky = function (v) { return nn.leakyRelu(v, alpha); };
      var slope = function (v) { return nn.leakyReluGrad(v, alpha); };
      if (alpha !== this.curvesAt) { // the curves depend on alpha only
        this.curvesAt = alpha;
        this.leaky.set(this.grid, this.grid.map(leaky));
        this.dLeft.set(this.left, this.left.map(slope));
        this.dRight.set(this.right, this.right.map(slope));
        this.dZero.set(0, slope(0));
      }
      var fx = leaky(x) + 0; // + 0 turns -0 into 0
      var dfx = slope(x);
      this.point.set(x, fx);
      this.dPoint.set(x, dfx);
      this.tangent.set([x - 1.2, x + 1.2], [fx - 1.2 * dfx, fx + 1.2 * dfx]);
      var sign = function (v) { return (v >= 0 ? "+" : "") + fmt(v, 3); };
      var lines = [
        "x = " + (x >= 0 ? "+" : "") + fmt(x, 2),
        "f(x) = " + sign(fx),
        "f\u2032(x) = " + fmt(dfx, 2),
      ];
      if (x === 0) lines.push("(at the kink: a convention)");
      this.readout.set(lines);
      return {
        state: { alpha: alpha, x: x, f: fx, df: dfx },
        readout: "At x = " + fmt(x, 2) + ": f(x) = " + fmt(fx, 3) + ", f\u2032(x) = " +
          fmt(dfx, 2) + (x === 0 ? " (at the kink, by convention)" : "") + ".",
      };
    },
  });
})();
