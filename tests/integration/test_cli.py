"""The workbook command line for IT staff: plain messages and exit codes."""

from __future__ import annotations

import argparse
import csv
import hashlib
import os

import pytest

from qidesk.cli import add_workbook_commands, run_workbook_command
from qidesk.services import data_points
from qidesk.storage.migrate import head_revision


def run(*argv) -> int:
    parser = argparse.ArgumentParser(prog="qidesk")
    add_workbook_commands(parser.add_subparsers(dest="command"))
    return run_workbook_command(parser.parse_args([str(a) for a in argv]))


@pytest.fixture
def closed_ward(wb, ward, workbook_path):
    wb.close()
    return workbook_path, ward


def test_check_healthy_workbook_without_changing_it(closed_ward, capsys):
    path, _ = closed_ward
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    listing = set(os.listdir(path.parent))
    assert run("check", path) == 0
    out = capsys.readouterr().out
    assert "integrity ok" in out and f"schema {head_revision()} (current)" in out and "not open" in out
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert set(os.listdir(path.parent)) == listing


def test_check_refuses_bad_files_with_reason(tmp_path, capsys):
    path = tmp_path / "notes.qidesk"
    path.write_text("hello")
    assert run("check", path) == 1
    assert "not a QIDesk workbook" in capsys.readouterr().err
    assert run("check", tmp_path / "missing.qidesk") == 1


def test_import_export_round_trip(closed_ward, tmp_path, capsys):
    path, ward = closed_ward
    source = tmp_path / "falls.csv"
    with open(source, "w", newline="") as f:
        csv.writer(f).writerows([["Week", "Falls"], ["01/01/2024", 3], ["08/01/2024", 1]])
    assert run("import", path, "--measure", "Falls", source) == 0
    assert "2 added" in capsys.readouterr().out
    assert run("import", path, "--measure", str(ward.falls), source) == 0
    assert "2 skipped" in capsys.readouterr().out
    out = tmp_path / "out.xlsx"
    assert run("export", path, "--measure", "Falls", out) == 0 and out.exists()
    assert run("export", path, "--measure", "No such", tmp_path / "x.csv") == 1


def test_import_with_problems_lists_rows_and_writes_nothing(closed_ward, tmp_path, capsys):
    path, ward = closed_ward
    source = tmp_path / "bad.csv"
    with open(source, "w", newline="") as f:
        csv.writer(f).writerows([["Week", "Falls"], ["01/01/2024", 3], ["08/01/2024", -1]])
    assert run("import", path, "--measure", "Falls", source) == 1
    err = capsys.readouterr().err
    assert "row 3" in err and "nothing imported" in err
    from qidesk.services.workbook import open_workbook

    with open_workbook(path, read_only=True) as wb:
        assert data_points.list_data_points(wb, ward.falls) == []


def test_backup_command(closed_ward, tmp_path, capsys):
    path, _ = closed_ward
    assert run("backup", path, "--to", tmp_path / "copies") == 0
    assert "backup verified" in capsys.readouterr().out
    assert len(list((tmp_path / "copies").glob("*.qidesk"))) == 1


def test_storage_self_test(tmp_path):
    from qidesk.services.selftest import storage_self_test

    summary = storage_self_test(tmp_path)
    assert summary.startswith("storage ok") and "\n" not in summary


def test_demo_command_writes_a_new_workbook_only(tmp_path, capsys):
    target = tmp_path / "demo.qidesk"
    assert run("demo", target) == 0
    assert run("check", target) == 0
    assert run("demo", target) == 1  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_check_reports_broken_links(closed_ward, capsys):
    import sqlite3

    path, _ = closed_ward
    conn = sqlite3.connect(path)  # foreign keys are off by default in plain sqlite3
    conn.execute("INSERT INTO measure (project_id, name, kind, definition, data_source, unit, "
                 "value_type, frequency, improvement_direction, chart_choice, position) "
                 "VALUES (999, 'orphan', 'outcome', '', '', '', 'count', 'week', 'up', 'auto', 0)")
    conn.commit()
    conn.close()
    assert run("check", path) == 1
    assert "foreign_key_check" in capsys.readouterr().err
