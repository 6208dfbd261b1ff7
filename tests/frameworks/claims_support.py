"""Helpers shared by the framework-claim tests: importing a framework, or skipping.

Each ``test_claims_*.py`` module checks what one framework returns in the cases the book
talks about. A framework that is not installed skips its whole module with one line that
says how to install it; nothing here imports a framework at module level, so this file
and the meta test run everywhere.
"""

from __future__ import annotations

import importlib.util
import os
from types import ModuleType

import pytest

# What to install for each module, as the skip line prints it.
INSTALL = {
    "torch": "pip install torch==2.13.0",
    "jax": "pip install jax",
    "optax": "pip install optax",
    "keras": "pip install keras (and a backend: tensorflow, jax or torch)",
    "tf_keras": "pip install tf-keras (Keras 2, needs tensorflow)",
    "tensorflow": "pip install tensorflow",
    "sklearn": "pip install scikit-learn",
    "scipy": "pip install scipy",
}

# The order Keras 3 is tried with when KERAS_BACKEND is not set: its own default first.
KERAS_BACKENDS = (("tensorflow", "tensorflow"), ("jax", "jax"), ("torch", "torch"))


def require(module: str) -> ModuleType:
    """Import `module`, or skip the calling test module with a one-line reason."""
    # TensorFlow prints several lines of start-up logs to stderr; keep only errors.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return pytest.importorskip(module, reason=f"{module} is not installed: {INSTALL[module]}")


def keras_backend() -> str | None:
    """The backend Keras 3 will run on: KERAS_BACKEND, else the first one installed."""
    chosen = os.environ.get("KERAS_BACKEND")
    if chosen:
        return chosen
    for name, module in KERAS_BACKENDS:
        if importlib.util.find_spec(module) is not None:
            return name
    return None


def claim_of(doc: str | None) -> tuple[str, str]:
    """The claim (a docstring's first line) and the ``Claimed in:`` paragraph after it.

    The ``Claimed in:`` paragraph may run on over several lines, up to a blank line.

    >>> claim_of('''A is 1.
    ...
    ...     Claimed in: chapters/01_relu.ipynb (the table
    ...     of values).
    ... ''')
    ('A is 1.', 'chapters/01_relu.ipynb (the table of values)')
    """
    lines = [line.strip() for line in (doc or "").strip().splitlines()]
    first = lines[0] if lines else ""
    where: list[str] = []
    for line in lines:
        if line.startswith("Claimed in:"):
            where.append(line.removeprefix("Claimed in:").strip())
        elif where and line:
            where.append(line)
        elif where:
            break
    return first, " ".join(where).rstrip(".")


def version(module: ModuleType) -> str:
    """``"torch 2.13.0+cpu"``: the name and version a measurement was made with."""
    return f"{module.__name__} {module.__version__}"
