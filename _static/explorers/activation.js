/* The page's view of any elementwise formula of nnmath's registry: the function with a
 * point and its tangent, and its derivative, with a gap at each kink. Mirrors
 * nnmath.widgets.activations.ActivationExplorer; the functions are nnmath.js's, by the
 * names the page spec gives (e.g. "gelu" and "geluGrad"). */
(function () {
  "use strict";
  var nn = window.nnmath;

  /** The pieces of the grid between the kinks, the kinks themselves left out. */
  function pieces(grid, kinks) {
    var edges = [-Infinity].concat(kinks.slice().sort(function (a, b) { return a - b; }), [Infinity]);
    var out = [];
    for (var i = 0; i + 1 < edges.length; i++) {
      var piece = grid.filter(function (x) { return x > edges[i] && x < edges[i + 1]; });
      if (piece.length) out.push(piece);
    }
    return out;
  }

  window.nnmathExplorers.register("activation", {
    build: function (kit, config) {
      var C = kit.palette;
      var f = nn[config.function];
      var df = nn[config.derivative];
      if (typeof f !== "function" || typeof df !== "function") {
        throw new Error("nnmath.js has no " + config.function + " or " + config.derivative);
      }
      this.kit = kit;
      this.f = f;
      this.df = df;
      this.kinks = config.kinks;
      var name = config.label;
      var fig = kit.figure(800, 340);
      var grid = kit.linspace(config.xlim[0], config.xlim[1], 601);
      var left = fig.panel({ x: 62, y: 32, w: 310, h: 250 }, {
        xlim: config.xlim, ylim: config.flim, xlabel: "x", ylabel: name + "(x)", title: name + "(x)",
      });
      var right = fig.panel({ x: 470, y: 32, w: 310, h: 250 }, {
        xlim: config.xlim, ylim: config.dlim, xlabel: "x", ylabel: name + "\u2032(x)",
        title: "its derivative",
      });
      left.vline(0, { color: C.black, width: 0.6, opacity: 0.4 });
      right.vline(0, { color: C.black, width: 0.6, opacity: 0.4 });
      left.line({ color: C.blue, width: 2.2 }, true).set(grid, grid.map(function (x) { return f(x); }));
      pieces(grid, this.kinks).forEach(function (piece) {
        right.line({ color: C.blue, width: 2.2 }, true).set(piece, piece.map(function (x) { return df(x); }));
      });
      this.kinks.forEach(function (k) {
        right.marker({ color: C.blue, size: 3.5, still: true }).set(k, df(k));
      });
      this.tangent = left.line({ color: C.vermillion, width: 1.4 });
      this.point = left.marker({ color: C.vermillion, size: 4.5 });
      this.dPoint = right.marker({ color: C.vermillion, size: 4.5 });
      this.readout = left.text(0.03, 0.97, { axes: true, baseline: "top", box: true, size: 11 });
      left.legend([
        { label: name, color: C.blue, width: 2.2 },
        { label: "tangent at x", color: C.vermillion, width: 1.4 },
      ], { x: 0.97, y: 0.03, anchor: "end", from: "bottom", columnWidth: 115 });
      right.legend([{ label: name + "\u2032", color: C.blue, width: 2.2 }],
        { x: 0.97, y: 0.03, anchor: "end", from: "bottom", columnWidth: 90 });
    },

    update: function (values) {
      var fmt = this.kit.fmt;
      var x = values.x;
      var fx = this.f(x) + 0; // + 0 turns -0 into 0
      var dfx = this.df(x);
      this.point.set(x, fx);
      this.dPoint.set(x, dfx);
      this.tangent.set([x - 1.2, x + 1.2], [fx - 1.2 * dfx, fx + 1.2 * dfx]);
      var sign = function (v, digits) { return (v >= 0 ? "+" : "") + fmt(v, digits); };
      var kink = this.kinks.indexOf(x) >= 0;
      var lines = ["x = " + sign(x, 2), "f(x) = " + sign(fx, 3), "f\u2032(x) = " + fmt(dfx, 3)];
      if (kink) lines.push("(at a kink: a convention)");
      this.readout.set(lines);
      return {
        state: { x: x, f: fx, df: dfx },
        readout: "At x = " + fmt(x, 2) + ": f(x) = " + fmt(fx, 3) + ", f\u2032(x) = " + fmt(dfx, 3) +
          (kink ? " (at a kink, by convention)" : "") + ".",
      };
    },
  });
})();
