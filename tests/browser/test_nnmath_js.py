"""``_static/nnmath.js`` computes what ``nnmath`` computes, in the browser the reader has.

The page's JavaScript runs in a blank page of headless Chromium (no built book is needed)
and is compared with ``nnmath`` on the same float64 inputs, drawn by Hypothesis: 2 to 6
classes, logits of scale 10 and 1000 (and up to ±1e300 and over float32's range, against
exact values too), ``-inf`` masks, temperatures 0.1 to 5, probabilities
at 0 and 1, soft targets, and targets that miss 1 by up to 9e-6 (nnmath accepts 1e-5),
where (sum y) p - y and p - y differ. Bad input must make the JavaScript throw an error
that names the argument, and ``nnmath`` raise, for the same input. The network is trained
in the page from ``nnmath``'s data and initial parameters, and its loss follows
``nnmath``'s at every step.

Tolerances. Values and gradients agree to ``RTOL = 1e-12`` relative. ``Math.exp`` and
``Math.log`` in V8 and NumPy's ``exp``/``log`` are each within about an ulp of the true
value, but not always the same ulp, and sums may run in another order: the results
differ by a few ulps (about 1e-15 relative). Two absolute floors, both far below anything
a page shows, keep that from failing entries that are exactly or nearly 0:

* ``TINY = 1e-300``: below the normal range (2.2e-308) a float64 has fewer significant
  bits; ``exp(-740)`` is a subnormal whose last bit is a sizeable fraction of it.
* ``8 eps * scale`` where a result is the difference of computed numbers of size
  ``scale``: ``p - y`` and ``diag(p) - p p^T`` (scale 1). When the difference nearly
  cancels, an ulp of its operands is all that is left of it. ``(z - m) - log s`` and
  ``(m - z_c) + log s`` add two terms of one sign, so nothing cancels: only the rounding
  of ``log s``, a sum of K terms up to 1, is left (scale K), at any size of the logits.
  ``logsumexp(z)`` is ``m + log s`` (scale ``1 + max |z|``).
* Logits up to ±1e300 and over float32's range are held to the exact values
  (``tests/exact.py``, rational arithmetic) within ``exact.ULPS`` ulps, and to nnmath
  within twice that.
* The network's gradients are sums over 300 rows: each entry is compared relative to the
  sum of the magnitudes of the terms it adds (``term_sizes``), the size that bounds the
  rounding error of any order of summation. For an entry without cancellation that is its
  own magnitude.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import exact
import large_logits
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from js_page import NNMATH_JS, JsError, JsMath, b64, require_browser

import nnmath
from nnmath import network
from nnmath.registry import FORMULAS

require_browser()

RTOL = 1e-12
TINY = 1e-300
EPS = float(np.finfo(np.float64).eps)
INF = math.inf
NAN = math.nan
STEPS = 1000


# -- the only calls into nnmath.network (re-point them here if its API moves) -----------
def spiral(n_classes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    return network.make_spiral(n_classes=n_classes)


def initial_params(n_in: int, hidden: int, n_out: int) -> dict[str, np.ndarray]:
    net = network.TwoLayerNet.init(n_in, hidden, n_out, seed=0)
    return {"W1": net.W1, "b1": net.b1, "W2": net.W2, "b2": net.b2}


def reference_loss_and_grads(params, X, y, reg) -> tuple[float, dict[str, np.ndarray]]:
    loss, grads = network.TwoLayerNet(**params).loss_and_grads(X, y, reg=reg)
    return loss, {"W1": grads.W1, "b1": grads.b1, "W2": grads.W2, "b2": grads.b2}


def reference_training(X, y, hidden: int, steps: int, lr: float, reg: float) -> dict[str, Any]:
    """``train``'s loss at every step, and accuracy, dead fraction and grid at the end."""
    history = network.train(X, y, hidden=hidden, lr=lr, steps=steps, reg=reg, seed=0)
    final = history.final
    return {
        "loss": history.loss,
        "accuracy": final.accuracy(X, y),
        "dead": final.dead_fraction(X),
        "grid": network.decision_grid(final),
    }


def reference_grid(params, xlim, ylim, n) -> np.ndarray:
    return network.decision_grid(network.TwoLayerNet(**params), xlim, ylim, n)


# -- the page --------------------------------------------------------------------------
@pytest.fixture(scope="session")
def js(chromium: Any) -> Iterator[JsMath]:
    """``window.nnmath`` in a blank page that may load nothing from anywhere."""
    context = chromium.new_context()
    context.route("**/*", lambda route: route.abort())
    page = context.new_page()
    page.goto("about:blank")
    page.add_script_tag(path=str(NNMATH_JS))
    yield JsMath(page)
    context.close()


def agree(got: Any, expected: Any, scale: float = 0.0) -> None:
    """``got`` (from the page) equals ``expected`` (from nnmath) within the module's tolerances."""
    a = np.asarray(got, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    assert a.shape == b.shape, f"shape {a.shape} != {b.shape}"
    assert not np.isnan(a).any(), f"the page returned NaN: {got}"
    assert not np.isnan(b).any(), f"nnmath returned NaN: {expected}"
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=TINY + 8 * EPS * scale)


def logit_scale(z: list[float]) -> float:
    return 1.0 + max(abs(v) for v in z if v != -INF)


# -- inputs ------------------------------------------------------------------------------
reals = st.one_of(st.floats(-40, 40), st.floats(allow_nan=False), st.sampled_from([0.0, -0.0]))


@st.composite
def logit_vectors(draw: Any, min_k: int = 2, max_k: int = 6) -> list[float]:
    """2-6 logits of scale 10 or 1000 (the extremes included), some masked with -inf."""
    k = draw(st.integers(min_k, max_k))
    s = draw(st.sampled_from([10.0, 10.0, 1000.0]))
    value = st.one_of(st.floats(-s, s), st.sampled_from([-s, s, 0.0]))
    z = draw(st.lists(value, min_size=k, max_size=k))
    masked = draw(st.lists(st.integers(0, 3).map(lambda i: i == 0), min_size=k, max_size=k))
    if all(masked):
        masked[draw(st.integers(0, k - 1))] = False
    return [-INF if m else v for v, m in zip(z, masked, strict=True)]


