"""nnmath.exercises.check: right answers pass, typical wrong answers fail with the right diagnosis.

The right answers are written here from the closed forms (and SciPy), not taken from
nnmath; the hand-written backward pass is itself checked against central differences.
The wrong answers are the mistakes learners make: each must fail, with the kind of
failure and the hint that names the mistake, and ``check`` must never raise for them.
"""

from __future__ import annotations

import re
import tracemalloc

import numpy as np
import pytest
import scipy.special as sps

import nnmath.exercises as exercises
from nnmath.exercises import EXERCISES, FAILURE_KINDS, NAMES, CheckResult, check, describe


def flat(text: str) -> str:
    """Whitespace collapsed, so that wrapped verdict lines compare as one sentence."""
    return " ".join(text.split())


def run(name, function) -> CheckResult:
    return check(name, function, quiet=True)


# --------------------------------------------------------------------------
# Right answers, written from the closed forms
# --------------------------------------------------------------------------


def relu_grad(x):
    return (x > 0).astype(x.dtype)


def relu_grad_heaviside(x):
    return np.heaviside(x, x.dtype.type(0))


def leaky_relu_grad(x, alpha):
    return np.where(x > 0, x.dtype.type(1), x.dtype.type(alpha))


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def log_softmax(z):
    m = np.max(z, axis=-1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def softmax_vjp(z, v):
    p = softmax(z)
    return p * (v - np.sum(p * v, axis=-1, keepdims=True))


def cross_entropy_grad(p, y, reduction):
    g = np.divide(-y, p, out=np.zeros_like(p), where=y != 0)
    return g / p.dtype.type(p.shape[0]) if reduction == "mean" else g


def binary_cross_entropy_grad(p, y, reduction):
    g = np.zeros_like(p)
    np.divide(-y, p, out=g, where=y != 0)
    rest = np.divide(1 - y, 1 - p, out=np.zeros_like(p), where=y != 1)
    g = g + rest
    return g / p.dtype.type(p.size) if reduction == "mean" else g


def _targets(z, y):
    if y.shape == z.shape:
        return y
    return np.eye(z.shape[-1], dtype=z.dtype)[y]


def softmax_cross_entropy_grad(z, y, reduction):
    g = softmax(z) - _targets(z, y)
    return g / z.dtype.type(z.shape[0]) if reduction == "mean" else g


def backward(X, y, W1, b1, W2, b2, reg):
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    Z2 = H @ W2 + b2
    dZ2 = (softmax(Z2) - _targets(Z2, y)) / Z2.dtype.type(n)
    dW2 = H.T @ dZ2 + W2.dtype.type(reg) * W2
    db2 = dZ2.sum(axis=0)
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    dW1 = X.T @ dZ1 + W1.dtype.type(reg) * W1
    db1 = dZ1.sum(axis=0)
    return dW1, db1, dW2, db2


RIGHT = {
    "relu_grad": relu_grad,
    "leaky_relu_grad": leaky_relu_grad,
    "softmax": softmax,
    "log_softmax": log_softmax,
    "softmax_vjp": softmax_vjp,
    "cross_entropy_grad": cross_entropy_grad,
    "binary_cross_entropy_grad": binary_cross_entropy_grad,
    "softmax_cross_entropy_grad": softmax_cross_entropy_grad,
    "backward": backward,
}


def test_the_required_exercises_exist_and_have_right_answers_here():
    required = {
        "relu_grad",
        "softmax",
        "softmax_vjp",
        "cross_entropy_grad",
        "softmax_cross_entropy_grad",
        "backward",
    }
    assert required <= set(NAMES)
    assert set(RIGHT) == set(NAMES)
    assert list(EXERCISES) == list(NAMES)
    chapters = [EXERCISES[n].chapter for n in NAMES]
    assert chapters == sorted(chapters) and set(chapters) == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("name", NAMES)
def test_a_right_answer_passes_every_check(name):
    result = run(name, RIGHT[name])
    assert result.failures == (), str(result)
    assert bool(result) is True
    assert result.n_checks == len(EXERCISES[name].cases()) >= 8
    assert str(result) == f"{name}: all {result.n_checks} checks pass."
    assert result.first_failure is None


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("relu_grad", relu_grad_heaviside),
        ("softmax", lambda z: sps.softmax(z, axis=-1)),
        ("log_softmax", lambda z: sps.log_softmax(z, axis=-1)),
    ],
    ids=["heaviside", "scipy-softmax", "scipy-log-softmax"],
)
def test_other_right_answers_pass(name, function):
    result = run(name, function)
    assert result, str(result)


