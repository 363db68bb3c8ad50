"""Medians of spc() for run, i and p charts at n = 1e3..1e6, beside the np.median floor.

Issue 3 targets: n = 1e6 within about five np.median passes over the same data
(the floor printed beside each figure; ~40 ms on the reference machine) and
n = 1e4 within 1 ms. Run: `uv run python benchmarks/analysis_spc.py [repeats]`.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from qidesk.analysis import spc

SIZES = (1_000, 10_000, 100_000, 1_000_000)
CHARTS = ("run", "i", "p")


def _median_time(func, repeats: int) -> float:
    func()  # warm caches (qbinom, imports)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _data(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = rng.integers(50, 500, size).astype(float)
    y = rng.binomial(n.astype(np.int64), 0.2).astype(float)
    values = rng.normal(10, 2, size)
    values[rng.random(size) < 0.01] = np.nan  # gaps, as real series have
    return values, y, n


def main(repeats: int = 15) -> None:
    rng = np.random.default_rng(20261126)
    print(f"{'n':>9} {'chart':>5} {'median ms':>10} {'floor ms':>9} {'x floor':>8}")
    for size in SIZES:
        values, y, n = _data(size, rng)
        floor = _median_time(lambda: [np.median(values) for _ in range(5)], repeats)
        calls = {
            "run": lambda: spc(values, chart="run"),
            "i": lambda: spc(values, chart="i"),
            "p": lambda: spc(y, n, chart="p"),
        }
        for chart in CHARTS:
            took = _median_time(calls[chart], repeats)
            ms, floor_ms = took * 1e3, floor * 1e3
            print(f"{size:>9} {chart:>5} {ms:>10.3f} {floor_ms:>9.3f} {took / floor:>8.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
