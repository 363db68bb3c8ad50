"""The review board's data on real workbooks: icons as the live chart has them, what
changed since a reviewer's sign-off, and review mode's read-only opening of other
wards' workbooks without touching their leases."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import date

import pytest

from qidesk.domain.entities import DataPoint, DriverNode, PdsaCycle, Phase
from qidesk.domain.enums import DriverLevel, PdsaDecision, ReviewSubject
from qidesk.services import data_points, drivers, history, measures, pdsa, reviews
from qidesk.services.board import board_tiles
from qidesk.services.charts import measure_chart
from qidesk.services.demo import write_demo_workbook
from qidesk.services.workbook import open_workbook
from qidesk.storage.lease import lease_path
from integration_helpers import monday

TODAY = date(2024, 6, 6)  # a Thursday: the week before's figures are due


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.qidesk"
    write_demo_workbook(path)
    return path


def test_every_demo_tile_has_the_live_charts_icons(demo):
    with open_workbook(demo, read_only=True) as wb:
        tiles = board_tiles(wb, "Lisa Duffy", date.today())
        assert len(tiles) == 14
        for tile in tiles:
            live = measure_chart(wb, tile.measure.id)
            assert (tile.chart.variation, tile.chart.assurance) == (live.variation, live.assurance)
            assert list(tile.chart.result.y) == pytest.approx(list(live.result.y), nan_ok=True)
        signals = {tile.signal for tile in tiles}
        assert {"improvement", "common_cause"} <= signals


def _weekly(wb, measure_id, weeks, value=lambda w: 3):
    data_points.record_data_points(wb, measure_id, [
        DataPoint(measure_id=measure_id, period=monday(w), value=value(w)) for w in weeks])


def _tile(wb, measure_id, reviewer="Lisa Duffy"):
    return next(t for t in board_tiles(wb, reviewer, TODAY) if t.measure.id == measure_id)


def test_nothing_new_right_after_a_sign_off_then_points_signals_phases_and_decisions(wb, ward):
    _weekly(wb, ward.falls, range(20), lambda w: 3 + (w % 3))
    wb.sign_in("Lisa Duffy")
    reviews.sign_off_measure(wb, ward.falls, "Stable; keep going.")
    assert not _tile(wb, ward.falls).since.anything
    assert _tile(wb, ward.falls).since.comment == "Stable; keep going."
    time.sleep(0.01)  # entered_at must be later than the sign-off's instant
    wb.sign_in("Sam Jones")
    _weekly(wb, ward.falls, range(20, 28), lambda w: 12)  # 8 high weeks: a shift
    since = _tile(wb, ward.falls).since
    assert since.new_points == 8 and since.new_periods[0] == monday(20)
    assert since.new_signals >= 8
    assert _tile(wb, ward.obs).since.reviewed_at is None  # never signed off: nothing to compare
    measures.add_phase(wb, Phase(measure_id=ward.falls, start_date=monday(20),
                                 reason="Bay nursing adopted"))
    assert _tile(wb, ward.falls).since.phase_changes == 1
    aim = drivers.add_node(wb, DriverNode(project_id=ward.project_id, level=DriverLevel.AIM,
                                          text="Fewer falls")).id
    primary = drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=aim,
                                              level=DriverLevel.PRIMARY, text="Safe ward")).id
    secondary = drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=primary,
                                                level=DriverLevel.SECONDARY, text="Watching")).id
    idea = drivers.add_node(wb, DriverNode(project_id=ward.project_id, parent_id=secondary,
                                           level=DriverLevel.CHANGE_IDEA, text="Bay nursing")).id
    cycle = pdsa.add_cycle(wb, PdsaCycle(change_idea_id=idea, cycle_number=1)).id
    pdsa.set_linked_measures(wb, cycle, [ward.falls])
    assert _tile(wb, ward.falls).since.pdsa_decisions == ()
    pdsa.update_cycle(wb, cycle, decision=PdsaDecision.ADOPT)
    assert _tile(wb, ward.falls).since.pdsa_decisions == ("adopt",)
    assert _tile(wb, ward.falls, reviewer="Someone Else").since.reviewed_at is None


def test_a_project_sign_off_counts_for_its_measures_and_is_audited(wb, ward):
    _weekly(wb, ward.falls, range(10))
    wb.sign_in("Lisa Duffy")
    reviews.sign_off_project(wb, ward.project_id, "Project on track.")
    tile = _tile(wb, ward.obs)
    assert tile.since.reviewed_at is not None and tile.since.comment == "Project on track."
    last = reviews.last_sign_off(wb, ward.falls)
    assert (last.subject, last.reviewer, last.comment) == (ReviewSubject.PROJECT, "Lisa Duffy",
                                                           "Project on track.")
    time.sleep(0.01)
    reviews.sign_off_measure(wb, ward.falls, "Falls: fine.")
    assert reviews.last_sign_off(wb, ward.falls).comment == "Falls: fine."
    trail = history.audit_trail(wb, "review")
    assert [e.staff_name for e in trail[:2]] == ["Lisa Duffy", "Lisa Duffy"]
    assert trail[0].changes["comment"][1] == "Falls: fine."


def test_overdue_on_the_board_follows_the_measures_frequency(wb, ward):
    _weekly(wb, ward.falls, range(20))  # last figure w/c 13 May 2024
    data_points.record_data_points(wb, ward.obs, [
        DataPoint(measure_id=ward.obs, period=monday(w), numerator=8, denominator=10)
        for w in range(21)])
    tile = _tile(wb, ward.falls)
    assert tile.latest_period == monday(19)
    # Thursday 6 June: w/c 20 and 27 May are due and missing; w/c 3 June is not due yet.
    assert tile.overdue.missing == 2 and tile.overdue.due_period == monday(21)
    assert _tile(wb, ward.obs).overdue.missing == 1
    assert _tile(wb, ward.between).overdue is None  # per event: never overdue
    assert _tile(wb, ward.minutes).overdue is None  # no data yet: nothing is late


HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from qidesk.services.workbook import open_workbook
    wb = open_workbook(Path(sys.argv[1]), "Priya Patel", backup_folder=Path(sys.argv[2]))
    print("readonly" if wb.read_only else "writer", flush=True)
    sys.stdin.readline()
    wb.close()
""")


