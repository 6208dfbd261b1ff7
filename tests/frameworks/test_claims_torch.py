"""What PyTorch returns in the cases the book describes.

Run with ``make frameworks`` after ``pip install torch==2.13.0`` (see README.md here).
The reference values are closed forms, or nnmath, never PyTorch itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from claims_support import require

import nnmath as nn

torch = require("torch")
F = torch.nn.functional

DTYPES = (torch.float64, torch.float32)
# A point on each side of the kink, and the kink: the derivative away from 0 must be
# ReLU's (0, then 1) for the value at 0 to mean anything.
AROUND_0 = [-1.5, 0.0, 2.0]


def grad_of(f: Callable, x0: list[float], dtype: torch.dtype) -> np.ndarray:
    """d sum(f(x)) / dx at x0, by PyTorch's autograd."""
    x = torch.tensor(x0, dtype=dtype, requires_grad=True)
    f(x).sum().backward()
    return x.grad.numpy().astype(np.float64)


def relu_gate_at_0(f: Callable, dtype: torch.dtype) -> float:
    """The value `f` uses for ReLU'(0), after checking f' is ReLU's on both sides."""
    g = grad_of(f, AROUND_0, dtype)
    np.testing.assert_array_equal(g[[0, 2]], nn.relu_grad(np.array([-1.5, 2.0])))
    return float(g[1])


def logits_and_labels(n: int = 6, k: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(scale=2.0, size=(n, k)), rng.integers(0, k, size=n)


def t(a: np.ndarray, dtype: torch.dtype = torch.float64, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a), dtype=dtype, requires_grad=grad)


# ----------------------------------------------------------------------------- ReLU at 0


def test_torch_relu_grad_at_0_is_0(measured) -> None:
    """torch.relu, F.relu and nn.ReLU use ReLU'(0) = 0, as nnmath.relu_grad does.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `relu`).
    """
    for dtype in DTYPES:
        for name, f in [
            ("torch.relu", torch.relu),
            ("F.relu", F.relu),
            ("nn.ReLU", torch.nn.ReLU()),
        ]:
            value = relu_gate_at_0(f, dtype)
            assert value == nn.relu_grad(np.array([0.0]))[0] == 0.0, name
        measured(value, torch, str(dtype).removeprefix("torch."))


def test_torch_maximum_splits_a_tie_in_half(measured) -> None:
    """torch.maximum(x, torch.zeros_like(x)) gives 0.5 at x = 0, in either argument order.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table,
    `torch.maximum(x, torch.zeros_like(x))`). The table writes the zero as a tensor because
    torch.maximum refuses a plain 0 (checked here too).
    """
    with pytest.raises(TypeError, match="must be Tensor"):
        torch.maximum(torch.zeros(()), 0)
    for dtype in DTYPES:
        zero = torch.zeros((), dtype=dtype)
        first = relu_gate_at_0(lambda x, zero=zero: torch.maximum(x, zero), dtype)
        second = relu_gate_at_0(lambda x, zero=zero: torch.maximum(zero, x), dtype)
        assert first == second == 0.5
        measured(first, torch, str(dtype).removeprefix("torch."))


def test_torch_clamp_and_clip_give_1_at_0(measured) -> None:
    """torch.clamp(x, min=0), x.clip(min=0) and x.clamp_min(0) give 1 at x = 0.

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `torch.clamp(x, min=0)`,
    `x.clip(min=0)` on a PyTorch tensor).
    """
    for dtype in DTYPES:
        values = {
            "clamp": relu_gate_at_0(lambda x: torch.clamp(x, min=0), dtype),
            "clip": relu_gate_at_0(lambda x: x.clip(min=0), dtype),
            "clamp_min": relu_gate_at_0(lambda x: x.clamp_min(0), dtype),
        }
        assert set(values.values()) == {1.0}, values
        measured(values["clamp"], torch, str(dtype).removeprefix("torch."))


