"""One commit boundary per request (webapp/transaction.py): what is kept, what is not."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.models import Agency, AuditEvent, Document, LoginAttempt, User
from webapp.transaction import fail, keep, unit_of_work


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_unit_of_work_commits_at_its_end_and_keeps_only_kept_writes_on_error(app):
    with unit_of_work():
        db.session.add(Agency(code="U1", name="提交局", category="government_dept"))
    with pytest.raises(RuntimeError), unit_of_work():
        db.session.add(Agency(code="U2", name="回滚局", category="government_dept"))
        keep(lambda: db.session.add(Agency(code="U3", name="保留局", category="government_dept")))
        raise RuntimeError("refused")
    db.session.expire_all()
    assert set(db.session.execute(select(Agency.code)).scalars()) == {"U1", "U3"}


def test_fail_rolls_back_at_once(app):
    with unit_of_work():
        db.session.add(Agency(code="U4", name="失败局", category="government_dept"))
        fail()
        assert _count(Agency) == 0


def test_services_need_a_boundary_outside_requests(app, make_user, make_agency):
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document

    agency, admin = make_agency("U5"), make_user("admin")
    with pytest.raises(RuntimeError, match="unit_of_work"):
        create_document(admin, DocumentMeta(agency_id=agency.id, doc_type="other"),
                        io.BytesIO(docx_bytes()), "a.docx")


def test_a_refused_view_writes_its_audit_event_and_nothing_else(client, make_agency,
                                                                 make_user, login_as):
    """get_visible only reads; the Forbidden handler audits the refusal after the rollback."""
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document

    own, other = make_agency("U6"), make_agency("U7")
    with unit_of_work():
        doc = create_document(make_user("admin"), DocumentMeta(
            agency_id=other.id, doc_type="other", classified=True), io.BytesIO(docx_bytes()),
            "s.docx")
    login_as("clerk", agency=own)
    before = _count(AuditEvent)
    assert client.get(f"/documents/{doc.id}").status_code == 404  # like a missing id
    events = db.session.execute(select(AuditEvent).where(AuditEvent.seq > before)).scalars().all()
    assert [(e.action, e.object_type, e.object_id, e.detail) for e in events] == [
        ("permission_refused", "document", str(doc.id), {"action": "document.view"})]


def test_a_failed_login_keeps_its_trace_but_nothing_else(app, client, make_user, make_agency):
    make_user("clerk", agency=make_agency("U8"), username="trace1")
    resp = client.post("/login", data={"username": "trace1", "password": "wrong-password",
                                       "csrf_token": csrf_token(client)})
    assert resp.status_code == 401
    db.session.expire_all()
    user = db.session.execute(select(User).where(User.username == "trace1")).scalar_one()
    assert user.failed_logins == 1 and user.last_login_at is None
    assert _count(LoginAttempt) == 1
    assert db.session.execute(select(AuditEvent.action).order_by(AuditEvent.seq.desc())
                              ).scalars().first() == "login_failed"


def test_a_refused_multi_file_upload_registers_none(client, make_agency, login_as):
    agency = make_agency("U9")
    login_as("admin")
    resp = client.post("/documents/upload", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/documents/upload"), "agency_id": str(agency.id),
        "doc_type": "other", "file": [(io.BytesIO(docx_bytes("好")), "good.docx"),
                                      (io.BytesIO(b"MZ" + b"\0" * 64), "bad.pdf")]})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "不支持的文件类型" in html and "未登记" in html
    assert _count(Document) == 0
