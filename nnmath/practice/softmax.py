"""Chapter 2, softmax: its checks and its challenges, in the order of the chapter.

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

CHAPTER = "02_softmax"


def _softmax(z: list[float], t: float = 1.0) -> list[float]:
    """Softmax in plain Python, the oracle of this module (with the max-shift)."""
    m = max(v / t for v in z)
    e = [math.exp(v / t - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


# The chapter's running example, and the explorer's defaults.
Z = np.array([1.0, 2.0, 3.0])
P = nn.softmax(Z)


# -- shift invariance -----------------------------------------------------------------------------
def _unchanged(transformed: np.ndarray) -> bool:
    return bool(np.allclose(nn.softmax(transformed), P, rtol=1e-12, atol=0.0))


SHIFT = Choice(
    "softmax-shift",
    "Which of these leave the probabilities $\\operatorname{softmax}(z)$ of $z = (1, 2, 3)$ "
    "unchanged?",
    (
        Option(
            "Add 100 to every logit",
            correct=_unchanged(Z + 100.0),
            why="The factor $e^{100}$ appears in every term of the numerator and of the sum, "
            "and cancels.",
        ),
        Option(
            "Multiply every logit by 2",
            correct=_unchanged(2.0 * Z),
            why="Scaling is not shifting: multiplying by 2 is dividing by a temperature "
            "$T = 1/2$, and the probabilities sharpen towards class 3.",
            see="sec-softmax-temperature",
        ),
        Option(
            "Subtract the smallest logit from every logit",
            correct=_unchanged(Z - Z.min()),
            why="Any shift of every logit by the same number works, not only by the largest "
            "logit: the probabilities stay the same.",
        ),
        Option(
            "Divide every logit by their sum, so that they add up to 1",
            correct=_unchanged(Z / Z.sum()),
            why="Logits that add up to 1 are not probabilities. Dividing them by their sum, "
            "6, is a temperature $T = 6$, and the probabilities flatten towards $1/3$.",
            see="sec-softmax-temperature",
        ),
        Option(
            "Add 1 to $z_3$ only",
            correct=_unchanged(Z + np.array([0.0, 0.0, 1.0])),
            why="Only the differences between logits matter, and this changes two of them: "
            "class 3 gains probability and the other two lose some.",
        ),
    ),
    multiple=True,
    see="sec-softmax-definition",
    why="Only the differences $z_i - z_j$ matter: adding the same number to every logit "
    "changes nothing, while scaling the logits changes the probabilities.",
)

# -- the max-shift --------------------------------------------------------------------------------
Z_BIG = Z + 997.0
P3_BIG = Fact(
    nn.softmax(Z_BIG)[2],
    oracle=lambda: _softmax([998.0, 999.0, 1000.0])[2],
    what="p_3 of softmax(998, 999, 1000)",
)
SMALLEST = Fact(
    np.finfo(np.float64).smallest_subnormal,
    oracle=lambda: Fraction(1, 2**1074),
    what="the smallest positive float64",
)

MAX_SHIFT = Choice(
    "softmax-max-shift",
    "`nn.softmax` subtracts the largest logit $m$ from every logit before it exponentiates. "
    "What does that change in the probabilities it returns?",
    (
        Option(
            "Nothing: the probabilities are the same; only the overflow is gone",
            correct=True,
        ),
        Option(
            "They become an approximation, good when the logits are close together",
            why="The shift is exact, not an approximation: the factor $e^{-m}$ cancels "
            "between the numerator and the sum, whether the logits are close or far apart.",
            see="sec-softmax-definition",
        ),
        Option(
            "The largest class gets probability 1, since its term is $e^{0} = 1$",
            why="$e^{0} = 1$ is the numerator of the largest class, not its probability: it "
            "is divided by the sum, which lies between 1 and $K$. At $z = (998, 999, 1000)$, "
            f"$p_3$ is {P3_BIG:.3f}, as at $z = (1, 2, 3)$.",
        ),
        Option(
            "Tiny probabilities now round to 0 where the textbook formula kept them",
            why="The textbook formula loses them first: its exponentials overflow or "
            "underflow long before the shifted ones. After the shift a term is 0 only when "
            f"its probability is below {SMALLEST:.0e}, the smallest positive float64, and "
            "0 is then the correctly rounded answer.",
        ),
    ),
    see="sec-softmax-stable",
    why="Every exponent $z_j - m$ is at most 0, so nothing overflows, and the sum lies "
    "between 1 and $K$, never 0: the same probabilities, computed safely.",
)

# -- one entry of the Jacobian --------------------------------------------------------------------
Z_LN2 = np.array([0.0, 0.0, math.log(2.0)])
P_LN2 = nn.softmax(Z_LN2)
J_LN2 = nn.softmax_jacobian(Z_LN2)
PL1 = Fact(P_LN2[0], oracle=lambda: Fraction(1, 4), what="p_1 at z = (0, 0, ln 2)")
PL3 = Fact(P_LN2[2], oracle=lambda: Fraction(1, 2), what="p_3 at z = (0, 0, ln 2)")
D13 = Fact(J_LN2[0, 2], oracle=lambda: Fraction(-1, 8), what="dp_1/dz_3 at z = (0, 0, ln 2)")
D13_DIAGONAL_ONLY = Fact(
    np.diag(P_LN2 * (1.0 - P_LN2))[0, 2],
    oracle=lambda: 0.0,
    what="entry (1, 3) of the diagonal-only derivative",
)
D13_FLIPPED = Fact(-J_LN2[0, 2], oracle=lambda: Fraction(1, 8), what="p_1 p_3, sign flipped")
D33 = Fact(J_LN2[2, 2], oracle=lambda: Fraction(1, 4), what="dp_3/dz_3 at z = (0, 0, ln 2)")
D11 = Fact(J_LN2[0, 0], oracle=lambda: Fraction(3, 16), what="dp_1/dz_1 at z = (0, 0, ln 2)")

JACOBIAN_ENTRY = Number(
    "softmax-jacobian-entry",
    f"At $z = (0, 0, \\log 2)$ softmax gives $p = ({PL1:g}, {PL1:g}, {PL3:g})$. What is "
    "$\\partial p_1/\\partial z_3$, the rate at which $p_1$ changes as $z_3$ rises? Answer "
    "to three decimals.",
    answer=D13,
    tolerance=0.0005,
    wrong=(
        Wrong(
            D13_DIAGONAL_ONLY,
            "That is the diagonal-only derivative: $p_i(1 - p_i)$ is only the diagonal of "
            "the Jacobian. Off the diagonal $\\partial p_1/\\partial z_3 = -p_1 p_3$: raising "
            "$z_3$ takes probability from class 1.",
        ),
        Wrong(
            D13_FLIPPED,
            "The size is right, the sign is not: raising $z_3$ gives class 3 more "
            "probability, so every other class gets less. The entry is $-p_1 p_3$.",
        ),
        Wrong(
            D33,
            "That is $\\partial p_3/\\partial z_3 = p_3(1 - p_3)$, how class 3 responds to "
            "its own logit. The question asks how $p_1$ responds.",
        ),
        Wrong(
            D11,
            "That is $\\partial p_1/\\partial z_1 = p_1(1 - p_1)$, how $p_1$ responds to its "
            "own logit. Here the logit that moves is $z_3$.",
        ),
    ),
    hint="Use $\\partial p_i/\\partial z_j = p_i(\\delta_{ij} - p_j)$ with $i = 1$ and $j = 3$.",
    see="sec-softmax-jacobian",
    why=f"$\\partial p_1/\\partial z_3 = -p_1 p_3 = {D13:g}$: what class 3 gains as $z_3$ "
    "rises, the other classes lose.",
)

# -- a row of the Jacobian, in the explorer -------------------------------------------------------
Z5 = np.array([1.0, 2.0, 3.0, 0.0, -1.0])  # the explorer's five default logits
J5 = nn.softmax_jacobian(Z5)
# What the look says of row 2: one positive entry, four negative, the last of them -0.00 at
# the heatmap's two decimals (K = 5).
assert J5[1, 1] > 0 and (np.delete(J5[1], 1) < 0).all() and round(float(J5[1, 4]), 2) == 0
ROW_SUM = Fact(
    J5[1].sum(), oracle=lambda: 0.0, what="sum of row 2 of the Jacobian, K = 5", atol=1e-15
)
P_SUM = Fact(
    nn.softmax(Z5).sum(),
    oracle=lambda: math.fsum(_softmax([1.0, 2.0, 3.0, 0.0, -1.0])),
    what="sum of the probabilities, K = 5",
)
ROW_DIAGONAL = Fact(
    J5[1, 1],
    oracle=lambda: (lambda q: q * (1.0 - q))(_softmax([1.0, 2.0, 3.0, 0.0, -1.0])[1]),
    what="dp_2/dz_2, K = 5",
)

ROW_SUM_CHECK = Predict(
    "softmax-row-sum",
    "Set $K = 5$ in the explorer, with its logits $(1, 2, 3, 0, -1)$. Predict the sum of "
    "the five entries of row 2 of the Jacobian, $\\sum_j \\partial p_2/\\partial z_j$, to "
    "two decimals.",
    explorer="softmax",
    show={"classes": 5},
    look="Row 2 of the heatmap: its diagonal entry is positive, the other four negative, "
    "the last so small that it rounds to zero at two decimals and keeps only its minus sign. "
    "Add the five numbers.",
    answer=ROW_SUM,
    tolerance=0.005,
    wrong=(
        Wrong(
            P_SUM,
            "1 is the sum of the probabilities. A row of the Jacobian holds how $p_2$ "
            "responds to each logit; moving every logit by the same amount moves nothing, "
            "so these responses add up to 0.",
        ),
        Wrong(
            ROW_DIAGONAL,
            "That is the diagonal entry $p_2(1 - p_2)$ alone. The other entries of the row "
            "are $-p_2 p_j$, negative, and they cancel it exactly.",
        ),
    ),
    hint="Row 2 holds $p_2(1 - p_2)$ and $-p_2 p_j$ for every $j \\ne 2$: add them, using "
    "$\\sum_j p_j = 1$.",
    see="sec-softmax-jacobian-properties",
    why="$p_2(1 - p_2) - p_2 \\sum_{j \\ne 2} p_j = p_2 (1 - \\sum_j p_j) = 0$: every row "
    "sums to 0, for any $K$ and any logits. It is shift invariance again.",
)

# -- the chain rule through softmax ---------------------------------------------------------------
ONES = np.ones(3)
VJP_SUM = nn.softmax_jacobian(Z).T @ ONES
DIAGONAL = P * (1.0 - P)
#: J^T (1, 1, 1) is 0 to rounding (each entry below 1e-15): the right option.
VJP_IS_ZERO = bool(np.all(np.abs(VJP_SUM) < 1e-15))
DIAG = [
    Fact(
        DIAGONAL[i],
        oracle=lambda i=i: (lambda q: q * (1.0 - q))(_softmax([1.0, 2.0, 3.0])[i]),
        what=f"p_{i + 1}(1 - p_{i + 1}) at z = (1, 2, 3)",
    )
    for i in range(3)
]
PS = [
    Fact(P[i], oracle=lambda i=i: _softmax([1.0, 2.0, 3.0])[i], what=f"p_{i + 1} at (1, 2, 3)")
    for i in range(3)
]


def _vector(facts: list[Fact], spec: str) -> str:
    return "(" + ", ".join(format(f, spec) for f in facts) + ")"


VJP_CONSTANT = Choice(
    "softmax-vjp-constant",
    "Take the loss $\\ell = p_1 + p_2 + p_3$ at $z = (1, 2, 3)$, so that "
    "$v = \\partial \\ell/\\partial p = (1, 1, 1)$. What is "
    "$\\partial \\ell/\\partial z = J^\\top v$?",
    (
        Option(
            f"${_vector(DIAG, '.3f')}$, the diagonal $p_i(1 - p_i)$",
            why="That is the diagonal-only derivative: it forgets that raising one logit "
            "lowers the other probabilities. With the whole Jacobian the terms cancel.",
            see="sec-softmax-jacobian",
        ),
        Option("$(0, 0, 0)$", correct=VJP_IS_ZERO),
        Option(
            "$(1, 1, 1)$: the upstream gradient passes through",
            why="Softmax is not the identity: the chain rule multiplies $v$ by $J^\\top$, and "
            "every row and column of $J$ sums to 0.",
        ),
        Option(
            f"${_vector(PS, '.3f')}$, that is $p \\odot v$",
            why="That is the formula without its second term: $(v \\cdot p)\\,\\mathbf{1}$ is "
            "subtracted from $v$ first, and here $v \\cdot p = 1$, so $v - \\mathbf{1} = 0$.",
        ),
    ),
    see="sec-softmax-vjp",
    why="$\\sum_i p_i = 1$ whatever the logits are, so its gradient is 0: every $p_i$ "
    "moves, but their sum never does.",
)

# -- temperature and the gradient, in the explorer ------------------------------------------------
COLD = 0.1
J_COLD = nn.softmax_jacobian(Z / COLD)
LARGEST_COLD = Fact(
    np.abs(J_COLD).max(),
    oracle=lambda: max((lambda q: q * (1.0 - q))(v) for v in _softmax([1.0, 2.0, 3.0], COLD)),
    what="largest entry of diag(p) - p p^T at T = 0.1",
    rtol=1e-9,
)

LARGEST_COLD_GRAD = Fact(
    np.abs(nn.softmax_jacobian(Z / COLD)).max() / COLD,
    oracle=lambda: (
        max((lambda q: q * (1.0 - q))(v) for v in _softmax([1.0, 2.0, 3.0], COLD)) / COLD
    ),
    what="largest entry of (diag(p) - p p^T) / T at T = 0.1: the Jacobian of softmax(z / T)",
    rtol=1e-9,
)
COLD_JACOBIAN = Predict(
    "softmax-cold-jacobian",
    f"In the explorer, set the temperature to $T = {COLD}$, with the logits $(1, 2, 3)$. "
    "Predict what its Jacobian panel shows.",
    explorer="softmax",
    show={"temperature": COLD},
    look="The Jacobian's heatmap, and the bars of $p$: class 3 holds almost all the probability.",
    options=(
        Option(
            "Larger entries than at $T = 1$: a sharper softmax passes more gradient",
            why="A common belief: sharper probabilities, stronger gradient. The opposite "
            "holds: near a corner of the triangle every $p_i(1 - p_i)$ and every $p_i p_j$ "
            "is close to 0. The softmax saturates.",
        ),
        Option(
            "Every entry close to 0: $p$ is nearly one-hot, and "
            "$\\operatorname{diag}(p) \\approx p\\,p^\\top$",
            correct=True,
        ),
        Option(
            "The same matrix as at $T = 1$: a temperature changes $p$, not its derivative",
            why="The matrix is $\\operatorname{diag}(p_T) - p_T\\,p_T^\\top$, built from the "
            "new probabilities $p_T$: when they change, every entry changes.",
        ),
        Option(
            "About $2/9$ on the diagonal and $-1/9$ elsewhere",
            why="That is the other end, $T \\to \\infty$, where $p_T$ approaches the uniform "
            "$1/K$. A low temperature sends $p_T$ to a corner.",
        ),
    ),
    see="sec-softmax-temperature-gradient",
    why=f"At $T = {COLD}$ the largest entry of this matrix is {LARGEST_COLD:.1e}, and "
    f"{LARGEST_COLD_GRAD:.1e} once multiplied by $1/T$: almost no gradient passes back "
    "through a saturated softmax.",
)

# -- log-sum-exp ----------------------------------------------------------------------------------
TIE = np.array([3.0, 3.0])
LSE_TIE = Fact(nn.logsumexp(TIE), oracle=lambda: 3.0 + math.log(2.0), what="LSE(3, 3)", rtol=1e-15)
MAX_TIE = Fact(TIE.max(), oracle=lambda: 3.0, what="max(3, 3)")
SUM_TIE = Fact(TIE.sum(), oracle=lambda: 6.0, what="3 + 3, the logs of e^3 and e^3 summed")
LSE_SHIFTED = Fact(
    nn.logsumexp(TIE - TIE.max()), oracle=lambda: math.log(2.0), what="LSE(0, 0) = ln 2"
)

LSE = Number(
    "softmax-lse",
    "Log-sum-exp is a smooth maximum. What is $\\operatorname{LSE}(3, 3) = "
    "\\log(e^{3} + e^{3})$? Answer to two decimals.",
    answer=LSE_TIE,
    tolerance=0.005,
    wrong=(
        Wrong(
            MAX_TIE,
            "That is the maximum itself. LSE lies above it, by at most $\\log K$, and by the "
            "most when the logits tie: neither term dominates the sum.",
        ),
        Wrong(
            SUM_TIE,
            "The logarithm of a sum is not the sum of the logarithms: "
            "$\\log(e^3 + e^3) \\ne \\log e^3 + \\log e^3$.",
        ),
        Wrong(
            LSE_SHIFTED,
            "That is the logarithm of the shifted sum, $\\log(e^{0} + e^{0})$. The max-shift "
            "form adds the shift back: $\\operatorname{LSE}(z) = m + \\log \\sum_j e^{z_j - m}$.",
        ),
    ),
    hint="Use the max-shift form, $m + \\log \\sum_j e^{z_j - m}$, with $m = 3$.",
    see="sec-softmax-logsumexp",
    why=f"$\\operatorname{{LSE}}(3, 3) = 3 + \\log 2 = {LSE_TIE:.2f}$: above the maximum, by "
    "$\\log K$ at most, reached when the logits tie.",
)

# -- the challenges, on the chapter's explorer ----------------------------------------------------
COUPLING_GOAL = -0.24  # a given of the goal: close to the bound -1/4 below
QUARTER = Fact(
    np.max(nn.softmax_jacobian(np.array([0.0, 0.0])).diagonal()),
    oracle=lambda: Fraction(1, 4),
    what="the largest p_i (1 - p_i) can be, at p_i = 1/2",
)

COUPLING = Challenge(
    "softmax-coupling",
    explorer="softmax",
    goal="Off the diagonal, an entry of the Jacobian is $-p_i\\,p_j$. At $T = 1$, make "
    f"$\\partial p_1/\\partial z_2$ (row 1, column 2) reach {COUPLING_GOAL} or below, in as "
    "few moves as you can.",
    when=(
        Condition("values.temperature", "==", 1.0),
        Condition("state.jacobian.0.1", "<=", COUPLING_GOAL),
    ),
    fewest=2,
    why="$-p_1 p_2$ is largest in size when classes 1 and 2 share the probability evenly "
    "and the others have almost none: then raising $z_2$ takes from class 1 what class 2 "
    f"gains. Such an entry is as large as a diagonal one ever gets, {QUARTER:g} in size, "
    "and a diagonal-only derivative would drop it.",
    see="sec-softmax-jacobian",
)

SAME = [
    Fact(P[i], oracle=lambda i=i: _softmax([1.0, 2.0, 3.0])[i], what=f"p_{i + 1}, the target")
    for i in range(3)
]
SAME_POINT = Challenge(
    "softmax-same-point",
    explorer="softmax",
    goal="From the explorer's starting logits $z = (1, 2, 3)$ (press Start over), change all "
    "three logits and land back on the probabilities they give, "
    f"$p = ({SAME[0]:.3f}, {SAME[1]:.3f}, {SAME[2]:.3f})$, to three decimals.",
    when=(
        Condition("values.z1", "!=", 1.0),
        Condition("values.z2", "!=", 2.0),
        Condition("values.z3", "!=", 3.0),
        Condition("state.K", "==", 3),
        *(Condition(f"state.p.{i}", "==", SAME[i], tolerance=5e-4) for i in range(3)),
    ),
    # Three moves at least, one a logit; the search tries a few values of each (a product
    # of three full sliders would be four million states), a common shift among them.
    # z4 and z5 move p only when K > 3, where the goal (K = 3) cannot hold.
    controls=("classes", "temperature", "z1", "z2", "z3"),
    fewest=3,
    search={"z1": [0.0, 1.5, 2.0], "z2": [1.0, 2.5, 3.0], "z3": [2.0, 3.5, 4.0]},
    why="Adding the same number to every logit changes nothing: the line $z + s\\,\\mathbf{1}$ "
    "lands on one point of the triangle. Multiplying every logit and the temperature by the "
    "same number works too.",
    see="sec-softmax-simplex",
)

CHECKS = (
    SHIFT,
    MAX_SHIFT,
    JACOBIAN_ENTRY,
    ROW_SUM_CHECK,
    VJP_CONSTANT,
    COLD_JACOBIAN,
    LSE,
    COUPLING,
    SAME_POINT,
)
