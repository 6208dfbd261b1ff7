"""Training the capstone: the cost of nnmath.network's loop; mini-batch SGD against full batches.

Two reports, each against a baseline measured in the same run:

* overhead: ``network.train`` with the book's settings (100 hidden units, learning
  rate 1, 1000 full-batch steps, penalty 1e-3) against the same arithmetic and the
  same records (loss, accuracy and dead units at every step) in a bare loop of NumPy
  and nnmath's functions, with no checks.  The two are timed back to back, so that a
  load on the machine hits both.  Goal: a median ratio of at most 1.15 over the pairs
  (the checks run once, not on every step).
* SGD: the same network trained with mini-batches of 10, 30 and 100 samples and with
  full batches (300), at five learning rates, for two budgets: 100 epochs (every sample
  seen 100 times, so smaller batches take more steps) and 1000 steps.  Each row gives
  the final training loss, training and held-out accuracy (on the spiral of
  ``make_spiral_split``), the dead units, and the wall time of the training (evaluated
  at the end only) against full batches at the same learning rate and budget.  The mean
  reduction keeps a batch's gradient the size of the full one, so the batch size changes
  the noise and the number of steps, not the scale of the gradient: the table shows
  which learning rate is best for each.

Run ``python benchmarks/bench_training.py`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

try:
    import nnmath  # noqa: F401
except ImportError:  # running from a checkout that is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nnmath import network, relu, relu_grad, softmax_cross_entropy, softmax_cross_entropy_grad

REPEATS = 7
OVERHEAD_GOAL = 1.15
BATCH_SIZES = (10, 30, 100, None)  # None: full batches
LEARNING_RATES = (0.1, 0.3, 1.0, 3.0, 10.0)
BUDGETS = ({"epochs": 100}, {"steps": 1000})
#: ``--quick``: the same reports on a few short trainings.
QUICK = {
    "steps": 20,
    "repeats": 1,
    "budgets": ({"epochs": 2}, {"steps": 20}),
    "batch_sizes": (10, None),
    "learning_rates": (0.1, 1.0),
}


def bare_loop(X, y, steps=1000, lr=1.0, reg=1e-3):
    """The arithmetic and the records of network.train, without checks: the baseline."""
    net = network.TwoLayerNet.init(2, 100, 3, seed=0)
    W1, b1, W2, b2 = (p.copy() for p in net.parameters())
    losses, accuracy, dead = np.empty(steps + 1), np.empty(steps + 1), np.empty(steps + 1)
    for t in range(steps + 1):
        Z1 = X @ W1 + b1
        H = relu(Z1)
        Z2 = H @ W2 + b2
        losses[t] = float(softmax_cross_entropy(Z2, y)) + 0.5 * reg * (
            float(np.sum(W1 * W1)) + float(np.sum(W2 * W2))
        )
        accuracy[t] = np.mean(np.argmax(Z2, axis=1) == y)
        dead[t] = 1.0 - np.mean(np.any(H > 0, axis=0))
        if t == steps:
            break
        dZ2 = softmax_cross_entropy_grad(Z2, y)
        dW2 = H.T @ dZ2 + reg * W2
        db2 = dZ2.sum(axis=0)
        dZ1 = (dZ2 @ W2.T) * relu_grad(Z1)
        dW1 = X.T @ dZ1 + reg * W1
        db1 = dZ1.sum(axis=0)
        for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
            p -= lr * g
    return losses, accuracy, dead


def median_time(fn, repeats=REPEATS):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def overhead(X, y, steps: int = 1000, repeats: int = REPEATS) -> float:
    ours, base = [], []
    for _ in range(repeats):  # in turn, so that a load on the machine hits both
        seconds, history = timed(lambda: network.train(X, y, hidden=100, lr=1.0, steps=steps))
        ours.append(seconds)
        seconds, (losses, accuracy, dead) = timed(lambda: bare_loop(X, y, steps=steps))
        base.append(seconds)
    # The same arithmetic, the same records.
    np.testing.assert_allclose(history.loss, losses, rtol=1e-12)
    np.testing.assert_array_equal(history.accuracy, accuracy)
    np.testing.assert_array_equal(history.dead_fraction, dead)
    ratio = float(np.median(np.divide(ours, base)))  # of each back-to-back pair
    ours, base = float(np.median(ours)), float(np.median(base))
    verdict = "ok" if ratio <= OVERHEAD_GOAL else "MISSED"
    print(f"overhead of network.train ({steps} full-batch steps, 100 hidden units)")
    print(f"  train {1000 * ours:.0f} ms, bare loop {1000 * base:.0f} ms")
    print(f"  ratio {ratio:.2f} (goal <= {OVERHEAD_GOAL}) {verdict}\n")
    return ratio


def sgd_table(
    split,
    budgets=BUDGETS,
    batch_sizes=BATCH_SIZES,
    learning_rates=LEARNING_RATES,
    repeats: int = 3,
) -> dict:
    (X, y), (X_held, y_held) = split
    best = {}
    for budget in budgets:
        ((unit, amount),) = budget.items()
        print(f"SGD against full batches, {amount} {unit} (median of {repeats} wall times)")
        print("  batch     lr   steps   loss  train  held-out  dead   time  time/full")
        full_time = {}
        rows = []
        for batch in reversed(batch_sizes):  # full batches first: the baseline
            for lr in learning_rates:

                def run(batch=batch, lr=lr, budget=budget):
                    return network.train(
                        X,
                        y,
                        hidden=100,
                        lr=lr,
                        reg=1e-3,
                        batch_size=batch,
                        **budget,
                        eval_every=10**9,  # at the start and the end only
                        checkpoint_every=10**9,
                    )

                try:
                    seconds, h = median_time(run, repeats=repeats)
                except FloatingPointError:
                    print(f"  {batch or len(y):5d} {lr:6g}  diverged")
                    continue
                if batch is None:
                    full_time[lr] = seconds
                rows.append((batch or len(y), lr, h, seconds))
        for batch, lr, h, seconds in sorted(rows, key=lambda r: (r[0], r[1])):
            held_out = h.final.accuracy(X_held, y_held)
            print(
                f"  {batch:5d} {lr:6g} {int(h.steps[-1]):7d} {h.loss[-1]:6.3f} "
                f"{100 * h.accuracy[-1]:5.1f}% {100 * held_out:7.1f}% "
                f"{100 * h.dead_fraction[-1]:4.0f}% {seconds:5.2f}s {seconds / full_time[lr]:9.2f}"
            )
        for batch in sorted({r[0] for r in rows}):
            runs = [r for r in rows if r[0] == batch]
            _, lr, h, _ = min(runs, key=lambda r: r[2].loss[-1])
            best[(unit, batch)] = lr
            print(
                f"  best lr for batch {batch:3d}: {lr:g} (loss {h.loss[-1]:.3f}, "
                f"held-out {100 * h.final.accuracy(X_held, y_held):.1f}%)"
            )
        print()
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run: does it run?")
    args = parser.parse_args([] if argv is None else argv)
    split = network.make_spiral_split()
    if args.quick:
        print("quick run: the same code on short trainings; its numbers mean nothing\n")
        overhead(*split[0], steps=QUICK["steps"], repeats=QUICK["repeats"])
        sgd_table(
            split,
            budgets=QUICK["budgets"],
            batch_sizes=QUICK["batch_sizes"],
            learning_rates=QUICK["learning_rates"],
            repeats=QUICK["repeats"],
        )
        return
    overhead(*split[0])
    sgd_table(split)


if __name__ == "__main__":
    main(sys.argv[1:])
