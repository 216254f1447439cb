"""Figures for the role dashboards (工作台)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import Advisor, Agency, Document, LawFirm, TalentPoolEntry, User
from ..policy import document_scope


def summary(user: User) -> dict[str, Any]:
    """Counts shown on everyone's dashboard, scoped by the access policy."""
    def count(stmt) -> int:
        return db.session.execute(stmt).scalar_one()

    return {
        "agencies": count(select(func.count(Agency.id)).where(Agency.active.is_(True))),
        "firms": count(select(func.count(LawFirm.id)).where(LawFirm.active.is_(True))),
        "advisors": count(select(func.count(Advisor.id)).where(Advisor.active.is_(True))),
        "pool": count(select(func.count(TalentPoolEntry.id)).where(
            TalentPoolEntry.status.in_(("admitted", "renewed")))),
        "documents": count(select(func.count(Document.id)).where(document_scope(user))),
    }