def test_torch_where_gives_0_at_0(measured) -> None:
    """torch.where(x > 0, x, 0) and x * (x > 0) give 0 at x = 0 (the mask is false there).

    Claimed in: chapters/frameworks.ipynb (fw-relu-at-0: the table, `where(x > 0, x, 0)` or `x * (x
    > 0)`).
    """
    for dtype in DTYPES:
        where = relu_gate_at_0(lambda x: torch.where(x > 0, x, 0.0), dtype)
        mask = relu_gate_at_0(lambda x: x * (x > 0), dtype)
        assert where == mask == 0.0
        measured(where, torch, str(dtype).removeprefix("torch."))


def test_torch_leaky_relu_grad_at_0_is_alpha(measured) -> None:
    """F.leaky_relu's gradient at 0 is the leak α, the convention of nnmath.leaky_relu_grad.

    Claimed in: chapters/frameworks.ipynb (fw-leaky-relu: the table, `F.leaky_relu`).
    """
    alpha = 0.1
    for dtype in DTYPES:
        g = grad_of(lambda x: F.leaky_relu(x, alpha), AROUND_0, dtype)
        expected = nn.leaky_relu_grad(np.array(AROUND_0), alpha=alpha)
        np.testing.assert_allclose(g, expected, rtol=1e-7)  # float32 holds 0.1 to 1.5e-9
        measured(g[1], torch, str(dtype).removeprefix("torch."))


