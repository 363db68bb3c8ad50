"""Small helpers shared by integration tests."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from alembic import command

from qidesk.storage.checks import APPLICATION_ID
from qidesk.storage.engine import make_engine, writer
from qidesk.storage.migrate import alembic_config

FIRST_MONDAY = date(2024, 1, 1)


def monday(week: int) -> date:
    return FIRST_MONDAY + timedelta(weeks=week)


def build_at(path, revision: str) -> None:
    """An empty workbook file at an older schema `revision`, as that QIDesk wrote it."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    engine = make_engine(path, read_only=False)
    config = alembic_config()
    with writer(engine).connect() as conn, conn.begin():
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()
