"""Workbook storage speed and safety, printed as medians (run by hand, not a test).

    uv run python benchmarks/storage.py            # full: 1.56M-point workbook, 200 kills
    uv run python benchmarks/storage.py --quick    # a smaller run in well under a minute
    uv run python benchmarks/storage.py --trust-only   # just the trust-sized workbook

Targets (issue 4): save one point <= 10 ms (synchronous=FULL); import a 100,000-row CSV
<= 2 s; open a trust-sized workbook and load every measure's series <= 2 s; 200 kill -9
rounds with 0 corrupt workbooks and 0 lost writes.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from qidesk.domain.entities import DataPoint, Measure, Project, Team
from qidesk.domain.enums import Frequency, ValueType
from qidesk.services import data_points, measures, projects, reviews, series, teams
from qidesk.services.imports import import_measure_data
from qidesk.services.workbook import open_workbook
from qidesk.storage.tables import MeasureRow, ProjectRow, TeamRow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
MONDAY = date(2015, 1, 5)


def one_measure(folder: Path, name: str, value_type: ValueType, frequency: Frequency):
    wb = open_workbook(folder / f"{name}.qidesk", "Benchmark", create=True,
                       backup_folder=folder / "backups")
    team = teams.add_team(wb, Team(name="Ward")).id
    project = projects.add_project(wb, Project(team_id=team, title="Bench")).id
    measure = measures.add_measure(wb, Measure(project_id=project, name=name,
                                               value_type=value_type, frequency=frequency)).id
    return wb, measure


def bench_save_one(folder: Path, count: int) -> float:
    wb, measure = one_measure(folder, "save", ValueType.COUNT, Frequency.WEEK)
    times = []
    for week in range(count):
        point = DataPoint(measure_id=measure, period=MONDAY + timedelta(weeks=week), value=week)
        start = time.perf_counter()
        data_points.record_data_point(wb, point)
        times.append(time.perf_counter() - start)
    wb.close()
    return statistics.median(times) * 1000


def bench_import(folder: Path, rows: int, comment_every: int = 0) -> tuple[float, float]:
    """Seconds to import `rows` rare-event rows (dates may repeat; a different comment on
    every `comment_every`-th row if given), and the read time."""
    path = folder / "events.csv"
    rng = random.Random(1)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Date of fall", "Days since previous", "Comment"])
        for i in range(rows):
            day = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
            note = f"Bay {i % 7}, night {i}" if comment_every and i % comment_every == 0 else ""
            writer.writerow([day.strftime("%d/%m/%Y"), rng.randrange(40), note])
    wb, measure = one_measure(folder, "import", ValueType.DAYS_BETWEEN, Frequency.EVENT)
    start = time.perf_counter()
    result = import_measure_data(wb, measure, path)
    elapsed = time.perf_counter() - start
    assert result.batch.added == rows
    start = time.perf_counter()
    assert len(series.load_series(wb, [measure])[measure].values) == rows
    read = time.perf_counter() - start
    wb.close()
    return elapsed, read


def build_trust(path: Path, team_count: int, weeks: int) -> float:
    """Bulk-build teams x 10 projects x 6 measures x `weeks` weekly points (no audit:
    this is test data, not user edits). Returns seconds."""
    start = time.perf_counter()
    wb = open_workbook(path, "Builder", create=True, backup_folder=path.parent / "backups")
    rng = random.Random(7)
    periods = [MONDAY + timedelta(weeks=w) for w in range(weeks)]
    with wb.store.write_engine.begin() as conn:
        conn.execute(insert(TeamRow), [{"id": t + 1, "name": f"Ward {t + 1}", "description": ""}
                                       for t in range(team_count)])
        conn.execute(insert(ProjectRow), [
            {"id": t * 10 + p + 1, "team_id": t + 1, "title": f"Project {p + 1}",
             "aim_statement": "", "problem": "", "status": "active", "lead": "", "sponsor": ""}
            for t in range(team_count) for p in range(10)])
        measure_rows = [{"id": m + 1, "project_id": m // 6 + 1, "name": f"Measure {m % 6 + 1}",
                         "kind": "outcome", "definition": "", "data_source": "", "unit": "",
                         "value_type": "count", "frequency": "week",
                         "improvement_direction": "down", "chart_choice": "auto", "position": 0}
                        for m in range(team_count * 60)]
        conn.execute(insert(MeasureRow), measure_rows)
        raw = conn.connection.dbapi_connection
        raw.executemany(
            "INSERT INTO data_point (measure_id, period, value, comment, excluded, "
            "exclusion_reason, entered_by) VALUES (?, ?, ?, '', 0, '', 'Builder')",
            ((m["id"], p.isoformat(), float(rng.randrange(30))) for m in measure_rows
             for p in periods))
    wb.close()
    return time.perf_counter() - start


def bench_open_and_load(path: Path, repeats: int) -> tuple[float, float, float, int]:
    """Medians of opening read-only (header and quick_check included) then loading every
    measure's series: (wall seconds, CPU seconds of this process, of which opening), points.

    CPU seconds are shown beside the wall clock because other work on a shared machine
    stretches the wall clock but not (much) the CPU this process itself uses."""
    walls, cpus, opens, points = [], [], [], 0
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        with open_workbook(path, "Matron", read_only=True,
                           backup_folder=path.parent / "backups") as wb:
            opens.append(time.perf_counter() - wall)
            loaded = series.load_series(wb)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        points = sum(len(s.periods) for s in loaded.values())
    return (statistics.median(walls), statistics.median(cpus), statistics.median(opens),
            points)


def bench_board(path: Path, repeats: int, team_id: int | None = None) -> tuple[float, int]:
    """Median seconds to open read-only and load the board (all teams, or one)."""
    times, points = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        with open_workbook(path, "Matron", read_only=True,
                           backup_folder=path.parent / "backups") as wb:
            board = reviews.review_board(wb, team_id)
        times.append(time.perf_counter() - start)
        points = sum(len(row.series.values) for row in board)
    return statistics.median(times), points


def bench_kills(folder: Path, rounds: int) -> tuple[int, int, int]:
    """Returns (corrupt workbooks, lost writes, writes reported committed); a batch
    found half-written counts as corrupt."""
    from kill_writer import Zygote, half_written_batches, make_writer_workbook

    path = make_writer_workbook(folder)
    rng = random.Random(2026)
    zygote = Zygote()
    corrupt = lost = 0
    reported: dict[int, str] = {}
    try:
        for _ in range(rounds):
            reported.update(zygote.run_round(path, rng).committed)
            conn = sqlite3.connect(path)
            ok = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            stored = dict(conn.execute("SELECT id, period FROM data_point "
                                       "WHERE deleted_at IS NULL").fetchall())
            conn.close()
            corrupt += not ok or bool(half_written_batches(path))
            lost = sum(1 for i, p in reported.items() if stored.get(i) != p)
    finally:
        zygote.close()
    return corrupt, lost, len(reported)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds")
    parser.add_argument("--trust-only", action="store_true",
                        help="only build the trust-sized workbook and time opening it")
    args = parser.parse_args()
    quick = args.quick
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at start "
          "(other work on the machine slows every figure below)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.trust_only:
            report_writes(folder, quick)
        report_trust(folder, 5 if quick else 50)
        if not args.trust_only:
            rounds = 20 if quick else 200
            corrupt, lost, writes = bench_kills(folder, rounds)
            print(f"kill -9 rounds: {rounds}; corrupt workbooks: {corrupt}; lost writes: "
                  f"{lost} of {writes:,} reported committed  (target 0 and 0)")


def report_writes(folder: Path, quick: bool) -> None:
    ms = bench_save_one(folder, 50 if quick else 300)
    print(f"save one data point (synchronous=FULL, WAL): median {ms:.1f} ms  (target <= 10)")
    rows = 10_000 if quick else 100_000
    for comment_every, label in ((0, ""), (10, ", a different comment on every 10th row")):
        runs = []
        for run in range(5):  # each into a new workbook
            run_folder = folder / f"import-{comment_every}-{run}"
            run_folder.mkdir()
            runs.append(bench_import(run_folder, rows, comment_every))
        took = sorted(t for t, _ in runs)
        read = statistics.median(r for _, r in runs)
        print(f"import {rows:,}-row CSV{label} (all or nothing, audited): median "
              f"{statistics.median(took):.2f} s of 5 ({took[0]:.2f}-{took[-1]:.2f})  "
              f"(target <= 2 s for 100,000); reading it back {read:.2f} s")


def report_trust(folder: Path, team_count: int) -> None:
    trust = folder / "trust.qidesk"
    built = build_trust(trust, team_count, 520)
    size_mb = trust.stat().st_size / 1e6
    wall, cpu, opening, points = bench_open_and_load(trust, 5)
    print(f"trust workbook {team_count} teams x 10 projects x 6 measures x 520 weeks = "
          f"{points:,} points: {size_mb:.0f} MB, built in {built:.1f} s; open + load every "
          f"series (load_series): median {wall:.2f} s  (target <= 2 s; {cpu:.2f} s of CPU; "
          f"opening with quick_check {opening:.2f} s)")
    board, points = bench_board(trust, 3)
    print(f"  the review board of all {points:,} points (open, measures, sign-offs and "
          f"series), same workbook: median {board:.2f} s")
    one, one_points = bench_board(trust, 3, team_id=1)
    print(f"  one ward's board ({one_points:,} points), same workbook: median {one:.2f} s")

if __name__ == "__main__":
    main()
