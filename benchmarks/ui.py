"""Live chart speed: a committed edit to a repainted chart, and app start to a window.

Drives the real chart panel offscreen (1280×720): each round pushes an undo command that
changes the last figure (one service call, saved), recomputes the measure's chart from
the workbook (services.charts.measure_chart, as the measure screen does on every step of
the undo stack), draws it and repaints the chart synchronously. Prints medians of the
whole round and of its parts; then app start (benchmarks/startup.py's method).

    uv run python benchmarks/ui.py [--rounds 15] [--no-startup]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QUndoStack  # noqa: E402  (PySide6 before pyqtgraph)
from PySide6.QtWidgets import QApplication  # noqa: E402
import numpy as np  # noqa: E402

from qidesk.domain.entities import DataPoint, Measure, Project, Team  # noqa: E402
from qidesk.domain.enums import Frequency, ImprovementDirection, ValueType  # noqa: E402
from qidesk.services import data_points, measures, projects, teams  # noqa: E402
from qidesk.services.charts import measure_chart, point_at  # noqa: E402
from qidesk.services.workbook import open_workbook  # noqa: E402
from qidesk.ui import undo  # noqa: E402
from qidesk.ui.screens.chart_panel import ChartPanel  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
TARGETS_MS = {1_000: 30.0, 100_000: 100.0}


def _workbook(folder: Path, n: int):
    wb = open_workbook(folder / f"bench{n}.qidesk", "Benchmark", create=True)
    team_id = teams.add_team(wb, Team(name="Ward 7")).id
    project_id = projects.add_project(wb, Project(team_id=team_id, title="Falls")).id
    measure_id = measures.add_measure(wb, Measure(
        project_id=project_id, name="Minutes to first observations",
        value_type=ValueType.CONTINUOUS, frequency=Frequency.DAY,
        improvement_direction=ImprovementDirection.DOWN, target=30.0)).id
    rng = np.random.default_rng(7)
    start = date(2026, 1, 1) - timedelta(days=n)
    figures = np.round(rng.normal(60, 8, n), 1)
    data_points.record_data_points(wb, measure_id, [
        DataPoint(measure_id=measure_id, period=start + timedelta(days=k), value=float(v))
        for k, v in enumerate(figures)])
    return wb, measure_id


def time_edits(n: int, rounds: int, folder: Path) -> dict[str, float]:
    """Median ms of: the whole round, the service write, the recompute, draw + repaint."""
    wb, measure_id = _workbook(folder, n)
    stack = QUndoStack()
    panel = ChartPanel(wb, stack)
    panel.resize(1280, 720)
    panel.show()
    panel.show_chart(measure_chart(wb, measure_id))
    QApplication.processEvents()
    last_period = measure_chart(wb, measure_id).periods[-1]
    parts: dict[str, list[float]] = {"round": [], "save": [], "compute": [], "draw": []}
    for k in range(rounds):
        old = point_at(wb, measure_id, last_period)
        new = DataPoint(**{**old.__dict__, "value": 50.0 + k % 7})
        t0 = time.perf_counter()
        undo.push(stack, undo.UpdateDataPointCommand(wb, old, new, "last day"))
        t1 = time.perf_counter()
        chart = measure_chart(wb, measure_id)
        t2 = time.perf_counter()
        panel.show_chart(chart)
        panel.chart.viewport().repaint()
        t3 = time.perf_counter()
        for name, ms in (("round", t3 - t0), ("save", t1 - t0), ("compute", t2 - t1),
                         ("draw", t3 - t2)):
            parts[name].append(ms * 1000)
    panel.close()
    wb.close()
    return {name: statistics.median(values) for name, values in parts.items()}


def time_startup(runs: int) -> float:
    from startup import measure_once

    command = [sys.executable, "-m", "qidesk"]
    measure_once(command)  # warm the file cache; not counted
    return statistics.median(measure_once(command)[0] for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--no-startup", action="store_true")
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    print(f"{'points':>8} {'edit→repaint ms':>16} {'save':>7} {'compute':>8} "
          f"{'draw+paint':>11} {'target (draw+paint)':>20}")
    with tempfile.TemporaryDirectory() as folder:
        for n, target in TARGETS_MS.items():
            m = time_edits(n, args.rounds, Path(folder))
            verdict = "ok" if m["draw"] <= target else "OVER"
            print(f"{n:>8,} {m['round']:>16.1f} {m['save']:>7.1f} {m['compute']:>8.1f} "
                  f"{m['draw']:>11.1f} {f'<= {target:.0f} ms {verdict}':>20}")
    if not args.no_startup:
        start = time_startup(args.startup_runs)
        verdict = "ok" if start <= 1500 else "OVER"
        print(f"app start on the demo workbook to a painted window: {start:.0f} ms "
              f"(median of {args.startup_runs}; target <= 1500 ms {verdict})")


if __name__ == "__main__":
    main()
