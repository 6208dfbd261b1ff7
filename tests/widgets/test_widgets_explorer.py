"""The explorers as widgets: values in, state out, computed by nnmath and held to closed forms.

Each explorer is an anywidget whose ``state`` (the numbers its view draws) follows its
``values``; here every state is checked against an independent computation: the formula
by hand in NumPy, SciPy, or central differences. (That the page's JavaScript computes the
same state is ``tests/browser/test_explorer_states.py``.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import anywidget
import exact
import numpy as np
import pytest
import scipy.special

from nnmath import network
from nnmath.widgets import EXPLORERS, ActivationExplorer, Choice, explore
from nnmath.widgets.explorer import STATIC, grid_of

RTOL = 1e-12


def close(got, expected, rtol=RTOL, atol=0.0) -> None:
    np.testing.assert_allclose(
        np.asarray(got, float), np.asarray(expected, float), rtol=rtol, atol=atol
    )


@pytest.fixture(params=sorted(n for n in EXPLORERS if n != "training"))
def name(request: pytest.FixtureRequest) -> str:
    return request.param


# -- the widget ------------------------------------------------------------------------------
def test_every_explorer_is_an_anywidget_with_the_packages_view(name: str) -> None:
    ex = explore(name)
    assert isinstance(ex, anywidget.AnyWidget)
    assert ex._esm == (STATIC / "widget.js").read_text(encoding="utf-8")
    assert ex._css == (STATIC / "explorers.css").read_text(encoding="utf-8")
    for trait in ("spec", "values", "state"):
        assert ex.trait_metadata(trait, "sync"), f"{trait} is synced with the view"
    assert ex.values == {c.name: c.value for c in ex.CONTROLS}
    assert ex.spec["view"] == (ex.view or name) and ex.spec["title"] == ex.title
    json.dumps(ex.state, allow_nan=False)  # plain JSON: no NaN, no NumPy types


#: Each explorer's title, its figure's accessible name. It names the panels by what they
#: show, never by where: a phone shows them one under another, where "(left)" or "(top)"
#: would point the wrong way.
TITLES = {
    "relu": "Leaky ReLU and its derivative, with plain ReLU for reference",
    "gelu": "GELU(x) and its derivative, with a point x and the tangent there",
    "softmax": "Softmax probabilities as bars, and the heatmap of its Jacobian diag(p) − p pᵀ",
    "cross_entropy": (
        "Binary cross-entropy and its derivative against p, the predicted probability that "
        "y = 1; then, for a batch over classes 1 to 3, the per-sample losses with their mean "
        "and sum, and the gradient that the mean divides by N"
    ),
    "softmax_cross_entropy": (
        "Softmax + cross-entropy: bars of p, y and the gradient p − y for each class, and "
        "the loss against the true class's logit, with its tangent"
    ),
    "training": (
        "Decision regions of a two-layer ReLU network on the spiral of classes 1 to 3, and "
        "its training loss against the step"
    ),
}


def test_an_activation_explorer_names_its_formula_as_the_chapters_write_it() -> None:
    """The explorer of an activation labels its curves, axes and title with the operator
    the chapters' formulas use (GELU(x), as in ``\\operatorname{GELU}``), not with the
    Python function's name (gelu(x))."""
    chapters = Path(__file__).resolve().parents[2] / "chapters"
    source = "".join(p.read_text(encoding="utf-8") for p in chapters.glob("*.ipynb"))
    shown = {n: c for n, c in EXPLORERS.items() if issubclass(c, ActivationExplorer)}
    assert "gelu" in shown
    for name, cls in shown.items():
        label = cls().page_config()["label"]
        written = "\\\\sigma" if label == "σ" else f"\\\\operatorname{{{label}}}"
        assert written in source, f"{name}: the chapters never write {written}"
        assert cls.title.startswith(f"{label}(x) "), cls.title


PLACE = re.compile(r"\b(left|right|top|bottom|above|below|beside|side by side)\b", re.I)