def _loss(X, y, W1, b1, W2, b2, reg):
    """The capstone's loss, written from its definition with SciPy's log-softmax."""
    Z2 = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    data = -np.mean(sps.log_softmax(Z2, axis=1)[np.arange(len(y)), y])
    return data + 0.5 * reg * (np.sum(W1**2) + np.sum(W2**2))


def test_the_backward_written_here_matches_central_differences():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((7, 3)), rng.integers(0, 4, 7)
    params = [rng.standard_normal(s) for s in [(3, 5), (5,), (5, 4), (4,)]]
    reg, h = 0.07, 1e-6
    grads = backward(X, y, *params, reg)
    for which, (p, g) in enumerate(zip(params, grads, strict=True)):
        numeric = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = _loss(X, y, *params, reg)
            p[idx] = old - h
            down = _loss(X, y, *params, reg)
            p[idx] = old
            numeric[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-8, err_msg=f"parameter {which}")


# --------------------------------------------------------------------------
# Wrong answers: each fails, with the right kind of failure and the right hint
# --------------------------------------------------------------------------


def stub(*args):
    raise NotImplementedError("your code here")


def relu_grad_ge(x):
    return (x >= 0).astype(x.dtype)


def relu_grad_half(x):
    return np.heaviside(x, x.dtype.type(0.5))


def relu_grad_int(x):
    return (x > 0).astype(int)


def relu_grad_bool(x):
    return x > 0


def relu_grad_where_floats(x):
    return np.where(x > 0, 1.0, 0.0)


def relu_grad_is_relu(x):
    return np.maximum(x, 0)


def relu_grad_in_place(x):
    x[x <= 0] = 0
    x[x > 0] = 1
    return x


def relu_grad_no_return(x):
    (x > 0).astype(x.dtype)


def relu_grad_flat(x):
    return (x > 0).astype(x.dtype).ravel()


def relu_grad_nan(x):
    return np.full_like(x, np.nan)


def leaky_relu_grad_ge(x, alpha):
    return np.where(x >= 0, x.dtype.type(1), x.dtype.type(alpha))


def leaky_relu_grad_no_alpha(x, alpha):
    return (x > 0).astype(x.dtype)


