"""Chapter 3, cross-entropy: its checks and its challenge, in the order of the chapter.

Every number stated or graded is a :class:`~nnmath.practice.Fact`, computed here by
nnmath when the book is built, with an oracle that computes it without nnmath (plain
Python floats, ``math`` and exact fractions).
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
from nnmath.widgets.losses import CrossEntropyExplorer

CHAPTER = "03_cross_entropy"


def _sigmoid(z: float) -> float:
    """The logistic sigmoid in plain Python, the oracle of this module."""
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


# -- the categorical loss of one sample -----------------------------------------------------------
P_ROW = np.array([0.25, 0.5, 0.25])
TRUE = 0  # class 1
LOSS_ROW = Fact(nn.cross_entropy(P_ROW, TRUE), oracle=lambda: math.log(4.0), what="-log 0.25")
EVERY_CLASS = Fact(
    nn.binary_cross_entropy(P_ROW, np.ones(3), reduction="sum"),
    oracle=lambda: -math.fsum(math.log(q) for q in (0.25, 0.5, 0.25)),
    what="-sum_i log p_i over every class",
)
PER_CLASS_BINARY = Fact(
    nn.binary_cross_entropy(P_ROW, nn.one_hot(TRUE, 3), reduction="sum"),
    oracle=lambda: -(math.log(0.25) + math.log(0.5) + math.log(0.75)),
    what="a binary loss for each class of the one-hot target",
)
LOSS_OF_LARGEST = Fact(
    nn.cross_entropy(P_ROW, int(np.argmax(P_ROW))),
    oracle=lambda: math.log(2.0),
    what="-log of the largest probability",
)

TRUE_CLASS = Number(
    "ce-true-class",
    "A model gives three classes the probabilities $p = (0.25, 0.5, 0.25)$, and the true "
    "class is class 1. What is the loss $\\ell = -\\sum_i y_i \\log p_i$? Answer to two "
    "decimals.",
    answer=LOSS_ROW,
    tolerance=0.005,
    wrong=(
        Wrong(
            EVERY_CLASS,
            "That adds $-\\log p_i$ over every class. With a one-hot target only the true "
            "class's term survives: $y_i = 0$ removes the others.",
        ),
        Wrong(
            PER_CLASS_BINARY,
            "That scores each class as a yes-or-no question of its own, a binary loss per "
            "class, as multi-label problems do. The categorical loss keeps only "
            "$-\\log p_c$; the other classes are pushed down because the probabilities sum "
            "to 1.",
        ),
        Wrong(
            LOSS_OF_LARGEST,
            "That is $-\\log$ of the largest probability, the class the model would pick. "
            "The loss looks at the probability of the true class, whatever the model picks.",
        ),
    ),
    hint="With a one-hot target, $\\ell = -\\log p_c$, with $c$ the true class.",
    see="sec-ce-definition",
    why=f"Only the true class counts: $\\ell = -\\log p_1 = \\ln 4 = {LOSS_ROW:.2f}$.",
)

# -- a loss of ln K that does not move ------------------------------------------------------------
LN10 = Fact(
    nn.cross_entropy(np.full(10, 0.1), 3), oracle=lambda: math.log(10.0), what="ln 10", rtol=1e-15
)

STUCK = Choice(
    "ce-stuck-ln-k",
    f"A classifier over 10 classes prints the loss {LN10:.4f} at step 0, and still "
    f"{LN10:.4f} after 500 steps. What does that say?",
    (
        Option(
            "It has converged: the loss is small and no longer changes",
            why="A loss that no longer changes is not a small one here: it is $\\ln 10$, "
            "what a model that knows nothing costs. A model that learns goes below it, "
            "towards 0 for one-hot targets.",
        ),
        Option(
            "It does no better than giving every class the same probability: it has "
            "learned nothing useful",
            correct=True,
        ),
        Option(
            "It is confidently wrong",
            why="A confidently wrong model costs more than $\\ln K$: it gives the true class "
            "less than $1/K$. Exactly $\\ln K$ is the uniform guess.",
        ),
        Option(
            "Nothing is wrong: a loss near $\\ln K$ is the sanity check of a first step",
            why="At step 0 it is, and the first value passes it. A loss that stays there is "
            "the symptom: something keeps the model from learning, such as zero weights, "
            "dead units, a learning rate too small, or an update that never reaches the "
            "model.",
            see="sec-trouble-ln-k",
        ),
    ),
    see="sec-ce-uniform",
    why="$\\ln K$ is the loss of the uniform guess $p_i = 1/K$. Pinned there, the model gives "
    "every class the same probability.",
)

# -- a soft target's floor ------------------------------------------------------------------------
Y_SMOOTH = np.array([0.9, 0.05, 0.05])
FLOOR = Fact(
    nn.cross_entropy(Y_SMOOTH, Y_SMOOTH),
    oracle=lambda: -math.fsum(q * math.log(q) for q in (0.9, 0.05, 0.05)),
    what="entropy of (0.9, 0.05, 0.05)",
)
ONE_HOT_FLOOR = Fact(
    nn.cross_entropy(nn.one_hot(0, 3), 0), oracle=lambda: 0.0, what="loss of a perfect p, one-hot"
)
FIRST_TERM = Fact(
    nn.cross_entropy(Y_SMOOTH, 0), oracle=lambda: -math.log(0.9), what="-log 0.9 alone"
)

SOFT_FLOOR = Number(
    "ce-soft-target",
    "On the \u201cGoing further\u201d box just above: label smoothing replaces the one-hot "
    "target $(1, 0, 0)$ by $y = (0.9, 0.05, 0.05)$. "
    "What is the smallest loss $-\\sum_i y_i \\log p_i$ that any prediction $p$ can reach? "
    "Answer to two decimals.",
    answer=FLOOR,
    tolerance=0.005,
    wrong=(
        Wrong(
            ONE_HOT_FLOOR,
            "0 is the floor of a one-hot target, reached as $p_c \\to 1$. A soft target "
            "keeps a floor above 0, its entropy $H(y)$: a loss that stops there is a "
            "perfect fit, not a stuck optimiser.",
        ),
        Wrong(
            FIRST_TERM,
            "That is the term of class 1 alone. With a soft target every class with "
            "$y_i > 0$ has a term, and the best $p$, which is $y$ itself, pays for all three.",
        ),
    ),
    hint="The best prediction is $p = y$ itself (Gibbs' inequality): put it in "
    "$-\\sum_i y_i \\log p_i$.",
    see="sec-ce-where-from",
    why=f"At $p = y$ the loss is the entropy $H(y) = {FLOOR:.2f}$, and no prediction does "
    "better: a soft target's loss never reaches 0.",
)

# -- the derivative, in the explorer --------------------------------------------------------------
NEAR_RIGHT = 0.99
SLOPE = Fact(
    nn.binary_cross_entropy_grad(np.array([NEAR_RIGHT]), np.array([1.0]), reduction="sum")[0],
    oracle=lambda: Fraction(-1) / Fraction(NEAR_RIGHT),
    what="dl/dp at p = 0.99, y = 1",
)
SLOPE_WRONG_END = Fact(
    nn.binary_cross_entropy_grad(np.array([0.01]), np.array([1.0]), reduction="sum")[0],
    oracle=lambda: Fraction(-1) / Fraction(0.01),
    what="dl/dp at p = 0.01, y = 1",
)
SLOPE_AT_OWN_LABEL = Fact(
    nn.binary_cross_entropy_grad(np.array([NEAR_RIGHT]), np.array([NEAR_RIGHT]), "sum")[0],
    oracle=lambda: 0.0,
    what="dl/dp at p = y = 0.99",
)
SLOPE_LOGIT = Fact(
    nn.binary_cross_entropy_with_logits_grad(
        np.array([math.log(NEAR_RIGHT / (1 - NEAR_RIGHT))]), np.array([1.0]), "sum"
    )[0],
    oracle=lambda: NEAR_RIGHT - 1.0,
    what="dl/dz = p - y at p = 0.99, y = 1",
    rtol=1e-9,
)
SLOPE_FLIPPED = Fact(-SLOPE.value, oracle=lambda: Fraction(1) / Fraction(NEAR_RIGHT), what="1/p")

BINARY_SLOPE = Predict(
    "ce-binary-slope",
    f"In the explorer, keep the label $y = 1$ and set the prediction to $p = {NEAR_RIGHT}$, "
    "almost right. Predict the slope of the loss there, $\\partial \\ell/\\partial p$, to "
    "two decimals.",
    explorer="cross_entropy",
    show={"y": 1, "p": NEAR_RIGHT},
    look="The panel \u201cits derivative\u201d: the blue curve of $\\partial\\ell/\\partial p$, "
    "its dot at $p$, and the readout.",
    answer=SLOPE,
    tolerance=0.005,
    wrong=(
        Wrong(
            SLOPE_WRONG_END,
            "That is how steep the loss is at the other end, where the model is wrong: "
            f"{SLOPE_WRONG_END:g} at the slider's smallest $p$. For $y = 1$ the derivative "
            "is $-1/p$, steep only near $p = 0$.",
        ),
        Wrong(
            SLOPE_AT_OWN_LABEL,
            "The derivative is 0 only where $p = y$, and the label is 1, not "
            f"{NEAR_RIGHT}: the loss keeps falling all the way to $p = 1$.",
        ),
        Wrong(
            SLOPE_LOGIT,
            "That is $p - y$, the derivative with respect to the logit $z$ behind a "
            "sigmoid. With respect to $p$ it is $(p - y)/\\bigl(p(1 - p)\\bigr)$.",
            see="sec-ce-binary",
        ),
        Wrong(
            SLOPE_FLIPPED,
            "The loss falls as $p$ rises towards the label 1, so its slope is negative.",
        ),
    ),
    hint="For $y = 1$ only $-\\log p$ is left: its derivative is $-1/p$.",
    see="sec-ce-derivative",
    why=f"For $y = 1$, $\\partial\\ell/\\partial p = -1/p = {SLOPE:.2f}$ here: close to $-1$, "
    "the gentlest slope of $-\\log p$, reached at $p = 1$. Even next to the right answer the "
    "slope is not 0; it grows without bound only at the wrong end, $p \\to 0$.",
)

# -- sum or mean, in the explorer -----------------------------------------------------------------
#: The explorer's batch: four samples over three classes, sample 1's label is a control.
BATCH = CrossEntropyExplorer.BATCH
BATCH_N = len(BATCH)

SUM_OR_MEAN = Predict(
    "ce-sum-or-mean",
    f"The explorer's batch has $N = {BATCH_N}$ samples. Predict what switching its "
    "reduction from mean to sum does.",
    explorer="cross_entropy",
    show={"reduction": "sum"},
    look="The panels \u201cper-sample loss\u201d and \u201cgradient at the true class\u201d: the "
    "bar of each sample's loss, the mean and the sum, and the pink gradient bars, which now "
    "fill their dashed outlines.",
    options=(
        Option(
            "Nothing that matters: the same predictions minimise the sum and the mean, so "
            "the gradients are the same",
            why="The same predictions minimise both, but $L_{\\text{sum}} = N L$: the batch "
            "loss and every gradient entry are $N$ times larger, and a learning rate tuned for "
            "the mean takes steps $N$ times too long.",
        ),
        Option(
            f"Every sample's loss is multiplied by {BATCH_N}",
            why="A sample's loss $\\ell_n$ does not depend on the reduction; only the way "
            "the batch's losses are combined does.",
        ),
        Option(
            "The sample losses stay; the batch loss and every gradient entry are multiplied "
            f"by {BATCH_N}",
            correct=True,
        ),
        Option(
            f"The gradient entries are divided by {BATCH_N}",
            why="It is the mean that divides by $N$. The sum keeps each sample's gradient "
            "$-1/p$ as it is.",
        ),
    ),
    see="sec-ce-sum-or-mean",
    why="$L_{\\text{sum}} = N L$: the per-sample losses are the same, and the sum's gradient is "
    "$N$ times the mean's.",
)

# -- a cap on log(0) ------------------------------------------------------------------------------
EPS = 1e-7  # the cap's threshold, tau in the book
TINY = 1e-30
CAPPED = Fact(
    nn.binary_cross_entropy(np.array([TINY + EPS]), np.array([1.0])),
    oracle=lambda: -math.log(Fraction(TINY) + Fraction(EPS)),
    what="-log(1e-30 + 1e-7)",
)
TRUE_LOSS = Fact(
    nn.binary_cross_entropy(np.array([TINY]), np.array([1.0])),
    oracle=lambda: -math.log(TINY),
    what="-log(1e-30)",
)
DECIMAL_LOG = Fact(
    nn.binary_cross_entropy(np.array([EPS]), np.array([1.0])) / math.log(10.0),
    oracle=lambda: 7.0,
    what="-log10(1e-7)",
    rtol=1e-9,
)

CAP = Number(
    "ce-log-eps",
    "Another common cap writes the loss of label 1 as $-\\log(p + \\tau)$, with "
    "$\\tau = 10^{-7}$, to avoid $\\log 0$. What loss does it give at $p = 10^{-30}$? "
    "Answer to one decimal.",
    answer=CAPPED,
    tolerance=0.05,
    wrong=(
        Wrong(
            TRUE_LOSS,
            "That is the true loss $-\\log p$, the one nnmath returns. With $\\tau$ "
            "added, $p + \\tau$ is $\\tau$ to many digits whenever $p$ is far below "
            "$\\tau$: the shortcut cannot tell $10^{-30}$ from $10^{-12}$, or from 0.",
        ),
        Wrong(
            DECIMAL_LOG,
            "That is $-\\log_{10} \\tau$. The book's logarithm is the natural one, "
            "$\\ln$, as in NumPy's `np.log`.",
        ),
    ),
    hint="$p + \\tau$ is $\\tau$ to many digits: compute $-\\ln \\tau$.",
    see="sec-ce-log0",
    why=f"Every $p$ far below $\\tau$ costs the same {CAPPED:.1f}: the loss no longer "
    "says how wrong a mistake is. The cure is not a better $\\tau$ but a loss computed "
    "from the logits.",
)


# -- probabilities or logits ----------------------------------------------------------------------
def _runs(call) -> bool:
    """Whether nnmath accepts the call (returns a number) rather than raising."""
    try:
        call()
    except ValueError:
        return False
    return True


Z123 = np.array([1.0, 2.0, 3.0])
P123 = nn.softmax(Z123)
GIVEN_LOGITS = Fact(
    nn.softmax_cross_entropy(Z123, 2),
    oracle=lambda: math.log(math.fsum(math.exp(v) for v in (1.0, 2.0, 3.0))) - 3.0,
    what="softmax cross-entropy of (1, 2, 3), class 3",
)


def _twice() -> float:
    q = [math.exp(v) for v in (1.0, 2.0, 3.0)]
    q = [v / math.fsum(q) for v in q]
    return math.log(math.fsum(math.exp(v) for v in q)) - q[2]


GIVEN_PROBABILITIES = Fact(
    nn.softmax_cross_entropy(P123, 2), oracle=_twice, what="softmax applied twice, class 3"
)
FLOOR_LOGIT = Fact(
    nn.binary_cross_entropy_with_logits(1.0, 1.0),
    oracle=lambda: -math.log(_sigmoid(1.0)),
    what="-log sigmoid(1): a logits loss given p = 1",
)

WRONG_KIND = Choice(
    "ce-wrong-input",
    "With the logits $z = (1, 2, 3)$, `p = nn.softmax(z)` and the true class 3 (label 2), "
    "which of these calls return a number, with no error, although each is given the wrong "
    "kind of input?",
    (
        Option(
            "`nn.softmax_cross_entropy(p, 2)`: probabilities where logits belong",
            correct=_runs(lambda: nn.softmax_cross_entropy(P123, 2)),
            why="Probabilities are valid logits, so nothing stops it: softmax is applied "
            f"twice, and the loss is {GIVEN_PROBABILITIES:.4f} instead of "
            f"{GIVEN_LOGITS:.4f}.",
        ),
        Option(
            "`nn.cross_entropy(z, 2)`: logits where probabilities belong",
            correct=_runs(lambda: nn.cross_entropy(Z123, 2)),
            why="`cross_entropy` takes probabilities and checks them: 2 and 3 are not "
            "probabilities, so nnmath raises an error that names `p`. This mistake is "
            "caught.",
        ),
        Option(
            "The binary loss on logits, given the probability 1 where a logit belongs, for "
            "the label 1",
            correct=_runs(lambda: nn.binary_cross_entropy_with_logits(1.0, 1.0)),
            why="`nn.binary_cross_entropy_with_logits(1.0, 1.0)` takes 1 as a logit: the loss "
            "is computed for $\\sigma(1)$, and even the "
            f"perfect prediction costs {FLOOR_LOGIT:.3f}, a floor training cannot get under.",
        ),
        Option(
            "`nn.binary_cross_entropy(2.0, 1.0)`: the logit 2 where a probability belongs",
            correct=_runs(lambda: nn.binary_cross_entropy(2.0, 1.0)),
            why="A probability must lie in $[0, 1]$, and nnmath checks it: 2 raises an error "
            "that names `p`. This mistake is caught.",
        ),
    ),
    multiple=True,
    see="sec-ce-api-inputs",
    why="A loss on logits accepts any real numbers, probabilities included, so giving it "
    "probabilities fails silently; a loss on probabilities can check what it is given.",
)

# -- behind a sigmoid: p - y ----------------------------------------------------------------------
Z_FAR = 20.0
LOGIT_GRAD = Fact(
    nn.binary_cross_entropy_with_logits_grad(Z_FAR, 0.0),
    oracle=lambda: _sigmoid(Z_FAR),
    what="dl/dz = sigmoid(20) - 0",
)
MSE_GRAD = Fact(
    nn.sigmoid(Z_FAR) * nn.sigmoid_grad(Z_FAR),
    oracle=lambda: _sigmoid(Z_FAR) ** 2 * (1.0 - _sigmoid(Z_FAR)),
    what="(p - y) sigmoid'(20), squared error",
    rtol=1e-6,
)
MIRROR = Fact(
    nn.binary_cross_entropy_with_logits_grad(-Z_FAR, 1.0),
    oracle=lambda: _sigmoid(-Z_FAR) - 1.0,
    what="dl/dz at z = -20, y = 1",
)
LOSS_FAR = Fact(
    nn.binary_cross_entropy_with_logits(Z_FAR, 0.0),
    oracle=lambda: Z_FAR + math.log1p(math.exp(-Z_FAR)),
    what="the loss at z = 20, y = 0",
)

LOGIT_SLOPE = Number(
    "ce-logit-grad",
    f"A confident mistake: the logit is $z = {Z_FAR:g}$ and the label $y = 0$. What is the "
    "gradient of the cross-entropy with respect to the logit, $\\partial\\ell/\\partial z$? "
    "Answer to two decimals.",
    answer=LOGIT_GRAD,
    tolerance=0.005,
    wrong=(
        Wrong(
            MSE_GRAD,
            "A gradient near 0 is what squared error gives, $(p - y)\\,\\sigma'(z)$: it fades "
            "where the sigmoid saturates, the learning slowdown. Cross-entropy's "
            "$1/\\bigl(p(1 - p)\\bigr)$ cancels $\\sigma'(z)$ and leaves $p - y$.",
            see="sec-ce-squared-error",
        ),
        Wrong(
            MIRROR,
            "That is the gradient of the mirror mistake, $y = 1$ at $z = -20$. Here "
            "$p \\approx 1$ and $y = 0$, so $p - y$ is positive: raising $z$ raises the loss.",
        ),
        Wrong(
            LOSS_FAR,
            "That is the loss, about $|z|$ for a confident mistake. Its slope is $p - y$, "
            "never larger than 1 in size.",
        ),
    ),
    hint="Behind a sigmoid, $\\partial\\ell/\\partial z = p - y$, with $p = \\sigma(z)$.",
    see="sec-ce-binary",
    why=f"$p - y = \\sigma({Z_FAR:g}) - 0 = {LOGIT_GRAD:.2f}$: a full push, exactly where the "
    "model is most wrong.",
)

# -- the challenge, on the chapter's explorer -----------------------------------------------------
# sample 1 in class 1, the other samples' labels as the explorer has them
BATCH_LABELS = np.array([0, *CrossEntropyExplorer.OTHER_LABELS])
TARGET = Fact(
    nn.cross_entropy_grad(BATCH, BATCH_LABELS, reduction="sum")[0, 0],
    oracle=lambda: Fraction(-1) / Fraction(0.2),
    what="dL/dp of sample 1 at class 1, with the sum",
)
AS_MEAN = Fact(
    nn.cross_entropy_grad(BATCH, BATCH_LABELS, reduction="mean")[0, 0],
    oracle=lambda: Fraction(-1) / Fraction(0.2) / 4,  # the batch's four samples
    what="the same entry with the mean",
)
P_SAMPLE1 = Fact(BATCH[0, 0], oracle=lambda: 0.2, what="sample 1's probability of class 1")

SUM_BAR = Challenge(
    "ce-gradient-bar",
    explorer="cross_entropy",
    goal=f"In the panel \u201cgradient at the true class\u201d, make the bar of sample 1 reach "
    f"{TARGET:g}, in as few moves as you can.",
    when=(Condition("state.grad.0", "==", TARGET),),
    # The binary panel's label and p move the binary curves only: the chapter invites the
    # reader to play with them just before, and those moves must not count here.
    controls=("true_class", "reduction"),
    fewest=2,
    why=f"$-1/p = {TARGET:g}$ needs the class to which sample 1 gives $p = {P_SAMPLE1:g}$, "
    f"class 1, and the sum: the mean divides by $N = {BATCH_N}$, and its bar would stop at "
    f"{AS_MEAN:g}.",
    see="sec-ce-sum-or-mean",
)

CHECKS = (
    TRUE_CLASS,
    STUCK,
    SOFT_FLOOR,
    BINARY_SLOPE,
    SUM_OR_MEAN,
    CAP,
    WRONG_KIND,
    LOGIT_SLOPE,
    SUM_BAR,
)
