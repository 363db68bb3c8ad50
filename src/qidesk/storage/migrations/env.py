"""Alembic environment: QIDesk always passes an open connection in config.attributes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import qidesk.storage.tables  # noqa: F401  (registers the tables for autogenerate)

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=SQLModel.metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # developer use: alembic -x url=sqlite:///path ... (never at run time)
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite://")
    with create_engine(url).connect() as conn:
        _run(conn)
