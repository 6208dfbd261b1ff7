/* nnmath.js: nnmath's formulas for one sample, and its capstone network, in plain JavaScript.
 *
 * Built by esbuild into a classic script (no module at run time, no dependency): it defines
 * window.nnmath and runs from file:// and over http alike. Its constants (erf's
 * coefficients, the tolerance of a probability vector's sum, leaky_relu's default alpha)
 * are nnmath's own, generated from Python at build time (generated/constants.json).
 * Each function mirrors the nnmath function of the same name (relu_grad -> reluGrad) and
 * its numerics: the max shift and log-sum-exp; a logit of -Infinity masks its class;
 * losses from probabilities are the true value, +Infinity included, with 0 log 0 = 0 and
 * a zero target weight adding exactly 0; relu'(0) = 0 and leaky'(0) = alpha. A target y
 * is a 0-based class index or a probability vector. Bad input throws a TypeError (wrong
 * kind) or RangeError (wrong value, nnmath's ValueError) whose message names the argument:
 * no function returns NaN.
 */
import { NNMATH as CONSTANTS } from "./generated/constants.json";

(function () {
function install(root, C) {
  "use strict";

  var TOL = C.rowSumTol; // as nnmath: a probability vector sums to 1 within this

  function fail(Kind, message) { throw new Kind(message); }

  function show(v) {
    return typeof v === "string" ? JSON.stringify(v) : Array.isArray(v) ? "an array"
      : ArrayBuffer.isView(v) ? "a " + v.constructor.name : typeof v === "function" ? "a function"
      : v === null || typeof v !== "object" ? String(v) : "an object";
  }

  function isArray(v) { return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)); }

  function number(x, name) {
    if (typeof x !== "number") fail(TypeError, name + " must be a number, got " + show(x));
    if (x !== x) fail(RangeError, name + " is NaN");
    return x;
  }

  function unit(x, name) {
    if (!(number(x, name) >= 0 && x <= 1)) {
      fail(RangeError, name + " must lie in [0, 1] (probabilities), but " + name + " = " + x);
    }
    return x;
  }

  // An array (or typed array) of at least one number: one entry per class.
  function vector(z, name) {
    if (!isArray(z)) fail(TypeError, name + " must be an array of numbers, got " + show(z));
    if (!z.length) fail(RangeError, name + " is empty; it needs at least one class");
    for (var i = 0; i < z.length; i++) {
      if (typeof z[i] !== "number") fail(TypeError, name + "[" + i + "] must be a number, got " + show(z[i]));
      if (z[i] !== z[i]) fail(RangeError, name + " contains NaN at index " + i);
    }
  }

  // Logits: no +inf, and one at least finite (-inf masks a class). Returns their maximum.
  function logits(z) {
    vector(z, "z");
    var m = -Infinity;
    for (var i = 0; i < z.length; i++) {
      if (z[i] === Infinity) {
        fail(RangeError, "z contains +inf at index " + i + "; logits may be -inf (a masked class) but not +inf");
      }
      if (z[i] > m) m = z[i];
    }
    if (m === -Infinity) fail(RangeError, "z has only -inf logits; at least one logit must be finite");
    return m;
  }

  // A probability vector: entries in [0, 1] that sum to 1 within TOL.
  function probabilities(p, name) {
    vector(p, name);
    for (var s = 0, i = 0; i < p.length; i++) s += unit(p[i], name + "[" + i + "]");
    if (!(Math.abs(s - 1) <= TOL)) fail(RangeError, name + " must sum to 1 (tolerance 1e-5), but it sums to " + s);
  }

  // The target against k classes: a class index (a number), or a probability vector.
  function target(y, k, against) {
    if (typeof y === "number") {
      if (!Number.isInteger(y)) {
        fail(TypeError, "y is a class index, so it must be an integer, got " + y +
          " (pass a probability vector for soft targets)");
      }
      if (y < 0 || y >= k) fail(RangeError, "class labels in y must lie in [0, " + k + "), but y = " + y);
      return y;
    }
    if (!isArray(y)) fail(TypeError, "y must be a class index or a probability vector, got " + show(y));
    if (y.length !== k) fail(RangeError, "y has length " + y.length + " but " + against + " has length " + k);
    probabilities(y, "y");
    return y;
  }

  // The sum of exp(z_i - m), each term written to out if given: every term is at most 1.
  function sumExp(z, m, out) {
    for (var s = 0, i = 0; i < z.length; i++) {
      var e = Math.exp(z[i] - m);
      if (out) out[i] = e;
      s += e;
    }
    return s;
  }

  function alphaOf(a) {
    if (a !== undefined && !isFinite(number(a, "alpha"))) fail(RangeError, "alpha must be finite, got " + a);
    return a === undefined ? C.leakyAlpha : a;
  }

  // -- elementwise ---------------------------------------------------------------------------
  function relu(x) { return number(x, "x") > 0 ? x : 0; }
  function reluGrad(x) { return number(x, "x") > 0 ? 1 : 0; }
  function leakyRelu(x, alpha) {
    var a = alphaOf(alpha); // + 0 turns -0 into 0; alpha = 0 is relu, at -inf too
    return number(x, "x") > 0 ? x : a === 0 ? 0 : a * x + 0;
  }
  function leakyReluGrad(x, alpha) { var a = alphaOf(alpha); return number(x, "x") > 0 ? 1 : a; }

  // With e = exp(-|x|), which cannot overflow: sigma = 1/(1+e) for x >= 0 and e/(1+e) below;
  // sigma' = e/(1+e)^2, accurate in both tails.
  function sigmoid(x) {
    var e = Math.exp(-Math.abs(number(x, "x"))), r = 1 / (1 + e);
    return x < 0 ? e * r : r;
  }
  function sigmoidGrad(x) {
    var e = Math.exp(-Math.abs(number(x, "x"))), d = e + 1;
    return e / (d * d);
  }

  // GELU, x Phi(x), as nnmath.gelu: Phi from W. J. Cody's rational approximations of erf and
  // erfc (Mathematics of Computation 23, 1969), with the same coefficients, ranges and tail
  // trick as nnmath/_normal.py. approximate: undefined, null or "none" (exact) or "tanh".
  var CODY = C.cody, SQRT_HALF = C.sqrtHalf, INV_SQRT_2PI = C.invSqrt2Pi;
  var INV_SQRT_PI = C.invSqrtPi, TANH_SCALE = C.tanhScale, TANH_CUBIC = C.tanhCubic;

  function polyval(c, x) { var r = 0; for (var i = 0; i < c.length; i++) r = r * x + c[i]; return r; }

  function expNegHalfSquare(x) { // exp(-x^2/2), the square split so that the tails stay accurate
    var a = Math.min(Math.abs(x), C.clip), hi = Math.trunc(a * 16) / 16;
    return Math.exp(-0.5 * hi * hi) * Math.exp(-0.5 * (a - hi) * (a + hi));
  }

  function normalCdf(x) {
    var v = Math.abs(x) * SQRT_HALF;
    if (v <= C.small) {
      var s = x * SQRT_HALF, s2 = s * s;
      return 0.5 + 0.5 * (s * polyval(CODY.A, s2) / polyval(CODY.B, s2));
    }
    var tail;
    if (v <= C.medium) tail = polyval(CODY.C, v) / polyval(CODY.D, v);
    else {
      var vl = Math.min(v, C.clip), w = 1 / (vl * vl);
      tail = (INV_SQRT_PI - w * polyval(CODY.P, w) / polyval(CODY.Q, w)) / vl;
    }
    tail = 0.5 * (tail * expNegHalfSquare(x));
    return x < 0 ? tail : 1 - tail;
  }

  function tanhForm(approximate) {
    if (approximate === undefined || approximate === null || approximate === "none") return false;
    if (approximate === "tanh") return true;
    fail(typeof approximate === "string" ? RangeError : TypeError,
      "approximate must be null (or 'none') for the exact form, or 'tanh', got " + show(approximate));
  }

  function twoU(c) { return (c * c * TANH_CUBIC + 1) * c * (2 * TANH_SCALE); } // 2u, u the argument of tanh

  function gelu(x, approximate) {
    var tanh = tanhForm(approximate);
    if (number(x, "x") === -Infinity) return 0;
    var gate = tanh ? sigmoid(twoU(Math.max(-C.tanhClip, Math.min(C.tanhClip, x)))) : normalCdf(x);
    return x * gate + 0; // + 0: no -0
  }

  function geluGrad(x, approximate) {
    var tanh = tanhForm(approximate);
    number(x, "x");
    if (tanh) {
      var c = Math.max(-C.tanhClip, Math.min(C.tanhClip, x)), u2 = twoU(c);
      return sigmoid(u2) + c * (c * c * (3 * TANH_CUBIC) + 1) * sigmoidGrad(u2) * (2 * TANH_SCALE);
    }
    return normalCdf(x) + (isFinite(x) ? x : 0) * (expNegHalfSquare(x) * INV_SQRT_2PI);
  }

  // -- along the class axis ------------------------------------------------------------------
  function softmax(z, temperature) {
    var t = temperature === undefined ? 1 : temperature, p = [], s = 0, i;
    if (typeof t !== "number") fail(TypeError, "temperature must be a real number, got " + show(t));
    if (!(t > 0 && t < Infinity)) fail(RangeError, "temperature must be a finite number > 0, got " + t);
    var m = logits(z);
    for (i = 0; i < z.length; i++) s += p[i] = Math.exp(t === 1 ? z[i] - m : (z[i] - m) / t);
    for (i = 0; i < z.length; i++) p[i] /= s;
    return p;
  }

  function logsumexp(z) { var m = logits(z); return Math.log(sumExp(z, m)) + m; }

  // (z_i - m) - log s, both terms <= 0: exact to a few ulps at any size of z, where
  // z_i - (m + log s) rounds log s to the spacing of numbers near m (2 at 1e16).
  function logSoftmax(z) {
    var m = logits(z), logS = Math.log(sumExp(z, m));
    return Array.from(z, function (v) { return (v - m) - logS; }); // exactly -inf where masked
  }

  // J[i][j] = dp_i/dz_j = p_i (delta_ij - p_j), i.e. diag(p) - p p^T, as an array of rows.
  function softmaxJacobian(z) {
    var p = softmax(z);
    return p.map(function (pi, i) {
      var row = p.map(function (pj) { return -(pi * pj); });
      row[i] += pi;
      return row;
    });
  }

  // -- losses ----------------------------------------------------------------------------------
  function binaryCrossEntropy(p, y) { // -(y log p + (1 - y) log(1 - p))
    var u = 1 - unit(y, "y");
    unit(p, "p");
    return -((y !== 0 ? Math.log(p) * y : 0) + (u !== 0 ? Math.log(1 - p) * u : 0)) + 0;
  }

  function binaryCrossEntropyGrad(p, y) { // -y/p + (1 - y)/(1 - p)
    var u = 1 - unit(y, "y");
    unit(p, "p");
    return (u !== 0 ? u / (1 - p) : 0) - (y !== 0 ? y / p : 0);
  }

  function crossEntropy(p, y) { // -sum y log p
    probabilities(p, "p");
    var t = target(y, p.length, "p"), s = 0;
    if (typeof t === "number") return -Math.log(p[t]) + 0;
    for (var i = 0; i < p.length; i++) if (t[i] !== 0) s += Math.log(p[i]) * t[i];
    return -s + 0;
  }

  function crossEntropyGrad(p, y) { // -y/p
    probabilities(p, "p");
    var t = target(y, p.length, "p"), g = Array.from(p, function () { return 0; });
    if (typeof t === "number") g[t] = -1 / p[t];
    else for (var i = 0; i < p.length; i++) if (t[i] !== 0) g[i] = -(t[i] / p[i]) + 0;
    return g;
  }

  // sum y ((m - z) + log s), from the logits: no probability is formed, so none underflows,
  // and both terms are >= 0, so nothing cancels at any size of z.
  function softmaxCrossEntropy(z, y) {
    var m = logits(z), t = target(y, z.length, "z"), logS = Math.log(sumExp(z, m)), s = 0;
    if (typeof t === "number") return (m - z[t]) + logS;
    for (var i = 0; i < z.length; i++) if (t[i] !== 0) s += ((m - z[i]) + logS) * t[i];
    return s + 0;
  }

  // (sum y) p - y, which is p - y when y sums to 1.
  function softmaxCrossEntropyGrad(z, y) {
    var m = logits(z), k = z.length, t = target(y, k, "z"), g = [], s = sumExp(z, m, g), sy = 0, i;
    for (i = 0; i < k; i++) g[i] /= s;
    if (typeof t === "number") { g[t] += -1; return g; }
    for (i = 0; i < k; i++) sy += t[i];
    for (i = 0; i < k; i++) g[i] = g[i] * sy - t[i];
    return g;
  }

  // -- data from Python: base64 of little-endian bytes, as numpy's tobytes() writes them -------
  function decoder(width, read, Out) {
    return function (b64) {
      if (typeof b64 !== "string") fail(TypeError, "base64 must be a string, got " + show(b64));
      var bin;
      try { bin = atob(b64); } catch (e) { fail(RangeError, "base64 is not valid base64 text"); }
      if (bin.length % width) fail(RangeError, "base64 holds " + bin.length + " bytes, not a multiple of " + width);
      var view = new DataView(Uint8Array.from(bin, function (c) { return c.charCodeAt(0); }).buffer);
      var out = new Out(bin.length / width);
      for (var i = 0; i < out.length; i++) out[i] = view[read](width * i, true);
      return out;
    };
  }

  // -- the network: Z1 = X W1 + b1, A = relu(Z1), Z2 = A W2 + b2 -------------------------------
  // Row-major Float64Arrays: X is n x nIn, W1 nIn x hidden, W2 hidden x nOut. The loss is the mean
  // softmax cross-entropy plus 0.5 reg (|W1|^2 + |W2|^2), as nnmath.network.loss_and_grads.
  var KEYS = ["W1", "b1", "W2", "b2"];

  function count(v, name, min) {
    if (!Number.isInteger(v)) fail(TypeError, name + " must be an integer, got " + show(v));
    if (v < min) fail(RangeError, name + " must be >= " + min + ", got " + v);
    return v;
  }

  function rate(v, name, dflt, strict) { // a finite number >= 0 (> 0 if strict), or the default
    if (v === undefined) return dflt;
    if (typeof v !== "number") fail(TypeError, name + " must be a real number, got " + show(v));
    if (!(v < Infinity && (strict ? v > 0 : v >= 0))) {
      fail(RangeError, name + " must be a finite number " + (strict ? ">" : ">=") + " 0, got " + v);
    }
    return v;
  }

  // A Float64Array copy of n finite numbers (of any number, if n is undefined).
  function floats(v, name, n) {
    if (!isArray(v)) fail(TypeError, name + " must be a Float64Array or an array of numbers, got " + show(v));
    if (n !== undefined && v.length !== n) fail(RangeError, name + " must have " + n + " entries, got " + v.length);
    for (var i = 0; i < v.length; i++) {
      if (!(typeof v[i] === "number" && isFinite(v[i]))) {
        fail(RangeError, name + " must hold finite numbers, but " + name + "[" + i + "] = " + show(v[i]));
      }
    }
    return Float64Array.from(v);
  }

  function model(o, pre) { // o.nIn, o.hidden, o.nOut and the parameters, checked and copied
    if (o === null || typeof o !== "object") fail(TypeError, pre.slice(0, -1) + " must be an object, got " + show(o));
    var nIn = count(o.nIn, pre + "nIn", 1), h = count(o.hidden, pre + "hidden", 1), K = count(o.nOut, pre + "nOut", 1);
    return { nIn: nIn, hidden: h, nOut: K, W1: floats(o.W1, pre + "W1", nIn * h), b1: floats(o.b1, pre + "b1", h),
      W2: floats(o.W2, pre + "W2", h * K), b2: floats(o.b2, pre + "b2", K) };
  }

  function dataset(X, y, net) {
    var x = floats(X, "X"), n = x.length / net.nIn, labels;
    if (!n) fail(RangeError, "X holds no samples");
    if (!Number.isInteger(n)) fail(RangeError, "X has " + x.length + " entries, not a multiple of nIn = " + net.nIn);
    if (!isArray(y)) fail(TypeError, "y must be an Int32Array or an array of class labels, got " + show(y));
    if (y.length !== n) fail(RangeError, "y must have " + n + " labels, one per row of X, got " + y.length);
    labels = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= net.nOut) {
        fail(Number.isInteger(y[i]) ? RangeError : TypeError,
          "class labels in y must be integers in [0, " + net.nOut + "), but y[" + i + "] = " + show(y[i]));
      }
      labels[i] = y[i];
    }
    return { X: x, y: labels, n: n };
  }

  // Buffers for one row, and the gradient (w.W1 ... w.b2): allocated once per network.
  function scratch(net) {
    var w = { act: new Int32Array(net.hidden), hid: new Float64Array(net.hidden), z: new Float64Array(net.nOut),
      fires: new Uint8Array(net.hidden), pt: new Float64Array(2) };
    KEYS.forEach(function (key) { w[key] = new Float64Array(net[key].length); });
    return w;
  }

  // The row of X at offset xo: its logits into w.z, and the units with relu(z1) > 0 listed in
  // w.act / w.hid without a branch (which would mispredict). An inactive unit adds exactly 0 to
  // the logits and has relu' = 0, so what follows skips it. Returns the number of active units.
  function forwardRow(net, X, xo, w) {
    var h = net.hidden, K = net.nOut, W1 = net.W1, z = w.z, na = 0, i, j, k;
    for (j = 0; j < h; j++) {
      var s = X[xo] * W1[j];
      for (i = 1; i < net.nIn; i++) s += X[xo + i] * W1[i * h + j];
      s += net.b1[j];
      w.act[na] = j; w.hid[na] = s; na += (s > 0) | 0;
    }
    for (k = 0; k < K; k++) z[k] = 0;
    for (j = 0; j < na; j++) for (k = 0, i = w.act[j] * K; k < K; k++) z[k] += w.hid[j] * net.W2[i + k];
    for (k = 0; k < K; k++) z[k] += net.b2[k];
    return na;
  }

  // The summed cross-entropy of the rows; its gradient is added into w.W1 ... w.b2. Per row,
  // dZ2 = (p - onehot) / n, then back through W2, the ReLU gate and W1.
  function rows(net, d, w) {
    var h = net.hidden, K = net.nOut, nIn = net.nIn, n = d.n, X = d.X, z = w.z, total = 0, i, k, a;
    for (var r = 0; r < n; r++) {
      var xo = r * nIn, na = forwardRow(net, X, xo, w), c = d.y[r], zc = z[c], m = z[0];
      for (k = 1; k < K; k++) if (z[k] > m) m = z[k];
      var s = sumExp(z, m, z); // z now holds exp(z - m)
      total += Math.log(s) + m - zc;
      for (k = 0; k < K; k++) z[k] /= s * n;
      z[c] += -1 / n;
      for (k = 0; k < K; k++) w.b2[k] += z[k];
      for (a = 0; a < na; a++) {
        var j = w.act[a], o = j * K, dh = 0;
        for (k = 0; k < K; k++) { w.W2[o + k] += w.hid[a] * z[k]; dh += z[k] * net.W2[o + k]; }
        for (i = 0; i < nIn; i++) w.W1[i * h + j] += X[xo + i] * dh;
        w.b1[j] += dh;
      }
    }
    return total;
  }

  // rows() for 2 inputs and 3 classes (the book's spiral), with the logits in local variables:
  // the same arithmetic, twice as fast.
  function rows23(net, d, w) {
    var h = net.hidden, n = d.n, X = d.X, W1 = net.W1, b1 = net.b1, W2 = net.W2, b2 = net.b2;
    var act = w.act, hid = w.hid, gW1 = w.W1, gW2 = w.W2, total = 0, inv = 1 / n, j, a, o, v;
    for (var r = 0; r < n; r++) {
      var x0 = X[2 * r], x1 = X[2 * r + 1], na = 0, c = d.y[r], z0 = 0, z1 = 0, z2 = 0;
      for (j = 0; j < h; j++) {
        var s = x0 * W1[j] + x1 * W1[h + j] + b1[j];
        act[na] = j; hid[na] = s; na += (s > 0) | 0;
      }
      for (a = 0; a < na; a++) {
        v = hid[a]; o = 3 * act[a];
        z0 += v * W2[o]; z1 += v * W2[o + 1]; z2 += v * W2[o + 2];
      }
      z0 += b2[0]; z1 += b2[1]; z2 += b2[2];
      var m = Math.max(z0, z1, z2), e0 = Math.exp(z0 - m), e1 = Math.exp(z1 - m), e2 = Math.exp(z2 - m);
      var sn = (e0 + e1 + e2) * n, d0 = e0 / sn, d1 = e1 / sn, d2 = e2 / sn;
      total += Math.log(e0 + e1 + e2) + m - (c === 0 ? z0 : c === 1 ? z1 : z2);
      if (c === 0) d0 -= inv; else if (c === 1) d1 -= inv; else d2 -= inv;
      w.b2[0] += d0; w.b2[1] += d1; w.b2[2] += d2;
      for (a = 0; a < na; a++) {
        j = act[a]; v = hid[a]; o = 3 * j;
        gW2[o] += v * d0; gW2[o + 1] += v * d1; gW2[o + 2] += v * d2;
        var dh = d0 * W2[o] + d1 * W2[o + 1] + d2 * W2[o + 2];
        gW1[j] += x0 * dh; gW1[h + j] += x1 * dh; w.b1[j] += dh;
      }
    }
    return total;
  }

  // The loss at the network's parameters, with its gradient left in w.W1 ... w.b2.
  function lossGrads(net, d, reg, w) {
    KEYS.forEach(function (key) { w[key].fill(0); });
    var loss = (net.nIn === 2 && net.nOut === 3 ? rows23 : rows)(net, d, w) / d.n, s = [0, 0];
    if (!reg) return loss;
    ["W1", "W2"].forEach(function (key, q) {
      for (var W = net[key], i = 0; i < W.length; i++) { s[q] += W[i] * W[i]; w[key][i] += reg * W[i]; }
    });
    return loss + 0.5 * reg * (s[0] + s[1]);
  }

  function lossAndGrads(params, X, y, reg) {
    var r = rate(reg, "reg", 0), net = model(params, "params."), w = scratch(net);
    return { loss: lossGrads(net, dataset(X, y, net), r, w), grads: { W1: w.W1, b1: w.b1, W2: w.W2, b2: w.b2 } };
  }

  function linspace(lim, name, n) { // as numpy.linspace, both ends included
    lim = lim === undefined ? [-1.1, 1.1] : lim;
    if (!isArray(lim) || lim.length !== 2 || typeof lim[0] !== "number" || typeof lim[1] !== "number") {
      fail(TypeError, name + " must be a pair of numbers [low, high], got " + show(lim));
    }
    var lo = lim[0], hi = lim[1], step = (hi - lo) / (n - 1), out = new Float64Array(n);
    if (!(isFinite(lo) && isFinite(hi) && lo < hi)) fail(RangeError, name + " must be finite with low < high");
    for (var i = 0; i < n; i++) out[i] = i * step + lo;
    out[n - 1] = hi;
    return out;
  }

  function argmax(z) { // the first maximum, as numpy.argmax
    for (var best = 0, k = 1; k < z.length; k++) if (z[k] > z[best]) best = k;
    return best;
  }

  // The state of nnmath.network.train's loop, advanced one gradient-descent step at a time.
  function createTrainer(o) {
    var net = model(o, "options."), d = dataset(o.X, o.y, net), w = scratch(net), fresh = false, current, t;
    var lr = rate(o.lr, "lr", 1, true), reg = rate(o.reg, "reg", 1e-3);

    function diverged(why) {
      return new Error("training diverged at step " + t.stepCount + " (" + why + ") at lr=" + lr +
        "; lower the learning rate or rescale the inputs");
    }
    function loss() { // at the current parameters; the gradient is kept for the next step
      if (!fresh) { current = lossGrads(net, d, reg, w); fresh = true; }
      if (!isFinite(current)) throw diverged("the loss is " + current);
      return current;
    }
    function each(fn) {
      KEYS.forEach(function (key) { for (var p = net[key], i = 0; i < p.length; i++) fn(p, w[key], i); });
    }

    return t = {
      stepCount: 0,
      loss: loss,
      // Moves every parameter by -lr times its gradient and returns the loss before the move,
      // as train records loss[t]. A move that would overflow throws and changes nothing.
      step: function () {
        var before = loss();
        each(function (p, g, i) { if (!isFinite(p[i] - lr * g[i])) throw diverged("a parameter overflowed"); });
        each(function (p, g, i) { p[i] -= lr * g[i]; });
        fresh = false;
        t.stepCount++;
        return before;
      },
      accuracy: function () {
        for (var hits = 0, r = 0; r < d.n; r++) {
          forwardRow(net, d.X, r * net.nIn, w);
          hits += (argmax(w.z) === d.y[r]) | 0;
        }
        return hits / d.n;
      },
      deadFraction: function () { // the units with relu(z1) = 0 on every row of X
        var alive = 0, r, a;
        w.fires.fill(0);
        for (r = 0; r < d.n; r++) for (a = forwardRow(net, d.X, r * net.nIn, w) - 1; a >= 0; a--) w.fires[w.act[a]] = 1;
        for (a = 0; a < net.hidden; a++) alive += w.fires[a];
        return 1 - alive / net.hidden;
      },
      // Entry [i*n + j] is the class at x = linspace(xlim)[j], y = linspace(ylim)[i], as
      // decision_grid; a Uint8Array `out` of n*n entries is filled instead of a new one.
      decisionGrid: function (xlim, ylim, n, out) {
        n = count(n === undefined ? 100 : n, "n", 2);
        if (net.nIn !== 2 || net.nOut > 256) fail(RangeError, "decisionGrid needs 2 inputs and at most 256 classes");
        var gx = linspace(xlim, "xlim", n), gy = linspace(ylim, "ylim", n);
        var grid = out instanceof Uint8Array && out.length === n * n ? out : new Uint8Array(n * n);
        var h = net.hidden, K = net.nOut, W1 = net.W1, W2 = net.W2, b1 = net.b1, z = w.z;
        // The first layer's products x W1[0, j] and y W1[1, j] are the same on every row and
        // column of the grid: make each once. The sum (x w0 + y w1) + b1 is then formed in
        // the order forwardRow forms it, so the grid is the same, only faster.
        var ax = new Float64Array(n * h), by = new Float64Array(n * h), j, k;
        for (var c = 0; c < n; c++) {
          for (j = 0; j < h; j++) { ax[c * h + j] = gx[c] * W1[j]; by[c * h + j] = gy[c] * W1[h + j]; }
        }
        for (var row = 0; row < n; row++) {
          for (var col = 0; col < n; col++) {
            var xo = col * h, yo = row * h;
            for (k = 0; k < K; k++) z[k] = 0;
            for (j = 0; j < h; j++) {
              var v = ax[xo + j] + by[yo + j];
              v += b1[j];
              if (v > 0) for (k = 0; k < K; k++) z[k] += v * W2[j * K + k];
            }
            for (k = 0; k < K; k++) z[k] += net.b2[k];
            grid[row * n + col] = argmax(z);
          }
        }
        return grid;
      },
      snapshot: function () { // copies of the parameters, and the step count
        var s = { stepCount: t.stepCount };
        KEYS.forEach(function (key) { s[key] = net[key].slice(); });
        return s;
      },
      restore: function (s) {
        var back = model(Object.assign({}, s, { nIn: net.nIn, hidden: net.hidden, nOut: net.nOut }), "snapshot.");
        t.stepCount = count(s.stepCount, "snapshot.stepCount", 0);
        KEYS.forEach(function (key) { net[key].set(back[key]); });
        fresh = false;
      }
    };
  }

  root.nnmath = {
    relu: relu, reluGrad: reluGrad, leakyRelu: leakyRelu, leakyReluGrad: leakyReluGrad,
    sigmoid: sigmoid, sigmoidGrad: sigmoidGrad, gelu: gelu, geluGrad: geluGrad,
    softmax: softmax, logSoftmax: logSoftmax,
    logsumexp: logsumexp, softmaxJacobian: softmaxJacobian,
    binaryCrossEntropy: binaryCrossEntropy, binaryCrossEntropyGrad: binaryCrossEntropyGrad,
    crossEntropy: crossEntropy, crossEntropyGrad: crossEntropyGrad,
    softmaxCrossEntropy: softmaxCrossEntropy, softmaxCrossEntropyGrad: softmaxCrossEntropyGrad,
    decodeFloat64: decoder(8, "getFloat64", Float64Array), decodeInt32: decoder(4, "getInt32", Int32Array),
    network: { lossAndGrads: lossAndGrads, createTrainer: createTrainer }
  };
}

// The whole of this file's math, as source text that a worker can run: the page's
// explorers train the capstone's network on a second thread with it (a Blob URL worker
// runs from file:// too, where a worker loaded from a file would be refused).
var scope = typeof window !== "undefined" ? window : globalThis;
install(scope, CONSTANTS);
scope.nnmath.source = "(" + install.toString() + ")(self, " + JSON.stringify(CONSTANTS) + ");";
})();
