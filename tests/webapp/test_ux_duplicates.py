"""Issue #15, UI finding 1: the same file registered twice must not inflate the assessment.

Reproduction (became these tests): a second click on 上传并登记, or re-uploading a file
already filed, registered the same SHA-256 again and both counted in the quarter's
indicators. Now the second upload is refused with the existing document named (409),
unless the uploader registers it anyway with a reason; indicators count each file
once; ``Idempotency-Key`` makes a retried API upload answer as the first did.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes
from webapp.assessments import indicators
from webapp.extensions import db
from webapp.models import AuditEvent, Document

BODY = docx_bytes("关于城区供热特许经营协议的法律意见\n建议一。建议二。建议三。")


@pytest.fixture
def agency(make_agency):
    return make_agency("A01", "开封市测试局")


@pytest.fixture
def clerk_headers(agency, make_user, token_for):
    return token_for(make_user("clerk", agency=agency))


def upload(client, headers, agency_id, data=BODY, **extra):
    form = {"agency_id": str(agency_id), "doc_type": "legal_opinion", "title": "供热协议法律意见",
            "issued_on": "2026-02-10", "recommendations": "3", **extra,
            "file": (io.BytesIO(data), "供热.docx")}
    return client.post("/api/v1/documents", data=form, headers=headers,
                       content_type="multipart/form-data")


def documents() -> int:
    return db.session.execute(select(func.count(Document.id))).scalar_one()


def test_same_file_for_same_agency_is_refused_naming_the_existing_one(client, agency,
                                                                      clerk_headers):
    first = upload(client, clerk_headers, agency.id)
    assert first.status_code == 201
    again = upload(client, clerk_headers, agency.id, title="另一个标题")
    assert again.status_code == 409
    error = again.json["error"]
    assert error["code"] == "duplicate_document"
    assert error["existing"]["id"] == first.json["id"]
    assert error["existing"]["registration_no"] == first.json["registration_no"]
    assert first.json["registration_no"] in error["message"]
    assert documents() == 1


def test_register_anyway_needs_a_reason_and_is_audited(client, agency, clerk_headers):
    first = upload(client, clerk_headers, agency.id).json
    no_reason = upload(client, clerk_headers, agency.id, allow_duplicate="true")
    assert no_reason.status_code == 422
    assert "duplicate_reason" in no_reason.json["error"]["fields"]
    ok = upload(client, clerk_headers, agency.id, allow_duplicate="true",
                duplicate_reason="同一意见书分别报送两个项目")
    assert ok.status_code == 201 and ok.json["id"] != first["id"]
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "document_duplicate_registered")).scalar_one()
    assert event.detail["duplicate_of"] == first["id"]
    assert event.detail["reason"] == "同一意见书分别报送两个项目"


def test_another_agency_or_a_deleted_original_is_not_a_duplicate(client, agency, make_agency,
                                                                 make_user, token_for):
    admin = token_for(make_user("admin"))
    other = make_agency("A02", "开封市另一局")
    first = upload(client, admin, agency.id).json
    assert upload(client, admin, other.id).status_code == 201
    doc = db.session.get(Document, first["id"])
    from webapp.documents import services
    from webapp.transaction import unit_of_work
    with unit_of_work():
        services.soft_delete(make_user("admin", username="admin2"), doc, "误传")
    assert upload(client, admin, agency.id).status_code == 201


def test_indicators_count_a_file_registered_twice_once(client, agency, clerk_headers):
    upload(client, clerk_headers, agency.id)
    upload(client, clerk_headers, agency.id, allow_duplicate="true", duplicate_reason="测试")
    upload(client, clerk_headers, agency.id, data=docx_bytes("另一份意见"), recommendations="2")
    assert documents() == 3
    values = indicators.for_agency(agency.id, "2026Q1")
    assert values["recommendations"] == 3 + 2  # not 3 + 3 + 2


def test_idempotency_key_answers_as_the_first_request(client, agency, clerk_headers,
                                                     make_user, token_for):
    headers = {**clerk_headers, "Idempotency-Key": "upload-7f3a"}
    first = upload(client, headers, agency.id)
    again = upload(client, headers, agency.id)
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert again.json["registration_no"] == first.json["registration_no"]
    assert documents() == 1
    # the key is the user's own: another user's same key is another request
    admin = {**token_for(make_user("admin")), "Idempotency-Key": "upload-7f3a"}
    assert upload(client, admin, agency.id, data=docx_bytes("别的")).json["id"] != \
        first.json["id"]
    bad = upload(client, {**clerk_headers, "Idempotency-Key": "x" * 101}, agency.id)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "idempotency_key"


def test_form_upload_of_a_duplicate_links_to_the_existing_document(client, agency, login_as):
    login_as("clerk", agency=agency)

    def post(**extra):
        data = {"csrf_token": csrf_token(client, "/documents/upload"),
                "agency_id": str(agency.id), "doc_type": "legal_opinion", **extra,
                "file": [(io.BytesIO(BODY), "供热.docx")]}
        return client.post("/documents/upload", data=data, content_type="multipart/form-data")

    assert post().status_code == 302
    doc = db.session.execute(select(Document)).scalar_one()
    resp = post()
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert f'href="/documents/{doc.id}"' in html and doc.registration_no in html
    assert 'name="allow_duplicate"' in html and 'name="duplicate_reason"' in html
    assert documents() == 1
    assert post(allow_duplicate="true", duplicate_reason="分别报送").status_code == 302
    assert documents() == 2
