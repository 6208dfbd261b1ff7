"""nnmath: the math of ReLU, softmax, cross-entropy and the gradient p - y.

Numerically stable, validated NumPy functions with their derivatives side by
side, plus central-difference gradient checking.  Everything the book computes
comes from here.  :mod:`nnmath.registry` lists every function with its
derivative and what it accepts; ``__all__`` is built from it.

Importing :mod:`nnmath` needs only NumPy; the plotting helpers and the
interactive explorers live in :mod:`nnmath.plots` and :mod:`nnmath.widgets`
and are imported explicitly.
"""

# Each module's __all__ names its public functions; the registry says what they are.
from nnmath.activations import *  # noqa: F403
from nnmath.gradcheck import *  # noqa: F403
from nnmath.losses import *  # noqa: F403
from nnmath.registry import public_functions as _public_functions

__version__ = "0.1.0"

__all__ = list(_public_functions())
