"""Explorer for the capstone: a two-layer ReLU network learning the spiral, step by step."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .. import network
from ..plots import (
    CLASS_COLORS,
    CLASS_MARKERS,
    PALETTE,
    REGION_TINT,
    decision_image,
    style_axes,
)
from .controls import Choice, Slider
from .explorer import Explorer
from .page import encode_array

__all__ = ["TrainingExplorer"]

#: Shown when the loss is above where it started: the steps are too large.
BLOWN_UP = "loss above its start:\nlearning rate too large"


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


class TrainingExplorer(Explorer):
    """A two-layer ReLU network trained on the spiral: decision regions and loss curve.

    Controls: ``hidden`` (hidden ReLU units), ``lr`` (learning rate of plain gradient
    descent) and ``step`` (the number of gradient-descent steps taken, with a play
    button that moves it).  Each (hidden, lr) setting is trained once, with
    :func:`nnmath.network.train`, keeping the parameters at every step; moving ``step``
    only swaps the data shown.

    The left panel colours the plane by the class the network predicts there (from
    :func:`nnmath.network.decision_grid`), with the training points on top; the
    right panel shows the loss at every step (log scale) with a marker at the
    current step, and the accuracy and fraction of dead hidden units there.

    Examples
    --------
    >>> ex = TrainingExplorer(hidden=20, lr=1.0, step=0)
    >>> float(ex.marker.get_ydata()[0]) == float(ex.history.loss[0])
    True
    >>> ex.controls["step"].value = 1000
    >>> print(ex.readout.get_text().splitlines()[3])
    accuracy   99.0%
    """

    name = "training"
    title = (
        "Decision regions of a two-layer ReLU network on the 3-class spiral (left) and "
        "its training loss against the step (right)"
    )
    figsize = (8.4, 3.8)
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
            "initial": initial,
            "limits": self.LIMITS,
            "grid": self.GRID,
            "lossLimits": self.LOSS_LIMITS,
            "classColors": list(CLASS_COLORS[:n_classes]),
            "regionTint": REGION_TINT,
        }

    # -- state derived from the controls --------------------------------------------
    @property
    def history(self) -> network.History:
        """The training run of the current (hidden, lr) setting."""
        return _history(int(self.controls["hidden"].value), float(self.controls["lr"].value))

    @property
    def model(self) -> network.TwoLayerNet:
        """The network at the current step."""
        return self.history.model_at(int(self.controls["step"].value))

    # -- figure ---------------------------------------------------------------------
    def build(self, figure: Figure) -> None:
        X, y = _spiral()
        n_classes = int(y.max()) + 1
        self._images_of: tuple[int, float] | None = None
        self._images: dict[int, np.ndarray] = {}
        ax_r, ax_l = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.25]})
        self.ax_regions, self.ax_loss = ax_r, ax_l
        lo, hi = self.LIMITS

        # Left: decision regions (an RGB image) with the data on top.
        blank = np.full((self.GRID, self.GRID, 3), 255, dtype=np.uint8)
        self.image = ax_r.imshow(
            blank, origin="lower", extent=(lo, hi, lo, hi), interpolation="nearest", aspect="equal"
        )
        self.points = []
        for k, (color, marker) in enumerate(
            zip(CLASS_COLORS[:n_classes], CLASS_MARKERS[:n_classes], strict=True)
        ):
            mask = y == k
            self.points.append(
                ax_r.scatter(
                    X[mask, 0],
                    X[mask, 1],
                    s=14,
                    c=color,
                    marker=marker,
                    edgecolors="black",
                    linewidths=0.4,
                    label=f"class {k}",
                    zorder=3,
                )
            )
        ax_r.set_xlim(lo, hi)
        ax_r.set_ylim(lo, hi)
        style_axes(ax_r, xlabel="x₁", ylabel="x₂", title="predicted class (regions) and data")
        ax_r.grid(False)
        ax_r.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncol=3,
            frameon=False,
            handletextpad=0.2,
            columnspacing=0.8,
        )

        # Right: the loss curve of the current setting, the current step, the readout.
        ax_l.axhline(np.log(3), color=PALETTE["grey"], lw=1.0, ls="--")
        ax_l.annotate(
            "ln 3",
            xy=(1.0, np.log(3)),
            xycoords=("axes fraction", "data"),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=PALETTE["grey"],
            annotation_clip=False,
        )
        (self.loss_line,) = ax_l.plot([], [], color=PALETTE["blue"], lw=1.6)
        (self.marker,) = ax_l.plot([], [], "o", color=PALETTE["vermillion"], ms=7, zorder=5)
        self.readout = ax_l.text(
            0.97,
            0.96,
            "",
            transform=ax_l.transAxes,
            ha="right",
            va="top",
            fontsize=9,
            family="monospace",
            bbox={"boxstyle": "round", "fc": "white", "ec": "#bbbbbb"},
        )
        ax_l.set_yscale("log")
        ax_l.set_xlim(-20, self.STEPS + 20)
        ax_l.set_ylim(*self.LOSS_LIMITS)
        style_axes(
            ax_l,
            xlabel="training step",
            ylabel="loss (log scale)",
            title="training loss (dashed: ln 3)",
        )

        self.animate(self.image, *self.points, self.loss_line, self.marker, self.readout)

    def _region_image(self, hidden: int, lr: float, step: int) -> np.ndarray:
        """The decision regions at ``step`` as RGB pixels, kept for the current setting."""
        if self._images_of != (hidden, lr):
            self._images_of, self._images = (hidden, lr), {}
        if step not in self._images:
            grid = network.decision_grid(
                self.history.model_at(step), self.LIMITS, self.LIMITS, n=self.GRID
            )
            self._images[step] = decision_image(grid)
        return self._images[step]

    def update(self) -> None:
        hidden = int(self.controls["hidden"].value)
        lr = float(self.controls["lr"].value)
        step = int(self.controls["step"].value)
        history = _history(hidden, lr)
        i = step  # full-batch training is evaluated at every step
        loss = history.loss[i]
        self.image.set_data(self._region_image(hidden, lr, step))
        shown = np.clip(history.loss, *self.LOSS_LIMITS)
        self.loss_line.set_data(np.arange(history.loss.size), shown)
        self.marker.set_data([step], [shown[step]])
        self.readout.set_text(
            f"hidden {hidden}, lr {lr:g}\n"
            f"step      {step:>5d}\n"
            f"loss      {loss:6.3f}\n"
            f"accuracy  {100 * history.accuracy[i]:5.1f}%\n"
            f"dead ReLU {100 * history.dead_fraction[i]:5.1f}%"
            + (f"\n{BLOWN_UP}" if loss > history.loss[0] else "")
        )
