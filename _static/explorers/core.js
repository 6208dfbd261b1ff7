/* The book's explorers on the static page: controls, an SVG figure, and the glue.
 *
 * Each explorer is a <div class="nnmath-explorer" data-explorer="NAME"> holding a JSON
 * description written by nnmath.widgets.page: the control declarations (the same ones
 * the Jupyter widgets are made from) and what the drawing needs. This file builds
 * native form controls from the declarations, gives each view a small drawing kit
 * (axes, lines, bars, markers, text, in SVG), and after every change writes the
 * numbers the view drew into the root's data-state attribute (JSON), the stable hook
 * the book's tests read. The math is window.nnmath (nnmath.js); the views are the
 * explorers/NAME.js files, which call nnmathExplorers.register(NAME, view).
 *
 * A view is {build(kit, config, controls), update(values) -> {state, readout}}, registered
 * under the name in the spec's "view" (the explorer's name, or a shared view such as
 * "activation", which draws any elementwise formula):
 * build draws what never changes and creates the artists that move; update sets their
 * data from the control values and returns the numbers drawn and a one-line readout.
 * A view with work to finish later (training) returns {busy: true} and calls
 * controls.refresh() when it has more to show.
 *
 * Classic script, no modules and no workers: it runs from file:// as well as over http.
 */