@st.composite
def probability_vectors(draw: Any, k: int) -> list[float]:
    """Dense, sparse (exact zeros) or one-hot probability vectors of length k."""
    kind = draw(st.sampled_from(["dense", "sparse", "one-hot"]))
    if kind == "one-hot":
        c = draw(st.integers(0, k - 1))
        return [1.0 if i == c else 0.0 for i in range(k)]
    entry = st.floats(0, 1) if kind == "dense" else st.one_of(st.just(0.0), st.floats(0, 1))
    w = draw(st.lists(entry, min_size=k, max_size=k))
    total = math.fsum(w)
    assume(total > 1e-300)
    return [v / total for v in w]


@st.composite
def targets(draw: Any, k: int) -> int | list[float]:
    """A class index, or a soft target whose sum may miss 1 by up to 9e-6 (nnmath's
    tolerance is 1e-5), where (sum y) p - y and p - y differ."""
    if draw(st.booleans()):
        return draw(st.integers(0, k - 1))
    y = draw(probability_vectors(k))
    off = draw(st.one_of(st.just(0.0), st.floats(-9e-6, 9e-6)))
    return [min(v * (1.0 + off), 1.0) for v in y]


unit_numbers = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0, 0.5]))
temperatures = st.one_of(st.floats(0.1, 5), st.sampled_from([0.1, 1.0, 5.0]))


def py_target(y: int | list[float]) -> Any:
    return y if isinstance(y, int) else np.array(y)


