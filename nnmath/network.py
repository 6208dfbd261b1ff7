r"""A two-layer ReLU network trained on spiral data, built from the four formulas.

This module is the capstone of the book: everything it computes comes from the
rest of :mod:`nnmath`.  The hidden layer uses :func:`nnmath.relu` and
:func:`nnmath.relu_grad`; the output layer uses
:func:`nnmath.softmax_cross_entropy` and its gradient
:func:`nnmath.softmax_cross_entropy_grad`, the famous :math:`(P - Y)/N`.

The network maps inputs :math:`X` of shape ``(N, D)`` to class logits:

.. math::

    Z_1 = X W_1 + b_1, \qquad H = \operatorname{relu}(Z_1), \qquad
    Z_2 = H W_2 + b_2,

and is trained by plain gradient descent on the mean cross-entropy plus an
optional L2 penalty :math:`\tfrac{\lambda}{2}(\lVert W_1\rVert^2 + \lVert W_2\rVert^2)`.

Parameters are plain dicts of arrays with the keys ``W1, b1, W2, b2`` (a linear
softmax classifier, :func:`train_linear`, uses ``W, b``).  Random numbers always
come from a local :func:`numpy.random.default_rng` seeded by the caller, so every
result is reproducible.

Examples
--------
>>> from nnmath import network
>>> X, y = network.make_spiral(n_per_class=50)
>>> history = network.train(X, y, hidden=50, steps=300, record_every=100)
>>> history.steps
array([  0, 100, 200, 300])
>>> bool(history.loss[-1] < history.loss[0])
True
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnmath._validation import as_float_array, check_labels
from nnmath.activations import relu, relu_grad
from nnmath.losses import softmax_cross_entropy, softmax_cross_entropy_grad

__all__ = [
    "TrainingHistory",
    "accuracy",
    "dead_fraction",
    "decision_grid",
    "forward",
    "init_params",
    "linear_loss_and_grads",
    "loss_and_grads",
    "make_spiral",
    "predict",
    "train",
    "train_linear",
]

Params = dict[str, NDArray[np.float64]]

#: Keys of a two-layer network's parameters, in order.
NETWORK_KEYS = ("W1", "b1", "W2", "b2")
#: Keys of a linear softmax classifier's parameters.
LINEAR_KEYS = ("W", "b")


# --------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _check_float(value: object, name: str, *, minimum: float = 0.0, strict: bool = False) -> float:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if not np.isfinite(v) or v < minimum or (strict and v == minimum):
        sign = ">" if strict else ">="
        raise ValueError(f"{name} must be a finite number {sign} {minimum:g}, got {value!r}")
    return v


def _check_inputs(X: ArrayLike, name: str = "X") -> NDArray[np.floating]:
    a = as_float_array(X, name)
    if a.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features), got shape {a.shape}"
        )
    if a.size and not np.isfinite(a).all():
        raise ValueError(f"{name} must hold finite numbers only")
    return a


def _check_labels(y: ArrayLike, X: NDArray, n_classes: int) -> NDArray[np.integer]:
    labels = check_labels(y, "y", n_classes)
    if labels.shape != (X.shape[0],):
        raise ValueError(
            f"y must have shape ({X.shape[0]},), one label per row of X, got shape {labels.shape}"
        )
    return labels


def _check_params(params: object, keys: tuple[str, ...] = NETWORK_KEYS) -> Params:
    if not isinstance(params, dict):
        raise TypeError(
            f"params must be a dict with keys {list(keys)}, got {type(params).__name__}"
        )
    missing = [k for k in keys if k not in params]
    if missing:
        raise ValueError(f"params is missing {missing}; it needs the keys {list(keys)}")
    out = {k: as_float_array(params[k], f"params[{k!r}]") for k in keys}
    for w, b in zip(keys[0::2], keys[1::2], strict=True):
        if out[w].ndim != 2:
            raise ValueError(f"params[{w!r}] must be 2-D, got shape {out[w].shape}")
        if out[b].shape != (out[w].shape[1],):
            raise ValueError(
                f"params[{b!r}] must have shape ({out[w].shape[1]},) to match "
                f"params[{w!r}] of shape {out[w].shape}, got {out[b].shape}"
            )
    if len(keys) == 4 and out["W2"].shape[0] != out["W1"].shape[1]:
        raise ValueError(
            f"params['W2'] has {out['W2'].shape[0]} rows but params['W1'] has "
            f"{out['W1'].shape[1]} columns (hidden units); they must match"
        )
    return out


def _check_features(X: NDArray, W: NDArray, wname: str) -> None:
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X has {X.shape[1]} features per row but params[{wname!r}] expects {W.shape[0]}"
        )


def _param_keys(params: object) -> tuple[str, ...]:
    if isinstance(params, dict) and "W" in params and "W1" not in params:
        return LINEAR_KEYS
    return NETWORK_KEYS


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


def make_spiral(
    n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    r"""Points on interleaved spiral arms in the plane, one arm per class.

    The classic toy problem of the CS231n notes :cite:p:`cs231n`: no straight
    line separates the arms, so a linear classifier fails while a small ReLU
    network succeeds.

    Parameters
    ----------
    n_per_class : int, default 100
        Points per class (at least 1).
    n_classes : int, default 3
        Number of classes, i.e. spiral arms (at least 1).
    noise : float, default 0.2
        Standard deviation of the Gaussian noise added to each point's angle,
        in radians.
    seed : int, default 0
        Seed of the local random generator: the same seed gives the same data.

    Returns
    -------
    X : ndarray of shape (n_per_class * n_classes, 2), float64
        The points, inside the unit disc.
    y : ndarray of shape (n_per_class * n_classes,), int64
        Their classes, ``n_per_class`` of each, sorted.

    Notes
    -----
    Point :math:`i` of arm :math:`k` has radius :math:`r_i = i / (n - 1)` and angle
    :math:`\theta_i = 4 (k + r_i) + \varepsilon_i`, :math:`\varepsilon_i \sim
    \mathcal N(0, \sigma^2)`: each arm turns through 4 radians while it moves out
    from the centre to the unit circle.

    Examples
    --------
    >>> from nnmath.network import make_spiral
    >>> X, y = make_spiral(n_per_class=4, n_classes=2, noise=0.0)
    >>> X.shape, y.tolist()
    ((8, 2), [0, 0, 0, 0, 1, 1, 1, 1])
    >>> print(X[:4].round(3))
    [[ 0.     0.   ]
     [ 0.324  0.078]
     [ 0.305 -0.593]
     [-0.757 -0.654]]
    """
    n = _check_int(n_per_class, "n_per_class", 1)
    k = _check_int(n_classes, "n_classes", 1)
    sigma = _check_float(noise, "noise")
    seed = _check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    radius = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
    arm = np.repeat(np.arange(k), n)
    r = np.tile(radius, k)
    theta = 4.0 * (arm + r) + sigma * rng.standard_normal(n * k)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return X, arm.astype(np.int64)


# --------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------


def init_params(
    n_in: int, n_hidden: int, n_out: int, *, seed: int = 0, scale: float | None = None
) -> Params:
    r"""Random weights and zero biases for a two-layer network.

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

    Returns
    -------
    dict
        ``W1`` of shape (n_in, n_hidden), ``b1`` of shape (n_hidden,), ``W2`` of
        shape (n_hidden, n_out) and ``b2`` of shape (n_out,), all float64.

    Examples
    --------
    >>> from nnmath.network import init_params
    >>> params = init_params(2, 4, 3)
    >>> {name: value.shape for name, value in params.items()}
    {'W1': (2, 4), 'b1': (4,), 'W2': (4, 3), 'b2': (3,)}
    >>> print(params["b1"])
    [0. 0. 0. 0.]
    """
    n_in = _check_int(n_in, "n_in", 1)
    n_hidden = _check_int(n_hidden, "n_hidden", 1)
    n_out = _check_int(n_out, "n_out", 1)
    seed = _check_int(seed, "seed", 0)
    if scale is not None:
        scale = _check_float(scale, "scale")
    rng = np.random.default_rng(seed)
    s1 = np.sqrt(2.0 / n_in) if scale is None else scale
    s2 = np.sqrt(2.0 / n_hidden) if scale is None else scale
    return {
        "W1": s1 * rng.standard_normal((n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": s2 * rng.standard_normal((n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def forward(params: Params, X: ArrayLike) -> tuple[NDArray[np.floating], dict[str, NDArray]]:
    r"""Forward pass of the two-layer network: the logits, and what the backward pass needs.

    Parameters
    ----------
    params : dict
        ``W1, b1, W2, b2`` as made by :func:`init_params`.
    X : array_like of shape (n_samples, n_in)
        Inputs, one per row.

    Returns
    -------
    logits : ndarray of shape (n_samples, n_out)
        :math:`Z_2 = \operatorname{relu}(X W_1 + b_1) W_2 + b_2`.
    cache : dict
        ``X``, the pre-activations ``Z1`` and the hidden activations ``H``.

    See Also
    --------
    loss_and_grads : the loss and its gradient, using this cache.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import forward
    >>> params = {"W1": np.array([[1.0, -1.0]]), "b1": np.zeros(2),
    ...           "W2": np.eye(2), "b2": np.array([0.0, 0.5])}
    >>> logits, cache = forward(params, [[2.0], [-3.0]])
    >>> print(cache["H"])
    [[2. 0.]
     [0. 3.]]
    >>> print(logits)
    [[2.  0.5]
     [0.  3.5]]
    """
    p = _check_params(params)
    X = _check_inputs(X)
    _check_features(X, p["W1"], "W1")
    Z1 = X @ p["W1"] + p["b1"]
    H = relu(Z1)
    logits = H @ p["W2"] + p["b2"]
    return logits, {"X": X, "Z1": Z1, "H": H}


def loss_and_grads(
    params: Params, X: ArrayLike, y: ArrayLike, *, reg: float = 0.0
) -> tuple[float, Params]:
    r"""Mean cross-entropy of the network on ``(X, y)`` and its gradient, by backpropagation.

    Parameters
    ----------
    params : dict
        ``W1, b1, W2, b2``.
    X : array_like of shape (n_samples, n_in)
        Inputs.
    y : array_like of int, shape (n_samples,)
        Class labels in ``[0, n_out)``.
    reg : float, default 0.0
        Strength :math:`\lambda \ge 0` of the L2 penalty
        :math:`\tfrac{\lambda}{2}(\lVert W_1\rVert^2 + \lVert W_2\rVert^2)` (biases
        are not penalised).

    Returns
    -------
    loss : float
        Mean cross-entropy plus the penalty.
    grads : dict
        The gradient of ``loss`` with respect to each parameter, same keys and
        shapes as ``params``.

    See Also
    --------
    forward : the forward pass.
    nnmath.softmax_cross_entropy_grad : where the backward pass starts.
    nnmath.relu_grad : the gate of the hidden layer.

    Notes
    -----
    The backward pass, one line per layer:

    .. math::

        dZ_2 = (P - Y)/N, \quad dW_2 = H^\top dZ_2, \quad db_2 = \textstyle\sum_n dZ_2,
        \quad dH = dZ_2 W_2^\top, \quad dZ_1 = dH \odot \operatorname{relu}'(Z_1),
        \quad dW_1 = X^\top dZ_1, \quad db_1 = \textstyle\sum_n dZ_1,

    plus :math:`\lambda W` on each weight matrix when ``reg > 0``.

    Examples
    --------
    >>> from nnmath.network import init_params, loss_and_grads, make_spiral
    >>> X, y = make_spiral(n_per_class=10)
    >>> loss, grads = loss_and_grads(init_params(2, 8, 3, scale=1e-3), X, y)
    >>> print(round(loss, 4))  # ln 3 = 1.0986: tiny weights, uniform guesses
    1.0986
    >>> sorted(grads)
    ['W1', 'W2', 'b1', 'b2']
    """
    reg = _check_float(reg, "reg")
    p = _check_params(params)
    logits, cache = forward(p, X)
    labels = _check_labels(y, cache["X"], logits.shape[1])
    X, Z1, H = cache["X"], cache["Z1"], cache["H"]
    W1, W2 = p["W1"], p["W2"]

    loss = float(softmax_cross_entropy(logits, labels))
    if reg:
        loss += 0.5 * reg * (float(np.sum(W1 * W1)) + float(np.sum(W2 * W2)))

    dZ2 = softmax_cross_entropy_grad(logits, labels)  # (P - Y) / N: the top of the chain
    dW2 = H.T @ dZ2  # output layer weights
    db2 = dZ2.sum(axis=0)  # output layer biases
    dH = dZ2 @ W2.T  # back through the output layer
    dZ1 = dH * relu_grad(Z1)  # ReLU's gate: 1 where Z1 > 0, else 0
    dW1 = X.T @ dZ1  # hidden layer weights
    db1 = dZ1.sum(axis=0)  # hidden layer biases
    if reg:
        dW2 = dW2 + reg * W2
        dW1 = dW1 + reg * W1
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def linear_loss_and_grads(
    params: Params, X: ArrayLike, y: ArrayLike, *, reg: float = 0.0
) -> tuple[float, Params]:
    r"""Loss and gradient of a linear softmax classifier, logits :math:`Z = X W + b`.

    The network of :func:`loss_and_grads` with its hidden layer removed.

    Parameters
    ----------
    params : dict
        ``W`` of shape (n_in, n_out) and ``b`` of shape (n_out,).
    X, y, reg
        As in :func:`loss_and_grads`.

    Returns
    -------
    loss : float
    grads : dict
        ``W`` and ``b``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import linear_loss_and_grads
    >>> params = {"W": np.zeros((2, 3)), "b": np.zeros(3)}
    >>> loss, grads = linear_loss_and_grads(params, [[1.0, 0.0]], [2])
    >>> print(grads["b"].round(3))
    [ 0.333  0.333 -0.667]
    """
    reg = _check_float(reg, "reg")
    p = _check_params(params, LINEAR_KEYS)
    X = _check_inputs(X)
    _check_features(X, p["W"], "W")
    W = p["W"]
    Z = X @ W + p["b"]
    labels = _check_labels(y, X, Z.shape[1])
    loss = float(softmax_cross_entropy(Z, labels)) + 0.5 * reg * float(np.sum(W * W))
    dZ = softmax_cross_entropy_grad(Z, labels)
    dW = X.T @ dZ + reg * W
    db = dZ.sum(axis=0)
    return loss, {"W": dW, "b": db}


# --------------------------------------------------------------------------
# Predictions and diagnostics
# --------------------------------------------------------------------------


def _logits(params: Params, X: ArrayLike) -> NDArray[np.floating]:
    keys = _param_keys(params)
    if keys == LINEAR_KEYS:
        p = _check_params(params, LINEAR_KEYS)
        X = _check_inputs(X)
        _check_features(X, p["W"], "W")
        return X @ p["W"] + p["b"]
    return forward(params, X)[0]


def predict(params: Params, X: ArrayLike) -> NDArray[np.intp]:
    """Predicted class of each row of ``X``: the index of the largest logit.

    Parameters
    ----------
    params : dict
        A two-layer network (``W1, b1, W2, b2``) or a linear classifier (``W, b``).
    X : array_like of shape (n_samples, n_in)

    Returns
    -------
    ndarray of shape (n_samples,), int

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import predict
    >>> params = {"W": np.array([[1.0, -1.0]]), "b": np.zeros(2)}
    >>> predict(params, [[2.0], [-3.0]]).tolist()
    [0, 1]
    """
    return np.argmax(_logits(params, X), axis=1)


def accuracy(params: Params, X: ArrayLike, y: ArrayLike) -> float:
    """Fraction of rows of ``X`` whose predicted class equals ``y``.

    Parameters
    ----------
    params : dict
        A two-layer network or a linear classifier (see :func:`predict`).
    X : array_like of shape (n_samples, n_in)
    y : array_like of int, shape (n_samples,)

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import accuracy
    >>> params = {"W": np.array([[1.0, -1.0]]), "b": np.zeros(2)}
    >>> accuracy(params, [[2.0], [-3.0], [1.0], [4.0]], [0, 1, 1, 0])
    0.75
    """
    logits = _logits(params, X)
    labels = _check_labels(y, logits, logits.shape[1])
    if labels.size == 0:
        raise ValueError("X holds no samples, so the accuracy is undefined")
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def dead_fraction(params: Params, X: ArrayLike) -> float:
    """Fraction of hidden units that output 0 on every row of ``X`` (dead ReLUs).

    A dead unit has a pre-activation :math:`\\le 0` on every input, so
    :func:`nnmath.relu_grad` is 0 for it everywhere: its incoming weights get a zero
    gradient and gradient descent can never revive it.

    Parameters
    ----------
    params : dict
        ``W1, b1, W2, b2``.
    X : array_like of shape (n_samples, n_in)
        The inputs to test the units on (usually the training set).

    Returns
    -------
    float in [0, 1]

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import dead_fraction
    >>> params = {"W1": np.array([[1.0, -1.0, 0.0, 2.0]]), "b1": np.array([0, 0, -1, 0.0]),
    ...           "W2": np.zeros((4, 2)), "b2": np.zeros(2)}
    >>> dead_fraction(params, [[1.0], [2.0]])  # units 1 and 2 never fire
    0.5
    """
    _, cache = forward(params, X)
    if cache["X"].shape[0] == 0:
        raise ValueError("X holds no samples, so no unit can be tested")
    fires = np.any(cache["H"] > 0, axis=0)
    return float(1.0 - np.mean(fires))


def decision_grid(
    params: Params,
    xlim: tuple[float, float] = (-1.1, 1.1),
    ylim: tuple[float, float] = (-1.1, 1.1),
    n: int = 100,
) -> NDArray[np.intp]:
    """Predicted class on an ``n`` by ``n`` grid of the plane, for drawing decision regions.

    Parameters
    ----------
    params : dict
        A two-layer network or a linear classifier with 2 inputs.
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
    >>> from nnmath.network import decision_grid
    >>> params = {"W": np.array([[1.0, -1.0], [0.0, 0.0]]), "b": np.zeros(2)}
    >>> print(decision_grid(params, (-1, 1), (-1, 1), n=4))
    [[1 1 0 0]
     [1 1 0 0]
     [1 1 0 0]
     [1 1 0 0]]
    """
    n = _check_int(n, "n", 2)
    bounds = []
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        try:
            lo, hi = (float(v) for v in lim)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a pair of numbers (low, high), got {lim!r}") from None
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"{name} must be finite with low < high, got {lim!r}")
        bounds.append((lo, hi))
    gx = np.linspace(*bounds[0], n)
    gy = np.linspace(*bounds[1], n)
    xx, yy = np.meshgrid(gx, gy)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    return predict(params, points).reshape(n, n)


# --------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------


@dataclass
class TrainingHistory:
    """What :func:`train` and :func:`train_linear` record.

    Attributes
    ----------
    steps : ndarray of int, shape (n_records,)
        The recorded steps, in increasing order: by default 0 (before any
        update), every ``record_every`` updates, and the last step.
    params : list of dict
        A copy of the parameters at each recorded step.
    loss : ndarray of shape (n_steps + 1,)
        The training loss (with the L2 penalty) after 0, 1, ..., ``n_steps`` updates.
    accuracy : ndarray of shape (n_records,)
        Training accuracy at each recorded step.
    dead_fraction : ndarray of shape (n_records,)
        Fraction of hidden units dead on the training set at each recorded step
        (NaN for a linear classifier, which has no hidden units).
    hidden, lr, reg
        The settings of the run (``hidden`` is 0 for a linear classifier).
    """

    steps: NDArray[np.int64]
    params: list[Params]
    loss: NDArray[np.float64]
    accuracy: NDArray[np.float64]
    dead_fraction: NDArray[np.float64]
    hidden: int
    lr: float
    reg: float
    index: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {int(s): i for i, s in enumerate(self.steps)}

    @property
    def final(self) -> Params:
        """The parameters after the last step."""
        return self.params[-1]

    def at(self, step: int) -> Params:
        """The parameters recorded at ``step`` (one of :attr:`steps`)."""
        if step not in self.index:
            raise ValueError(
                f"step {step!r} was not recorded; recorded steps are {self.steps.tolist()}"
            )
        return self.params[self.index[step]]


def _record_steps(steps: int, record_every: int | None, record_at) -> NDArray[np.int64]:
    if record_at is not None:
        if record_every is not None:
            raise TypeError("pass record_every or record_at, not both")
        at = np.asarray(record_at)
        if at.ndim != 1 or at.size == 0 or at.dtype.kind not in "iu":
            raise TypeError(
                f"record_at must be a non-empty sequence of integer steps, got {record_at!r}"
            )
        if at.min() < 0 or at.max() > steps:
            raise ValueError(f"record_at must hold steps in [0, {steps}], got {at.tolist()}")
        return np.unique(at).astype(np.int64)
    every = (
        max(1, steps // 20) if record_every is None else _check_int(record_every, "record_every", 1)
    )
    return np.unique(np.r_[np.arange(0, steps + 1, every), steps]).astype(np.int64)


def _gradient_descent(
    params: Params,
    loss_and_grads_fn,
    X: NDArray,
    y: NDArray,
    *,
    lr: float,
    steps: int,
    reg: float,
    record: NDArray[np.int64],
    hidden: int,
) -> TrainingHistory:
    losses = np.empty(steps + 1)
    snapshots: list[Params] = []
    wanted = set(record.tolist())
    t = 0
    try:
        with np.errstate(over="raise", invalid="raise"):
            for t in range(steps + 1):
                loss, grads = loss_and_grads_fn(params, X, y, reg=reg)
                if not np.isfinite(loss):
                    raise FloatingPointError(f"the loss is {loss}")
                losses[t] = loss
                if t in wanted:
                    snapshots.append({k: v.copy() for k, v in params.items()})
                if t == steps:
                    break
                for k in params:
                    params[k] -= lr * grads[k]
    except FloatingPointError as exc:
        raise FloatingPointError(
            f"training diverged at step {t} ({exc}); lower the learning rate lr={lr:g}"
        ) from None
    acc = np.array([accuracy(p, X, y) for p in snapshots])
    if hidden:
        dead = np.array([dead_fraction(p, X) for p in snapshots])
    else:
        dead = np.full(len(snapshots), np.nan)
    return TrainingHistory(
        steps=record,
        params=snapshots,
        loss=losses,
        accuracy=acc,
        dead_fraction=dead,
        hidden=hidden,
        lr=lr,
        reg=reg,
    )


def train(
    X: ArrayLike,
    y: ArrayLike,
    *,
    hidden: int = 100,
    lr: float = 1.0,
    steps: int = 1000,
    reg: float = 1e-3,
    seed: int = 0,
    record_every: int | None = None,
    record_at: Sequence[int] | None = None,
    scale: float | None = None,
    n_classes: int | None = None,
) -> TrainingHistory:
    r"""Train a two-layer ReLU network by full-batch gradient descent.

    Each step computes :func:`loss_and_grads` on the whole of ``(X, y)`` and moves
    every parameter by ``-lr`` times its gradient.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_in)
        Training inputs.
    y : array_like of int, shape (n_samples,)
        Their classes.
    hidden : int, default 100
        Number of hidden ReLU units.
    lr : float, default 1.0
        Learning rate (step size), > 0.
    steps : int, default 1000
        Number of gradient-descent updates.
    reg : float, default 1e-3
        L2 penalty strength (see :func:`loss_and_grads`).
    seed : int, default 0
        Seed of the initial weights (see :func:`init_params`).
    record_every : int, optional
        Record the parameters every this many steps (and at the last step); by
        default about 20 records.
    record_at : sequence of int, optional
        Record exactly at these steps instead (each in ``[0, steps]``), for
        example more often early in training, where most of the change happens.
    scale : float, optional
        Initial weight scale; He initialisation by default.
    n_classes : int, optional
        Number of classes; by default ``max(y) + 1``.

    Returns
    -------
    TrainingHistory
        The loss at every step, and parameters, accuracy and dead-unit fraction
        at the recorded steps.

    Raises
    ------
    FloatingPointError
        If the loss stops being finite (the learning rate is far too large).

    See Also
    --------
    train_linear : the same without the hidden layer.

    Examples
    --------
    >>> from nnmath.network import make_spiral, train
    >>> X, y = make_spiral()
    >>> history = train(X, y, steps=1000)
    >>> print(history.accuracy[-1] >= 0.95, history.steps[-1])
    True 1000
    """
    X, labels, k = _training_data(X, y, n_classes)
    hidden = _check_int(hidden, "hidden", 1)
    lr = _check_float(lr, "lr", strict=True)
    steps = _check_int(steps, "steps", 0)
    reg = _check_float(reg, "reg")
    record = _record_steps(steps, record_every, record_at)
    params = init_params(X.shape[1], hidden, k, seed=seed, scale=scale)
    return _gradient_descent(
        params, loss_and_grads, X, labels, lr=lr, steps=steps, reg=reg, record=record, hidden=hidden
    )


def train_linear(
    X: ArrayLike,
    y: ArrayLike,
    *,
    lr: float = 1.0,
    steps: int = 1000,
    reg: float = 1e-3,
    seed: int = 0,
    record_every: int | None = None,
    record_at: Sequence[int] | None = None,
    n_classes: int | None = None,
) -> TrainingHistory:
    """Train a linear softmax classifier (no hidden layer) by full-batch gradient descent.

    Parameters
    ----------
    X, y, lr, steps, reg, seed, record_every, record_at, n_classes
        As in :func:`train`; the weights start at standard deviation 0.01.

    Returns
    -------
    TrainingHistory
        With ``hidden = 0`` and a NaN dead fraction.

    Examples
    --------
    >>> from nnmath.network import make_spiral, train_linear
    >>> X, y = make_spiral()
    >>> history = train_linear(X, y, steps=500)
    >>> print(history.accuracy[-1] < 0.6)
    True
    """
    X, labels, k = _training_data(X, y, n_classes)
    lr = _check_float(lr, "lr", strict=True)
    steps = _check_int(steps, "steps", 0)
    reg = _check_float(reg, "reg")
    seed = _check_int(seed, "seed", 0)
    record = _record_steps(steps, record_every, record_at)
    rng = np.random.default_rng(seed)
    params = {"W": 0.01 * rng.standard_normal((X.shape[1], k)), "b": np.zeros(k)}
    return _gradient_descent(
        params,
        linear_loss_and_grads,
        X,
        labels,
        lr=lr,
        steps=steps,
        reg=reg,
        record=record,
        hidden=0,
    )


def _training_data(
    X: ArrayLike, y: ArrayLike, n_classes: int | None
) -> tuple[NDArray[np.float64], NDArray[np.integer], int]:
    X = _check_inputs(X).astype(np.float64, copy=False)
    if X.shape[0] == 0:
        raise ValueError("X holds no samples")
    y_arr = np.asarray(y)
    if y_arr.dtype.kind not in "iu":
        raise TypeError(f"y holds class labels, which must be integers, got dtype {y_arr.dtype}")
    if n_classes is None:
        k = int(np.max(y_arr)) + 1 if y_arr.size else 1
        k = max(k, 1)
    else:
        k = _check_int(n_classes, "n_classes", 1)
    labels = _check_labels(y_arr, X, k)
    return X, labels, k
