/* The drawing kit of the explorers' one view: numbers as the figures print them, and
 * panels in SVG (axes, lines, bars, markers, text, legends, rasters).
 *
 * A figure is a row of panels that wraps: side by side on a wide column, stacked on a
 * phone, each panel its own SVG with a fixed viewBox, scaled to its width. Inside a panel,
 * what never changes is drawn in a lower SVG and what moves in an upper one, on its own
 * compositing layer, so a move repaints only that layer; rasters (decision regions) go
 * between them.
 *
 * The same code draws in a browser (the book's page, a Jupyter widget) and in Node at
 * build time, in a DOM without canvas, for the still picture of a reader without
 * JavaScript: there a raster is drawn as SVG rectangles.
 */
import { PALETTE } from "./generated/constants.json";

export const SVG_NS = "http" + "://www.w3.org/2000/svg"; // an XML namespace name, never fetched
let counter = 0;

/** A short id, unique in the page. */
export function uid(prefix) {
  counter += 1;
  return prefix + counter;
}

// -- numbers ------------------------------------------------------------------------------
/** A number with a true minus sign (U+2212), as the figures' labels show it; no "−0.000". */
export function fmt(value, digits) {
  let text = Number(value).toFixed(digits);
  if (/^-0\.?0*$/.test(text)) text = text.slice(1);
  return text.replace("-", "\u2212");
}

/** A number in exponent form with a true minus sign, like Python's "{:.1e}". */
export function fmtExp(value, digits) {
  const [mantissa, exp] = Number(value).toExponential(digits).split("e");
  const exponent = parseInt(exp, 10);
  const mag = Math.abs(exponent);
  const text = mantissa + "e" + (exponent < 0 ? "-" : "+") + (mag < 10 ? "0" : "") + mag;
  return text.replace(/-/g, "\u2212");
}

/** A sign in front of a non-negative number too ("+1.00"), the minus a true one. */
export function signed(value, digits) {
  return (value >= 0 ? "+" : "") + fmt(value, digits);
}

/** n evenly spaced numbers from lo to hi, both included, as numpy.linspace makes them. */
export function linspace(lo, hi, n) {
  const out = new Array(n);
  const step = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = lo + i * step;
  out[n - 1] = hi;
  return out;
}

/** Round, readable tick positions covering [lo, hi]. */
export function niceTicks(lo, hi, count) {
  const raw = (hi - lo) / (count || 5);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = mag;
  for (const s of [1, 2, 2.5, 5, 10]) {
    if (s * mag >= raw) {
      step = s * mag;
      break;
    }
  }
  const ticks = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) {
    ticks.push(Math.abs(t) < 1e-12 * step ? 0 : t);
  }
  return ticks;
}

function tickLabel(value) {
  return String(Math.round(value * 1e6) / 1e6).replace("-", "\u2212");
}

/** A colour map from evenly spaced anchor colours ("#rrggbb"), linear in between. */
export function colormap(anchors) {
  const rgb = anchors.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  return (t) => {
    t = Math.min(1, Math.max(0, t));
    const pos = t * (rgb.length - 1);
    const i = Math.min(rgb.length - 2, Math.floor(pos));
    const f = pos - i;
    const c = [0, 1, 2].map((k) => Math.round(rgb[i][k] + f * (rgb[i + 1][k] - rgb[i][k])));
    return "rgb(" + c.join(",") + ")";
  };
}

// -- SVG ------------------------------------------------------------------------------------
/** A new SVG element in the document of `parent` (or `doc`), with attributes. */
export function el(name, attrs, parent, doc) {
  const node = (parent ? parent.ownerDocument : doc).createElementNS(SVG_NS, name);
  if (attrs) setAttrs(node, attrs);
  if (parent) parent.appendChild(node);
  return node;
}

export function setAttrs(node, attrs) {
  for (const key of Object.keys(attrs)) {
    if (attrs[key] !== undefined && attrs[key] !== null) node.setAttribute(key, attrs[key]);
  }
  return node;
}

/** Set attributes, skipping those that already have the value (no needless restyle). */
export function update(node, attrs) {
  for (const key of Object.keys(attrs)) {
    const value = String(attrs[key]);
    if (node.getAttribute(key) !== value) node.setAttribute(key, value);
  }
}

