"""Test parameters drawn from nnmath's registry, and inputs in each formula's domain.

Every generic test takes its functions from :data:`nnmath.registry.FORMULAS` through the
helpers here, with readable ids (``relu_grad``, ``leaky_relu(alpha=0.3)``,
``softmax_cross_entropy-labels``), so that a newly registered function joins every such
test with no test edited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from nnmath.registry import FORMULAS, Formula

Select = Callable[[Formula], bool]


def _everything(formula: Formula) -> bool:
    return True


def setting_id(name: str, settings: dict[str, Any]) -> str:
    """``leaky_relu`` for the default, ``leaky_relu(alpha=0.3)`` for a setting."""
    if not settings:
        return name
    return name + "(" + ", ".join(f"{k}={v!r}".replace("'", "") for k, v in settings.items()) + ")"


def formulas(where: Select = _everything) -> list[Any]:
    """One parameter per formula: ``(formula,)``, id its name."""
    return [pytest.param(f, id=f.name) for f in FORMULAS if where(f)]


def formula_settings(where: Select = _everything) -> list[Any]:
    """One parameter per formula and setting: ``(formula, settings)``."""
    return [
        pytest.param(f, dict(s), id=setting_id(f.name, dict(s)))
        for f in FORMULAS
        if where(f)
        for s in f.settings
    ]


def _callables(where: Select) -> Iterator[tuple[Formula, Callable[..., Any]]]:
    seen = set()
    for f in FORMULAS:
        if not where(f):
            continue
        for fn in f.callables:
            if fn.__name__ not in seen:  # softmax is also the gradient of logsumexp
                seen.add(fn.__name__)
                yield f, fn


def functions(where: Select = _everything) -> list[Any]:
    """One parameter per public function (formulas and derivatives): ``(formula, fn)``."""
    return [pytest.param(f, fn, id=fn.__name__) for f, fn in _callables(where)]


# --------------------------------------------------------------------------
# Selections
# --------------------------------------------------------------------------


def elementwise(f: Formula) -> bool:
    return f.kind == "elementwise"


def logit_rows(f: Formula) -> bool:
    """Functions of rows of logits: softmax and its family, softmax cross-entropy."""
    return f.domain == "logits" and f.kind in ("along_classes", "categorical_loss")


def binary(f: Formula) -> bool:
    return f.kind == "binary_loss"


def binary_probabilities(f: Formula) -> bool:
    return f.kind == "binary_loss" and f.domain == "probabilities"


def binary_logits(f: Formula) -> bool:
    return f.kind == "binary_loss" and f.domain == "logits"


def categorical(f: Formula) -> bool:
    return f.kind == "categorical_loss"


def categorical_probabilities(f: Formula) -> bool:
    return f.kind == "categorical_loss" and f.domain == "probabilities"


def categorical_logits(f: Formula) -> bool:
    return f.kind == "categorical_loss" and f.domain == "logits"


def losses(f: Formula) -> bool:
    return f.is_loss


def not_losses(f: Formula) -> bool:
    return not f.is_loss


def with_parameter(name: str) -> Select:
    return lambda f: name in f.parameters


# --------------------------------------------------------------------------
# Calling a function with a valid target
# --------------------------------------------------------------------------

#: A target that is valid for an input of two samples (or two elements).
DEFAULT_TARGET = {"binary_loss": [0.0, 1.0], "categorical_loss": [0, 1]}


def bind(formula: Formula, fn: Callable[..., Any], **kwargs: Any) -> Callable[[Any], Any]:
    """``fn`` as a function of its input alone: losses get :data:`DEFAULT_TARGET`."""
    if formula.is_loss:
        target = DEFAULT_TARGET[formula.kind]
        return lambda x: fn(x, target, **kwargs)
    return lambda x: fn(x, **kwargs)


# --------------------------------------------------------------------------
# Inputs in each formula's domain
# --------------------------------------------------------------------------


def random_simplex(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Probability rows along the last axis, every entry at least about 0.05 / K."""
    p = rng.uniform(0.05, 1.0, shape)
    return p / p.sum(axis=-1, keepdims=True)


def small_input(formula: Formula) -> tuple[list[Any], Any]:
    """A small float input in the domain, and a target for a loss (else None)."""
    if formula.kind in ("elementwise", "along_classes"):
        return [[-1.5, 0.5, 2.0], [0.25, -3.0, 1.0]], None
    return {
        ("binary_loss", "probabilities"): ([0.2, 0.7], [0.0, 1.0]),
        ("binary_loss", "logits"): ([-1.0, 2.0], [0.0, 1.0]),
        ("categorical_loss", "probabilities"): ([[0.25, 0.75], [0.5, 0.5]], [1, 0]),
        ("categorical_loss", "logits"): ([[1.0, -1.0], [0.5, 2.0]], [1, 0]),
    }[formula.kind, formula.domain]


