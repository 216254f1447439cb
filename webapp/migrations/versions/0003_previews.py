"""Scans and previews (#14): OCR state and per-page text sources on document versions.

``ocr_status`` (NULL: no OCR needed; pending, running, done, failed, off),
``ocr_done``/``ocr_total`` (progress, kept across restarts), ``ocr_error`` and
``page_info`` (JSON, one entry per page: source, OCR confidence, error).

Revision ID: 0003_previews
Revises: 0003_ux
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_previews"
down_revision = "0003_ux"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("document_versions") as batch:
        batch.add_column(sa.Column("ocr_status", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("ocr_done", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ocr_total", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ocr_error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("page_info", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("document_versions") as batch:
        for column in ("page_info", "ocr_error", "ocr_total", "ocr_done", "ocr_status"):
            batch.drop_column(column)
