"""Legal matters, recommendations, the working-day calendar, notifications, calendar feeds
and advisor evaluations (#13); the 2026 holiday schedule is shipped as data.

Revision ID: 0003_matters
Revises: 0003_kinds
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_matters"
down_revision = "0003_kinds"
branch_labels = None
depends_on = None


def _pk(table):
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _index(table, *columns):
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade():
    op.create_table(
        "legal_matters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_no", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey(
            "agencies.id", name=op.f("fk_legal_matters_agency_id_agencies")), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("meeting_type", sa.String(32), nullable=True),
        sa.Column("matter_area", sa.String(32), nullable=True),
        sa.Column("classified", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), sa.ForeignKey(
            "users.id", name=op.f("fk_legal_matters_answered_by_id_users")), nullable=True),
        sa.Column("opinion_document_id", sa.Integer(), sa.ForeignKey(
            "documents.id", name=op.f("fk_legal_matters_opinion_document_id_documents")),
            nullable=True),
        sa.Column("adoption_recorded_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey(
            "users.id", name=op.f("fk_legal_matters_requested_by_id_users")), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _pk("legal_matters"),
        sa.UniqueConstraint("matter_no", name=op.f("uq_legal_matters_matter_no")),
        sa.UniqueConstraint("year", "seq", name=op.f("uq_legal_matters_year")),
    )
    _index("legal_matters", "agency_id", "kind", "meeting_type", "matter_area", "classified",
           "status", "requested_on", "due_on", "answered_on")
    op.create_table(
        "matter_advisors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey(
            "legal_matters.id", name=op.f("fk_matter_advisors_matter_id_legal_matters")),
            nullable=False),
        sa.Column("advisor_id", sa.Integer(), sa.ForeignKey(
            "advisors.id", name=op.f("fk_matter_advisors_advisor_id_advisors")), nullable=False),
        _pk("matter_advisors"),
        sa.UniqueConstraint("matter_id", "advisor_id", name=op.f("uq_matter_advisors_matter_id")),
    )
    _index("matter_advisors", "matter_id", "advisor_id")
    op.create_table(
        "matter_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey(
            "legal_matters.id", name=op.f("fk_matter_documents_matter_id_legal_matters")),
            nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey(
            "documents.id", name=op.f("fk_matter_documents_document_id_documents")),
            nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        _pk("matter_documents"),
    )
    _index("matter_documents", "matter_id", "document_id")
    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey(
            "legal_matters.id", name=op.f("fk_recommendations_matter_id_legal_matters")),
            nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("adoption", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        _pk("recommendations"),
    )
    _index("recommendations", "matter_id", "adoption")
    calendar = op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("source", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey(
            "users.id", name=op.f("fk_notifications_user_id_users")), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(200), nullable=True),
        sa.Column("matter_id", sa.Integer(), sa.ForeignKey(
            "legal_matters.id", name=op.f("fk_notifications_matter_id_legal_matters")),
            nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        _pk("notifications"),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_notifications_user_id")),
    )
    _index("notifications", "user_id", "kind", "matter_id", "created_at")
    op.create_table(
        "notification_addresses",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey(
            "users.id", name=op.f("fk_notification_addresses_user_id_users")), nullable=False),
        sa.Column("email", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_addresses")),
    )
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey(
            "users.id", name=op.f("fk_calendar_feeds_user_id_users")), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        _pk("calendar_feeds"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    _index("calendar_feeds", "user_id")
    op.create_table(
        "evaluation_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _pk("evaluation_forms"),
        sa.UniqueConstraint("year", name=op.f("uq_evaluation_forms_year")),
    )
    op.create_table(
        "advisor_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey(
            "agencies.id", name=op.f("fk_advisor_evaluations_agency_id_agencies")),
            nullable=False),
        sa.Column("advisor_id", sa.Integer(), sa.ForeignKey(
            "advisors.id", name=op.f("fk_advisor_evaluations_advisor_id_advisors")),
            nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("total", sa.Numeric(6, 2), nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("evaluated_by_id", sa.Integer(), sa.ForeignKey(
            "users.id", name=op.f("fk_advisor_evaluations_evaluated_by_id_users")),
            nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _pk("advisor_evaluations"),
        sa.UniqueConstraint("year", "agency_id", "advisor_id",
                            name=op.f("uq_advisor_evaluations_year")),
    )
    _index("advisor_evaluations", "year", "agency_id", "advisor_id")
    from webapp.matters.holidays import shipped_rows

    op.bulk_insert(calendar, shipped_rows())


def downgrade():
    for table in ("advisor_evaluations", "evaluation_forms", "calendar_feeds",
                  "notification_addresses", "notifications",
                  "calendar_days", "recommendations", "matter_documents", "matter_advisors",
                  "legal_matters"):
        op.drop_table(table)
