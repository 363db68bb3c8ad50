"""Workbook facts table (which QIDesk version last updated it) and an audit look-up index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workbook_info",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_workbook_info")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_record", ["table_name", "record_id"], unique=False)


def downgrade() -> None:
    # QIDesk never migrates a workbook down; restore a backup instead.
    raise NotImplementedError("QIDesk workbooks are never migrated down")
