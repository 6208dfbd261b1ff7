"""Speed and memory of nnmath's softmax family against SciPy, measured in the same run.

Goals, on a (2048, 1000) float64 batch:

=============================  ===========================  ============
nnmath                         baseline (scipy.special)     time ratio
=============================  ===========================  ============
softmax                        softmax                      <= 1.0
log_softmax                    log_softmax                  <= 1.0
softmax_cross_entropy          one log_softmax call         <= 1.2
softmax_cross_entropy_grad     one softmax call             <= 1.2
=============================  ===========================  ============

and the peak extra memory of each nnmath call (its result included) stays
within two arrays the size of the input.  Times are medians of repeated single
calls, candidate and baseline interleaved so that drift in the machine's speed
affects both alike; memory is the peak traced by ``tracemalloc``, to which
NumPy reports its array allocations.

Run ``python benchmarks/bench_math.py`` (or ``make bench`` for every benchmark).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.special as sps

# Benchmark the working tree this script belongs to, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import nnmath

SHAPE = (2048, 1000)
REPEATS = 30
MEMORY_LIMIT = 2.0  # in arrays the size of the input


@dataclass
class Case:
    name: str
    run: Callable[[], object]
    baseline_name: str
    baseline: Callable[[], object]
    target: float


@dataclass
class Result:
    case: Case
    time: float
    baseline_time: float
    memory: float
    baseline_memory: float

    @property
    def ratio(self) -> float:
        return self.time / self.baseline_time

    @property
    def time_ok(self) -> bool:
        return self.ratio <= self.case.target

    @property
    def memory_ok(self) -> bool:
        return self.memory <= MEMORY_LIMIT


def make_cases(z: np.ndarray, labels: np.ndarray) -> list[Case]:
    return [
        Case(
            "softmax",
            lambda: nnmath.softmax(z),
            "scipy softmax",
            lambda: sps.softmax(z, axis=-1),
            1.0,
        ),
        Case(
            "log_softmax",
            lambda: nnmath.log_softmax(z),
            "scipy log_softmax",
            lambda: sps.log_softmax(z, axis=-1),
            1.0,
        ),
        Case(
            "softmax_cross_entropy",
            lambda: nnmath.softmax_cross_entropy(z, labels),
            "scipy log_softmax",
            lambda: sps.log_softmax(z, axis=-1),
            1.2,
        ),
        Case(
            "softmax_cross_entropy_grad",
            lambda: nnmath.softmax_cross_entropy_grad(z, labels),
            "scipy softmax",
            lambda: sps.softmax(z, axis=-1),
            1.2,
        ),
    ]


def interleaved_medians(
    a: Callable[[], object], b: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Median seconds of one call of `a` and of `b`, measured alternately."""
    a()
    b()  # warm up: first-call costs, page faults of fresh allocations
    times_a, times_b = [], []
    for i in range(repeats):
        # Alternate which goes first, so neither always runs on a warmer cache.
        order = ((a, times_a), (b, times_b)) if i % 2 == 0 else ((b, times_b), (a, times_a))
        for fun, times in order:
            start = time.perf_counter()
            fun()
            times.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)


def peak_memory(fun: Callable[[], object], unit: int) -> float:
    """Peak memory allocated during one call, result included, in units of `unit` bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = fun()
        _, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
    return (peak - before) / unit


def run(repeats: int = REPEATS, seed: int = 0) -> list[Result]:
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(SHAPE) * 3.0
    labels = rng.integers(0, SHAPE[1], SHAPE[0])
    results = []
    for case in make_cases(z, labels):
        t, t_base = interleaved_medians(case.run, case.baseline, repeats)
        mem = peak_memory(case.run, z.nbytes)
        mem_base = peak_memory(case.baseline, z.nbytes)
        results.append(Result(case, t, t_base, mem, mem_base))
    return results


def report(results: list[Result], repeats: int) -> str:
    header = (
        f"{'nnmath':<28} {'ms':>7}  {'baseline':<18} {'ms':>7}  {'ratio':>5}  "
        f"{'target':>6}  {'time':<4}  {'memory':>6}  {'scipy':>6}  {'mem':<4}"
    )
    lines = [
        f"nnmath vs scipy.special, float64 batch {SHAPE}, median of {repeats} calls "
        f"(numpy {np.__version__}, python {sys.version.split()[0]})",
        "memory: peak extra allocation of one call, result included, "
        f"in arrays of the input's size (target <= {MEMORY_LIMIT:g})",
        "",
        header,
        "-" * len(header),
    ]
    for r in results:
        target = f"<= {r.case.target:g}"
        lines.append(
            f"{r.case.name:<28} {r.time * 1e3:7.2f}  {r.case.baseline_name:<18} "
            f"{r.baseline_time * 1e3:7.2f}  {r.ratio:5.2f}  {target:>6}  "
            f"{'PASS' if r.time_ok else 'MISS':<4}  {r.memory:6.2f}  {r.baseline_memory:6.2f}  "
            f"{'PASS' if r.memory_ok else 'MISS':<4}"
        )
    misses = sum((not r.time_ok) + (not r.memory_ok) for r in results)
    lines.append("")
    lines.append("all goals met" if misses == 0 else f"{misses} goal(s) missed")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed calls per function")
    parser.add_argument("--quick", action="store_true", help="one call each: does it run?")
    args = parser.parse_args([] if argv is None else argv)
    if args.quick:
        print("quick run: one call of each function; its numbers mean nothing")
        args.repeats = 1
    results = run(args.repeats)
    print(report(results, args.repeats))
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
