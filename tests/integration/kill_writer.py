"""Writer for the kill -9 tests and benchmark: forks children that write through the
services and print what they committed, so the parent can kill them at random moments.

Protocol (stdout lines): the zygote answers each "go <workbook> <seed>" line on stdin
with "child <pid>"; the child prints "open", then "ok <id> <period-iso>" after every
commit. Fork keeps each round cheap (the imports are done once, in the zygote).
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from qidesk.domain.entities import DataPoint
from qidesk.services import data_points, series
from qidesk.services.workbook import open_workbook

MEASURE_ID = 1
BATCH = 60
FIRST_DAY = date(2020, 1, 1)


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())  # one write() per line: never interleaved


def make_writer_workbook(folder: Path) -> Path:
    """A workbook whose measure 1 takes one continuous value per day."""
    from qidesk.domain.entities import Measure, Project, Team
    from qidesk.domain.enums import Frequency, ValueType
    from qidesk.services import measures, projects, teams

    path = folder / "killed.qidesk"
    with open_workbook(path, "Set-up", create=True, backup_folder=folder / "backups") as wb:
        team = teams.add_team(wb, Team(name="Ward")).id
        project = projects.add_project(wb, Project(team_id=team, title="Kill test")).id
        measure = measures.add_measure(wb, Measure(
            project_id=project, name="Value", value_type=ValueType.CONTINUOUS,
            frequency=Frequency.DAY)).id
    assert measure == MEASURE_ID
    return path


def write_forever(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    wb = open_workbook(path, f"Writer {os.getpid()}", backup_folder=path.parent / "backups")
    if wb.read_only:
        say(f"readonly {wb.notice}")
        os._exit(3)
    say("open")
    loaded = series.load_series(wb, [MEASURE_ID])[MEASURE_ID]
    day = (max(loaded.periods) + timedelta(days=1)) if loaded.periods else FIRST_DAY
    committed: list[int] = []
    while True:
        choice = rng.random()
        if choice < 0.7 or not committed:
            points = [DataPoint(measure_id=MEASURE_ID, period=day, value=rng.random())]
        elif choice < 0.8:
            points = [DataPoint(measure_id=MEASURE_ID, period=day + timedelta(days=i),
                                value=float(i)) for i in range(3)]
        elif choice < 0.9:  # a paste-sized batch, tagged to check it is all or nothing
            tag = f"batch {seed}-{len(committed)}"
            points = [DataPoint(measure_id=MEASURE_ID, period=day + timedelta(days=i),
                                value=float(i), comment=tag) for i in range(BATCH)]
        else:
            target = rng.choice(committed)
            data_points.update_data_point(wb, target, value=rng.random())
            say(f"upd {target}")
            continue
        if len(points) == 1:
            change = data_points.record_data_point(wb, points[0])
            ids = [change.id]
        else:
            ids = data_points.record_data_points(wb, MEASURE_ID, points).changes.ids("data_point")
        for point_id, point in zip(ids, points):
            say(f"ok {point_id} {point.period.isoformat()}")
        committed += ids
        day += timedelta(days=len(points))


def zygote() -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed children vanish, no zombies
    say("ready")
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "go":
            continue
        pid = os.fork()
        if pid == 0:
            try:
                write_forever(Path(parts[1]), int(parts[2]))
            except BaseException as exc:  # noqa: BLE001 - report and leave
                say(f"error {type(exc).__name__}: {exc}")
                os._exit(2)
        say(f"child {pid}")


@dataclass
class RoundResult:
    committed: dict[int, str] = field(default_factory=dict)  # id -> period reported
    opened: bool = False
    errors: list[str] = field(default_factory=list)


class Zygote:
    """Parent side: start the zygote once, then run kill rounds against a workbook."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        assert self._next(60) == "ready"

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def _next(self, timeout: float) -> str | None:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def run_round(self, workbook: Path, rng: random.Random) -> RoundResult:
        """Start a writer, kill -9 it at a random moment, return what it reported."""
        result = RoundResult()
        self.proc.stdin.write(f"go {workbook} {rng.randrange(1 << 30)}\n")
        self.proc.stdin.flush()
        pid = None
        while pid is None:
            line = self._next(30)
            assert line is not None, "writer never started"
            if line.startswith("child "):
                pid = int(line.split()[1])
            else:
                self._record(line, result)
        during_open = rng.random() < 0.15
        deadline = time.monotonic() + (rng.uniform(0, 0.03) if during_open else 30)
        while not result.opened and time.monotonic() < deadline and not result.errors:
            self._record(self._next(max(0.001, deadline - time.monotonic())), result)
        if result.opened:
            deadline = time.monotonic() + rng.uniform(0.0, 0.25)
            while time.monotonic() < deadline:
                self._record(self._next(max(0.001, deadline - time.monotonic())), result)
        _kill(pid)
        while (line := self._next(0.05)) is not None:  # lines written before the kill
            self._record(line, result)
        return result

    @staticmethod
    def _record(line: str | None, result: RoundResult) -> None:
        if line is None:
            return
        if line == "open":
            result.opened = True
        elif line.startswith("ok "):
            _, point_id, period = line.split()
            result.committed[int(point_id)] = period
        elif line.startswith(("error", "readonly")):
            result.errors.append(line)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(10)


def half_written_batches(path: Path) -> list[tuple[str, int]]:
    """Tagged batches present with fewer than all their points (must always be [])."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT comment, count(*) FROM data_point WHERE comment LIKE "
                            "'batch %' GROUP BY comment HAVING count(*) != ?",
                            (BATCH,)).fetchall()
    finally:
        conn.close()


def _kill(pid: int) -> None:
    from qidesk.storage.lease import process_alive

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    while process_alive(pid):
        time.sleep(0.002)


if __name__ == "__main__":
    zygote()