def integer_inputs(formula: Formula) -> list[Any]:
    """Integer and boolean inputs in the domain: ``pytest.param((x, y), id=...)``."""
    if formula.kind in ("elementwise", "along_classes"):
        return [
            pytest.param((np.array([[-1, 0, 2], [3, 1, -2]]), None), id="int64"),
            pytest.param((np.array([[True, False, True]]), None), id="bool"),
            pytest.param(([[1, 2, 3]], None), id="list-of-int"),
        ]
    x, y = {
        ("binary_loss", "probabilities"): ([0, 1], [0, 1]),
        ("binary_loss", "logits"): ([0, 1], [True, False]),
        ("categorical_loss", "probabilities"): ([[0, 1]], [1]),
        ("categorical_loss", "logits"): ([[1, 2, 3]], [0]),
    }[formula.kind, formula.domain]
    return [
        pytest.param((np.array(x), y), id="int64"),
        pytest.param((np.array(x, dtype=bool), y), id="bool"),
        pytest.param((x, y), id="list-of-int"),
    ]


#: Scalar inputs (and targets) of the functions that take scalars.
SCALAR_CASES = {
    ("elementwise", "real"): [(-50.0,), (-1.5,), (-0.5,), (1.5,), (2.0,), (3.0,)],
    ("binary_loss", "probabilities"): [(0.3, 1.0)],
    ("binary_loss", "logits"): [(2.0, 1.0), (-50.0, 1.0)],
}


def extreme_input(formula: Formula) -> tuple[np.ndarray, Any]:
    """Valid float64 input at the edges of the domain: huge, tiny, infinite, 0 and 1."""
    if formula.kind == "elementwise":
        x = [-np.inf, -1e300, -745.0, -40.0, -1e-300, -0.0, 0.0, 5e-324, 1e-300, 40.0, 1e300]
        return np.array([*x, np.inf]), None
    if formula.kind == "along_classes" or (formula.kind, formula.domain) == (
        "categorical_loss",
        "logits",
    ):
        z = [[1e300, -1e300, 0.0], [-np.inf, 0.0, 1e-300], [-745.0, 745.0, -np.inf]]
        return np.array(z), [1, 1, 0]
    if (formula.kind, formula.domain) == ("binary_loss", "probabilities"):
        p = [0.0, 1.0, 0.0, 1.0, 1e-300, 1.0 - 1e-16, 0.5]
        return np.array(p), [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.5]
    if (formula.kind, formula.domain) == ("binary_loss", "logits"):
        z = [-np.inf, -np.inf, -1e300, 1e300, -745.0, 745.0, 0.0]
        return np.array(z), [0.0, 1.0, 1.0, 0.0, 0.5, 0.5, 1.0]
    p = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [1e-300, 1.0]]
    return np.array(p), [0, 0, 1, 0]


def away_from_kinks(rng: np.random.Generator, n: int, kinks: tuple[float, ...]) -> np.ndarray:
    """``n`` points in ±[0.1, 3], none within 0.1 of a kink (central differences need that)."""
    x = rng.uniform(0.1, 3.0, n) * rng.choice([-1.0, 1.0], n)
    for k in kinks:
        assert np.all(np.abs(x - k) >= 0.1), "the sample must stay off the kinks"
    return x


def loss_cases(where: Select = losses) -> list[Any]:
    """``(formula, make)`` with ``make(rng) -> (input, target)``, one per kind of target."""
    cases = []
    for f in FORMULAS:
        if not (f.is_loss and where(f)):
            continue
        key = f.kind, f.domain
        if key == ("binary_loss", "probabilities"):
            makers = {"": lambda rng: (rng.uniform(0.1, 0.9, 6), rng.uniform(0, 1, 6))}
        elif key == ("binary_loss", "logits"):
            makers = {"": lambda rng: (rng.standard_normal(6) * 2, rng.uniform(0, 1, 6))}
        elif key == ("categorical_loss", "probabilities"):
            makers = {
                "labels": lambda rng: (random_simplex(rng, (4, 3)), rng.integers(0, 3, 4)),
                "soft": lambda rng: (random_simplex(rng, (4, 3)), random_simplex(rng, (4, 3))),
                "one-sample": lambda rng: (random_simplex(rng, (6,)), 3),
            }
        else:
            makers = {
                "labels": lambda rng: (rng.standard_normal((5, 4)) * 2, rng.integers(0, 4, 5)),
                "soft": lambda rng: (rng.standard_normal((5, 4)) * 2, random_simplex(rng, (5, 4))),
                "one-sample": lambda rng: (rng.standard_normal(6), 3),
            }
        for case, make in makers.items():
            cases.append(pytest.param(f, make, id=f"{f.name}-{case}" if case else f.name))
    return cases


def read_only(value: Any) -> Any:
    """A read-only array copy of ``value``: a function that writes into its input fails."""
    a = np.array(value)
    a.setflags(write=False)
    return a


def bound(where: Select = _everything) -> list[Any]:
    """One parameter per public function, as a function of its input alone (see :func:`bind`)."""
    return [pytest.param(bind(f, fn), id=fn.__name__) for f, fn in _callables(where)]


def plain(where: Select = _everything) -> list[Any]:
    """One parameter per public function, the function itself."""
    return [pytest.param(fn, id=fn.__name__) for _, fn in _callables(where)]