def test_the_titles_name_panels_by_what_they_show_not_by_where() -> None:
    for name, title in TITLES.items():
        assert EXPLORERS[name].title == title, name
    placed = {name: ex.title for name, ex in EXPLORERS.items() if PLACE.search(ex.title)}
    assert not placed, f"titles that place a panel: {placed}"
    assert PLACE.search("Softmax as bars (left)"), "the pattern finds a placed panel"


def test_setting_values_recomputes_the_state(name: str) -> None:
    ex = explore(name)
    first = ex.state
    changed = 0
    for declaration in ex.CONTROLS:
        if isinstance(declaration, Choice):
            value = (
                declaration.values[-1]
                if declaration.value != declaration.values[-1]
                else declaration.values[0]
            )
        else:
            value = declaration.min if declaration.value != declaration.min else declaration.max
        ex.set(declaration.name, value)
        assert ex.values[declaration.name] == value
        assert ex.state == explore(name, **ex.values).state, "the state follows the values"
        changed += ex.state != first
    assert changed, "some control changes what is drawn"


def test_values_from_python_name_some_controls_and_are_checked() -> None:
    ex = explore("relu")
    ex.values = {"x": -2.0}  # the others stay as they are
    assert ex.values == {"alpha": 0.1, "x": -2.0}
    assert ex.state["f"] == pytest.approx(-0.2)
    with pytest.raises(ValueError, match=r"control 'x' takes values in \[-3.0, 3.0\], got 7"):
        ex.set("x", 7)
    with pytest.raises(ValueError, match="values names no control of explorer 'relu': \\['z'\\]"):
        ex.values = {"z": 1.0}
    with pytest.raises(ValueError, match="name must be one of"):
        ex.set("beta", 1.0)
    with pytest.raises(TypeError, match="unknown control"):
        explore("relu", beta=1.0)
    assert ex.values == {"alpha": 0.1, "x": -2.0}, "a refused value changes nothing"


def test_a_notebook_gets_the_widget_and_the_page_version() -> None:
    ex = explore("softmax")
    data, _ = ex._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.model_id
    assert 'data-explorer="softmax"' in data["text/html"]


