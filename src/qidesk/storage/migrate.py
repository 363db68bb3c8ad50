"""Schema migrations with Alembic, found next to this module (also when frozen).

PyInstaller maps this module's __file__ to sys._MEIPASS/qidesk/storage/, so the
migrations folder must be shipped as data at qidesk/storage/migrations.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

import qidesk
from qidesk.storage.errors import WorkbookCorrupt

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return _scripts().get_current_head()


def is_known_revision(revision: str | None) -> bool:
    if revision is None:
        return True
    return any(s.revision == revision for s in _scripts().walk_revisions())


def upgrade(engine: Engine, target: str = "head") -> None:
    """Apply every missing migration in one transaction, then record our version.

    Foreign keys are off during the run because batch mode rebuilds SQLite tables
    (a rebuild with them on would cascade); they are checked before committing.
    """
    config = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.dbapi_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, target)
                _check_foreign_keys(conn, sqlite)
                _record_version(conn)
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(conn, sqlite: bool) -> None:
    if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
        raise WorkbookCorrupt("Updating the workbook would break links between its records; "
                              "nothing was changed. Please report this to IT.")


def _record_version(conn) -> None:
    names = conn.dialect.get_table_names(conn)
    if "workbook_info" not in names:
        return
    conn.execute(text("DELETE FROM workbook_info WHERE key = 'app_version'"))
    conn.execute(text("INSERT INTO workbook_info (key, value) VALUES ('app_version', :v)"),
                 {"v": qidesk.__version__})
