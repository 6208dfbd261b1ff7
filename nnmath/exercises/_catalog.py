"""The exercises, chapter by chapter: what the learner writes, nnmath's answer, the inputs.

Each exercise's reference has the learner's signature and computes the expected
answer with nnmath.  Its cases are built from a fixed seed, so every verdict is
reproducible.  ``wrong_answers`` computes, on a case's inputs, what a common
mistake returns, so that a verdict can name the mistake; ``diagnose`` recognises
mistakes by where they fail (a kink, an extreme logit, a zero probability).
"""

from __future__ import annotations

import numpy as np

import nnmath
from nnmath.exercises._core import Case, Exercise, Mismatch

F32 = np.float32


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _tags(*names: str) -> frozenset[str]:
    return frozenset(names)


def _rows(rng: np.random.Generator, n: int, k: int, concentration: float = 1.0) -> np.ndarray:
    """Random probability rows (a Dirichlet sample), strictly inside (0, 1)."""
    return rng.dirichlet(np.full(k, concentration), size=n)


def _smoothed(labels: np.ndarray, k: int, eps: float) -> np.ndarray:
    """Label smoothing: 1 - eps on the label, eps spread evenly over all K classes."""
    return (1 - eps) * nnmath.one_hot(labels, k) + eps / k


def _target_rows(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Target rows of the shape of z, from integer labels or rows."""
    if y.shape == z.shape:
        return y.astype(z.dtype)
    return nnmath.one_hot(y, z.shape[-1]).astype(z.dtype)


OVERFLOW = (
    "exp overflows: e^z is inf beyond z ≈ 709.78 in float64 (88.72 in float32) and rounds to 0 "
    "below about -745, so the quotient becomes inf/inf or 0/0, which is NaN. Subtract each "
    "row's maximum before exponentiating: `softmax(z) = softmax(z - max z)` changes nothing "
    "mathematically, and the largest exponent is then e^0 = 1."
)

CLIPPED = (
    "The true value is {value} here: a class with a positive target weight has probability "
    "{p}, so the loss is +inf. Clipping p or adding a small eps gives a finite number and hides "
    "how wrong the prediction is."
)


def _kink_value(m: Mismatch, x: np.ndarray):
    if m.index is None or np.ndim(x) != np.ndim(m.received):
        return None
    value = np.asarray(x)[m.index]
    return value if value == 0 else None


# --------------------------------------------------------------------------
# Chapter 1: ReLU
# --------------------------------------------------------------------------


def _relu_grad_cases() -> list[Case]:
    rng = _rng(1)
    tiny64 = np.finfo(np.float64).smallest_subnormal
    tiny32 = np.finfo(F32).smallest_subnormal
    big32 = np.finfo(F32).max
    return [
        Case("a vector of mixed signs", (np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case("a (3, 4) matrix, as in a hidden layer", (rng.standard_normal((3, 4)),)),
        Case("a (2, 3, 4) array", (rng.standard_normal((2, 3, 4)),)),
        Case("the kink: x = 0 and x = -0.0", (np.array([-1.0, -0.0, 0.0, 0.5]),), _tags("kink")),
        Case("kinks inside a matrix", (np.array([[0.0, 1.5], [-1.5, 0.0]]),), _tags("kink")),
        Case("a 0-d array at the kink, np.array(0.0)", (np.array(0.0),), _tags("kink")),
        Case(
            "extremes: ±inf, ±1e308 and the smallest subnormals ±5e-324",
            (np.array([-np.inf, -1e308, -tiny64, tiny64, 1e308, np.inf]),),
            _tags("extreme"),
        ),
        Case("float32 values", (rng.standard_normal(6).astype(F32),), _tags("float32")),
        Case(
            "float32 at the kink",
            (np.array([[-1.0, 0.0], [0.0, 1.0]], dtype=F32),),
            _tags("float32", "kink"),
        ),
        Case(
            "float32 extremes: ±3.4e38 and ±1.4e-45",
            (np.array([-big32, -tiny32, tiny32, big32], dtype=F32),),
            _tags("float32", "extreme"),
        ),
        Case("many entries: 1000 standard normal values", (rng.standard_normal(1000),)),
    ]


def _relu_grad_diagnose(case: Case, m: Mismatch) -> str | None:
    x = case.args[0]
    if m.kind in ("wrong value", "not finite"):
        x0 = _kink_value(m, x)
        if x0 is not None:
            r = m.received[m.index]
            said = f"At x = {x0} your function returns {r}."
            if r == 0.5:
                said += (
                    " 0.5 is what a central difference gives at the kink, the average of the "
                    "two one-sided slopes."
                )
            elif not np.isfinite(r):
                said += " A formula such as `x / |x|` divides 0 by 0 there."
            if x0 == 0 and np.signbit(x0):
                said += " (-0.0 counts as 0: `-0.0 >= 0` is True.)"
            return (
                f"{said} ReLU has no derivative at 0: its slope is 0 on the left and 1 on the "
                "right. The convention, as in PyTorch, TensorFlow, JAX and nnmath, is "
                "relu'(0) = 0, so test `x > 0`, not `x >= 0`."
            )
        if "extreme" in case.tags and m.index is not None:
            return (
                f"At x = {np.asarray(x)[m.index]} the answer is still just 1 for `x > 0` and 0 "
                "otherwise: compare x with 0 rather than computing with x (`x / |x|` or a "
                "threshold such as `x > 1e-8` fail at these values)."
            )
    return None


def _relu_grad_wrong(case: Case):
    x = case.args[0]
    return [
        (
            "This is ReLU itself, max(x, 0), not its derivative: the slope is 1 where x > 0 "
            "and 0 elsewhere.",
            nnmath.relu(x),
        )
    ]


def _leaky_relu_grad_cases() -> list[Case]:
    rng = _rng(2)
    return [
        Case("a vector of mixed signs, alpha = 0.01", (np.array([-2.0, -0.5, 0.5, 3.0]), 0.01)),
        Case("the same with alpha = 0.2", (np.array([-2.0, -0.5, 0.5, 3.0]), 0.2)),
        Case("a (3, 4) matrix, alpha = 0.1", (rng.standard_normal((3, 4)), 0.1)),
        Case(
            "the kink: x = 0 and x = -0.0, alpha = 0.1",
            (np.array([-1.0, -0.0, 0.0, 1.0]), 0.1),
            _tags("kink"),
        ),
        Case(
            "alpha = 0, where leaky ReLU is ReLU", (np.array([-1.0, 0.0, 1.0]), 0.0), _tags("kink")
        ),
        Case("a 0-d array at the kink, alpha = 0.01", (np.array(0.0), 0.01), _tags("kink")),
        Case(
            "extremes: ±inf and ±1e308, alpha = 0.05",
            (np.array([-np.inf, -1e308, 1e308, np.inf]), 0.05),
            _tags("extreme"),
        ),
        Case(
            "float32 values, alpha = 0.1",
            (rng.standard_normal(6).astype(F32), 0.1),
            _tags("float32"),
        ),
        Case(
            "float32 at the kink, alpha = 0.3",
            (np.array([-1.0, 0.0, 2.0], dtype=F32), 0.3),
            _tags("float32", "kink"),
        ),
        Case("many entries: 1000 values, alpha = 0.02", (rng.standard_normal(1000), 0.02)),
    ]


def _leaky_relu_grad_diagnose(case: Case, m: Mismatch) -> str | None:
    x, alpha = case.args
    if m.kind == "wrong value":
        x0 = _kink_value(m, x)
        if x0 is not None:
            return (
                f"At x = {x0} your function returns {m.received[m.index]}. The convention at "
                f"the kink is the left slope, leaky_relu_grad(0) = alpha (here {alpha}), which "
                "for alpha = 0 agrees with relu'(0) = 0: test `x > 0`, not `x >= 0`."
            )
    return None


def _leaky_relu_grad_wrong(case: Case):
    x, alpha = case.args
    return [
        (
            "This is relu_grad: for x <= 0 the slope of leaky ReLU is alpha, not 0.",
            nnmath.relu_grad(x),
        ),
        ("This is leaky ReLU itself, not its derivative.", nnmath.leaky_relu(x, alpha)),
    ]


# --------------------------------------------------------------------------
# Chapter 2: softmax
# --------------------------------------------------------------------------


def _softmax_cases() -> list[Case]:
    rng = _rng(3)
    return [
        Case("z = [1, 2, 3], one sample", (np.array([1.0, 2.0, 3.0]),)),
        Case("one sample of 7 random logits", (3 * rng.standard_normal(7),)),
        Case("a batch of 4 samples and 5 classes", (rng.standard_normal((4, 5)),)),
        Case("equal logits: the uniform distribution", (np.array([[0.0] * 4, [5.0] * 4]),)),
        Case("a single class, K = 1", (np.array([[3.0], [-2.0]]),)),
        Case("a masked class: a logit of -inf", (np.array([[0.0, -np.inf, 1.0]]),)),
        Case(
            "large logits: z = [1000, 1001, 1002]",
            (np.array([1000.0, 1001.0, 1002.0]),),
            _tags("extreme"),
        ),
        Case(
            "extreme logits: [1000, 0, -1000] and a row of -1000",
            (np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]]),),
            _tags("extreme"),
        ),
        Case(
            "two rows 2000 apart",
            (np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.0]]),),
            _tags("extreme", "rows-apart"),
        ),
        Case("a float32 batch", (rng.standard_normal((3, 4)).astype(F32),), _tags("float32")),
        Case(
            "float32 logits ±100, beyond float32's exp limit of 88.72",
            (np.array([[100.0, 0.0, -100.0]], dtype=F32),),
            _tags("float32", "extreme"),
        ),
        Case(
            "many: 64 samples, 10 classes, logits of scale 10",
            (10 * rng.standard_normal((64, 10)),),
        ),
    ]


def _axis_hint(case: Case, m: Mismatch) -> str | None:
    if m.kind == "exception" and isinstance(m.exception, np.exceptions.AxisError):
        return (
            f"The input has shape {case.args[0].shape} here: use `axis=-1`, the last axis, which "
            "works for one sample (K,) and for a batch (N, K) alike."
        )
    return None


def _softmax_diagnose(case: Case, m: Mismatch) -> str | None:
    hint = _axis_hint(case, m)
    if hint:
        return hint
    if "extreme" in case.tags and m.kind in ("not finite", "wrong value"):
        if m.kind == "wrong value" and "rows-apart" not in case.tags:
            return None
        hint = OVERFLOW
        if "rows-apart" in case.tags:
            hint += (
                " Here the two rows lie 2000 apart: subtract each row's own maximum, "
                "`np.max(z, axis=-1, keepdims=True)`, not the maximum of the whole array."
            )
        return hint
    return None


def _softmax_wrong(case: Case):
    z = case.args[0]
    out = []
    if z.ndim == 2 and z.shape[0] > 1:
        out.append(
            (
                "The whole array sums to 1 instead of each row: sum along the last axis, "
                "`np.sum(e, axis=-1, keepdims=True)`.",
                nnmath.softmax(z.reshape(-1)).reshape(z.shape),
            )
        )
        out.append(
            (
                "Each column sums to 1 instead of each row: the classes are the last axis, so "
                "normalise along `axis=-1`, not `axis=0`.",
                nnmath.softmax(z, axis=0),
            )
        )
    shifted = np.exp(z - np.max(z, axis=-1, keepdims=True))
    out.append(("These are exponentials without the normalisation: divide by their sum.", shifted))
    out.append(
        ("These are exponentials without the normalisation: divide by their sum.", np.exp(z))
    )
    return out


def _log_softmax_cases() -> list[Case]:
    rng = _rng(4)
    return [
        Case("z = [1, 2, 3], one sample", (np.array([1.0, 2.0, 3.0]),)),
        Case("one sample of 7 random logits", (3 * rng.standard_normal(7),)),
        Case("a batch of 4 samples and 5 classes", (rng.standard_normal((4, 5)),)),
        Case(
            "z = [1000, 1], SciPy's example: [0, -999]",
            (np.array([1000.0, 1.0]),),
            _tags("extreme"),
        ),
        Case(
            "a probability of e^-1000, far below the smallest float",
            (np.array([[0.0, -1000.0], [-1000.0, 0.0]]),),
            _tags("extreme"),
        ),
        Case(
            "extreme logits: [1000, 0, -1000]",
            (np.array([[1000.0, 0.0, -1000.0]]),),
            _tags("extreme"),
        ),
        Case("a masked class: a logit of -inf gives -inf", (np.array([[0.0, -np.inf, 2.0]]),)),
        Case("a float32 batch", (rng.standard_normal((3, 4)).astype(F32),), _tags("float32")),
        Case(
            "float32 logits ±100",
            (np.array([[100.0, 0.0, -100.0]], dtype=F32),),
            _tags("float32", "extreme"),
        ),
        Case(
            "many: 64 samples, 10 classes, logits of scale 10",
            (10 * rng.standard_normal((64, 10)),),
        ),
    ]


def _log_softmax_diagnose(case: Case, m: Mismatch) -> str | None:
    hint = _axis_hint(case, m)
    if hint:
        return hint
    if m.kind == "not finite":
        r = m.received[m.index]
        if r == -np.inf:
            return (
                "This is the log of a probability that has already rounded to 0 (anything "
                f"below about 5e-324 in float64), so it is -inf where the true value, "
                f"{m.expected[m.index]}, is finite. Compute log-softmax as `z - logsumexp(z)` "
                "= `z - m - log(sum(exp(z - m)))`, with m the row maximum: no probability is "
                "formed, so nothing underflows before the log."
            )
        return OVERFLOW
    return None


def _softmax_vjp_reference(z, v):
    """J^T v with J = nnmath.softmax_jacobian(z): sum_i J[..., i, j] v[..., i]."""
    return np.einsum("...ij,...i->...j", nnmath.softmax_jacobian(z), v)


def _softmax_vjp_cases() -> list[Case]:
    rng = _rng(5)
    big = np.linspace(-3.0, 3.0, 1024)
    return [
        Case(
            "z = [1, 2, 3], v = [1, 0, 0]: the first column of J",
            (np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0])),
        ),
        Case(
            "z = [1, 2, 3], v = [1, -2, 0.5]",
            (np.array([1.0, 2.0, 3.0]), np.array([1.0, -2.0, 0.5])),
        ),
        Case(
            "v = 1 everywhere: J^T 1 = 0, since every row of J sums to 0",
            (rng.standard_normal(5), np.ones(5)),
        ),
        Case("one sample of 6 classes", (rng.standard_normal(6), rng.standard_normal(6))),
        Case(
            "a batch of 4 samples and 3 classes",
            (rng.standard_normal((4, 3)), rng.standard_normal((4, 3))),
        ),
        Case(
            "a batch of 8 samples and 10 classes",
            (3 * rng.standard_normal((8, 10)), rng.standard_normal((8, 10))),
        ),
        Case("a single class, K = 1: J = 0", (np.array([[2.0]]), np.array([[3.0]]))),
        Case(
            "extreme logits: z = [1000, 0, -1000]",
            (np.array([1000.0, 0.0, -1000.0]), np.array([0.5, -1.0, 2.0])),
            _tags("extreme"),
        ),
        Case(
            "a batch with rows at ±1000",
            (
                np.array([[1000.0, 999.0, 0.0], [-1000.0, -1000.0, -1001.0]]),
                rng.standard_normal((2, 3)),
            ),
            _tags("extreme"),
        ),
        Case(
            "a float32 batch",
            (rng.standard_normal((3, 4)).astype(F32), rng.standard_normal((3, 4)).astype(F32)),
            _tags("float32"),
        ),
        Case(
            "K = 1024 classes: J^T v needs no K x K matrix",
            (big, np.cos(big)),
            _tags("memory"),
            max_peak_bytes=64 * big.nbytes,
        ),
    ]


def _softmax_vjp_diagnose(case: Case, m: Mismatch) -> str | None:
    hint = _axis_hint(case, m)
    if hint:
        return hint
    if m.kind == "not finite" and "extreme" in case.tags:
        return OVERFLOW
    if m.kind == "memory":
        k = case.args[0].shape[-1]
        return (
            f"A K x K Jacobian for K = {k} takes {k * k * 8 / 1e6:.1f} MB. Since "
            "J = diag(p) - p p^T, the product J^T v needs only p, v and one number per row, "
            "p . v: memory of the size of the input."
        )
    return None


def _softmax_vjp_wrong(case: Case):
    z, v = case.args
    p = nnmath.softmax(z)
    return [
        (
            "This is diag(p) v: only the diagonal p_i(1 - p_i) of J times v. The off-diagonal "
            "terms `-p_i p_j` are missing.",
            p * (1 - p) * v,
        ),
        (
            "This is p * v: the term -p (p . v), from the -p p^T part of J, is missing.",
            p * v,
        ),
        ("The sign is flipped: J = diag(p) - p p^T.", -_softmax_vjp_reference(z, v)),
    ]


# --------------------------------------------------------------------------
# Chapter 3: cross-entropy
# --------------------------------------------------------------------------


def _cross_entropy_grad_cases() -> list[Case]:
    rng = _rng(6)
    labels4 = np.array([0, 2, 1, 2])
    p4 = _rows(rng, 4, 3)
    return [
        Case(
            "p = [[0.2, 0.3, 0.5]], the middle class correct, 'sum'",
            (np.array([[0.2, 0.3, 0.5]]), np.array([[0.0, 1.0, 0.0]]), "sum"),
        ),
        Case("a batch of 4 one-hot targets, 'mean'", (p4, nnmath.one_hot(labels4, 3), "mean")),
        Case("the same batch, 'sum'", (p4, nnmath.one_hot(labels4, 3), "sum")),
        Case("soft targets, 3 samples, 'mean'", (_rows(rng, 3, 4), _rows(rng, 3, 4), "mean")),
        Case(
            "label smoothing 0.1, 5 samples, 10 classes, 'mean'",
            (_rows(rng, 5, 10), _smoothed(rng.integers(0, 10, 5), 10, 0.1), "mean"),
        ),
        Case(
            "p = 0 where y = 0: such a term contributes exactly 0",
            (
                np.array([[0.0, 0.4, 0.6], [0.5, 0.5, 0.0]]),
                np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
                "mean",
            ),
            _tags("zero-p"),
        ),
        Case(
            "p = 1 on the correct class, 0 elsewhere",
            (np.array([[1.0, 0.0, 0.0]]), np.array([[1.0, 0.0, 0.0]]), "sum"),
            _tags("zero-p"),
        ),
        Case(
            "p = 0 on the correct class: the gradient is -inf",
            (np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]), "sum"),
            _tags("zero-p", "infinite"),
        ),
        Case(
            "a float32 batch, 'mean'",
            (_rows(rng, 4, 3).astype(F32), nnmath.one_hot(labels4, 3).astype(F32), "mean"),
            _tags("float32"),
        ),
        Case("a batch of one sample, 'mean'", (_rows(rng, 1, 5), nnmath.one_hot([3], 5), "mean")),
        Case(
            "many: 50 samples, 10 classes, 'mean'",
            (_rows(rng, 50, 10), nnmath.one_hot(rng.integers(0, 10, 50), 10), "mean"),
        ),
    ]


def _zero_over_zero(case: Case, m: Mismatch, simplified: str) -> str | None:
    p = case.args[0]
    if m.kind == "not finite" and m.index is not None and p.shape == m.received.shape:
        if p[m.index] in (0.0, 1.0):
            return simplified.replace("{e}", str(m.expected[m.index]))
    if m.kind == "wrong value" and m.index is not None and np.isinf(m.expected[m.index]):
        value = m.expected[m.index]
        return CLIPPED.replace("{value}", str(value)).replace("{p}", str(p[m.index]))
    return None


def _cross_entropy_grad_diagnose(case: Case, m: Mismatch) -> str | None:
    return _zero_over_zero(
        case,
        m,
        "Where y_k = 0 the term y_k log p_k is 0 whatever p_k is, so its derivative is exactly "
        "0 ({e} here); but -y/p is 0/0 = NaN where p_k = 0 too. Divide only where y != 0 "
        "(`np.divide` with `where=y != 0` and `out=np.zeros_like(p)`).",
    )


def _reduction_candidates(case: Case, ref, n: int, rows: int | None = None, what="N rows"):
    """What a forgotten, extra or misplaced 1/N gives."""
    args, reduction = case.args[:-1], case.args[-1]
    total = ref(*args, "sum")
    out = []
    if reduction == "mean" and n > 1:
        out.append(
            (
                f"This is the gradient of the sum, N = {n} times too large on this test's "
                f"input: with "
                f"reduction='mean' the loss is averaged over the {what}, so its gradient "
                "carries a factor 1/N.",
                total,
            )
        )
    if reduction == "sum" and n > 1:
        out.append((f"With reduction='sum' there is no 1/N: you divided by N = {n}.", total / n))
    if reduction == "mean" and rows is not None and rows != n:
        out.append(
            (
                f"You divided by {rows}; the mean is over the {what}, N = {n}.",
                total / rows,
            )
        )
    return out


def _cross_entropy_grad_wrong(case: Case):
    p, y, reduction = case.args
    n, k = p.shape[0], p.shape[-1]
    out = _reduction_candidates(case, nnmath.cross_entropy_grad, n, rows=n * k, what="N rows")
    out.append(
        (
            "The sign is flipped: L = -sum_k y_k log p_k, so dL/dp_k = -y_k / p_k.",
            -nnmath.cross_entropy_grad(p, y, reduction),
        )
    )
    return out


def _binary_cross_entropy_grad_cases() -> list[Case]:
    rng = _rng(7)
    p8 = rng.uniform(0.05, 0.95, 8)
    return [
        Case(
            "p = [0.9, 0.2], y = [1, 0], 'sum'", (np.array([0.9, 0.2]), np.array([1.0, 0.0]), "sum")
        ),
        Case("the same, 'mean'", (np.array([0.9, 0.2]), np.array([1.0, 0.0]), "mean")),
        Case(
            "8 probabilities, 0/1 targets, 'mean'",
            (p8, rng.integers(0, 2, 8).astype(float), "mean"),
        ),
        Case("soft targets, 'sum'", (rng.uniform(0.05, 0.95, 5), rng.uniform(0, 1, 5), "sum")),
        Case(
            "a (3, 2) array: the mean is over all 6 entries",
            (rng.uniform(0.05, 0.95, (3, 2)), rng.integers(0, 2, (3, 2)).astype(float), "mean"),
        ),
        Case(
            "p = y = 0 and p = y = 1: the gradients are 1 and -1",
            (np.array([0.0, 1.0]), np.array([0.0, 1.0]), "sum"),
            _tags("zero-p"),
        ),
        Case(
            "p = 0 with y = 1 and p = 1 with y = 0: -inf and +inf",
            (np.array([0.0, 1.0]), np.array([1.0, 0.0]), "sum"),
            _tags("zero-p", "infinite"),
        ),
        Case(
            "float32, 'mean'",
            (p8.astype(F32), rng.integers(0, 2, 8).astype(F32), "mean"),
            _tags("float32"),
        ),
        Case(
            "many: 200 entries, 'mean'",
            (rng.uniform(0.01, 0.99, 200), rng.integers(0, 2, 200).astype(float), "mean"),
        ),
    ]


def _binary_cross_entropy_grad_diagnose(case: Case, m: Mismatch) -> str | None:
    return _zero_over_zero(
        case,
        m,
        "The simplified form (p - y) / (p (1 - p)) is 0/0 at p = y = 0 and at p = y = 1, where "
        "the true gradient is finite ({e} here). Use -y/p + (1 - y)/(1 - p) and skip a term "
        "whose weight, y or 1 - y, is 0.",
    )


def _binary_cross_entropy_grad_wrong(case: Case):
    p, y, reduction = case.args
    rows = p.shape[0] if p.ndim > 1 else None
    out = _reduction_candidates(
        case, nnmath.binary_cross_entropy_grad, p.size, rows=rows, what="N entries (p.size)"
    )
    out.append(
        (
            "The sign is flipped: dL/dp = -y/p + (1 - y)/(1 - p).",
            -nnmath.binary_cross_entropy_grad(p, y, reduction),
        )
    )
    return out


# --------------------------------------------------------------------------
# Chapter 4: the gradient p - y
# --------------------------------------------------------------------------


def _softmax_cross_entropy_grad_cases() -> list[Case]:
    rng = _rng(8)
    z4 = rng.standard_normal((4, 3))
    y4 = np.array([0, 2, 1, 2])
    labels = _tags("labels")
    return [
        Case(
            "z = [[1, 2, 3]], label 1, 'sum'",
            (np.array([[1.0, 2.0, 3.0]]), np.array([1]), "sum"),
            labels,
        ),
        Case("a batch of 4 labels, 'mean'", (z4, y4, "mean"), labels),
        Case("the same batch, 'sum'", (z4, y4, "sum"), labels),
        Case("the same batch as one-hot rows, 'mean'", (z4, nnmath.one_hot(y4, 3), "mean")),
        Case(
            "soft targets, 3 samples, 'mean'",
            (rng.standard_normal((3, 4)), _rows(rng, 3, 4), "mean"),
        ),
        Case(
            "label smoothing 0.1, 5 samples, 10 classes, 'mean'",
            (2 * rng.standard_normal((5, 10)), _smoothed(rng.integers(0, 10, 5), 10, 0.1), "mean"),
        ),
        Case(
            "z = [[0, 200]], label 0: a confident mistake, gradient [-1, 1]",
            (np.array([[0.0, 200.0]]), np.array([0]), "sum"),
            labels,
        ),
        Case(
            "extreme logits: [1000, 0, -1000] and a row of -1000, labels, 'mean'",
            (
                np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]]),
                np.array([2, 0]),
                "mean",
            ),
            _tags("labels", "extreme"),
        ),
        Case(
            "float32 labels, 'mean'",
            (rng.standard_normal((4, 3)).astype(F32), y4, "mean"),
            _tags("labels", "float32"),
        ),
        Case(
            "float32 logits ±100 with soft targets, 'mean'",
            (
                np.array([[100.0, 0.0, -100.0]], dtype=F32),
                np.array([[0.2, 0.3, 0.5]], dtype=F32),
                "mean",
            ),
            _tags("float32", "extreme"),
        ),
        Case(
            "a batch of one sample, 'mean'",
            (rng.standard_normal((1, 5)), np.array([4]), "mean"),
            labels,
        ),
        Case(
            "many: 64 samples, 10 classes, labels, 'mean'",
            (3 * rng.standard_normal((64, 10)), rng.integers(0, 10, 64), "mean"),
            labels,
        ),
    ]


def _labels_hint(y: np.ndarray, z: np.ndarray) -> str:
    return (
        f"y holds integer class labels of shape {y.shape} here, not rows of shape {z.shape}: "
        "turn them into one-hot rows first (`np.eye(K, dtype=z.dtype)[y]`), or subtract 1 at "
        "each row's label."
    )


def _softmax_cross_entropy_grad_diagnose(case: Case, m: Mismatch) -> str | None:
    z, y = case.args[0], case.args[1]
    if "labels" in case.tags and m.kind in ("exception", "wrong shape"):
        return _labels_hint(y, z)
    if m.kind == "not finite" and "extreme" in case.tags:
        return OVERFLOW + " Compute p with that stable softmax."
    return None


def _softmax_cross_entropy_grad_wrong(case: Case):
    z, y, reduction = case.args
    n, k = z.shape[0], z.shape[-1]
    s = n if reduction == "mean" else 1
    p = nnmath.softmax(z)
    rows = _target_rows(y, z)
    diagonal = (
        "This is -y(1 - p), the diagonal-only shortcut: it chains dL/dp = -y/p through only the "
        "diagonal p_i(1 - p_i) of the softmax Jacobian. The off-diagonal terms `-p_i p_j` are "
        "missing, and without them every wrong class gets a gradient of 0 and its logit is "
        "never pushed down. With the full Jacobian the chain gives p - y."
    )
    out = []
    if y.shape != z.shape:  # labels used as if they were rows: p - y broadcasts
        try:
            broadcast = (p - y) / s
        except ValueError:
            broadcast = None
        if broadcast is not None and broadcast.shape == z.shape:
            out.append((_labels_hint(y, z), broadcast))
    out.append((diagonal, -rows * (1 - p) / s))
    if s != 1:
        out.append((diagonal + " (The 1/N of the mean is missing too.)", -rows * (1 - p)))
    out += _reduction_candidates(case, nnmath.softmax_cross_entropy_grad, n, rows=n * k)
    out += [
        ("The sign is flipped: the gradient is p - y, not y - p.", (rows - p) / s),
        ("This is p alone: subtract the target rows y (one-hot for labels).", p / s),
        (
            "This is dL/dp = -y/p, the gradient with respect to the probabilities; the "
            "exercise asks for the gradient with respect to the logits z, which chains it "
            "through the softmax Jacobian.",
            -rows / p / s,
        ),
    ]
    return out


# --------------------------------------------------------------------------
# Chapter 5: the capstone's backward pass
# --------------------------------------------------------------------------


def _network_gradients(X, y, W1, b1, W2, b2, reg):
    """nnmath's gradients of the capstone's two-layer network, as (dW1, db1, dW2, db2).

    The only place the exercises call :mod:`nnmath.network`.
    """
    from nnmath import network

    net = network.TwoLayerNet(W1, b1, W2, b2)
    _, grads = net.loss_and_grads(X, y, reg=reg)
    return grads.W1, grads.b1, grads.W2, grads.b2


def _network_case(
    label: str,
    seed: int,
    n: int,
    d: int,
    h: int,
    k: int,
    reg: float,
    tags: frozenset[str] = frozenset(),
    dtype=np.float64,
    edit=None,
) -> Case:
    rng = _rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.integers(0, k, n)
    W1 = rng.standard_normal((d, h)) * np.sqrt(2.0 / d)
    b1 = 0.1 * rng.standard_normal(h)
    W2 = rng.standard_normal((h, k)) * np.sqrt(2.0 / h)
    b2 = 0.1 * rng.standard_normal(k)
    if edit is not None:
        X, b1 = edit(X, b1)
    X, W1, b1, W2, b2 = (a.astype(dtype) for a in (X, W1, b1, W2, b2))
    return Case(label, (X, y, W1, b1, W2, b2, reg), tags)


def _at_the_kink(X, b1):
    X = X.copy()
    X[1] = 0.0
    return X, np.zeros_like(b1)


def _two_dead_units(X, b1):
    b1 = b1.copy()
    b1[:2] = -100.0
    return X, b1


def _backward_cases() -> list[Case]:
    return [
        _network_case(
            "5 samples, 2 features, 4 hidden units, 3 classes, reg = 0", 10, 5, 2, 4, 3, 0.0
        ),
        _network_case("the same sizes with reg = 0.1", 10, 5, 2, 4, 3, 0.1),
        _network_case("30 samples, 16 hidden units, reg = 0.001", 11, 30, 2, 16, 3, 0.001),
        _network_case("a single sample (N = 1), reg = 0.05", 12, 1, 2, 4, 3, 0.05),
        _network_case(
            "pre-activations at the kink: a row of X is 0 and b1 = 0, so Z1 = 0 there",
            13,
            6,
            2,
            5,
            3,
            0.0,
            _tags("kink"),
            edit=_at_the_kink,
        ),
        _network_case(
            "two dead units: a bias of -100 keeps them off for every sample",
            14,
            8,
            2,
            6,
            3,
            0.01,
            edit=_two_dead_units,
        ),
        _network_case(
            "float32 throughout, reg = 0.01", 15, 6, 2, 5, 3, 0.01, _tags("float32"), F32
        ),
        _network_case(
            "40 samples, 3 features, 10 hidden units, 4 classes, reg = 0.05", 16, 40, 3, 10, 4, 0.05
        ),
    ]


def _backward_diagnose(case: Case, m: Mismatch) -> str | None:
    if m.kind == "wrong shape" and isinstance(m.full_received, (tuple, list)):
        try:
            got = sorted(np.shape(r) for r in m.full_received)
        except Exception:
            got = None
        if got == sorted(np.shape(e) for e in m.full_expected):
            return "The shapes are all there but out of order: return (dW1, db1, dW2, db2)."
    if "kink" in case.tags and m.kind == "wrong value" and m.component in ("dW1", "db1"):
        return (
            "In this check some pre-activations Z1 = X W1 + b1 are exactly 0 (a row of X is 0 "
            "and b1 = 0). The ReLU gate there is relu'(0) = 0: use `Z1 > 0`, not `Z1 >= 0`."
        )
    return None


def _backward_wrong(case: Case):
    X, y, W1, b1, W2, b2, reg = case.args
    n = X.shape[0]
    full = _network_gradients(*case.args)
    data = _network_gradients(X, y, W1, b1, W2, b2, 0.0)
    out = []
    if reg:
        out.append(
            (
                "{name} lacks the penalty's gradient: the loss adds (reg/2)(|W1|^2 + |W2|^2), "
                "so reg * W1 joins dW1 and reg * W2 joins dW2.",
                data,
            )
        )
        out.append(
            (
                "{name} holds 2 reg W: the penalty is (reg/2)|W|^2, whose gradient is reg W "
                "(the 1/2 cancels the 2).",
                _network_gradients(X, y, W1, b1, W2, b2, 2 * reg),
            )
        )
    if n > 1:
        out.append(
            (
                f"{{name}} is N = {n} times too large on this test's {n} samples: the loss is "
                "the mean over the N samples, "
                "so the backward pass starts from dZ2 = (P - Y)/N.",
                tuple(n * a + (b - a) for a, b in zip(data, full, strict=True)),
            )
        )
    out.append(("The sign of {name} is flipped.", tuple(-a for a in full)))
    return out


# --------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------

_EXERCISE_LIST = [
    Exercise(
        name="relu_grad",
        chapter=1,
        summary="the derivative of ReLU, elementwise.",
        signature="relu_grad(x)",
        params=("x",),
        description="""
            x is a NumPy array of any shape (0-d included), float64 or float32. Return an
            array of the same shape and dtype holding relu'(x): 1.0 where x > 0, 0.0 elsewhere.
            At the kink the convention is relu'(0) = 0 (PyTorch, TensorFlow, JAX, nnmath).
            Compared with nnmath.relu_grad: at x = 0 and -0.0, at ±inf and ±1e308, at the
            smallest subnormals, float32 in and out, and the input must stay unchanged.
        """,
        reference=nnmath.relu_grad,
        make_cases=_relu_grad_cases,
        wrong_answers=_relu_grad_wrong,
        diagnose=_relu_grad_diagnose,
    ),
    Exercise(
        name="leaky_relu_grad",
        chapter=1,
        summary="the derivative of leaky ReLU, elementwise.",
        signature="leaky_relu_grad(x, alpha)",
        params=("x", "alpha"),
        description="""
            x is a NumPy array of any shape, float64 or float32; alpha a Python float >= 0.
            Return an array of the shape and dtype of x: 1.0 where x > 0, alpha elsewhere.
            At the kink the convention is the left slope, leaky_relu_grad(0) = alpha, so
            alpha = 0 gives relu_grad. Compared with nnmath.leaky_relu_grad, including
            alpha = 0, the kink, ±inf and float32 (alpha in the input's dtype).
        """,
        reference=nnmath.leaky_relu_grad,
        make_cases=_leaky_relu_grad_cases,
        wrong_answers=_leaky_relu_grad_wrong,
        diagnose=_leaky_relu_grad_diagnose,
    ),
    Exercise(
        name="softmax",
        chapter=2,
        summary="a numerically stable softmax along the last axis.",
        signature="softmax(z)",
        params=("z",),
        description="""
            z is one sample of logits, shape (K,), or a batch, shape (N, K), float64 or
            float32; -inf marks a masked class. Return the probabilities, same shape and
            dtype, each row summing to 1. Compared with nnmath.softmax on ordinary logits
            and on extreme ones (±1000, rows 2000 apart, ±100 in float32), where a naive
            exp(z) / sum(exp(z)) overflows and returns NaN.
        """,
        reference=nnmath.softmax,
        make_cases=_softmax_cases,
        wrong_answers=_softmax_wrong,
        diagnose=_softmax_diagnose,
    ),
    Exercise(
        name="log_softmax",
        chapter=2,
        summary="log-softmax through log-sum-exp, along the last axis.",
        signature="log_softmax(z)",
        params=("z",),
        description="""
            z is one sample, shape (K,), or a batch, shape (N, K), float64 or float32.
            Return log(softmax(z)), same shape and dtype, computed so that it stays finite
            where the probability underflows: [1000, 1] gives [0, -999], not [0, -inf].
            A masked logit of -inf gives -inf. Compared with nnmath.log_softmax.
        """,
        reference=nnmath.log_softmax,
        make_cases=_log_softmax_cases,
        diagnose=_log_softmax_diagnose,
    ),
    Exercise(
        name="softmax_vjp",
        chapter=2,
        summary="the vector-Jacobian product J^T v of softmax, without building J.",
        signature="softmax_vjp(z, v)",
        params=("z", "v"),
        description="""
            z (logits) and v (an upstream gradient dL/dp) have the same shape, (K,) or
            (N, K), float64 or float32. Return J^T v for each row, where J = diag(p) - p p^T
            is the softmax Jacobian at z: the gradient dL/dz. Compared with
            nnmath.softmax_jacobian(z) multiplied by v, on extreme logits and float32; with
            K = 1024 the function may allocate at most 64 times the input's size, so the
            K x K matrix must not be built.
        """,
        reference=_softmax_vjp_reference,
        make_cases=_softmax_vjp_cases,
        wrong_answers=_softmax_vjp_wrong,
        diagnose=_softmax_vjp_diagnose,
    ),
    Exercise(
        name="cross_entropy_grad",
        chapter=3,
        summary="the gradient of cross-entropy with respect to the probabilities.",
        signature="cross_entropy_grad(p, y, reduction)",
        params=("p", "y", "reduction"),
        description="""
            p holds probability rows, shape (N, K); y target rows of the same shape (one-hot
            or soft); reduction is 'mean' (average over the N rows) or 'sum'. Return
            dL/dp = -y/p, divided by N for 'mean', with the shape and dtype of p. Where
            y_k = 0 the entry is exactly 0, also when p_k = 0; where p_k = 0 but y_k > 0 it
            is -inf. Compared with nnmath.cross_entropy_grad.
        """,
        reference=nnmath.cross_entropy_grad,
        make_cases=_cross_entropy_grad_cases,
        wrong_answers=_cross_entropy_grad_wrong,
        diagnose=_cross_entropy_grad_diagnose,
    ),
    Exercise(
        name="binary_cross_entropy_grad",
        chapter=3,
        summary="the gradient of binary cross-entropy with respect to the probabilities.",
        signature="binary_cross_entropy_grad(p, y, reduction)",
        params=("p", "y", "reduction"),
        description="""
            p holds probabilities of the positive class and y targets in [0, 1], same
            shape (any); reduction is 'mean' (average over every entry, p.size) or 'sum'.
            Return dL/dp = -y/p + (1 - y)/(1 - p), divided by p.size for 'mean'. A term with
            weight 0 contributes exactly 0, so p = y = 0 gives 1 and p = y = 1 gives -1; a
            confident mistake gives ±inf. Compared with nnmath.binary_cross_entropy_grad.
        """,
        reference=nnmath.binary_cross_entropy_grad,
        make_cases=_binary_cross_entropy_grad_cases,
        wrong_answers=_binary_cross_entropy_grad_wrong,
        diagnose=_binary_cross_entropy_grad_diagnose,
    ),
    Exercise(
        name="softmax_cross_entropy_grad",
        chapter=4,
        summary="the gradient of softmax + cross-entropy with respect to the logits: p - y.",
        signature="softmax_cross_entropy_grad(z, y, reduction)",
        params=("z", "y", "reduction"),
        description="""
            z holds logits, shape (N, K); y is either integer class labels, shape (N,), or
            target rows of shape (N, K) (one-hot, soft, label-smoothed); reduction is 'mean'
            or 'sum'. Return dL/dz = p - y with p = softmax(z), divided by N for 'mean',
            with the shape and dtype of z. Compared with nnmath.softmax_cross_entropy_grad,
            on logits of ±1000 and float32; the diagonal-only shortcut -y(1 - p) fails.
        """,
        reference=nnmath.softmax_cross_entropy_grad,
        make_cases=_softmax_cross_entropy_grad_cases,
        wrong_answers=_softmax_cross_entropy_grad_wrong,
        diagnose=_softmax_cross_entropy_grad_diagnose,
    ),
    Exercise(
        name="backward",
        chapter=5,
        summary="the backward pass of the capstone's two-layer ReLU network.",
        signature="backward(X, y, W1, b1, W2, b2, reg)",
        params=("X", "y", "W1", "b1", "W2", "b2", "reg"),
        outputs=("dW1", "db1", "dW2", "db2"),
        description="""
            X has shape (N, D), y integer labels (N,), W1 (D, H), b1 (H,), W2 (H, K),
            b2 (K,); reg is a float >= 0. The network is Z1 = X W1 + b1, A = relu(Z1),
            Z2 = A W2 + b2, and the loss is the mean cross-entropy of softmax(Z2) plus
            (reg/2)(|W1|^2 + |W2|^2). Return the tuple (dW1, db1, dW2, db2), each with the
            shape and dtype of its parameter. Compared with nnmath's own backward pass, with
            and without reg, for one sample, at the kink Z1 = 0, with dead units and in
            float32.
        """,
        reference=_network_gradients,
        make_cases=_backward_cases,
        wrong_answers=_backward_wrong,
        diagnose=_backward_diagnose,
    ),
]

#: Every exercise by name, in the order of the chapters.
EXERCISES = {ex.name: ex for ex in _EXERCISE_LIST}
