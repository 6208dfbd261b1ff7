"""Chapter 4, the gradient p − y: its checks and its challenge, in the order of the chapter.

Every number stated or graded is a :class:`~nnmath.practice.Fact`, computed here by
nnmath when the book is built, with an oracle that computes it without nnmath (plain
Python floats, exact fractions, or NumPy alone).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

import nnmath as nn
from nnmath.practice import (
    Challenge,
    Choice,
    Condition,
    Fact,
    Number,
    Option,
    Predict,
    Wrong,
)

CHAPTER = "04_softmax_cross_entropy"


def _softmax(z: list[float]) -> list[float]:
    """Softmax in plain Python, for the oracles."""
    m = max(z)
    e = [math.exp(v - m) for v in z]
    return [v / sum(e) for v in e]


# The chapter's running example: z = [1, 2, 3], class 2 true (label 1 in code).
Z = np.array([1.0, 2.0, 3.0])
TRUE = 1
P = nn.softmax(Z)


# -- the signs of p - y (Intuition, By hand) -------------------------------------------------------
SIGN_Z = np.array([3.0, 1.0, 0.0])  # class 3 true
SIGN_GRAD = nn.softmax_cross_entropy_grad(SIGN_Z, 2)

SIGNS = Choice(
    "pmy-signs",
    "A model gives the logits $z = (3, 1, 0)$, and class 3 is true. Without computing "
    "anything, which of these does one step of gradient descent on the logits do?",
    (
        Option(
            "It raises $z_3$",
            correct=bool(SIGN_GRAD[2] < 0),
            why="The true class gets $p_3 - 1 < 0$, and a step against a negative entry "
            "raises the logit.",
        ),
        Option(
            "It lowers $z_1$ more than $z_2$",
            correct=bool(SIGN_GRAD[0] > SIGN_GRAD[1] > 0),
            why="A wrong class gets its probability, $p_j > 0$, and $z_1 > z_2$ gives "
            "$p_1 > p_2$: the class that took more probability is pushed down harder.",
        ),
        Option(
            "It leaves $z_1$ and $z_2$ alone, since they are not the true class",
            correct=bool(SIGN_GRAD[0] == 0 and SIGN_GRAD[1] == 0),
            why="That is the common shortcut that keeps only the diagonal of the softmax "
            "derivative. Every logit moves every probability, so each wrong class gets "
            "$p_j - 0 = p_j > 0$ and its logit goes down.",
            see="sec-pmy-shortcut",
        ),
        Option(
            "It raises all three logits, so that the loss falls",
            correct=bool(np.all(SIGN_GRAD < 0)),
            why="The entries of $p - y$ sum to 0, since $p$ and $y$ each sum to 1: some "
            "logits go up and others down. Raising every logit by the same amount would "
            "change no probability at all.",
            see="sec-pmy-why",
        ),
    ),
    multiple=True,
    see="sec-pmy-intuition",
    why="$p - y$ raises the true class's logit and lowers every other one in proportion "
    "to the probability it took; the pushes cancel out, as the entries sum to 0.",
)

# -- one entry of the softmax Jacobian (The derivative, step 2) -----------------------------------
J = nn.softmax_jacobian(Z)
P_ORACLE = _softmax([1.0, 2.0, 3.0])
P2, P3 = (
    Fact(P[i], oracle=lambda i=i: P_ORACLE[i], what=f"p_{i + 1} at z = [1, 2, 3]") for i in (1, 2)
)
P1 = Fact(P[0], oracle=lambda: P_ORACLE[0], what="p_1 at z = [1, 2, 3]")
J23 = Fact(J[1, 2], oracle=lambda: -P_ORACLE[1] * P_ORACLE[2], what="dp_2/dz_3 at z = [1, 2, 3]")
J22 = Fact(
    J[1, 1], oracle=lambda: P_ORACLE[1] * (1 - P_ORACLE[1]), what="dp_2/dz_2 at z = [1, 2, 3]"
)
J33 = Fact(
    J[2, 2], oracle=lambda: P_ORACLE[2] * (1 - P_ORACLE[2]), what="dp_3/dz_3 at z = [1, 2, 3]"
)
J23_FLIPPED = Fact(
    -J[1, 2], oracle=lambda: P_ORACLE[1] * P_ORACLE[2], what="-dp_2/dz_3 (the sign lost)"
)
DIAGONAL_ONLY_23 = Fact(
    np.diag(np.diag(J))[1, 2],
    oracle=lambda: 0.0,
    what="entry (2, 3) of the diagonal-only Jacobian",
)

JACOBIAN_ENTRY = Number(
    "pmy-jacobian-entry",
    f"At the running example $p = ({P1:.3f}, {P2:.3f}, {P3:.3f})$. How fast does $p_2$ "
    "change when $z_3$ rises, $\\partial p_2/\\partial z_3$? Answer to three decimals.",
    answer=J23,
    tolerance=0.0005,
    wrong=(
        Wrong(
            DIAGONAL_ONLY_23,
            "A common belief: a logit moves only its own probability, so the derivative "
            "is its diagonal alone. But the probabilities must still sum to 1, so raising "
            "$z_3$ takes probability from every other class: $-p_2 p_3$.",
        ),
        Wrong(
            J23_FLIPPED,
            "The size is right, the sign is not: raising $z_3$ lowers $p_2$, so every "
            "entry off the diagonal, $-p_i p_j$, is negative.",
        ),
        Wrong(
            J22,
            f"{J22:.3f} is $p_2(1 - p_2)$, how $p_2$ responds to its own logit $z_2$: an "
            "entry on the diagonal.",
        ),
        Wrong(
            J33,
            f"{J33:.3f} is $p_3(1 - p_3)$, how $p_3$ responds to $z_3$. The question asks "
            "how another probability, $p_2$, responds.",
        ),
    ),
    hint="Use $\\partial p_i/\\partial z_j = p_i(\\delta_{ij} - p_j)$ with $i = 2$ and "
    "$j = 3$, where $\\delta_{23} = 0$.",
    see="sec-pmy-derivative",
    why="Off the diagonal, $\\partial p_i/\\partial z_j = -p_i p_j$: raising one logit "
    "lowers every other probability. Each column of the Jacobian sums to 0.",
)

# -- the shortcut, on the explorer -----------------------------------------------------------------
ZEROS = np.zeros(3)
UNIFORM = [Fraction(1, 3)] * 3  # equal logits: each class 1/K, exactly
GRAD_ZEROS = nn.softmax_cross_entropy_grad(ZEROS, TRUE)
WRONG_CLASS = Fact(GRAD_ZEROS[0], oracle=lambda: UNIFORM[0], what="dl/dz_1 at z = 0, class 2")
TRUE_CLASS = Fact(
    GRAD_ZEROS[1], oracle=lambda: UNIFORM[1] - 1, what="dl/dz_2 at z = 0, class 2 true"
)
SHORTCUT_AT_ZEROS = Fact(
    (-nn.one_hot([TRUE], 3)[0] * (1 - nn.softmax(ZEROS)))[0] + 0.0,
    oracle=lambda: 0.0,
    what="the shortcut -y(1 - p) for class 1 at z = 0",
)
DIAGONAL_AT_ZEROS = Fact(
    nn.softmax_jacobian(ZEROS)[0, 0],
    oracle=lambda: UNIFORM[0] * (1 - UNIFORM[0]),
    what="p_1(1 - p_1) at z = 0",
)

SHORTCUT_PREDICT = Predict(
    "pmy-shortcut-wrong-class",
    "Set all three logits to 0, with class 2 true. Predict $\\partial \\ell/\\partial z_1$, "
    "the gradient of a wrong class, that the explorer will show. Answer to two decimals.",
    explorer="softmax_cross_entropy",
    show={"z1": 0.0, "z2": 0.0, "z3": 0.0, "true_class": TRUE},
    look="The panel \u201cp, y and the gradient p \u2212 y\u201d: class 1's gradient bar, and "
    "the cross of the central difference on it.",
    answer=WRONG_CLASS,
    tolerance=0.005,
    wrong=(
        Wrong(
            SHORTCUT_AT_ZEROS,
            "0 is what the diagonal-only shortcut $-y(1 - p)$ gives every wrong class. The "
            "full Jacobian adds $p_j$ to entry $j$: raising $z_1$ takes probability from "
            "the true class, so the loss depends on $z_1$.",
            see="sec-pmy-shortcut",
        ),
        Wrong(
            DIAGONAL_AT_ZEROS,
            f"{DIAGONAL_AT_ZEROS:.2f} is $p_1(1 - p_1)$, a diagonal entry of the softmax "
            "Jacobian: how $p_1$ moves with $z_1$, not how the loss does.",
            see="sec-pmy-derivative",
        ),
        Wrong(
            TRUE_CLASS,
            f"{TRUE_CLASS:.2f} is the true class's entry, $p_2 - 1$. A wrong class gets $p_1 - 0$.",
        ),
    ),
    hint="Equal logits give equal probabilities; then use $p - y$ with $y = (0, 1, 0)$.",
    see="sec-pmy-shortcut",
    why="Equal logits give $p_1 = p_2 = p_3 = 1/3$, so $p - y = (1/3, -2/3, 1/3)$: each "
    "wrong class is pushed down by its own probability, and the entries sum to 0.",
)

# -- which targets give p - y (When p - y holds) ---------------------------------------------------
# Targets the chapter's cells do not show, so that the reader applies the rule (the sum)
# rather than recalls which of the shown ones worked.
_TARGETS = {
    "split": np.array([0.5, 0.5, 0.0]),
    "two-present": np.array([1.0, 0.0, 1.0]),
    "uniform": np.full(3, 1 / 3),
    "half": np.array([0.0, 0.5, 0.0]),
    "almost": np.array([0.2, 0.3, 0.6]),
}
_ALMOST_SUM = Fact(
    _TARGETS["almost"].sum(), oracle=lambda: Fraction(11, 10), what="0.2 + 0.3 + 0.6"
)


def _p_minus_y_holds(y: np.ndarray) -> bool:
    """Whether central differences of -sum(y log softmax(z)) equal p - y at z."""
    numeric = nn.numerical_gradient(lambda v: -np.sum(y * nn.log_softmax(v)), Z)
    return bool(np.allclose(numeric, P - y, atol=1e-7))


TARGETS = Choice(
    "pmy-targets-sum",
    "The loss is $\\ell = -(y_1 \\log p_1 + y_2 \\log p_2 + y_3 \\log p_3)$. For which "
    "targets $y$ is its gradient with respect to the logits $z$ exactly $p - y$?",
    (
        Option(
            "$y = (0.5, 0.5, 0)$, two annotators who disagree",
            correct=_p_minus_y_holds(_TARGETS["split"]),
            why="Split between two classes, the target still sums to 1, and the derivation "
            "never needed a single 1.",
        ),
        Option(
            "$y = (1, 0, 1)$, an image that shows classes 1 and 3",
            correct=_p_minus_y_holds(_TARGETS["two-present"]),
            why="These targets sum to 2, and the gradient is "
            "$(y_1 + y_2 + y_3)\\,p - y = 2p - y$. Several labels at once call for a "
            "sigmoid per class, not a softmax.",
        ),
        Option(
            "$y = (1/3, 1/3, 1/3)$, the uniform target",
            correct=_p_minus_y_holds(_TARGETS["uniform"]),
            why="The uniform target is a probability vector like any other: it sums to 1.",
        ),
        Option(
            "$y = (0, 0.5, 0)$, half a label",
            correct=_p_minus_y_holds(_TARGETS["half"]),
            why="These targets sum to 0.5, so the gradient is $0.5\\,p - y$: $p - y$ "
            "needs targets that sum to 1, one-hot or not.",
        ),
        Option(
            "$y = (0.2, 0.3, 0.6)$, meant as soft labels",
            correct=_p_minus_y_holds(_TARGETS["almost"]),
            why=f"These look like soft labels, but they sum to {_ALMOST_SUM:g}, so the gradient "
            f"is ${_ALMOST_SUM:g}\\,p - y$.",
        ),
    ),
    multiple=True,
    see="sec-pmy-when",
    why="The gradient is $(y_1 + y_2 + y_3)\\,p - y$; it is $p - y$ exactly when the targets "
    "sum to 1, whether one-hot, soft, split or uniform.",
)

# -- a batch and its 1/N (A batch, and the 1/N of a mean) ------------------------------------------
BATCH_P = np.array([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
BATCH_LABELS = np.array([1, 0, 2, 1])
BATCH_Z = np.log(BATCH_P)  # logits whose softmax is BATCH_P
N_BATCH = len(BATCH_P)
BATCH_MEAN = Fact(
    nn.softmax_cross_entropy_grad(BATCH_Z, BATCH_LABELS)[0, 1],
    oracle=lambda: (Fraction(3, 10) - 1) / 4,
    what="dL/dZ_{1,2} of a batch of 4, mean loss",
    rtol=1e-9,
)
BATCH_SUM = Fact(
    nn.softmax_cross_entropy_grad(BATCH_Z, BATCH_LABELS, reduction="sum")[0, 1],
    oracle=lambda: Fraction(3, 10) - 1,
    what="dL/dZ_{1,2} of a batch of 4, summed loss",
    rtol=1e-9,
)
_Y = nn.one_hot(BATCH_LABELS, 3)
MEAN_OVER_ALL = Fact(
    nn.numerical_gradient(lambda v: np.mean(-_Y * nn.log_softmax(v)), BATCH_Z)[0, 1],
    oracle=lambda: (Fraction(3, 10) - 1) / (4 * 3),
    what="dL/dZ_{1,2} when np.mean averages over all N*K entries",
    rtol=1e-7,
)

BATCH = Number(
    "pmy-batch-mean",
    "A batch of $N = 4$ samples has the mean loss $L$. Its first sample predicts "
    "$p = (0.2, 0.3, 0.5)$, and its class is 2. What is the entry "
    "$\\partial L/\\partial Z_{1,2}$ of the batch's gradient (sample 1, class 2; "
    "`Z[0, 1]` in code)? Answer to three decimals.",
    answer=BATCH_MEAN,
    tolerance=0.0005,
    wrong=(
        Wrong(
            BATCH_SUM,
            "That is the sample's own $p - y$, the gradient of the sum. The mean divides "
            "every sample's loss, and so its gradient, by $N$.",
            see="sec-ce-sum-or-mean",
        ),
        Wrong(
            MEAN_OVER_ALL,
            "That divides by $N K$, all twelve entries: what `np.mean(-Y * log P)` does, "
            "a common slip. The loss is a mean over the samples only, of sums over classes.",
        ),
    ),
    hint="Take the sample's $p_2 - y_2$, then divide by $N$.",
    see="sec-pmy-batch",
    why="Row $n$ of the gradient is sample $n$'s $p - y$, divided by $N$: $(P - Y)/N$.",
)

# -- a stable loss (Computing it stably) -----------------------------------------------------------
Z_BIG = np.array([0.0, 200.0], dtype=np.float32)
P_BIG = nn.softmax(Z_BIG)
Y_BIG = np.array([1.0, 0.0], dtype=np.float32)
EPS = 1e-7
STABLE = Fact(
    nn.softmax_cross_entropy(Z_BIG, 0),
    oracle=lambda: 200.0 + math.log1p(math.exp(-200.0)),
    what="the loss at z = [0, 200], class 1, from the logits",
    rtol=1e-7,  # float32
)
CAPPED_GRAD = Fact(
    np.abs(nn.softmax_jacobian(Z_BIG).T @ (-Y_BIG / (P_BIG + EPS))).max(),
    oracle=lambda: 0.0,
    what="the largest entry of the gradient of -log(p_1 + 1e-7) at z = [0, 200]",
)
P_AT_800 = Fact(
    nn.softmax(np.array([0.0, 800.0]))[0],
    oracle=lambda: math.exp(-800.0),  # underflows to 0 in plain Python too
    what="p_1 at z = [0, 800] in float64",
)

STABLE_FIX = Choice(
    "pmy-stable-fix",
    "At $z = (0, 200)$ in float32, class 1 true, `-np.log(nn.softmax(z)[0])` is `inf`. "
    "Which change gives the right loss and the right gradient, at these logits and at any "
    "others?",
    (
        Option(
            "Compute the loss from the logits: `nn.logsumexp(z) - z[0]`",
            correct=True,
        ),
        Option(
            "Add a small constant inside the log: `nn.softmax(z)[0] + 1e-7`",
            why="A small constant $\\tau$ added inside the log is a common shortcut. It "
            "hides the `inf`, but caps the loss at $-\\log \\tau$ where the true loss is "
            f"{STABLE:g}, and the gradient of the capped loss is {CAPPED_GRAD:g}: the most "
            "wrong prediction learns nothing.",
        ),
        Option(
            "Compute in float64 instead of float32",
            why="float64 holds $e^{-200}$, so this case passes, but the same code fails a "
            f"little further out: at $z = (0, 800)$ softmax gives $p_1 = {P_AT_800:g}$ "
            "again, and the log is `inf`.",
        ),
    ),
    see="sec-pmy-stable",
    why=f"From the logits, nothing underflows: the loss is {STABLE:g} and the gradient is "
    "$p - y = (-1, 1)$. Pass logits to a loss that takes logits.",
)

# -- what a logits loss may be given (The double-softmax mistake) ---------------------------------
RIGHT_LOSS = Fact(
    nn.softmax_cross_entropy(Z, TRUE),
    oracle=lambda: math.log(sum(math.exp(v) for v in (1.0, 2.0, 3.0))) - 2.0,
    what="the loss at z = [1, 2, 3], class 2",
)
_Q = _softmax([1.0, 2.0, 3.0])
DOUBLE_LOSS = Fact(
    nn.softmax_cross_entropy(nn.softmax(Z), TRUE),
    oracle=lambda: -math.log(_softmax(_Q)[1]),
    what="the double-softmax loss at z = [1, 2, 3], class 2",
)
FLOOR_3 = Fact(
    nn.softmax_cross_entropy(nn.one_hot([TRUE], 3)[0], TRUE),
    oracle=lambda: math.log(math.e + 2) - 1,
    what="the floor of the double-softmax loss, K = 3",
)
HALF_LOSS = Fact(
    nn.softmax_cross_entropy(Z / 2, TRUE),
    oracle=lambda: -math.log(_softmax([0.5, 1.0, 1.5])[1]),
    what="the loss of z / 2 at z = [1, 2, 3], class 2",
)


def _same_loss(inputs: np.ndarray) -> bool:
    return bool(np.isclose(nn.softmax_cross_entropy(inputs, TRUE), RIGHT_LOSS.value, rtol=1e-12))


DOUBLE = Choice(
    "pmy-double",
    "A loss that takes logits, such as `nn.softmax_cross_entropy`, is given one of these in "
    "place of the model's logits $z$. Which give exactly the loss of $z$?",
    (
        Option(
            "`nn.softmax(z)`, the probabilities",
            correct=_same_loss(nn.softmax(Z)),
            why="That is softmax applied twice. At the running example it gives "
            f"{DOUBLE_LOSS:.3f} instead of {RIGHT_LOSS:.3f}, and however well the model "
            f"learns, the loss cannot fall below {FLOOR_3:.3f} for $K = 3$.",
        ),
        Option(
            "`nn.log_softmax(z)`, the log-probabilities",
            correct=_same_loss(nn.log_softmax(Z)),
            why="Log-softmax subtracts one number, $\\operatorname{LSE}(z)$, from every "
            "logit, and softmax ignores such a shift: applying it again is harmless.",
            see="sec-softmax-logsumexp",
        ),
        Option(
            "`z - z.max()`, the logits shifted by their maximum",
            correct=_same_loss(Z - Z.max()),
            why="The max-shift: adding one number to every logit changes no probability.",
            see="sec-softmax-stable",
        ),
        Option(
            "`z / 2`, the logits halved",
            correct=_same_loss(Z / 2),
            why="Halving the logits is a temperature $T = 2$: softer probabilities and "
            f"another loss, {HALF_LOSS:.3f} instead of {RIGHT_LOSS:.3f}. Only a shift is "
            "harmless, not a scale.",
            see="sec-softmax-temperature",
        ),
    ),
    multiple=True,
    see="sec-pmy-double",
    why="Softmax sees only differences between logits: a shift of every logit by one "
    "number changes nothing, a scale or a second softmax does.",
)

# -- the challenge, on the chapter's explorer ------------------------------------------------------
TARGET_GRAD = Challenge(
    "pmy-gradient-target",
    explorer="softmax_cross_entropy",
    goal="Make the gradient $p - y$ equal to $(0.25, -0.5, 0.25)$, each entry within 0.01, "
    "in as few moves as you can.",
    when=(
        Condition("state.grad.0", "==", 0.25, tolerance=0.01),
        Condition("state.grad.1", "==", -0.5, tolerance=0.01),
        Condition("state.grad.2", "==", 0.25, tolerance=0.01),
    ),
    fewest=2,
    why="With class 2 true, the goal asks for $p = y + (0.25, -0.5, 0.25) = (1/4, 1/2, 1/4)$: "
    "$z_1 = z_3$ and $z_2 = z_1 + \\ln 2$. Only the differences between logits matter, so "
    "every such triple does it, shifted by any one number.",
    see="sec-pmy-intuition",
)

CHECKS = (
    SIGNS,
    JACOBIAN_ENTRY,
    SHORTCUT_PREDICT,
    TARGETS,
    BATCH,
    STABLE_FIX,
    DOUBLE,
    TARGET_GRAD,
)
