"""Migration 0004_twofactor gives ``users`` exactly what the model declares (alembic's own
diff; on SQLite, and on PostgreSQL in the scale-out profile): the last accepted TOTP step."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from webapp.extensions import db


def _about_users(diff) -> bool:
    item = diff[0] if isinstance(diff, list) else diff
    return any(getattr(part, "name", part) == "users" or
               getattr(getattr(part, "table", None), "name", None) == "users"
               for part in item[1:])


def test_the_migration_matches_the_user_model(app):
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
        columns = {c["name"]: c for c in inspect(conn).get_columns("users")}
    assert not [d for d in diffs if _about_users(d)], diffs
    assert columns["totp_last_step"]["nullable"]
