"""kill -9 a process writing through the services, again and again: the workbook must
pass integrity_check every time and hold every write the writer reported committed."""

from __future__ import annotations

import random
import sqlite3
import sys

import pytest
from kill_writer import Zygote, half_written_batches, make_writer_workbook

from qidesk.services import data_points
from qidesk.services.workbook import open_workbook

ROUNDS = 50

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


def integrity(path) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def test_kill_9_never_corrupts_or_loses_a_committed_write(tmp_path):
    path = make_writer_workbook(tmp_path)
    rng = random.Random(20261126)
    zygote = Zygote()
    reported: dict[int, str] = {}
    opened_rounds = 0
    try:
        for round_number in range(ROUNDS):
            result = zygote.run_round(path, rng)
            assert not result.errors, f"round {round_number}: {result.errors}"
            opened_rounds += result.opened
            reported.update(result.committed)
            with open_workbook(path, "Checker", backup_folder=tmp_path / "backups") as wb:
                assert not wb.read_only, wb.notice  # the dead writer's lease was reclaimed
                stored = {p.id: p.period.isoformat()
                          for p in data_points.list_data_points(wb, 1)}
            assert integrity(path) == [("ok",)], f"round {round_number}"
            assert half_written_batches(path) == [], f"round {round_number}"
            missing = {i: p for i, p in reported.items() if stored.get(i) != p}
            assert not missing, f"round {round_number}: lost {missing}"
    finally:
        zygote.close()
    assert opened_rounds > ROUNDS // 2
    assert len(reported) > ROUNDS  # the writer really wrote between kills
