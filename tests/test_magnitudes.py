"""Exact at every magnitude: log_softmax, softmax cross-entropy and p - y for logits up to
±1e300 in float64 and over the whole finite range of float32.

Two oracles. ``tests/exact.py`` computes each value from the float logits as exact
rationals with 60-digit exponentials and logarithms (``decimal``), rounded once; it
needs nothing installed. PyTorch, where it is installed (``pip install torch``; the
tests are skipped without it), is the framework whose ``log_softmax``,
``cross_entropy`` and autograd the book compares with.

What "exact" means here, in units in the last place (ulps) of the dtype at
``max(|exact|, 1)`` (``exact.ulps``):

* ``log_softmax`` and the loss are ``(z - m) - log s`` and ``(m - z_c) + log s``: two
  terms of one sign, each within an ulp or two of its own size, so the sum is within
  ``ULPS`` ulps of the exact value. Where the result is much smaller than 1 (the
  largest logit's ``-log s`` when the others are far below), the error is still a few
  ulps of 1: ``log s`` is a rounded sum of terms up to 1.
* ``p - y`` subtracts two numbers of size up to 1; where they nearly cancel (``p_c``
  close to 1 for the true class) only an absolute error of a few ulps of 1 is
  possible, which is what ``ulps`` measures there.

The form these tests guard against, ``z_c - (m + log s)``, is 1e-12 off at ``|z| = 1e4``
and 0.9 off at ``1e16`` in float64, and exactly 0 for a loss of ln 2 at ``1e8`` in
float32: from thousands of ulps to the whole value.
"""

from __future__ import annotations

import math
import warnings

import exact
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from large_logits import F32_MAX, row_of, rows, target_of, targets
from numpy.testing import assert_array_equal

import nnmath as nm

ULPS = exact.ULPS  # the tolerance of every comparison with the exact values (see above)