(function () {
  "use strict";

  var SVG_NS = "http" + "://www.w3.org/2000/svg"; // an XML namespace name, never fetched
  var views = {};
  var counter = 0;

  // -- numbers ---------------------------------------------------------------------------
  /** A number with a true minus sign (U+2212), as the figures' labels show it. */
  function fmt(value, digits) {
    var text = Number(value).toFixed(digits);
    if (/^-0\.?0*$/.test(text)) text = text.slice(1); // no "−0.000"
    return text.replace("-", "\u2212");
  }

  /** A number in exponent form with a true minus sign, like Python's "{:.1e}". */
  function fmtExp(value, digits) {
    var text = Number(value).toExponential(digits); // "2.1e-10"
    var parts = text.split("e");
    var exponent = parseInt(parts[1], 10);
    var sign = exponent < 0 ? "-" : "+";
    var mag = Math.abs(exponent);
    return (parts[0] + "e" + sign + (mag < 10 ? "0" : "") + mag).replace(/-/g, "\u2212");
  }

  /** n evenly spaced numbers from lo to hi, both included (numpy.linspace). */
  function linspace(lo, hi, n) {
    var out = new Array(n);
    var step = (hi - lo) / (n - 1);
    for (var i = 0; i < n; i++) out[i] = lo + i * step;
    out[n - 1] = hi;
    return out;
  }

  /** Round, readable tick positions covering [lo, hi]. */
  function niceTicks(lo, hi, count) {
    var raw = (hi - lo) / (count || 5);
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    var step = mag;
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * mag >= raw) {
        step = steps[i] * mag;
        break;
      }
    }
    var ticks = [];
    for (var t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) {
      ticks.push(Math.abs(t) < 1e-12 * step ? 0 : t);
    }
    return ticks;
  }

  function tickLabel(value) {
    var text = String(Math.round(value * 1e6) / 1e6);
    return text.replace("-", "\u2212");
  }

  // -- SVG --------------------------------------------------------------------------------
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    if (attrs) setAttrs(node, attrs);
    if (parent) parent.appendChild(node);
    return node;
  }

  function setAttrs(node, attrs) {
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key) && attrs[key] !== undefined) {
        node.setAttribute(key, attrs[key]);
      }
    }
    return node;
  }

  var FONT = "DejaVu Sans, Verdana, sans-serif";
  var MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace";

  /** Text, possibly several lines (an array), in a <text> element with <tspan>s. */
  function setText(node, lines, lineHeight) {
    if (!Array.isArray(lines)) lines = [String(lines)];
    var spans = node.childNodes;
    while (spans.length > lines.length) node.removeChild(node.lastChild);
    var x = node.getAttribute("x");
    for (var i = 0; i < lines.length; i++) {
      var span = spans[i] || el("tspan", { dy: i === 0 ? "0" : lineHeight + "em" }, node);
      if (span.getAttribute("x") !== x) span.setAttribute("x", x);
      if (span.textContent !== lines[i]) span.textContent = lines[i];
    }
  }

  /** Set attributes, skipping those that already have the value (no needless restyle). */
  function update(node, attrs) {
    for (var key in attrs) {
      var value = String(attrs[key]);
      if (node.getAttribute(key) !== value) node.setAttribute(key, value);
    }
  }

  /**
   * One panel: a data-to-pixel mapping, axes with ticks and labels, and artists.
   * box = {x, y, w, h} in SVG pixels; opts = {xlim, ylim, ylog, xticks, yticks,
   * xtickLabels, ytickLabels, xlabel, ylabel, title, grid, spines}.
   */
  function Axes(figure, box, opts) {
    this.figure = figure;
    this.box = box;
    this.opts = opts;
    this.xlim = opts.xlim;
    this.ylim = opts.ylim;
    this.ylog = !!opts.ylog;
    var clipId = figure.uid + "-clip-" + figure.axes.length;
    var clip = el("clipPath", { id: clipId }, figure.defs);
    el("rect", { x: box.x, y: box.y, width: box.w, height: box.h }, clip);
    var liveClip = el("clipPath", { id: clipId + "-live" }, figure.liveDefs);
    el("rect", { x: box.x, y: box.y, width: box.w, height: box.h }, liveClip);
    // What never changes is drawn in the figure's lower SVG, what moves in the upper
    // one, which sits on its own compositing layer: a move repaints only that layer.
    this.back = el("g", {}, figure.svg); // grid, reference lines: behind the data
    this.still = el("g", { "clip-path": "url(#" + clipId + ")" }, figure.svg);
    this.data = el("g", { "clip-path": "url(#" + clipId + "-live)" }, figure.live);
    this.front = el("g", {}, figure.live); // markers, text: over the data, not clipped
    this.drawFrame();
  }

  Axes.prototype.sx = function (v) {
    var b = this.box;
    return b.x + ((v - this.xlim[0]) / (this.xlim[1] - this.xlim[0])) * b.w;
  };

  Axes.prototype.sy = function (v) {
    var b = this.box;
    var lo = this.ylim[0];
    var hi = this.ylim[1];
    if (this.ylog) {
      return b.y + b.h - ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * b.h;
    }
    return b.y + b.h - ((v - lo) / (hi - lo)) * b.h;
  };

  Axes.prototype.drawFrame = function () {
    var o = this.opts;
    var b = this.box;
    var g = this.back;
    var frame = this.figure.frame;
    var self = this;
    var xticks = o.xticks || niceTicks(this.xlim[0], this.xlim[1], 6);
    var yticks = o.yticks || niceTicks(this.ylim[0], this.ylim[1], 5);
    var xlabels = o.xtickLabels || xticks.map(tickLabel);
    var ylabels = o.ytickLabels || yticks.map(tickLabel);
    if (o.grid !== false) {
      xticks.forEach(function (t) {
        if (o.gridX === false) return;
        var x = self.sx(t);
        el("line", { x1: x, x2: x, y1: b.y, y2: b.y + b.h, class: "nx-grid" }, g);
      });
      yticks.forEach(function (t) {
        var y = self.sy(t);
        el("line", { x1: b.x, x2: b.x + b.w, y1: y, y2: y, class: "nx-grid" }, g);
      });
    }
    if (o.spines !== false) {
      el("line", { x1: b.x, x2: b.x + b.w, y1: b.y + b.h, y2: b.y + b.h, class: "nx-spine" }, frame);
      el("line", { x1: b.x, x2: b.x, y1: b.y, y2: b.y + b.h, class: "nx-spine" }, frame);
    }
    xticks.forEach(function (t, i) {
      var x = self.sx(t);
      if (o.spines !== false) {
        el("line", { x1: x, x2: x, y1: b.y + b.h, y2: b.y + b.h + 4, class: "nx-spine" }, frame);
      }
      var label = el("text", { x: x, y: b.y + b.h + 16, "text-anchor": "middle", class: "nx-tick" }, frame);
      label.textContent = xlabels[i];
    });
    yticks.forEach(function (t, i) {
      var y = self.sy(t);
      if (o.spines !== false) {
        el("line", { x1: b.x - 4, x2: b.x, y1: y, y2: y, class: "nx-spine" }, frame);
      }
      var label = el("text", { x: b.x - 7, y: y + 3.5, "text-anchor": "end", class: "nx-tick" }, frame);
      label.textContent = ylabels[i];
    });
    if (o.title) {
      var title = el("text", { x: b.x + b.w / 2, y: b.y - 9, "text-anchor": "middle", class: "nx-title" }, frame);
      title.textContent = o.title;
    }
    if (o.xlabel) {
      var xl = el("text", { x: b.x + b.w / 2, y: b.y + b.h + 34, "text-anchor": "middle", class: "nx-label" }, frame);
      xl.textContent = o.xlabel;
    }
    if (o.ylabel) {
      var cx = b.x - (o.ylabelOffset || 40);
      var cy = b.y + b.h / 2;
      var yl = el("text", {
        x: cx, y: cy, "text-anchor": "middle", class: "nx-label",
        transform: "rotate(-90 " + cx + " " + cy + ")",
      }, frame);
      yl.textContent = o.ylabel;
    }
  };

  /** A polyline through (xs[i], ys[i]); a non-finite y leaves a gap. `still`: drawn once. */
  Axes.prototype.line = function (style, still) {
    var path = el("path", {
      fill: "none", stroke: style.color, "stroke-width": style.width || 1.5,
      "stroke-dasharray": style.dash, opacity: style.opacity,
      "stroke-linejoin": "round",
    }, still ? this.still : this.data);
    var ax = this;
    return {
      node: path,
      set: function (xs, ys) {
        var parts = [];
        var pen = "M";
        for (var i = 0; i < xs.length; i++) {
          if (!isFinite(ys[i]) || !isFinite(xs[i])) {
            pen = "M";
            continue;
          }
          parts.push(pen + ax.sx(xs[i]).toFixed(2) + " " + ax.sy(ys[i]).toFixed(2));
          pen = "L";
        }
        update(path, { d: parts.join("") });
      },
      color: function (c) {
        update(path, { stroke: c });
      },
    };
  };

  Axes.prototype.hline = function (y, style) {
    var b = this.box;
    var py = this.sy(y);
    return el("line", {
      x1: b.x, x2: b.x + b.w, y1: py, y2: py, stroke: style.color,
      "stroke-width": style.width || 1, "stroke-dasharray": style.dash, opacity: style.opacity,
    }, this.back);
  };

  Axes.prototype.vline = function (x, style) {
    var b = this.box;
    var px = this.sx(x);
    return el("line", {
      x1: px, x2: px, y1: b.y, y2: b.y + b.h, stroke: style.color,
      "stroke-width": style.width || 1, "stroke-dasharray": style.dash, opacity: style.opacity,
    }, this.back);
  };

  /**
   * A one-point marker; a point beyond the limits is drawn on the edge as a triangle
   * pointing the way it left (as nnmath.widgets.explorer.clip_marker does).
   */
  Axes.prototype.marker = function (style) {
    var size = style.size || 4.5;
    var group = el("g", {}, style.still ? this.figure.frame : this.front);
    var dot = el("circle", {
      r: size, fill: style.color, stroke: style.edge || "none",
      "stroke-width": style.edge ? 1 : 0,
    }, group);
    var tri = el("path", { fill: style.color, visibility: "hidden" }, group);
    var ax = this;
    return {
      set: function (x, y) {
        var shape = null;
        var lo = Math.min(ax.xlim[0], ax.xlim[1]);
        var hi = Math.max(ax.xlim[0], ax.xlim[1]);
        if (x > hi) { x = hi; shape = ">"; } else if (x < lo) { x = lo; shape = "<"; }
        if (y > ax.ylim[1]) { y = ax.ylim[1]; shape = "^"; } else if (y < ax.ylim[0]) { y = ax.ylim[0]; shape = "v"; }
        var px = ax.sx(x);
        var py = ax.sy(y);
        if (shape === null) {
          update(dot, { cx: px.toFixed(2), cy: py.toFixed(2), visibility: "visible" });
          update(tri, { visibility: "hidden" });
        } else {
          var s = size * 1.5;
          var d = {
            "^": [[0, -s], [s, s * 0.8], [-s, s * 0.8]],
            v: [[0, s], [s, -s * 0.8], [-s, -s * 0.8]],
            ">": [[s, 0], [-s * 0.8, s], [-s * 0.8, -s]],
            "<": [[-s, 0], [s * 0.8, s], [s * 0.8, -s]],
          }[shape];
          update(tri, { visibility: "visible", d: "M" + d.map(function (p) {
            return (px + p[0]).toFixed(2) + " " + (py + p[1]).toFixed(2);
          }).join("L") + "Z" });
          update(dot, { visibility: "hidden" });
        }
        return shape;
      },
    };
  };

  /** A bar from 0 (or from `base`) to a height, centred at x with a width in data units. */
  Axes.prototype.bar = function (style) {
    var rect = el("rect", {
      fill: style.fill === false ? "none" : style.color,
      stroke: style.edge || "none", "stroke-width": style.edgeWidth || 0,
      "stroke-dasharray": style.dash,
    }, this.data);
    var ax = this;
    var width = style.width;
    return {
      node: rect,
      set: function (x, height) {
        var x0 = ax.sx(x - width / 2);
        var x1 = ax.sx(x + width / 2);
        var y0 = ax.sy(0);
        var y1 = ax.sy(height);
        update(rect, {
          x: x0.toFixed(2), width: (x1 - x0).toFixed(2),
          y: Math.min(y0, y1).toFixed(2), height: Math.abs(y1 - y0).toFixed(2),
        });
      },
      opacity: function (a) {
        update(rect, { opacity: a });
      },
      show: function (visible) {
        update(rect, { visibility: visible ? "visible" : "hidden" });
      },
    };
  };

  /**
   * Text at (x, y): in data coordinates, or with `axes: true` in fractions of the panel
   * (0, 0 bottom left, as matplotlib's transAxes). anchor: start | middle | end;
   * baseline: top | middle | bottom (of the first line). `box: true` draws the
   * readout box: monospace text on a white rounded box with a grey edge.
   */
  Axes.prototype.text = function (x, y, opts) {
    opts = opts || {};
    var group = el("g", {}, opts.still ? this.figure.frame : this.front);
    var rect = opts.box ? el("rect", { rx: 4, ry: 4, class: "nx-box" }, group) : null;
    var node = el("text", {
      "text-anchor": opts.anchor || "start",
      class: opts.mono || opts.box ? "nx-mono" : "nx-text",
      fill: opts.color,
    }, group);
    if (opts.size) node.style.fontSize = opts.size + "px";
    var ax = this;
    var lineHeight = 1.25;
    var state = { x: x, y: y, lines: [] };
    function place() {
      var px = opts.axes ? ax.box.x + state.x * ax.box.w : ax.sx(state.x);
      var py = opts.axes ? ax.box.y + (1 - state.y) * ax.box.h : ax.sy(state.y);
      var size = opts.size || 12;
      var n = state.lines.length;
      var baseline = opts.baseline || "bottom";
      // The y of the first line's baseline, from where the block should sit.
      var first = py;
      if (baseline === "top") first = py + size * 0.9;
      else if (baseline === "middle") first = py + size * 0.35 - ((n - 1) * lineHeight * size) / 2;
      else first = py - (n - 1) * lineHeight * size - size * 0.2;
      var x = px;
      update(node, { "text-anchor": opts.anchor || "start" });
      var mono = opts.mono || opts.box;
      if (mono && n > 1 && opts.anchor && opts.anchor !== "start") {
        // A block of monospace lines is placed as a whole and its lines start flush
        // left, as a readout should read; DejaVu Sans Mono is 0.602 em a character.
        var longest = 0;
        state.lines.forEach(function (l) { longest = Math.max(longest, l.length); });
        var width = longest * size * 0.602;
        x = opts.anchor === "end" ? px - width : px - width / 2;
        update(node, { "text-anchor": "start" });
      }
      update(node, { x: x.toFixed(2), y: first.toFixed(2) });
      setText(node, state.lines, lineHeight);
      if (rect) {
        var chars = 0;
        state.lines.forEach(function (l) { chars = Math.max(chars, l.length); });
        var w = chars * size * 0.602 + 10;
        var h = n * lineHeight * size + 6;
        var left = px - 5;
        if (opts.anchor === "end") left = px - w + 5;
        else if (opts.anchor === "middle") left = px - w / 2;
        update(rect, {
          x: left.toFixed(2), y: (first - size * 0.95 - 3).toFixed(2),
          width: w.toFixed(2), height: h.toFixed(2),
        });
      }
    }
    return {
      node: node,
      set: function (lines) {
        state.lines = Array.isArray(lines) ? lines : String(lines).split("\n");
        place();
      },
      move: function (nx, ny) {
        state.x = nx;
        state.y = ny;
        place();
      },
      color: function (c) {
        update(node, { fill: c });
      },
      show: function (visible) {
        update(group, { visibility: visible ? "visible" : "hidden" });
      },
      align: function (baseline) {
        opts.baseline = baseline;
        place();
      },
    };
  };

  /**
   * A legend: entries [{label, color, kind: "line" | "bar" | "dot" | "cross" | "outline",
   * dash, width}] stacked from (x, y) in panel fractions; `columns` side by side.
   */
  Axes.prototype.legend = function (entries, opts) {
    opts = opts || {};
    var b = this.box;
    var group = el("g", {}, this.figure.frame);
    var size = 11;
    var rowH = 15;
    var columns = opts.columns || 1;
    var colW = opts.columnWidth || 130;
    var rows = Math.ceil(entries.length / columns);
    var x0 = b.x + (opts.x === undefined ? 0.02 : opts.x) * b.w;
    var y0 = b.y + (1 - (opts.y === undefined ? 0.98 : opts.y)) * b.h;
    if (opts.anchor === "end") x0 -= columns * colW;
    if (opts.from === "bottom") y0 -= rows * rowH;
    if (opts.boxed) {
      el("rect", {
        x: x0 - 4, y: y0 - 2, width: columns * colW + 4, height: rows * rowH + 4,
        rx: 3, class: "nx-legend-box",
      }, group);
    }
    entries.forEach(function (entry, i) {
      var col = Math.floor(i / rows);
      var row = i % rows;
      var x = x0 + col * colW;
      var y = y0 + row * rowH + rowH / 2;
      var kind = entry.kind || "line";
      if (kind === "line") {
        el("line", {
          x1: x, x2: x + 22, y1: y, y2: y, stroke: entry.color,
          "stroke-width": entry.width || 2, "stroke-dasharray": entry.dash,
        }, group);
      } else if (kind === "bar") {
        el("rect", { x: x + 4, y: y - 5, width: 14, height: 10, fill: entry.color }, group);
      } else if (kind === "outline") {
        el("rect", {
          x: x + 4, y: y - 5, width: 14, height: 10, fill: "none", stroke: entry.color,
          "stroke-dasharray": "3 2",
        }, group);
      } else if (kind === "dot") {
        el("circle", { cx: x + 11, cy: y, r: 4, fill: entry.color }, group);
      } else if (kind === "cross") {
        el("path", {
          d: "M" + (x + 7) + " " + (y - 4) + "l8 8m0 -8l-8 8",
          stroke: entry.color, "stroke-width": 1.8,
        }, group);
      }
      var label = el("text", { x: x + 27, y: y + 4, class: "nx-legend" }, group);
      label.textContent = entry.label;
      label.style.fontSize = size + "px";
    });
    return group;
  };

  /**
   * A raster over the whole panel (decision regions): an n x n canvas between the two
   * SVG layers, scaled up without smoothing. Returns {pixels, draw()}: fill `pixels`
   * (RGBA ImageData, row 0 at the top), then call draw().
   */
  Axes.prototype.raster = function (n) {
    var fig = this.figure;
    var b = this.box;
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = n;
    canvas.className = "nx-raster";
    canvas.setAttribute("aria-hidden", "true");
    canvas.style.left = (100 * b.x) / fig.width + "%";
    canvas.style.top = (100 * b.y) / fig.height + "%";
    canvas.style.width = (100 * b.w) / fig.width + "%";
    canvas.style.height = (100 * b.h) / fig.height + "%";
    fig.host.insertBefore(canvas, fig.over || fig.live);
    var context = canvas.getContext("2d");
    var pixels = context.createImageData(n, n);
    return {
      pixels: pixels,
      draw: function (image) {
        context.putImageData(image || pixels, 0, 0);
      },
    };
  };

  /**
   * A group for what never changes but must lie over a raster (the data points over the
   * decision regions), clipped to the panel: a third SVG layer, between the rasters and the
   * moving layer, so that a move does not repaint it.
   */
  Axes.prototype.overlay = function () {
    var fig = this.figure;
    if (!fig.over) {
      fig.over = el("svg", {
        viewBox: "0 0 " + fig.width + " " + fig.height, class: "nnmath-explorer-figure nx-over",
        "aria-hidden": "true",
      });
      fig.overDefs = el("defs", {}, fig.over);
      fig.host.insertBefore(fig.over, fig.live);
    }
    var id = fig.uid + "-over-" + fig.axes.indexOf(this);
    var clip = el("clipPath", { id: id }, fig.overDefs);
    el("rect", { x: this.box.x, y: this.box.y, width: this.box.w, height: this.box.h }, clip);
    return el("g", { "clip-path": "url(#" + id + ")" }, fig.over);
  };

  /** A rectangle in pixel coordinates inside the panel's live data layer (heatmap cells). */
  Axes.prototype.rect = function (attrs) {
    return el("rect", attrs, this.data);
  };

  /**
   * The figure: two SVGs with the same fixed viewBox, stacked and scaled to the column
   * width. The lower one holds what never changes (background, axes, legends, static
   * curves), the upper one what moves; rasters go between them.
   */
  function Figure(host, width, height, label) {
    this.uid = "nx" + ++counter;
    this.width = width;
    this.height = height;
    var holder = document.createElement("div");
    holder.className = "nx-layers";
    holder.style.aspectRatio = width + " / " + height;
    holder.setAttribute("role", "img");
    holder.setAttribute("aria-label", label);
    host.appendChild(holder);
    this.host = holder;
    var box = "0 0 " + width + " " + height;
    this.svg = el("svg", { viewBox: box, class: "nnmath-explorer-figure", "font-family": FONT, "aria-hidden": "true" });
    el("rect", { x: 0, y: 0, width: width, height: height, class: "nx-background" }, this.svg);
    this.defs = el("defs", {}, this.svg);
    this.live = el("svg", {
      viewBox: box, class: "nnmath-explorer-figure nx-live", "font-family": FONT, "aria-hidden": "true",
    });
    this.liveDefs = el("defs", {}, this.live);
    holder.appendChild(this.svg);
    holder.appendChild(this.live);
    this.over = null; // made by Axes.overlay(): what never changes but lies over a raster
    this.axes = [];
    // Frames (spines, ticks, titles, legends) are drawn over the panels' static data.
    this.frame = null;
  }

  Figure.prototype.panel = function (box, opts) {
    if (!this.frame) this.frame = el("g", { class: "nx-frame" });
    var ax = new Axes(this, box, opts);
    this.axes.push(ax);
    this.svg.appendChild(this.frame); // keep the frame group on top
    return ax;
  };

  /** A colour map from evenly spaced anchor colours ("#rrggbb"), linear in between. */
  function colormap(anchors) {
    var rgb = anchors.map(function (hex) {
      return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    });
    return function (t) {
      t = Math.min(1, Math.max(0, t));
      var pos = t * (rgb.length - 1);
      var i = Math.min(rgb.length - 2, Math.floor(pos));
      var f = pos - i;
      var c = [0, 1, 2].map(function (k) {
        return Math.round(rgb[i][k] + f * (rgb[i + 1][k] - rgb[i][k]));
      });
      return "rgb(" + c.join(",") + ")";
    };
  }

  // -- controls ------------------------------------------------------------------------
  /** Form controls from the declarations; calls onChange(name) after every change. */
  function Controls(host, declarations, uid, onChange) {
    this.values = {};
    this.rows = {};
    this.inputs = {};
    this.declarations = {};
    this.players = {};
    this.outputs = {};
    var self = this;
    var form = document.createElement("form");
    form.className = "nnmath-explorer-controls";
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    host.appendChild(form);
    declarations.forEach(function (d) {
      self.declarations[d.name] = d;
      self.values[d.name] = d.value;
      var id = uid + "-" + d.name;
      var row;
      if (d.kind === "range") {
        row = document.createElement("div");
        row.className = "nnmath-control nnmath-control-range";
        var label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = d.label;
        var input = document.createElement("input");
        setAttrs(input, { type: "range", id: id, name: d.name, min: d.min, max: d.max, step: d.step });
        input.value = d.value;
        var output = document.createElement("output");
        output.htmlFor = id;
        output.setAttribute("aria-hidden", "true"); // the slider's aria-valuetext says it
        row.appendChild(label);
        if (d.play) row.appendChild(self.player(d, input));
        row.appendChild(input);
        row.appendChild(output);
        input.addEventListener("input", function () {
          self.values[d.name] = Number(input.value);
          self.show(d.name);
          onChange(d.name);
        });
        self.inputs[d.name] = input;
        self.outputs[d.name] = output;
      } else if (d.kind === "radio") {
        row = document.createElement("fieldset");
        row.className = "nnmath-control nnmath-control-radio";
        var legend = document.createElement("legend");
        legend.textContent = d.label;
        row.appendChild(legend);
        d.options.forEach(function (option, i) {
          var optionId = id + "-" + i;
          var radio = document.createElement("input");
          setAttrs(radio, { type: "radio", id: optionId, name: id, value: String(i) });
          radio.checked = option.value === d.value;
          var text = document.createElement("label");
          text.htmlFor = optionId;
          text.textContent = option.label;
          radio.addEventListener("change", function () {
            if (!radio.checked) return;
            self.values[d.name] = option.value;
            onChange(d.name);
          });
          var pair = document.createElement("span");
          pair.className = "nnmath-option";
          pair.appendChild(radio);
          pair.appendChild(text);
          row.appendChild(pair);
        });
      } else if (d.kind === "select") {
        row = document.createElement("div");
        row.className = "nnmath-control nnmath-control-select";
        var selectLabel = document.createElement("label");
        selectLabel.htmlFor = id;
        selectLabel.textContent = d.label;
        var select = document.createElement("select");
        select.id = id;
        d.options.forEach(function (option, i) {
          var item = document.createElement("option");
          item.value = String(i);
          item.textContent = option.label;
          item.selected = option.value === d.value;
          select.appendChild(item);
        });
        select.addEventListener("change", function () {
          self.values[d.name] = d.options[Number(select.value)].value;
          onChange(d.name);
        });
        row.appendChild(selectLabel);
        row.appendChild(select);
      } else {
        throw new Error("control " + d.name + ": unknown kind " + JSON.stringify(d.kind));
      }
      self.rows[d.name] = row;
      form.appendChild(row);
      if (d.kind === "range") self.show(d.name);
    });
  }

  /** The readout of a slider's value, as the Jupyter slider shows it. */
  Controls.prototype.format = function (name, value) {
    var d = this.declarations[name];
    return Number(value).toFixed(d.decimals).replace("-", "\u2212");
  };

  Controls.prototype.show = function (name) {
    var d = this.declarations[name];
    var text = this.format(name, this.values[name]);
    this.outputs[name].textContent = text;
    this.inputs[name].setAttribute("aria-valuetext", d.label + " = " + text);
  };

  /** Set a slider's value from the view (the play button, a clamp). */
  Controls.prototype.set = function (name, value) {
    this.values[name] = value;
    this.inputs[name].value = value;
    this.show(name);
  };

  Controls.prototype.hide = function (name, hidden) {
    this.rows[name].hidden = !!hidden;
  };

  /** A play/pause button that moves a slider to its max, playStep per animation frame. */
  Controls.prototype.player = function (d, input) {
    var self = this;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nnmath-play";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-label", "play " + d.label);
    button.textContent = "\u25B6 play";
    var playing = false;
    function frame() {
      if (!playing) return;
      var next = Math.min(d.max, self.values[d.name] + d.playStep);
      self.set(d.name, next);
      input.dispatchEvent(new Event("input"));
      if (next >= d.max) stop();
      else requestAnimationFrame(frame);
    }
    function stop() {
      playing = false;
      button.setAttribute("aria-pressed", "false");
      button.textContent = "\u25B6 play";
    }
    button.addEventListener("click", function () {
      if (playing) {
        stop();
        return;
      }
      playing = true;
      button.setAttribute("aria-pressed", "true");
      button.textContent = "\u23F8 pause";
      if (self.values[d.name] >= d.max) self.set(d.name, d.min);
      requestAnimationFrame(frame);
    });
    this.players[d.name] = { button: button, stop: stop };
    return button;
  };

  // -- mounting ------------------------------------------------------------------------
  function mount(root) {
    if (root.getAttribute("data-ready")) return;
    var name = root.getAttribute("data-explorer");
    var script = root.querySelector("script.nnmath-explorer-spec");
    var spec = JSON.parse(script.textContent);
    var view = views[spec.view];
    if (!view) throw new Error("no page view " + JSON.stringify(spec.view) + " for explorer " + JSON.stringify(name));
    view = Object.create(view); // each explorer on a page keeps its own state
    var uid = "nnmath-" + name + "-" + ++counter;
    root.id = root.id || uid;
    var status = document.createElement("p");
    status.className = "nnmath-explorer-readout";
    status.setAttribute("aria-live", "polite");
    var holder = document.createElement("div");
    holder.className = "nnmath-explorer-card";
    var controls = new Controls(root, spec.controls, uid, function () { refresh(); });
    root.appendChild(holder);
    root.appendChild(status);
    var kit = {
      figure: function (width, height) { return new Figure(holder, width, height, spec.title); },
      fmt: fmt, fmtExp: fmtExp, linspace: linspace, colormap: colormap, el: el, update: update,
      status: status,
      palette: spec.style.palette,
      diverging: colormap(spec.style.diverging),
    };
    controls.refresh = refresh;
    view.build(kit, spec.config, controls);
    function refresh() {
      var out;
      try {
        out = view.update(controls.values, controls);
      } catch (error) {
        status.textContent = String(error.message || error);
        status.setAttribute("role", "alert");
        root.setAttribute("data-error", String(error.message || error));
        return;
      }
      root.removeAttribute("data-error");
      status.removeAttribute("role");
      root.setAttribute("data-state", JSON.stringify(out.state));
      root.setAttribute("data-busy", out.busy ? "true" : "false");
      if (out.readout !== undefined) status.textContent = out.readout;
    }
    refresh();
    root.setAttribute("data-ready", "true");
    // Once the page is idle, redraw a few times with the same values (nothing changes on
    // screen): the browser compiles the update path then, not on the reader's first move.
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
    idle(function () { for (var i = 0; i < 3; i++) refresh(); });
  }

  /**
   * Mount every explorer whose view has been registered. The book's pages fetch these
   * scripts once the page has loaded (_ext/page_explorers.py), and each view mounts its
   * explorers as it registers; with ``final``, a view still missing is an error.
   */
  function mountAll(final) {
    var roots = document.querySelectorAll(".nnmath-explorer[data-explorer]");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (root.getAttribute("data-ready")) continue;
      var view = root.getAttribute("data-view") || root.getAttribute("data-explorer");
      if (views[view] || final === true) mount(root);
    }
  }

  // Explorers come alive once the page has loaded: they sit below the first screen, and the
  // page's text and math should not wait for them. Loaded with the page (deferred scripts),
  // they mount when the browser is idle after the load event.
  var loaded = document.readyState === "complete";
  var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 1); };

  window.nnmathExplorers = {
    register: function (name, view) {
      views[name] = view;
      if (loaded) mountAll(false);
    },
    mount: mount,
    mountAll: mountAll,
    fmt: fmt,
    fmtExp: fmtExp,
  };

  window.addEventListener("load", function () {
    loaded = true;
    idle(function () { mountAll(true); }, { timeout: 500 });
  });
  if (loaded) mountAll(false);
})();
