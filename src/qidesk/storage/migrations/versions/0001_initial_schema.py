"""Initial workbook schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_name', sa.String(), nullable=False),
    sa.Column('os_user', sa.String(), nullable=False),
    sa.Column('computer', sa.String(), nullable=False),
    sa.Column('app_version', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('pid_warnings', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('subject', sa.String(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.String(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team'))
    )
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('aim_statement', sa.Text(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('lead', sa.String(), nullable=False),
    sa.Column('sponsor', sa.String(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_project_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_team_id'), ['team_id'], unique=False)

    op.create_table('driver_node',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['driver_node.id'], name=op.f('fk_driver_node_parent_id_driver_node')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_driver_node_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_driver_node'))
    )
    with op.batch_alter_table('driver_node', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_driver_node_project_id'), ['project_id'], unique=False)

    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('data_source', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(), nullable=False),
    sa.Column('value_type', sa.String(), nullable=False),
    sa.Column('frequency', sa.String(), nullable=False),
    sa.Column('improvement_direction', sa.String(), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('chart_choice', sa.String(), nullable=False),
    sa.Column('rate_multiplier', sa.Float(), nullable=True),
    sa.Column('baseline_points', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_measure_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_project_id'), ['project_id'], unique=False)

    op.create_table('progress_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('scored_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_progress_score_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_score'))
    )
    with op.batch_alter_table('progress_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_score_project_id'), ['project_id'], unique=False)

    op.create_table('project_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_member_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_member'))
    )
    with op.batch_alter_table('project_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_member_project_id'), ['project_id'], unique=False)

    op.create_table('data_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.Column('exclusion_reason', sa.Text(), nullable=False),
    sa.Column('entered_by', sa.String(), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_data_point_measure_id_measure')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_point'))
    )
    with op.batch_alter_table('data_point', schema=None) as batch_op:
        batch_op.create_index('ix_data_point_measure_period', ['measure_id', 'period'], unique=False)

    op.create_table('pdsa_cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('change_idea_id', sa.Integer(), nullable=False),
    sa.Column('cycle_number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('scale', sa.Text(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.Column('questions', sa.Text(), nullable=False),
    sa.Column('predictions', sa.Text(), nullable=False),
    sa.Column('plan_who', sa.Text(), nullable=False),
    sa.Column('plan_what', sa.Text(), nullable=False),
    sa.Column('plan_when', sa.Text(), nullable=False),
    sa.Column('plan_where', sa.Text(), nullable=False),
    sa.Column('data_plan', sa.Text(), nullable=False),
    sa.Column('do_notes', sa.Text(), nullable=False),
    sa.Column('observations', sa.Text(), nullable=False),
    sa.Column('study_results', sa.Text(), nullable=False),
    sa.Column('learning', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(), nullable=True),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('finished_on', sa.Date(), nullable=True),
    sa.Column('prediction_measure_id', sa.Integer(), nullable=True),
    sa.Column('prediction_value', sa.Float(), nullable=True),
    sa.Column('prediction_by', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['change_idea_id'], ['driver_node.id'], name=op.f('fk_pdsa_cycle_change_idea_id_driver_node')),
    sa.ForeignKeyConstraint(['prediction_measure_id'], ['measure.id'], name=op.f('fk_pdsa_cycle_prediction_measure_id_measure')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pdsa_cycle'))
    )
    with op.batch_alter_table('pdsa_cycle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdsa_cycle_change_idea_id'), ['change_idea_id'], unique=False)

    op.create_table('phase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_phase_measure_id_measure')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase'))
    )
    with op.batch_alter_table('phase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_measure_id'), ['measure_id'], unique=False)

    op.create_table('annotation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('pdsa_cycle_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_annotation_measure_id_measure')),
    sa.ForeignKeyConstraint(['pdsa_cycle_id'], ['pdsa_cycle.id'], name=op.f('fk_annotation_pdsa_cycle_id_pdsa_cycle')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotation'))
    )
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annotation_measure_id'), ['measure_id'], unique=False)

    op.create_table('pdsa_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pdsa_cycle_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_pdsa_measure_measure_id_measure')),
    sa.ForeignKeyConstraint(['pdsa_cycle_id'], ['pdsa_cycle.id'], name=op.f('fk_pdsa_measure_pdsa_cycle_id_pdsa_cycle')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pdsa_measure'))
    )
    with op.batch_alter_table('pdsa_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdsa_measure_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pdsa_measure_pdsa_cycle_id'), ['pdsa_cycle_id'], unique=False)



def downgrade() -> None:
    # QIDesk never migrates a workbook down; restore a backup instead.
    raise NotImplementedError("QIDesk workbooks are never migrated down")
