/* The capstone: a two-layer ReLU network trained on the spiral by gradient descent; the
 * decision regions and the loss at any step.
 *
 * In a kernel the state comes from nnmath.widgets.training.TrainingExplorer.compute
 * (nnmath.network.train). On the page, createComputer() below trains with nnmath.js, from
 * the data and initial weights nnmath exported when the book was built, on a second
 * thread (a worker made from nnmath.js's own source) where one can be made, else in
 * slices of a few milliseconds per frame; the parameters after every step are kept, so
 * moving the step only looks them up. The state says how the page's run ends against
 * nnmath's own (`reference`, computed when the book was built): at large learning rates
 * the two may part, rounding differences of the last bit growing into different runs. */
import { CLASS_COLORS, CLASS_MARKERS, CLASS_TINTS } from "../generated/constants.json";
import { PALETTE as C, classMarker, decode, fmt, readoutBox } from "../kit.js";

const SLICE_MS = 8; // training time per animation frame, when there is no worker
const CHUNK = 50; // steps the worker trains between two messages
const REDRAW_MS = 100; // while the worker trains, the figure follows ten times a second
const KEPT_RUNS = 8; // settings whose runs are kept, so that going back to one is instant
const KEYS = ["W1", "b1", "W2", "b2"];
/** Relative difference of the final losses above which the page says the runs parted. */
export const PARTED_RTOL = 1e-9;

/** The key of a setting in config.references. */
export function settingKey(hidden, lr) {
  return `${hidden}|${Number(lr).toFixed(6)}`;
}

/** Class labels 0..9 of a decision grid as one character each ("0" + class). */
function gridText(grid) {
  let text = "";
  for (let i = 0; i < grid.length; i += 4096) {
    text += String.fromCharCode.apply(null, Array.from(grid.subarray(i, i + 4096), (k) => k + 48));
  }
  return text;
}

/**
 * The worker: trains a network from the options it is sent and posts, every CHUNK steps,
 * the losses and the parameters before each step (packed W1, b1, W2, b2); a step whose
 * loss is not finite ends the run with a "diverged" message.
 */
