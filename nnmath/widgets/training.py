"""Explorer for the capstone: a two-layer ReLU network learning the spiral, step by step."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from .. import network
from .controls import Choice, Slider
from .explorer import Explorer
from .page import encode_array

__all__ = ["TrainingExplorer", "reference", "setting_key"]


@lru_cache(maxsize=1)
def _spiral() -> tuple[np.ndarray, np.ndarray]:
    return network.make_spiral()


@lru_cache(maxsize=32)
def _history(hidden: int, lr: float) -> network.History:
    """Train once per setting, keeping every step; every explorer in the session shares it."""
    X, y = _spiral()
    return network.train(
        X,
        y,
        hidden=hidden,
        lr=lr,
        steps=TrainingExplorer.STEPS,
        reg=TrainingExplorer.REG,
        seed=0,
        checkpoint_every=1,
    )


def setting_key(hidden: int, lr: float) -> str:
    """The key of a (hidden, lr) setting in the page's table of references.

    >>> setting_key(100, 3.0)
    '100|3.000000'
    """
    return f"{int(hidden)}|{float(lr):.6f}"


@lru_cache(maxsize=64)
def reference(hidden: int, lr: float) -> dict[str, Any]:
    """nnmath's own final numbers for a setting: loss, accuracy and dead fraction at the
    last step of :func:`nnmath.network.train` (``diverged`` is None: no setting of the
    explorer diverges in nnmath)."""
    X, y = _spiral()
    history = network.train(
        X, y, hidden=hidden, lr=lr, steps=TrainingExplorer.STEPS, reg=TrainingExplorer.REG, seed=0
    )
    return {
        "loss": float(history.loss[-1]),
        "accuracy": float(history.accuracy[-1]),
        "dead": float(history.dead_fraction[-1]),
        "diverged": None,
    }


class TrainingExplorer(Explorer):
    """A two-layer ReLU network trained on the spiral: decision regions and loss curve.

    Controls: ``hidden`` (hidden ReLU units), ``lr`` (learning rate of plain gradient
    descent) and ``step`` (the number of gradient-descent steps taken, with a play
    button that moves it). Each (hidden, lr) setting is trained once, with
    :func:`nnmath.network.train`, keeping the parameters at every step; moving ``step``
    only looks them up.

    One panel colours the plane by the class the network predicts there (from
    :func:`nnmath.network.decision_grid`), with the training points on top; the
    other shows the loss at every step (log scale) with a marker at the
    current step, and the accuracy and fraction of dead hidden units there.

    Examples
    --------
    >>> ex = TrainingExplorer(hidden=20, lr=1.0, step=0)
    >>> ex.state["loss"] == ex.state["losses"][0]
    True
    >>> ex.set("step", 1000)
    >>> print(f"{ex.state['accuracy']:.1%}")
    99.0%
    """

    name = "training"
    title = (
        "Decision regions of a two-layer ReLU network on the spiral of classes 1 to 3, and "
        "its training loss against the step"
    )
    HIDDEN = (5, 10, 20, 50, 100)
    LEARNING_RATES = (0.1, 0.3, 1.0, 3.0, 10.0)
    STEPS = 1000
    REG = 1e-3
    LIMITS = (-1.15, 1.15)
    GRID = 100
    LOSS_LIMITS = (0.15, 25.0)

    CONTROLS = (
        Choice("hidden", "hidden units", tuple((str(h), h) for h in HIDDEN), 100),
        Choice("lr", "learning rate", tuple((f"{v:g}", v) for v in LEARNING_RATES), 1.0),
        Slider("step", "training step", 0, STEPS, 1, STEPS, integer=True, play=True, play_step=5),
    )

    def page_config(self) -> dict[str, Any]:
        X, y = _spiral()
        n_classes = int(y.max()) + 1
        initial = {}
        for hidden in self.HIDDEN:
            net = network.TwoLayerNet.init(X.shape[1], hidden, n_classes, seed=0)
            initial[str(hidden)] = {
                key: encode_array(getattr(net, key)) for key in ("W1", "b1", "W2", "b2")
            }
        return {
            "X": encode_array(X),
            "y": encode_array(y, dtype="int32"),
            "nIn": X.shape[1],
            "nOut": n_classes,
            "reg": self.REG,
            "steps": self.STEPS,
            "initial": initial,
            "limits": list(self.LIMITS),
            "grid": self.GRID,
            "lossLimits": list(self.LOSS_LIMITS),
        }

    @classmethod
    def references(cls) -> dict[str, dict[str, Any]]:
        """nnmath's final numbers for every setting, by :func:`setting_key` (slow: it trains
        each setting; the book's build computes this once for the page)."""
        return {
            setting_key(h, lr): reference(h, lr) for h in cls.HIDDEN for lr in cls.LEARNING_RATES
        }

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        hidden, lr, step = int(values["hidden"]), float(values["lr"]), int(values["step"])
        history = _history(hidden, lr)
        grid = network.decision_grid(history.model_at(step), self.LIMITS, self.LIMITS, n=self.GRID)
        loss = float(history.loss[step])
        return {
            "hidden": hidden,
            "lr": lr,
            "step": step,
            "trained": self.STEPS,
            "loss": loss,
            "accuracy": float(history.accuracy[step]),
            "dead": float(history.dead_fraction[step]),
            "losses": history.loss.tolist(),
            "regions": (np.asarray(grid, dtype=np.uint8) + ord("0")).tobytes().decode("ascii"),
            "blownUp": bool(loss > history.loss[0]),
            "diverged": None,
            "reference": {
                "loss": float(history.loss[-1]),
                "accuracy": float(history.accuracy[-1]),
                "dead": float(history.dead_fraction[-1]),
                "diverged": None,
            },
            "parted": False,
        }
