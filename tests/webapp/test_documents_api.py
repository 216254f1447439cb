"""Uploading, registering, downloading and versioning documents through the API."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.indexing.jobs import drain
from webapp.models import (
    AssessmentRecord,
    AuditEvent,
    Document,
    DocumentVersion,
    Engagement,
    IndexJob,
)
from webapp.transaction import unit_of_work


@pytest.fixture
def agency(make_agency):
    return make_agency("A01", "开封市测试局")


@pytest.fixture
def admin_headers(make_user, token_for):
    return token_for(make_user("admin"))


def upload(client, headers, agency_id, data=None, filename="意见书.docx", **meta):
    form = {"agency_id": str(agency_id), "doc_type": "legal_opinion", **meta}
    form["file"] = (io.BytesIO(data if data is not None else docx_bytes()), filename)
    return client.post("/api/v1/documents", data=form, headers=headers,
                       content_type="multipart/form-data")


def test_upload_registers_stores_and_indexes(client, agency, admin_headers, app):
    resp = upload(client, admin_headers, agency.id, title="关于污水处理厂的法律意见书",
                  issued_on="2022-03-31", recommendations="3", matter_area="major_investment")
    assert resp.status_code == 201, resp.json
    body = resp.json
    year = date.today().year
    assert body["registration_no"] == f"汴法顾登〔{year}〕00001号"
    assert len(body["sha256"]) == 64 and body["index_status"] == "pending"
    assert body["assessment_period"] == "2022Q1"
    drain()
    detail = client.get(f"/api/v1/documents/{body['id']}", headers=admin_headers).json
    assert detail["index_status"] == "indexed"
    assert detail["versions"][0]["text_status"] == "extracted"
    version = db.session.execute(select(DocumentVersion)).scalar_one()
    assert "郑汴同城南水北调" in version.extracted_text.replace("\n", "")
    file = client.get(f"/api/v1/documents/{body['id']}/file", headers=admin_headers)
    assert file.data.startswith(b"PK")
    assert file.headers["Content-Disposition"].startswith("attachment")
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert {"document_created", "document_downloaded"} <= set(actions)


def test_download_returns_the_exact_bytes(client, agency, admin_headers):
    data = docx_bytes("唯一的内容 2022")
    doc_id = upload(client, admin_headers, agency.id, data=data).json["id"]
    assert client.get(f"/api/v1/documents/{doc_id}/file", headers=admin_headers).data == data


def test_registration_numbers_are_consecutive(client, agency, admin_headers):
    numbers = [upload(client, admin_headers, agency.id,
                      data=docx_bytes(f"第{i}份")).json["registration_no"] for i in range(3)]
    assert [n[-6:] for n in numbers] == ["00001号", "00002号", "00003号"]


def test_document_links_to_the_quarter_record(client, agency, admin_headers):
    upload(client, admin_headers, agency.id, issued_on="2021-12-31")
    upload(client, admin_headers, agency.id, data=docx_bytes("另一份"), issued_on="2022-01-01")
    periods = db.session.execute(select(AssessmentRecord.period).order_by(
        AssessmentRecord.period)).scalars().all()
    assert periods == ["2021Q4", "2022Q1"]


def test_clerk_uploads_only_for_own_agency(client, agency, make_agency, make_user, token_for):
    other = make_agency("B02")
    headers = token_for(make_user("clerk", agency=agency))
    assert upload(client, headers, agency.id).status_code == 201
    resp = upload(client, headers, other.id, data=docx_bytes("别的单位"))
    assert resp.status_code == 403
    assert db.session.execute(select(func.count(Document.id))).scalar_one() == 1


def test_advisor_needs_an_engagement(client, agency, make_user, make_advisor, token_for):
    advisor = make_advisor()
    headers = token_for(make_user("advisor", advisor=advisor))
    assert upload(client, headers, agency.id).status_code == 403
    today = date.today()
    db.session.add(Engagement(contract_no="X1", year=today.year, seq=1, agency_id=agency.id,
                              advisor_id=advisor.id, status="active", annual_fee=1,
                              start_date=today - timedelta(days=1),
                              end_date=today + timedelta(days=100)))
    db.session.commit()
    resp = upload(client, headers, agency.id)
    assert resp.status_code == 201
    assert resp.json["advisor_id"] == advisor.id


def test_auditor_cannot_upload(client, agency, make_user, token_for):
    resp = upload(client, token_for(make_user("auditor")), agency.id)
    assert resp.status_code == 403


def test_new_version_keeps_the_old_one(client, agency, admin_headers, login_as, app):
    from webapp.documents.services import add_version
    from webapp.models import User

    first, second = docx_bytes("第一版"), docx_bytes("第二版")
    doc_id = upload(client, admin_headers, agency.id, data=first).json["id"]
    admin = db.session.execute(select(User).where(User.role == "admin")).scalars().first()
    doc = db.session.get(Document, doc_id)
    with unit_of_work():
        add_version(admin, doc, io.BytesIO(second), "更正.docx", "更正错字")
    body = client.get(f"/api/v1/documents/{doc_id}", headers=admin_headers).json
    assert [v["version_no"] for v in body["versions"]] == [1, 2]
    old = client.get(f"/api/v1/documents/{doc_id}/file?version=1", headers=admin_headers)
    assert old.data == first
    assert client.get(f"/api/v1/documents/{doc_id}/file", headers=admin_headers).data == second


def test_list_filters_and_pages(client, agency, make_agency, admin_headers):
    other = make_agency("B02")
    for i in range(3):
        upload(client, admin_headers, agency.id, data=docx_bytes(f"甲{i}"), issued_on="2022-02-01")
    upload(client, admin_headers, other.id, data=docx_bytes("乙"), doc_type="legality_review")
    body = client.get(f"/api/v1/documents?agency_id={agency.id}&per_page=2",
                      headers=admin_headers).json
    assert body["total"] == 3 and len(body["items"]) == 2
    body = client.get("/api/v1/documents?doc_type=legality_review", headers=admin_headers).json
    assert body["total"] == 1
    bad = client.get("/api/v1/documents?date_from=2022-13-01", headers=admin_headers)
    assert bad.status_code == 422 and "date_from" in bad.json["error"]["fields"]


def test_classified_document_of_another_agency_is_refused(client, agency, make_agency,
                                                          make_user, admin_headers, token_for):
    other = make_agency("B02")
    doc_id = upload(client, admin_headers, other.id, classified="true").json["id"]
    clerk = token_for(make_user("clerk", agency=agency))
    assert client.get(f"/api/v1/documents/{doc_id}", headers=clerk).status_code == 404
    assert client.get(f"/api/v1/documents/{doc_id}/file", headers=clerk).status_code == 404
    listing = client.get("/api/v1/documents", headers=clerk).json
    assert listing["total"] == 0
    refused = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "permission_refused")).scalars().all()
    assert refused


def test_soft_delete_keeps_blob_and_removes_from_lists(client, agency, admin_headers, app):
    from webapp.documents.intake import blob_store
    from webapp.documents.services import soft_delete
    from webapp.models import User

    body = upload(client, admin_headers, agency.id).json
    admin = db.session.execute(select(User).where(User.role == "admin")).scalars().first()
    soft_delete(admin, db.session.get(Document, body["id"]), "重复登记")
    db.session.commit()
    assert client.get(f"/api/v1/documents/{body['id']}", headers=admin_headers).status_code == 404
    assert client.get("/api/v1/documents", headers=admin_headers).json["total"] == 0
    assert blob_store().exists(body["sha256"])
    jobs = db.session.execute(select(IndexJob.action)).scalars().all()
    assert jobs[-1] == "delete"


def test_upload_without_file_or_with_bad_metadata(client, agency, admin_headers):
    resp = client.post("/api/v1/documents", data={"agency_id": agency.id,
                                                  "doc_type": "legal_opinion"},
                       headers=admin_headers, content_type="multipart/form-data")
    assert resp.status_code == 400 and resp.json["error"]["code"] == "no_file"
    resp = upload(client, admin_headers, agency.id, doc_type="poem")
    assert resp.status_code == 422 and "doc_type" in resp.json["error"]["fields"]
    resp = upload(client, admin_headers, 9999)
    assert resp.status_code == 422 and "agency_id" in resp.json["error"]["fields"]
    resp = upload(client, admin_headers, agency.id, issued_on="2022-02-30")
    assert resp.status_code == 422 and "issued_on" in resp.json["error"]["fields"]
    resp = upload(client, admin_headers, agency.id, recommendations="-1")
    assert resp.status_code == 422 and "recommendations" in resp.json["error"]["fields"]
    assert db.session.execute(select(func.count(Document.id))).scalar_one() == 0
