"""Contract kinds (#16): a kind per template version and engagement, supplementary
agreements, the clause library.

Existing rows are the ``standard`` kind; their numbers and files stay as they are.

Revision ID: 0003_kinds
Revises: 0003_previews
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_kinds"
down_revision = "0003_previews"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contract_templates") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False,
                                   server_default="standard"))
        batch.drop_constraint("uq_contract_templates_version", type_="unique")
        batch.create_unique_constraint("uq_contract_templates_kind", ["kind", "version"])
    with op.batch_alter_table("engagements") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False,
                                   server_default="standard"))
        batch.drop_constraint("uq_engagements_year", type_="unique")
        batch.create_unique_constraint("uq_engagements_kind", ["kind", "year", "seq"])
        batch.create_index("ix_engagements_kind", ["kind"], unique=False)
        batch.add_column(sa.Column("clauses", sa.JSON(), nullable=True))
    op.create_table(
        "supplementary_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("agreement_no", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("new_annual_fee", sa.Numeric(14, 2), nullable=True),
        sa.Column("new_end_date", sa.Date(), nullable=True),
        sa.Column("lawyer_change", sa.JSON(), nullable=True),
        sa.Column("pool_override_reason", sa.Text(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("filing_no", sa.String(length=64), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("signed_document_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagements.id"],
                                name=op.f("fk_supplementary_agreements_engagement_id_engagements")),
        sa.ForeignKeyConstraint(["template_id"], ["contract_templates.id"],
                                name=op.f("fk_supplementary_agreements_template_id_contract_templates")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_supplementary_agreements_document_id_documents")),
        sa.ForeignKeyConstraint(["signed_document_id"], ["documents.id"],
                                name=op.f("fk_supplementary_agreements_signed_document_id_documents")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_supplementary_agreements_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplementary_agreements")),
        sa.UniqueConstraint("agreement_no", name=op.f("uq_supplementary_agreements_agreement_no")),
        sa.UniqueConstraint("year", "seq", name=op.f("uq_supplementary_agreements_year")),
    )
    op.create_index("ix_supplementary_agreements_engagement_id", "supplementary_agreements",
                    ["engagement_id"])
    op.create_table(
        "contract_clauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_contract_clauses_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_clauses")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_contract_clauses_name")),
    )
    op.create_index("ix_contract_clauses_name", "contract_clauses", ["name"])


def downgrade():
    op.drop_table("contract_clauses")
    op.drop_table("supplementary_agreements")
    with op.batch_alter_table("engagements") as batch:
        batch.drop_column("clauses")
        batch.drop_index("ix_engagements_kind")
        batch.drop_constraint("uq_engagements_kind", type_="unique")
        batch.create_unique_constraint("uq_engagements_year", ["year", "seq"])
        batch.drop_column("kind")
    with op.batch_alter_table("contract_templates") as batch:
        batch.drop_constraint("uq_contract_templates_kind", type_="unique")
        batch.create_unique_constraint("uq_contract_templates_version", ["version"])
        batch.drop_column("kind")
