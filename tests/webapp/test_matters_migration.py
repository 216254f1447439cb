"""Migration 0003_matters creates exactly what the models declare (alembic's own diff),
and ships the 2026 holiday schedule."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import CalendarDay

TABLES = {"legal_matters", "matter_advisors", "matter_documents", "recommendations",
          "calendar_days", "notifications", "notification_addresses", "calendar_feeds",
          "evaluation_forms", "advisor_evaluations"}


def _table(diff) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else part
        table = getattr(part, "table", None)
        if table is not None:
            return table.name
        if name in TABLES:
            return name
    return None


def test_the_migration_matches_the_models(app):
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    mine = [d for d in diffs if _table(d) in TABLES]
    assert not mine, mine


def test_the_2026_schedule_is_shipped(app):
    assert db.session.execute(select(func.count()).select_from(CalendarDay)).scalar_one() == 39