def softmax_naive(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_global_max(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_float64(z):
    z = np.array(z, dtype=float)
    return softmax(z)


def softmax_whole_array(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def softmax_axis1(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_unnormalised(z):
    return np.exp(z - np.max(z, axis=-1, keepdims=True))


def log_softmax_naive(z):
    return np.log(softmax(z))


def softmax_vjp_diagonal(z, v):
    p = softmax(z)
    return p * (1 - p) * v


def softmax_vjp_full_jacobian(z, v):
    p = softmax(z)
    eye = np.eye(z.shape[-1], dtype=z.dtype)
    J = p[..., :, None] * (eye - p[..., None, :])
    return np.einsum("...ij,...i->...j", J, v)


def softmax_vjp_naive(z, v):
    p = softmax_naive(z)
    return p * (v - np.sum(p * v, axis=-1, keepdims=True))


def cross_entropy_grad_no_mean(p, y, reduction):
    return np.divide(-y, p, out=np.zeros_like(p), where=y != 0)


def cross_entropy_grad_naive(p, y, reduction):
    g = -y / p
    return g / len(p) if reduction == "mean" else g


def cross_entropy_grad_clipped(p, y, reduction):
    g = -y / np.clip(p, 1e-12, 1.0)
    return g / len(p) if reduction == "mean" else g


def cross_entropy_grad_every_entry(p, y, reduction):
    g = np.divide(-y, p, out=np.zeros_like(p), where=y != 0)
    return g / p.size if reduction == "mean" else g


def cross_entropy_grad_sign(p, y, reduction):
    return -cross_entropy_grad(p, y, reduction)


def binary_cross_entropy_grad_simplified(p, y, reduction):
    g = (p - y) / (p * (1 - p))
    return g / p.size if reduction == "mean" else g


def binary_cross_entropy_grad_rows(p, y, reduction):
    g = binary_cross_entropy_grad(p, y, "sum")
    return g / len(p) if reduction == "mean" else g


def sce_diagonal(z, y, reduction):
    p = softmax(z)
    g = -_targets(z, y) * (1 - p)
    return g / len(z) if reduction == "mean" else g


def sce_no_mean(z, y, reduction):
    return softmax(z) - _targets(z, y)


def sce_labels_as_rows(z, y, reduction):
    g = softmax(z) - y
    return g / len(z) if reduction == "mean" else g


def sce_naive_softmax(z, y, reduction):
    g = softmax_naive(z) - _targets(z, y)
    return g / len(z) if reduction == "mean" else g


def sce_sign(z, y, reduction):
    return -softmax_cross_entropy_grad(z, y, reduction)


def sce_float64_one_hot(z, y, reduction):
    rows = y if y.shape == z.shape else np.eye(z.shape[-1])[y]
    g = softmax(z) - rows
    return g / len(z) if reduction == "mean" else g


def backward_no_reg(X, y, W1, b1, W2, b2, reg):
    return backward(X, y, W1, b1, W2, b2, 0.0)


def backward_double_reg(X, y, W1, b1, W2, b2, reg):
    return backward(X, y, W1, b1, W2, b2, 2 * reg)


def backward_no_mean(X, y, W1, b1, W2, b2, reg):
    n = X.shape[0]
    dW1, db1, dW2, db2 = backward(X, y, W1, b1, W2, b2, 0.0)
    return n * dW1 + reg * W1, n * db1, n * dW2 + reg * W2, n * db2


def backward_gate_ge(X, y, W1, b1, W2, b2, reg):
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    dZ2 = (softmax(H @ W2 + b2) - _targets(H @ W2, y)) / n
    dZ1 = (dZ2 @ W2.T) * (Z1 >= 0)
    return X.T @ dZ1 + reg * W1, dZ1.sum(axis=0), H.T @ dZ2 + reg * W2, dZ2.sum(axis=0)


def backward_keepdims(X, y, W1, b1, W2, b2, reg):
    dW1, db1, dW2, db2 = backward(X, y, W1, b1, W2, b2, reg)
    return dW1, db1[None, :], dW2, db2[None, :]


def backward_dict(X, y, W1, b1, W2, b2, reg):
    dW1, db1, dW2, db2 = backward(X, y, W1, b1, W2, b2, reg)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def backward_order(X, y, W1, b1, W2, b2, reg):
    dW1, db1, dW2, db2 = backward(X, y, W1, b1, W2, b2, reg)
    return dW1, dW2, db1, db2


def backward_float64_one_hot(X, y, W1, b1, W2, b2, reg):
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    Y = np.zeros((n, W2.shape[1]))  # float64, whatever the inputs
    Y[np.arange(n), y] = 1
    dZ2 = (softmax(H @ W2 + b2) - Y) / n
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    return X.T @ dZ1 + reg * W1, dZ1.sum(axis=0), H.T @ dZ2 + reg * W2, dZ2.sum(axis=0)


# (exercise, function, kind of the first failure, words of its hint or message,
#  words of the first failing check's label)
WRONG = [
    ("relu_grad", stub, "not implemented", "Replace the `raise NotImplementedError` line", ""),
    (
        "relu_grad",
        relu_grad_ge,
        "wrong value",
        "relu'(0) = 0, so test `x > 0`, not `x >= 0`",
        "kink",
    ),
    ("relu_grad", relu_grad_half, "wrong value", "0.5 is what a central difference gives", "kink"),
    ("relu_grad", relu_grad_int, "wrong dtype", "An integer array cannot hold a gradient", ""),
    ("relu_grad", relu_grad_bool, "wrong dtype", "gives booleans", ""),
    ("relu_grad", relu_grad_where_floats, "wrong dtype", "float32 in, float32 out", "float32"),
    ("relu_grad", relu_grad_is_relu, "wrong value", "This is ReLU itself", ""),
    ("relu_grad", relu_grad_in_place, "changed input", "changed its argument x in place", ""),
    ("relu_grad", relu_grad_no_return, "no result", "is a `return` missing?", ""),
    (
        "relu_grad",
        relu_grad_flat,
        "wrong shape",
        "has shape (12,), but it must have shape (3, 4)",
        "",
    ),
    ("relu_grad", relu_grad_nan, "not finite", "the result is nan", ""),
    ("leaky_relu_grad", leaky_relu_grad_ge, "wrong value", "leaky_relu_grad(0) = alpha", "kink"),
    ("leaky_relu_grad", leaky_relu_grad_no_alpha, "wrong value", "This is relu_grad", ""),
    ("softmax", stub, "not implemented", "NotImplementedError: your code here", ""),
    ("softmax", softmax_naive, "not finite", "exp overflows", "large logits"),
    ("softmax", softmax_global_max, "not finite", "exp overflows", "a row of -1000"),
    ("softmax", softmax_float64, "wrong dtype", "float32 in, float32 out", "float32"),
    ("softmax", softmax_whole_array, "wrong value", "The whole array sums to 1", "batch"),
    ("softmax", softmax_axis1, "exception", "use `axis=-1`", "one sample"),
    ("softmax", softmax_unnormalised, "wrong value", "without the normalisation", ""),
    ("log_softmax", log_softmax_naive, "not finite", "`z - logsumexp(z)`", "SciPy's example"),
    ("softmax_vjp", softmax_vjp_diagonal, "wrong value", "The off-diagonal terms", ""),
    ("softmax_vjp", softmax_vjp_full_jacobian, "memory", "A K x K Jacobian for K = 1024", "1024"),
    ("softmax_vjp", softmax_vjp_naive, "not finite", "exp overflows", "extreme"),
    ("cross_entropy_grad", cross_entropy_grad_no_mean, "wrong value", "N = 4 times too large", ""),
    ("cross_entropy_grad", cross_entropy_grad_naive, "not finite", "-y/p is 0/0 = NaN", "p = 0"),
    ("cross_entropy_grad", cross_entropy_grad_clipped, "wrong value", "Clipping p", "-inf"),
    ("cross_entropy_grad", cross_entropy_grad_every_entry, "wrong value", "You divided by 12", ""),
    ("cross_entropy_grad", cross_entropy_grad_sign, "wrong value", "The sign is flipped", ""),
    (
        "binary_cross_entropy_grad",
        binary_cross_entropy_grad_simplified,
        "not finite",
        "The simplified form (p - y) / (p (1 - p)) is 0/0",
        "p = y = 0",
    ),
    (
        "binary_cross_entropy_grad",
        binary_cross_entropy_grad_rows,
        "wrong value",
        "You divided by 3",
        "(3, 2)",
    ),
    ("softmax_cross_entropy_grad", sce_diagonal, "wrong value", "the diagonal-only shortcut", ""),
    ("softmax_cross_entropy_grad", sce_no_mean, "wrong value", "N = 4 times too large", "'mean'"),
    (
        "softmax_cross_entropy_grad",
        sce_labels_as_rows,
        "wrong value",
        "y holds integer class labels",
        "label 1",
    ),
    ("softmax_cross_entropy_grad", sce_naive_softmax, "not finite", "exp overflows", "extreme"),
    ("softmax_cross_entropy_grad", sce_sign, "wrong value", "not y - p", ""),
    (
        "softmax_cross_entropy_grad",
        sce_float64_one_hot,
        "wrong dtype",
        "float32 in, float32 out",
        "float32",
    ),
    ("backward", stub, "not implemented", "NotImplementedError", ""),
    ("backward", backward_no_reg, "wrong value", "dW1 lacks the penalty's gradient", "reg = 0.1"),
    ("backward", backward_double_reg, "wrong value", "dW1 holds 2 reg W", "reg = 0.1"),
    ("backward", backward_no_mean, "wrong value", "dW1 is N = 5 times too large", ""),
    ("backward", backward_gate_ge, "wrong value", "use `Z1 > 0`, not `Z1 >= 0`", "kink"),
    (
        "backward",
        backward_keepdims,
        "wrong shape",
        "db1 has shape (1, 4), but it must have shape (4,)",
        "",
    ),
    ("backward", backward_dict, "wrong type", "return the tuple (dW1, db1, dW2, db2)", ""),
    ("backward", backward_order, "wrong shape", "out of order", ""),
    ("backward", backward_float64_one_hot, "wrong dtype", "float32 in, float32 out", "float32"),
]


@pytest.mark.parametrize(
    ("name", "function", "kind", "words", "label"),
    WRONG,
    ids=[f"{w[0]}-{w[1].__name__}" for w in WRONG],
)
def test_a_wrong_answer_fails_with_the_right_diagnosis(name, function, kind, words, label):
    result = run(name, function)  # must not raise
    assert not result
    assert bool(result) is False
    first = result.first_failure
    assert first is result.failures[0]
    assert first.kind == kind, str(result)
    assert first.kind in FAILURE_KINDS
    assert words in flat(f"{first.message} {first.hint}"), str(result)
    assert label in first.label
    assert result.n_failed + result.n_passed == result.n_checks
    # The verdict names the check, shows the input, the expected and the received, and the hint.
    text = flat(str(result))
    assert text.startswith(f"{name}: ")
    assert flat(f"Check {first.check} of {result.n_checks}: {first.label}") in text
    assert flat(first.message) in text
    if first.hint:
        assert flat(first.hint) in text
    for param in first.inputs:
        assert re.search(rf"\b{re.escape(param)}\s+=", str(result))
    assert "expected" in text and "received" in text


def test_the_kink_verdict_shows_input_expected_and_received():
    result = run("relu_grad", relu_grad_ge)
    text = str(result)
    assert result.first_failure.check == 4
    assert "x        = array([-1. , -0. ,  0. ,  0.5])" in text
    assert "expected = array([0., 0., 0., 1.])" in text
    assert "received = array([0., 1., 1., 1.])" in text
    flowing = " ".join(text.split())  # the verdict is wrapped to the page's width
    assert "at index (1,) is 1.0, expected 0.0 (2 of 4 entries differ)" in flowing
    # Only the checks with an exact 0 fail: 4, 5, 6 and 9 hold zeros, the others none.
    assert [f.check for f in result.failures] == [4, 5, 6, 9]


def test_the_diagonal_only_shortcut_on_the_worked_example():
    """z = [1, 2, 3], label 1: p - y = [0.090, -0.755, 0.665], the shortcut [0, -0.755, 0]."""
    result = run("softmax_cross_entropy_grad", sce_diagonal)
    first = result.first_failure
    assert first.check == 1
    p = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(first.expected, [p - [0, 1, 0]], rtol=1e-12)
    np.testing.assert_allclose(first.expected, [[0.090031, -0.755272, 0.665241]], atol=5e-7)
    np.testing.assert_allclose(first.received, [[0.0, -(1 - p[1]), 0.0]], rtol=1e-12)
    assert "expected  = array([[ 0.090031, -0.755272,  0.665241]])" in str(result)
    assert result.n_failed == result.n_checks  # every check has a wrong class with p > 0


def test_the_naive_softmax_fails_only_on_extreme_logits_and_says_overflow():
    result = run("softmax", softmax_naive)
    labels = [f.label for f in result.failures]
    assert all(
        "extreme" in EXERCISES["softmax"].cases()[f.check - 1].tags for f in result.failures
    ), labels
    assert len(labels) == 4
    first = result.first_failure
    assert "overflow encountered in exp" in first.warnings
    assert "NumPy warned: overflow encountered in exp" in flat(str(result))
    assert first.expected.tolist() == pytest.approx(
        (np.exp([-2.0, -1.0, 0.0]) / np.exp([-2.0, -1.0, 0.0]).sum()).tolist(), rel=1e-12
    )


def test_rows_far_apart_are_explained():
    result = run("softmax", softmax_global_max)
    rows_apart = [f for f in result.failures if "2000 apart" in f.label]
    assert rows_apart and "each row's own maximum" in flat(rows_apart[0].hint)


def test_a_forgotten_mean_in_the_backward_pass_is_n_times_too_large():
    result = run("backward", backward_no_mean)
    first = result.first_failure
    assert first.component == "dW1"
    n = first.inputs["X"].shape[0]
    X, y, W1, b1, W2, b2, reg = (first.inputs[k] for k in ("X", "y", "W1", "b1", "W2", "b2", "reg"))
    right = backward(X, y, W1, b1, W2, b2, reg)[0]
    np.testing.assert_allclose(first.expected, right, rtol=1e-10)
    np.testing.assert_allclose(first.received, n * (right - reg * W1) + reg * W1, rtol=1e-10)
    # A single sample (N = 1) cannot tell the mean from the sum: that check passes.
    one = [i for i, c in enumerate(EXERCISES["backward"].cases(), 1) if c.args[0].shape[0] == 1]
    assert one and all(f.check not in one for f in result.failures)


def test_only_the_kink_check_catches_a_gate_of_z1_ge_0():
    result = run("backward", backward_gate_ge)
    assert [f.label for f in result.failures] == [
        "pre-activations at the kink: a row of X is 0 and b1 = 0, so Z1 = 0 there"
    ]
    assert result.first_failure.component in ("dW1", "db1")


def test_building_the_jacobian_fails_only_the_memory_check():
    result = run("softmax_vjp", softmax_vjp_full_jacobian)
    assert [f.kind for f in result.failures] == ["memory"]
    assert "allocated" in result.first_failure.message


def test_the_stub_fails_every_check_the_same_way():
    for name in NAMES:
        result = run(name, stub)
        assert result.n_failed == result.n_checks
        assert {f.kind for f in result.failures} == {"not implemented"}
        assert f"The other {result.n_checks - 1} checks fail the same way." in str(result)
        assert str(result).startswith(f"{name}: all {result.n_checks} checks fail.")


# --------------------------------------------------------------------------
# check never raises for what the function does
# --------------------------------------------------------------------------


class Unconvertible:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no array here")


def returns(value):
    return lambda *args: value


def raises(exc):
    def function(*args):
        raise exc

    return function


def warns_and_returns_nan(*args):
    with np.errstate(all="warn"):
        return np.zeros(3) / np.zeros(3)


STRANGE = {
    "string": returns("0.5"),
    "complex": returns(np.ones(3, dtype=complex)),
    "object": returns(Unconvertible()),
    "ragged": returns([[1.0], [1.0, 2.0]]),
    "generator": returns(x for x in range(3)),
    "tuple-of-2": returns((np.zeros(2), np.zeros(2))),
    "scalar": returns(0.25),
    "ZeroDivisionError": raises(ZeroDivisionError("division by zero")),
    "KeyError": raises(KeyError("W1")),
    "ValueError": raises(ValueError("operands could not be broadcast")),
    "FloatingPointError": raises(FloatingPointError("overflow")),
    "warns": warns_and_returns_nan,
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("behaviour", list(STRANGE))
def test_check_never_raises_for_what_the_function_does(name, behaviour):
    result = run(name, STRANGE[behaviour])
    assert not result
    assert result.n_failed == result.n_checks
    assert all(f.kind in FAILURE_KINDS for f in result.failures)
    assert str(result) and repr(result) and result._repr_html_()


def test_an_exception_names_the_line_that_raised():
    def softmax_typo(z):
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
        return e / e.sums(axis=-1, keepdims=True)

    result = run("softmax", softmax_typo)
    first = result.first_failure
    assert first.kind == "exception"
    assert "AttributeError" in first.message
    assert "return e / e.sums(axis=-1, keepdims=True)" in first.message


def test_a_wrong_signature_gets_the_signature_in_the_hint():
    result = run("cross_entropy_grad", lambda p, y: -y / p)
    assert result.first_failure.kind == "exception"
    assert "`cross_entropy_grad(p, y, reduction)`" in result.first_failure.hint


def test_memory_tracing_is_left_as_it_was():
    assert not tracemalloc.is_tracing()
    run("softmax_vjp", softmax_vjp)
    assert not tracemalloc.is_tracing()
    tracemalloc.start()
    try:
        result = run("softmax_vjp", softmax_vjp_full_jacobian)
        assert tracemalloc.is_tracing()
        assert [f.kind for f in result.failures] == ["memory"]
    finally:
        tracemalloc.stop()


def test_verdicts_are_reproducible():
    assert str(run("backward", backward_no_reg)) == str(run("backward", backward_no_reg))


def test_check_prints_the_verdict_unless_quiet(capsys):
    result = check("relu_grad", relu_grad_ge)
    assert capsys.readouterr().out == str(result) + "\n"
    check("relu_grad", relu_grad_ge, quiet=True)
    assert capsys.readouterr().out == ""


# --------------------------------------------------------------------------
# Misuse raises, with a clear message
# --------------------------------------------------------------------------


def test_an_unknown_name_raises_and_lists_the_exercises():
    with pytest.raises(ValueError, match="name 'relu' is not an exercise") as info:
        check("relu", relu_grad)
    for name in NAMES:
        assert repr(name) in str(info.value)
    assert "Did you mean 'relu_grad'?" in str(info.value)
    with pytest.raises(ValueError, match="not an exercise"):
        describe("sofmax")


def test_a_name_that_is_not_a_string_raises_type_error():
    with pytest.raises(
        TypeError, match=r"name must be the name of an exercise.*check\(name, function\)"
    ):
        check(relu_grad, "relu_grad")
    with pytest.raises(TypeError, match="name must be"):
        describe(3)


def test_something_not_callable_raises_type_error():
    with pytest.raises(TypeError, match=r"function must be callable.*got ndarray"):
        check("relu_grad", relu_grad(np.array([1.0, -1.0])))
    with pytest.raises(TypeError, match="function must be callable"):
        check("softmax", None)


# --------------------------------------------------------------------------
# Descriptions, reprs and the notebook badge
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_describe_states_the_signature_and_every_check(name):
    ex = EXERCISES[name]
    text = describe(name)
    assert text.startswith(f"{ex.signature}  (chapter {ex.chapter})")
    assert text.split("(")[0] == name
    cases = ex.cases()
    assert f"The {len(cases)} checks:" in text
    for i, case in enumerate(cases, 1):
        assert f"{i:2d}. {case.label}" in text
    assert repr(text) == str(text)  # a notebook shows it as text, not as a quoted string
    assert ex.signature in exercises.__doc__
    assert all(len(line) <= 100 for line in text.splitlines()[1:])


def test_help_lists_every_exercise():
    doc = exercises.__doc__
    for name in NAMES:
        assert f"{EXERCISES[name].signature}  (chapter {EXERCISES[name].chapter})" in doc


def test_repr_is_one_line():
    right, wrong = run("relu_grad", relu_grad), run("relu_grad", relu_grad_ge)
    assert repr(right) == "<CheckResult relu_grad: all 11 checks pass.>"
    assert repr(wrong) == (
        "<CheckResult relu_grad: 4 of 11 checks fail; the first is check 4, wrong value.>"
    )


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_on_known_pairs():
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("function", [relu_grad, relu_grad_ge], ids=["pass", "fail"])
def test_the_badge_sets_its_own_colours_with_aaa_contrast(function):
    """Text and background are both set, so light and dark themes show the same 7:1 pair."""
    result = run("relu_grad", function)
    html = result._repr_html_()
    style = re.search(r'class="nnmath-check" style="([^"]*)"', html).group(1)
    fg = re.search(r"(?:^|;)\s*color:\s*(#[0-9a-f]{6})", style).group(1)
    bg = re.search(r"background:\s*(#[0-9a-f]{6})", style).group(1)
    assert _contrast(fg, bg) >= 7.0
    # The details text inherits the badge's colours instead of taking the theme's.
    if not result:
        assert '<pre style="color: inherit; background: transparent' in html
        assert "x &gt;= 0" in html and "x >= 0" not in html  # the verdict is escaped
        assert "<summary" in html and "4 of 11 checks fail" in html
    else:
        assert "all 11 checks pass" in html
