"""Shared test set-up: a deterministic Hypothesis profile and a seeded generator."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Derandomized: the same examples on every run and every machine, so a red test
# is reproducible and the suite never flickers.  Set HYPOTHESIS_PROFILE=thorough
# for a longer local search.
settings.register_profile(
    "nnmath",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("nnmath"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "nnmath"))


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh generator with a fixed seed for each test."""
    return np.random.default_rng(0)
