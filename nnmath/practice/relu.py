"""Chapter 1, ReLU: its checks and its challenge, in the order of the chapter.

Every number stated or graded is a :class:`~nnmath.practice.Fact`, computed here by
nnmath when the book is built, with an oracle that computes it without nnmath.
"""

from __future__ import annotations

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

CHAPTER = "01_relu"


def _relu_sum(v: np.ndarray) -> float:
    return float(np.sum(nn.relu(v)))


def _central(x: float, h: float, alpha: float | None = None) -> float:
    """nnmath's central difference of ReLU (or Leaky ReLU) at x with step h."""
    if alpha is None:
        f = _relu_sum
    else:

        def f(v: np.ndarray) -> float:
            return float(np.sum(nn.leaky_relu(v, alpha=alpha)))

    return float(nn.numerical_gradient(f, np.array([x]), eps=h)[0])


def _exact_central(x: float, h: float, alpha: float = 0.0) -> Fraction:
    """The same central difference in exact rational arithmetic."""
    xf, hf, af = Fraction(x), Fraction(h), Fraction(alpha)

    def leaky(v: Fraction) -> Fraction:
        return v if v > 0 else af * v

    return (leaky(xf + hf) - leaky(xf - hf)) / (2 * hf)


# -- the subgradient interval ---------------------------------------------------------------------
# A slope s is a subgradient of ReLU at 0 when the line s*x stays on or below the graph.
_GRID = np.linspace(-3.0, 3.0, 601)


def _under_the_graph(s: float) -> bool:
    return bool(np.all(nn.relu(_GRID) >= s * _GRID))


SUBGRADIENTS = Choice(
    "relu-subgradients",
    "Which of these slopes $s$ are subgradients of ReLU at $x = 0$, that is, the line "
    "$y = s\\,x$ never rises above the graph of ReLU?",
    (
        Option(
            "$s = 0$",
            correct=_under_the_graph(0.0),
            why="The flat line $y = 0$ touches the graph on the left and stays under it on "
            "the right: 0 is the left end of the interval $[0, 1]$.",
        ),
        Option(
            "$s = 0.5$",
            correct=_under_the_graph(0.5),
            why="Any slope between the two one-sided slopes, 0 and 1, stays under the graph.",
        ),
        Option(
            "$s = 1$",
            correct=_under_the_graph(1.0),
            why="The line $y = x$ runs along the right branch and below 0 on the left: "
            "1 is the right end of the interval.",
        ),
        Option(
            "$s = 1.3$",
            correct=_under_the_graph(1.3),
            why="A subgradient is not any number near the slopes: the line $y = 1.3\\,x$ "
            "rises above ReLU for every $x > 0$. Only slopes in $[0, 1]$ stay under it.",
        ),
        Option(
            "$s = -0.3$",
            correct=_under_the_graph(-0.3),
            why="For $x < 0$ the line $y = -0.3\\,x$ is positive, above ReLU's 0 there. "
            "A subgradient lies between the one-sided slopes, 0 and 1.",
        ),
    ),
    multiple=True,
    see="sec-relu-subgradient",
    why="The subgradients at the kink form the interval $[0, 1]$, between the slope on the "
    "left and the slope on the right.",
)

# -- the convention, in the explorer --------------------------------------------------------------
RELU_GRAD_0 = Fact(
    nn.relu_grad(np.array([0.0]))[0], oracle=lambda: 0.0, what="ReLU'(0) by convention"
)
FD_AT_0 = Fact(
    _central(0.0, 1e-6),
    oracle=lambda: _exact_central(0.0, 1e-6),
    what="central difference of ReLU at 0, h = 1e-6",
)
FORWARD_AT_0 = Fact(
    (nn.relu(1e-6) - nn.relu(0.0)) / 1e-6,
    oracle=lambda: 1.0,
    what="forward difference of ReLU at 0",
)

CONVENTION = Predict(
    "relu-kink-readout",
    "The explorer of this chapter draws ReLU and its slope, with a readout of both at a "
    "point. Predict what the readout shows for the slope at $x = 0$.",
    explorer="relu",
    show={"alpha": 0.0, "x": 0.0},
    look="The readout says the slope at the kink, and the derivative panel draws it as "
    "a dot at $x = 0$.",
    options=(
        Option(
            f"{RELU_GRAD_0:g}",
            correct=True,
            why="ReLU has no derivative at 0, but the explorer needs a number there: like "
            "PyTorch, TensorFlow, JAX and nnmath, it uses the convention 0, the left slope.",
        ),
        Option(
            f"{FD_AT_0:g}",
            why=f"{FD_AT_0:g} is one of the slopes between the two sides, but it is not the "
            "value that the `relu` of PyTorch, TensorFlow, JAX or nnmath uses at 0 (some "
            f"other ways of writing ReLU do give {FD_AT_0:g}).",
            see="sec-relu-frameworks",
        ),
        Option(
            f"{FORWARD_AT_0:g}",
            why=f"{FORWARD_AT_0:g} is the slope on the right, what `x >= 0` gives. The "
            "convention takes the left slope, 0, and tests `x > 0`.",
        ),
        Option(
            "No number: the readout leaves the slope out at the kink",
            why="There is no derivative at 0, but training needs a number at every input, "
            "so the explorer, like every library, shows the value of a convention.",
        ),
    ),
    see="sec-relu-convention",
)

