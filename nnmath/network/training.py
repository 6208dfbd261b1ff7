r"""Training the capstone's models: full-batch gradient descent and mini-batch SGD.

:func:`fit` runs one loop for both.  Each step moves every parameter against its
gradient, :math:`\theta \leftarrow \theta - \eta\, d\theta`, where :math:`d\theta` is
the gradient of the mean cross-entropy (plus the L2 penalty) over

- the whole training set (``batch_size=None``, the default): full-batch gradient
  descent, one step per epoch;
- a mini-batch of ``batch_size`` samples: stochastic gradient descent.  Each epoch
  shuffles the samples with a local generator seeded by ``shuffle_seed`` and cuts
  them into consecutive batches (see :func:`minibatches`), so an epoch takes
  :math:`\lceil N / B \rceil` steps and uses every sample once.

Because the loss is a mean, a mini-batch gradient has the size of the full one, only
noisier, and a batch of all :math:`N` samples takes the same steps as full-batch
descent. The mean keeps the gradient from growing with the batch; it does not make the
best learning rate independent of the batch size: smaller, noisier batches usually want
smaller steps (chapter 5 of the book measures it on the spiral).

:func:`train` and :func:`train_linear` make a model (:class:`TwoLayerNet`,
:class:`LinearClassifier`) and fit it.

Examples
--------
>>> from nnmath import network
>>> X, y = network.make_spiral(n_per_class=50)
>>> history = network.train(X, y, hidden=50, steps=300, checkpoint_every=100)
>>> sorted(history.checkpoints)
[0, 100, 200, 300]
>>> history.steps.shape, bool(history.loss[-1] < history.loss[0])
((301,), True)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnmath._validation import as_float_array, check_int, check_real
from nnmath.network.models import (
    Classifier,
    LinearClassifier,
    TwoLayerNet,
    check_inputs,
    check_targets,
)

__all__ = ["History", "fit", "minibatches", "train", "train_linear"]

#: Steps of full-batch gradient descent when neither ``steps`` nor ``epochs`` is given.
DEFAULT_STEPS = 1000


@dataclass(frozen=True, eq=False)
class History:
    """What :func:`fit` records.

    Every array has one entry per evaluated step, on the one time axis :attr:`steps`:
    the model after that many updates, measured on the whole training set (and on the
    held-out set, if one was given).

    Attributes
    ----------
    steps : ndarray of int, shape (n_evals,)
        The evaluated steps, increasing, from 0 (before any update) to the last step.
    loss : ndarray of shape (n_evals,)
        Training loss: mean cross-entropy plus the L2 penalty.
    accuracy : ndarray of shape (n_evals,)
        Training accuracy.
    dead_fraction : ndarray of shape (n_evals,)
        Fraction of hidden units that never fire on the training set (NaN for a
        :class:`LinearClassifier`, which has none).
    val_loss, val_accuracy : ndarray of shape (n_evals,), or None
        The same loss (penalty included) and the accuracy on ``(X_val, y_val)``;
        None without held-out data.
    checkpoints : dict of int to model
        Copies of the model at the checkpointed steps, the first and last included.
    lr, reg : float
        Learning rate and L2 penalty strength.
    batch_size : int
        Samples per step (all of them for full-batch gradient descent).
    steps_per_epoch : int
        Steps that use every training sample once: 1 for full-batch descent,
        ``ceil(n_samples / batch_size)`` for mini-batches.
    shuffle_seed : int or None
        Seed of the generator that shuffled the mini-batches; None for full batches.
    """

    steps: NDArray[np.int64]
    loss: NDArray[np.float64]
    accuracy: NDArray[np.float64]
    dead_fraction: NDArray[np.float64]
    val_loss: NDArray[np.float64] | None
    val_accuracy: NDArray[np.float64] | None
    checkpoints: Mapping[int, Classifier]
    lr: float
    reg: float
    batch_size: int
    steps_per_epoch: int
    shuffle_seed: int | None

    @property
    def final(self) -> Classifier:
        """The model after the last step."""
        return self.checkpoints[int(self.steps[-1])]

    def model_at(self, step: int) -> Classifier:
        """The model checkpointed at ``step``."""
        if step not in self.checkpoints:
            raise ValueError(
                f"step {step!r} was not checkpointed; checkpointed steps are "
                f"{sorted(self.checkpoints)}"
            )
        return self.checkpoints[step]


def minibatches(n_samples: int, batch_size: int, *, seed: int = 0) -> Iterator[NDArray[np.intp]]:
    """Row indices of mini-batches, epoch after epoch, without end.

    Each epoch draws a permutation of ``range(n_samples)`` from
    ``numpy.random.default_rng(seed)`` and cuts it into consecutive batches of
    ``batch_size``; when ``batch_size`` does not divide ``n_samples`` the last batch
    of each epoch holds the rest.

    Examples
    --------
    >>> from nnmath.network import minibatches
    >>> batches = minibatches(5, 2, seed=0)
    >>> [next(batches).tolist() for _ in range(3)]  # one epoch: every sample once
    [[2, 4], [3, 0], [1]]
    """
    n = check_int(n_samples, "n_samples", minimum=1)
    b = check_int(batch_size, "batch_size", minimum=1, maximum=n)
    seed = check_int(seed, "seed", minimum=0)
    return _minibatches(n, b, np.random.default_rng(seed))


def _minibatches(n: int, b: int, rng: np.random.Generator) -> Iterator[NDArray[np.intp]]:
    while True:
        order = rng.permutation(n)
        for start in range(0, n, b):
            yield order[start : start + b]


def _schedule(steps: int, every: int) -> NDArray[np.int64]:
    return np.unique(np.r_[np.arange(0, steps + 1, every), steps]).astype(np.int64)


def _checkpoint_steps(
    steps: int, checkpoint_every: int | None, checkpoint_at: Sequence[int] | None
) -> NDArray[np.int64]:
    if checkpoint_at is None:
        if checkpoint_every is None:
            return _schedule(steps, max(1, steps // 20))
        return _schedule(steps, check_int(checkpoint_every, "checkpoint_every", minimum=1))
    if checkpoint_every is not None:
        raise TypeError("pass checkpoint_every or checkpoint_at, not both")
    at = np.asarray(checkpoint_at)
    if at.ndim != 1 or at.size == 0 or at.dtype.kind not in "iu":
        raise TypeError(
            f"checkpoint_at must be a non-empty sequence of integer steps, got {checkpoint_at!r}"
        )
    if at.min() < 0 or at.max() > steps:
        raise ValueError(f"checkpoint_at must hold steps in [0, {steps}], got {at.tolist()}")
    return np.unique(np.r_[at, steps]).astype(np.int64)


def _data(model: Classifier, X: ArrayLike, y: ArrayLike, xname: str, yname: str):
    X = check_inputs(X, model.n_in, xname).astype(np.float64, copy=False)
    if X.shape[0] == 0:
        raise ValueError(f"{xname} holds no samples")
    return X, check_targets(y, X.shape[0], model.n_out, yname)


def fit(
    model: Classifier,
    X: ArrayLike,
    y: ArrayLike,
    *,
    lr: float,
    steps: int | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    reg: float = 0.0,
    shuffle_seed: int = 0,
    eval_every: int | None = None,
    checkpoint_every: int | None = None,
    checkpoint_at: Sequence[int] | None = None,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
) -> History:
    r"""Train a copy of ``model`` by gradient descent on the mean cross-entropy.

    Parameters
    ----------
    model : TwoLayerNet or LinearClassifier
        The starting point; it is not changed.
    X : array_like of shape (n_samples, n_in)
        Training inputs.
    y : array_like of int, shape (n_samples,)
        Their classes, in ``[0, model.n_out)``.
    lr : float
        Learning rate (step size), > 0.
    steps, epochs : int
        How long to train, as a number of updates or of passes over the training
        set; give exactly one.  An epoch is :attr:`History.steps_per_epoch` steps.
    batch_size : int, optional
        Samples per step, in ``[1, n_samples]``; by default all of them, in their
        given order (full-batch gradient descent).
    reg : float, default 0.0
        L2 penalty strength (see :meth:`TwoLayerNet.loss_and_grads`).
    shuffle_seed : int, default 0
        Seed of the generator that shuffles the mini-batches.
    eval_every : int, optional
        Evaluate the model every this many steps (and at the last one); by default
        once per epoch.  Evaluating costs a forward pass over the training set,
        except with full batches, where the step's own forward pass is used.
    checkpoint_every : int, optional
        Keep a copy of the model every this many steps (and at the last one); by
        default about 20 copies.
    checkpoint_at : sequence of int, optional
        Keep copies at exactly these steps (each in ``[0, steps]``) and the last one.
    X_val, y_val : array_like, optional
        Held-out data, evaluated at the same steps as the training data.

    Returns
    -------
    History

    Raises
    ------
    FloatingPointError
        If the loss or the parameters stop being finite (the learning rate is far
        too large).

    Examples
    --------
    >>> from nnmath.network import TwoLayerNet, fit, make_spiral_split
    >>> (X, y), (X_held, y_held) = make_spiral_split()
    >>> net = TwoLayerNet.init(2, 100, 3, seed=0)
    >>> sgd = fit(net, X, y, lr=0.3, reg=1e-3, batch_size=30, epochs=100,
    ...           X_val=X_held, y_val=y_held)
    >>> sgd.steps_per_epoch, sgd.steps[:3].tolist(), int(sgd.steps[-1])  # once per epoch
    (10, [0, 10, 20], 1000)
    >>> print(f"training {sgd.accuracy[-1]:.1%}, held-out {sgd.val_accuracy[-1]:.1%}")
    training 97.7%, held-out 96.7%
    """
    if not isinstance(model, Classifier):
        raise TypeError(
            f"model must be a TwoLayerNet or a LinearClassifier, got {type(model).__name__}"
        )
    X, labels = _data(model, X, y, "X", "y")
    if (X_val is None) != (y_val is None):
        raise TypeError("pass X_val and y_val together, or neither")
    val = None if X_val is None else _data(model, X_val, y_val, "X_val", "y_val")
    lr = check_real(lr, "lr", minimum=0.0, strict=True)
    reg = check_real(reg, "reg", minimum=0.0)
    n = X.shape[0]
    batches = None
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=n)
        shuffle_seed = check_int(shuffle_seed, "shuffle_seed", minimum=0)
        batches = _minibatches(n, batch_size, np.random.default_rng(shuffle_seed))
    else:
        check_int(shuffle_seed, "shuffle_seed", minimum=0)
        batch_size, shuffle_seed = n, None
    steps_per_epoch = -(-n // batch_size)
    if (steps is None) == (epochs is None):
        raise TypeError("pass steps or epochs (how long to train), exactly one of them")
    if steps is None:
        steps = check_int(epochs, "epochs", minimum=0) * steps_per_epoch
    else:
        steps = check_int(steps, "steps", minimum=0)
    every = steps_per_epoch if eval_every is None else eval_every
    evals = _schedule(steps, check_int(every, "eval_every", minimum=1))
    keep = _checkpoint_steps(steps, checkpoint_every, checkpoint_at)
    log = _run(
        model.copy(), X, labels, val, lr=lr, reg=reg, batches=batches, evals=evals, keep=keep
    )
    return History(
        steps=evals,
        **log,
        lr=lr,
        reg=reg,
        batch_size=batch_size,
        steps_per_epoch=steps_per_epoch,
        shuffle_seed=shuffle_seed,
    )


def _run(model, X, labels, val, *, lr, reg, batches, evals, keep) -> dict:
    """The training loop, on checked data; ``model`` is updated in place."""
    n_steps = int(evals[-1])
    row = {int(s): i for i, s in enumerate(evals)}
    keep = set(keep.tolist())
    log = {name: np.empty(evals.size) for name in ("loss", "accuracy", "dead_fraction")}
    if val is not None:
        log.update(val_loss=np.empty(evals.size), val_accuracy=np.empty(evals.size))
    checkpoints = {}
    params = model.parameters()
    t = 0
    try:
        with np.errstate(over="raise", invalid="raise"):
            for t in range(n_steps + 1):
                if batches is None or t in row:  # the model on the whole training set
                    logits, cache = model._forward(X)
                    loss = model._loss(logits, labels, reg)
                    if not np.isfinite(loss):
                        raise FloatingPointError(f"the loss is {loss}")
                if t in row:
                    i = row[t]
                    log["loss"][i] = loss
                    log["accuracy"][i] = np.mean(np.argmax(logits, axis=1) == labels)
                    log["dead_fraction"][i] = model._dead_fraction(cache)
                    if val is not None:
                        val_logits, _ = model._forward(val[0])
                        log["val_loss"][i] = model._loss(val_logits, val[1], reg)
                        log["val_accuracy"][i] = np.mean(np.argmax(val_logits, axis=1) == val[1])
                if t in keep:
                    checkpoints[t] = model.copy()
                if t == n_steps:
                    break
                if batches is None:
                    grads = model._grads(cache, logits, labels, reg)
                else:
                    idx = next(batches)
                    batch_logits, batch_cache = model._forward(X[idx])
                    grads = model._grads(batch_cache, batch_logits, labels[idx], reg)
                for p, g in zip(params, grads, strict=True):
                    p -= lr * g
    except FloatingPointError as exc:
        raise FloatingPointError(
            f"training diverged at step {t} ({exc}) at lr={lr:g}; lower the learning rate "
            "or rescale the inputs"
        ) from None
    log.setdefault("val_loss", None)
    log.setdefault("val_accuracy", None)
    return {**log, "checkpoints": checkpoints}


def _n_classes(y: ArrayLike, n_classes: int | None) -> int:
    if n_classes is not None:
        return check_int(n_classes, "n_classes", minimum=1)
    y_arr = np.asarray(y)
    if y_arr.dtype.kind not in "iu":
        raise TypeError(f"y holds class labels, which must be integers, got dtype {y_arr.dtype}")
    return max(int(np.max(y_arr)) + 1 if y_arr.size else 1, 1)


def _n_features(X: ArrayLike) -> int:
    a = as_float_array(X, "X")
    if a.ndim != 2:
        raise ValueError(
            f"X must be a 2-D array of shape (n_samples, n_features), got shape {a.shape}"
        )
    return a.shape[1]


def train(
    X: ArrayLike,
    y: ArrayLike,
    *,
    hidden: int = 100,
    lr: float = 1.0,
    steps: int | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    reg: float = 1e-3,
    seed: int = 0,
    shuffle_seed: int = 0,
    scale: float | None = None,
    n_classes: int | None = None,
    eval_every: int | None = None,
    checkpoint_every: int | None = None,
    checkpoint_at: Sequence[int] | None = None,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
) -> History:
    r"""Train a two-layer ReLU network, by default with full-batch gradient descent.

    Makes ``TwoLayerNet.init(n_features, hidden, n_classes, seed=seed, scale=scale)``
    and passes it to :func:`fit` with the other arguments.

    Parameters
    ----------
    X, y
        Training data, as in :func:`fit`.
    hidden : int, default 100
        Number of hidden ReLU units.
    lr : float, default 1.0
        Learning rate.
    steps, epochs : int, optional
        As in :func:`fit`; by default 1000 steps.
    batch_size : int, optional
        As in :func:`fit`; by default full batches.
    reg : float, default 1e-3
        L2 penalty strength (the value of the CS231n notes :cite:p:`cs231n`).
    seed : int, default 0
        Seed of the initial weights (see :meth:`TwoLayerNet.init`).
    shuffle_seed : int, default 0
        Seed of the mini-batch shuffling.
    scale : float, optional
        Initial weight scale; He initialisation by default.
    n_classes : int, optional
        Number of classes; by default ``max(y) + 1``.
    eval_every, checkpoint_every, checkpoint_at, X_val, y_val
        As in :func:`fit`.

    Returns
    -------
    History

    Examples
    --------
    >>> from nnmath.network import make_spiral, train
    >>> X, y = make_spiral()
    >>> history = train(X, y)  # 100 hidden units, lr 1, 1000 full-batch steps
    >>> print(history.accuracy[-1] >= 0.95, history.steps[-1])
    True 1000
    """
    if steps is None and epochs is None:
        steps = DEFAULT_STEPS
    model = TwoLayerNet.init(
        _n_features(X), hidden, _n_classes(y, n_classes), seed=seed, scale=scale
    )
    return fit(
        model,
        X,
        y,
        lr=lr,
        steps=steps,
        epochs=epochs,
        batch_size=batch_size,
        reg=reg,
        shuffle_seed=shuffle_seed,
        eval_every=eval_every,
        checkpoint_every=checkpoint_every,
        checkpoint_at=checkpoint_at,
        X_val=X_val,
        y_val=y_val,
    )


def train_linear(
    X: ArrayLike,
    y: ArrayLike,
    *,
    lr: float = 1.0,
    steps: int | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    reg: float = 1e-3,
    seed: int = 0,
    shuffle_seed: int = 0,
    n_classes: int | None = None,
    eval_every: int | None = None,
    checkpoint_every: int | None = None,
    checkpoint_at: Sequence[int] | None = None,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
) -> History:
    """Train a linear softmax classifier (no hidden layer), by default with full batches.

    As :func:`train`, with ``LinearClassifier.init(n_features, n_classes, seed=seed)``
    (weights of standard deviation 0.01).

    Examples
    --------
    >>> from nnmath.network import make_spiral, train_linear
    >>> X, y = make_spiral()
    >>> history = train_linear(X, y, steps=500)
    >>> print(history.accuracy[-1] < 0.6)
    True
    """
    if steps is None and epochs is None:
        steps = DEFAULT_STEPS
    model = LinearClassifier.init(_n_features(X), _n_classes(y, n_classes), seed=seed)
    return fit(
        model,
        X,
        y,
        lr=lr,
        steps=steps,
        epochs=epochs,
        batch_size=batch_size,
        reg=reg,
        shuffle_seed=shuffle_seed,
        eval_every=eval_every,
        checkpoint_every=checkpoint_every,
        checkpoint_at=checkpoint_at,
        X_val=X_val,
        y_val=y_val,
    )