def test_torch_gelu_is_exact_by_default(measured) -> None:
    """F.gelu is x·Φ(x) by default (nnmath.gelu), the tanh form with approximate="tanh".

    Claimed in: chapters/frameworks.ipynb (fw-gelu: "PyTorch's `F.gelu` ... compute[s] the exact
    form"; also nnmath/activations.py, gelu).
    """
    x = np.linspace(-4.0, 4.0, 81)
    exact = F.gelu(t(x)).numpy()
    tanh = F.gelu(t(x), approximate="tanh").numpy()
    np.testing.assert_allclose(exact, nn.gelu(x), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(tanh, nn.gelu(x, approximate="tanh"), rtol=1e-14, atol=1e-15)
    gap = float(np.max(np.abs(tanh - exact)))
    assert gap > 1e-4  # the two forms differ: the default is not the tanh form
    slope = grad_of(F.gelu, [0.0], torch.float64)[0]
    assert slope == 0.5  # GELU'(0) = Φ(0)
    measured(gap, torch, "max |tanh − exact|")


# ------------------------------------------------------------------ binary cross-entropy


def test_torch_bceloss_clamps_each_log_at_minus_100(measured) -> None:
    """BCELoss(p = 0, y = 1) is 100, not inf: each log is clamped at −100.

    Claimed in: chapters/frameworks.ipynb (fw-log0: the table, PyTorch `BCELoss`, 100).
    """
    for dtype in DTYPES:
        edge = F.binary_cross_entropy(t([0.0, 1.0], dtype), t([1.0, 0.0], dtype), reduction="none")
        assert edge.tolist() == [100.0, 100.0]
        # Below e^-100 ≈ 3.7e-44 the loss stays at 100 (the true value is −log p) ...
        tiny = F.binary_cross_entropy(t([1e-44], dtype), t([1.0], dtype)).item()
        assert tiny == 100.0 and -math.log(1e-44) > 101
        # ... and above it the loss is the true one.
        p = t([math.exp(-99.0)], dtype)  # float32 holds it as a subnormal: about 99.002
        true = -math.log(p.item())
        assert F.binary_cross_entropy(p, t([1.0], dtype)).item() == pytest.approx(true, rel=1e-6)
        measured(edge[0].item(), torch, str(dtype).removeprefix("torch."))


def test_torch_bceloss_gradient_at_p_0_is_minus_1e12_not_0(measured) -> None:
    """BCELoss's backward at p = 0, y = 1 is −1/1e-12: (p − y)/max(p(1 − p), 1e-12).

    It differentiates the formula, not the clamped loss, so where the loss has gone flat
    at 100 its gradient is −1e12, neither 0 nor the true −1/p. The 1e-12 is a float
    constant in the C++ source, so in float64 the result is −1/float32(1e-12).

    Claimed in: chapters/frameworks.ipynb (fw-log0-gradient: "its backward pass computes (p −
    y)/max(p(1 − p), 10⁻¹²) ... −10¹²").
    """
    epsilon = float(np.float32(1e-12))
    for dtype in DTYPES:
        for p0 in (0.0, 1e-30):
            p = t([p0], dtype, grad=True)
            F.binary_cross_entropy(p, t([1.0], dtype)).backward()
            expected = (p0 - 1.0) / max(p0 * (1 - p0), epsilon)
            assert p.grad.item() == pytest.approx(expected, rel=1e-6)
            assert p.grad.item() != 0.0
        measured(p.grad.item(), torch, str(dtype).removeprefix("torch."))


def test_torch_sigmoid_then_bceloss_loses_the_gradient_at_minus_50(measured) -> None:
    """sigmoid then BCELoss at z = −50, y = 1 gives dL/dz ≈ −1.93e-10 (float32 and float64).

    Closed form: σ'(−50)·(σ(−50) − 1)/1e-12, with σ'(−50) = σ(−50)(1 − σ(−50)); the true
    gradient is σ(−50) − 1 = −1, about 5.2e9 times larger.

    Claimed in: chapters/frameworks.ipynb (fw-log0-gradient: "Behind a sigmoid that guard loses the
    gradient", "five billion").
    """
    s = 1.0 / (1.0 + math.exp(50.0))
    expected = s * (1 - s) * (s - 1) / float(np.float32(1e-12))
    for dtype in DTYPES:
        z = t([-50.0], dtype, grad=True)
        loss = F.binary_cross_entropy(torch.sigmoid(z), t([1.0], dtype))
        loss.backward()
        assert loss.item() == pytest.approx(50.0, rel=1e-6)  # the loss itself is right
        assert z.grad.item() == pytest.approx(expected, rel=1e-6)
        assert f"{z.grad.item():.1e}" == "-1.9e-10"
        measured(z.grad.item(), torch, str(dtype).removeprefix("torch."))
    ratio = -1.0 / z.grad.item()
    assert 5.0e9 < ratio < 5.3e9
    measured(ratio, torch, "true / measured")


def test_torch_bcewithlogitsloss_keeps_the_gradient_at_minus_50(measured) -> None:
    """BCEWithLogitsLoss at z = −50, y = 1: loss 50, gradient −1, as nnmath's logits form.

    Claimed in: chapters/frameworks.ipynb (fw-log0-gradient: "`BCEWithLogitsLoss` ... the loss 50
    and the gradient −1").
    """
    for dtype in DTYPES:
        z = t([-50.0], dtype, grad=True)
        loss = F.binary_cross_entropy_with_logits(z, t([1.0], dtype))
        loss.backward()
        zn, yn = np.array([-50.0]), np.array([1.0])
        assert loss.item() == pytest.approx(nn.binary_cross_entropy_with_logits(zn, yn), rel=1e-7)
        assert z.grad.item() == nn.binary_cross_entropy_with_logits_grad(zn, yn)[0] == -1.0
        measured(z.grad.item(), torch, str(dtype).removeprefix("torch."))


def test_torch_bcewithlogitsloss_takes_logits(measured) -> None:
    """BCEWithLogitsLoss takes logits: it equals nnmath.binary_cross_entropy_with_logits.

    Given a probability instead it raises nothing: p = 1 with y = 1 costs log(1 + 1/e) ≈ 0.313,
    the loss of the logit 1, instead of 0.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, `nn.BCEWithLogitsLoss`;
    fw-double-softmax: the binary floor, 0.313).
    """
    rng = np.random.default_rng(1)
    z, y = rng.normal(scale=5.0, size=12), rng.integers(0, 2, size=12).astype(float)
    ours = F.binary_cross_entropy_with_logits(t(z), t(y)).item()
    assert ours == pytest.approx(nn.binary_cross_entropy_with_logits(z, y), rel=1e-13)
    perfect = F.binary_cross_entropy_with_logits(t([1.0]), t([1.0])).item()
    assert perfect == pytest.approx(math.log(1 + math.exp(-1)), rel=1e-13)
    measured(ours, torch, "float64, 12 logits")
    measured(perfect, torch, "given p = 1, y = 1")


def test_torch_bceloss_takes_probabilities_and_rejects_anything_else(measured) -> None:
    """BCELoss takes probabilities: values outside [0, 1] (logits) raise a RuntimeError.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, `nn.BCELoss`, "an error
    outside [0, 1]").
    """
    p, y = np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0])
    assert F.binary_cross_entropy(t(p), t(y)).item() == pytest.approx(
        nn.binary_cross_entropy(p, y), rel=1e-13
    )
    for bad in (1.5, -0.1, float("nan")):
        with pytest.raises(RuntimeError, match="between 0 and 1"):
            F.binary_cross_entropy(t([bad]), t([1.0]))
    measured("RuntimeError for 1.5, −0.1, nan", torch)


