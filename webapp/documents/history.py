"""What the detail page shows beside the metadata: audit history and similar documents."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent, Document


def events_for(doc: Document, limit: int = 50) -> list[AuditEvent]:
    """The audit events about ``doc``, newest first."""
    return list(db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type == "document", AuditEvent.object_id == str(doc.id))
        .order_by(AuditEvent.seq.desc()).limit(limit)).scalars())


def similar(doc: Document, limit: int = 5) -> list:
    """Similar documents the current user may open (empty when search is unavailable)."""
    finder = current_app.extensions["govcounsel"].get("similar")
    if finder is None:
        return []
    return finder(current_user, doc, limit)