def _lease_state(path):
    lease = lease_path(path)
    return lease.read_bytes() if lease.exists() else None, (
        lease.stat().st_mtime_ns if lease.exists() else None)


def test_review_mode_opens_two_workbooks_read_only_without_touching_leases(tmp_path, demo):
    import shutil

    ward7, ward9 = tmp_path / "ward7.qidesk", tmp_path / "ward9.qidesk"
    shutil.copy2(demo, ward7)
    shutil.copy2(demo, ward9)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(ward9), str(tmp_path / "b")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "writer"
        before = {path: _lease_state(path) for path in (ward7, ward9)}
        assert before[ward7][0] is None and before[ward9][0] is not None
        opened = [open_workbook(path, "Lisa Duffy", read_only=True) for path in (ward7, ward9)]
        try:
            assert all(wb.read_only and wb.store.lease is None for wb in opened)
            assert [len(board_tiles(wb, "Lisa Duffy", TODAY)) for wb in opened] == [14, 14]
            assert {path: _lease_state(path) for path in (ward7, ward9)} == before
        finally:
            for wb in opened:
                wb.close()
        assert {path: _lease_state(path) for path in (ward7, ward9)} == before
        # The holder still writes: a read-only reviewer never took its lease.
        with open_workbook(ward9, "Someone", backup_folder=tmp_path / "c") as again:
            assert again.read_only and again.lease_holder.staff_name == "Priya Patel"
    finally:
        holder.communicate("done\n", timeout=30)