/** Text, possibly several lines (an array), in a <text> element with <tspan>s. */
function setText(node, lines, lineHeight) {
  const spans = node.childNodes;
  while (spans.length > lines.length) node.removeChild(node.lastChild);
  const x = node.getAttribute("x");
  for (let i = 0; i < lines.length; i++) {
    const span = spans[i] || el("tspan", { dy: i === 0 ? "0" : lineHeight + "em" }, node);
    if (span.getAttribute("x") !== x) span.setAttribute("x", x);
    if (span.textContent !== lines[i]) span.textContent = lines[i];
  }
}

/**
 * A class's marker (nnmath.plots.CLASS_MARKERS: "o" circle, "s" square, "^" triangle) of
 * radius r centred at (x, y), in `parent`: the data points and their legend draw the same.
 */
export function classMarker(marker, x, y, r, attrs, parent) {
  if (marker === "s") {
    const h = 0.89 * r;
    return el("rect", { ...attrs, x: x - h, y: y - h, width: 2 * h, height: 2 * h }, parent);
  }
  if (marker === "^") {
    const [top, w, h] = [1.22 * r, 1.11 * r, 1.93 * r];
    const d = `M${+x.toFixed(2)} ${+(y - top).toFixed(2)}l${+w.toFixed(2)} ${+h.toFixed(2)}l${+(-2 * w).toFixed(2)} 0z`;
    return el("path", { ...attrs, d }, parent);
  }
  return el("circle", { ...attrs, cx: x, cy: y, r }, parent);
}

/** Font sizes in SVG pixels. A panel is scaled to the column, down to 0.85 on a phone. */
export const SIZE = { tick: 11, text: 13, title: 14 };
/** Lines of a text block, in ems apart. */
const LINE_HEIGHT = 1.25;

/**
 * The box of a readout (`text(..., {box: true})`) of n lines at font size `size`: how far
 * its top edge is above the point its text hangs from (baseline "top"), and its height.
 * Views place what goes under a readout with it.
 */
export function readoutBox(n, size = SIZE.text) {
  return { above: 0.05 * size + 3, height: n * LINE_HEIGHT * size + 6 };
}
/** DejaVu Sans Mono is 0.602 em a character: the width of a monospace block. */
const MONO_EM = 0.602;

/**
 * One panel of a figure: its own SVG layers, a data-to-pixel mapping, axes and artists.
 * size = {w, h} of its viewBox; box = {x, y, w, h}, the plotting area in it; opts =
 * {xlim, ylim, ylog, xticks, yticks, xtickLabels, ytickLabels, xlabel, ylabel, title,
 * grid, gridX, spines, ylabelOffset}.
 */
export class Axes {
  constructor(figure, size, box, opts) {
    const doc = figure.doc;
    this.figure = figure;
    this.size = size;
    this.box = box;
    this.opts = opts;
    this.xlim = opts.xlim || [0, 1];
    this.ylim = opts.ylim || [0, 1];
    this.ylog = !!opts.ylog;
    this.id = uid(figure.uid + "-p");
    const holder = doc.createElement("div");
    holder.className = "nx-panel";
    holder.style.flex = `${size.w} 1 ${Math.round(0.7 * size.w)}px`;
    holder.style.aspectRatio = `${size.w} / ${size.h}`;
    figure.host.appendChild(holder);
    this.holder = holder;
    this.viewBox = `0 0 ${size.w} ${size.h}`;
    this.svg = this.layer("nnmath-explorer-figure");
    el("rect", { x: 0, y: 0, width: size.w, height: size.h, class: "nx-background" }, this.svg);
    this.live = this.layer("nnmath-explorer-figure nx-live");
    this.over = null; // made by overlay(): what never changes but lies over a raster
    const clip = el("clipPath", { id: this.id + "-clip" }, el("defs", {}, this.svg));
    el("rect", { x: box.x, y: box.y, width: box.w, height: box.h }, clip);
    const liveClip = el("clipPath", { id: this.id + "-live" }, el("defs", {}, this.live));
    el("rect", { x: box.x, y: box.y, width: box.w, height: box.h }, liveClip);
    this.back = el("g", {}, this.svg); // grid, reference lines: behind the data
    this.still = el("g", { "clip-path": `url(#${this.id}-clip)` }, this.svg);
    this.frame = el("g", { class: "nx-frame" }, this.svg); // spines, ticks, titles, legends
    this.data = el("g", { "clip-path": `url(#${this.id}-live)` }, this.live);
    this.front = el("g", {}, this.live); // markers, text: over the data, not clipped
    this.drawFrame();
  }

