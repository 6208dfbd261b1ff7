"""Explorer for softmax: logits and temperature in, probabilities and the full Jacobian out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import softmax, softmax_jacobian
from .controls import Slider
from .explorer import Explorer, logit_controls, read_logits

__all__ = ["SoftmaxExplorer"]


class SoftmaxExplorer(Explorer):
    """Softmax of 3 to 5 logits at a temperature: the probabilities and the Jacobian.

    Controls: ``classes`` (K, from 3 to 5), ``temperature`` (T > 0) and ``z1`` ... ``z5``
    (the logits; only the first K are used). K comes first, so that the sliders of the
    logits it shows or hides come after it and never move it.

    The bars show :math:`p = \\operatorname{softmax}(z / T)`, the heatmap the Jacobian
    :math:`\\operatorname{diag}(p) - p p^\\top` of softmax with respect to the scaled
    logits :math:`z / T` (with respect to :math:`z` itself it is the same matrix
    divided by T). Every diagonal entry is
    :math:`p_i (1 - p_i) \\le 1/4` and every off-diagonal one is
    :math:`-p_i p_j \\ge -1/4`, so the colour scale is fixed to [-1/4, 1/4].

    Examples
    --------
    >>> ex = SoftmaxExplorer()
    >>> [round(p, 4) for p in ex.state["p"]]
    [0.09, 0.2447, 0.6652]
    >>> ex.set("temperature", 0.5)
    >>> [round(p, 4) for p in ex.state["p"]]
    [0.0159, 0.1173, 0.8668]
    """

    name = "softmax"
    title = "Softmax probabilities as bars, and the heatmap of its Jacobian diag(p) − p pᵀ"
    MAX_CLASSES = 5
    MIN_CLASSES = 3
    LOGIT_RANGE = (-8.0, 8.0)
    #: Bound of the colour scale: |entries of diag(p) - p pᵀ| never exceed 1/4.
    JAC_LIMIT = 0.25
    DEFAULT_LOGITS = (1.0, 2.0, 3.0, 0.0, -1.0)

    CONTROLS = (
        Slider("classes", "classes K", MIN_CLASSES, MAX_CLASSES, 1, 3, integer=True),
        # Nudged: two challenges need T = 1 exactly, one step of 98 on a phone's slider.
        Slider("temperature", "temperature T", 0.1, 5.0, 0.05, 1.0, nudge=True),
        *logit_controls(DEFAULT_LOGITS, LOGIT_RANGE),
    )

    def page_config(self) -> dict[str, Any]:
        return {"jacLimit": self.JAC_LIMIT, "maxClasses": self.MAX_CLASSES}

    def compute(self, values: Mapping[str, Any]) -> dict[str, Any]:
        k, t = int(values["classes"]), float(values["temperature"])
        z = read_logits(values, k)
        return {
            "K": k,
            "T": t,
            "z": z.tolist(),
            "p": softmax(z, temperature=t).tolist(),
            "jacobian": softmax_jacobian(z / t).tolist(),
        }
