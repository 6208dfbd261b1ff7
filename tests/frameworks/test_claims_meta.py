"""The framework-claim tests follow their conventions (this runs with no framework installed).

Each test in ``test_claims_*.py`` states its claim on the first line of its docstring,
names the file that makes it on a ``Claimed in:`` line, records what it measured with the
``measured`` fixture, and the module imports its framework only through ``require`` so
that a missing framework skips instead of failing. A claim made in a notebook names the
section, by its label, right after the path: ``chapters/frameworks.ipynb (fw-log0: ...)``,
and every section of the appendix "What the frameworks do" has at least one claim.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from claims_support import INSTALL, claim_of

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MODULES = sorted(p for p in HERE.glob("test_claims_*.py") if p.name != Path(__file__).name)
APPENDIX = "chapters/frameworks.ipynb"


def labels_of(notebook: Path) -> set[str]:
    """The MyST labels, ``(name)=``, that a notebook's markdown cells define."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return set(re.findall(r"^\(([\w-]+)\)=\s*$", text, re.M))


def sections_named(where: str) -> list[str]:
    """The labels a ``Claimed in:`` text names: the first word in its parentheses, and each
    word after a "; " that ends in a colon."""
    inside = where.partition("(")[2]
    return re.findall(r"(?:^|; )([a-z][\w-]*):", inside)


def problems(source: str, root: Path = ROOT) -> list[str]:
    """Every way the claim tests in `source` break the conventions above."""
    tree = ast.parse(source)
    found: list[str] = []
    required: set[str] = set()
    for node in tree.body:
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "require"
                and call.args
                and isinstance(call.args[0], ast.Constant)
            ):
                required.add(call.args[0].value)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for name in names:
                top = (name or "").split(".")[0]
                if top in INSTALL and top not in required:
                    found.append(f"imports {top} before require({top!r})")
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            first, where = claim_of(ast.get_docstring(node))
            if not first.endswith("."):
                found.append(f"{node.name}: no one-line claim ending in '.'")
            path = where.split(" ")[0]
            if not where:
                found.append(f"{node.name}: no 'Claimed in:' line")
            elif not (root / path).is_file():
                found.append(f"{node.name}: {path} does not exist")
            elif path.endswith(".ipynb"):
                named = sections_named(where)
                defined = labels_of(root / path)
                if not named:
                    found.append(f"{node.name}: names no section of {path}")
                for label in named:
                    if label not in defined:
                        found.append(f"{node.name}: {path} has no section {label}")
            calls = [
                c
                for c in ast.walk(node)
                if isinstance(c, ast.Call)
                and isinstance(c.func, ast.Name)
                and c.func.id == "measured"
            ]
            if not calls:
                found.append(f"{node.name}: records nothing with measured(...)")
    return found


def test_the_checker_finds_each_kind_of_problem() -> None:
    bad = '''
import torch
from claims_support import require
jax = require("jax")
import jax.numpy

def test_no_docstring(measured):
    assert True

def test_missing_file(measured):
    """A claim.

    Claimed in: chapters/99_nothing.ipynb (nowhere).
    """
    measured(1, "x")

def test_records_nothing():
    """A claim.

    Claimed in: README.md (the top).
    """

def test_no_section(measured):
    """A claim.

    Claimed in: chapters/frameworks.ipynb (the table).
    """
    measured(1, "x")

def test_wrong_section(measured):
    """A claim.

    Claimed in: chapters/frameworks.ipynb (fw-log0: a cap; fw-nowhere: a word).
    """
    measured(1, "x")
'''
    found = problems(bad)
    assert found == [
        "imports torch before require('torch')",
        "test_no_docstring: no one-line claim ending in '.'",
        "test_no_docstring: no 'Claimed in:' line",
        "test_no_docstring: records nothing with measured(...)",
        "test_missing_file: chapters/99_nothing.ipynb does not exist",
        "test_records_nothing: records nothing with measured(...)",
        "test_no_section: names no section of chapters/frameworks.ipynb",
        "test_wrong_section: chapters/frameworks.ipynb has no section fw-nowhere",
    ]


def test_there_are_claim_modules() -> None:
    assert len(MODULES) >= 6, MODULES


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_claim_module_follows_the_conventions(path: Path) -> None:
    assert problems(path.read_text(encoding="utf-8")) == []


def test_every_section_of_the_appendix_has_a_claim() -> None:
    """Each section of "What the frameworks do" states facts, so each has a test that runs one."""
    sections = {label for label in labels_of(ROOT / APPENDIX) if label.startswith("fw-")}
    claimed: set[str] = set()
    for path in MODULES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                _, where = claim_of(ast.get_docstring(node))
                if where.startswith(APPENDIX):
                    claimed.update(sections_named(where))
    assert sections, f"{APPENDIX} has no fw- sections"
    assert sections <= claimed, f"sections no claim test checks: {sorted(sections - claimed)}"
