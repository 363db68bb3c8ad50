"""PDSA stages dated (Study, Act) and a numeric prediction's direction (below / above)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # All nullable: cycles written before this revision simply have no Study/Act date
    # and a prediction without a stated direction (read as the measure's direction).
    with op.batch_alter_table("pdsa_cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("studied_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("prediction_direction", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pdsa_cycle", schema=None) as batch_op:
        batch_op.drop_column("prediction_direction")
        batch_op.drop_column("decided_on")
        batch_op.drop_column("studied_on")