  /** A new SVG layer of the panel, over the ones before it. */
  layer(className) {
    const svg = el("svg", { viewBox: this.viewBox, class: className, "aria-hidden": "true" }, null, this.figure.doc);
    svg.setAttribute("font-family", "DejaVu Sans, Verdana, sans-serif");
    if (this.svg) svg.classList.add("nx-layer");
    this.holder.appendChild(svg);
    return svg;
  }

  sx(v) {
    const b = this.box;
    return b.x + ((v - this.xlim[0]) / (this.xlim[1] - this.xlim[0])) * b.w;
  }

  sy(v) {
    const b = this.box;
    const [lo, hi] = this.ylim;
    if (this.ylog) return b.y + b.h - ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * b.h;
    return b.y + b.h - ((v - lo) / (hi - lo)) * b.h;
  }

  drawFrame() {
    const o = this.opts;
    const b = this.box;
    const frame = this.frame;
    const xticks = o.xticks || niceTicks(this.xlim[0], this.xlim[1], 6);
    const yticks = o.yticks || niceTicks(this.ylim[0], this.ylim[1], 5);
    const xlabels = o.xtickLabels || xticks.map(tickLabel);
    const ylabels = o.ytickLabels || yticks.map(tickLabel);
    if (o.grid !== false) {
      if (o.gridX !== false) {
        for (const t of xticks) {
          const x = this.sx(t);
          el("line", { x1: x, x2: x, y1: b.y, y2: b.y + b.h, class: "nx-grid" }, this.back);
        }
      }
      for (const t of yticks) {
        const y = this.sy(t);
        el("line", { x1: b.x, x2: b.x + b.w, y1: y, y2: y, class: "nx-grid" }, this.back);
      }
    }
    const spines = o.spines !== false;
    if (spines) {
      el("line", { x1: b.x, x2: b.x + b.w, y1: b.y + b.h, y2: b.y + b.h, class: "nx-spine" }, frame);
      el("line", { x1: b.x, x2: b.x, y1: b.y, y2: b.y + b.h, class: "nx-spine" }, frame);
    }
    xticks.forEach((t, i) => {
      const x = this.sx(t);
      if (spines) el("line", { x1: x, x2: x, y1: b.y + b.h, y2: b.y + b.h + 4, class: "nx-spine" }, frame);
      const label = el("text", { x, y: b.y + b.h + 16, "text-anchor": "middle", class: "nx-tick" }, frame);
      label.textContent = xlabels[i];
    });
    yticks.forEach((t, i) => {
      const y = this.sy(t);
      if (spines) el("line", { x1: b.x - 4, x2: b.x, y1: y, y2: y, class: "nx-spine" }, frame);
      const label = el("text", { x: b.x - 7, y: y + 4, "text-anchor": "end", class: "nx-tick" }, frame);
      label.textContent = ylabels[i];
    });
    if (o.title) {
      const title = el("text", { x: b.x + b.w / 2, y: b.y - 10, "text-anchor": "middle", class: "nx-title" }, frame);
      title.textContent = o.title;
    }
    if (o.xlabel) {
      const xl = el("text", { x: b.x + b.w / 2, y: b.y + b.h + 36, "text-anchor": "middle", class: "nx-label" }, frame);
      xl.textContent = o.xlabel;
    }
    if (o.ylabel) {
      const cx = b.x - (o.ylabelOffset || 40);
      const cy = b.y + b.h / 2;
      const yl = el("text", {
        x: cx, y: cy, "text-anchor": "middle", class: "nx-label", transform: `rotate(-90 ${cx} ${cy})`,
      }, frame);
      yl.textContent = o.ylabel;
    }
  }

  /** A polyline through (xs[i], ys[i]); a non-finite value leaves a gap. `still`: drawn once. */
  line(style, still) {
    const path = el("path", {
      fill: "none", stroke: style.color, "stroke-width": style.width || 1.5,
      "stroke-dasharray": style.dash, opacity: style.opacity, "stroke-linejoin": "round",
    }, still ? this.still : this.data);
    return {
      node: path,
      set: (xs, ys) => {
        const parts = [];
        let pen = "M";
        for (let i = 0; i < xs.length; i++) {
          if (!Number.isFinite(ys[i]) || !Number.isFinite(xs[i])) {
            pen = "M";
            continue;
          }
          parts.push(pen + this.sx(xs[i]).toFixed(2) + " " + this.sy(ys[i]).toFixed(2));
          pen = "L";
        }
        update(path, { d: parts.join("") });
      },
      color: (c) => update(path, { stroke: c }),
    };
  }

