"""The access policy: the one place that decides what a user may see or change.

Views, the API, lists and search all ask this module. ``can(user, action, obj)``
answers a yes/no question about one object and ``require(user, action, obj)`` refuses
with a 403 (audited when it names an object); ``document_scope(user)`` and
``engagement_scope(user)`` give the same answer as SQL filters for lists and
counts, and ``search_visibility(user)`` as the filter the search backend applies
inside its query, so a list or a search never shows what
``can(..., "document.view", doc)`` refuses (tests/security/test_policy_agreement.py
checks the three against each other and the route matrix, role by role).

To add a rule: one entry in ``RULES`` (and, for a new kind of object listed or
searched, a scope function beside the others); views call ``require``, never
``user.role``. The rules of legal matters live in ``policy.matters`` and the
need-to-know rules in ``policy.need_to_know``; both add to ``RULES`` and everything
they offer is importable from ``webapp.policy`` itself.

Rules (DESIGN.md, "Users and roles"):

- admin: everything.
- auditor: reads everything including the audit trail; changes nothing.
- clerk: contracts and documents of their own agency.
- advisor: submits documents for agencies that engage them (an engagement that is
  signed, filed or active and in force today); reads what they submitted.
- classified documents are visible only to admin, auditor and users of the owning
  agency — this overrides every other read rule.
- an engagement's generated contract and its signed scan (documents with an
  ``engagement_id``) are never changed, replaced or deleted as documents by anyone: they
  change only through the engagement's life cycle, and not at all after signing
  ("terms freeze", issue #15).
- need-to-know (issue #15): assessment results and advisors' phone numbers, rules
  ``assessment.results`` and ``advisor.phone`` (see the section at the end).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, false, select, true

from indexer import VisibilityFilter

from ..errors import Concealed, Forbidden
from ..extensions import db
from ..models import Agency, Document, Engagement, User

IN_FORCE_STATUSES = ("signed", "filed", "active")


def _role(user: User | None) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.role


def engaged_agency_ids(user: User, on: date | None = None) -> set[int]:
    """Agencies with an engagement of this advisor that is in force on ``on`` (today)."""
    if user.advisor_id is None:
        return set()
    on = on or date.today()
    rows = db.session.execute(
        select(Engagement.agency_id).where(
            Engagement.advisor_id == user.advisor_id,
            Engagement.status.in_(IN_FORCE_STATUSES),
            Engagement.start_date <= on, Engagement.end_date >= on)).scalars()
    return set(rows)


def _view_document(user: User, doc: Document) -> bool:
    role = user.role
    if role in ("admin", "auditor"):
        return True
    own_agency = user.agency_id is not None and doc.agency_id == user.agency_id
    if role == "clerk":
        return own_agency
    if role == "advisor":
        submitted = (doc.created_by_id == user.id
                     or (user.advisor_id is not None and doc.advisor_id == user.advisor_id))
        return submitted and not doc.classified
    return False


def _upload_for_agency(user: User, agency_id: int | None) -> bool:
    if agency_id is None:
        return False
    if user.role in ("admin", "clerk"):
        return _act_for_agency(user, agency_id)
    if user.role == "advisor":
        return agency_id in engaged_agency_ids(user)
    return False


def _change_document(user: User, doc: Document) -> bool:
    if doc.deleted_at is not None or doc.engagement_id is not None:
        return False  # a contract or its signed scan changes only with its engagement
    if user.role == "admin":
        return True
    if user.role == "clerk":
        return doc.agency_id == user.agency_id
    if user.role == "advisor":
        return _view_document(user, doc) and doc.created_by_id == user.id
    return False


def _view_engagement(user: User, eng: Engagement) -> bool:
    if user.role in ("admin", "auditor"):
        return True
    if user.role == "clerk":
        return eng.agency_id == user.agency_id
    if user.role == "advisor":
        return user.advisor_id is not None and eng.advisor_id == user.advisor_id
    return False


def _act_for_agency(user: User, agency_id: Any) -> bool:
    """A clerk acts (contracts, uploads) only for their own agency; the bureau for any."""
    if user.role == "admin":
        return True
    agency_id = getattr(agency_id, "id", agency_id)
    return user.role == "clerk" and user.agency_id is not None and agency_id == user.agency_id


def _manage_engagement(user: User, eng: Engagement | None) -> bool:
    if user.role == "admin":
        return True
    return user.role == "clerk" and (eng is None or _act_for_agency(user, eng.agency_id))


def _own_agency_or_reader(user: User, agency_id: Any) -> bool:
    if user.role in ("admin", "auditor"):
        return True
    return agency_id is not None and user.agency_id == getattr(agency_id, "id", agency_id)


Rule = Callable[[User, Any], bool]

RULES: dict[str, Rule] = {
    "dashboard.view": lambda u, o: True,
    "org.view": lambda u, o: True,
    "org.manage": lambda u, o: u.role == "admin",
    "user.manage": lambda u, o: u.role == "admin",
    "settings.manage": lambda u, o: u.role == "admin",
    "document.list": lambda u, o: True,
    "document.view": _view_document,
    "document.create": lambda u, o: u.role in ("admin", "clerk", "advisor"),
    "document.upload_for": _upload_for_agency,
    "document.change": _change_document,
    "document.delete": lambda u, o: u.role == "admin" and getattr(o, "engagement_id", None)
    is None,
    "engagement.list": lambda u, o: u.role in ("admin", "clerk", "auditor", "advisor"),
    "engagement.view": _view_engagement,
    "engagement.create": _manage_engagement,
    "engagement.for_agency": _act_for_agency,
    "engagement.manage": _manage_engagement,
    "engagement.file": lambda u, o: u.role == "admin",
    "engagement.override_pool": lambda u, o: u.role == "admin",
    "template.manage": lambda u, o: u.role == "admin",
    "assessment.view": _own_agency_or_reader,
    "assessment.ranking": lambda u, o: True,
    "assessment.manage": lambda u, o: u.role == "admin",
    "statistics.view": lambda u, o: u.role in ("admin", "auditor"),
    "audit.view": lambda u, o: u.role in ("admin", "auditor"),
    "search.use": lambda u, o: True,
}


def can(user: User | None, action: str, obj: Any = None) -> bool:
    """True when ``user`` may perform ``action`` (on ``obj``). Unknown actions are refused."""
    if _role(user) is None or not user.active:
        return False
    rule = RULES.get(action)
    return bool(rule and rule(user, obj))


def require(user: User | None, action: str, obj: Any = None) -> None:
    """Refuse with ``Forbidden`` (403) unless ``can(user, action, obj)``.

    A refusal that names a stored object (anything with an ``id``) carries its type and
    id, and the error handler audits it as ``permission_refused`` after rolling the
    request back — views never write the audit of a refusal themselves.
    """
    if can(user, action, obj):
        return
    object_id = getattr(obj, "id", None) if hasattr(obj, "__table__") else None
    object_type = _SNAKE.sub("_", type(obj).__name__).lower() if object_id else None
    raise Forbidden(action=action, object_type=object_type, object_id=object_id)


_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def require_visible(user: User | None, action: str, obj: Any) -> None:
    """As :func:`require` for a *view* of a stored object, but the refusal answers 404 like
    a missing id (``Concealed``), so another agency's ids cannot be told from unused ones;
    it is audited as ``permission_refused`` all the same. Admins and auditors, who may see
    everything, only ever get a 404 for what does not exist."""
    try:
        require(user, action, obj)
    except Forbidden as exc:
        raise Concealed(action=exc.action, object_type=exc.object_type,
                        object_id=exc.object_id) from None


def document_scope(user: User | None) -> ColumnElement[bool]:
    """SQL condition selecting exactly the live documents ``user`` may view."""
    role = _role(user)
    live = Document.deleted_at.is_(None)
    if role in ("admin", "auditor"):
        return live
    if role == "clerk" and user.agency_id is not None:
        return and_(live, Document.agency_id == user.agency_id)
    if role == "advisor":
        mine = Document.created_by_id == user.id
        if user.advisor_id is not None:
            mine = mine | (Document.advisor_id == user.advisor_id)
        return and_(live, mine, Document.classified.is_(False))
    return false()


def search_visibility(user: User | None) -> VisibilityFilter:
    """The document rule above as the filter the search backend applies in its query
    (the same answer as ``document_scope``; deleted documents are not in the index)."""
    role = _role(user)
    if role in ("admin", "auditor"):
        return VisibilityFilter(all_visible=True)
    if role == "clerk" and user.agency_id is not None:
        own = frozenset({user.agency_id})
        return VisibilityFilter(agency_ids=own, classified_agency_ids=own)
    if role == "advisor":
        mine = frozenset(db.session.execute(select(Document.id).where(
            Document.created_by_id == user.id)).scalars())
        advisors = frozenset({user.advisor_id}) if user.advisor_id else frozenset()
        return VisibilityFilter(advisor_ids=advisors, doc_ids=mine)
    return VisibilityFilter()


def engagement_scope(user: User | None) -> ColumnElement[bool]:
    """SQL condition selecting the engagements ``user`` may view."""
    role = _role(user)
    if role in ("admin", "auditor"):
        return true()
    if role == "clerk" and user.agency_id is not None:
        return Engagement.agency_id == user.agency_id
    if role == "advisor" and user.advisor_id is not None:
        return Engagement.advisor_id == user.advisor_id
    return false()


def acting_agency_scope(user: User | None) -> ColumnElement[bool]:
    """SQL condition selecting the agencies ``user`` may act for (``engagement.for_agency``):
    every agency for the bureau's admin, the own agency for a clerk, none otherwise."""
    role = _role(user)
    if role == "admin":
        return true()
    if role == "clerk" and user.agency_id is not None:
        return Agency.id == user.agency_id
    return false()