def test_no_matplotlib_in_the_widgets() -> None:
    code = (
        "import sys, nnmath.widgets; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'PIL')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    source = "".join(p.read_text(encoding="utf-8") for p in Path(STATIC.parent).glob("*.py"))
    assert "matplotlib" not in source


# -- each state against an independent computation --------------------------------------------
@pytest.mark.parametrize("alpha", [0.0, 0.1, 0.5])
@pytest.mark.parametrize("x", [-3.0, -1.5, 0.0, 0.05, 3.0])
def test_relu_state(alpha: float, x: float) -> None:
    s = explore("relu", alpha=alpha, x=x).state
    assert s["f"] == (x if x > 0 else alpha * x) and s["df"] == (1.0 if x > 0 else alpha)
    g = grid_of((-3.0, 3.0), 241)
    close(s["curves"]["leaky"], np.where(g > 0, g, alpha * g))
    close(s["curves"]["relu"], np.maximum(g, 0))
    close(s["curves"]["leakyGrad"], np.where(g > 0, 1.0, alpha))
    assert s["atKink"] == {"relu": 0.0, "leaky": alpha}


@pytest.mark.parametrize("x", [-3.0, -0.7, 0.0, 1.0, 3.0])
def test_activation_states_against_scipy(x: float) -> None:
    truth = {
        "gelu": (
            lambda v: v * scipy.special.ndtr(v),
            lambda v: scipy.special.ndtr(v) + v * np.exp(-v * v / 2) / np.sqrt(2 * np.pi),
        ),
        "sigmoid": (
            scipy.special.expit,
            lambda v: scipy.special.expit(v) * scipy.special.expit(-v),
        ),
    }
    names = [n for n, cls in EXPLORERS.items() if issubclass(cls, ActivationExplorer)]
    assert set(names) <= set(truth), (
        f"an explorer without an oracle here: {set(names) - set(truth)}"
    )
    for n in names:
        f, df = truth[n]
        s = explore(n, x=x).state
        close(s["f"], f(x), rtol=1e-13, atol=1e-300)
        close(s["df"], df(x), rtol=1e-13)
        g = grid_of((-3.0, 3.0), 241)
        close(s["curves"]["f"], f(g), rtol=1e-13, atol=1e-15)
        close(s["curves"]["df"], df(g), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("k", [3, 4, 5])
@pytest.mark.parametrize("t", [0.1, 1.0, 5.0])
def test_softmax_state(k: int, t: float) -> None:
    rng = np.random.default_rng(k)
    z = np.round(rng.uniform(-8, 8, 5), 1)
    s = explore(
        "softmax", classes=k, temperature=t, **{f"z{i + 1}": float(v) for i, v in enumerate(z)}
    ).state
    e = np.exp((z[:k] - z[:k].max()) / t)
    p = e / e.sum()
    close(s["p"], p, rtol=1e-12, atol=1e-300)
    q = scipy.special.softmax(z[:k] / t)
    close(s["jacobian"], np.diag(q) - np.outer(q, q), rtol=1e-10, atol=1e-15)
    assert s["K"] == k and len(s["z"]) == k and s["T"] == t


@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("p", [0.01, 0.5, 0.99])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_state(y: int, p: float, reduction: str) -> None:
    ex = explore("cross_entropy", y=y, p=p, true_class=2, reduction=reduction)
    s = ex.state
    close(s["loss"], -np.log(p) if y else -np.log(1 - p))
    close(s["dloss"], (p - y) / (p * (1 - p)))
    labels = np.array([2, *ex.OTHER_LABELS])
    at = ex.BATCH[np.arange(4), labels]
    close(s["losses"], -np.log(at))
    close([s["mean"], s["sum"]], [np.mean(-np.log(at)), np.sum(-np.log(at))])
    close(s["grad"], -1 / at / (4 if reduction == "mean" else 1))
    grid = grid_of((1e-4, 1 - 1e-4), 201)
    close(s["curves"]["loss1"], -np.log(grid))
    close(s["curves"]["grad0"], 1 / (1 - grid))


@pytest.mark.parametrize("c", [0, 1, 2])
@pytest.mark.parametrize("z", [(1.0, 2.0, 3.0), (-8.0, 8.0, 0.0), (8.0, 8.0, 8.0)])
def test_softmax_cross_entropy_state(c: int, z: tuple[float, ...]) -> None:
    s = explore("softmax_cross_entropy", true_class=c, z1=z[0], z2=z[1], z3=z[2]).state
    p = scipy.special.softmax(np.array(z))
    y = np.eye(3)[c]
    close(s["p"], p)
    close(s["grad"], p - y, rtol=1e-12, atol=1e-15)
    # The exact loss (logsumexp(z) - z_c would cancel: 8.000335 - 8 keeps 12 digits).
    close(s["loss"], exact.cross_entropy(z, c))
    np.testing.assert_allclose(s["numeric"], p - y, atol=1e-8)
    assert s["relativeError"] < 1e-5 and s["target"] == c and s["y"] == y.tolist()
    grid = grid_of((-8.0, 8.0), 161)
    moved = np.repeat(np.array([z]), grid.size, axis=0)
    moved[:, c] = grid
    close(s["curve"], [exact.cross_entropy(row, c) for row in moved])


@pytest.mark.parametrize(("hidden", "lr", "step"), [(20, 1.0, 0), (20, 1.0, 1000), (5, 0.3, 17)])
def test_training_state_is_nnmath_networks_run(hidden: int, lr: float, step: int) -> None:
    s = explore("training", hidden=hidden, lr=lr, step=step).state
    X, y = network.make_spiral()
    history = network.train(X, y, hidden=hidden, lr=lr, steps=1000, reg=1e-3, checkpoint_every=1)
    close(s["losses"], history.loss, rtol=0)
    model = history.model_at(step)
    assert s["accuracy"] == np.mean(np.argmax(model._forward(X)[0], axis=1) == y)
    assert s["loss"] == history.loss[step] and s["dead"] == history.dead_fraction[step]
    grid = network.decision_grid(model, (-1.15, 1.15), (-1.15, 1.15), n=100)
    assert s["regions"] == "".join(str(v) for v in grid.ravel())
    assert s["reference"]["loss"] == history.loss[-1] and s["parted"] is False
    assert s["blownUp"] == bool(history.loss[step] > history.loss[0])