  hline(y, style) {
    const b = this.box;
    const py = this.sy(y);
    return el("line", {
      x1: b.x, x2: b.x + b.w, y1: py, y2: py, stroke: style.color, "stroke-width": style.width || 1,
      "stroke-dasharray": style.dash, opacity: style.opacity,
    }, this.back);
  }

  vline(x, style) {
    const b = this.box;
    const px = this.sx(x);
    return el("line", {
      x1: px, x2: px, y1: b.y, y2: b.y + b.h, stroke: style.color, "stroke-width": style.width || 1,
      "stroke-dasharray": style.dash, opacity: style.opacity,
    }, this.back);
  }

  /**
   * A one-point marker; a point beyond the limits is drawn on the edge as a triangle
   * pointing the way it left. set(x, y) returns the triangle's direction, or null.
   */
  marker(style) {
    const size = style.size || 4.5;
    const group = el("g", {}, style.still ? this.frame : this.front);
    const dot = el("circle", { r: size, fill: style.color }, group);
    const tri = el("path", { fill: style.color, visibility: "hidden" }, group);
    return {
      set: (x, y) => {
        let shape = null;
        const lo = Math.min(this.xlim[0], this.xlim[1]);
        const hi = Math.max(this.xlim[0], this.xlim[1]);
        if (x > hi) [x, shape] = [hi, ">"];
        else if (x < lo) [x, shape] = [lo, "<"];
        if (y > this.ylim[1]) [y, shape] = [this.ylim[1], "^"];
        else if (y < this.ylim[0]) [y, shape] = [this.ylim[0], "v"];
        const px = this.sx(x);
        const py = this.sy(y);
        if (shape === null) {
          update(dot, { cx: px.toFixed(2), cy: py.toFixed(2), visibility: "visible" });
          update(tri, { visibility: "hidden" });
        } else {
          const s = size * 1.5;
          const d = {
            "^": [[0, -s], [s, s * 0.8], [-s, s * 0.8]],
            v: [[0, s], [s, -s * 0.8], [-s, -s * 0.8]],
            ">": [[s, 0], [-s * 0.8, s], [-s * 0.8, -s]],
            "<": [[-s, 0], [s * 0.8, s], [s * 0.8, -s]],
          }[shape];
          const path = "M" + d.map((p) => (px + p[0]).toFixed(2) + " " + (py + p[1]).toFixed(2)).join("L") + "Z";
          update(tri, { visibility: "visible", d: path });
          update(dot, { visibility: "hidden" });
        }
        return shape;
      },
    };
  }

  /** A bar from 0 to a height, centred at x, `width` wide in data units. */
  bar(style) {
    const rect = el("rect", {
      fill: style.fill === false ? "none" : style.color,
      stroke: style.edge || "none", "stroke-width": style.edgeWidth || 0, "stroke-dasharray": style.dash,
    }, this.data);
    const width = style.width;
    return {
      node: rect,
      set: (x, height) => {
        const x0 = this.sx(x - width / 2);
        const x1 = this.sx(x + width / 2);
        const y0 = this.sy(0);
        const y1 = this.sy(height);
        update(rect, {
          x: x0.toFixed(2), width: (x1 - x0).toFixed(2),
          y: Math.min(y0, y1).toFixed(2), height: Math.abs(y1 - y0).toFixed(2),
        });
      },
      opacity: (a) => update(rect, { opacity: a }),
      show: (visible) => update(rect, { visibility: visible ? "visible" : "hidden" }),
    };
  }