def camel(name: str) -> str:
    """nnmath's name of a function in the page: relu_grad -> reluGrad."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# -- the API ------------------------------------------------------------------------------
MATH = [
    "relu",
    "reluGrad",
    "leakyRelu",
    "leakyReluGrad",
    "sigmoid",
    "sigmoidGrad",
    "gelu",
    "geluGrad",
    "softmax",
    "logSoftmax",
    "logsumexp",
    "softmaxJacobian",
    "binaryCrossEntropy",
    "binaryCrossEntropyGrad",
    "crossEntropy",
    "crossEntropyGrad",
    "softmaxCrossEntropy",
    "softmaxCrossEntropyGrad",
]


def test_the_api_is_the_documented_one(js: JsMath) -> None:
    names = js.evaluate("() => Object.keys(nnmath).sort()")
    # The functions the page's explorers use, and every elementwise formula of the registry
    # (the generic explorer draws any of them by name).
    elementwise = {
        camel(f.__name__)
        for formula in FORMULAS
        if formula.kind == "elementwise"
        for f in (formula.function, formula.derivative)
    }
    extras = {"decodeFloat64", "decodeInt32", "network", "source"}
    assert names == sorted({*MATH, *elementwise, *extras})
    assert js.evaluate("() => Object.keys(nnmath.network).sort()") == [
        "createTrainer",
        "lossAndGrads",
    ]
    # The JavaScript names are nnmath's in camelCase.
    for name in MATH:
        assert hasattr(nnmath, re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), name))


# -- elementwise --------------------------------------------------------------------------
@given(x=reals, alpha=st.one_of(st.none(), st.floats(-2, 2), st.just(0.0)))
@settings(max_examples=150)
def test_elementwise_functions_equal_nnmath(js: JsMath, x: float, alpha: float | None) -> None:
    # Piecewise linear: the same one operation in both, so exactly equal. (Playwright hands
    # back an integral double as a Python int in its shortest digits: float() restores it.)
    assert float(js("relu", x)) == float(nnmath.relu(x))
    assert float(js("reluGrad", x)) == float(nnmath.relu_grad(x))
    extra = () if alpha is None else (alpha,)
    kw = {} if alpha is None else {"alpha": alpha}
    assert float(js("leakyRelu", x, *extra)) == float(nnmath.leaky_relu(x, **kw))
    assert float(js("leakyReluGrad", x, *extra)) == float(nnmath.leaky_relu_grad(x, **kw))
    agree(js("sigmoid", x), nnmath.sigmoid(x))
    agree(js("sigmoidGrad", x), nnmath.sigmoid_grad(x))


ELEMENTWISE = [
    (formula, setting)
    for formula in FORMULAS
    if formula.kind == "elementwise"
    for setting in formula.settings
]


@pytest.mark.parametrize(
    ("formula", "setting"),
    ELEMENTWISE,
    ids=[f"{f.name}{''.join(f'-{v}' for v in s.values())}" for f, s in ELEMENTWISE],
)
@given(x=reals)
@settings(max_examples=120)
def test_every_elementwise_formula_of_the_registry_has_its_mirror(
    js: JsMath, formula: Any, setting: dict[str, Any], x: float
) -> None:
    # The page's function takes a setting's values as its arguments after x, in order.
    args = tuple(setting.values())
    for function in (formula.function, formula.derivative):
        expected = np.asarray(function(x, **setting), dtype=np.float64)
        agree(js(camel(function.__name__), x, *args), expected)


def test_gelu_conventions(js: JsMath) -> None:
    assert js("gelu", 0.0) == 0.0 and js("geluGrad", 0.0) == 0.5  # gelu'(0) = 1/2 exactly
    assert js("gelu", -INF) == 0.0 and js("gelu", INF) == INF
    assert js("geluGrad", -INF) == 0.0 and js("geluGrad", INF) == 1.0
    assert js("gelu", -1.0, "tanh") == pytest.approx(-0.158808, abs=1e-6)
    for bad, kind in (("exact", "RangeError"), (True, "TypeError")):
        with pytest.raises(JsError, match="approximate") as info:
            js("gelu", 1.0, bad)
        assert kind in str(info.value)


def test_elementwise_conventions(js: JsMath) -> None:
    assert js("reluGrad", 0.0) == 0.0  # relu'(0) = 0, as PyTorch, TensorFlow and JAX
    assert js("leakyReluGrad", 0.0) == 0.01  # the left slope, alpha
    assert js("leakyReluGrad", 0.0, 0.2) == 0.2
    assert js("leakyRelu", -2.0, 0.1) == -0.2
    # alpha = 0 is relu, also at -inf (where alpha * x would be NaN), as in nnmath.
    assert js("leakyRelu", -INF, 0.0) == 0.0 == js("relu", -INF) == nnmath.leaky_relu(-INF, 0.0)
    assert js("sigmoid", -INF) == 0.0 and js("sigmoid", INF) == 1.0
    assert js("sigmoid", 0.0) == 0.5 and js("sigmoidGrad", 0.0) == 0.25
    # Deep in the tails sigma'(x) keeps its relative accuracy: e^-x / (1 + e^-x)^2.
    assert js("sigmoidGrad", 700.0) == pytest.approx(math.exp(-700.0), rel=1e-15)


# -- along the class axis -----------------------------------------------------------------
@given(z=logit_vectors(), t=temperatures)
@settings(max_examples=150)
def test_softmax_family_equals_nnmath(js: JsMath, z: list[float], t: float) -> None:
    a = np.array(z)
    agree(js("softmax", z), nnmath.softmax(a))
    agree(js("softmax", z, t), nnmath.softmax(a, temperature=t))
    agree(js("logSoftmax", z), nnmath.log_softmax(a), len(z))  # (z - m) - log s: see below
    agree(js("logsumexp", z), nnmath.logsumexp(a), logit_scale(z))
    agree(js("softmaxJacobian", z), nnmath.softmax_jacobian(a), 1.0)


def test_softmax_conventions(js: JsMath) -> None:
    # Closed forms: e^z / sum e^z for small logits; no overflow at 1000.
    e = [math.exp(v) for v in (1.0, 2.0, 3.0)]
    agree(js("softmax", [1.0, 2.0, 3.0]), [v / math.fsum(e) for v in e])
    assert js("softmax", [1000.0, 0.0, -1000.0]) == [1.0, 0.0, 0.0]
    p = js("softmax", [0.0, -INF, 0.0])
    assert p == [0.5, 0.0, 0.5]  # a masked class gets exactly 0
    assert js("logSoftmax", [0.0, -INF]) == [0.0, -INF]
    assert js("logSoftmax", [1000.0, 1.0]) == [0.0, -999.0]  # log(softmax) would say -inf
    assert js("logsumexp", [1000.0, 1000.0]) == pytest.approx(1000.0 + math.log(2.0), rel=1e-15)
    jac = np.array(js("softmaxJacobian", [1.0, 2.0, 3.0]))
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=1e-16)  # each row sums to 0
    np.testing.assert_array_equal(jac, jac.T)


# -- losses ------------------------------------------------------------------------------
@given(p=unit_numbers, y=unit_numbers)
@settings(max_examples=150)
def test_binary_cross_entropy_equals_nnmath(js: JsMath, p: float, y: float) -> None:
    agree(js("binaryCrossEntropy", p, y), nnmath.binary_cross_entropy(p, y))
    agree(js("binaryCrossEntropyGrad", p, y), nnmath.binary_cross_entropy_grad(p, y))


@given(data=st.data())
@settings(max_examples=150)
def test_cross_entropy_equals_nnmath(js: JsMath, data: Any) -> None:
    k = data.draw(st.integers(2, 6), label="k")
    p = data.draw(probability_vectors(k), label="p")
    y = data.draw(targets(k), label="y")
    a = np.array(p)
    agree(js("crossEntropy", p, y), nnmath.cross_entropy(a, py_target(y)))
    agree(js("crossEntropyGrad", p, y), nnmath.cross_entropy_grad(a, py_target(y)))


@given(data=st.data())
@settings(max_examples=150)
def test_softmax_cross_entropy_equals_nnmath(js: JsMath, data: Any) -> None:
    z = data.draw(logit_vectors(), label="z")
    y = data.draw(targets(len(z)), label="y")
    a = np.array(z)
    weight = 1.0 if isinstance(y, int) else max(1.0, math.fsum(y))
    agree(
        js("softmaxCrossEntropy", z, y),
        nnmath.softmax_cross_entropy(a, py_target(y)),
        len(z) * weight,
    )
    agree(
        js("softmaxCrossEntropyGrad", z, y),
        nnmath.softmax_cross_entropy_grad(a, py_target(y)),
        weight,
    )


# -- exact at every magnitude -------------------------------------------------------------
# Logits up to ±1e300, and float32's whole range (as float64 numbers: the page computes in
# float64): logSoftmax, the loss and its gradient within exact.ULPS ulps of the exact
# values (tests/exact.py, rational arithmetic) and of nnmath. The form z - (m + log s) was
# 0.9 off at 1e16 (log_softmax([1e16] * 3) = -2), some 4e15 ulps.
@given(data=st.data())
@settings(max_examples=100)
def test_log_softmax_loss_and_gradient_are_exact_at_every_magnitude(js: JsMath, data: Any) -> None:
    dtype = data.draw(st.sampled_from([np.float64, np.float32]), label="dtype")
    z = data.draw(large_logits.rows(dtype, max_k=6), label="z")
    y = data.draw(large_logits.targets(z), label="y")
    for i in range(len(z)):
        row, t = large_logits.row_of(z, i), large_logits.target_of(y, i)
        got = {
            "log_softmax": js("logSoftmax", row),
            "softmax_cross_entropy": js("softmaxCrossEntropy", row, t),
            "softmax_cross_entropy_grad": js("softmaxCrossEntropyGrad", row, t),
        }
        want = {
            "log_softmax": exact.log_softmax(row),
            "softmax_cross_entropy": exact.cross_entropy(row, t),
            "softmax_cross_entropy_grad": exact.cross_entropy_grad(row, t),
        }
        a, target = np.array(row), t if isinstance(t, int) else np.array(t)
        ours = {
            "log_softmax": nnmath.log_softmax(a),
            "softmax_cross_entropy": nnmath.softmax_cross_entropy(a, target),
            "softmax_cross_entropy_grad": nnmath.softmax_cross_entropy_grad(a, target),
        }
        for name, value in got.items():
            far = exact.ulps(value, want[name], np.float64).max()
            assert far <= exact.ULPS, f"{name}({row}, {t}) = {value}: {far:.3g} ulps from exact"
            far = exact.ulps(value, ours[name], np.float64).max()
            assert far <= 2 * exact.ULPS, f"{name}({row}, {t}) = {value}: {far:.3g} from nnmath"


def test_ln_3_at_1e16(js: JsMath) -> None:
    assert js("logSoftmax", [1e16] * 3) == [-math.log(3)] * 3  # was -2
    assert js("softmaxCrossEntropy", [1e16] * 3, 1) == math.log(3)
    assert js("softmaxCrossEntropy", [1e16] * 3, [0.25, 0.25, 0.5]) == math.log(3)


def test_loss_conventions(js: JsMath) -> None:
    assert js("binaryCrossEntropy", 0.0, 1.0) == INF  # the true value, not clipped
    assert js("binaryCrossEntropy", 0.0, 0.0) == 0.0  # 0 log 0 = 0
    assert js("binaryCrossEntropyGrad", 0.0, 0.0) == 1.0  # a zero weight adds exactly 0
    assert js("binaryCrossEntropyGrad", 0.5, 1.0) == -2.0  # -y/p
    assert js("crossEntropy", [0.0, 1.0], 0) == INF
    assert js("crossEntropyGrad", [0.2, 0.3, 0.5], 1) == [0.0, -1 / 0.3, 0.0]
    assert js("crossEntropy", [0.0, 1.0], [0.0, 1.0]) == 0.0
    assert js("softmaxCrossEntropy", [0.0, 200.0], 0) == 200.0  # no probability formed
    assert js("softmaxCrossEntropy", [-INF, 0.0], 0) == INF  # the true class is masked
    assert js("softmaxCrossEntropyGrad", [0.0, 200.0], 0) == [-1.0, 1.0]
    # Soft targets: (sum y) p - y, which is p - y when y sums to 1.
    y = [0.25, 0.75 + 4e-6]
    g = js("softmaxCrossEntropyGrad", [0.0, 0.0], y)
    agree(g, [0.5 * math.fsum(y) - y[0], 0.5 * math.fsum(y) - y[1]], 1.0)


# -- bad input ----------------------------------------------------------------------------
def _py(name: str) -> Callable[..., Any]:
    """The nnmath function of a JavaScript name, with the JavaScript argument order."""
    if name == "softmax":
        return lambda z, t=1.0: nnmath.softmax(z, temperature=t)
    return getattr(nnmath, re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), name))


# (function, arguments, the argument the message must name)
BAD_INPUT = [
    ("relu", [NAN], "x"),
    ("relu", ["1"], "x"),
    ("relu", [None], "x"),
    ("reluGrad", [NAN], "x"),
    ("leakyRelu", [NAN], "x"),
    ("leakyRelu", [1.0, NAN], "alpha"),
    ("leakyRelu", [1.0, INF], "alpha"),
    ("leakyRelu", [1.0, "0.1"], "alpha"),
    ("leakyReluGrad", [NAN, 0.1], "x"),
    ("leakyReluGrad", [1.0, -INF], "alpha"),
    ("sigmoid", [NAN], "x"),
    ("sigmoid", ["a"], "x"),
    ("sigmoidGrad", [NAN], "x"),
    ("softmax", [[1.0, NAN]], "z"),
    ("softmax", [[1.0, INF]], "z"),
    ("softmax", [[-INF, -INF]], "z"),
    ("softmax", [[]], "z"),
    ("softmax", [[1.0, "2"]], "z"),
    ("softmax", [1.0], "z"),
    ("softmax", [[1.0, 2.0], 0.0], "temperature"),
    ("softmax", [[1.0, 2.0], -1.0], "temperature"),
    ("softmax", [[1.0, 2.0], NAN], "temperature"),
    ("softmax", [[1.0, 2.0], INF], "temperature"),
    ("softmax", [[1.0, 2.0], "1"], "temperature"),
    ("logSoftmax", [[NAN, 0.0]], "z"),
    ("logSoftmax", [[]], "z"),
    ("logsumexp", [[INF, 1.0]], "z"),
    ("logsumexp", [[-INF]], "z"),
    ("softmaxJacobian", [[0.0, NAN]], "z"),
    ("softmaxJacobian", [[-INF, -INF, -INF]], "z"),
    ("binaryCrossEntropy", [1.5, 1.0], "p"),
    ("binaryCrossEntropy", [-0.1, 1.0], "p"),
    ("binaryCrossEntropy", [NAN, 1.0], "p"),
    ("binaryCrossEntropy", ["0.5", 1.0], "p"),
    ("binaryCrossEntropy", [0.5, 2.0], "y"),
    ("binaryCrossEntropy", [0.5, NAN], "y"),
    ("binaryCrossEntropyGrad", [1.5, 1.0], "p"),
    ("binaryCrossEntropyGrad", [0.5, -1.0], "y"),
    ("crossEntropy", [[0.2, 0.3], 0], "p"),
    ("crossEntropy", [[1.5, -0.5], 0], "p"),
    ("crossEntropy", [[NAN, 1.0], 0], "p"),
    ("crossEntropy", [[], 0], "p"),
    ("crossEntropy", [[0.5, 0.5], 2], "y"),
    ("crossEntropy", [[0.5, 0.5], -1], "y"),
    ("crossEntropy", [[0.5, 0.5], 1.5], "y"),
    ("crossEntropy", [[0.5, 0.5], NAN], "y"),
    ("crossEntropy", [[0.5, 0.5], "1"], "y"),
    ("crossEntropy", [[0.5, 0.5], [0.5, 0.25, 0.25]], "y"),
    ("crossEntropy", [[0.5, 0.5], [0.5, 0.6]], "y"),
    ("crossEntropy", [[0.5, 0.5], [1.5, -0.5]], "y"),
    ("crossEntropy", [[0.5, 0.5], [NAN, 1.0]], "y"),
    ("crossEntropyGrad", [[0.2, 0.3], 0], "p"),
    ("crossEntropyGrad", [[0.5, 0.5], 2], "y"),
    ("crossEntropyGrad", [[0.5, 0.5], [0.5, 0.6]], "y"),
    ("softmaxCrossEntropy", [[1.0, NAN], 0], "z"),
    ("softmaxCrossEntropy", [[INF, 1.0], 0], "z"),
    ("softmaxCrossEntropy", [[1.0, 2.0], 2], "y"),
    ("softmaxCrossEntropy", [[1.0, 2.0], 0.5], "y"),
    ("softmaxCrossEntropy", [[1.0, 2.0, 3.0], [1.0, 0.0]], "y"),
    ("softmaxCrossEntropy", [[1.0, 2.0], [0.5, 0.6]], "y"),
    ("softmaxCrossEntropyGrad", [[NAN, 1.0], 1], "z"),
    ("softmaxCrossEntropyGrad", [[1.0, 2.0], -1], "y"),
    ("softmaxCrossEntropyGrad", [[1.0, 2.0], [0.5, 0.6]], "y"),
    ("softmaxCrossEntropyGrad", [[1.0, 2.0], [2.0, -1.0]], "y"),
]
# JavaScript has one number type: a scalar where nnmath wants an array is a wrong kind
# (TypeError) there, a wrong shape (ValueError) in nnmath.
KIND_DIFFERS = {("softmax", "[1.0]")}


def names(message: str, argument: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(argument)}\b", message) is not None


@pytest.mark.parametrize(
    ("name", "args", "argument"), BAD_INPUT, ids=[f"{n}-{a}" for n, a, _ in BAD_INPUT]
)
def test_bad_input_throws_an_error_naming_the_argument(
    js: JsMath, name: str, args: list[Any], argument: str
) -> None:
    with pytest.raises((ValueError, TypeError)) as py_error:
        _py(name)(*args)
    with pytest.raises(JsError) as js_error:
        js(name, *args)
    err = js_error.value
    assert err.name in {"TypeError", "RangeError"}, err
    assert names(err.message, argument), f"{err.message!r} does not name {argument}"
    assert names(str(py_error.value), argument), py_error.value
    if (name, repr(args)) not in KIND_DIFFERS:
        expected = TypeError if err.name == "TypeError" else ValueError
        assert isinstance(py_error.value, expected), (err, py_error.value)


@given(data=st.data())
def test_a_nan_anywhere_is_an_error_never_a_result(js: JsMath, data: Any) -> None:
    z = data.draw(logit_vectors(), label="z")
    k = len(z)
    p = data.draw(probability_vectors(k), label="p")
    y = data.draw(probability_vectors(k), label="y")
    where = data.draw(st.sampled_from(["z", "p", "y"]), label="where")
    i = data.draw(st.integers(0, k - 1), label="i")
    bad = {"z": list(z), "p": list(p), "y": list(y)}
    bad[where][i] = NAN
    calls = {
        "z": [("softmax", [bad["z"]]), ("logsumexp", [bad["z"]]), ("softmaxJacobian", [bad["z"]])],
        "p": [("crossEntropy", [bad["p"], y]), ("crossEntropyGrad", [bad["p"], 0])],
        "y": [("softmaxCrossEntropy", [z, bad["y"]]), ("crossEntropyGrad", [p, bad["y"]])],
    }[where]
    for name, args in calls:
        with pytest.raises(JsError) as err:
            js(name, *args)
        assert names(err.value.message, where), err.value.message
        with pytest.raises(ValueError):
            _py(name)(*args)


# -- data from Python ---------------------------------------------------------------------
def bits(values: Any) -> bytes:
    return np.asarray(values, dtype="<f8").tobytes()


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=40))
def test_json_floats_reach_the_page_exactly(js: JsMath, values: list[float]) -> None:
    # json.dumps writes the shortest repr that round-trips; JSON.parse reads it back exactly.
    parsed = js.evaluate("text => JSON.parse(text)", json.dumps(values))
    assert bits(parsed) == bits(values)
    # Playwright's own argument passing is exact too, -0.0, inf and NaN included.
    special = [*values, -0.0, 5e-324, INF, -INF]
    assert bits(js.evaluate("x => x", special)) == bits(special)
    assert math.isnan(js.evaluate("x => x", NAN))


@given(hnp.arrays(np.float64, st.integers(0, 40), elements=st.floats(allow_nan=False)))
def test_decode_float64_is_exact(js: JsMath, a: np.ndarray) -> None:
    assert bits(js("decodeFloat64", b64(a))) == a.astype("<f8").tobytes()


@given(hnp.arrays(np.int32, st.integers(0, 40)))
def test_decode_int32_is_exact(js: JsMath, a: np.ndarray) -> None:
    assert js("decodeInt32", b64(a, "<i4")) == a.tolist()


@pytest.mark.parametrize("text", ["abc", "####", base64.b64encode(b"12 bytes ...").decode()])
def test_decode_rejects_what_is_not_float64_data(js: JsMath, text: str) -> None:
    with pytest.raises(JsError) as err:
        js("decodeFloat64", text)
    assert names(err.value.message, "base64"), err.value.message
    with pytest.raises((ValueError, binascii.Error)):
        np.frombuffer(base64.b64decode(text, validate=True), dtype="<f8")


def test_decode_rejects_what_is_not_a_string(js: JsMath) -> None:
    for fn in ("decodeFloat64", "decodeInt32"):
        with pytest.raises(JsError, match="base64 must be a string"):
            js(fn, [1, 2])


# -- the network -------------------------------------------------------------------------
def shipped(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Parameters and data as the page gets them from Python: base64 of their bytes."""
    n_in, hidden = params["W1"].shape
    return {
        "X": b64(X),
        "y": b64(y, "<i4"),
        "nIn": n_in,
        "hidden": hidden,
        "nOut": params["W2"].shape[1],
        **{k: b64(v) for k, v in params.items()},
    }