# -- the central difference at and near the kink --------------------------------------------------
FD_AT_KINK = Choice(
    "relu-fd-at-kink",
    f"At $x = 0$ a central difference of ReLU gives {FD_AT_0:g} for every step $h$. What "
    "does that tell you about ReLU′(0)?",
    (
        Option("Nothing about ReLU′(0): there is no derivative there to find", correct=True),
        Option(
            f"ReLU′(0) = {FD_AT_0:g}",
            why="A finite difference at a kink does not tell you the derivative: with one "
            "point on each side it averages the two slopes, and there is no derivative to "
            "find.",
        ),
        Option(
            "The convention ReLU′(0) = 0 is wrong, since the gradient check fails there",
            why="The check fails because of where it was made, not because of the derivative: "
            "check gradients at points farther than $h$ from every kink.",
        ),
    ),
    see="sec-relu-gradcheck",
    why=f"{FD_AT_0:g} is the average of the one-sided slopes, 0 and 1: at the kink the "
    "central difference says only that they differ. Check gradients away from kinks.",
)

NEAR_X, NEAR_H = 5e-7, 1e-6
NEAR = Fact(
    _central(NEAR_X, NEAR_H),
    oracle=lambda: _exact_central(NEAR_X, NEAR_H),
    what="central difference of ReLU at 5e-7, h = 1e-6",
)
TRUE_SLOPE = Fact(nn.relu_grad(np.array([NEAR_X]))[0], oracle=lambda: 1.0, what="ReLU'(5e-7)")

NEAR_KINK = Number(
    "relu-near-kink",
    "A gradient check evaluates ReLU at $x = 5\\times10^{-7}$ with the step "
    "$h = 10^{-6}$. What does the central difference $\\bigl(f(x + h) - f(x - h)\\bigr)/(2h)$ "
    "give? Answer to two decimals.",
    answer=NEAR,
    tolerance=0.005,
    wrong=(
        Wrong(
            TRUE_SLOPE,
            "That is the true derivative at $x > 0$, but here $|x| < h$: the point "
            "$x - h$ lies left of the kink, so the difference mixes both slopes.",
        ),
        Wrong(
            FD_AT_0,
            f"{FD_AT_0:g} is the value exactly at the kink. At $x$ slightly above 0 the "
            "right side weighs more: $(x + h)/(2h)$.",
        ),
    ),
    hint="Work out $f(x + h) = x + h$ and $f(x - h) = 0$ (that point is negative), then "
    "divide their difference by $2h$.",
    see="sec-relu-gradcheck",
    why="Near the kink ($|x| < h$) the two points straddle 0 and the central difference is "
    "$(x + h)/(2h)$, neither 0 nor 1: check gradients farther than $h$ from every kink.",
)

# -- integer derivatives --------------------------------------------------------------------------
_z = np.array([-1.5, 0.5, -0.2], dtype=np.float32)
_direct = np.where(_z > 0, 1, 0.1)  # 0.1 given to np.where: one array for both values
# the facts the options of relu-leak-where state, for a float32 z:
assert _direct.dtype == np.float64  # not int64 (0.1 is a float), not float32 (z's dtype)
assert _direct[0] == 0.1  # nothing truncated
assert np.where(_z > 0, 1, 0).dtype.kind == "i"  # the shortcut: both values ints
assert _direct.astype(_z.dtype).dtype == np.float32  # what keeps float32

INTEGER_LEAK = Choice(
    "relu-leak-where",
    "With a float32 array `z`, a second attempt at the Leaky ReLU derivative gives "
    "the leak slope to `np.where` itself: `local = np.where(z > 0, 1, 0.1)`. Which dtype "
    "does `local` have?",
    (
        Option(
            "int64",
            correct=_direct.dtype == np.int64,
            why="`np.where` picks one dtype that holds both of its values, and `1` with "
            "`0.1` makes float64: only the shortcut's `1` and `0` made an integer array.",
        ),
        Option(
            "float32",
            correct=_direct.dtype == np.float32,
            why="`np.where` does not look at the dtype of `z`, only at the values it is "
            "given: the Python float `0.1` makes float64, not float32.",
        ),
        Option(
            "float64",
            correct=_direct.dtype == np.float64,
            why="The Python float `0.1` makes the array float64, whatever the dtype of "
            "`z`; `.astype(z.dtype)` keeps float32, as `nnmath` does.",
        ),
    ),
    see="sec-relu-float",
    why="Nothing is truncated, but the array is float64, not the float32 of `z`, so its "
    "product with a float32 gradient is float64; `.astype(z.dtype)` keeps float32.",
)