  /**
   * Text at (x, y): in data coordinates, or with `axes: true` in fractions of the plotting
   * area (0, 0 bottom left). anchor: start | middle | end; baseline: top | middle | bottom
   * (of the block). `box: true` draws the readout box: monospace text on a rounded box.
   */
  text(x, y, opts = {}) {
    const group = el("g", {}, opts.still ? this.frame : this.front);
    const rect = opts.box ? el("rect", { rx: 4, ry: 4, class: "nx-box" }, group) : null;
    const mono = opts.mono || opts.box;
    const node = el("text", {
      "text-anchor": opts.anchor || "start", class: mono ? "nx-mono" : "nx-text", fill: opts.color,
    }, group);
    const size = opts.size || SIZE.text;
    if (opts.size) node.setAttribute("font-size", size);
    const state = { x, y, lines: [] };
    const place = () => {
      const b = this.box;
      const px = opts.axes ? b.x + state.x * b.w : this.sx(state.x);
      const py = opts.axes ? b.y + (1 - state.y) * b.h : this.sy(state.y);
      const n = state.lines.length;
      const baseline = opts.baseline || "bottom";
      let first;
      if (baseline === "top") first = py + size * 0.9;
      else if (baseline === "middle") first = py + size * 0.35 - ((n - 1) * LINE_HEIGHT * size) / 2;
      else first = py - (n - 1) * LINE_HEIGHT * size - size * 0.2;
      let left = px;
      update(node, { "text-anchor": opts.anchor || "start" });
      const longest = Math.max(0, ...state.lines.map((l) => l.length));
      const width = longest * size * MONO_EM;
      if (mono && n > 1 && opts.anchor && opts.anchor !== "start") {
        // A block of monospace lines is placed as a whole, its lines flush left.
        left = opts.anchor === "end" ? px - width : px - width / 2;
        update(node, { "text-anchor": "start" });
      }
      update(node, { x: left.toFixed(2), y: first.toFixed(2) });
      setText(node, state.lines, LINE_HEIGHT);
      if (rect) {
        const w = width + 10;
        let x0 = px - 5;
        if (opts.anchor === "end") x0 = px - w + 5;
        else if (opts.anchor === "middle") x0 = px - w / 2;
        const { above, height } = readoutBox(n, size);
        update(rect, {
          x: x0.toFixed(2), y: (first - size * 0.9 - above).toFixed(2),
          width: w.toFixed(2), height: height.toFixed(2),
        });
      }
    };
    return {
      node,
      set: (lines) => {
        state.lines = Array.isArray(lines) ? lines : String(lines).split("\n");
        place();
      },
      move: (nx, ny) => {
        state.x = nx;
        state.y = ny;
        place();
      },
      color: (c) => update(node, { fill: c }),
      show: (visible) => update(group, { visibility: visible ? "visible" : "hidden" }),
      align: (baseline) => {
        opts.baseline = baseline;
        place();
      },
    };
  }

  /**
   * A legend: entries [{label, color, kind: "line" | "bar" | "dot" | "cross" | "outline" |
   * "marker", dash, width, marker (of a "marker": a class's, as classMarker draws it), edge
   * (its outline's colour)}] stacked from (x, y) in fractions of the plotting area; `columns` side by
   * side, `columnWidth` apart; `anchor: "end"` puts its right edge at x, `from: "bottom"`
   * its bottom edge at y; `boxed` puts it on a box.
   */
  legend(entries, opts = {}) {
    const b = this.box;
    const group = el("g", { class: "nx-legend" }, this.frame);
    const rowH = 17;
    const columns = opts.columns || 1;
    const colW = opts.columnWidth || 130;
    const rows = Math.ceil(entries.length / columns);
    let x0 = b.x + (opts.x === undefined ? 0.02 : opts.x) * b.w;
    let y0 = b.y + (1 - (opts.y === undefined ? 0.98 : opts.y)) * b.h;
    if (opts.anchor === "end") x0 -= columns * colW;
    if (opts.from === "bottom") y0 -= rows * rowH;
    if (opts.boxed) {
      el("rect", {
        x: x0 - 4, y: y0 - 2, width: columns * colW + 4, height: rows * rowH + 4, rx: 3, class: "nx-legend-box",
      }, group);
    }
    entries.forEach((entry, i) => {
      const x = x0 + Math.floor(i / rows) * colW;
      const y = y0 + (i % rows) * rowH + rowH / 2;
      const kind = entry.kind || "line";
      if (kind === "line") {
        el("line", {
          x1: x, x2: x + 22, y1: y, y2: y, stroke: entry.color, "stroke-width": entry.width || 2,
          "stroke-dasharray": entry.dash,
        }, group);
      } else if (kind === "bar") {
        el("rect", { x: x + 4, y: y - 5, width: 14, height: 10, fill: entry.color }, group);
      } else if (kind === "outline") {
        el("rect", {
          x: x + 4, y: y - 5, width: 14, height: 10, fill: "none", stroke: entry.color, "stroke-dasharray": "3 2",
        }, group);
      } else if (kind === "dot") {
        el("circle", { cx: x + 11, cy: y, r: 4, fill: entry.color }, group);
      } else if (kind === "marker") {
        const edge = entry.edge ? { stroke: entry.edge, "stroke-width": 0.7 } : {};
        classMarker(entry.marker, x + 11, y, 4.5, { fill: entry.color, ...edge }, group);
      } else if (kind === "cross") {
        el("path", { d: `M${x + 7} ${y - 4}l8 8m0 -8l-8 8`, stroke: entry.color, "stroke-width": 1.8 }, group);
      }
      const label = el("text", { x: x + 27, y: y + 4.5, class: "nx-legend-text" }, group);
      label.textContent = entry.label;
    });
    return group;
  }

