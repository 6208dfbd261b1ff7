r"""The capstone's two models, each with its forward and backward pass side by side.

:class:`TwoLayerNet` maps inputs :math:`X` of shape ``(N, D)`` to class logits,

.. math::

    Z_1 = X W_1 + b_1, \qquad A = \operatorname{relu}(Z_1), \qquad Z_2 = A W_2 + b_2,

and :class:`LinearClassifier` is the same with the hidden layer removed,
:math:`Z = X W + b`.  Both are trained on the mean cross-entropy
:func:`nnmath.softmax_cross_entropy`, whose gradient with respect to the logits,
:math:`(P - Y)/N` from :func:`nnmath.softmax_cross_entropy_grad`, is where each
backward pass starts; the hidden layer's gate is :func:`nnmath.relu_grad`.

A model is a frozen dataclass whose fields are its parameter arrays, so ``net.W1``
is a weight matrix and a gradient is a model of the same shape (``grads.W1`` is
:math:`\partial L / \partial W_1`), as in JAX.  The arrays themselves can be updated
in place, ``for p, g in zip(net.parameters(), grads.parameters()): p -= lr * g``;
:func:`dataclasses.replace` makes a new model with some arrays swapped, checked
like any other.

Every input is checked once, where it enters: when a model is made, and by the
public methods.  The arithmetic sits in the private ``_forward`` and ``_backward``,
which the training loop calls on data it has already checked.

Examples
--------
>>> import numpy as np
>>> from nnmath.network import TwoLayerNet
>>> net = TwoLayerNet(W1=[[1.0, -1.0]], b1=[0.0, 0.0], W2=np.eye(2), b2=[0.0, 0.5])
>>> logits, cache = net.forward([[2.0], [-3.0]])
>>> print(cache.A)
[[2. 0.]
 [0. 3.]]
>>> print(logits)
[[2.  0.5]
 [0.  3.5]]
>>> grads = net.backward(cache, [[1.0, 0.0], [0.0, 0.0]])  # d(loss)/d(logits)
>>> print(grads.W1, grads.b1)
[[2. 0.]] [1. 0.]
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnmath._validation import as_float_array, check_int, check_labels, check_real
from nnmath.activations import relu, relu_grad
from nnmath.losses import softmax_cross_entropy, softmax_cross_entropy_grad

__all__ = [
    "Classifier",
    "LinearCache",
    "LinearClassifier",
    "TwoLayerCache",
    "TwoLayerNet",
    "decision_grid",
]

Array = NDArray[np.floating]


# --------------------------------------------------------------------------
# Checks of the data a model is given
# --------------------------------------------------------------------------


def check_inputs(X: ArrayLike, n_in: int, name: str = "X") -> Array:
    """Inputs of shape ``(n_samples, n_in)``, finite, as a floating array."""
    a = as_float_array(X, name)
    if a.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features), got shape {a.shape}"
        )
    if a.shape[1] != n_in:
        raise ValueError(f"{name} has {a.shape[1]} features per row but the model expects {n_in}")
    if a.size and not np.isfinite(a).all():
        raise ValueError(f"{name} must hold finite numbers only")
    return a


def check_targets(y: ArrayLike, n_samples: int, n_classes: int, name: str = "y") -> NDArray:
    """One integer class label in ``[0, n_classes)`` per sample."""
    labels = check_labels(y, name, n_classes)
    if labels.shape != (n_samples,):
        raise ValueError(
            f"{name} must have shape ({n_samples},), one label per row of the inputs, "
            f"got shape {labels.shape}"
        )
    return labels


# --------------------------------------------------------------------------
# What both models share
# --------------------------------------------------------------------------


class Classifier:
    """What the two models share: the loss and its gradient, predictions, accuracy.

    A subclass is a frozen dataclass whose fields are its parameter arrays.  It names
    the weights that the L2 penalty applies to in ``WEIGHTS`` and the type of its
    forward pass's cache in ``CACHE``, checks the shapes of its fields in
    ``_check_shapes``, and defines ``n_in``, ``n_out``, ``_forward`` and ``_backward``.
    """

    WEIGHTS: ClassVar[tuple[str, ...]] = ()
    CACHE: ClassVar[type] = tuple

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            a = as_float_array(getattr(self, f.name), f.name)
            if a.size and not np.isfinite(a).all():
                raise ValueError(f"{f.name} must hold finite numbers only")
            object.__setattr__(self, f.name, a)
        self._check_shapes()

    def _check_shapes(self) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        fields = dataclasses.fields(self)
        shapes = ", ".join(f"{f.name}: {getattr(self, f.name).shape}" for f in fields)
        return f"{type(self).__name__}({shapes})"

    @property
    def n_in(self) -> int:
        raise NotImplementedError

    @property
    def n_out(self) -> int:
        raise NotImplementedError

    def parameters(self) -> tuple[Array, ...]:
        """The parameter arrays, in field order (the arrays themselves, not copies)."""
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))

    def copy(self):
        """A model with copies of every parameter array."""
        return type(self)(*(p.copy() for p in self.parameters()))

    # -- the arithmetic, on checked data ----------------------------------------------
    def _forward(self, X: Array) -> tuple[Array, tuple]:
        raise NotImplementedError

    def _backward(self, cache: tuple, dlogits: Array) -> tuple[Array, ...]:
        raise NotImplementedError

    def _loss(self, logits: Array, labels: NDArray, reg: float) -> float:
        """Mean cross-entropy plus the penalty ``reg / 2`` times the squared weights."""
        loss = float(softmax_cross_entropy(logits, labels))
        if reg:
            loss += 0.5 * reg * sum(float(np.sum(W * W)) for W in self._weights())
        return loss

    def _grads(self, cache: tuple, logits: Array, labels: NDArray, reg: float) -> tuple:
        """The gradient of :meth:`_loss`: backward from ``(P - Y)/N``, plus ``reg`` times W."""
        grads = self._backward(cache, softmax_cross_entropy_grad(logits, labels))
        if reg:
            grads = tuple(
                g + reg * p if f.name in self.WEIGHTS else g
                for f, p, g in zip(dataclasses.fields(self), self.parameters(), grads, strict=True)
            )
        return grads

    def _weights(self) -> tuple[Array, ...]:
        return tuple(getattr(self, name) for name in self.WEIGHTS)

    def _dead_fraction(self, cache: tuple) -> float:
        """Fraction of hidden units that never fire in ``cache`` (NaN: no hidden layer)."""
        return float("nan")

    # -- the public methods check their input once, then call the arithmetic ---------
    def forward(self, X: ArrayLike) -> tuple[Array, tuple]:
        """Logits for inputs ``X`` of shape ``(n_samples, n_in)``, and the cache of the pass."""
        return self._forward(check_inputs(X, self.n_in))

    def backward(self, cache: tuple, dlogits: ArrayLike):
        """Gradient of a loss with respect to every parameter, as a model of the same shape.

        ``dlogits`` is the loss's gradient with respect to the logits that :meth:`forward`
        returned with ``cache``, of shape ``(n_samples, n_out)``; for the mean
        cross-entropy it is :func:`nnmath.softmax_cross_entropy_grad`, :math:`(P - Y)/N`.
        """
        return type(self)(*self._backward(cache, self._check_dlogits(cache, dlogits)))

    def _check_dlogits(self, cache: tuple, dlogits: ArrayLike) -> Array:
        if not isinstance(cache, self.CACHE):
            raise TypeError(
                f"cache must be the {self.CACHE.__name__} that {type(self).__name__}.forward "
                f"returned, got {type(cache).__name__}"
            )
        self._check_cache(cache)
        d = as_float_array(dlogits, "dlogits")
        shape = (cache.X.shape[0], self.n_out)
        if d.shape != shape:
            raise ValueError(f"dlogits must have shape {shape}, like the logits, got {d.shape}")
        if d.size and not np.isfinite(d).all():
            raise ValueError("dlogits must hold finite numbers only")
        return d

    def _check_cache(self, cache: tuple) -> None:
        if cache.X.ndim != 2 or cache.X.shape[1] != self.n_in:
            raise ValueError(
                f"cache.X must have {self.n_in} features per row, like this model's inputs, "
                f"got shape {cache.X.shape}"
            )

    def loss_and_grads(self, X: ArrayLike, y: ArrayLike, *, reg: float = 0.0):
        r"""Mean cross-entropy on ``(X, y)`` plus an L2 penalty, and its gradient.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)
            Inputs.
        y : array_like of int, shape (n_samples,)
            Class labels in ``[0, n_out)``.
        reg : float, default 0.0
            Strength :math:`\lambda \ge 0` of the penalty
            :math:`\tfrac{\lambda}{2}\sum \lVert W \rVert^2` over the weight matrices
            in ``WEIGHTS`` (biases are not penalised).

        Returns
        -------
        loss : float
        grads : a model of the same class and shapes
            ``grads.W1`` is the gradient of ``loss`` with respect to ``W1``, and so on.
        """
        reg = check_real(reg, "reg", minimum=0.0)
        X = check_inputs(X, self.n_in)
        labels = check_targets(y, X.shape[0], self.n_out)
        logits, cache = self._forward(X)
        loss = self._loss(logits, labels, reg)
        return loss, type(self)(*self._grads(cache, logits, labels, reg))

    def logits(self, X: ArrayLike) -> Array:
        """The logits for inputs ``X``, without the cache."""
        return self.forward(X)[0]

    def predict(self, X: ArrayLike) -> NDArray[np.intp]:
        """Predicted class of each row of ``X``: the index of the largest logit."""
        return np.argmax(self.logits(X), axis=1)

    def accuracy(self, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of rows of ``X`` whose predicted class equals ``y``."""
        X = check_inputs(X, self.n_in)
        labels = check_targets(y, X.shape[0], self.n_out)
        if labels.size == 0:
            raise ValueError("X holds no samples, so the accuracy is undefined")
        return float(np.mean(np.argmax(self._forward(X)[0], axis=1) == labels))


