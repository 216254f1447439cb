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
``user.role``.

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

from .errors import Concealed, Forbidden
from .extensions import db
from .models import Agency, Document, Engagement, User

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


# --- Legal matters (#13): who may see and move a matter, and in which order ---------------
#
# A matter is seen like a document: admin and auditor see all; a clerk the matters of
# their own agency; an advisor the matters assigned to them — never a classified one
# (classified matters obey the rule of classified documents). A classified matter is
# worked off the platform by its advisor; its owning agency's clerk records the advisor's
# steps (accept, return, answer) on their behalf. Everyone else's order of steps is
# ``MATTER_TRANSITIONS``.

MATTER_TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    # action: (from states, to state, rule)
    "accept": (("submitted",), "accepted", "matter.advise"),
    "return": (("submitted", "accepted"), "returned", "matter.advise"),
    "resubmit": (("returned",), "submitted", "matter.manage"),
    "answer": (("accepted",), "answered", "matter.advise"),
    "adopt": (("answered", "adoption_recorded"), "adoption_recorded", "matter.manage"),
    "close": (("adoption_recorded",), "closed", "matter.manage"),
    "withdraw": (("submitted", "accepted", "returned"), "withdrawn", "matter.manage"),
}


def _assigned(user: User, matter: Any) -> bool:
    return user.advisor_id is not None and user.advisor_id in matter.advisor_ids


def _view_matter(user: User, matter: Any) -> bool:
    if user.role in ("admin", "auditor"):
        return True
    if user.role == "clerk":
        return user.agency_id is not None and matter.agency_id == user.agency_id
    if user.role == "advisor":
        return _assigned(user, matter) and not matter.classified
    return False


def _advise_matter(user: User, matter: Any) -> bool:
    if matter.classified:
        return user.role == "clerk" and user.agency_id == matter.agency_id
    return user.role == "advisor" and _assigned(user, matter)


def _manage_matter(user: User, matter: Any) -> bool:
    return user.role == "admin" or (user.role == "clerk" and user.agency_id is not None
                                    and matter.agency_id == user.agency_id)


RULES.update({
    "matter.list": lambda u, o: True,
    "matter.view": _view_matter,
    "matter.create": lambda u, o: u.role in ("admin", "clerk"),
    "matter.for_agency": _act_for_agency,
    "matter.override_assignment": lambda u, o: u.role == "admin",
    "matter.advise": _advise_matter,
    "matter.manage": _manage_matter,
    "calendar.manage": lambda u, o: u.role == "admin",
    "notification.use": lambda u, o: True,
    "evaluation.view": lambda u, o: u.role in ("admin", "clerk", "auditor"),
    "evaluation.submit": lambda u, o: u.role in ("admin", "clerk"),
    "evaluation.review": lambda u, o: u.role in ("admin", "auditor"),
    "evaluation.decide": lambda u, o: u.role == "admin",
})


def matter_actions(user: User | None, matter: Any) -> list[str]:
    """The steps ``user`` may take on ``matter`` now (buttons, the API's ``actions``)."""
    return [name for name, (sources, _, rule) in MATTER_TRANSITIONS.items()
            if matter.status in sources and can(user, rule, matter)]


def matter_scope(user: User | None) -> ColumnElement[bool]:
    """SQL condition selecting the matters ``user`` may view (same answer as
    ``can(user, "matter.view", m)``)."""
    from .models import LegalMatter, MatterAdvisor

    role = _role(user)
    if role in ("admin", "auditor"):
        return true()
    if role == "clerk" and user.agency_id is not None:
        return LegalMatter.agency_id == user.agency_id
    if role == "advisor" and user.advisor_id is not None:
        assigned = select(MatterAdvisor.matter_id).where(
            MatterAdvisor.advisor_id == user.advisor_id)
        return and_(LegalMatter.id.in_(assigned), LegalMatter.classified.is_(False))
    return false()


# --- Need-to-know (#15, UI finding 13): assessment results and phone numbers -------------
#
# Assessment results (scores, standing, bottom five, 约谈问责) of a record:
# - admin and auditor: every agency, always;
# - clerk: their own agency always; another agency's once the quarter is published (or
#   before, when ``GOVCOUNSEL_PUBLISH_SCORES`` is on) — the bureau publishes the ranking
#   to every agency and reads the bottom five out at the joint meeting;
# - advisor: only the agencies that engaged them during that quarter (an engagement that
#   was signed and whose term, up to an early termination, overlaps the quarter), on the
#   same publication terms as a clerk — never the ranking of other agencies.
# Phone numbers of advisors (mobiles): admin and auditor; a clerk for the advisors of a
# current engagement of their agency (being drafted or in force, term not over: the chief
# advisor and the contract's team lawyers); an advisor their own.

RAN_STATUSES = ("signed", "filed", "active", "expired", "renewed", "terminated")
CURRENT_STATUSES = ("draft", "signed", "filed", "active")


def _request_cached(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per request (always when there is no request)."""
    from flask import g, has_request_context

    if not has_request_context():
        return compute()
    cache = g.setdefault("_gc_policy_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def advised_agency_ids(user: User, period: str) -> set[int]:
    """Agencies that engaged this advisor at some time during the quarter ``period``."""
    if user.advisor_id is None:
        return set()

    def compute() -> set[int]:
        from .assessments.periods import quarter_bounds

        start, end = quarter_bounds(period)
        rows = db.session.execute(select(
            Engagement.agency_id, Engagement.end_date, Engagement.terminated_on).where(
            Engagement.advisor_id == user.advisor_id,
            Engagement.status.in_(RAN_STATUSES),
            Engagement.start_date <= end, Engagement.end_date >= start)).all()
        return {agency for agency, until, stopped in rows if (stopped or until) >= start}
    return _request_cached(("advised", user.id, period), compute)


def _see_results(user: User, record: Any) -> bool:
    from flask import current_app

    if user.role in ("admin", "auditor"):
        return True
    if user.role == "clerk" and user.agency_id is not None \
            and record.agency_id == user.agency_id:
        return True
    public = bool(record.published or current_app.config.get("GOVCOUNSEL_PUBLISH_SCORES"))
    if user.role == "clerk":
        return public
    if user.role == "advisor":
        return public and record.agency_id in advised_agency_ids(user, record.period)
    return False


def phone_advisor_ids(user: User | None) -> set[int] | None:
    """The advisors whose phone numbers ``user`` may see; None for every advisor."""
    role = _role(user)
    if role in ("admin", "auditor"):
        return None
    if role is None:
        return set()

    def compute() -> set[int]:
        ids = {user.advisor_id} if user.advisor_id else set()
        if role == "clerk" and user.agency_id is not None:
            rows = db.session.execute(select(Engagement.advisor_id, Engagement.params).where(
                Engagement.agency_id == user.agency_id,
                Engagement.status.in_(CURRENT_STATUSES),
                Engagement.end_date >= date.today())).all()
            licences = {lawyer.get("licence_no") for _, params in rows
                        for lawyer in (params or {}).get("lawyers", []) or []} - {None}
            ids |= {advisor for advisor, _ in rows if advisor}
            if licences:
                from .models import Advisor

                ids |= set(db.session.execute(select(Advisor.id).where(
                    Advisor.licence_no.in_(licences))).scalars())
        return ids
    return _request_cached(("phones", user.id), compute)


def _see_phone(user: User, advisor: Any) -> bool:
    visible = phone_advisor_ids(user)
    return visible is None or getattr(advisor, "id", advisor) in visible


RULES.update({
    "assessment.results": _see_results,
    "advisor.phone": _see_phone,
})
