/* The cross-entropy explorer on the page: the binary loss and its derivative against p
 * (top), and a batch's categorical losses, their mean and sum, and the gradient that the
 * mean divides by N (bottom). Mirrors nnmath.widgets.losses.CrossEntropyExplorer. */
(function () {
  "use strict";
  var nn = window.nnmath;

  window.nnmathExplorers.register("cross_entropy", {
    build: function (kit, config) {
      var C = kit.palette;
      var self = this;
      this.kit = kit;
      this.config = config;
      this.colours = { 1: C.blue, 0: C.vermillion };
      var fig = kit.figure(850, 600);
      var eps = config.pEps;
      this.grid = kit.linspace(eps, 1 - eps, 801);
      var l = fig.panel({ x: 62, y: 32, w: 330, h: 210 }, {
        xlim: [0, 1], ylim: config.lossLim, xlabel: "predicted probability p of class 1",
        ylabel: "loss L", title: "binary cross-entropy",
      });
      var d = fig.panel({ x: 490, y: 32, w: 330, h: 210 }, {
        xlim: [0, 1], ylim: config.gradLim, xlabel: "predicted probability p of class 1",
        ylabel: "dL/dp", title: "its derivative (p \u2212 y) / (p(1 \u2212 p))",
      });
      d.hline(0, { color: C.black, width: 0.6, opacity: 0.4 });
      // Both labels, faint; the chosen one drawn bold on top.
      [1, 0].forEach(function (y) {
        var loss = self.grid.map(function (p) { return nn.binaryCrossEntropy(p, y); });
        var grad = self.grid.map(function (p) { return nn.binaryCrossEntropyGrad(p, y); });
        l.line({ color: self.colours[y], width: 1.2, opacity: 0.45 }, true).set(self.grid, loss);
        d.line({ color: self.colours[y], width: 1.2, opacity: 0.45 }, true).set(self.grid, grad);
      });
      this.lossLine = l.line({ width: 2.4 });
      this.tangent = l.line({ color: C.black, width: 1.2, dash: "5 3" });
      this.point = l.marker({ color: C.black, size: 4.5 });
      this.gradLine = d.line({ width: 2.4 });
      this.gradPoint = d.marker({ color: C.black, size: 4.5 });
      this.lossText = l.text(0.5, 0.97, { axes: true, anchor: "middle", baseline: "top", mono: true, size: 11 });
      this.gradText = d.text(0.97, 0.04, { axes: true, anchor: "end", mono: true, size: 11 });
      d.legend([
        { label: "y = 1: L = \u2212log p", color: C.blue, width: 2.4 },
        { label: "y = 0: L = \u2212log(1 \u2212 p)", color: C.vermillion, width: 2.4 },
      ], { x: 0.02, y: 0.98, columnWidth: 180 });

      // The batch: per-sample losses, then the mean and the sum.
      var n = config.batch.length;
      this.n = n;
      var slots = [];
      for (var i = 0; i < n + 2; i++) slots.push(i < n ? i : i + 0.4);
      this.slots = slots;
      var b = fig.panel({ x: 62, y: 335, w: 330, h: 205 }, {
        xlim: [slots[0] - 0.6, slots[n + 1] + 0.6], ylim: [0, 4.6], yticks: [0, 1, 2, 3, 4],
        xticks: slots, xtickLabels: ["1", "2", "3", "4", "mean", "sum"], gridX: false,
        xlabel: "sample n, then the reductions", ylabel: "loss",
        title: "categorical: \u2212log p\u2099[y\u2099] per sample",
      });
      var colors = [];
      for (i = 0; i < n; i++) colors.push(C.sky);
      colors.push(C.orange, C.green);
      this.lossBars = colors.map(function (c) { return b.bar({ color: c, width: 0.7 }); });
      this.lossLabels = slots.map(function (x) { return b.text(x, 0, { anchor: "middle", size: 11 }); });
      this.batchText = b.text(0.02, 0.97, { axes: true, baseline: "top", mono: true, size: 11 });

      var xs = [];
      var names = [];
      for (i = 0; i < n; i++) {
        xs.push(i);
        names.push("sample " + (i + 1));
      }
      var g = fig.panel({ x: 490, y: 335, w: 330, h: 205 }, {
        xlim: [-0.6, n - 0.4], ylim: [-6.2, 0], yticks: [-6, -4, -2, 0], xticks: xs,
        xtickLabels: names, gridX: false, ylabel: "\u2202L/\u2202p\u2099[y\u2099]",
        title: "gradient at the true class (other entries are 0)",
      });
      g.hline(0, { color: C.black, width: 0.8 });
      this.outlines = xs.map(function () {
        return g.bar({ fill: false, edge: C.grey, edgeWidth: 1, dash: "4 2", width: 0.7 });
      });
      this.gradBars = xs.map(function () { return g.bar({ color: C.purple, width: 0.5 }); });
      this.gradLabels = xs.map(function (x) { return g.text(x, 0, { anchor: "middle", baseline: "top", size: 11 }); });
      this.noteText = g.text(0.97, 0.3, { axes: true, anchor: "end", mono: true, size: 11 });
      g.legend([
        { label: "sum: \u22121/p\u2099[y\u2099]", color: C.grey, kind: "outline" },
        { label: "chosen reduction", color: C.purple, kind: "bar" },
      ], { x: 0.98, y: 0.03, anchor: "end", from: "bottom", columnWidth: 140 });
    },

    update: function (values) {
      var fmt = this.kit.fmt;
      var y = values.y;
      var p = values.p;
      var reduction = values.reduction;
      var config = this.config;
      var colour = this.colours[y];

      // Binary: the chosen curve (it depends on y only), the point, the tangent.
      if (y !== this.curvesFor) {
        this.curvesFor = y;
        this.lossLine.set(this.grid, this.grid.map(function (q) { return nn.binaryCrossEntropy(q, y); }));
        this.lossLine.color(colour);
        this.gradLine.set(this.grid, this.grid.map(function (q) { return nn.binaryCrossEntropyGrad(q, y); }));
        this.gradLine.color(colour);
      }
      var loss = nn.binaryCrossEntropy(p, y);
      var slope = nn.binaryCrossEntropyGrad(p, y);
      this.point.set(p, loss);
      this.gradPoint.set(p, slope);
      this.tangent.set([p - 0.2, p + 0.2], [loss - 0.2 * slope, loss + 0.2 * slope]);
      var what = y === 1 ? "\u2212log p" : "\u2212log(1 \u2212 p)";
      this.lossText.set(["y = " + y + ", p = " + p.toFixed(2), "L = " + what + " = " + fmt(loss, 3)]);
      this.gradText.set("dL/dp = " + fmt(slope, 3));

      // Categorical: the batch, with sample 1's label from the control.
      var n = this.n;
      var labels = [values.true_class].concat(config.otherLabels);
      var losses = [];
      var grads = [];
      var sumGrads = [];
      var total = 0;
      for (var i = 0; i < n; i++) {
        losses.push(nn.crossEntropy(config.batch[i], labels[i]));
        total += losses[i];
        var g = nn.crossEntropyGrad(config.batch[i], labels[i])[labels[i]];
        sumGrads.push(g);
        grads.push(reduction === "mean" ? g / n : g);
      }
      var mean = total / n;
      var heights = losses.concat([mean, total]);
      for (i = 0; i < n + 2; i++) {
        var chosen = i < n || (i === n && reduction === "mean") || (i === n + 1 && reduction === "sum");
        this.lossBars[i].set(this.slots[i], heights[i]);
        this.lossBars[i].opacity(chosen ? 1 : 0.35);
        this.lossLabels[i].move(this.slots[i], heights[i] + 0.04);
        this.lossLabels[i].set(fmt(heights[i], 2));
      }
      var atTrue = labels.map(function (label, k) { return config.batch[k][label].toFixed(2); });
      var batchLoss = reduction === "mean" ? mean : total;
      this.batchText.set([
        "p\u2099[y\u2099] = " + atTrue.join(", "),
        "L = " + reduction + " = " + fmt(batchLoss, 3),
        "mean = sum / N = " + fmt(total, 2) + " / " + n,
      ]);
      for (i = 0; i < n; i++) {
        this.outlines[i].set(i, sumGrads[i]);
        this.gradBars[i].set(i, grads[i]);
        this.gradLabels[i].move(i, grads[i] - 0.08);
        this.gradLabels[i].set(fmt(grads[i], 2));
      }
      this.noteText.set(reduction === "mean"
        ? ["mean: each \u22121/p\u2099[y\u2099]", "is divided by N = " + n]
        : ["sum: \u22121/p\u2099[y\u2099] itself"]);
      return {
        state: {
          y: y, p: p, true_class: values.true_class, reduction: reduction,
          loss: loss, dloss: slope, losses: losses, batchLoss: batchLoss, grad: grads,
        },
        readout: "Binary loss " + fmt(loss, 3) + ", dL/dp " + fmt(slope, 3) +
          "; batch loss (" + reduction + ") " + fmt(batchLoss, 3) + ".",
      };
    },
  });
})();
