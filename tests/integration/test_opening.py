"""Opening workbooks: bad files are refused and left byte-identical; newer ones open
read-only naming both versions; new ones carry QIDesk's application_id."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct

import pytest

from qidesk.services import teams
from qidesk.domain.entities import Team
from qidesk.services.workbook import open_workbook
from qidesk.storage.checks import APPLICATION_ID
from qidesk.storage.errors import (
    NotAWorkbook,
    StorageError,
    WorkbookCorrupt,
    WorkbookNotFound,
    WorkbookReadOnly,
)
from qidesk.storage.migrate import head_revision


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_listing(path) -> set[str]:
    return set(os.listdir(path.parent))


def make_healthy(path) -> None:
    with open_workbook(path, "Sam", create=True, backup_folder=path.parent / "b") as wb:
        for i in range(300):  # enough pages that damage lands inside the b-trees
            teams.add_team(wb, Team(name=f"Ward {i}", description="x" * 500))


def foreign_sqlite(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def truncated(path) -> None:
    make_healthy(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def damaged_pages(path) -> None:
    make_healthy(path)
    data = bytearray(path.read_bytes())
    page = struct.unpack(">H", data[16:18])[0]
    for start in range(2 * page, len(data) - page, 3 * page):
        data[start:start + 200] = os.urandom(200)
    path.write_bytes(bytes(data))


def wrong_application_id(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()


BAD_FILES = {
    "zero_length": (lambda p: p.write_bytes(b""), NotAWorkbook, "empty"),
    "random_bytes": (lambda p: p.write_bytes(os.urandom(50_000)), NotAWorkbook, "not a"),
    "text_file": (lambda p: p.write_text("period,value\n01/01/2024,3\n"), NotAWorkbook, "not a"),
    "short_header": (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20),
                     NotAWorkbook, "not a"),
    "foreign_sqlite": (foreign_sqlite, NotAWorkbook, "another program"),
    "other_application_id": (wrong_application_id, NotAWorkbook, "another program"),
    "truncated": (truncated, WorkbookCorrupt, "cut short"),
    "damaged_pages": (damaged_pages, WorkbookCorrupt, "damaged"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_files_are_refused_and_left_byte_identical(tmp_path, kind):
    make, error, words = BAD_FILES[kind]
    path = tmp_path / f"{kind}.qidesk"
    make(path)
    before, listing = digest(path), folder_listing(path)
    with pytest.raises(error) as info:
        open_workbook(path, "Sam", backup_folder=tmp_path / "b")
    assert words in info.value.message
    assert path.name in info.value.message or "file" in info.value.message
    assert digest(path) == before
    assert folder_listing(path) == listing  # no -wal, -journal or lease left beside it


def test_a_folder_is_not_a_workbook(tmp_path):
    (tmp_path / "ward.qidesk").mkdir()
    with pytest.raises(NotAWorkbook, match="folder"):
        open_workbook(tmp_path / "ward.qidesk", create=True)


def test_missing_workbook_is_not_created_unless_asked(tmp_path):
    with pytest.raises(WorkbookNotFound):
        open_workbook(tmp_path / "nope.qidesk")
    assert not (tmp_path / "nope.qidesk").exists()


def test_new_workbook_has_application_id_wal_and_foreign_keys(wb, workbook_path):
    conn = sqlite3.connect(workbook_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with wb.store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_network_paths_use_the_rollback_journal(monkeypatch, tmp_path):
    from qidesk.storage import engine

    monkeypatch.setattr(engine, "_mount_type", lambda resolved: "cifs")
    path = tmp_path / "share.qidesk"
    with open_workbook(path, "Sam", create=True, backup_folder=tmp_path / "b") as wb:
        teams.add_team(wb, Team(name="Ward 1"))
        with wb.store.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    assert engine.is_network_path(tmp_path) is True
    assert engine.is_network_path(type(tmp_path)("//server/share/ward.qidesk"))


def test_linux_mount_table_decides_network(monkeypatch, tmp_path):
    from qidesk.storage import engine

    monkeypatch.undo()
    assert engine.is_network_path(tmp_path) is False


def test_newer_workbook_opens_read_only_naming_both_versions(tmp_path, workbook_path):
    with open_workbook(workbook_path, "Sam", create=True, backup_folder=tmp_path / "b") as wb:
        teams.add_team(wb, Team(name="Ward 7"))
    conn = sqlite3.connect(workbook_path)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.execute("UPDATE workbook_info SET value = '9.1.0' WHERE key = 'app_version'")
    conn.commit()
    conn.close()
    before = digest(workbook_path)
    wb = open_workbook(workbook_path, "Sam", backup_folder=tmp_path / "b")
    try:
        assert wb.read_only
        assert "QIDesk 9.1.0" in wb.notice and "0099" in wb.notice
        assert "QIDesk 0.1.0" in wb.notice and head_revision() in wb.notice
        assert [t.name for t in teams.list_teams(wb)] == ["Ward 7"]
        with pytest.raises(WorkbookReadOnly):
            teams.add_team(wb, Team(name="Ward 8"))
    finally:
        wb.close()
    assert digest(workbook_path) == before  # never migrated down, never touched
    conn = sqlite3.connect(workbook_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0099"
    conn.close()


def test_every_refusal_is_a_storage_error_with_a_plain_message():
    for _, error, _ in BAD_FILES.values():
        assert issubclass(error, StorageError)


def test_sqlite_uris_for_every_kind_of_path():
    from qidesk.storage.checks import _uri_for

    assert _uri_for("/home/a b/w#1.qidesk", read_only=True, immutable=False) == \
        "file:///home/a%20b/w%231.qidesk?mode=ro"
    assert _uri_for("C:/Users/x/ward.qidesk", read_only=False, immutable=False) == \
        "file:///C:/Users/x/ward.qidesk"
    assert _uri_for("//server/share/ward.qidesk", read_only=True, immutable=True) == \
        "file:////server/share/ward.qidesk?mode=ro&immutable=1"


def test_awkward_file_names_open(tmp_path):
    path = tmp_path / "Ward 7 #2 (50% done) ?.qidesk"
    with open_workbook(path, "Sam", create=True, backup_folder=tmp_path / "b") as wb:
        teams.add_team(wb, Team(name="Ward 7"))
    with open_workbook(path, "Sam", backup_folder=tmp_path / "b") as wb:
        assert [t.name for t in teams.list_teams(wb)] == ["Ward 7"]
