"""Record what each framework claim measured, and print the claims as one table.

Every test in ``test_claims_*.py`` checks one sentence the book says about a framework.
Its docstring's first line is that sentence; a line ``Claimed in: <path> (<where>)``
names the file that makes it. A test calls the ``measured`` fixture with each number it
measured and the framework (module) it measured it with. At the end of the run the
terminal summary prints one row per claim: the claim, the numbers, the versions, the
source and the outcome. With ``FRAMEWORK_CLAIMS_TABLE=path`` set, the same table is also
written to that file as Markdown.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from claims_support import claim_of, version


def format_value(value: Any) -> str:
    """Numbers to six significant digits; anything else as it prints."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:.6g}"


@pytest.fixture
def measured(request: pytest.FixtureRequest) -> Callable[..., None]:
    """``measured(value, framework, label="float64")`` records one number for the table."""

    def record(value: Any, framework: ModuleType | str, label: str = "") -> None:
        name = framework if isinstance(framework, str) else version(framework)
        text = format_value(value)
        request.node.user_properties.append(
            ("measured", f"{label}: {text}" if label else text),
        )
        request.node.user_properties.append(("using", name))

    return record


@pytest.fixture(autouse=True)
def _claim_of_the_test(request: pytest.FixtureRequest) -> None:
    if not isinstance(request.node, pytest.Function):
        return  # a doctest
    claim, where = claim_of(request.function.__doc__)
    if not where:
        return  # not a claim (the meta tests)
    request.node.user_properties.append(("claim", claim))
    request.node.user_properties.append(("source", where))


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def claims_table(reports: list[pytest.TestReport]) -> list[str]:
    """One Markdown row per claim test that ran or was skipped."""
    rows = [
        "| claim | measured | with | claimed in | outcome |",
        "| --- | --- | --- | --- | --- |",
    ]
    for report in reports:
        props: dict[str, list[str]] = {}
        for key, value in report.user_properties:
            props.setdefault(key, []).append(value)
        if not props.get("source"):
            continue
        measured = "; ".join(props.get("measured", [])) or "—"
        using = ", ".join(_unique(props.get("using", []))) or "—"
        cells = [props["claim"][0], measured, using, props["source"][0], report.outcome]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return rows


_REPORTS: list[pytest.TestReport] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Keep each claim's report: its call, or the set-up that skipped it."""
    if not any(key == "source" for key, _ in report.user_properties):
        return
    if report.when == "call" or (report.when == "setup" and report.skipped):
        _REPORTS.append(report)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # Grouped by the file that makes the claim, in the order the tests ran.
    reports = sorted(_REPORTS, key=lambda r: dict(r.user_properties)["source"].split(" ")[0])
    rows = claims_table(reports)
    if len(rows) == 2:
        return
    terminalreporter.write_sep("=", "framework claims")
    for row in rows:
        terminalreporter.write_line(row)
    target = os.environ.get("FRAMEWORK_CLAIMS_TABLE")
    if target:
        Path(target).write_text("\n".join(rows) + "\n", encoding="utf-8")
        terminalreporter.write_line(f"(written to {target})")
