"""The objects of audit events in words and links, for the auditor (#15, UI finding 4).

An event names its object by type and id (``document 376``). :func:`resolve` turns a
page of events into ``{(type, id): ObjectRef}`` — the object's name (a document's
登记号 and title, an engagement's contract number and agency, a person's name) and
the page that shows it — with one query per type. :func:`actors` gives the real
names of the users who acted (操作人), the login name only where no name is known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy import select

from ..assessments.linking import PERIOD
from ..assessments.periods import period_label
from ..extensions import db
from ..messages import AUDIT_OBJECT_FIELDS, AUDIT_OBJECT_VALUES, LABELS, label
from ..models import (
    Advisor,
    Agency,
    AssessmentCriteria,
    AssessmentRecord,
    AuditEvent,
    ContractClause,
    ContractTemplate,
    Document,
    DocumentField,
    Engagement,
    LawFirm,
    LegalMatter,
    TalentPoolEntry,
    User,
)


@dataclass(frozen=True)
class ObjectRef:
    """An event's object: its kind in Chinese, its name and (when it has one) its page."""

    kind: str
    name: str
    url: str | None = None

    @property
    def text(self) -> str:
        """``文书 汴法顾登〔2026〕00001号《…》`` (export cells, plain text)."""
        return f"{self.kind} {self.name}".strip()


def _document(d: Document) -> tuple[str, str | None]:
    return f"{d.registration_no}《{d.title}》", url_for("documents.detail", doc_id=d.id)


def _engagement(e: Engagement) -> tuple[str, str | None]:
    return (f"{e.contract_no}（{e.agency.name}）",
            url_for("engagements.detail", engagement_id=e.id))


def _org(register: str) -> Callable[[Any], tuple[str, str | None]]:
    return lambda o: (o.name, url_for("orgs.edit_record", register=register, obj_id=o.id))


def _user(u: User) -> tuple[str, str | None]:
    name = f"{u.display_name}（{u.username}）" if u.display_name else u.username
    return name, url_for("orgs.user_edit", user_id=u.id)


def _pool(p: TalentPoolEntry) -> tuple[str, str | None]:
    member = db.session.get(Advisor, p.advisor_id) if p.advisor_id else \
        db.session.get(LawFirm, p.firm_id) if p.firm_id else None
    return (member.name if member else f"#{p.id}"), url_for("orgs.pool_entry", entry_id=p.id)


def _record(r: AssessmentRecord) -> tuple[str, str | None]:
    agency = db.session.get(Agency, r.agency_id)
    return (f"{agency.name if agency else ''} {period_label(r.period)}".strip(),
            url_for("assessments.record", record_id=r.id))


LOADERS: dict[str, tuple[type, Callable[[Any], tuple[str, str | None]]]] = {
    "document": (Document, _document),
    "engagement": (Engagement, _engagement),
    "agency": (Agency, _org("agencies")),
    "law_firm": (LawFirm, _org("firms")),
    "advisor": (Advisor, _org("advisors")),
    "user": (User, _user),
    "talent_pool_entry": (TalentPoolEntry, _pool),
    "assessment_record": (AssessmentRecord, _record),
    "assessment_criteria": (AssessmentCriteria, lambda c: (c.name, None)),
    "contract_template": (ContractTemplate,
                          lambda t: (f"{t.name}（第 {t.version} 版）", None)),
    "document_field": (DocumentField, lambda f: (f.label, None)),
    "contract_clause": (ContractClause, lambda c: (f"{c.title}（第 {c.version} 版）", None)),
    "legal_matter": (LegalMatter, lambda m: (f"{m.matter_no}《{m.title}》",
                                             url_for("matters.detail", matter_id=m.id))),
}


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and len(value) < 10 else None


def _plain(object_type: str, object_id: str | None) -> str:
    if object_type == "assessment_period" and object_id and PERIOD.match(object_id):
        return period_label(object_id)
    return f"#{object_id}" if object_id else ""


def resolve(events: Iterable[AuditEvent]) -> dict[tuple[str, str], ObjectRef]:
    """``{(object_type, object_id): ObjectRef}`` for the events that name an object."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e.object_type:
            wanted[e.object_type].add(e.object_id or "")
    out: dict[tuple[str, str], ObjectRef] = {}
    for object_type, ids in wanted.items():
        kind = LABELS["audit_object"].get(object_type) or label("audit_object_internal",
                                                                 object_type)
        model, describe = LOADERS.get(object_type, (None, None))
        found: dict[str, Any] = {}
        numbers = [n for n in (_int(i) for i in ids) if n is not None]
        if model is not None and numbers:
            found = {str(o.id): o for o in db.session.execute(
                select(model).where(model.id.in_(numbers))).scalars()}
        for object_id in ids:
            obj = found.get(object_id)
            if obj is not None and describe is not None:
                name, url = describe(obj)
                out[(object_type, object_id)] = ObjectRef(kind, name, url)
            else:
                out[(object_type, object_id)] = ObjectRef(kind, _plain(object_type, object_id))
    return out


def actors(events: Iterable[AuditEvent]) -> dict[int, str]:
    """``{actor_id: 显示名}`` of the users behind the events (real names where known)."""
    ids = {e.actor_id for e in events if e.actor_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name, User.username)
                              .where(User.id.in_(ids)))
    return {uid: name or username for uid, name, username in rows}


def actor_text(event: AuditEvent, names: dict[int, str]) -> str:
    """The 操作人 of an event: the user's real name, else the recorded login name."""
    return names.get(event.actor_id, "") if event.actor_id in names else \
        (event.actor_name or "")


@dataclass(frozen=True)
class _Choice:
    value: Any
    label: str


@dataclass(frozen=True)
class _Field:
    label: str
    choices: tuple[_Choice, ...] = ()
    type: str = "text"
    items: None = None


class ObjectFields:
    """The field names and value labels of one object type, in the shape of a contract
    manifest (``field(key)``), so ``present.describe`` names an agency's ``name`` 单位名称
    and shows its ``category`` as 市政府部门."""

    def __init__(self, object_type: str) -> None:
        self.names = AUDIT_OBJECT_FIELDS.get(object_type, {})
        self.values = AUDIT_OBJECT_VALUES.get(object_type, {})

    def field(self, key: str) -> _Field | None:
        """The field ``key`` of this object type, or None (the general labels apply)."""
        if key not in self.names:
            return None
        if key in self.values:
            choices = tuple(_Choice(k, v) for k, v in LABELS[self.values[key]].items())
        elif key == "active":
            choices = (_Choice(True, LABELS["active_state"]["active"]),
                       _Choice(False, LABELS["active_state"]["inactive"]))
        else:
            choices = ()
        return _Field(self.names[key], choices)


def fields_for(object_type: str | None) -> ObjectFields | None:
    """The field labels of events on ``object_type`` (None: the general labels)."""
    return ObjectFields(object_type) if object_type in AUDIT_OBJECT_FIELDS else None


def operator_name(event: AuditEvent) -> str:
    """The 操作人 of one event for history tables (``{{ e|operator }}``): the user's real
    name; the names of the request's events are read once."""
    from flask import g

    names = g.get("_gc_operator_names")
    if names is None:
        names = {uid: name or username for uid, name, username in db.session.execute(
            select(User.id, User.display_name, User.username))}
        g._gc_operator_names = names
    return actor_text(event, names)
