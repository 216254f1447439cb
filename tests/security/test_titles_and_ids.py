"""Issue #15, findings 10 and 11.

10. An untitled upload takes its title from the file name; that title is cleaned like a
    typed one (no HTML, no control or bidirectional characters), so API clients and
    exports never receive ``<img src=x onerror=...>`` or U+202E raw.
11. Another agency's document or engagement answers exactly like a missing id (404) to
    a user who may not know it exists; the attempt is still audited. Admins and
    auditors get a 404 only for ids that do not exist.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.models import AuditEvent, Document, Engagement

RLO = "\u202e"


def _upload(client, headers, agency_id, filename, **meta):
    form = {"agency_id": str(agency_id), "doc_type": "legal_opinion", **meta,
            "file": (io.BytesIO(docx_bytes("意见正文")), filename)}
    return client.post("/api/v1/documents", data=form, headers=headers,
                       content_type="multipart/form-data")


@pytest.mark.parametrize(("filename", "title"), [
    ("<img src=x onerror=alert(1)>.docx", "img src=x onerror=alert(1)"),
    (f"合同{RLO}xcod.exe.docx", "合同xcod.exe"),
    ("<>.docx", "未命名文书"),
    ("关于\u202a采购\u2066合同\u2069的意见.docx", "关于采购合同的意见"),
])
def test_a_title_taken_from_the_file_name_is_cleaned(app, client, make_agency, make_user,
                                                     token_for, filename, title):
    agency = make_agency("A01")
    headers = token_for(make_user("admin"))
    resp = _upload(client, headers, agency.id, filename)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert resp.json["title"] == title
    listed = client.get("/api/v1/documents", headers=headers).json["items"][0]["title"]
    assert listed == title
    from webapp.documents.schemas import clean_text

    assert clean_text(listed) == listed  # the derived title passes the typed title's check


def test_a_typed_title_with_bidi_controls_is_refused(client, make_agency, make_user,
                                                     token_for):
    agency = make_agency("A01")
    headers = token_for(make_user("admin"))
    resp = _upload(client, headers, agency.id, "a.docx", title=f"意见书{RLO}fdp.exe")
    assert resp.status_code == 422
    assert "title" in resp.json["error"]["fields"]
    assert db.session.execute(select(Document.id)).first() is None


@pytest.fixture
def two_agencies(app, make_agency, make_user, make_advisor, token_for):
    """Agency A's clerk; agency B's document and engagement; an admin and an auditor."""
    a, b = make_agency("A01"), make_agency("B01")
    clerk_a, clerk_b = make_user("clerk", agency=a), make_user("clerk", agency=b)
    advisor = make_advisor()
    admin, auditor = make_user("admin"), make_user("auditor")
    client = app.test_client()
    doc_b = _upload(client, token_for(clerk_b), b.id, "乙局意见.docx").json["id"]
    today = date.today()
    eng = Engagement(contract_no="B-1", year=today.year, seq=1, agency_id=b.id,
                     advisor_id=advisor.id, status="draft", annual_fee=1,
                     start_date=today, end_date=today + timedelta(days=365))
    db.session.add(eng)
    db.session.commit()
    return {"clerk_a": clerk_a, "admin": admin, "auditor": auditor, "doc_b": doc_b,
            "eng_b": eng.id}


MISSING = 987654


def _api_paths(doc_id: int, eng_id: int) -> list[str]:
    return [f"/api/v1/documents/{doc_id}", f"/api/v1/documents/{doc_id}/file",
            f"/api/v1/engagements/{eng_id}", f"/api/v1/engagements/{eng_id}/contract.docx"]


def test_another_agencys_ids_answer_like_missing_ones(app, two_agencies, token_for):
    w = two_agencies
    headers = token_for(w["clerk_a"])
    client = app.test_client()
    for real, missing in zip(_api_paths(w["doc_b"], w["eng_b"]),
                             _api_paths(MISSING, MISSING), strict=True):
        hidden, absent = client.get(real, headers=headers), client.get(missing, headers=headers)
        assert hidden.status_code == absent.status_code == 404, real
        assert hidden.json == absent.json, real
    refused = db.session.execute(select(AuditEvent.object_type, AuditEvent.object_id).where(
        AuditEvent.action == "permission_refused")).all()
    assert ("document", str(w["doc_b"])) in refused
    assert ("engagement", str(w["eng_b"])) in refused


def test_pages_and_writes_on_hidden_ids_answer_404(app, two_agencies, login):
    w = two_agencies
    client = app.test_client()
    token = csrf_token(client)
    client.post("/login", data={"username": w["clerk_a"].username,
                                "password": "correct-horse-42", "csrf_token": token})
    token = csrf_token(client, "/documents/upload")
    for doc_id in (w["doc_b"], MISSING):
        assert client.get(f"/documents/{doc_id}").status_code == 404
        assert client.get(f"/documents/{doc_id}/file").status_code == 404
        edit = client.post(f"/documents/{doc_id}/edit", data={"csrf_token": token,
                                                             "title": "改"})
        assert edit.status_code == 404
    for eng_id in (w["eng_b"], MISSING):
        assert client.get(f"/engagements/{eng_id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Document, w["doc_b"]).title == "乙局意见"


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_readers_of_everything_see_real_ids_and_404_only_for_missing(app, two_agencies,
                                                                     token_for, role):
    w = two_agencies
    headers = token_for(w[role])
    client = app.test_client()
    for path in _api_paths(w["doc_b"], w["eng_b"])[:3]:
        assert client.get(path, headers=headers).status_code == 200, path
    for path in _api_paths(MISSING, MISSING):
        assert client.get(path, headers=headers).status_code == 404, path
