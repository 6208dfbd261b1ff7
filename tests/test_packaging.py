"""The source distribution and the wheel: the package and its licence, and no tests.

The tests check the book as much as the package (its chapters, the page's nnmath.js in
a browser, the build) and cannot run from an sdist, so none are shipped (MANIFEST.in).
These tests build both from a copy of the repository's tracked files, with the
setuptools that pyproject.toml asks for, and check what each holds; then that the
package imports and computes from the unpacked sdist alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _setuptools_or_skip() -> None:
    setuptools = pytest.importorskip("setuptools", reason="setuptools is not installed")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    minimum = int(re.search(r'requires = \["setuptools>=(\d+)"\]', pyproject).group(1))
    if int(setuptools.__version__.split(".")[0]) < minimum:
        pytest.skip(f"setuptools {setuptools.__version__} < {minimum} (requirements-dev.txt)")


def _tracked_files() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is needed to list the repository's files")
    return [name for name in out.decode().split("\0") if name]


def _build(kind: str, source: Path, out: Path) -> Path:
    """``setuptools.build_meta.build_<kind>`` in `source`, in a fresh interpreter."""
    code = f"import setuptools.build_meta as b; print(b.build_{kind}({str(out)!r}))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=source, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "SetuptoolsDeprecationWarning" not in done.stderr, done.stderr[-3000:]
    return out / done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    _setuptools_or_skip()
    tmp = tmp_path_factory.mktemp("sdist")
    copy = tmp / "repo"
    for name in _tracked_files():
        target = copy / name
        if (ROOT / name).is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
    return _build("sdist", copy, tmp / "dist")


def _names(archive: Path) -> list[str]:
    with tarfile.open(archive) as tar:
        return [m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name]


def test_the_sdist_ships_the_package_and_its_licence_but_no_tests(sdist):
    names = _names(sdist)
    assert "LICENSE" in names and "README.md" in names and "pyproject.toml" in names
    assert "nnmath/__init__.py" in names and "nnmath/exercises/_core.py" in names
    # Setuptools adds tests/test*.py by default: 14 modules without their helpers, of
    # which 6 could not even be imported.
    assert not [n for n in names if n.startswith("tests")]
    assert not [n for n in names if n.endswith(".pyc")]
    with tarfile.open(sdist) as tar:
        info = tar.extractfile(next(m for m in tar.getmembers() if m.name.endswith("PKG-INFO")))
        meta = info.read().decode()
    assert "License-Expression: MIT" in meta
    assert "License-File: LICENSE" in meta


def test_the_package_imports_and_computes_from_the_sdist_alone(sdist, tmp_path):
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path, filter="data")
    unpacked = next(tmp_path.iterdir())
    code = (
        "import nnmath, pathlib, sys; "
        "assert pathlib.Path(nnmath.__file__).is_relative_to(pathlib.Path.cwd()), nnmath.__file__; "
        "print(nnmath.softmax_cross_entropy([1e16, 1e16, 1e16], 1))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=unpacked, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1.0986122886681098"  # ln 3, from the sdist's own nnmath


def test_the_wheel_built_from_the_sdist_holds_the_package_and_the_licence(sdist, tmp_path):
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path / "src", filter="data")
    unpacked = next((tmp_path / "src").iterdir())
    wheel = _build("wheel", unpacked, tmp_path / "wheel")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "nnmath/__init__.py" in names and "nnmath/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if n.startswith("tests/")]
    assert "License-Expression: MIT" in meta
