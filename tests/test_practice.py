"""The practice catalogue (nnmath.practice): its numbers, its declarations, its challenges.

Generic over the registry: a chapter's new catalogue module is taken up by every test
here with no test code of its own.

* Every number a check states or grades is a Fact computed by nnmath; each is compared
  with its oracle, computed without nnmath, here.
* Texts state no decimal number that is neither computed (a Fact) nor given in the
  question or the options.
* Every section label a check points to is declared in a chapter.
* Every challenge: the goal does not hold at its explorer's defaults, and a search of the
  explorer's controls, computed by nnmath (the explorer's Python state), finds a solution
  in the fewest moves the challenge claims, and none in fewer.
* Declaring something wrong fails at once, with a message that names it.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from practice_support import control_grid, search_solution

import nnmath.practice as practice_module
from nnmath.practice import (
    CHAPTERS,
    CHECKS,
    MODULES,
    Challenge,
    Choice,
    Condition,
    DeclarationError,
    Fact,
    Number,
    Option,
    Predict,
    Wrong,
    facts_of,
    practice,
    progress,
    validate,
)
from nnmath.widgets import EXPLORERS

ROOT = Path(__file__).resolve().parents[1]
IDS = list(CHECKS)
CHALLENGES = [i for i in IDS if isinstance(CHECKS[i], Challenge)]
ALL_FACTS = [fact for module in MODULES.values() for fact in facts_of(module)]


# -- the numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fact", ALL_FACTS, ids=[f"{f.module}:{f.what}" for f in ALL_FACTS])
def test_every_fact_equals_its_oracle(fact: Fact) -> None:
    expected = float(fact.oracle())
    assert math.isclose(fact.value, expected, rel_tol=fact.rtol, abs_tol=fact.atol), (
        f"{fact.what}: nnmath gives {fact.value!r}, the oracle {expected!r}"
    )


def test_every_graded_number_is_a_fact_of_its_chapter() -> None:
    for check_id, check in CHECKS.items():
        module = MODULES[practice_module.chapter_of(check_id)]
        answers = [check.answer] if getattr(check, "answer", None) is not None else []
        answers += [w.value for w in getattr(check, "wrong", ())]
        for fact in answers:
            assert isinstance(fact, Fact) and fact.module == module, (check_id, fact)


DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?:e[-+]?\d+)?|(?<![\w.])\d+e[-+]?\d+")


def _texts(spec: Any) -> list[str]:
    """Every text of a spec (its segments' contents), in order."""
    if (
        isinstance(spec, list)
        and spec
        and all(isinstance(s, list) and len(s) == 2 and isinstance(s[0], str) for s in spec)
    ):
        return [content for _, content in spec]
    if isinstance(spec, dict):
        return [t for value in spec.values() for t in _texts(value)]
    if isinstance(spec, list):
        return [t for value in spec for t in _texts(value)]
    return []


def _decimals(texts: list[str]) -> set[str]:
    return {m.group(0) for text in texts for m in DECIMAL.finditer(text)}


@pytest.mark.parametrize("check_id", IDS)
def test_no_result_is_typed_by_hand(check_id: str) -> None:
    """A decimal number in feedback, hints or goals is a Fact's text, or a given of the
    question or of an option (an input the reader is told, not a result)."""
    check = CHECKS[check_id]
    spec = check.spec()
    module = MODULES[practice_module.chapter_of(check_id)]
    computed = {text.lstrip("-") for fact in facts_of(module) for text in fact.shown}
    given = _decimals(_texts(spec.get("question")) + _texts(spec.get("goal")))
    given |= _decimals([t for o in spec.get("options", []) for t in _texts(o["text"])])
    rest = {k: v for k, v in spec.items() if k not in ("question", "options")}
    rest["options_why"] = [o["why"] for o in spec.get("options", [])]
    typed = _decimals(_texts(rest)) - computed - given
    assert not typed, f"{check_id}: numbers typed by hand, not computed: {sorted(typed)}"


# -- labels, and where each check is shown --------------------------------------------------------
def _book_labels() -> set[str]:
    labels = set()
    for path in [*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("*.md")]:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        labels |= set(re.findall(r"^\(([^)\s]+)\)=\s*$", text, re.M))
    return labels


def test_every_label_is_a_section_of_the_book() -> None:
    validate(labels=_book_labels())


def test_validate_names_an_unknown_label() -> None:
    with pytest.raises(DeclarationError, match="sec-relu-gradcheck"):
        validate(["relu-near-kink"], labels={"sec-relu-float"})


# -- challenges: reachable in the fewest moves claimed, not met at the start ----------------------
@pytest.mark.parametrize("check_id", CHALLENGES)
def test_a_challenge_is_met_in_the_fewest_moves_it_claims(check_id: str) -> None:
    challenge = CHECKS[check_id]
    found = search_solution(challenge, most=challenge.fewest or 3)
    assert found is not None, f"{check_id}: no setting of the controls meets the goal"
    moves, values = found
    assert moves > 0, f"{check_id}: the goal holds at the explorer's defaults"
    if challenge.fewest is not None:
        assert moves == challenge.fewest, (
            f"{check_id} claims {challenge.fewest} moves; {moves} suffice: {values}"
        )


NARROWED = [i for i in CHALLENGES if CHECKS[i].controls is not None]


@pytest.mark.parametrize("check_id", NARROWED)
def test_the_controls_whose_moves_do_not_count_cannot_change_the_goal(check_id: str) -> None:
    """A challenge that counts the moves of some controls only: each other control, set to
    every value it takes, alone and all together, leaves the goal as it was (met or not),
    from the defaults, from a solution and from random settings of the counted controls,
    the explorer's state computed by nnmath."""
    challenge = CHECKS[check_id]
    cls = EXPLORERS[challenge.explorer]
    explorer = cls()
    grids = {c.name: control_grid(c) for c in cls.CONTROLS}
    counted = challenge.counted
    others = [name for name in grids if name not in counted]
    assert others, f"{check_id}: names every control of its explorer; drop controls="
    rng = np.random.default_rng(0)

    def pick(name: str) -> Any:
        return grids[name][int(rng.integers(len(grids[name])))]

    found = search_solution(challenge, most=challenge.fewest or 3)
    assert found is not None
    start = dict(explorer.values)
    bases = [start, found[1]]
    bases += [{**start, **{name: pick(name) for name in counted}} for _ in range(20)]
    met_somewhere = False
    for base in bases:
        met = challenge.met(base, explorer.compute(base))
        met_somewhere |= met
        moved = [{**base, name: value} for name in others for value in grids[name]]
        moved += [{**base, **{name: pick(name) for name in others}} for _ in range(20)]
        for values in moved:
            assert challenge.met(values, explorer.compute(values)) == met, (
                f"{check_id}: moving {others} changes the goal from {base} to {values}"
            )
    assert met_somewhere


def test_the_cross_entropy_challenge_counts_the_batch_controls_only() -> None:
    """The binary panel's label y and prediction p draw the binary curves; the bar of
    sample 1 in the gradient panel is -1/p of its true class, divided by N for the mean:
    nothing of y or p, so their moves do not count."""
    challenge = CHECKS["ce-gradient-bar"]
    assert set(challenge.counted) == {"true_class", "reduction"}
    assert challenge.spec()["controls"] == ["true_class", "reduction"]
    batch = EXPLORERS["cross_entropy"].BATCH
    target = challenge.when[0].target
    assert target == pytest.approx(-1 / batch[0][0], rel=1e-12)  # class 1, summed
    assert challenge.fewest == 2


def test_the_relu_challenge_needs_no_leak_and_a_point_left_of_the_kink() -> None:
    """The solution the search finds, read as a reader would: alpha = 0 and x <= 0."""
    moves, values = search_solution(CHECKS["relu-zero-slope"])
    assert moves == 2 and values["alpha"] == 0.0 and values["x"] <= 0.0
    assert np.asarray(EXPLORERS["relu"]().compute(values)["df"]) == 0.0


# -- a key read off runs: chapter 6's loss stuck at ln K -------------------------------------------
def test_the_stuck_check_is_right_exactly_where_its_run_prints_ln_10_throughout() -> None:
    """Each option of ``trouble-stuck-ln-k`` is one change to the run its question states
    (ten balanced classes, He weights, learning rate 1, 500 steps). It is right exactly
    when every loss of that run, printed to four decimals, reads as ln 10 does. The runs
    here are the plain-NumPy oracle's, the printing Python's."""
    from nnmath.practice import troubleshooting as t

    assert np.bincount(t.Y10).tolist() == [t.PER_CLASS] * 10
    question = t.STUCK.question
    assert "He-initialised" in question and f"{t.PER_CLASS} points in every class" in question
    runs = {
        "Every weight initialised to 0": t._by_hand(t.ZEROS),
        "Every hidden bias initialised to -10": t._by_hand(t.DEAD),
        "A learning rate of $10^{-9}$": t._by_hand(t.HE, lr=1e-9),
        "`param = param - lr * grad` in a loop over the parameters": t._by_hand(
            t.HE, applied=False
        ),
        "Softmax applied twice": t._by_hand(t.HE, double_softmax=True),
        # One step suffices: it has left ln 10 by then (500 would overflow).
        "`param += lr * grad`: the sign of the update flipped": t._by_hand(t.HE, lr=-1.0, steps=1),
    }
    assert sorted(o.text for o in t.STUCK.options) == sorted(runs)
    ln_10 = f"{math.log(10):.4f}"
    for option in t.STUCK.options:
        printed = {f"{loss:.4f}" for loss in runs[option.text]}
        assert option.correct == (printed == {ln_10}), (option.text, sorted(printed)[:3])
    right = [o.text for o in t.STUCK.options if o.correct]
    assert right == ["Every weight initialised to 0", "Every hidden bias initialised to -10"]
    # The double softmax's feedback: with tiny weights it too prints ln 10 throughout.
    assert {f"{loss:.4f}" for loss in t._by_hand(t.TINY, double_softmax=True)} == {ln_10}


def test_zero_weights_leave_the_loss_at_ln_10_only_with_balanced_classes() -> None:
    """The zero-weight option's feedback: with unbalanced classes the output biases learn
    the class frequencies and the loss falls."""
    from nnmath.network import fit
    from nnmath.practice import troubleshooting as t

    ln_10 = f"{math.log(10):.4f}"
    balanced = fit(t.ZEROS, t.X10, t.Y10, lr=1.0, steps=t.STEPS).loss
    assert {f"{loss:.4f}" for loss in balanced} == {ln_10}
    keep = np.r_[np.arange(t.PER_CLASS), np.arange(t.PER_CLASS, len(t.Y10), 3)]  # class 1 x3
    unbalanced = fit(t.ZEROS, t.X10[keep], t.Y10[keep], lr=1.0, steps=t.STEPS).loss
    assert f"{unbalanced[0]:.4f}" == ln_10 and unbalanced[-1] < math.log(10) - 0.05


def test_a_run_too_near_the_rounding_edge_is_refused() -> None:
    from nnmath.practice.troubleshooting import _stays

    assert _stays(Fact(1e-5, oracle=lambda: 1e-5, what="a small drift (test)"))
    assert not _stays(Fact(1e-3, oracle=lambda: 1e-3, what="a large drift (test)"))
    with pytest.raises(DeclarationError, match="a drift at the edge"):
        _stays(Fact(5e-5, oracle=lambda: 5e-5, what="a drift at the edge (test)"))


# -- display --------------------------------------------------------------------------------------
def test_practice_shows_checks_of_one_chapter_in_the_page_version() -> None:
    out = practice("relu-near-kink", "relu-dead-gradient")
    html = out.page_html()
    assert html.startswith('<div class="nnmath-practice" data-chapter="01_relu">')
    spec = json.loads(re.search(r"<script[^>]*>(.*?)</script>", html, re.S).group(1))
    assert [item["id"] for item in spec["items"]] == ["relu-near-kink", "relu-dead-gradient"]
    assert spec["items"][0]["answer"] == CHECKS["relu-near-kink"].answer.value


def test_progress_lists_the_chapters_checks_and_challenges() -> None:
    spec = progress("01_relu").spec["progress"]
    assert spec["checks"] + spec["challenges"] == [
        i for i in CHAPTERS["01_relu"] if i in spec["checks"] + spec["challenges"]
    ]
    assert set(spec["challenges"]) == {i for i in CHAPTERS["01_relu"] if i in CHALLENGES}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: practice(), "at least one"),
        (lambda: practice("relu-nope"), "not declared"),
        (lambda: practice("relu-near-kink", "relu-near-kink"), "same id twice"),
        (lambda: progress("99_nothing"), "chapter must be one of"),
    ],
)
def test_practice_refuses_what_it_cannot_show(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# -- declarations that are refused, with a message naming what is wrong ---------------------------
HALF = Fact(0.5, oracle=lambda: 0.5, what="a half (test)")
ONE = Fact(1.0, oracle=lambda: 1.0, what="one (test)")
RIGHT, WRONG = Option("a", correct=True), Option("b", why="the b mistake")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Choice("x-no-right", "Q?", (WRONG, Option("c", why="c")), see="s"), "no right"),
        (lambda: Choice("x-two", "Q?", (RIGHT, Option("c", correct=True)), see="s"), "multiple"),
        (lambda: Choice("x-silent", "Q?", (RIGHT, Option("c")), see="s"), "says nothing"),
        (lambda: Choice("x-one", "Q?", (RIGHT,), see="s"), "at least two"),
        (lambda: Choice("x-same", "Q?", (RIGHT, Option("a", why="w")), see="s"), "same text"),
        (lambda: Choice("Bad Id", "Q?", (RIGHT, WRONG), see="s"), "lowercase"),
        (lambda: Choice("x-dollar", "costs $5?", (RIGHT, WRONG), see="s"), "unmatched"),
        (lambda: Choice("x-see", "Q?", (RIGHT, WRONG), see="not a label!"), "label"),
        (lambda: Number("x-typed", "Q?", answer=0.5, tolerance=0.1, see="s", hint="h"), "Fact"),
        (
            lambda: Number(
                "x-close", "Q?", answer=HALF, tolerance=0.6, see="s", hint="h",
                wrong=(Wrong(ONE, "w"),),
            ),
            "within the tolerance",
        ),
        (
            lambda: Predict("x-both", "Q?", explorer="relu", show={"x": 0.0}, look="l", see="s",
                            options=(RIGHT, WRONG), answer=HALF, tolerance=0.1, hint="h"),
            "not both",
        ),
        (
            lambda: Predict("x-explorer", "Q?", explorer="nope", show={"x": 0.0}, look="l",
                            see="s", options=(RIGHT, WRONG)),
            "explorer must be one of",
        ),
        (
            lambda: Predict("x-control", "Q?", explorer="relu", show={"beta": 0.0}, look="l",
                            see="s", options=(RIGHT, WRONG)),
            "no control of explorer 'relu'",
        ),
        (
            lambda: Predict("x-range", "Q?", explorer="relu", show={"x": 9.0}, look="l",
                            see="s", options=(RIGHT, WRONG)),
            "takes values in",
        ),
        (
            lambda: Challenge("x-cond", explorer="relu", goal="g", see="s", why="w",
                              when=(Condition("values.beta", "==", 0),)),
            "names no control",
        ),
        (
            lambda: Challenge("x-counts", explorer="relu", goal="g", see="s", why="w",
                              when=(Condition("state.df", "==", 0),), controls=("beta",)),
            "controls names 'beta', no control of explorer 'relu'",
        ),
        (
            lambda: Challenge("x-counts-str", explorer="relu", goal="g", see="s", why="w",
                              when=(Condition("state.df", "==", 0),), controls="alpha"),
            "controls must be a tuple",
        ),
        (
            lambda: Challenge("x-counts-twice", explorer="relu", goal="g", see="s", why="w",
                              when=(Condition("state.df", "==", 0),),
                              controls=("alpha", "alpha")),
            "names a control twice",
        ),
        (
            lambda: Challenge("x-counts-goal", explorer="relu", goal="g", see="s", why="w",
                              when=(Condition("values.x", "<", 0),), controls=("alpha",)),
            "the goal names control 'x', whose moves do not count",
        ),
        (
            lambda: Challenge("x-counts-search", explorer="relu", goal="g", see="s", why="w",
                              when=(Condition("state.df", "==", 0),), controls=("alpha",),
                              search={"x": [0.0]}),
            "search tries control 'x', whose moves do not count",
        ),
        (lambda: Condition("state.df", "=~", 0), "op must be one of"),
        (lambda: Condition("df", "==", 0), "path must be"),
        (lambda: Fact(float("nan"), oracle=lambda: 0, what="nan"), "finite"),
    ],
)  # fmt: skip
def test_a_wrong_declaration_is_refused_with_a_clear_message(make: Any, message: str) -> None:
    with pytest.raises(DeclarationError, match=message):
        make()


