"""nnmath: the math of ReLU, softmax, cross-entropy and the gradient p - y.

Numerically stable, validated NumPy functions with their derivatives side by
side, plus central-difference gradient checking.  Everything the book computes
comes from here.

Importing :mod:`nnmath` needs only NumPy; the plotting helpers and the
interactive explorers live in :mod:`nnmath.plots` and :mod:`nnmath.widgets`
and are imported explicitly.
"""

from nnmath.activations import (
    gelu,
    gelu_grad,
    leaky_relu,
    leaky_relu_grad,
    log_softmax,
    logsumexp,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_jacobian,
)
from nnmath.gradcheck import (
    gradient_check,
    numerical_gradient,
    numerical_jacobian,
    relative_error,
)
from nnmath.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    one_hot,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)

__version__ = "0.1.0"

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "gelu",
    "gelu_grad",
    "gradient_check",
    "leaky_relu",
    "leaky_relu_grad",
    "log_softmax",
    "logsumexp",
    "numerical_gradient",
    "numerical_jacobian",
    "one_hot",
    "relative_error",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_jacobian",
]
