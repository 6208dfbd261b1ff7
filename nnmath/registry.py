"""The registry of nnmath's functions: every formula, its derivative, and what it accepts.

One :class:`Formula` per formula of the package says which function computes it, which
function computes its derivative, what input it takes, where it has kinks, which
floating dtypes it keeps, and, where SciPy has the same function, its name there.
:data:`FORMULAS` lists them all and :data:`TOOLS` the functions that are not formulas
(gradient checking, one-hot rows).  ``nnmath.__all__`` is built from these two lists,
and the test suite runs its generic tests over them: a function registered here is
checked against central differences, for its dtypes, its scalar and read-only inputs,
its error messages and its SciPy twin, with no test edited.

Adding a function: write it (and its derivative) in its module, list it in that
module's ``__all__``, and add one :class:`Formula` to :data:`FORMULAS`.

Examples
--------
>>> from nnmath.registry import FORMULAS, by_name
>>> relu = by_name("relu")
>>> relu.derivative.__name__, relu.kinks, relu.input
('relu_grad', (0.0,), 'x')
>>> [f.name for f in FORMULAS if f.kind == "categorical_loss"]
['cross_entropy', 'softmax_cross_entropy']
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from nnmath import activations, gradcheck, losses

__all__ = ["FORMULAS", "TOOLS", "Formula", "by_name", "public_functions"]

Kind = Literal["elementwise", "along_classes", "binary_loss", "categorical_loss"]
Domain = Literal["real", "logits", "probabilities"]
DerivativeKind = Literal["elementwise", "jacobian", "gradient"]

ALL_FLOATS = ("float16", "float32", "float64")


@dataclass(frozen=True)
class Formula:
    """One formula of the package and its derivative, described for users and tests.

    Parameters
    ----------
    function : callable
        The public function; its ``__name__`` is the formula's name.
    derivative : callable or None
        The public function that computes its derivative (None if the package has none).
    kind : {"elementwise", "along_classes", "binary_loss", "categorical_loss"}
        ``"elementwise"``: ``f(x)`` entry by entry, any shape.  ``"along_classes"``: a
        function of the rows of logits along a class axis.  ``"binary_loss"``:
        ``f(input, y, reduction)`` with targets ``y`` in [0, 1] of the input's shape.
        ``"categorical_loss"``: ``f(input, y, reduction)`` over rows of classes, with
        ``y`` integer labels or probability rows.
    domain : {"real", "logits", "probabilities"}
        What the first argument may hold.  ``"real"``: any real number, ``±inf``
        included (NaN is an error).  ``"logits"``: real numbers and ``-inf`` (a masked
        class); NaN and ``+inf`` are errors.  ``"probabilities"``: numbers in [0, 1]
        (rows that sum to 1 for a categorical loss).
    derivative_kind : {"elementwise", "jacobian", "gradient"} or None
        ``"elementwise"``: the derivative of each entry, of the input's shape.
        ``"jacobian"``: ``J[..., i, j] = d f_i / d x_j``, of shape ``x.shape + (K,)``.
        ``"gradient"``: the gradient of a scalar (the loss, or each row's value), of the
        input's shape.
    kinks : tuple of float
        Points where the function has no derivative; the derivative function returns a
        convention there, and central differences must stay away from them.
    settings : tuple of dict
        Keyword settings that change the formula (``{"alpha": 0.3}``,
        ``{"approximate": "tanh"}``), each passed to the function and to its derivative;
        ``{}`` is the default.
    dtypes : tuple of str
        The floating dtypes that the function and its derivative keep (float32 in,
        float32 out; float16 is computed in float32 where float16 would overflow, and
        rounded once).  Integers and booleans always become float64; ``np.longdouble``
        is refused.
    oracle : str or None
        The dotted name of a SciPy function that computes the same values
        (``"scipy.special.expit"``), named as text so that nnmath never imports SciPy.
    mean_over : {"elements", "rows"} or None
        For a loss: what ``reduction="mean"`` averages over.
    """

    function: Callable[..., Any]
    derivative: Callable[..., Any] | None
    kind: Kind
    domain: Domain
    derivative_kind: DerivativeKind | None = None
    kinks: tuple[float, ...] = ()
    settings: tuple[Mapping[str, Any], ...] = field(default=({},))
    dtypes: tuple[str, ...] = ALL_FLOATS
    oracle: str | None = None
    mean_over: Literal["elements", "rows"] | None = None

    def __post_init__(self) -> None:
        # Read-only settings: a test that changed one would change it for every test.
        frozen = tuple(MappingProxyType(dict(s)) for s in self.settings)
        object.__setattr__(self, "settings", frozen)
        if (self.derivative is None) != (self.derivative_kind is None):
            raise ValueError(f"{self.name}: give a derivative and its kind, or neither")
        if self.is_loss != (self.mean_over is not None):
            raise ValueError(f"{self.name}: a loss says what its mean is over; nothing else does")

    @property
    def name(self) -> str:
        """The public name, e.g. ``"relu"``."""
        return self.function.__name__

    @property
    def module(self) -> str:
        """The module that defines the function, e.g. ``"nnmath.activations"``."""
        return self.function.__module__

    @property
    def is_loss(self) -> bool:
        """Whether the function is a loss ``f(input, y, reduction=...)``."""
        return self.kind in ("binary_loss", "categorical_loss")

    @property
    def input(self) -> str:
        """The name of the first argument (``"x"``, ``"z"`` or ``"p"``), as errors name it."""
        return next(iter(inspect.signature(self.function).parameters))

    @property
    def parameters(self) -> tuple[str, ...]:
        """The names of the keyword parameters after the input (and the target)."""
        names = list(inspect.signature(self.function).parameters)
        return tuple(names[2:] if self.is_loss else names[1:])

    @property
    def callables(self) -> tuple[Callable[..., Any], ...]:
        """The function and, if there is one, its derivative."""
        return (self.function,) if self.derivative is None else (self.function, self.derivative)


FORMULAS: tuple[Formula, ...] = (
    # Elementwise activations.
    Formula(
        activations.relu,
        activations.relu_grad,
        kind="elementwise",
        domain="real",
        derivative_kind="elementwise",
        kinks=(0.0,),
    ),
    Formula(
        activations.leaky_relu,
        activations.leaky_relu_grad,
        kind="elementwise",
        domain="real",
        derivative_kind="elementwise",
        kinks=(0.0,),
        settings=({}, {"alpha": 0.3}),
    ),
    Formula(
        activations.sigmoid,
        activations.sigmoid_grad,
        kind="elementwise",
        domain="real",
        derivative_kind="elementwise",
        oracle="scipy.special.expit",
    ),
    Formula(
        activations.gelu,
        activations.gelu_grad,
        kind="elementwise",
        domain="real",
        derivative_kind="elementwise",
        settings=({}, {"approximate": "tanh"}),
    ),
    # Along a class axis.
    Formula(
        activations.softmax,
        activations.softmax_jacobian,
        kind="along_classes",
        domain="logits",
        derivative_kind="jacobian",
        oracle="scipy.special.softmax",
    ),
    Formula(
        activations.log_softmax,
        None,
        kind="along_classes",
        domain="logits",
        oracle="scipy.special.log_softmax",
    ),
    Formula(
        activations.logsumexp,
        activations.softmax,
        kind="along_classes",
        domain="logits",
        derivative_kind="gradient",
        oracle="scipy.special.logsumexp",
    ),
    # Losses.
    Formula(
        losses.binary_cross_entropy,
        losses.binary_cross_entropy_grad,
        kind="binary_loss",
        domain="probabilities",
        derivative_kind="gradient",
        mean_over="elements",
    ),
    Formula(
        losses.binary_cross_entropy_with_logits,
        losses.binary_cross_entropy_with_logits_grad,
        kind="binary_loss",
        domain="logits",
        derivative_kind="gradient",
        mean_over="elements",
    ),
    Formula(
        losses.cross_entropy,
        losses.cross_entropy_grad,
        kind="categorical_loss",
        domain="probabilities",
        derivative_kind="gradient",
        mean_over="rows",
    ),
    Formula(
        losses.softmax_cross_entropy,
        losses.softmax_cross_entropy_grad,
        kind="categorical_loss",
        domain="logits",
        derivative_kind="gradient",
        mean_over="rows",
    ),
)

#: Public functions that are not formulas: one-hot rows and gradient checking.
TOOLS: tuple[Callable[..., Any], ...] = (
    losses.one_hot,
    gradcheck.numerical_gradient,
    gradcheck.numerical_jacobian,
    gradcheck.gradient_check,
    gradcheck.relative_error,
)


def public_functions() -> dict[str, Callable[..., Any]]:
    """Every public function of the package by name: formulas, derivatives and tools.

    Examples
    --------
    >>> from nnmath.registry import public_functions
    >>> fns = public_functions()
    >>> fns["softmax_jacobian"].__module__
    'nnmath.activations'
    """
    out: dict[str, Callable[..., Any]] = {}
    for formula in FORMULAS:
        for fn in formula.callables:
            out[fn.__name__] = fn
    for fn in TOOLS:
        out[fn.__name__] = fn
    return dict(sorted(out.items()))


def by_name(name: str) -> Formula:
    """The formula whose function is called `name`.

    Raises
    ------
    KeyError
        If no formula has that name (derivatives and tools are not formulas).
    """
    for formula in FORMULAS:
        if formula.name == name:
            return formula
    known = ", ".join(f.name for f in FORMULAS)
    raise KeyError(f"no formula is called {name!r}; the formulas are {known}")
