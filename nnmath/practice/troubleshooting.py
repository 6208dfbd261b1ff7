"""Chapter 6, troubleshooting by symptom: its checks, in the order of the page (no explorer).

Every number stated or graded is a :class:`~nnmath.practice.Fact`, computed here by
nnmath when the book is built, with an oracle that computes it without nnmath. Which
slips leave a loss where it started is decided by running each of them for a few steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

import numpy as np

import nnmath as nn
from nnmath import network
from nnmath.practice import Choice, Fact, Number, Option, Wrong

CHAPTER = "06_troubleshooting"

# -- a loss stuck at ln K --------------------------------------------------------------------------
X, Y = network.make_spiral()
K, N = 3, len(Y)
START = network.TwoLayerNet.init(2, 20, K, seed=0)


def _losses(
    net: network.TwoLayerNet,
    update: Callable[[list[np.ndarray], list[np.ndarray]], None],
    steps: int = 10,
    double_softmax: bool = False,
) -> np.ndarray:
    """The loss before each of ``steps`` updates of a copy of ``net``, and after the last.

    ``update(params, grads)`` changes (or fails to change) the parameters; with
    ``double_softmax`` the model's softmax output goes into a loss that takes logits.
    """
    net, losses = net.copy(), []
    for step in range(steps + 1):
        logits, cache = net.forward(X)
        if double_softmax:
            losses.append(nn.softmax_cross_entropy(nn.softmax(logits), Y))
            dq = nn.softmax_cross_entropy_grad(nn.softmax(logits), Y)
            dlogits = np.einsum("nij,nj->ni", nn.softmax_jacobian(logits), dq)
        else:
            losses.append(nn.softmax_cross_entropy(logits, Y))
            dlogits = nn.softmax_cross_entropy_grad(logits, Y)
        if step < steps:
            grads = net.backward(cache, dlogits)
            update(list(net.parameters()), list(grads.parameters()))
    return np.array(losses)


def _descend(lr: float) -> Callable[[list[np.ndarray], list[np.ndarray]], None]:
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


def _stays(losses: np.ndarray) -> bool:
    """Whether the printed loss (four decimals) never changes."""
    return bool(np.all(np.abs(losses - losses[0]) < 5e-5))


ZEROS = replace(START, W1=np.zeros_like(START.W1), W2=np.zeros_like(START.W2))
LN_10 = Fact(
    nn.softmax_cross_entropy(np.zeros(10), 0),
    oracle=lambda: math.log(10),
    what="the loss of a uniform guess over 10 classes",
)
FLOOR_10 = Fact(
    nn.softmax_cross_entropy(nn.one_hot([0], 10)[0], 0),
    oracle=lambda: math.log(math.e + 9) - 1,
    what="the floor of the double-softmax loss, K = 10",
)

STUCK = Choice(
    "trouble-stuck-ln-k",
    f"A ten-class model prints the loss {LN_10:.4f} at step 0, and still {LN_10:.4f} at "
    "step 500. Which of these could keep it there?",
    (
        Option(
            "Every weight initialised to 0",
            correct=_stays(_losses(ZEROS, _descend(1.0))),
            why="Zero weights make every hidden unit output 0, so the weights get no "
            "gradient, and the biases of the output none beyond rounding.",
        ),
        Option(
            "A learning rate of $10^{-9}$",
            correct=_stays(_losses(START, _descend(1e-9))),
            why="The steps are real but far too small to show in four decimals.",
        ),
        Option(
            "`param = param - lr * grad` in a loop over the parameters",
            correct=_stays(_losses(START, _rebind)),
            why="This makes a new array and leaves the model's own unchanged: the update "
            "never reaches the model. `param -= lr * grad` changes it in place.",
        ),
        Option(
            "Softmax applied twice",
            correct=_stays(_losses(START, _descend(1.0), double_softmax=True)),
            why="A double softmax lets the loss fall from $\\ln K$, then stall above a floor, "
            f"{FLOOR_10:.3f} for ten classes: it moves, just not far enough.",
            see="sec-trouble-floor",
        ),
        Option(
            "`param += lr * grad`: the sign of the update flipped",
            correct=_stays(_losses(START, _climb)),
            why="Adding the gradient climbs: the loss rises from the first step.",
            see="sec-trouble-up",
        ),
    ),
    multiple=True,
    see="sec-trouble-ln-k",
    why="$\\ln K$ is the loss of the uniform guess. At step 0 it is what you want to see; a "
    "loss that stays there means that nothing reaches the model, or nothing can.",
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
    "here, at $z = [0, 110]$ in float32 with class 1 true? Answer to two decimals.",
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

ERROR_TWO = Choice(
    "trouble-error-two",
    f"A gradient check of your mean loss reports a relative error of {FLIPPED:.0f} at every "
    "point you try. Which slip is the likeliest?",
    (
        Option("The sign is flipped: $Y - P$ in place of $P - Y$", correct=True),
        Option(
            "The $1/N$ of the mean is missing",
            why="A gradient $N$ times too large gives $(N - 1)/N$, always below 1: "
            f"{MISSING_N:.3f} for $N = 8$.",
        ),
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
    why="A gradient $c$ times the true one has the error $|c - 1|/\\max(|c|, 1)$, which is "
    "2 exactly when $c = -1$.",
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

CHECKS = (STUCK, EPS_CAP, ERROR_TWO, SUM_TO_MEAN)
