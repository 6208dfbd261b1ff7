/* The softmax + cross-entropy explorer on the page: p, y and the gradient p − y for each
 * class, checked against central differences computed here; the loss along the true
 * class's logit, with its tangent. Mirrors nnmath.widgets.losses.SoftmaxCrossEntropyExplorer. */
(function () {
  "use strict";
  var nn = window.nnmath;
  var K = 3;

  /** Central differences of f at z, step eps (nnmath.numerical_gradient). */
  function numericalGradient(f, z, eps) {
    var out = [];
    for (var i = 0; i < z.length; i++) {
      var up = z.slice();
      var down = z.slice();
      up[i] += eps;
      down[i] -= eps;
      out.push((f(up) - f(down)) / (2 * eps));
    }
    return out;
  }

  window.nnmathExplorers.register("softmax_cross_entropy", {
    build: function (kit, config) {
      var C = kit.palette;
      this.kit = kit;
      this.config = config;
      var fig = kit.figure(850, 380);
      var xs = [0, 1, 2];
      var b = fig.panel({ x: 62, y: 32, w: 380, h: 280 }, {
        xlim: [-0.6, K - 0.4], ylim: [-1.25, 1.8], yticks: [-1, -0.5, 0, 0.5, 1],
        xticks: xs, xtickLabels: ["class 1", "class 2", "class 3"], gridX: false,
        ylabel: "value", title: "p, y and the gradient p \u2212 y",
      });
      b.hline(0, { color: C.black, width: 0.8 });
      var w = 0.26;
      this.pBars = xs.map(function () { return b.bar({ color: C.blue, width: w * 0.95 }); });
      this.yBars = xs.map(function () { return b.bar({ color: C.grey, width: w * 0.95 }); });
      this.gBars = xs.map(function () { return b.bar({ color: C.vermillion, width: w * 0.95 }); });
      this.gLabels = xs.map(function () { return b.text(0, 0, { anchor: "middle", size: 11 }); });
      this.crosses = xs.map(function () {
        return kit.el("path", { stroke: C.black, "stroke-width": 1.8, fill: "none" }, b.front);
      });
      this.bars = b;
      this.width = w;
      b.legend([
        { label: "p = softmax(z)", color: C.blue, kind: "bar" },
        { label: "y (one-hot)", color: C.grey, kind: "bar" },
        { label: "p \u2212 y = \u2202L/\u2202z", color: C.vermillion, kind: "bar" },
        { label: "central differences", color: C.black, kind: "cross" },
      ], { x: 0.02, y: 0.99, columns: 2, columnWidth: 160 });

      var range = config.logitRange;
      this.zgrid = kit.linspace(range[0], range[1], 161);
      var l = fig.panel({ x: 530, y: 32, w: 290, h: 280 }, {
        xlim: range, ylim: config.lossLim, xlabel: "logit z_c of the true class c",
        ylabel: "loss L = \u2212log p_c", title: "the loss along the true logit",
      });
      this.curve = l.line({ color: C.blue, width: 2.2 });
      this.tangent = l.line({ color: C.vermillion, width: 1.5, dash: "5 3" });
      this.point = l.marker({ color: C.vermillion, size: 4.5 });
      this.readout = l.text(0.97, 0.97, { axes: true, anchor: "end", baseline: "top", box: true, size: 11 });
      l.legend([
        { label: "L as z_c moves", color: C.blue, width: 2.2 },
        { label: "tangent, slope p_c \u2212 1", color: C.vermillion, width: 1.5, dash: "5 3" },
      ], { x: 0.02, y: 0.03, from: "bottom", columnWidth: 170, boxed: true });
    },

    update: function (values) {
      var fmt = this.kit.fmt;
      var fmtExp = this.kit.fmtExp;
      var z = [values.z1, values.z2, values.z3];
      var c = values.true_class;
      var p = nn.softmax(z);
      var y = [0, 0, 0];
      y[c] = 1;
      var grad = nn.softmaxCrossEntropyGrad(z, c);
      var loss = nn.softmaxCrossEntropy(z, c);
      var numeric = numericalGradient(function (v) { return nn.softmaxCrossEntropy(v, c); }, z, this.config.eps);
      var diff = 0;
      var scale = 0;
      for (var i = 0; i < K; i++) {
        diff = Math.max(diff, Math.abs(grad[i] - numeric[i]));
        scale = Math.max(scale, Math.abs(grad[i]), Math.abs(numeric[i]));
      }
      var rel = scale > 0 ? diff / scale : 0;
      var b = this.bars;
      var w = this.width;
      for (i = 0; i < K; i++) {
        this.pBars[i].set(i - w, p[i]);
        this.yBars[i].set(i, y[i]);
        this.gBars[i].set(i + w, grad[i]);
        // Above a bar the label sits on it; below, it hangs from it.
        var up = grad[i] >= 0;
        this.gLabels[i].align(up ? "bottom" : "top");
        this.gLabels[i].move(i + w, grad[i] + (up ? 0.12 : -0.12));
        this.gLabels[i].set(fmt(grad[i], 3));
        var cx = b.sx(i + w);
        var cy = b.sy(numeric[i]);
        this.crosses[i].setAttribute("d", "M" + (cx - 4) + " " + (cy - 4) + "l8 8m0 -8l-8 8");
      }
      var curve = this.zgrid.map(function (v) {
        var zz = z.slice();
        zz[c] = v;
        return nn.softmaxCrossEntropy(zz, c);
      });
      this.curve.set(this.zgrid, curve);
      var slope = grad[c];
      this.point.set(z[c], loss);
      this.tangent.set([z[c] - 2, z[c] + 2], [loss - 2 * slope, loss + 2 * slope]);
      this.readout.set([
        "class " + (c + 1) + ": L = " + fmt(loss, 3),
        "p \u2212 y vs central diff.:",
        "max |\u0394| = " + fmtExp(diff, 1),
        "relative = " + fmtExp(rel, 1),
      ]);
      return {
        state: {
          z: z, target: c, p: p, loss: loss, grad: grad, numeric: numeric, maxDiff: diff,
          relativeError: rel,
        },
        readout: "Class " + (c + 1) + " is true: loss " + fmt(loss, 3) + ", gradient p \u2212 y = (" +
          grad.map(function (v) { return fmt(v, 3); }).join(", ") + ").",
      };
    },
  });
})();