def _check_layer(W: Array, b: Array, wname: str, bname: str) -> None:
    if W.ndim != 2 or 0 in W.shape:
        raise ValueError(
            f"{wname} must be a 2-D array with at least one entry, got shape {W.shape}"
        )
    if b.shape != (W.shape[1],):
        raise ValueError(
            f"{bname} must have shape ({W.shape[1]},) to match {wname} of shape {W.shape}, "
            f"got {b.shape}"
        )


# --------------------------------------------------------------------------
# The linear softmax classifier
# --------------------------------------------------------------------------


class LinearCache(NamedTuple):
    """What :meth:`LinearClassifier.backward` needs from the forward pass."""

    X: Array  #: the inputs, shape (n_samples, n_in)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class LinearClassifier(Classifier):
    """A linear softmax classifier: logits :math:`Z = X W + b`.

    Attributes
    ----------
    W : ndarray of shape (n_in, n_out)
    b : ndarray of shape (n_out,)

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import LinearClassifier
    >>> model = LinearClassifier(W=np.zeros((2, 3)), b=np.zeros(3))
    >>> loss, grads = model.loss_and_grads([[1.0, 0.0]], [2])
    >>> print(round(loss, 4), grads.b.round(3))  # ln 3; p - y with p uniform
    1.0986 [ 0.333  0.333 -0.667]
    >>> LinearClassifier(W=[[1.0, -1.0]], b=[0.0, 0.0]).predict([[2.0], [-3.0]]).tolist()
    [0, 1]
    """

    W: Array
    b: Array

    WEIGHTS: ClassVar[tuple[str, ...]] = ("W",)
    CACHE: ClassVar[type] = LinearCache

    def _check_shapes(self) -> None:
        _check_layer(self.W, self.b, "W", "b")

    @classmethod
    def init(cls, n_in: int, n_out: int, *, seed: int = 0, scale: float = 0.01) -> LinearClassifier:
        """Random weights of standard deviation ``scale`` and zero biases."""
        n_in = check_int(n_in, "n_in", minimum=1)
        n_out = check_int(n_out, "n_out", minimum=1)
        seed = check_int(seed, "seed", minimum=0)
        scale = check_real(scale, "scale", minimum=0.0)
        rng = np.random.default_rng(seed)
        return cls(W=scale * rng.standard_normal((n_in, n_out)), b=np.zeros(n_out))

    @property
    def n_in(self) -> int:
        return self.W.shape[0]

    @property
    def n_out(self) -> int:
        return self.W.shape[1]

    def _forward(self, X: Array) -> tuple[Array, LinearCache]:
        return X @ self.W + self.b, LinearCache(X)

    def _backward(self, cache: LinearCache, dZ: Array) -> tuple[Array, Array]:
        dW = cache.X.T @ dZ  # the input's transpose times dZ
        db = dZ.sum(axis=0)  # the sum of the rows of dZ
        return dW, db


