/* The softmax explorer on the page: p = softmax(z / T) as bars, the Jacobian as a heatmap.
 * Mirrors nnmath.widgets.softmax.SoftmaxExplorer; the numbers come from nnmath.js. */
(function () {
  "use strict";
  var nn = window.nnmath;

  window.nnmathExplorers.register("softmax", {
    build: function (kit, config, controls) {
      var C = kit.palette;
      var n = config.maxClasses;
      var fig = kit.figure(850, 370);
      this.kit = kit;
      this.config = config;
      this.fig = fig;
      this.controls = controls;
      this.shown = null;
      var p = fig.panel({ x: 62, y: 32, w: 330, h: 270 }, {
        xlim: [-0.6, n - 0.4], ylim: [0, 1.32], yticks: [0, 0.25, 0.5, 0.75, 1],
        xticks: [], xlabel: "class i", ylabel: "probability p\u1D62",
        title: "p = softmax(z / T)", gridX: false,
      });
      this.ax = p;
      this.uniform = p.line({ color: C.grey, width: 1.2, dash: "5 3" });
      this.bars = [];
      this.labels = [];
      this.ticks = [];
      for (var i = 0; i < n; i++) {
        this.bars.push(p.bar({ color: C.blue, width: 0.62 }));
        this.labels.push(p.text(i, 0, { anchor: "middle", size: 11 }));
        var tick = kit.el("text", { y: 302 + 16, "text-anchor": "middle", class: "nx-tick" }, fig.frame);
        tick.textContent = String(i + 1);
        this.ticks.push(tick);
      }
      this.readout = p.text(0.02, 0.985, { axes: true, baseline: "top", mono: true, size: 11 });
      p.legend([{ label: "uniform 1/K", color: C.grey, dash: "5 3", width: 1.2 }],
        { x: 0.98, y: 0.985, anchor: "end", columnWidth: 110 });

      // The Jacobian: a K x K grid of cells in a square area, with a colour bar.
      var side = 250;
      this.jac = { x: 520, y: 40, side: side };
      var j = fig.panel({ x: 520, y: 40, w: side, h: side }, {
        xlim: [0, 1], ylim: [0, 1], xticks: [], yticks: [], grid: false, spines: false,
        title: "Jacobian \u2202p\u1D62/\u2202(z\u2C7C/T) = diag(p) \u2212 p p\u1D40",
        xlabel: "logit j   (every row sums to 0)", ylabel: "probability i", ylabelOffset: 28,
      });
      this.cells = [];
      this.cellText = [];
      this.rowTicks = [];
      this.colTicks = [];
      for (var r = 0; r < n; r++) {
        var row = [];
        var texts = [];
        for (var c = 0; c < n; c++) {
          row.push(j.rect({}));
          texts.push(kit.el("text", { "text-anchor": "middle", class: "nx-cell" }, j.front));
        }
        this.cells.push(row);
        this.cellText.push(texts);
        var rt = kit.el("text", { "text-anchor": "end", class: "nx-tick" }, fig.frame);
        rt.textContent = String(r + 1);
        this.rowTicks.push(rt);
        var ct = kit.el("text", { "text-anchor": "middle", class: "nx-tick" }, fig.frame);
        ct.textContent = String(r + 1);
        this.colTicks.push(ct);
      }
      // Colour bar over [-1/4, 1/4].
      var bar = { x: 790, y: 40, w: 14, h: side };
      var stops = 40;
      for (var s = 0; s < stops; s++) {
        kit.el("rect", {
          x: bar.x, y: bar.y + (s * bar.h) / stops, width: bar.w, height: bar.h / stops + 0.5,
          fill: kit.diverging(1 - (s + 0.5) / stops),
        }, fig.svg);
      }
      kit.el("rect", { x: bar.x, y: bar.y, width: bar.w, height: bar.h, class: "nx-colorbar" }, fig.frame);
      var lim = config.jacLimit;
      [-0.25, -0.125, 0, 0.125, 0.25].forEach(function (t) {
        var y = bar.y + ((lim - t) / (2 * lim)) * bar.h;
        kit.el("line", { x1: bar.x + bar.w, x2: bar.x + bar.w + 4, y1: y, y2: y, class: "nx-spine" }, fig.frame);
        var label = kit.el("text", { x: bar.x + bar.w + 7, y: y + 3.5, class: "nx-tick" }, fig.frame);
        label.textContent = kit.fmt(t, t === 0 ? 1 : 3).replace(/0+$/, "").replace(/\.$/, ".0");
      });
    },

    /** K bars and a K x K grid: move the ticks, show and hide (the layout changes with K). */
    showClasses: function (k) {
      if (k === this.shown) return;
      this.shown = k;
      var p = this.ax;
      p.xlim = [-0.6, k - 0.4];
      this.uniform.set([-0.6, k - 0.4], [1 / k, 1 / k]);
      var n = this.config.maxClasses;
      var cell = this.jac.side / k;
      for (var i = 0; i < n; i++) {
        var on = i < k;
        this.bars[i].show(on);
        this.labels[i].show(on);
        this.ticks[i].setAttribute("x", p.sx(i));
        this.ticks[i].setAttribute("visibility", on ? "visible" : "hidden");
        this.rowTicks[i].setAttribute("x", this.jac.x - 6);
        this.rowTicks[i].setAttribute("y", this.jac.y + (i + 0.5) * cell + 4);
        this.rowTicks[i].setAttribute("visibility", on ? "visible" : "hidden");
        this.colTicks[i].setAttribute("x", this.jac.x + (i + 0.5) * cell);
        this.colTicks[i].setAttribute("y", this.jac.y + this.jac.side + 16);
        this.colTicks[i].setAttribute("visibility", on ? "visible" : "hidden");
        for (var j = 0; j < n; j++) {
          var here = on && j < k;
          var rect = this.cells[i][j];
          rect.setAttribute("visibility", here ? "visible" : "hidden");
          this.cellText[i][j].setAttribute("visibility", here ? "visible" : "hidden");
          if (here) {
            rect.setAttribute("x", this.jac.x + j * cell);
            rect.setAttribute("y", this.jac.y + i * cell);
            rect.setAttribute("width", cell + 0.3);
            rect.setAttribute("height", cell + 0.3);
            this.cellText[i][j].setAttribute("x", this.jac.x + (j + 0.5) * cell);
            this.cellText[i][j].setAttribute("y", this.jac.y + (i + 0.5) * cell + 4);
          }
        }
        // The sliders of unused logits are hidden, as in the Jupyter widget.
        this.controls.hide("z" + (i + 1), !on);
      }
    },

    update: function (values) {
      var k = values.classes;
      this.showClasses(k);
      var t = values.temperature;
      var z = [];
      for (var i = 0; i < k; i++) z.push(values["z" + (i + 1)]);
      var p = nn.softmax(z, t);
      var jac = nn.softmaxJacobian(z.map(function (v) { return v / t; }));
      var fmt = this.kit.fmt;
      var lim = this.config.jacLimit;
      for (i = 0; i < k; i++) {
        this.bars[i].set(i, p[i]);
        this.labels[i].move(i, p[i] + 0.015);
        this.labels[i].set(p[i].toFixed(3));
        for (var j = 0; j < k; j++) {
          var v = jac[i][j];
          this.cells[i][j].setAttribute("fill", this.kit.diverging((v + lim) / (2 * lim)));
          var text = fmt(v, 3);
          this.cellText[i][j].textContent = text === "0.000" ? "0" : text;
          this.cellText[i][j].setAttribute("fill", Math.abs(v) > 0.55 * lim ? "#ffffff" : "#000000");
        }
      }
      var zs = z.map(function (v) { return String(Math.round(v * 100) / 100).replace("-", "\u2212"); });
      this.readout.set(["z = [" + zs.join(", ") + "]", "T = " + t.toFixed(2)]);
      return {
        state: { z: z, T: t, K: k, p: p, jacobian: jac },
        readout: "p = (" + p.map(function (v) { return v.toFixed(3); }).join(", ") +
          ") at temperature " + t.toFixed(2) + ".",
      };
    },
  });
})();