# A trainer from shipped data: `a` is shipped(...) plus lr and reg.
TRAINER = """
  const d = nnmath.decodeFloat64;
  const t = nnmath.network.createTrainer({X: d(a.X), y: nnmath.decodeInt32(a.y),
    nIn: a.nIn, hidden: a.hidden, nOut: a.nOut, W1: d(a.W1), b1: d(a.b1), W2: d(a.W2),
    b2: d(a.b2), lr: a.lr, reg: a.reg});
  const plain = (s) => ({W1: Array.from(s.W1), b1: Array.from(s.b1), W2: Array.from(s.W2),
    b2: Array.from(s.b2), stepCount: s.stepCount});
"""


def term_sizes(params, X, y, reg) -> dict[str, np.ndarray]:
    """For each gradient entry, the sum of the magnitudes of the terms it adds up."""
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    Z2 = H @ W2 + b2
    P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    D2 = (P + np.eye(W2.shape[1])[y]) / len(X)  # bounds |P - Y| / N, term by term
    D1 = (D2 @ np.abs(W2).T) * (Z1 > 0)
    return {
        "W1": np.abs(X).T @ D1 + reg * np.abs(W1),
        "b1": D1.sum(axis=0),
        "W2": H.T @ D2 + reg * np.abs(W2),
        "b2": D2.sum(axis=0),
    }


