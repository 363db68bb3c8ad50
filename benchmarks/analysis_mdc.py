"""Median timings of a Making Data Count chart: limits, all rules, point classes, findings.

Run: uv run python benchmarks/analysis_mdc.py. The floor beside each figure is five
passes of np.median over the same data (the issue's yardstick). Targets: n = 1e6 within
40 ms, n = 1e4 within 1 ms.
"""

from __future__ import annotations

import time

import numpy as np

from qidesk.analysis.findings import findings
from qidesk.analysis.mdc import mdc_xmr
from qidesk.analysis.points import classify_points

SIZES = (1_000, 10_000, 100_000, 1_000_000)


def series(n: int) -> np.ndarray:
    """Noise rounded to one decimal (so ties happen), with a step two thirds of the way."""
    rng = np.random.default_rng(20240917)
    y = rng.normal(50, 5, n).round(1)
    y[2 * n // 3:] += 4
    return y


def chart(y: np.ndarray) -> None:
    m = mdc_xmr(y, improvement="increase", target=60)
    classes = classify_points(m, "up")
    findings(m, improvement_direction="up", classes=classes)


def floor(y: np.ndarray) -> None:
    for _ in range(5):
        np.median(y)


def median_ms(fn, y: np.ndarray, repeats: int) -> float:
    fn(y)  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(y)
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def main() -> None:
    print(f"{'n':>9} {'mdc_xmr+classes+findings ms':>28} {'floor (5x np.median) ms':>24}")
    for n in SIZES:
        y = series(n)
        repeats = max(7, 200_000 // n)
        print(f"{n:>9} {median_ms(chart, y, repeats):>28.3f} {median_ms(floor, y, repeats):>24.3f}")


if __name__ == "__main__":
    main()
