"""Two-step login hardening (issue #15, finding 12): the last accepted TOTP time step of
each user, so that a code is accepted once only (no replay within its valid window).

Revision ID: 0004_twofactor
Revises: 0003_matters
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_twofactor"
down_revision = "0003_matters"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