def agency_scope(user: User | None) -> ColumnElement[bool]:
    """SQL condition selecting the agencies ``user`` may see in lists and the API."""
    role = _role(user)
    if role in ("admin", "auditor"):
        return true()
    if role == "clerk" and user.agency_id is not None:
        return Agency.id == user.agency_id
    if role == "advisor":
        ids = engaged_agency_ids(user) | _advised_agency_ids(user)
        return Agency.id.in_(ids) if ids else false()
    return false()


def _advised_agency_ids(user: User) -> set[int]:
    if user.advisor_id is None:
        return set()
    return set(db.session.execute(select(Engagement.agency_id).where(
        Engagement.advisor_id == user.advisor_id)).scalars())


# The sections below add their rules to RULES; imported last, they see the names above.
from .matters import MATTER_TRANSITIONS as MATTER_TRANSITIONS  # noqa: E402
from .matters import matter_actions as matter_actions  # noqa: E402
from .matters import matter_scope as matter_scope  # noqa: E402
from .need_to_know import CURRENT_STATUSES as CURRENT_STATUSES  # noqa: E402
from .need_to_know import RAN_STATUSES as RAN_STATUSES  # noqa: E402
from .need_to_know import advised_agency_ids as advised_agency_ids  # noqa: E402
from .need_to_know import phone_advisor_ids as phone_advisor_ids  # noqa: E402