# --------------------------------------------------------------------------
# The two-layer ReLU network
# --------------------------------------------------------------------------


class TwoLayerCache(NamedTuple):
    """What :meth:`TwoLayerNet.backward` needs from the forward pass."""

    X: Array  #: the inputs, shape (n_samples, n_in)
    Z1: Array  #: the hidden pre-activations X W1 + b1, shape (n_samples, n_hidden)
    A: Array  #: the hidden activations relu(Z1), shape (n_samples, n_hidden)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class TwoLayerNet(Classifier):
    r"""A two-layer ReLU network, :math:`Z_2 = \operatorname{relu}(X W_1 + b_1) W_2 + b_2`.

    Attributes
    ----------
    W1 : ndarray of shape (n_in, n_hidden)
    b1 : ndarray of shape (n_hidden,)
    W2 : ndarray of shape (n_hidden, n_out)
    b2 : ndarray of shape (n_out,)

    Notes
    -----
    The backward pass, one line per layer, from :math:`dZ_2` (:math:`(P - Y)/N` for
    the mean cross-entropy):

    .. math::

        dW_2 = A^\top dZ_2, \quad db_2 = \textstyle\sum_n dZ_2, \quad dA = dZ_2 W_2^\top,
        \quad dZ_1 = dA \odot \operatorname{relu}'(Z_1), \quad dW_1 = X^\top dZ_1,
        \quad db_1 = \textstyle\sum_n dZ_1.

    Examples
    --------
    >>> from nnmath.network import TwoLayerNet, make_spiral
    >>> X, y = make_spiral(n_per_class=10)
    >>> net = TwoLayerNet.init(2, 8, 3, scale=1e-3)
    >>> net
    TwoLayerNet(W1: (2, 8), b1: (8,), W2: (8, 3), b2: (3,))
    >>> loss, grads = net.loss_and_grads(X, y)
    >>> print(round(loss, 4))  # ln 3 = 1.0986: tiny weights, uniform guesses
    1.0986
    >>> grads.W1.shape == net.W1.shape
    True
    """

    W1: Array
    b1: Array
    W2: Array
    b2: Array

    WEIGHTS: ClassVar[tuple[str, ...]] = ("W1", "W2")
    CACHE: ClassVar[type] = TwoLayerCache

    def _check_shapes(self) -> None:
        _check_layer(self.W1, self.b1, "W1", "b1")
        _check_layer(self.W2, self.b2, "W2", "b2")
        if self.W2.shape[0] != self.W1.shape[1]:
            raise ValueError(
                f"W2 has {self.W2.shape[0]} rows but W1 has {self.W1.shape[1]} columns "
                "(hidden units); they must match"
            )

    def _check_cache(self, cache: TwoLayerCache) -> None:
        super()._check_cache(cache)
        shape = (cache.X.shape[0], self.n_hidden)
        for name in ("Z1", "A"):
            if getattr(cache, name).shape != shape:
                raise ValueError(
                    f"cache.{name} must have shape {shape}, one column per hidden unit, "
                    f"got {getattr(cache, name).shape}"
                )

    @classmethod
    def init(
        cls, n_in: int, n_hidden: int, n_out: int, *, seed: int = 0, scale: float | None = None
    ) -> TwoLayerNet:
        r"""Random weights and zero biases.

        Parameters
        ----------
        n_in, n_hidden, n_out : int
            Input features, hidden ReLU units and classes (each at least 1).
        seed : int, default 0
            Seed of the local random generator.
        scale : float, optional
            Standard deviation of every weight.  By default each weight matrix uses
            He initialisation :cite:p:`he2015delving`, standard deviation
            :math:`\sqrt{2 / n_\text{fan-in}}`, which keeps the variance of the
            activations about constant through ReLU layers.  A small ``scale`` such
            as 0.01 makes every logit nearly 0, so the initial loss is close to
            :math:`\ln K`.
        """
        n_in = check_int(n_in, "n_in", minimum=1)
        n_hidden = check_int(n_hidden, "n_hidden", minimum=1)
        n_out = check_int(n_out, "n_out", minimum=1)
        seed = check_int(seed, "seed", minimum=0)
        if scale is not None:
            scale = check_real(scale, "scale", minimum=0.0)
        rng = np.random.default_rng(seed)
        s1 = np.sqrt(2.0 / n_in) if scale is None else scale
        s2 = np.sqrt(2.0 / n_hidden) if scale is None else scale
        return cls(
            W1=s1 * rng.standard_normal((n_in, n_hidden)),
            b1=np.zeros(n_hidden),
            W2=s2 * rng.standard_normal((n_hidden, n_out)),
            b2=np.zeros(n_out),
        )

    @property
    def n_in(self) -> int:
        return self.W1.shape[0]

    @property
    def n_hidden(self) -> int:
        return self.W1.shape[1]

    @property
    def n_out(self) -> int:
        return self.W2.shape[1]

    def _forward(self, X: Array) -> tuple[Array, TwoLayerCache]:
        Z1 = X @ self.W1 + self.b1  # hidden pre-activations
        A = relu(Z1)  # hidden activations
        logits = A @ self.W2 + self.b2
        return logits, TwoLayerCache(X, Z1, A)

    def _backward(self, cache: TwoLayerCache, dZ2: Array) -> tuple[Array, Array, Array, Array]:
        dW2 = cache.A.T @ dZ2  # output layer weights
        db2 = dZ2.sum(axis=0)  # output layer biases
        dA = dZ2 @ self.W2.T  # back through the output layer
        dZ1 = dA * relu_grad(cache.Z1)  # ReLU's gate: 1 where Z1 > 0, else 0
        dW1 = cache.X.T @ dZ1  # hidden layer weights
        db1 = dZ1.sum(axis=0)  # hidden layer biases
        return dW1, db1, dW2, db2

    def _dead_fraction(self, cache: TwoLayerCache) -> float:
        return float(1.0 - np.mean(np.any(cache.A > 0, axis=0)))

    def dead_fraction(self, X: ArrayLike) -> float:
        """Fraction of hidden units that output 0 on every row of ``X`` (dead ReLUs).

        A dead unit has a pre-activation :math:`\\le 0` on every input, so
        :func:`nnmath.relu_grad` is 0 for it everywhere: its incoming weights and bias get
        no gradient from the data on ``X``. Only weight decay still moves its weights (it
        shrinks them toward 0, leaving the bias alone), and that cannot lift a
        pre-activation above 0 where it was :math:`\\le 0` if the bias is :math:`\\le 0`:
        such a unit stays dead on ``X``.

        Examples
        --------
        >>> from nnmath.network import TwoLayerNet
        >>> net = TwoLayerNet(W1=[[1.0, -1.0, 0.0, 2.0]], b1=[0.0, 0.0, -1.0, 0.0],
        ...                   W2=[[0.0]] * 4, b2=[0.0])
        >>> net.dead_fraction([[1.0], [2.0]])  # units 1 and 2 never fire
        0.5
        """
        X = check_inputs(X, self.n_in)
        if X.shape[0] == 0:
            raise ValueError("X holds no samples, so no unit can be tested")
        return self._dead_fraction(self._forward(X)[1])


