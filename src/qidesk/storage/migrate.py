"""Schema migrations with Alembic, found next to this module (also when frozen).

PyInstaller maps this module's __file__ to sys._MEIPASS/qidesk/storage/, so the
migrations folder must be shipped as data at qidesk/storage/migrations.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, text

import qidesk
from qidesk.storage.errors import WorkbookCorrupt

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config():
    # Alembic loads only when a workbook needs migrating: importing it costs a quarter
    # of a second of every start-up.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@lru_cache(maxsize=1)
def _revision_links() -> dict[str, str | None]:
    """revision -> down_revision of every shipped migration script, read from the files.

    The same module-level constants Alembic reads; a test checks the two agree.
    """
    links: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                    values[target.id] = ast.literal_eval(node.value)
        if "revision" in values:
            links[values["revision"]] = values.get("down_revision")
    return links


def head_revision() -> str:
    links = _revision_links()
    (head,) = set(links) - set(links.values())
    return head


def is_known_revision(revision: str | None) -> bool:
    return revision is None or revision in _revision_links()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Apply every missing migration in one transaction, then record our version.

    Foreign keys are off during the run because batch mode rebuilds SQLite tables
    (a rebuild with them on would cascade); they are checked before committing.
    """
    from alembic import command

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