def agree_grads(got: dict[str, Any], expected: dict[str, np.ndarray], sizes) -> None:
    for key, want in expected.items():
        have = np.asarray(got[key]).reshape(want.shape)
        bound = RTOL * np.maximum(np.abs(want), sizes[key]) + TINY
        worst = np.max(np.abs(have - want) - bound)
        assert worst <= 0, f"{key}: off by {worst:g} beyond the tolerance"


@st.composite
def networks(draw: Any) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, float]:
    """Small random networks and data; half of them of the spiral's shape (2 in, 3 out)."""
    n_in, n_out = draw(st.one_of(st.just((2, 3)), st.tuples(st.integers(1, 3), st.integers(2, 5))))
    hidden = draw(st.integers(1, 12))
    n = draw(st.integers(1, 25))
    scale = draw(st.sampled_from([0.01, 1.0, 5.0]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = {
        "W1": scale * rng.standard_normal((n_in, hidden)),
        "b1": rng.standard_normal(hidden),
        "W2": scale * rng.standard_normal((hidden, n_out)),
        "b2": rng.standard_normal(n_out),
    }
    X = rng.standard_normal((n, n_in))
    y = rng.integers(0, n_out, n)
    reg = draw(st.sampled_from([0.0, 1e-3, 0.1]))
    return params, X, y, reg


@given(net=networks(), lr=st.floats(0.01, 2.0))
@settings(max_examples=80)
def test_loss_grads_and_one_step_equal_nnmath(js: JsMath, net: Any, lr: float) -> None:
    params, X, y, reg = net
    loss, grads = reference_loss_and_grads(params, X, y, reg)
    sizes = term_sizes(params, X, y, reg)
    got = js.evaluate(
        """a => { const d = nnmath.decodeFloat64;
          const r = nnmath.network.lossAndGrads({nIn: a.nIn, hidden: a.hidden, nOut: a.nOut,
            W1: d(a.W1), b1: d(a.b1), W2: d(a.W2), b2: d(a.b2)}, d(a.X), nnmath.decodeInt32(a.y),
            a.reg);
          return {loss: r.loss, grads: Object.fromEntries(Object.entries(r.grads).map(
            ([k, v]) => [k, Array.from(v)]))}; }""",
        {**shipped(params, X, y), "reg": reg},
    )
    agree(got["loss"], loss)
    agree_grads(got["grads"], grads, sizes)

    # One step of the trainer: the loss before the step, then params - lr * grads.
    step = js.evaluate(
        "a => {" + TRAINER + " const loss = t.step(); return {loss, after: plain(t.snapshot())}; }",
        {**shipped(params, X, y), "lr": lr, "reg": reg},
    )
    agree(step["loss"], loss)
    assert step["after"]["stepCount"] == 1
    after = {k: params[k] - lr * grads[k] for k in grads}
    moved = {k: np.abs(params[k]) + lr * sizes[k] for k in grads}
    agree_grads(step["after"], after, moved)


TRAINING = [(10, 3), (100, 3), (20, 4)]  # (hidden, classes): 4 classes run the general code


@pytest.mark.parametrize(("hidden", "classes"), TRAINING, ids=[f"h{h}-k{k}" for h, k in TRAINING])
def test_training_follows_nnmath_for_1000_steps(js: JsMath, hidden: int, classes: int) -> None:
    X, y = spiral(classes)
    params = initial_params(X.shape[1], hidden, classes)
    want = reference_training(X, y, hidden, STEPS, lr=1.0, reg=1e-3)
    got = js.evaluate(
        "a => {"
        + TRAINER
        + """ const loss = [];
          for (let i = 0; i < a.steps; i++) loss.push(t.step());
          loss.push(t.loss());
          return {loss, steps: t.stepCount, accuracy: t.accuracy(), dead: t.deadFraction(),
                  grid: Array.from(t.decisionGrid([-1.1, 1.1], [-1.1, 1.1], 100))}; }""",
        {**shipped(params, X, y), "lr": 1.0, "reg": 1e-3, "steps": STEPS},
    )
    assert got["steps"] == STEPS
    loss = np.array(got["loss"])
    assert loss.shape == want["loss"].shape == (STEPS + 1,)
    worst = np.max(np.abs(loss - want["loss"]) / want["loss"])
    assert worst <= 1e-9, f"the loss drifts from nnmath's by {worst:.2e} relative"
    assert loss[-1] < 0.5 * loss[0]  # it does train
    assert got["accuracy"] == want["accuracy"]
    assert got["dead"] == want["dead"]
    np.testing.assert_array_equal(np.array(got["grid"]).reshape(100, 100), want["grid"])


def test_trainer_defaults_snapshot_and_restore(js: JsMath) -> None:
    X, y = spiral()
    params = initial_params(2, 16, 3)
    got = js.evaluate(
        """a => { const d = nnmath.decodeFloat64;
          const make = (o) => nnmath.network.createTrainer(Object.assign({X: d(a.X),
            y: nnmath.decodeInt32(a.y), nIn: 2, hidden: 16, nOut: 3, W1: d(a.W1), b1: d(a.b1),
            W2: d(a.W2), b2: d(a.b2)}, o));
          const t = make({}), u = make({lr: 1.0, reg: 1e-3});
          const defaults = [];
          for (let i = 0; i < 5; i++) defaults.push(t.step() === u.step());
          const peek = t.loss(), again = t.loss(), next = t.step();
          const snap = t.snapshot(), copy = t.snapshot();
          copy.W1[0] += 1;
          const independent = t.snapshot().W1[0] !== copy.W1[0];
          const first = [];
          for (let i = 0; i < 3; i++) first.push(t.step());
          t.restore(snap);
          const restoredAt = t.stepCount, replay = [];
          for (let i = 0; i < 3; i++) replay.push(t.step());
          const grid = new Uint8Array(49);
          const reused = t.decisionGrid([-2, 0.5], [-0.3, 1.7], 7, grid) === grid;
          const s = t.snapshot();
          return {defaults, peek, again, next, independent, first, restoredAt, replay, reused,
            grid: Array.from(grid), steps: t.stepCount,
            params: {W1: Array.from(s.W1), b1: Array.from(s.b1), W2: Array.from(s.W2),
                     b2: Array.from(s.b2)}}; }""",
        shipped(params, X, y),
    )
    assert all(got["defaults"])  # lr and reg default to train's 1.0 and 1e-3
    assert got["peek"] == got["again"] == got["next"]  # loss() is what the next step returns
    assert got["independent"]  # a snapshot is a copy
    assert got["restoredAt"] == 6 and got["steps"] == 9
    assert got["replay"] == got["first"]  # restore() puts the state back exactly
    assert got["reused"]
    now = {k: np.array(v).reshape(params[k].shape) for k, v in got["params"].items()}
    want = reference_grid(now, (-2.0, 0.5), (-0.3, 1.7), 7)
    np.testing.assert_array_equal(np.array(got["grid"]).reshape(7, 7), want)


@pytest.mark.parametrize("lr", [1e4, 1e6, 1e100])
def test_divergence_throws_at_nnmaths_step(js: JsMath, lr: float) -> None:
    X, y = spiral()
    with pytest.raises(FloatingPointError) as py_error:
        reference_training(X, y, 20, 3000, lr=lr, reg=1e-3)
    step = int(re.search(r"diverged at step (\d+)", str(py_error.value)).group(1))
    got = js.evaluate(
        "a => {"
        + TRAINER
        + """ try { for (let i = 0; i < 3000; i++) t.step(); return null; }
          catch (e) { return {name: e.name, message: e.message, steps: t.stepCount,
            finite: Object.values(plain(t.snapshot())).flat().every(Number.isFinite)}; } }""",
        {**shipped(initial_params(2, 20, 3), X, y), "lr": lr, "reg": 1e-3},
    )
    assert got is not None, "the page trained on where nnmath diverged"
    assert got["message"].startswith(f"training diverged at step {step} ("), got["message"]
    # The learning rate named, and the same advice as nnmath's message, word for word.
    advice = str(py_error.value).rsplit("; ", 1)[1]
    assert advice == "lower the learning rate or rescale the inputs"
    assert ") at lr=" in got["message"] and got["message"].endswith("; " + advice)
    assert got["steps"] == step and got["finite"]


def _trainer_options(**change: Any) -> dict[str, Any]:
    X, y = spiral()
    params = initial_params(2, 8, 3)
    o = {
        "X": X.ravel().tolist(),
        "y": y.tolist(),
        "nIn": 2,
        "hidden": 8,
        "nOut": 3,
        **{k: v.ravel().tolist() for k, v in params.items()},
    }
    o.update(change)
    return o


X0, Y0 = spiral()
P0 = initial_params(2, 8, 3)


def _with_last(a: np.ndarray, last: Any) -> list[Any]:
    return [*a.ravel().tolist()[:-1], last]


# (what the page is given, the argument its error must name, the same mistake in nnmath)
BAD_NETWORK = [
    ({"lr": 0.0}, "lr", lambda: reference_training(X0, Y0, 8, 1, lr=0.0, reg=0.0)),
    ({"lr": NAN}, "lr", lambda: reference_training(X0, Y0, 8, 1, lr=NAN, reg=0.0)),
    ({"reg": -1.0}, "reg", lambda: reference_loss_and_grads(P0, X0, Y0, -1.0)),
    (
        {"hidden": 0, "W1": [], "b1": [], "W2": []},
        "hidden",
        lambda: reference_training(X0, Y0, 0, 1, lr=1.0, reg=0.0),
    ),
    (
        {"X": _with_last(X0, NAN)},
        "X",
        lambda: reference_loss_and_grads(P0, np.r_[X0[:-1], [[0.0, NAN]]], Y0, 0.0),
    ),
    (
        {"X": X0.ravel().tolist()[:-1]},
        "X",
        lambda: reference_loss_and_grads(P0, X0[:, :1], Y0, 0.0),
    ),
    (
        {"y": _with_last(Y0, 3)},
        "y",
        lambda: reference_loss_and_grads(P0, X0, np.r_[Y0[:-1], 3], 0.0),
    ),
    ({"y": _with_last(Y0, 1.5)}, "y", lambda: reference_loss_and_grads(P0, X0, Y0 + 0.5, 0.0)),
    ({"y": Y0.tolist()[:-1]}, "y", lambda: reference_loss_and_grads(P0, X0, Y0[:-1], 0.0)),
    (
        {"b1": P0["b1"].tolist()[:-1]},
        "b1",
        lambda: reference_loss_and_grads({**P0, "b1": P0["b1"][:-1]}, X0, Y0, 0.0),
    ),
]


@pytest.mark.parametrize(
    ("change", "argument", "in_nnmath"), BAD_NETWORK, ids=[a for _, a, _ in BAD_NETWORK]
)
def test_bad_training_input_throws(js: JsMath, change, argument, in_nnmath) -> None:
    with pytest.raises((ValueError, TypeError)):
        in_nnmath()
    with pytest.raises(JsError) as err:
        js("network.createTrainer", _trainer_options(**change))
    assert names(err.value.message, argument), err.value.message
    if argument == "lr":  # the one argument of training that lossAndGrads has not
        return
    o = _trainer_options(**change)
    params = {k: v for k, v in o.items() if k not in ("X", "y", "reg")}
    with pytest.raises(JsError) as err:
        js("network.lossAndGrads", params, o["X"], o["y"], change.get("reg", 0.0))
    assert names(err.value.message, argument), err.value.message


def test_bad_parameters_and_grid_arguments_throw(js: JsMath) -> None:
    got = js.evaluate(
        """o => { const t = nnmath.network.createTrainer(o), out = [];
          const attempt = (f) => {
            try { f(); out.push(null); } catch (e) { out.push(e.message); }
          };
          const nanW2 = Object.assign({}, o, {W2: o.W2.map(() => NaN)});
          attempt(() => nnmath.network.createTrainer(nanW2));
          attempt(() => t.decisionGrid([-1, 1], [-1, 1], 1));
          attempt(() => t.decisionGrid([1, -1], [-1, 1], 10));
          attempt(() => t.decisionGrid("wide", [-1, 1], 10));
          attempt(() => t.restore({W1: [1]}));
          attempt(() => t.restore(null));
          return out; }""",
        _trainer_options(),
    )
    # NaN weights: the page refuses them (nnmath would compute a NaN loss from them).
    expected = ["W2", "n", "xlim", "xlim", "snapshot.W1", "snapshot"]
    for message, argument in zip(got, expected, strict=True):
        assert message is not None and names(message, argument), (message, argument)
    for mistake in (
        lambda: reference_grid(P0, (-1, 1), (-1, 1), 1),
        lambda: reference_grid(P0, (1, -1), (-1, 1), 10),
        lambda: reference_grid(P0, "wide", (-1, 1), 10),
    ):
        with pytest.raises((ValueError, TypeError)):
            mistake()


# -- how it is loaded ---------------------------------------------------------------------
def test_it_runs_from_file_urls_and_requests_nothing(chromium: Any, tmp_path: Any) -> None:
    page_file = tmp_path / "page.html"
    page_file.write_text(
        "<!doctype html><title>t</title>"
        f'<script src="{NNMATH_JS.as_uri()}"></script>'
        "<script>document.title = String(nnmath.softmax([0, 0])[0]);</script>",
        encoding="utf-8",
    )
    bare = tmp_path / "bare.html"
    bare.write_text("<!doctype html><title>t</title>", encoding="utf-8")
    context = chromium.new_context()
    requests: list[str] = []
    problems: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(bare.as_uri())
    before = page.evaluate("() => Object.keys(window)")
    requests.clear()
    page.goto(page_file.as_uri())
    assert page.title() == "0.5"
    trained = page.evaluate(
        """o => { const t = nnmath.network.createTrainer(o);
          for (let i = 0; i < 20; i++) t.step();
          return [t.loss(), t.accuracy(), t.deadFraction(), t.decisionGrid().length]; }""",
        _trainer_options(),
    )
    assert all(math.isfinite(v) for v in trained) and trained[3] == 100 * 100
    # The only global it adds is nnmath; it loads nothing but itself.
    assert set(page.evaluate("() => Object.keys(window)")) - set(before) == {"nnmath"}
    assert requests == [page_file.as_uri(), NNMATH_JS.as_uri()]
    assert not problems
    context.close()


def test_its_source_installs_the_same_functions_in_a_worker(js: JsMath) -> None:
    # The page's training explorer runs nnmath.source in a worker made from a Blob URL.
    names = js.evaluate(
        """() => new Promise((done, fail) => {
          const code = nnmath.source + "\\npostMessage(Object.keys(self.nnmath).sort());";
          const worker = new Worker(URL.createObjectURL(new Blob([code])));
          worker.onmessage = e => done(e.data);
          worker.onerror = e => fail(e.message);
        })"""
    )
    page = js.evaluate("() => Object.keys(nnmath).filter(k => k !== 'source').sort()")
    assert names == page


def test_it_is_a_readable_classic_script() -> None:
    # What the page runs is built (esbuild, make js): a classic script, not an ES module.
    built = NNMATH_JS.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|export)\b", built, re.MULTILINE)
    # Its source, js/nnmath.js, is hand-written, not minified, and commented.
    text = (NNMATH_JS.parents[3] / "js" / "nnmath.js").read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 120
    assert len(re.findall(r"^\s*(//|/?\*)", text, re.MULTILINE)) >= 40
