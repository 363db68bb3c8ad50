"""Data points: one covering index for reading series (replaces measure+period)

A review board reads every live point's period, figures and exclusion flag by measure
in period order. With all of those in the index the read never visits the table
(whose rows also hold comments and who entered them), and a soft-deleted point is
skipped inside the index. It replaces ix_data_point_measure_period, whose columns it
starts with, so a saved point still updates one index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SERIES_COLUMNS = ["measure_id", "deleted_at", "period", "id", "value", "numerator",
                  "denominator", "excluded"]


def upgrade() -> None:
    with op.batch_alter_table("data_point", schema=None) as batch_op:
        batch_op.create_index("ix_data_point_series", SERIES_COLUMNS, unique=False)
        batch_op.drop_index("ix_data_point_measure_period")


def downgrade() -> None:
    with op.batch_alter_table("data_point", schema=None) as batch_op:
        batch_op.create_index("ix_data_point_measure_period", ["measure_id", "period"],
                              unique=False)
        batch_op.drop_index("ix_data_point_series")
