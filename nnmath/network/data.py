r"""The capstone's data: points on interleaved spiral arms, and a held-out draw of them.

The spiral is the classic toy problem of the CS231n notes :cite:p:`cs231n`: no
straight line separates the arms, so a linear classifier fails while a small ReLU
network succeeds.  A second spiral drawn with another seed, never trained on, tells
how well a model does beyond the points it has seen.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from nnmath._validation import check_int, check_real

__all__ = ["HELD_OUT_SEED", "make_spiral", "make_spiral_split"]

#: Seed of the held-out spiral of :func:`make_spiral_split` (the training spiral uses 0).
HELD_OUT_SEED = 1

Dataset = tuple[NDArray[np.float64], NDArray[np.int64]]


def make_spiral(
    n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int = 0
) -> Dataset:
    r"""Points on interleaved spiral arms in the plane, one arm per class.

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

    See Also
    --------
    make_spiral_split : a training spiral and a held-out one.

    Notes
    -----
    Point :math:`i` of arm :math:`k` has radius :math:`r_i = i / (n - 1)` and angle
    :math:`\theta_i = 4 (k + r_i) + \varepsilon_i`, :math:`\varepsilon_i \sim
    \mathcal N(0, \sigma^2)`: each arm turns through 4 radians while it moves out
    from the centre to the unit circle.  Only the noise depends on ``seed``.

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
    n = check_int(n_per_class, "n_per_class", minimum=1)
    k = check_int(n_classes, "n_classes", minimum=1)
    sigma = check_real(noise, "noise", minimum=0.0)
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    radius = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
    arm = np.repeat(np.arange(k), n)
    r = np.tile(radius, k)
    theta = 4.0 * (arm + r) + sigma * rng.standard_normal(n * k)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return X, arm.astype(np.int64)


def make_spiral_split(
    n_per_class: int = 100,
    n_classes: int = 3,
    noise: float = 0.2,
    *,
    seed: int = 0,
    held_out_seed: int = HELD_OUT_SEED,
) -> tuple[Dataset, Dataset]:
    """A training spiral and a held-out spiral, the same arms drawn with two seeds.

    The held-out points have the training points' radii and classes but angles with
    fresh noise, so a model that has only memorised the training points, rather than
    the shape of the arms, does worse on them.

    Parameters
    ----------
    n_per_class, n_classes, noise
        As in :func:`make_spiral`, shared by both spirals.
    seed : int, default 0
        Seed of the training spiral.
    held_out_seed : int, default :data:`HELD_OUT_SEED`
        Seed of the held-out spiral; it must differ from ``seed``.

    Returns
    -------
    (X, y), (X_held_out, y_held_out)
        Two data sets as returned by :func:`make_spiral`.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import make_spiral, make_spiral_split
    >>> (X, y), (X_held, y_held) = make_spiral_split()
    >>> bool(np.array_equal(X, make_spiral()[0])), bool(np.array_equal(y, y_held))
    (True, True)
    >>> print(round(float(np.abs(X - X_held).max()), 2))  # the same arms, other noise
    0.63
    """
    seed = check_int(seed, "seed", minimum=0)
    held_out_seed = check_int(held_out_seed, "held_out_seed", minimum=0)
    if held_out_seed == seed:
        raise ValueError(
            f"held_out_seed must differ from seed ({seed}), or the held-out spiral would be "
            "the training spiral itself"
        )
    train = make_spiral(n_per_class, n_classes, noise, seed)
    return train, make_spiral(n_per_class, n_classes, noise, held_out_seed)
