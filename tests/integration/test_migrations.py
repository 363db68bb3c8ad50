"""A workbook at the first schema revision, full of data, is backed up then upgraded."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from alembic import command

from qidesk.services import data_points, drivers, history, measures, teams
from qidesk.services.workbook import open_workbook
from qidesk.storage.backup import list_backups
from qidesk.storage.engine import make_engine, writer
from qidesk.storage.migrate import alembic_config, head_revision

from integration_helpers import build_at

NOW = datetime(2024, 1, 1, tzinfo=UTC).isoformat(sep=" ")


def build_at_first_revision(path, revision: str = "0001") -> None:
    build_at(path, revision)
    conn = sqlite3.connect(path)
    conn.executescript(f"""
        INSERT INTO team (id, name, description) VALUES (1, 'Ward 7', '');
        INSERT INTO project (id, team_id, title, aim_statement, problem, status, lead, sponsor)
            VALUES (1, 1, 'Falls', '', '', 'active', '', '');
        INSERT INTO measure (id, project_id, name, kind, definition, data_source, unit,
            value_type, frequency, improvement_direction, chart_choice, position)
            VALUES (1, 1, 'Falls', 'outcome', '', '', '', 'count', 'week', 'down', 'auto', 0);
        INSERT INTO audit_event (at, staff_name, os_user, computer, app_version, action,
            table_name, record_id, changes, pid_warnings)
            VALUES ('{NOW}', 'Old', 'u', 'pc', '0.0.9', 'created', 'team', 1, '{{}}', '{{}}');
    """)
    conn.executemany(
        "INSERT INTO data_point (measure_id, period, value, comment, excluded, "
        "exclusion_reason, entered_by) VALUES (1, ?, ?, '', 0, '', 'Old')",
        [(f"2024-{m:02d}-01", m) for m in range(1, 13)])
    conn.commit()
    conn.close()


def test_first_revision_upgrades_to_head_keeping_every_record(tmp_path):
    path = tmp_path / "old.qidesk"
    build_at_first_revision(path)
    with open_workbook(path, "Sam", backup_folder=tmp_path / "b") as wb:
        assert wb.schema_revision == head_revision() != "0001"
        assert [t.name for t in teams.list_teams(wb)] == ["Ward 7"]
        assert len(data_points.list_data_points(wb, 1)) == 12
        assert measures.get_measure(wb, 1).name == "Falls"
        assert history.audit_trail(wb)[-1].staff_name == "Old"
    [backup] = [b for b in list_backups(tmp_path / "b") if b.reason == "before-migration"]
    conn = sqlite3.connect(backup.path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert conn.execute("SELECT count(*) FROM data_point").fetchone() == (12,)
    conn.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM workbook_info WHERE key='app_version'").fetchone()
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_workbook_at_0002_gains_staff_roles_and_keeps_its_staff(tmp_path):
    path = tmp_path / "staffed.qidesk"
    build_at_first_revision(path, "0002")
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO staff (id, name) VALUES (?, ?)", [(1, "Ann Lee"), (2, "Ben Cho")])
    conn.commit()
    conn.close()
    with open_workbook(path, "Ann Lee", backup_folder=tmp_path / "b") as wb:
        assert wb.schema_revision == head_revision()
        assert [(s.id, s.name, s.role) for s in teams.list_staff(wb)] == [
            (1, "Ann Lee", ""), (2, "Ben Cho", "")]
        teams.set_staff_role(wb, 2, "HCA")
        teams.add_staff(wb, "Cara Dunn", role="Matron")
        assert {s.name: s.role for s in teams.list_staff(wb)} == {
            "Ann Lee": "", "Ben Cho": "HCA", "Cara Dunn": "Matron"}
        assert len(data_points.list_data_points(wb, 1)) == 12
    [backup] = [b for b in list_backups(tmp_path / "b") if b.reason == "before-migration"]
    conn = sqlite3.connect(backup.path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
    assert conn.execute("SELECT count(*) FROM staff").fetchone() == (2,)
    conn.close()


def test_staff_role_migration_downgrades_to_0002(tmp_path):
    path = tmp_path / "down.qidesk"
    build_at_first_revision(path, "0003")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO staff (id, name, role) VALUES (1, 'Ann Lee', 'Matron')")
    conn.commit()
    conn.close()
    engine = make_engine(path, read_only=False)
    config = alembic_config()
    with writer(engine).connect() as conn, conn.begin():
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    engine.dispose()
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(staff)")]
    assert "role" not in columns and "name" in columns
    assert conn.execute("SELECT id, name FROM staff").fetchall() == [(1, "Ann Lee")]
    conn.close()


def test_migrations_are_found_beside_the_module():
    from qidesk.storage import migrate

    assert (migrate.MIGRATIONS_DIR / "env.py").is_file()
    assert migrate.MIGRATIONS_DIR.parent.name == "storage"
    assert not (migrate.MIGRATIONS_DIR / "alembic.ini").exists()


def test_restoring_an_older_backup_upgrades_it(tmp_path, wb):
    from qidesk.services import backups

    old = tmp_path / "old-backup.qidesk"
    build_at_first_revision(old)
    backups.restore_backup(wb, old)
    assert wb.schema_revision == head_revision()
    assert [t.name for t in teams.list_teams(wb)] == ["Ward 7"]
    assert len(data_points.list_data_points(wb, 1)) == 12
    assert history.audit_trail(wb)[0].action == "restored-backup"


def test_revisions_read_from_the_scripts_agree_with_alembic():
    """Start-up reads revision ids from the files without Alembic; they must be Alembic's."""
    from alembic.script import ScriptDirectory

    from qidesk.storage.migrate import _revision_links, alembic_config, head_revision, is_known_revision

    scripts = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == scripts.get_current_head()
    assert set(_revision_links()) == {s.revision for s in scripts.walk_revisions()}
    assert {r: d for r, d in _revision_links().items()} == {
        s.revision: s.down_revision for s in scripts.walk_revisions()}
    assert not is_known_revision("9999")


def test_an_older_workbook_opened_read_only_is_read_through_an_updated_copy(tmp_path):
    """A matron reviewing a ward workbook an older QIDesk last saved: the file is not
    migrated (nor touched), yet everything reads as in the current schema."""
    path = tmp_path / "ward.qidesk"
    build_at_first_revision(path, "0001")
    before = path.read_bytes()
    wb = open_workbook(path, "Matron", read_only=True, backup_folder=tmp_path / "b")
    try:
        assert wb.read_only and "older QIDesk" in wb.notice
        falls = measures.find_measure(wb, "Falls")
        assert len(data_points.list_data_points(wb, falls.id)) == 12
        assert drivers.driver_diagram(wb, falls.project_id) == []
        view = wb.store.view_folder
        assert view is not None and any(view.iterdir())
    finally:
        wb.close()
    assert not view.exists()
    assert path.read_bytes() == before
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    conn.close()
