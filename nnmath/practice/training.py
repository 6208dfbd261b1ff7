"""Chapter 5, the capstone: its checks and its challenge, in the order of the chapter.

Every number stated or graded is a :class:`~nnmath.practice.Fact`, computed here by
nnmath when the book is built, with an oracle that computes it without nnmath. The
training numbers' oracle is :func:`_plain_run`, the chapter's network written again in
NumPy alone: its data by the spiral's formula, its initial weights by He's, its forward
and backward pass and its steps. Everything here trains for a few steps only, so that
importing the catalogue stays quick.
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np

import nnmath as nn
from nnmath import network
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

CHAPTER = "05_training"

X, Y = network.make_spiral()
N = len(Y)
#: The explorer's network and penalty: 100 hidden units, lambda = 1e-3.
HIDDEN, REG = 100, 1e-3


def _plain_run(lr: float, steps: int, hidden: int = HIDDEN, reg: float = REG) -> dict[str, Any]:
    """The chapter's training run in NumPy alone: dead fraction and accuracy at each step.

    The spiral of ``make_spiral()`` (100 points a class, noise 0.2, seed 0) by its formula,
    He's initial weights drawn from a generator seeded with 0 (W1, then W2), zero biases,
    and full-batch gradient descent on the mean cross-entropy plus (reg / 2)|W|^2.
    """
    noise = np.random.default_rng(0)
    per_class, classes = 100, 3
    r = np.tile(np.linspace(0.0, 1.0, per_class), classes)
    labels = np.repeat(np.arange(classes), per_class)
    theta = 4.0 * (labels + r) + 0.2 * noise.standard_normal(per_class * classes)
    inputs = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    n = len(labels)
    init = np.random.default_rng(0)
    W1 = math.sqrt(2.0 / 2) * init.standard_normal((2, hidden))
    W2 = math.sqrt(2.0 / hidden) * init.standard_normal((hidden, classes))
    b1, b2 = np.zeros(hidden), np.zeros(classes)
    dead, accuracy = [], []
    for step in range(steps + 1):
        Z1 = inputs @ W1 + b1
        A = np.maximum(Z1, 0.0)
        Z2 = A @ W2 + b2
        dead.append(float(np.mean(np.all(Z1 <= 0.0, axis=0))))
        accuracy.append(float(np.mean(np.argmax(Z2, axis=1) == labels)))
        if step == steps:
            break
        e = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
        dZ2 = e / e.sum(axis=1, keepdims=True)
        dZ2[np.arange(n), labels] -= 1.0
        dZ2 /= n
        dW2, db2 = A.T @ dZ2 + reg * W2, dZ2.sum(axis=0)
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0.0)
        dW1, db1 = inputs.T @ dZ1 + reg * W1, dZ1.sum(axis=0)
        W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
    return {"dead": dead, "accuracy": accuracy}


# -- why a hidden layer (A linear classifier cannot do it) -----------------------------------------
LINEAR_FIX = Choice(
    "training-linear-fix",
    "A linear classifier reaches only about half of the spiral's points, and no more with "
    "more training. Which change lets a model classify the spiral?",
    (
        Option(
            "Train it longer, or with a larger learning rate",
            why="Training finds the best straight boundaries; it cannot bend them. Each class "
            "of a linear classifier gets one convex wedge of the plane, and a spiral arm is "
            "not convex.",
        ),
        Option(
            "Put a hidden layer of 100 units in front of it, with no activation function",
            why="Two linear layers make one: $(XW_1 + \\mathbf{1} b_1^\\top)W_2$ is "
            "$X(W_1W_2)$ plus a constant, a linear classifier again, with the same wedges.",
        ),
        Option("Put a hidden layer of ReLU units in front of it", correct=True),
        Option(
            "Replace cross-entropy by squared error",
            why="The loss changes how the weights are found, not which boundaries the model "
            "can draw: they stay straight lines.",
        ),
    ),
    see="sec-training-linear",
    why="The ReLU is the bend: each hidden unit adds a line along which the boundaries can "
    "change direction.",
)

# -- the bias's gradient is a sum (The derivative: backpropagation) -------------------------------
START = network.TwoLayerNet.init(2, HIDDEN, 3, seed=0)
_, START_GRADS = START.loss_and_grads(X, Y)


def _b2_loss(b2: np.ndarray) -> float:
    return replace(START, b2=b2).loss_and_grads(X, Y)[0]


def _b2_grad_averaged(b2: np.ndarray) -> np.ndarray:
    """db2 averaged over the samples once more: the 1/N taken twice."""
    return replace(START, b2=b2).loss_and_grads(X, Y)[1].b2 / N


TWICE_ERROR = Fact(
    nn.gradient_check(_b2_loss, _b2_grad_averaged, START.b2),
    oracle=lambda: Fraction(N - 1, N),
    what="gradient check of db2 divided by N once more",
    rtol=1e-6,
)

BIAS_SUM = Choice(
    "training-bias-sum",
    "The loss $L$ is a mean over the $N$ samples, yet $db_2$ is the sum of the rows of "
    "$dZ_2$, one a sample. Which statements are true?",
    (
        Option(
            "The mean's $1/N$ is already in $dZ_2 = (P - Y)/N$",
            correct=True,
            why="Rule 1 divides by $N$ once, at the top; everything below inherits it.",
        ),
        Option(
            "$b_2$ enters the logits of every sample with factor 1, and the chain rule adds "
            "up these paths",
            correct=True,
            why="One parameter used $N$ times gets the sum of the $N$ contributions.",
        ),
        Option(
            "It should be their average: the sum makes $db_2$ $N$ times too large",
            why="Averaging again divides by $N$ twice, a slip of sum against mean: $db_2$ "
            "is then $N$ times too small, and a gradient check reports a relative error of "
            f"{TWICE_ERROR:.4f}, which is $(N - 1)/N$ for $N = 300$.",
            see="sec-ce-sum-or-mean",
        ),
        Option(
            "$db_2$ is 0, since every row of $P - Y$ sums to 0",
            correct=bool(np.all(START_GRADS.b2 == 0)),
            why="Each row of $P - Y$ sums to 0 across the classes; $db_2$ adds up each "
            "column over the samples, which is 0 only if each class's predicted probability, "
            "averaged over the samples, equals the share of the samples in that class.",
        ),
    ),
    multiple=True,
    see="sec-training-backprop",
    why="The $1/N$ of the mean sits in $dZ_2$; below it a shared parameter sums its "
    "samples' contributions.",
)

# -- the first loss (Sanity checks before training) ------------------------------------------------
K4 = 4
_UNIFORM_4 = np.zeros((N, K4))
_LABELS_4 = np.arange(N) % K4
LN_4 = Fact(
    nn.softmax_cross_entropy(_UNIFORM_4, _LABELS_4),
    oracle=lambda: math.log(4),
    what="the mean loss of a uniform guess over 4 classes",
)
QUARTER = Fact(nn.softmax(np.zeros(K4))[0], oracle=lambda: Fraction(1, 4), what="1/K, K = 4")
LOG10_4 = Fact(
    nn.softmax_cross_entropy(np.zeros(K4), 0) / nn.softmax_cross_entropy(np.zeros(10), 0),
    oracle=lambda: math.log10(4),
    what="log10(4), the loss in base 10",
)
LN_3 = Fact(
    nn.softmax_cross_entropy(np.zeros((N, 3)), np.arange(N) % 3),
    oracle=lambda: math.log(3),
    what="the mean loss of a uniform guess over 3 classes, the spiral's",
)
SUM_4 = Fact(
    nn.softmax_cross_entropy(_UNIFORM_4, _LABELS_4, reduction="sum"),
    oracle=lambda: N * math.log(4),
    what="the summed loss of a uniform guess over 4 classes, N = 300",
)

FIRST_LOSS = Number(
    "training-first-loss",
    "A network for 4 classes starts with tiny weights, so every logit is nearly 0. What "
    "mean loss should it print at step 0, over its $N = 300$ samples? Answer to two "
    "decimals.",
    answer=LN_4,
    tolerance=0.005,
    wrong=(
        Wrong(
            QUARTER,
            "That is the probability that the uniform guess gives each class. The loss of "
            "a sample is minus the log of its true class's probability.",
            see="sec-ce-uniform",
        ),
        Wrong(
            LOG10_4,
            "That is the logarithm in base 10. Cross-entropy, like every formula of this "
            "book, uses the natural logarithm.",
            see="sec-ce-uniform",
        ),
        Wrong(
            LN_3,
            f"{LN_3:.2f} is $\\ln 3$, the first loss for the spiral's three classes. This "
            "network has four.",
        ),
        Wrong(
            SUM_4,
            "That is the sum of the 300 samples' losses. The loss here is their mean, "
            "whatever the number of samples.",
            see="sec-ce-sum-or-mean",
        ),
    ),
    hint="With every logit 0, softmax is uniform: each class gets $1/K$. The loss of each "
    "sample is then $-\\log(1/K)$.",
    see="sec-training-sanity",
    why="A uniform guess over $K$ classes costs $\\ln K$, here $\\ln 4$, for every sample, "
    "and so on average: a first loss far from it means a bug or weights far too large.",
)

# -- the size of a mini-batch gradient (Mini-batches) ----------------------------------------------
BATCH_GRADIENT = Choice(
    "training-batch-gradient",
    "You go from full-batch steps on all 300 points to mini-batches of 10, with the same "
    "mean loss. How does the gradient of one step compare with the full batch's?",
    (
        Option(
            "The same on average, but noisy: it changes from batch to batch",
            correct=True,
        ),
        Option(
            "About 30 times smaller, since a batch holds 30 times fewer samples",
            why="That is what the gradient of a sum would do. The mean divides by the "
            "batch's own size, so a batch's gradient is the full one on average.",
            see="sec-ce-sum-or-mean",
        ),
        Option(
            "Equal to it: each batch's mean is the mean of the whole data set",
            why="Ten points out of 300 give an estimate of the full gradient, off by noise "
            "that shrinks only like $1/\\sqrt B$.",
        ),
    ),
    see="sec-training-sgd",
    why="The mean keeps the scale: a batch's gradient is the full one on average. The noise "
    "grows as the batch shrinks, and a noisier step must be a smaller one: the best learning "
    "rate grows with the batch.",
)

# -- every unit dead (Dead ReLUs), in the explorer -------------------------------------------------
LR_DEAD = 10.0
EARLY = 20  # steps: every unit is dead well before, and stays dead
_early = network.train(X, Y, hidden=HIDDEN, lr=LR_DEAD, steps=EARLY, reg=REG)
ALL_DEAD_STEP = Fact(
    int(np.argmax(_early.dead_fraction == 1.0)),
    oracle=lambda: _plain_run(LR_DEAD, EARLY)["dead"].index(1.0),
    what="the first step at which every hidden unit is dead, lr 10",
)
DEAD_ACCURACY = Fact(
    _early.accuracy[-1],
    oracle=lambda: Fraction(100, 300),  # one class everywhere, right on its 100 points
    what="the training accuracy once every unit is dead, lr 10",
)
assert _early.dead_fraction[-1] == 1.0, "every unit must be dead by step 20 at lr 10"

DEAD_ACCURACY_PREDICT = Predict(
    "training-dead-accuracy",
    "At learning rate 10, suppose the steps kill every hidden unit. Predict the training "
    "accuracy that the explorer will show after 1000 steps.",
    explorer="training",
    show={"lr": LR_DEAD},
    look="The readout: the accuracy and the dead units at step 1000, and the panel of "
    "predicted regions, in one colour.",
    options=(
        Option(
            "Close to 100%: a larger step only trains faster",
            why="A larger step is not a faster road: past some size, a step overshoots, and "
            "at rate 10 the first few steps push every unit's line off the data.",
            see="sec-training-gd",
        ),
        Option(
            "About the linear classifier's: the output layer is still a linear model",
            why="The output layer sees only the hidden units' outputs, all 0 when they are "
            "dead: its logits are the constant $b_2$, not a function of the input.",
        ),
        Option(
            f"{DEAD_ACCURACY:.0%}: one class for every input",
            correct=True,
        ),
        Option(
            "0%: a dead network gets every point wrong",
            why="A constant prediction is right for every point of its own class, and each "
            "class holds a third of the spiral.",
        ),
    ),
    see="sec-training-dead",
    why="With every unit dead, the hidden layer outputs 0 for every input, so the logits "
    "are $b_2$ everywhere: one class wins everywhere, right on its third of the points. A "
    "dead unit gets no gradient from the data, so the network stays dead; only $b_2$ "
    "still learns.",
)

# -- one bit apart (One bit apart) -----------------------------------------------------------------
CHAOS = Choice(
    "training-chaos",
    "Two runs at learning rate 3 start from networks that differ in the last bit of one "
    "weight, and end with different units dead. What does that tell you?",
    (
        Option(
            "Training at this rate is chaotic: a tiny difference grows, so one run's "
            "numbers are an example, not a law",
            correct=True,
        ),
        Option(
            "One of the two programs has a bug",
            why="Both are the same correct program; only the start differs, by one bit. At "
            "learning rate 1 the same difference stays at the level of rounding.",
        ),
        Option(
            "float64 is not precise enough: with more bits the runs would agree",
            why="More bits make the first difference smaller, not its growth: a chaotic run "
            "multiplies any difference, so the runs would part later, not never.",
        ),
        Option(
            "A learning rate of 3 cannot train this network",
            why="It trains: every such run reaches a fair accuracy, with some units dead and "
            "the loss spiking. Only its exact numbers are not reproducible.",
        ),
    ),
    see="sec-training-chaos",
    why="At a large learning rate, whether an overshooting step leaves a unit on or off can "
    "hang on the last bit: report the pattern, not one run's numbers.",
)

# -- the challenge, on the chapter's explorer ------------------------------------------------------
ALL_DEAD = Challenge(
    "training-all-dead",
    explorer="training",
    goal="With the 100 hidden units of the explorer above, set the learning rate to 10 and "
    "find the first training step at which every hidden unit is dead, in as few moves as "
    "you can.",
    when=(
        Condition("values.hidden", "==", HIDDEN),
        Condition("values.lr", "==", LR_DEAD),
        Condition("state.dead", "==", 1.0),
        Condition("values.step", "<=", ALL_DEAD_STEP),
    ),
    fewest=2,
    search={"lr": [0.1, 0.3, 1.0, 3.0, 10.0], "step": list(range(0, 31))},
    why=f"From step {ALL_DEAD_STEP:g} on, no unit fires for any input: the data's gradient "
    "of every hidden weight and bias is exactly 0, so none comes back, and the accuracy "
    f"stays at {DEAD_ACCURACY:.0%}.",
    see="sec-training-dead",
)

CHECKS = (
    LINEAR_FIX,
    BIAS_SUM,
    FIRST_LOSS,
    BATCH_GRADIENT,
    DEAD_ACCURACY_PREDICT,
    CHAOS,
    ALL_DEAD,
)
