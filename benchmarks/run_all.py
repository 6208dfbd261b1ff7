"""Run every benchmark: each ``benchmarks/bench_*.py`` script's ``main()``, in name order.

A new benchmark only needs to be a ``bench_<topic>.py`` file in this folder with
a ``main()`` that runs it and prints its report; this runner finds it by name.
A benchmark that raises is reported and the others still run; the exit status
is non-zero if any of them raised.

``--quick`` passes ``--quick`` to every benchmark: the same code on the smallest
input (one load, one repeat, one chapter), to check that each still runs; its
numbers mean nothing. The browser tests run it on the built book
(``tests/browser/test_benchmarks.py``), so a benchmark broken by a change fails CI
instead of waiting for the next ``make bench``. Every ``main`` therefore takes
``argv`` and accepts ``--quick``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The benchmarks measure the working tree they belong to, installed or not.
sys.path.insert(0, str(HERE.parent))


def discover() -> list[Path]:
    return sorted(HERE.glob("bench_*.py"))


def run_one(path: Path, argv: list[str] | None = None) -> bool:
    spec = importlib.util.spec_from_file_location(f"benchmarks_{path.stem}", path)
    if spec is None or spec.loader is None:
        print(f"cannot load {path.name}")
        return False
    module = importlib.util.module_from_spec(spec)
    # Registered like a normal import: dataclasses, pickle and friends look it up.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        main = getattr(module, "main", None)
        if not callable(main):
            print(f"{path.name} has no main()")
            return False
        main(argv or [])
    except Exception:  # report and go on with the other benchmarks
        traceback.print_exc()
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="each benchmark on its smallest input: do they run?"
    )
    args = parser.parse_args([] if argv is None else argv)
    scripts = discover()
    if not scripts:
        print(f"no bench_*.py scripts in {HERE}")
        return 1
    failed = []
    for path in scripts:
        print(f"\n=== {path.name} ===", flush=True)
        start = time.perf_counter()
        if not run_one(path, ["--quick"] if args.quick else []):
            failed.append(path.name)
        print(f"--- {path.name}: {time.perf_counter() - start:.1f} s", flush=True)
    print()
    if failed:
        print("benchmarks that raised: " + ", ".join(failed))
        return 1
    print(f"ran {len(scripts)} benchmark(s): " + ", ".join(p.name for p in scripts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
