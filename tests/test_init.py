"""nnmath/__init__.py: the public surface comes from the registry; NumPy is all it imports."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

import nnmath
from nnmath.registry import FORMULAS, TOOLS, public_functions


def test_all_is_the_registry():
    assert nnmath.__all__ == sorted(public_functions())
    for name, fn in public_functions().items():
        assert getattr(nnmath, name) is fn
    for formula in FORMULAS:
        for fn in formula.callables:
            assert fn.__name__ in nnmath.__all__
    for fn in TOOLS:
        assert fn.__name__ in nnmath.__all__


def test_star_import_gives_exactly_all():
    namespace: dict[str, object] = {}
    exec("from nnmath import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == nnmath.__all__


def test_import_needs_numpy_only():
    code = (
        "import sys, nnmath; "
        "heavy = {'matplotlib', 'ipywidgets', 'scipy', 'nnmath.widgets', 'nnmath.plots'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_installed_version_is_nnmath_version():
    # pyproject.toml reads the version from nnmath.__version__: one place to change it.
    assert importlib.metadata.version("nnmath") == nnmath.__version__


def test_pyproject_takes_the_version_from_the_package():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and newer
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    assert "version" not in config["project"]
    assert config["project"]["dynamic"] == ["version"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "nnmath.__version__"}
