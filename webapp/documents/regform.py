"""The 法律顾问文书备案登记表 of a document (#15, UI finding 14): the rows the programme
registers, in words, for a printable A4 form (``/documents/<id>/registration-form``) and
for the batch form of a filtered list (at most :data:`BATCH_LIMIT` documents).

Who may see a form is the document page's rule (``services.get_visible``; for the batch,
the list's scope ``queries.list_statement``), and a classified document's form is audited
as a view of it (``services.record_access``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .. import clock
from ..assessments.periods import period_label
from ..extensions import db
from ..messages import label
from ..models import AssessmentRecord, Document, Engagement, User
from ..ui import date_cn
from . import services
from .queries import list_statement

BATCH_LIMIT = 200


@dataclass(frozen=True)
class RegistrationForm:
    """One filled form: ``rows`` are ``(label, value)`` in print order."""

    doc_id: int
    registration_no: str
    classified: bool
    rows: list[tuple[str, str]]
    checksum: str


def _advisor(doc: Document) -> str:
    if doc.advisor is None:
        return ""
    firm = doc.advisor.firm
    return f"{doc.advisor.name}（{firm.name}）" if firm else doc.advisor.name


def _links(doc: Document) -> str:
    parts = []
    if doc.engagement_id:
        engagement = db.session.get(Engagement, doc.engagement_id)
        if engagement is not None:
            parts.append(f"聘任合同 {engagement.contract_no}")
    if doc.assessment_record_id:
        record = db.session.get(AssessmentRecord, doc.assessment_record_id)
        if record is not None:
            parts.append(f"{period_label(record.period)}督察考评")
    return "；".join(parts)


def _registrar(doc: Document) -> str:
    user = db.session.get(User, doc.created_by_id) if doc.created_by_id else None
    return (user.display_name or user.username) if user else ""


def form_of(doc: Document) -> RegistrationForm:
    """The 备案登记表 of ``doc`` (its current version)."""
    registered = clock.local(doc.created_at).date() if doc.created_at else None
    values = {
        "registration_no": doc.registration_no,
        "agency": doc.agency.name,
        "doc_type": label("doc_type", doc.doc_type),
        "title": doc.title,
        "advisor": _advisor(doc),
        "issued_on": date_cn(doc.issued_on),
        "registered_on": date_cn(registered),
        "registrar": _registrar(doc),
        "secrecy": label("secrecy", "classified" if doc.classified else "open"),
        "version": f"第{doc.current_version_no}版",
        "links": _links(doc),
    }
    rows = [(label("registration_form_row", key), value) for key, value in values.items()]
    return RegistrationForm(doc_id=doc.id, registration_no=doc.registration_no,
                            classified=doc.classified, rows=rows, checksum=doc.sha256)


def single(user: User, doc_id: int) -> RegistrationForm:
    """The form of a document ``user`` may open (404 otherwise), its view audited."""
    doc = services.get_visible(user, doc_id)
    services.record_access(user, doc, "view")
    return form_of(doc)


def batch(user: User, filters: BaseModel) -> tuple[list[RegistrationForm], bool]:
    """The forms of the first :data:`BATCH_LIMIT` documents of the list ``user`` sees with
    ``filters``, and whether more matched; each classified one audited as viewed."""
    docs = db.session.execute(list_statement(user, filters)
                              .limit(BATCH_LIMIT + 1)).scalars().all()
    for doc in docs[:BATCH_LIMIT]:
        services.record_access(user, doc, "view")
    return [form_of(doc) for doc in docs[:BATCH_LIMIT]], len(docs) > BATCH_LIMIT
