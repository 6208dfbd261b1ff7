"""Every benchmark still runs: ``benchmarks/run_all.py --quick`` on the built book.

The benchmarks are not timed tests (their goals are checked by ``make bench``, on a
quiet machine), but their code must keep working: a change to a helper they share or
to the page they drive can break one, and nothing else would notice before the next
``make bench``. ``--quick`` runs each benchmark's own code on its smallest input (one
load of one chapter, one repeat, three moves); its numbers mean nothing and are not
checked here. The test fails if a benchmark raises, or if one ignored ``--quick``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from book_site import CHROMIUM, ROOT, require_browser_and_build

require_browser_and_build()

# The benchmarks measure this repository's build (``_build/html``).
BENCHMARKS = ROOT / "benchmarks"


def test_every_benchmark_runs_on_its_smallest_input() -> None:
    scripts = sorted(path.name for path in BENCHMARKS.glob("bench_*.py"))
    assert scripts, f"no benchmark in {BENCHMARKS}"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run_all.py"), "--quick"],
        cwd=ROOT,
        env={**os.environ, "CHROMIUM": str(CHROMIUM)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"run_all.py --quick exited with {done.returncode}:\n{output[-6000:]}")
    assert f"ran {len(scripts)} benchmark(s): {', '.join(scripts)}" in done.stdout
    # Each report, between its "=== name ===" and "--- name" lines, says it ran quick.
    for name in scripts:
        between = rf"=== {re.escape(name)} ===\n(.*?)\n--- {re.escape(name)}:"
        report = re.search(between, output, re.S)
        assert report, f"{name}: no report in the output of run_all.py --quick"
        assert "quick run:" in report.group(1), f"{name} did not take --quick:\n{report.group(1)}"
