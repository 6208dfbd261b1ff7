"""Chapter 6, troubleshooting by symptom: its checks, in the order of the page (no explorer).

Every number stated or graded is a :class:`~nnmath.practice.Fact`, computed here by
nnmath when the book is built, with an oracle that computes it without nnmath. Which
slips leave a loss at ln 10 is decided by running each of them for the 500 steps its
question states.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

import numpy as np

import nnmath as nn
from nnmath import network
from nnmath.practice import Choice, DeclarationError, Fact, Number, Option, Wrong

CHAPTER = "06_troubleshooting"

# The chapter's three-class spiral and network, for the checks on sums and means below.
X, Y = network.make_spiral()
K, N = 3, len(Y)
START = network.TwoLayerNet.init(2, 20, K, seed=0)

# -- a loss stuck at ln K --------------------------------------------------------------------------
# The check's own run, stated in its question: ten balanced classes, 20 hidden units, He
# weights, full-batch gradient descent at learning rate 1 for 500 steps. Each option is one
# change to it, and its verdict is what that change does to the printed loss.
X10, Y10 = network.make_spiral(n_per_class=30, n_classes=10)
K10, PER_CLASS, HIDDEN, STEPS = 10, 30, 20, 500
assert np.bincount(Y10).tolist() == [PER_CLASS] * K10  # balanced
HE = network.TwoLayerNet.init(2, HIDDEN, K10, seed=0)
ZEROS = replace(HE, W1=np.zeros_like(HE.W1), W2=np.zeros_like(HE.W2))
DEAD = replace(HE, b1=np.full(HIDDEN, -10.0))  # every hidden bias at -10
TINY = network.TwoLayerNet.init(2, HIDDEN, K10, seed=0, scale=1e-3)

Update = Callable[[list[np.ndarray], list[np.ndarray]], None]


def _losses(
    net: network.TwoLayerNet, update: Update, steps: int = STEPS, double_softmax: bool = False
) -> np.ndarray:
    """The loss on the ten-class spiral before each of ``steps`` updates of a copy of
    ``net``, and after the last.

    ``update(params, grads)`` changes (or fails to change) the parameters; with
    ``double_softmax`` the model's softmax output goes into a loss that takes logits.
    """
    net, losses = net.copy(), []
    for step in range(steps + 1):
        logits, cache = net.forward(X10)
        if double_softmax:
            losses.append(nn.softmax_cross_entropy(nn.softmax(logits), Y10))
            dq = nn.softmax_cross_entropy_grad(nn.softmax(logits), Y10)
            dlogits = np.einsum("nij,nj->ni", nn.softmax_jacobian(logits), dq)
        else:
            losses.append(nn.softmax_cross_entropy(logits, Y10))
            dlogits = nn.softmax_cross_entropy_grad(logits, Y10)
        if step < steps:
            grads = net.backward(cache, dlogits)
            update(list(net.parameters()), list(grads.parameters()))
    return np.array(losses)


def _descend(lr: float) -> Update:
    def update(params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        for param, grad in zip(params, grads, strict=True):
            param -= lr * grad

    return update


def _rebind(params: list[np.ndarray], grads: list[np.ndarray]) -> None:
    for param, grad in zip(params, grads, strict=True):
        param = param - 1.0 * grad  # the slip: a new array, the model unchanged


def _climb(params: list[np.ndarray], grads: list[np.ndarray]) -> None:
    for param, grad in zip(params, grads, strict=True):
        param += 1.0 * grad


def _by_hand(
    net: network.TwoLayerNet,
    lr: float = 1.0,
    steps: int = STEPS,
    double_softmax: bool = False,
    applied: bool = True,
) -> np.ndarray:
    """The oracle of :func:`_losses`: the same run in plain NumPy, without nnmath.

    The loss is a log-sum-exp, the softmax's backward pass the product ``p * (g - p.g)``
    (no Jacobian), ReLU ``np.maximum``. ``applied=False`` computes the updates and never
    stores them; a negative ``lr`` adds the gradient.
    """
    W1, b1, W2, b2 = (np.array(a, dtype=float) for a in (net.W1, net.b1, net.W2, net.b2))
    onehot = np.eye(K10)[Y10]

    def probs(z: np.ndarray) -> np.ndarray:
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def loss(z: np.ndarray) -> float:
        m = z.max(axis=1, keepdims=True)
        lse = (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]
        return float(np.mean(lse - z[np.arange(len(Y10)), Y10]))

    losses = []
    for step in range(steps + 1):
        pre = X10 @ W1 + b1
        hidden = np.maximum(pre, 0.0)
        z = hidden @ W2 + b2
        if double_softmax:
            p = probs(z)
            losses.append(loss(p))
            g = (probs(p) - onehot) / len(Y10)  # the gradient with respect to p
            dz = p * (g - (p * g).sum(axis=1, keepdims=True))
        else:
            losses.append(loss(z))
            dz = (probs(z) - onehot) / len(Y10)
        if step == steps:
            break
        dpre = (dz @ W2.T) * (pre > 0)
        new = (
            W1 - lr * (X10.T @ dpre),
            b1 - lr * dpre.sum(axis=0),
            W2 - lr * (hidden.T @ dz),
            b2 - lr * dz.sum(axis=0),
        )
        if applied:
            W1, b1, W2, b2 = new
    return np.array(losses)


def _drift(losses: np.ndarray) -> float:
    """How far the loss strays from ln 10 over a run: the largest |loss - ln 10|."""
    return float(np.max(np.abs(losses - math.log(K10))))


def _stays(drift: Fact) -> bool:
    """Whether every loss of a run prints (four decimals) as ln 10 does, 2.3026.

    Within 3.5e-5 of ln 10 = 2.302585 every loss prints 2.3026; a loss 6.5e-5 or more
    away does not. A run in between would need its losses printed one by one: refused.
    """
    shown = round(math.log(K10), 4)
    near, far = sorted(abs(math.log(K10) - (shown + d)) for d in (-5e-5, 5e-5))
    if near <= drift.value < far:
        raise DeclarationError(f"{drift.what}: {drift.value:.2g} is too near a rounding edge")
    return drift.value < near


LN_10 = Fact(
    nn.softmax_cross_entropy(np.zeros(K10), 0),
    oracle=lambda: math.log(10),
    what="the loss of a uniform guess over 10 classes",
)
FLOOR_10 = Fact(
    nn.softmax_cross_entropy(nn.one_hot([0], K10)[0], 0),
    oracle=lambda: math.log(math.e + 9) - 1,
    what="the floor of the double-softmax loss, K = 10",
)
_HE = _losses(HE, _descend(1.0))
HE_FIRST = Fact(_HE[0], oracle=lambda: _by_hand(HE, steps=0)[0], what="the first loss, He weights")
HE_LAST = Fact(
    _HE[-1],
    oracle=lambda: _by_hand(HE)[-1],
    what="the loss at step 500, He weights, learning rate 1",
    rtol=1e-9,
)
ZEROS_DRIFT = Fact(
    _drift(_losses(ZEROS, _descend(1.0))),
    oracle=lambda: _drift(_by_hand(ZEROS)),
    what="largest |loss - ln 10| over 500 steps, zero weights",
    atol=1e-12,
)
DEAD_FRACTION = Fact(
    DEAD.dead_fraction(X10),
    oracle=lambda: float(np.all(X10 @ DEAD.W1 + DEAD.b1 <= 0, axis=0).mean()),
    what="the fraction of dead hidden units with every hidden bias at -10",
)
DEAD_DRIFT = Fact(
    _drift(_losses(DEAD, _descend(1.0))),
    oracle=lambda: _drift(_by_hand(DEAD)),
    what="largest |loss - ln 10| over 500 steps, every hidden bias at -10",
    atol=1e-12,
)
SLOW_DRIFT = Fact(
    _drift(_losses(HE, _descend(1e-9))),
    oracle=lambda: _drift(_by_hand(HE, lr=1e-9)),
    what="largest |loss - ln 10| over 500 steps, He weights, learning rate 1e-9",
    rtol=1e-9,
)
REBIND_DRIFT = Fact(
    _drift(_losses(HE, _rebind)),
    oracle=lambda: _drift(_by_hand(HE, applied=False)),
    what="largest |loss - ln 10| over 500 steps, He weights, updates never stored",
    rtol=1e-12,
)


def _double_softmax_facts(
    start: network.TwoLayerNet, weights: str, drift_rtol: float
) -> tuple[Fact, Fact, Fact]:
    """The first loss, the loss at step STEPS and the largest drift from ln 10 of a run
    with softmax applied twice, from the weights ``start``, each with its oracle."""
    losses = _losses(start, _descend(1.0), double_softmax=True)
    return (
        Fact(
            losses[0],
            oracle=lambda: _by_hand(start, steps=0, double_softmax=True)[0],
            what=f"the first double-softmax loss, {weights}",
        ),
        Fact(
            losses[-1],
            oracle=lambda: _by_hand(start, double_softmax=True)[-1],
            what=f"the double-softmax loss at step {STEPS}, {weights}",
            rtol=1e-9,
        ),
        Fact(
            _drift(losses),
            oracle=lambda: _drift(_by_hand(start, double_softmax=True)),
            what=f"largest |loss - ln 10| over {STEPS} steps, double softmax, {weights}",
            rtol=drift_rtol,
        ),
    )


TWICE_FIRST, TWICE_LAST, TWICE_DRIFT = _double_softmax_facts(HE, "He weights", 1e-9)
TINY_TWICE_FIRST, TINY_TWICE_LAST, TINY_TWICE_DRIFT = _double_softmax_facts(
    TINY, "weights of standard deviation 1e-3", 1e-6
)
assert _stays(TINY_TWICE_DRIFT)  # the feedback's point: tiny weights make it look stuck
# ... and its reason: near the uniform guess the inner softmax passes back a tenth of the gradient.
_z = TINY.logits(X10)
_dq = nn.softmax_cross_entropy_grad(nn.softmax(_z), Y10)
assert np.allclose(np.einsum("nij,nj->ni", nn.softmax_jacobian(_z), _dq), _dq / K10, rtol=1e-4)
_CLIMB = _losses(HE, _climb, steps=1)  # it leaves at once (500 steps would overflow)
CLIMB_SECOND = Fact(
    _CLIMB[1],
    oracle=lambda: _by_hand(HE, lr=-1.0, steps=1)[1],
    what="the loss after one step that adds the gradient, He weights",
)
CLIMB_DRIFT = Fact(
    _drift(_CLIMB),
    oracle=lambda: _drift(_by_hand(HE, lr=-1.0, steps=1)),
    what="largest |loss - ln 10| over steps 0 and 1, adding the gradient",
)
_WHERE_HE = (
    f"but at {HE_FIRST:.4f}, where the He weights start it, not at $\\ln 10$: He weights "
    "give each input its own logits."
)

STUCK = Choice(
    "trouble-stuck-ln-k",
    f"A two-layer ReLU network with {HIDDEN} hidden units learns a ten-class spiral, "
    f"{PER_CLASS} points in every class, by full-batch gradient descent at learning rate 1. "
    f"With He-initialised weights its loss falls from {HE_FIRST:.4f} at step 0 to "
    f"{HE_LAST:.4f} at step {STEPS}. Which of these changes, each on its own, makes it "
    f"print {LN_10:.4f} at step 0, and still {LN_10:.4f} at step {STEPS}?",
    (
        Option(
            "Every weight initialised to 0",
            correct=_stays(ZEROS_DRIFT),
            why="Zero weights make every hidden unit output 0 and every logit 0, for every "
            "input: the uniform guess. The weights then get no gradient, and since every "
            "class holds a tenth of the data, the output biases get none beyond rounding. "
            "With unbalanced classes the biases would learn the class frequencies, and the "
            "loss would fall.",
        ),
        Option(
            "Every hidden bias initialised to -10",
            correct=_stays(DEAD_DRIFT),
            why="Every pre-activation is then negative on the spiral: "
            f"{DEAD_FRACTION:.0%} of the hidden units are dead. The logits are the output "
            "biases, all 0, no gradient passes back through a ReLU that is off, and with "
            "balanced classes the output biases get none either.",
            see="sec-trouble-dead",
        ),
        Option(
            "A learning rate of $10^{-9}$",
            correct=_stays(SLOW_DRIFT),
            why="The steps are real but far too small to show in four decimals: the loss "
            f"stays put, {_WHERE_HE}",
        ),
        Option(
            "`param = param - lr * grad` in a loop over the parameters",
            correct=_stays(REBIND_DRIFT),
            why="This makes a new array and leaves the model's own unchanged, so the update "
            "never reaches the model (`param -= lr * grad` changes it in place). The loss stays "
            f"put, {_WHERE_HE}",
        ),
        Option(
            "Softmax applied twice",
            correct=_stays(TWICE_DRIFT),
            why=f"With He weights the double softmax starts at {TWICE_FIRST:.4f} and falls to "
            f"{TWICE_LAST:.4f} by step {STEPS}, on its way to a floor of {FLOOR_10:.3f}. It "
            "can look stuck, though: with weights of standard deviation $10^{-3}$ it prints "
            f"{TINY_TWICE_FIRST:.4f} at step 0 and still {TINY_TWICE_LAST:.4f} at step {STEPS}. "
            "Near the uniform guess the inner softmax passes back a tenth of the gradient, "
            "too little for tiny weights to grow.",
            see="sec-trouble-floor",
        ),
        Option(
            "`param += lr * grad`: the sign of the update flipped",
            correct=_stays(CLIMB_DRIFT),
            why=f"Adding the gradient climbs: the loss is {CLIMB_SECOND:.4f} after one step.",
            see="sec-trouble-up",
        ),
    ),
    multiple=True,
    see="sec-trouble-ln-k",
    why="$\\ln K$ is the loss of the uniform guess. A loss pinned at exactly $\\ln K$ means "
    "equal logits for every input that nothing changes: zero weights, or a dead network, "
    "with balanced classes. A slip that only stops the updates keeps the loss wherever the "
    "initial weights put it, at $\\ln K$ only if they start tiny.",
)

# -- log(p + eps) (My loss is inf) -----------------------------------------------------------------
Z_INF = np.array([[0.0, 110.0]], dtype=np.float32)
P_INF = nn.softmax(Z_INF)
EPS = 1e-7
CAPPED = Fact(
    -np.log(P_INF[0, 0] + EPS),
    oracle=lambda: -math.log(EPS),
    what="-log(p_1 + 1e-7) at z = [0, 110] in float32",
    rtol=1e-6,  # 1e-7 rounded to float32
)
TRUE_LOSS = Fact(
    nn.softmax_cross_entropy(Z_INF, [0]),
    oracle=lambda: 110.0 + math.log1p(math.exp(-110.0)),
    what="the loss at z = [0, 110], class 1, from the logits",
    rtol=1e-7,  # float32
)
CAPPED_GRAD = Fact(
    np.abs(nn.softmax_jacobian(Z_INF[0]).T @ (-np.array([1.0, 0.0]) / (P_INF[0] + EPS))).max(),
    oracle=lambda: 0.0,
    what="the largest entry of the gradient of -log(p_1 + 1e-7) at z = [0, 110]",
)

EPS_CAP = Number(
    "trouble-eps-cap",
    "A common shortcut against this `inf` is `-np.log(p + 1e-7)`. What loss does it give "
    "here, at $z = (0, 110)$ in float32 with class 1 true? Answer to two decimals.",
    answer=CAPPED,
    tolerance=0.005,
    wrong=(
        Wrong(
            TRUE_LOSS,
            f"{TRUE_LOSS:g} is the true loss, which the logits give. "
            "$-\\log(p + 10^{-7})$ can never exceed $-\\log 10^{-7}$: the shortcut caps "
            "every loss there.",
        ),
    ),
    hint="In float32 the true class's probability rounds to exactly 0, so the log sees only "
    "the $10^{-7}$.",
    see="sec-trouble-inf",
    why=f"The shortcut turns `inf` into {CAPPED:.2f}, a number that looks fine and is wrong "
    f"by far, with a gradient of {CAPPED_GRAD:g}: the most wrong prediction learns nothing. "
    "Compute the loss from the logits instead.",
)

# -- a round relative error (My gradient check fails everywhere) -----------------------------------
_rng = np.random.default_rng(0)
Z8, Y8 = _rng.normal(size=(8, K)), _rng.integers(0, K, size=8)


def _mean_loss(z: np.ndarray) -> float:
    return nn.softmax_cross_entropy(z, Y8)


FLIPPED = Fact(
    nn.gradient_check(_mean_loss, lambda z: -nn.softmax_cross_entropy_grad(z, Y8), Z8),
    oracle=lambda: 2.0,  # |c - 1| / max(|c|, 1) with c = -1
    what="gradient check of Y - P for a mean loss",
    rtol=1e-6,
)
MISSING_N = Fact(
    nn.gradient_check(
        _mean_loss, lambda z: nn.softmax_cross_entropy_grad(z, Y8, reduction="sum"), Z8
    ),
    oracle=lambda: Fraction(7, 8),  # c = N = 8
    what="gradient check of P - Y (no 1/N) for a mean loss over 8 samples",
    rtol=1e-6,
)

MISSING_N4 = Fact(
    nn.gradient_check(
        lambda z: nn.softmax_cross_entropy(z, Y8[:4]),
        lambda z: nn.softmax_cross_entropy_grad(z, Y8[:4], reduction="sum"),
        Z8[:4],
    ),
    oracle=lambda: Fraction(3, 4),  # c = N = 4
    what="gradient check of P - Y (no 1/N) for a mean loss over 4 samples",
    rtol=1e-6,
)

# The section names the error of a flipped sign (2) and of a missing 1/N for its 8 samples
# (7/8): the check asks for the rule applied to another N, not for either number back.
ERROR_RATIO = Choice(
    "trouble-error-ratio",
    "A gradient check of your mean loss over a batch of 4 samples reports a relative error "
    f"of {MISSING_N4:.2f} at every point you try. Which slip is the likeliest?",
    (
        Option(
            "The sign is flipped: $Y - P$ in place of $P - Y$",
            why=f"A flipped sign gives {FLIPPED:.0f} exactly, whatever $N$ is.",
        ),
        Option("The $1/N$ of the mean is missing", correct=True),
        Option(
            "A pre-activation sits on ReLU's kink",
            why="A kink spoils the one or two entries whose finite difference straddles it, "
            "not the whole gradient, and not by a round number.",
            see="sec-trouble-kink",
        ),
        Option(
            "The loss is computed in float32",
            why="float32 rounding makes a check fail by an error that changes from point to "
            "point, not by one round number.",
            see="sec-trouble-float32",
        ),
    ),
    see="sec-trouble-wrong",
    why="A gradient $c$ times the true one has the error $|c - 1|/\\max(|c|, 1)$: with "
    f"$c = N = 4$, that is $3/4$, the {MISSING_N4:.2f} reported ({MISSING_N:.3f} for the "
    "section's $N = 8$). A gradient 4 times too small ($c = 1/4$, the $1/N$ applied twice) "
    "gives $3/4$ too: compare the sizes of the two gradients to tell which.",
)

# -- sum or mean (I switched from mean to sum) -----------------------------------------------------
LR_SUM = 0.01
_logits = START.logits(X)
_ratio = nn.softmax_cross_entropy_grad(_logits, Y, reduction="sum") / nn.softmax_cross_entropy_grad(
    _logits, Y
)
assert np.allclose(_ratio, _ratio.flat[0])
LR_MEAN = Fact(
    LR_SUM * _ratio.flat[0],
    oracle=lambda: LR_SUM * N,
    what="the learning rate of the mean that takes the sum's steps at 0.01",
    rtol=1e-12,
)
LR_UPSIDE_DOWN = Fact(
    LR_SUM / _ratio.flat[0],
    oracle=lambda: LR_SUM / N,
    what="0.01 divided by N, the scaling turned the wrong way",
    rtol=1e-12,
)
LR_SAME = Fact(
    LR_SUM,
    oracle=lambda: 0.01,
    what="the sum's learning rate, unchanged",
)

SUM_TO_MEAN = Number(
    "trouble-sum-to-mean",
    "A training loop on $N = 300$ samples used the sum of their losses, with learning rate "
    "0.01 and no penalty. You switch to the mean. Which learning rate takes exactly the same "
    "steps?",
    answer=LR_MEAN,
    tolerance=1e-6,
    wrong=(
        Wrong(
            LR_UPSIDE_DOWN,
            "The other way round: the mean's gradient is $N$ times smaller than the sum's, "
            "so its learning rate must be $N$ times larger.",
            tolerance=5e-7,
        ),
        Wrong(
            LR_SAME,
            "With the same rate, each step of the mean is $N$ times shorter: training "
            "barely moves.",
        ),
    ),
    hint="The sum's gradient is $N$ times the mean's, and a step is the learning rate times "
    "the gradient.",
    see="sec-trouble-sum-mean",
    why="A step on the sum with rate $\\eta$ equals a step on the mean with rate $N\\eta$: "
    "multiply the rate by $N$ when you switch to the mean, divide it when you switch back.",
)

CHECKS = (STUCK, EPS_CAP, ERROR_RATIO, SUM_TO_MEAN)