def test_validate_names_an_unknown_state_key_and_a_goal_met_at_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unknown = Challenge("x-state", explorer="relu", goal="g", see="s", why="w",
                        when=(Condition("state.slope", "==", 0),))  # fmt: skip
    met = Challenge("x-met", explorer="relu", goal="g", see="s", why="w",
                    when=(Condition("values.x", ">", 0),))  # fmt: skip
    checks = {**CHECKS, "x-state": unknown, "x-met": met}
    monkeypatch.setattr(practice_module._catalogues, "checks", checks)
    with pytest.raises(DeclarationError, match=r"'state\.slope' is not in the state"):
        validate(["x-state"])
    with pytest.raises(DeclarationError, match="already holds at the explorer's defaults"):
        validate(["x-met"])


def test_a_duplicate_id_or_chapter_is_refused() -> None:
    from types import SimpleNamespace

    from nnmath.practice import collect

    check = CHECKS["relu-near-kink"]
    a = SimpleNamespace(__name__="a", CHAPTER="01_a", CHECKS=(check,))
    b = SimpleNamespace(__name__="b", CHAPTER="02_b", CHECKS=(check,))
    c = SimpleNamespace(__name__="c", CHAPTER="01_a", CHECKS=())
    with pytest.raises(DeclarationError, match="duplicate id 'relu-near-kink': in b and in a"):
        collect([a, b])
    with pytest.raises(DeclarationError, match="both declare CHAPTER = '01_a'"):
        collect([a, c])
    with pytest.raises(DeclarationError, match="must define CHAPTER"):
        collect([SimpleNamespace(__name__="d")])


