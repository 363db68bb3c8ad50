"""Start-up figures: process start to first painted main window, and peak memory.

Starts QIDesk offscreen in portable mode (a fresh temporary data folder each run) on a
copy of a demo workbook written beforehand, waits for the log lines the app writes when
its window is first painted and when the workbook's screen is ready, reads the peak
resident memory (VmHWM) and stops it.
Runs from source and, when dist/QIDesk exists, from the bundle. Prints medians.

    uv run python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "QIDesk" / "qidesk"
PAINTED = re.compile(r"First window painted (\d+) ms after process start")
READY = re.compile(r"Workbook screen ready (\d+) ms after process start")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _environment() -> dict[str, str]:
    """This environment, but letting Python keep compiled bytecode as an installed app does
    (with PYTHONDONTWRITEBYTECODE set, every start recompiles ~2 s of source)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure_once(command: list[str], demo: Path, timeout: float = 60.0) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        log = Path(data_dir) / "logs" / "qidesk.log"
        workbook = Path(data_dir) / "ward.qidesk"
        shutil.copy2(demo, workbook)
        env = {**_environment(), "QT_QPA_PLATFORM": "offscreen"}
        process = subprocess.Popen([*command, str(workbook), "--data-dir", data_dir], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + timeout
            painted = ready = None
            while time.monotonic() < deadline:
                text = log.read_text(encoding="utf-8") if log.exists() else ""
                match, settled = PAINTED.search(text), READY.search(text)
                if match and settled:
                    painted, ready = float(match.group(1)), float(settled.group(1))
                    break
                if process.poll() is not None:
                    raise RuntimeError(f"{command} exited with {process.returncode} before painting")
                time.sleep(0.02)
            if painted is None:
                raise RuntimeError(f"{command} did not paint within {timeout} s")
            return painted, ready, _peak_rss_mb(process.pid)
        finally:
            process.kill()
            process.wait()


# What any start must load before a chart can be drawn: Qt widgets, numpy, the database
# layer and the plotting library. Starting Python with only these is the floor.
LIBRARIES = "import PySide6.QtWidgets, numpy, sqlalchemy, sqlmodel, pyqtgraph"


def library_floor_ms() -> float:
    """Wall time of a bare Python process that imports the libraries and exits."""
    env = {**_environment(), "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", LIBRARIES], check=True, env=env)
    return 1000 * (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    targets = {"source": [sys.executable, "-m", "qidesk"]}
    if BUNDLE.exists():
        targets["bundle"] = [str(BUNDLE)]
    print(f"{'from':<8} {'runs':>4} {'first paint ms':>15} {'min':>6} {'max':>6} "
          f"{'workbook ready ms':>18} {'min':>6} {'max':>6} {'peak RSS MB':>12}")
    scratch = tempfile.TemporaryDirectory()
    demo = Path(scratch.name) / "demo.qidesk"
    subprocess.run([sys.executable, "-m", "qidesk", "demo", str(demo)], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "QIDESK_DATA_DIR": scratch.name})
    for name, command in targets.items():
        measure_once(command, demo)  # warm the file cache once; not counted
        runs = [measure_once(command, demo) for _ in range(args.runs)]
        paints, ready, rss = ([run[k] for run in runs] for k in range(3))
        print(f"{name:<8} {len(runs):>4} {statistics.median(paints):>15.0f} {min(paints):>6.0f} "
              f"{max(paints):>6.0f} {statistics.median(ready):>18.0f} {min(ready):>6.0f} "
              f"{max(ready):>6.0f} {statistics.median(rss):>12.0f}")
    library_floor_ms()  # warm
    floor = statistics.median(library_floor_ms() for _ in range(args.runs))
    print(f"Floor: a bare Python importing Qt widgets, numpy, SQLAlchemy, SQLModel and "
          f"pyqtgraph takes {floor:.0f} ms (median).")
    print("Medians. Targets: first paint <= 1500 ms, demo workbook interactive <= 1500 ms, "
          "peak RSS <= 200 MB.")


if __name__ == "__main__":
    main()