@pytest.fixture(autouse=True)
def _no_runtime_warnings():
    """Overflowing differences such as -3e38 - 3e38 must not make nnmath warn."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


# --------------------------------------------------------------------------
# Against exact arithmetic
# --------------------------------------------------------------------------


def _check_log_softmax(z):
    got = nm.log_softmax(z)
    want = [exact.log_softmax(row_of(z, i)) for i in range(len(z))]
    assert got.dtype == z.dtype
    far = exact.ulps(got, want, z.dtype)
    assert far.max() <= ULPS, f"{far.max():.3g} ulps from exact at {np.argmax(far)}: {got}"


def _check_loss_and_grad(z, y):
    loss = nm.softmax_cross_entropy(z, y, reduction="none")
    want = [exact.cross_entropy(row_of(z, i), target_of(y, i)) for i in range(len(z))]
    assert loss.dtype == z.dtype
    far = exact.ulps(loss, want, z.dtype)
    assert far.max() <= ULPS, f"loss {loss} is {far.max():.3g} ulps from exact {want}"
    grad = nm.softmax_cross_entropy_grad(z, y, reduction="sum")
    want = [exact.cross_entropy_grad(row_of(z, i), target_of(y, i)) for i in range(len(z))]
    far = exact.ulps(grad, want, z.dtype)
    assert far.max() <= ULPS, f"gradient {grad} is {far.max():.3g} ulps from exact {want}"


@given(rows(np.float64))
def test_log_softmax_is_exact_at_every_magnitude(z):
    _check_log_softmax(z)


@given(rows(np.float32))
def test_log_softmax_is_exact_over_the_float32_range(z):
    _check_log_softmax(z)


@given(st.data())
def test_loss_and_gradient_are_exact_at_every_magnitude(data):
    z = data.draw(rows(np.float64))
    _check_loss_and_grad(z, data.draw(targets(z)))


@given(st.data())
def test_loss_and_gradient_are_exact_over_the_float32_range(data):
    z = data.draw(rows(np.float32))
    _check_loss_and_grad(z, data.draw(targets(z)))


# The issue's examples, each thousands of ulps off in the form z - (m + log s).
@pytest.mark.parametrize(
    ("z", "dtype"),
    [
        ([1e16, 1e16, 1e16], np.float64),  # was -2 for each, not -ln 3
        ([1e4 + 0.5, 1e4, 1e4 - 2.0], np.float64),  # 1e-12 relative
        ([1e8, 1e8 + 1.0, 1e8 - 1.0], np.float64),  # 9e-9 relative
        ([1e300, 1e300, -1e300], np.float64),
        ([1e8, 1e8], np.float32),  # the loss of ln 2 was exactly 0
        ([1e4, 1e4 + 1.0, 1e4 - 1.0], np.float32),  # 6e-4 off
        ([F32_MAX, -F32_MAX, F32_MAX], np.float32),  # z - m overflows: -inf, exactly
    ],
    ids=["1e16x3", "1e4", "1e8", "1e300", "f32-1e8", "f32-1e4", "f32-max"],
)
def test_large_logits_of_the_issue(z, dtype):
    a = np.array([z], dtype=dtype)
    _check_log_softmax(a)
    for c in range(len(z)):
        _check_loss_and_grad(a, np.array([c]))
    _check_loss_and_grad(a, np.full_like(a, 1 / len(z)))


def test_ln_3_at_1e16():
    assert_array_equal(nm.log_softmax([1e16] * 3), [-math.log(3)] * 3)
    assert nm.softmax_cross_entropy([1e16] * 3, 1) == math.log(3)
    assert nm.softmax_cross_entropy(np.array([1e8, 1e8], dtype=np.float32), 0) == np.float32(
        math.log(2)
    )


@pytest.mark.parametrize("z", [[1e16] * 3, [1e300, 1e300, -1e300], [-1e300, -1e300 + 2e284]])
def test_logsumexp_is_the_max_plus_log_s_rounded_once(z):
    # logsumexp itself is m + log s: exact to an ulp of its own size at any magnitude.
    assert exact.ulps(nm.logsumexp(z), exact.logsumexp(z), np.float64) <= 1


# --------------------------------------------------------------------------
# Against PyTorch (optional)
# --------------------------------------------------------------------------


def _torch():
    return pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch)")


def _torch_reference(z, y):
    """PyTorch's log_softmax, cross-entropy (labels or probabilities) and autograd gradient."""
    torch = _torch()
    t = torch.tensor(z, requires_grad=True)
    target = torch.tensor(y) if y.ndim == 1 else torch.tensor(y, dtype=t.dtype)
    loss = torch.nn.functional.cross_entropy(t, target, reduction="none")
    loss.sum().backward()
    return (
        torch.log_softmax(t, dim=-1).detach().numpy(),
        loss.detach().numpy(),
        t.grad.numpy(),
    )


@given(st.data())
def test_agrees_with_pytorch_at_every_magnitude(data):
    _torch()
    dtype = data.draw(st.sampled_from([np.float64, np.float32]))
    z = data.draw(rows(dtype, min_k=2))
    z[np.isinf(z)] = 0.0  # PyTorch's soft-target loss is NaN at a masked logit (0 * -inf)
    y = data.draw(targets(z))
    log_p, loss, grad = _torch_reference(z, y)
    # Each side is within ULPS of the exact value (checked above for nnmath), so they are
    # within 2 * ULPS of each other; PyTorch's float32 loss is summed in float32 too.
    assert exact.ulps(nm.log_softmax(z), log_p, dtype).max() <= 2 * ULPS
    assert exact.ulps(nm.softmax_cross_entropy(z, y, reduction="none"), loss, dtype).max() <= (
        2 * ULPS
    )
    assert exact.ulps(nm.softmax_cross_entropy_grad(z, y, reduction="sum"), grad, dtype).max() <= (
        2 * ULPS
    )


def test_pytorch_is_exact_where_the_shortcut_is_not():
    # The oracle itself: PyTorch gives ln 3 at 1e16, as (z - m) - log s does.
    torch = _torch()
    t = torch.tensor([[1e16, 1e16, 1e16]], dtype=torch.float64)
    assert torch.log_softmax(t, dim=-1)[0, 0].item() == -math.log(3)