  /**
   * A raster over the plotting area (decision regions): an n x n grid of colours, drawn
   * on a canvas between the panel's layers and scaled up without smoothing; in a DOM
   * without canvas (the still picture), as SVG rectangles. Returns {draw(rows)}, where
   * rows(r) gives the colours of row r (top row first) as [r, g, b] triples.
   */
  raster(n) {
    const b = this.box;
    const { w, h } = this.size;
    const doc = this.figure.doc;
    const canvas = doc.createElement("canvas");
    const context = typeof canvas.getContext === "function" ? canvas.getContext("2d") : null;
    if (!context) {
      const group = el("g", {}, this.still);
      return {
        draw: (colour) => {
          while (group.firstChild) group.removeChild(group.firstChild);
          const cw = b.w / n;
          const ch = b.h / n;
          for (let r = 0; r < n; r++) {
            for (let c = 0; c < n; ) {
              const rgb = colour(r, c);
              let end = c + 1;
              while (end < n && colour(r, end).join() === rgb.join()) end++;
              el("rect", {
                x: (b.x + c * cw).toFixed(2), y: (b.y + r * ch).toFixed(2),
                width: ((end - c) * cw + 0.4).toFixed(2), height: (ch + 0.4).toFixed(2),
                fill: `rgb(${rgb.join(",")})`,
              }, group);
              c = end;
            }
          }
        },
      };
    }
    canvas.width = canvas.height = n;
    canvas.className = "nx-raster";
    canvas.setAttribute("aria-hidden", "true");
    Object.assign(canvas.style, {
      left: (100 * b.x) / w + "%", top: (100 * b.y) / h + "%",
      width: (100 * b.w) / w + "%", height: (100 * b.h) / h + "%",
    });
    this.holder.insertBefore(canvas, this.over || this.live);
    const image = context.createImageData(n, n);
    return {
      draw: (colour) => {
        const data = image.data;
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < n; c++) {
            const rgb = colour(r, c);
            const o = 4 * (r * n + c);
            data[o] = rgb[0];
            data[o + 1] = rgb[1];
            data[o + 2] = rgb[2];
            data[o + 3] = 255;
          }
        }
        context.putImageData(image, 0, 0);
      },
    };
  }

  /**
   * A group for what never changes but must lie over a raster (the data points over the
   * decision regions), clipped to the plotting area: a layer between the raster and the
   * moving layer, so that a move does not repaint it.
   */
  overlay() {
    if (!this.over) {
      this.over = this.layer("nnmath-explorer-figure nx-over");
      this.holder.insertBefore(this.over, this.live);
      const clip = el("clipPath", { id: this.id + "-over" }, el("defs", {}, this.over));
      el("rect", { x: this.box.x, y: this.box.y, width: this.box.w, height: this.box.h }, clip);
      this.overGroup = el("g", { "clip-path": `url(#${this.id}-over)` }, this.over);
    }
    return this.overGroup;
  }
}

/**
 * A figure: panels in a row that wraps, under one accessible name. `columns` says how
 * many panels sit side by side on a wide column (the still picture is laid out so).
 */
export class Figure {
  constructor(host, label, columns = 2) {
    this.doc = host.ownerDocument;
    this.uid = uid("nx");
    this.columns = columns;
    const holder = this.doc.createElement("div");
    holder.className = "nx-figure";
    holder.setAttribute("role", "img");
    holder.setAttribute("aria-label", label);
    host.appendChild(holder);
    this.host = holder;
    this.panels = [];
  }

  panel(size, box, opts) {
    const ax = new Axes(this, size, box, opts);
    this.panels.push(ax);
    return ax;
  }
}

/** The book's colours, from nnmath.plots (generated at build time). */
export { PALETTE };

/** Numbers sent from Python as base64 of their little-endian bytes (float64 or int32). */
export function decode(b64, dtype = "float64") {
  const width = dtype === "int32" ? 4 : 8;
  const bin = atob(b64);
  const view = new DataView(Uint8Array.from(bin, (c) => c.charCodeAt(0)).buffer);
  const out = dtype === "int32" ? new Int32Array(bin.length / 4) : new Float64Array(bin.length / 8);
  for (let i = 0; i < out.length; i++) {
    out[i] = dtype === "int32" ? view.getInt32(4 * i, true) : view.getFloat64(8 * i, true);
  }
  return out;
}
