/* The capstone's explorer on the page: a two-layer ReLU network trained on the spiral,
 * here, by gradient descent in nnmath.js, from the data and initial weights nnmath
 * exported when the book was built; the decision regions and the loss at any step.
 * Mirrors nnmath.widgets.training.TrainingExplorer.
 *
 * Training runs on a second thread (a worker made from nnmath.js's own source), at full
 * speed while the page keeps answering input; where a worker cannot be made, it runs here
 * in slices of a few milliseconds per animation frame. The parameters after every step
 * are kept, so moving the step back and forth only looks them up. */
(function () {
  "use strict";
  var nn = window.nnmath;
  var SLICE_MS = 8; // training time per animation frame, when there is no worker
  var CHUNK = 50; // steps the worker trains between two messages
  var REDRAW_MS = 100; // while the worker trains, the figure follows ten times a second
  var KEPT_RUNS = 8; // settings whose runs are kept, so that going back to one is instant
  var KEYS = ["W1", "b1", "W2", "b2"];

  /**
   * The worker: trains a network from the options it is sent and posts, every CHUNK steps,
   * the losses and the parameters before each step (packed W1, b1, W2, b2), as the page's
   * loop does; a step whose loss is not finite ends the run with a "diverged" message.
   */
  function workerMain() {
    self.onmessage = function (event) {
      var o = event.data;
      var trainer = self.nnmath.network.createTrainer(o.options);
      var sizes = ["W1", "b1", "W2", "b2"].map(function (k) { return o.options[k].length; });
      var width = sizes.reduce(function (a, b) { return a + b; }, 0);
      for (var from = 0; from <= o.steps; from += o.chunk) {
        var m = Math.min(o.chunk, o.steps + 1 - from);
        var losses = new Float64Array(m);
        var params = new Float64Array(m * width);
        for (var i = 0; i < m; i++) {
          var snap = trainer.snapshot();
          var at = i * width;
          ["W1", "b1", "W2", "b2"].forEach(function (k) { params.set(snap[k], at); at += snap[k].length; });
          try {
            losses[i] = from + i < o.steps ? trainer.step() : trainer.loss();
          } catch (error) {
            self.postMessage({ from: from, losses: losses.subarray(0, i), params: params.subarray(0, i * width),
              diverged: { step: from + i, message: String(error.message || error) } });
            return;
          }
        }
        self.postMessage({ from: from, losses: losses, params: params }, [losses.buffer, params.buffer]);
      }
    };
  }

  /** A worker that runs nnmath.js and workerMain, or null where workers cannot be made. */
  function makeWorker() {
    if (typeof Worker === "undefined" || typeof Blob === "undefined" || !nn.source) return null;
    try {
      var code = nn.source + "\n(" + workerMain.toString() + ")();\n";
      var url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      var worker = new Worker(url);
      URL.revokeObjectURL(url);
      return worker;
    } catch (error) {
      return null;
    }
  }

  function pad(text, width) {
    text = String(text);
    while (text.length < width) text = " " + text;
    return text;
  }

  /** The class colours mixed towards white, as the regions are drawn in the book. */
  function tints(colours, amount) {
    return colours.map(function (hex) {
      return [1, 3, 5].map(function (i) {
        var c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return Math.round(255 * (c + amount * (1 - c)));
      });
    });
  }

  window.nnmathExplorers.register("training", {
    build: function (kit, config, controls) {
      var C = kit.palette;
      var self = this;
      this.kit = kit;
      this.config = config;
      this.controls = controls;
      this.steps = controls.declarations.step.max;
      this.X = nn.decodeFloat64(config.X);
      this.y = nn.decodeInt32(config.y);
      this.tints = tints(config.classColors, config.regionTint);
      this.run = null;
      var fig = kit.figure(840, 380);
      var lim = config.limits;
      var r = fig.panel({ x: 62, y: 32, w: 262, h: 262 }, {
        xlim: lim, ylim: lim, xlabel: "x\u2081", ylabel: "x\u2082", grid: false,
        xticks: [-1, -0.5, 0, 0.5, 1], yticks: [-1, -0.5, 0, 0.5, 1],
        title: "predicted class (regions) and data",
      });
      this.regions = r.raster(config.grid);
      // The data, drawn once over the regions: one marker shape per class.
      var points = r.overlay();
      var shapes = ["circle", "square", "triangle"];
      var n = this.y.length;
      for (var i = 0; i < n; i++) {
        var k = this.y[i];
        var px = r.sx(this.X[2 * i]);
        var py = r.sy(this.X[2 * i + 1]);
        var style = { fill: config.classColors[k], stroke: "#000000", "stroke-width": 0.5 };
        if (shapes[k % 3] === "circle") {
          style.cx = px; style.cy = py; style.r = 2.6;
          kit.el("circle", style, points);
        } else if (shapes[k % 3] === "square") {
          style.x = px - 2.3; style.y = py - 2.3; style.width = 4.6; style.height = 4.6;
          kit.el("rect", style, points);
        } else {
          style.d = "M" + px + " " + (py - 3.2) + "l2.9 5l-5.8 0z";
          kit.el("path", style, points);
        }
      }
      var legend = r.legend(config.classColors.map(function (c, j) {
        return { label: "class " + j, color: c, kind: "dot" };
      }), { x: 0.02, y: -0.17, columns: 3, columnWidth: 86 });
      legend.setAttribute("class", "nx-legend-below");

      var l = fig.panel({ x: 420, y: 32, w: 390, h: 262 }, {
        xlim: [-20, this.steps + 20], ylim: config.lossLimits, ylog: true,
        yticks: [0.2, 0.5, 1, 2, 5, 10, 20], xlabel: "training step",
        ylabel: "loss (log scale)", title: "training loss (dashed: ln 3)",
      });
      l.hline(Math.log(3), { color: C.grey, width: 1, dash: "5 3" });
      var ln3 = l.text(1.01, 0, { axes: true, baseline: "middle", size: 11, color: C.grey });
      ln3.move(1.005, (Math.log(Math.log(3)) - Math.log(config.lossLimits[0])) /
        (Math.log(config.lossLimits[1]) - Math.log(config.lossLimits[0])));
      ln3.set("ln 3");
      this.lossLine = l.line({ color: C.blue, width: 1.6 });
      this.marker = l.marker({ color: C.vermillion, size: 4.5 });
      this.readout = l.text(0.97, 0.96, { axes: true, anchor: "end", baseline: "top", box: true, size: 11 });
      this.stepAxis = [];
      for (i = 0; i <= this.steps; i++) this.stepAxis.push(i);
      this.pump = function () { self.train(); };
    },

    /** The run of a (hidden, lr) setting: one kept from before, or a fresh one. */
    start: function (hidden, lr) {
      var key = hidden + "|" + lr;
      this.runs = this.runs || {};
      this.order = this.order || [];
      if (this.runs[key]) {
        this.run = this.runs[key];
      } else {
        this.run = this.runs[key] = this.fresh(hidden, lr);
        this.order.push(key);
        while (this.order.length > KEPT_RUNS) { // forget the oldest, and stop its worker
          var old = this.runs[this.order.shift()];
          if (old.worker) old.worker.terminate();
          delete this.runs[old.hidden + "|" + old.lr];
        }
      }
      if (!this.run.worker) this.schedule();
    },

    /** A fresh run for a (hidden, lr) setting, from nnmath's initial weights. */
    fresh: function (hidden, lr) {
      var self = this;
      var c = this.config;
      var w = c.initial[String(hidden)];
      var options = function () {
        return {
          X: self.X, y: self.y, nIn: c.nIn, nOut: c.nOut, hidden: hidden, lr: lr, reg: c.reg,
          W1: nn.decodeFloat64(w.W1), b1: nn.decodeFloat64(w.b1),
          W2: nn.decodeFloat64(w.W2), b2: nn.decodeFloat64(w.b2),
        };
      };
      var run = {
        hidden: hidden,
        lr: lr,
        probe: nn.network.createTrainer(options()), // evaluates a kept snapshot
        losses: new Float64Array(this.steps + 1).fill(NaN),
        snapshots: [],
        trained: 0, // steps whose parameters and loss are known: 0 .. trained - 1
        diverged: null,
        images: {},
        coarse: {},
        stats: {},
        scheduled: false,
        worker: makeWorker(),
      };
      var first = run.probe.snapshot();
      run.sizes = KEYS.map(function (k) { return first[k].length; });
      if (run.worker) {
        run.worker.onmessage = function (event) { self.receive(run, event.data); };
        run.worker.postMessage({ options: options(), steps: this.steps, chunk: CHUNK });
      } else {
        run.trainer = nn.network.createTrainer(options());
      }
      return run;
    },

    /** Keep what the worker trained, and redraw if it is the run shown. */
    receive: function (run, message) {
      var sizes = run.sizes;
      var total = sizes.reduce(function (a, b) { return a + b; }, 0);
      for (var i = 0; i < message.losses.length; i++) {
        var snap = { stepCount: message.from + i };
        var at = i * total;
        KEYS.forEach(function (k, j) { snap[k] = message.params.subarray(at, at + sizes[j]); at += sizes[j]; });
        run.snapshots[message.from + i] = snap;
        run.losses[message.from + i] = message.losses[i];
      }
      run.trained = message.from + message.losses.length;
      if (message.diverged) run.diverged = message.diverged;
      if (run.diverged || run.trained > this.steps) run.worker.terminate();
      if (run === this.run) this.redrawSoon(); // a run kept in the background just fills in
    },

    /** Redraw for what the worker sent, in a frame at most REDRAW_MS after the last one. */
    redrawSoon: function () {
      var self = this;
      if (this.redrawing) return;
      this.redrawing = true;
      var wait = Math.max(0, (this.lastRedraw || 0) + REDRAW_MS - performance.now());
      setTimeout(function () {
        requestAnimationFrame(function () {
          self.redrawing = false;
          self.lastRedraw = performance.now();
          self.controls.refresh();
        });
      }, wait);
    },

    schedule: function () {
      if (this.run.scheduled || this.run.diverged || this.run.trained > this.steps) return;
      this.run.scheduled = true;
      requestAnimationFrame(this.pump);
    },

    /** Without a worker: train for one time slice, redraw, and come back next frame. */
    train: function () {
      var run = this.run;
      run.scheduled = false;
      var until = performance.now() + SLICE_MS;
      while (run.trained <= this.steps && !run.diverged && performance.now() < until) {
        var t = run.trained;
        run.snapshots[t] = run.trainer.snapshot();
        try {
          run.losses[t] = t < this.steps ? run.trainer.step() : run.trainer.loss();
        } catch (error) {
          run.diverged = { step: t, message: String(error.message || error) };
          break;
        }
        run.trained = t + 1;
      }
      this.controls.refresh();
      this.schedule();
    },

    /** Accuracy, dead fraction and region pixels at a kept step, computed once. */
    statsAt: function (step) {
      var run = this.run;
      if (!run.stats[step]) {
        run.probe.restore(run.snapshots[step]);
        run.stats[step] = { accuracy: run.probe.accuracy(), dead: run.probe.deadFraction() };
      }
      return run.stats[step];
    },

    /**
     * The regions at a kept step as pixels, computed once. A step seen for the first time
     * is drawn at half the resolution first (a quarter of the work, within the frame of the
     * move while a slider moves or the run plays), and at the full resolution as soon as
     * the page is idle, if it is still the step shown.
     */
    imageAt: function (step, coarse) {
      var run = this.run;
      var c = this.config;
      var kept = coarse ? run.coarse : run.images;
      if (!kept[step]) {
        var n = coarse ? Math.ceil(c.grid / 2) : c.grid;
        var scale = c.grid / n;
        run.probe.restore(run.snapshots[step]);
        var grid = run.probe.decisionGrid(c.limits, c.limits, n);
        var image = new ImageData(c.grid, c.grid);
        var data = image.data;
        for (var r = 0; r < c.grid; r++) {
          var i = Math.min(n - 1, Math.floor(r / scale));
          var row = c.grid - 1 - r; // grid row 0 is the bottom of the plane, canvas row 0 the top
          for (var q = 0; q < c.grid; q++) {
            var tint = this.tints[grid[i * n + Math.min(n - 1, Math.floor(q / scale))]];
            var o = 4 * (row * c.grid + q);
            data[o] = tint[0]; data[o + 1] = tint[1]; data[o + 2] = tint[2]; data[o + 3] = 255;
          }
        }
        kept[step] = image;
      }
      return kept[step];
    },

    /** Draw the regions of `step`: the full image if known, else a preview, refined when idle. */
    showRegions: function (step) {
      var run = this.run;
      var self = this;
      var image = run.images[step] || this.imageAt(step, true);
      if (image !== this.drawn) {
        this.regions.draw(image);
        this.drawn = image;
      }
      if (!run.images[step] && this.refining !== step) {
        this.refining = step;
        var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
        idle(function () {
          self.refining = null;
          if (self.run !== run || self.shownStep !== step) return; // moved on meanwhile
          self.drawn = self.imageAt(step, false);
          self.regions.draw(self.drawn);
        });
      }
    },

    update: function (values) {
      var hidden = values.hidden;
      var lr = values.lr;
      if (!this.run || this.run.hidden !== hidden || this.run.lr !== lr) this.start(hidden, lr);
      var run = this.run;
      var wanted = values.step;
      var shown = Math.min(wanted, run.trained - 1);
      var busy = shown < wanted && !run.diverged;
      if (shown < 0) {
        this.readout.set(["hidden " + hidden + ", lr " + lr, "training\u2026"]);
        return { state: { hidden: hidden, lr: lr, step: wanted, trained: 0 }, busy: true, readout: "Training\u2026" };
      }
      var limits = this.config.lossLimits;
      var clip = function (v) { return Math.min(limits[1], Math.max(limits[0], v)); };
      if (this.curveOf !== run || this.curveLength !== run.trained) { // the curve grew
        this.curveOf = run;
        this.curveLength = run.trained;
        this.lossLine.set(this.stepAxis.slice(0, run.trained), Array.from(run.losses.subarray(0, run.trained), clip));
      }
      this.shownStep = shown;
      this.showRegions(shown);
      var stats = this.statsAt(shown);
      var loss = run.losses[shown];
      this.marker.set(shown, clip(loss));
      var blownUp = loss > run.losses[0];
      var lines = [
        "hidden " + hidden + ", lr " + lr,
        "step      " + pad(shown, 5),
        "loss      " + pad(loss.toFixed(3), 6),
        "accuracy  " + pad((100 * stats.accuracy).toFixed(1), 5) + "%",
        "dead ReLU " + pad((100 * stats.dead).toFixed(1), 5) + "%",
      ];
      var message = "";
      if (run.diverged) {
        message = "Training diverged at step " + run.diverged.step + ": lower the learning rate.";
        lines.push("diverged at step " + run.diverged.step);
      } else if (blownUp) {
        message = "The loss is above its start: the learning rate is too large.";
        lines.push("loss above its start:", "learning rate too large");
      }
      this.readout.set(lines);
      var readout = busy
        ? "Training\u2026 step " + shown + " of " + wanted + "."
        : "Step " + shown + ": loss " + loss.toFixed(3) + ", accuracy " +
          (100 * stats.accuracy).toFixed(1) + "%, dead units " + (100 * stats.dead).toFixed(1) + "%." +
          (message ? " " + message : "");
      return {
        state: {
          hidden: hidden, lr: lr, step: shown, loss: loss, accuracy: stats.accuracy,
          dead: stats.dead, trained: run.trained - 1, blownUp: blownUp,
          thread: run.worker ? "worker" : "page",
          diverged: run.diverged ? run.diverged.step : null,
        },
        busy: busy,
        readout: readout,
      };
    },
  });
})();