# --------------------------------------------------------------- categorical cross-entropy


def test_torch_crossentropyloss_takes_logits(measured) -> None:
    """CrossEntropyLoss takes logits: it is nnmath.softmax_cross_entropy, its gradient (P − Y)/N.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, `nn.CrossEntropyLoss`,
    logits).
    """
    z, labels = logits_and_labels()
    zt = t(z, grad=True)
    loss = F.cross_entropy(zt, torch.tensor(labels))
    loss.backward()
    assert loss.item() == pytest.approx(nn.softmax_cross_entropy(z, labels), rel=1e-13)
    np.testing.assert_allclose(
        zt.grad.numpy(), nn.softmax_cross_entropy_grad(z, labels), atol=1e-15
    )
    # A loss of logits ignores a constant added to a row; one of probabilities would not.
    shifted = F.cross_entropy(t(z + 7.0), torch.tensor(labels)).item()
    assert shifted == pytest.approx(loss.item(), rel=1e-12)
    measured(loss.item(), torch, "float64, 6 x 4")


def test_torch_crossentropyloss_takes_soft_targets_and_label_smoothing(measured) -> None:
    """CrossEntropyLoss takes probability targets and label_smoothing; its gradient stays P − Y.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, `nn.CrossEntropyLoss`, "class
    labels or probabilities", `label_smoothing`).
    """
    z, labels = logits_and_labels()
    k, eps = z.shape[1], 0.1
    soft = np.random.default_rng(2).dirichlet(np.ones(k), size=len(z))
    smoothed = (1 - eps) * np.eye(k)[labels] + eps / k
    for targets, kwargs in [(t(soft), {}), (torch.tensor(labels), {"label_smoothing": eps})]:
        zt = t(z, grad=True)
        loss = F.cross_entropy(zt, targets, **kwargs)
        loss.backward()
        y = soft if not kwargs else smoothed
        assert loss.item() == pytest.approx(nn.softmax_cross_entropy(z, y), rel=1e-13)
        np.testing.assert_allclose(zt.grad.numpy(), nn.softmax_cross_entropy_grad(z, y), atol=1e-15)
    measured(loss.item(), torch, "label_smoothing=0.1")


def test_torch_nllloss_takes_log_probabilities(measured) -> None:
    """NLLLoss takes log-probabilities; given probabilities or logits it returns −mean of the entry.

    It takes the true class's entry of each row, flips its sign and averages: −mean(p_y)
    for probabilities, −mean(z_y) for logits (a "loss" that falls below 0 without end).
    CrossEntropyLoss is log-softmax followed by NLLLoss.

    Claimed in: chapters/frameworks.ipynb (fw-loss-inputs: the lists, `nn.NLLLoss` and
    "`CrossEntropyLoss` is `log_softmax` followed by it"; the cell's "NLLLoss given logits").
    """
    z, labels = logits_and_labels()
    rows = np.arange(len(z))
    right = F.nll_loss(torch.log_softmax(t(z), dim=1), torch.tensor(labels)).item()
    assert right == pytest.approx(nn.softmax_cross_entropy(z, labels), rel=1e-13)
    wrong = F.nll_loss(torch.softmax(t(z), dim=1), torch.tensor(labels)).item()
    assert wrong == pytest.approx(-np.mean(nn.softmax(z)[rows, labels]), rel=1e-13)
    assert wrong < 0  # a "loss" below 0: probabilities went where logs belong
    of_logits = F.nll_loss(t(z), torch.tensor(labels)).item()
    assert of_logits == pytest.approx(-np.mean(z[rows, labels]), rel=1e-13)
    doubled = F.nll_loss(t(2 * z), torch.tensor(labels)).item()
    assert doubled == pytest.approx(2 * of_logits, rel=1e-13)  # scale the logits, scale the "loss"
    ce = F.cross_entropy(t(z), torch.tensor(labels)).item()
    assert ce == right
    measured(wrong, torch, "NLLLoss(softmax(z))")
    measured(of_logits, torch, "NLLLoss(z)")