# --------------------------------------------------------------------------
# Decision regions
# --------------------------------------------------------------------------


def decision_grid(
    model: Classifier,
    xlim: tuple[float, float] = (-1.1, 1.1),
    ylim: tuple[float, float] = (-1.1, 1.1),
    n: int = 100,
) -> NDArray[np.intp]:
    """Predicted class on an ``n`` by ``n`` grid of the plane, for drawing decision regions.

    Parameters
    ----------
    model : TwoLayerNet or LinearClassifier
        A model with 2 inputs.
    xlim, ylim : (float, float)
        Range of the grid along x (columns) and y (rows), ends included.
    n : int, default 100
        Grid points along each axis (at least 2).

    Returns
    -------
    ndarray of shape (n, n), int
        Entry ``[i, j]`` is the class at ``x = linspace(*xlim, n)[j]``,
        ``y = linspace(*ylim, n)[i]``: pass it to ``imshow`` with ``origin="lower"``
        and ``extent=(*xlim, *ylim)``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import LinearClassifier, decision_grid
    >>> model = LinearClassifier(W=[[1.0, -1.0], [0.0, 0.0]], b=[0.0, 0.0])
    >>> print(decision_grid(model, (-1, 1), (-1, 1), n=4))
    [[1 1 0 0]
     [1 1 0 0]
     [1 1 0 0]
     [1 1 0 0]]
    """
    if not isinstance(model, Classifier):
        raise TypeError(
            f"model must be a TwoLayerNet or a LinearClassifier, got {type(model).__name__}"
        )
    if model.n_in != 2:
        raise ValueError(f"decision_grid needs a model with 2 inputs, this one has {model.n_in}")
    n = check_int(n, "n", minimum=2)
    bounds = []
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        try:
            lo, hi = (float(v) for v in lim)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a pair of numbers (low, high), got {lim!r}") from None
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"{name} must be finite with low < high, got {lim!r}")
        bounds.append((lo, hi))
    xx, yy = np.meshgrid(np.linspace(*bounds[0], n), np.linspace(*bounds[1], n))
    points = np.column_stack([xx.ravel(), yy.ravel()])
    return np.argmax(model._forward(points)[0], axis=1).reshape(n, n)
