"""Analysis speed: run, i and p charts and Making Data Count XmR at n = 1e3 … 1e6.

Each figure is the median of repeated calls of the whole job a chart needs: limits, all
rules, per-point classes and the plain-English findings (and, beside it, spc() alone).
The floor is five np.median passes over the same data, the issue's yardstick; on a
shared machine compare against the floor, not the absolute milliseconds.
Targets: n = 1e6 <= 40 ms (about the floor), n = 1e4 <= 1 ms.
Short series are timed more often (at least 1e6 / n calls) so their medians hold still.

    uv run python benchmarks/analysis.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from qidesk.analysis import spc
from qidesk.analysis.findings import findings
from qidesk.analysis.mdc import mdc_xmr
from qidesk.analysis.points import classify_points

SIZES = (1_000, 10_000, 100_000, 1_000_000)


def _median_ms(job, repeats: int) -> float:
    job()  # warm caches (qbinom, imports)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def _series(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values rounded to one decimal (ties happen) with a step two thirds in and 1% gaps;
    binomial numerators over varying denominators for the p chart."""
    values = rng.normal(50, 5, size).round(1)
    values[2 * size // 3:] += 4
    values[rng.random(size) < 0.01] = np.nan
    n = rng.integers(50, 500, size).astype(float)
    y = rng.binomial(n.astype(np.int64), 0.2).astype(float)
    return values, y, n


def _full_spc(y, n, chart):
    result = spc(y, n, chart=chart)
    classes = classify_points(result, "up")
    findings(result, improvement_direction="up", classes=classes)


def _full_mdc(values):
    result = mdc_xmr(values[np.isfinite(values)], improvement="increase", target=60)
    classes = classify_points(result, "up")
    findings(result, improvement_direction="up", classes=classes)


def main(repeats: int = 11) -> None:
    rng = np.random.default_rng(20261126)
    print(f"{'n':>9} {'chart':>6} {'full ms':>9} {'spc() ms':>9} {'floor ms':>9} {'full/floor':>10}")
    for size in SIZES:
        values, y, n = _series(size, rng)
        times = max(repeats, 1_000_000 // size)
        floor = _median_ms(lambda: [np.median(values) for _ in range(5)], times)
        jobs = {
            "run": (lambda: _full_spc(values, None, "run"), lambda: spc(values, chart="run")),
            "i": (lambda: _full_spc(values, None, "i"), lambda: spc(values, chart="i")),
            "p": (lambda: _full_spc(y, n, "p"), lambda: spc(y, n, chart="p")),
            "mdc": (lambda: _full_mdc(values), None),
        }
        for name, (full, alone) in jobs.items():
            full_ms = _median_ms(full, times)
            alone_text = f"{_median_ms(alone, times):>9.2f}" if alone else f"{'':>9}"
            print(f"{size:>9} {name:>6} {full_ms:>9.2f} {alone_text} {floor:>9.2f} {full_ms / floor:>10.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 11)