def test_torch_log_softmax_before_crossentropyloss_changes_nothing(measured) -> None:
    """log_softmax before CrossEntropyLoss is harmless: log-softmax is idempotent.

    Claimed in: chapters/frameworks.ipynb (fw-double-softmax: the table, `CrossEntropyLoss` given
    `torch.log_softmax`).
    """
    z, labels = logits_and_labels()
    once = F.cross_entropy(t(z), torch.tensor(labels)).item()
    twice = F.cross_entropy(torch.log_softmax(t(z), dim=1), torch.tensor(labels)).item()
    assert twice == pytest.approx(once, rel=1e-13)
    np.testing.assert_allclose(nn.log_softmax(nn.log_softmax(z)), nn.log_softmax(z), atol=1e-14)
    measured(twice - once, torch, "difference")


def test_torch_softmax_before_crossentropyloss_floors_at_log_e_plus_k_minus_1_minus_1(
    measured,
) -> None:
    """softmax before CrossEntropyLoss cannot go below log(e + K − 1) − 1 (0.551 for K = 3).

    Claimed in: chapters/frameworks.ipynb (fw-double-softmax: the table, 0.551 and 1.461).
    """
    for k in (3, 10):
        z = np.zeros((1, k))
        z[0, 0] = 50.0  # a near-perfect prediction of class 0
        loss = F.cross_entropy(torch.softmax(t(z), dim=1), torch.tensor([0])).item()
        floor = math.log(math.e + k - 1) - 1
        assert loss == pytest.approx(floor, abs=1e-12)
        assert loss == pytest.approx(nn.softmax_cross_entropy(nn.softmax(z), [0]), abs=1e-12)
        measured(loss, torch, f"K = {k}")


def test_torch_losses_default_to_the_mean(measured) -> None:
    """CrossEntropyLoss, NLLLoss, BCELoss and BCEWithLogitsLoss default to the mean.

    BCELoss averages over every element of p, as nnmath's binary losses do.

    Claimed in: chapters/frameworks.ipynb (fw-reduction: the list, PyTorch, and the (N, M) binary
    case).
    """
    for cls in (
        torch.nn.CrossEntropyLoss,
        torch.nn.NLLLoss,
        torch.nn.BCELoss,
        torch.nn.BCEWithLogitsLoss,
    ):
        assert cls().reduction == "mean", cls.__name__
    z, labels = logits_and_labels()
    per_sample = nn.softmax_cross_entropy(z, labels, reduction="none")
    ce = torch.nn.CrossEntropyLoss()(t(z), torch.tensor(labels)).item()
    assert ce == pytest.approx(per_sample.mean(), rel=1e-13)
    assert ce != pytest.approx(per_sample.sum(), rel=1e-3)
    p = nn.sigmoid(z)  # a (6, 4) batch of probabilities
    y = (z > 0).astype(float)
    bce = torch.nn.BCELoss()(t(p), t(y)).item()
    assert bce == pytest.approx(nn.binary_cross_entropy(p, y), rel=1e-13)
    assert bce == pytest.approx(nn.binary_cross_entropy(p, y, reduction="sum") / p.size, rel=1e-13)
    measured("mean", torch)


# --------------------------------------------------------------------- where σ rounds to 1


