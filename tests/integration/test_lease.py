"""One writer per workbook: the lease file beside it says who holds it and since when."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest

from qidesk.domain.entities import DataPoint
from qidesk.services import data_points
from qidesk.services.workbook import current_holder, open_workbook
from qidesk.storage.errors import WorkbookReadOnly
from qidesk.storage.lease import lease_path, read_lease
from integration_helpers import monday

HOLDER = textwrap.dedent("""
    import sys
    from datetime import date, timedelta
    from pathlib import Path
    from qidesk.domain.entities import DataPoint
    from qidesk.services import data_points
    from qidesk.services.workbook import open_workbook
    wb = open_workbook(Path(sys.argv[1]), "Priya Patel", backup_folder=Path(sys.argv[2]))
    print("readonly" if wb.read_only else "writer", flush=True)
    for line in sys.stdin:
        if line.startswith("write"):
            n = int(line.split()[1])
            day = date(2024, 1, 1) + timedelta(weeks=n)
            data_points.record_data_point(wb, DataPoint(measure_id=1, period=day, value=n))
            print("ok", n, flush=True)
        else:
            break
    wb.close()
    print("closed", flush=True)
""")


def start_holder(path, tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(tmp_path / "b2")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writer"
    return proc


def ask(proc, line):
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    return proc.stdout.readline().strip()


def test_second_process_is_read_only_and_told_who_holds_it(tmp_path, wb, ward, workbook_path):
    wb.close()
    holder = start_holder(workbook_path, tmp_path)
    try:
        assert ask(holder, "write 0") == "ok 0"
        second = open_workbook(workbook_path, "Sam Jones", backup_folder=tmp_path / "b")
        assert second.read_only
        assert "Priya Patel" in second.notice and "since" in second.notice
        assert second.lease_holder.staff_name == "Priya Patel"
        assert current_holder(workbook_path).pid == holder.pid
        with pytest.raises(WorkbookReadOnly, match="Priya Patel"):
            data_points.record_data_point(second, DataPoint(measure_id=ward.falls,
                                                            period=monday(5), value=1))
        assert ask(holder, "write 1") == "ok 1"  # the writer carries on meanwhile
        assert [p.value for p in data_points.list_data_points(second, ward.falls)] == [0, 1]
        second.close()
        assert read_lease(workbook_path).staff_name == "Priya Patel"  # reader left it alone
        assert ask(holder, "close") == "closed"
    finally:
        holder.kill()
        holder.wait()
    assert not lease_path(workbook_path).exists()
    with open_workbook(workbook_path, "Sam Jones", backup_folder=tmp_path / "b") as again:
        assert not again.read_only
        assert [p.value for p in data_points.list_data_points(again, ward.falls)] == [0, 1]


def _fake_lease(path, *, computer, pid, age_minutes):
    beat = datetime.now(UTC) - timedelta(minutes=age_minutes)
    lease_path(path).write_text(json.dumps({
        "staff_name": "Night Nurse", "os_user": "nn", "computer": computer, "pid": pid,
        "started": beat.isoformat(), "heartbeat": beat.isoformat(), "token": "abc"}))


def test_stale_lease_taken_over_only_when_confirmed(tmp_path, wb, workbook_path):
    wb.close()
    _fake_lease(workbook_path, computer="OTHER-PC", pid=4242, age_minutes=11)
    first = open_workbook(workbook_path, "Sam", backup_folder=tmp_path / "b")
    assert first.read_only and "over 10 minutes" in first.notice
    first.close()
    taken = open_workbook(workbook_path, "Sam", take_over_stale=True,
                          backup_folder=tmp_path / "b")
    assert not taken.read_only and read_lease(workbook_path).staff_name == "Sam"
    taken.close()


def test_fresh_lease_on_another_computer_is_not_taken_over(tmp_path, wb, workbook_path):
    wb.close()
    _fake_lease(workbook_path, computer="OTHER-PC", pid=4242, age_minutes=2)
    book = open_workbook(workbook_path, "Sam", take_over_stale=True, backup_folder=tmp_path / "b")
    assert book.read_only and "Night Nurse" in book.notice
    book.close()


def test_dead_process_lease_on_this_computer_is_reclaimed(tmp_path, wb, workbook_path):
    from qidesk.storage.lease import computer_name

    wb.close()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _fake_lease(workbook_path, computer=computer_name(), pid=dead.pid, age_minutes=0)
    with open_workbook(workbook_path, "Sam", backup_folder=tmp_path / "b") as book:
        assert not book.read_only


def test_heartbeat_refreshes_and_notices_a_takeover(wb, workbook_path):
    before = read_lease(workbook_path).heartbeat
    assert wb.heartbeat()
    assert read_lease(workbook_path).heartbeat >= before
    _fake_lease(workbook_path, computer="OTHER-PC", pid=1, age_minutes=0)
    assert wb.heartbeat() is False
    assert wb.read_only and "took over" in wb.notice
    with pytest.raises(WorkbookReadOnly):
        wb.require_writable()


def test_lease_file_is_complete_json(wb, workbook_path):
    data = json.loads(lease_path(workbook_path).read_text())
    assert set(data) >= {"staff_name", "os_user", "computer", "pid", "started", "heartbeat"}
    assert data["pid"] == os.getpid() and data["staff_name"] == "Sam Jones"


RACER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from qidesk.services.workbook import open_workbook
    print("ready", flush=True)
    sys.stdin.readline()
    wb = open_workbook(Path(sys.argv[1]), "Racer", backup_folder=Path(sys.argv[2]))
    print("readonly" if wb.read_only else "writer", flush=True)
    sys.stdin.readline()
    wb.close()
""")


def test_several_opening_at_the_same_moment_get_exactly_one_writer(tmp_path, wb,
                                                                    workbook_path):
    wb.close()
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(workbook_path),
                                str(tmp_path / "b2")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
              for _ in range(3)]
    try:
        assert all(r.stdout.readline().strip() == "ready" for r in racers)
        for racer in racers:  # as close together as we can make them
            racer.stdin.write("go\n")
            racer.stdin.flush()
        answers = sorted(r.stdout.readline().strip() for r in racers)
    finally:
        for racer in racers:
            racer.communicate("\n", timeout=30)
    assert answers == ["readonly", "readonly", "writer"]