# -- dead units -----------------------------------------------------------------------------------
DEAD_GRADIENT = Choice(
    "relu-dead-gradient",
    "A unit is off ($z_n \\le 0$) on every input of the training set, and the layers "
    "above send back large negative $\\partial L/\\partial a_n$: the loss would fall fast "
    "if the unit's output grew. What is $\\partial L/\\partial b$?",
    (
        Option("0", correct=True),
        Option(
            "Negative, so that a gradient step raises $b$ and turns the unit back on",
            why="That is what the loss would want, but the gradient reaches $b$ only "
            "through ReLU′$(z_n)$, which is 0 on every input: the wish never arrives.",
        ),
        Option(
            "Small but not zero, so the unit slowly comes back",
            why="That is Leaky ReLU, whose slope $\\alpha$ keeps a small gradient. A ReLU "
            "unit that is off everywhere gets exactly 0 in every term.",
            see="sec-relu-leaky",
        ),
        Option(
            "It depends on $\\partial L/\\partial a_n$, what the layers above send back",
            why="Every term of the sum multiplies $\\partial L/\\partial a_n$ by "
            "ReLU′$(z_n) = 0$, so whatever the layers above send, the sum is 0.",
        ),
    ),
    see="sec-relu-dead",
    why="Each term has the factor ReLU′$(z_n) = 0$: the gradient of a dead unit is exactly "
    "zero, and nothing in it moves the unit back.",
)

# -- Leaky ReLU at its kink, in the explorer ------------------------------------------------------
LEAKY_ALPHA = 0.2
LEAKY_AT_0 = Fact(
    nn.leaky_relu_grad(np.array([0.0]), alpha=LEAKY_ALPHA)[0],
    oracle=lambda: LEAKY_ALPHA,
    what="Leaky ReLU'(0) with alpha = 0.2, by nnmath's convention",
)
LEAKY_RIGHT = Fact(
    nn.leaky_relu_grad(np.array([1.0]), alpha=LEAKY_ALPHA)[0],
    oracle=lambda: 1.0,
    what="Leaky ReLU's slope on the right",
)
LEAKY_FD = Fact(
    _central(0.0, 1e-6, alpha=LEAKY_ALPHA),
    oracle=lambda: _exact_central(0.0, 1e-6, LEAKY_ALPHA),
    what="central difference of Leaky ReLU (alpha = 0.2) at 0",
    rtol=1e-9,
)

LEAKY_KINK = Predict(
    "relu-leaky-kink",
    f"Set the leak to $\\alpha = {LEAKY_ALPHA}$ and the point to $x = 0$. Predict the slope "
    "$f'(0)$ that nnmath, and so the explorer, gives Leaky ReLU there.",
    explorer="relu",
    show={"alpha": LEAKY_ALPHA, "x": 0.0},
    look="The blue dot at $x = 0$ in the derivative panel, and the readout.",
    answer=LEAKY_AT_0,
    tolerance=1e-6,
    wrong=(
        Wrong(
            LEAKY_RIGHT,
            "That is the slope on the right of the kink. nnmath takes the left slope at 0, "
            "$\\alpha$, so that $\\alpha = 0$ gives ReLU′(0) = 0.",
        ),
        Wrong(
            LEAKY_FD,
            "That is what a central difference gives at the kink, the average of the two "
            "slopes $\\alpha$ and 1, not the convention.",
            see="sec-relu-gradcheck",
        ),
    ),
    hint="At the kink the subdifferential is $[\\alpha, 1]$; which end does nnmath take?",
    see="sec-relu-leaky",
    why="nnmath takes the left slope at the kink: $\\alpha$, which for $\\alpha = 0$ is "
    "ReLU's convention, 0.",
)

# -- the challenge, on the chapter's explorer -----------------------------------------------------
NO_SLOPE = Challenge(
    "relu-zero-slope",
    explorer="relu",
    goal="A unit whose slope is 0 passes no gradient back. With the explorer above, make "
    "the slope $f'(x)$ at the point exactly 0, in as few moves as you can.",
    when=(Condition("state.df", "==", 0.0),),
    fewest=2,
    why="Only plain ReLU ($\\alpha = 0$) has slope 0, on the whole left side and at the "
    "kink by convention. With any leak $\\alpha > 0$ the slope there is $\\alpha$: the "
    "gradient that lets a dead unit come back.",
    see="sec-relu-leaky",
)

CHECKS = (
    SUBGRADIENTS,
    CONVENTION,
    FD_AT_KINK,
    NEAR_KINK,
    INTEGER_LEAK,
    DEAD_GRADIENT,
    LEAKY_KINK,
    NO_SLOPE,
)