def test_torch_sigmoid_rounds_to_exactly_1_from_z_37_in_float64_and_17_in_float32(
    measured,
) -> None:
    """torch.sigmoid(z) is exactly 1 from z = 37 in float64 (17 in float32), as nnmath's.

    1 + e^(−z) rounds to 1 once e^(−z) is at most half the gap above 1: 2^(−53) in
    float64, 2^(−24) in float32, i.e. from z = 53 ln 2 ≈ 36.74 and z = 24 ln 2 ≈ 16.64.

    Claimed in: chapters/frameworks.ipynb (fw-log0-gradient: "`torch.sigmoid`, like `nn.sigmoid`,
    rounds to exactly 1 from z = 37 ... z = 17").
    """
    for dtype, np_dtype, bits in ((torch.float64, np.float64, 53), (torch.float32, np.float32, 24)):
        z = np.arange(1, 60)
        ones = torch.sigmoid(t(z, dtype)).numpy() == 1.0
        first = int(z[ones][0])
        assert first == math.ceil(bits * math.log(2))
        assert ones[first - 1 :].all()
        assert int(z[nn.sigmoid(z.astype(np_dtype)) == 1.0][0]) == first
        measured(first, torch, str(dtype).removeprefix("torch."))


# ------------------------------------------------------------ softmax, and the leak's default


def test_torch_softmax_log_softmax_and_logsumexp_shift_by_the_max(measured) -> None:
    """torch.softmax, log_softmax and logsumexp take logits and subtract the maximum first.

    Softmax of (1000, 1001, 1002) is that of (1, 2, 3), log-softmax of (1000, 1) is (0, −999)
    and logsumexp is max + log Σ exp(z − max), in float32 and float64; the log of the
    softmax gives (0, −inf).

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "All of them take logits and subtract
    the maximum first", the two examples).
    """
    for dtype in DTYPES:
        big = t([1000.0, 1001.0, 1002.0], dtype)
        np.testing.assert_allclose(
            torch.softmax(big, dim=-1).numpy(), nn.softmax(np.array([1.0, 2.0, 3.0])), rtol=1e-6
        )
        lse = torch.logsumexp(big, dim=-1).item()
        assert lse == pytest.approx(1002.0 + math.log(1 + math.exp(-1) + math.exp(-2)), rel=1e-7)
        pair = t([1000.0, 1.0], dtype)
        assert torch.log_softmax(pair, dim=-1).tolist() == [0.0, -999.0]
        assert torch.log(torch.softmax(pair, dim=-1)).tolist() == [0.0, -math.inf]
        measured(
            torch.log_softmax(pair, dim=-1)[1].item(), torch, str(dtype).removeprefix("torch.")
        )


def test_torch_softmax_needs_its_dim_and_without_it_picks_0_for_3_d(measured) -> None:
    """torch.softmax and torch.logsumexp need dim; F.softmax without it warns, takes dim 0 in 3-D.

    Claimed in: chapters/frameworks.ipynb (fw-softmax: "PyTorch's `torch.softmax` and
    `torch.logsumexp` need the axis", the 3-D batch of sequences).
    """
    x = torch.randn(2, 3, 4, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    for f in (torch.softmax, torch.logsumexp):
        with pytest.raises(TypeError):
            f(x)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        implicit = F.softmax(x)
    np.testing.assert_allclose(implicit.sum(dim=0).numpy(), 1.0, rtol=1e-12)  # the batch axis
    assert not np.allclose(implicit.sum(dim=-1).numpy(), 1.0)  # not the classes
    np.testing.assert_allclose(implicit.numpy(), nn.softmax(x.numpy(), axis=0), rtol=1e-12)
    measured("dim 0 of (2, 3, 4), with a UserWarning", torch)


def test_torch_leaky_relu_default_leak_is_0_01(measured) -> None:
    """F.leaky_relu's default leak is 0.01, as nnmath.leaky_relu's.

    Claimed in: chapters/frameworks.ipynb (fw-leaky-relu: the table, `F.leaky_relu`, default α).
    """
    x = np.array([-3.0, -0.5, 0.0, 2.0])
    got = F.leaky_relu(t(x)).numpy()
    np.testing.assert_allclose(got, np.where(x > 0, x, 0.01 * x), rtol=1e-15)
    np.testing.assert_allclose(got, nn.leaky_relu(x), rtol=1e-15)
    measured(float(got[0] / x[0]), torch, "slope left of 0")
