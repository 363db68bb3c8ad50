"""Start-up figures: process start to first painted main window, and peak memory.

Starts QIDesk offscreen in portable mode (a fresh temporary data folder each run, so the
demo workbook is created as on a first start), waits for the log line the app writes when
its window is first painted, reads the peak resident memory (VmHWM) and stops it.
Runs from source and, when dist/QIDesk exists, from the bundle. Prints medians.

    uv run python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "QIDesk" / "qidesk"
PAINTED = re.compile(r"First window painted (\d+) ms after process start")
SETTLED = "Workbook screen ready"


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_once(command: list[str], timeout: float = 60.0) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        log = Path(data_dir) / "logs" / "qidesk.log"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        process = subprocess.Popen([*command, "--data-dir", data_dir], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + timeout
            painted = None
            while time.monotonic() < deadline:
                text = log.read_text(encoding="utf-8") if log.exists() else ""
                match = PAINTED.search(text)
                if match and SETTLED in text:
                    painted = float(match.group(1))
                    break
                if process.poll() is not None:
                    raise RuntimeError(f"{command} exited with {process.returncode} before painting")
                time.sleep(0.02)
            if painted is None:
                raise RuntimeError(f"{command} did not paint within {timeout} s")
            return painted, _peak_rss_mb(process.pid)
        finally:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    targets = {"source": [sys.executable, "-m", "qidesk"]}
    if BUNDLE.exists():
        targets["bundle"] = [str(BUNDLE)]
    print(f"{'from':<8} {'runs':>4} {'first paint ms (median)':>24} {'min':>6} {'max':>6} {'peak RSS MB':>12}")
    for name, command in targets.items():
        measure_once(command)  # warm the file cache once; not counted
        runs = [measure_once(command) for _ in range(args.runs)]
        paints = [p for p, _ in runs]
        rss = [r for _, r in runs]
        print(f"{name:<8} {len(runs):>4} {statistics.median(paints):>24.0f} {min(paints):>6.0f} "
              f"{max(paints):>6.0f} {statistics.median(rss):>12.0f}")
    print("Targets: first paint <= 1500 ms, peak RSS <= 200 MB.")


if __name__ == "__main__":
    main()