def test_importing_the_package_imports_no_catalogue_and_a_chapter_waits_for_its_own() -> None:
    """A catalogue computes its facts when imported (chapter 6's trains eight networks), so
    ``import nnmath.practice`` imports none, and a chapter's ``practice`` and ``progress``
    import the catalogues in name order only until theirs is in: chapter 1's notebook never
    waits for chapter 6's training runs. Run in a fresh interpreter."""
    import subprocess
    import sys

    script = """
import json, sys
import nnmath.practice as p
names = p._catalogue_names()
imported = lambda: [name for name in names if name in sys.modules]
seen = {"names": names, "at import": imported()}
p.practice("relu-dead-gradient"), p.progress("01_relu")
seen["chapter 1"] = imported()
p.CHECKS
seen["CHECKS"] = imported()
print(json.dumps(seen))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert len(seen["names"]) == 6
    assert seen["at import"] == []
    assert "nnmath.practice.relu" in seen["chapter 1"]
    assert "nnmath.practice.troubleshooting" not in seen["chapter 1"]
    assert seen["CHECKS"] == seen["names"]


def test_the_additive_cap_cannot_tell_tiny_probabilities_apart() -> None:
    """The feedback of ``ce-log-eps``: -log(p + 1e-7) is the same to one decimal at
    p = 1e-30, 1e-12 and 0, but not at 1e-8 (there p + eps is 10 % above eps)."""
    from nnmath.practice.cross_entropy import CAP

    feedback = " ".join(wrong.why for wrong in CAP.wrong)
    assert "$10^{-30}$ from $10^{-12}$, or from 0" in feedback
    capped = {p: round(-math.log(p + 1e-7), 1) for p in (1e-30, 1e-12, 0.0, 1e-8)}
    assert capped[1e-30] == capped[1e-12] == capped[0.0] == 16.1
    assert capped[1e-8] != capped[0.0]