function workerMain() {
  self.onmessage = function (event) {
    var o = event.data;
    var trainer = self.nnmath.network.createTrainer(o.options);
    var keys = ["W1", "b1", "W2", "b2"];
    var width = keys.reduce(function (a, k) { return a + o.options[k].length; }, 0);
    for (var from = 0; from <= o.steps; from += o.chunk) {
      var m = Math.min(o.chunk, o.steps + 1 - from);
      var losses = new Float64Array(m);
      var params = new Float64Array(m * width);
      for (var i = 0; i < m; i++) {
        var snap = trainer.snapshot();
        var at = i * width;
        keys.forEach(function (k) { params.set(snap[k], at); at += snap[k].length; });
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

function makeWorker(nn, win) {
  if (!win || typeof win.Worker === "undefined" || typeof win.Blob === "undefined" || !nn.source) return null;
  try {
    const code = `${nn.source}\n(${workerMain.toString()})();\n`;
    const url = win.URL.createObjectURL(new win.Blob([code], { type: "text/javascript" }));
    const worker = new win.Worker(url);
    win.URL.revokeObjectURL(url);
    return worker;
  } catch (error) {
    return null;
  }
}

/**
 * The page's computation: compute(values) -> {state, busy}. `refresh()` is called when
 * there is more to show for the values last asked (more steps trained, finer regions).
 * With `win` null (tests, build time), training runs to the step asked at once.
 */
export function createComputer(config, nn, refresh, win) {
  const X = decode(config.X);
  const y = decode(config.y, "int32");
  const runs = new Map();
  let run = null;
  let pending = false;
  let lastRedraw = 0;
  let refining = null;
  let shownStep = null;

  const redrawSoon = () => { // in a frame at most REDRAW_MS after the last one
    if (pending) return;
    pending = true;
    const wait = Math.max(0, lastRedraw + REDRAW_MS - win.performance.now());
    win.setTimeout(() => win.requestAnimationFrame(() => {
      pending = false;
      lastRedraw = win.performance.now();
      refresh();
    }), wait);
  };

  function fresh(hidden, lr) {
    const w = config.initial[String(hidden)];
    const options = () => ({
      X, y, nIn: config.nIn, nOut: config.nOut, hidden, lr, reg: config.reg,
      W1: decode(w.W1), b1: decode(w.b1), W2: decode(w.W2), b2: decode(w.b2),
    });
    const r = {
      hidden, lr,
      probe: nn.network.createTrainer(options()), // evaluates a kept snapshot
      losses: new Float64Array(config.steps + 1).fill(NaN),
      snapshots: [], trained: 0, diverged: null, images: {}, coarse: {}, stats: {},
      scheduled: false, worker: win ? makeWorker(nn, win) : null,
    };
    const first = r.probe.snapshot();
    r.sizes = KEYS.map((k) => first[k].length);
    if (r.worker) {
      r.worker.onmessage = (event) => receive(r, event.data);
      r.worker.postMessage({ options: options(), steps: config.steps, chunk: CHUNK });
    } else {
      r.trainer = nn.network.createTrainer(options());
    }
    return r;
  }

  function receive(r, message) {
    const total = r.sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < message.losses.length; i++) {
      const snap = { stepCount: message.from + i };
      let at = i * total;
      KEYS.forEach((k, j) => {
        snap[k] = message.params.subarray(at, at + r.sizes[j]);
        at += r.sizes[j];
      });
      r.snapshots[message.from + i] = snap;
      r.losses[message.from + i] = message.losses[i];
    }
    r.trained = message.from + message.losses.length;
    if (message.diverged) r.diverged = message.diverged;
    if (r.diverged || r.trained > config.steps) r.worker.terminate();
    if (r === run) redrawSoon(); // a run kept in the background just fills in
  }

  function trainFor(r, until, ms) { // without a worker: train up to step `until` or for `ms`
    const stop = ms === undefined ? Infinity : win.performance.now() + ms;
    while (r.trained <= until && !r.diverged && (ms === undefined || win.performance.now() < stop)) {
      const t = r.trained;
      r.snapshots[t] = r.trainer.snapshot();
      try {
        r.losses[t] = t < config.steps ? r.trainer.step() : r.trainer.loss();
      } catch (error) {
        r.diverged = { step: t, message: String(error.message || error) };
        break;
      }
      r.trained = t + 1;
    }
  }

  function schedule() {
    if (!win || run.worker || run.scheduled || run.diverged || run.trained > config.steps) return;
    run.scheduled = true;
    const r = run;
    win.requestAnimationFrame(() => {
      r.scheduled = false;
      if (r !== run) return;
      trainFor(r, config.steps, SLICE_MS);
      refresh();
      schedule();
    });
  }

  function start(hidden, lr) {
    const key = settingKey(hidden, lr);
    if (runs.has(key)) {
      run = runs.get(key);
      runs.delete(key); // most recent last
    } else {
      run = fresh(hidden, lr);
    }
    runs.set(key, run);
    while (runs.size > KEPT_RUNS) { // forget the oldest, and stop its worker
      const [oldKey, old] = runs.entries().next().value;
      if (old.worker) old.worker.terminate();
      runs.delete(oldKey);
    }
    schedule();
  }

  function statsAt(step) {
    if (!run.stats[step]) {
      run.probe.restore(run.snapshots[step]);
      run.stats[step] = { accuracy: run.probe.accuracy(), dead: run.probe.deadFraction() };
    }
    return run.stats[step];
  }

  /** The regions at a kept step, as text, computed once; `coarse`: at half the resolution. */
  function regionsAt(step, coarse) {
    const kept = coarse ? run.coarse : run.images;
    if (!kept[step]) {
      const full = config.grid;
      const n = coarse ? Math.ceil(full / 2) : full;
      run.probe.restore(run.snapshots[step]);
      let grid = run.probe.decisionGrid(config.limits, config.limits, n);
      if (coarse) { // each cell of the coarse grid covers 2 x 2 of the full one
        const up = new Uint8Array(full * full);
        const scale = full / n;
        for (let r = 0; r < full; r++) {
          for (let c = 0; c < full; c++) up[r * full + c] = grid[Math.floor(r / scale) * n + Math.floor(c / scale)];
        }
        grid = up;
      }
      kept[step] = gridText(grid);
    }
    return kept[step];
  }

  /**
   * The regions of `step`: the full grid if known (or if there is no page to be quick
   * for), else the coarse one, with the full one made when the page is idle.
   */
  function regions(step) {
    if (run.images[step] || !win) return { text: regionsAt(step, false), busy: false };
    if (refining !== step) {
      refining = step;
      const r = run;
      const idle = win.requestIdleCallback || ((f) => win.setTimeout(f, 50));
      idle(() => {
        refining = null;
        if (run !== r || shownStep !== step) return; // moved on meanwhile
        regionsAt(step, false);
        refresh();
      });
    }
    return { text: regionsAt(step, true), busy: true };
  }

  return {
    compute(values) {
      const { hidden, lr } = values;
      if (!run || run.hidden !== hidden || run.lr !== lr) start(hidden, lr);
      if (!win && !run.worker) trainFor(run, values.step);
      const wanted = values.step;
      const shown = Math.min(wanted, run.trained - 1);
      const reference = config.references ? config.references[settingKey(hidden, lr)] : null;
      if (shown < 0) {
        return { state: { hidden, lr, step: wanted, trained: -1, losses: [], reference }, busy: true };
      }
      shownStep = shown;
      const stats = statsAt(shown);
      const area = regions(shown);
      const loss = run.losses[shown];
      const finished = run.diverged || run.trained > config.steps;
      let parted = null;
      if (finished && reference) {
        parted = run.diverged
          ? reference.diverged === null
          : Math.abs(run.losses[config.steps] - reference.loss) > PARTED_RTOL * Math.abs(reference.loss);
      }
      return {
        state: {
          hidden, lr, step: shown, trained: run.trained - 1, loss, accuracy: stats.accuracy,
          dead: stats.dead, losses: Array.from(run.losses.subarray(0, run.trained)),
          regions: area.text, blownUp: loss > run.losses[0],
          diverged: run.diverged ? run.diverged.step : null,
          reference, parted, thread: run.worker ? "worker" : "page",
        },
        busy: shown < wanted && !run.diverged ? true : area.busy,
      };
    },
  };
}

function pad(text, width) {
  return String(text).padStart(width);
}

const percent = (v) => (100 * v).toFixed(1) + "%";

export const view = {
  build(kit, config) {
    this.config = config;
    const X = decode(config.X);
    const y = decode(config.y, "int32");
    const fig = kit.figure(2);
    const lim = config.limits;
    const r = fig.panel({ w: 320, h: 362 }, { x: 56, y: 34, w: 250, h: 250 }, {
      xlim: lim, ylim: lim, xlabel: "x\u2081", ylabel: "x\u2082", grid: false,
      xticks: [-1, -0.5, 0, 0.5, 1], yticks: [-1, -0.5, 0, 0.5, 1],
      title: "predicted class (regions) and data",
    });
    this.regions = r.raster(config.grid);
    const points = r.overlay(); // the data, drawn once over the regions, a shape per class
    for (let i = 0; i < y.length; i++) {
      const k = y[i];
      const px = r.sx(X[2 * i]);
      const py = r.sy(X[2 * i + 1]);
      const style = { fill: CLASS_COLORS[k], stroke: C.black, "stroke-width": 0.5 };
      classMarker(CLASS_MARKERS[k % CLASS_MARKERS.length], px, py, 2.7, style, points);
    }
    // Each class as its points are drawn: its colour and its shape.
    r.legend(CLASS_COLORS.slice(0, config.nOut).map((c, j) => ({
      label: `class ${j + 1}`, color: c, kind: "marker", marker: CLASS_MARKERS[j % CLASS_MARKERS.length],
      edge: C.black,
    })), { x: 0.0, y: -0.24, columns: config.nOut, columnWidth: 84 });

    // The loss panel is taller than the plot needs: the readout sits under the x label, out
    // of the plot, where it can hide neither the curve (near ln 3 all the way at a large
    // learning rate) nor the marker. The numbers on the left, the warnings on the right.
    // The plot leaves room on its right for the label "ln 3", beside the end of its line.
    const box = { x: 58, y: 34, w: 270, h: 250 };
    const l = fig.panel({ w: 360, h: 442 }, box, {
      xlim: [-20, config.steps + 20], ylim: config.lossLimits, ylog: true,
      yticks: [0.2, 0.5, 1, 2, 5, 10, 20], xlabel: "training step", ylabel: "loss (log scale)",
      title: "training loss (dashed: ln 3)",
    });
    l.hline(Math.log(3), { color: C.grey, width: 1, dash: "5 3" });
    // Outside the plot, where no curve is drawn: at a large learning rate the loss spikes
    // through ln 3 all along the steps, and covered a label inside ("n 3").
    const [lo, hi] = config.lossLimits;
    const ln3 = l.text(1 + 3 / box.w, (Math.log(Math.log(3)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)), {
      axes: true, baseline: "middle", size: 12, color: C.grey, still: true,
    });
    ln3.set("ln 3");
    this.lossLine = l.line({ color: C.blue, width: 1.6 });
    // Black: no class's colour (the class legend is just above it on a phone).
    this.marker = l.marker({ color: C.black });
    // The boxes' top edge 48 px under the plot, 12 px under the label (in plot fractions).
    const top = -(48 + readoutBox(0).above) / box.h;
    this.readout = l.text((13 - box.x) / box.w, top, { axes: true, baseline: "top", box: true });
    this.warning = l.text((347 - box.x) / box.w, top, { axes: true, anchor: "end", baseline: "top", box: true });
    this.stepAxis = [...Array(config.steps + 1).keys()];
  },

  draw(state) {
    const { hidden, lr } = state;
    const settings = [`hidden     ${pad(hidden, 5)}`, `lr         ${pad(lr, 5)}`];
    if (state.trained < 0) {
      this.readout.set([...settings, "training\u2026"]);
      this.warning.show(false);
      return "Training\u2026";
    }
    const [lo, hi] = this.config.lossLimits;
    const clip = (v) => Math.min(hi, Math.max(lo, v));
    const losses = state.losses;
    if (this.curveOf !== `${hidden}|${lr}` || this.curveLength !== losses.length) { // the curve grew
      this.curveOf = `${hidden}|${lr}`;
      this.curveLength = losses.length;
      this.lossLine.set(this.stepAxis.slice(0, losses.length), losses.map(clip));
    }
    if (state.regions !== this.drawnRegions) {
      this.drawnRegions = state.regions;
      const n = this.config.grid;
      const text = state.regions;
      // Grid row 0 is the bottom of the plane, the raster's row 0 its top.
      this.regions.draw((row, col) => CLASS_TINTS[text.charCodeAt((n - 1 - row) * n + col) - 48]);
    }
    const { step, loss, accuracy, dead, reference } = state;
    this.marker.set(step, clip(loss));
    const lines = [
      ...settings,
      `step       ${pad(step, 5)}`,
      `loss       ${pad(loss.toFixed(3), 6)}`,
      `accuracy   ${pad((100 * accuracy).toFixed(1), 5)}%`,
      `dead units ${pad((100 * dead).toFixed(1), 5)}%`,
    ];
    const warnings = []; // at most four lines of at most 23 characters: clear of the numbers
    let message = "";
    if (state.diverged !== null) {
      message = `Training diverged at step ${state.diverged}: lower the learning rate.`;
      warnings.push(`diverged at step ${state.diverged}`);
    } else if (state.blownUp) {
      message = "The loss is above its start: the learning rate is too large.";
      warnings.push("loss above its start:", "learning rate too large");
    }
    if (state.parted && reference) {
      warnings.push("nnmath\u2019s run ends at", `loss ${reference.loss.toFixed(3)}, ${percent(reference.accuracy)}`);
      // Said at every step shown, step 12 as well: what parted is where the runs end.
      message += ` By step ${this.config.steps} this run and nnmath\u2019s have parted: at this learning ` +
        "rate, differences in the last bit of the arithmetic grow, step by step, into a different " +
        `run. nnmath\u2019s run ends with loss ${fmt(reference.loss, 3)}, accuracy ` +
        `${percent(reference.accuracy)}, ${percent(reference.dead)} dead units.`;
    }
    this.readout.set(lines);
    this.warning.show(warnings.length > 0);
    if (warnings.length) this.warning.set(warnings);
    return `Step ${step}: loss ${loss.toFixed(3)}, accuracy ${percent(accuracy)}, dead units ` +
      `${percent(dead)}.` + (message ? " " + message.trim() : "");
  },
};
