"""Issue #15, findings 6 and 7: who an edit may attribute a document to, and inputs
that used to answer 500 (unknown ids, huge page numbers) on every list and id field."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.models import AuditEvent, Document, Engagement

HUGE = "99999999999999999999"


def _engage(agency, advisor, n: int = 1) -> None:
    today = date.today()
    db.session.add(Engagement(contract_no=f"H{n}", year=today.year, seq=n, agency_id=agency.id,
                              advisor_id=advisor.id, status="active", annual_fee=1,
                              start_date=today - timedelta(days=1),
                              end_date=today + timedelta(days=100)))
    db.session.commit()


def _upload(client, headers, agency_id, **meta):
    form = {"agency_id": str(agency_id), "doc_type": "legal_opinion", **meta,
            "file": (io.BytesIO(docx_bytes("顾问提交的意见")), "意见.docx")}
    resp = client.post("/api/v1/documents", data=form, headers=headers,
                       content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.json["id"]


def _edit(client, doc_id, **fields):
    token = csrf_token(client, f"/documents/{doc_id}")
    return client.post(f"/documents/{doc_id}/edit", data={"csrf_token": token, **fields})


@pytest.fixture
def advisors(app, make_agency, make_advisor, make_user, token_for, client, login):
    """An agency engaging advisor ``one``; ``two`` is another advisor with a login."""
    agency = make_agency("A01")
    one, two = make_advisor("甲律师"), make_advisor("乙律师")
    _engage(agency, one)
    one_user = make_user("advisor", advisor=one)
    two_user = make_user("advisor", advisor=two)
    doc_id = _upload(client, token_for(one_user), agency.id, title="甲律师的意见")
    return agency, one, two, one_user, two_user, doc_id


def test_an_advisor_cannot_reattribute_a_document(app, client, login, advisors, token_for):
    agency, one, two, one_user, two_user, doc_id = advisors
    login(one_user.username)
    resp = _edit(client, doc_id, advisor_id=str(two.id), title="改过的标题")
    assert resp.status_code == 403
    db.session.expire_all()
    assert db.session.get(Document, doc_id).advisor_id == one.id
    assert db.session.get(Document, doc_id).title == "甲律师的意见"
    other = app.test_client().get(f"/api/v1/documents/{doc_id}", headers=token_for(two_user))
    assert other.status_code == 404  # the other advisor gained nothing (nor learnt it exists)
    refused = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "permission_refused", AuditEvent.object_id == str(doc_id))
    ).scalars().all()
    assert refused, "the attempt is audited"


def test_an_advisor_may_still_edit_other_fields(client, login, advisors):
    agency, one, two, one_user, two_user, doc_id = advisors
    login(one_user.username)
    resp = _edit(client, doc_id, title="更正后的标题", advisor_id=str(one.id))
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Document, doc_id).title == "更正后的标题"


def test_unknown_advisor_on_edit_is_a_field_error_not_a_500(client, login_as, make_agency,
                                                            make_user, token_for):
    agency = make_agency("A01")
    admin = make_user("admin")
    doc_id = _upload(client, token_for(admin), agency.id)
    login_as("admin")
    for bad in ("999999", HUGE, "-1", "abc"):
        resp = _edit(client, doc_id, advisor_id=bad)
        assert resp.status_code == 302, bad
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "法律顾问" in page or "advisor_id" in page, bad
    db.session.expire_all()
    assert db.session.get(Document, doc_id).advisor_id is None
    ok = client.get(f"/documents/{doc_id}")
    assert ok.status_code == 200  # the session is usable afterwards (no PendingRollback)


def test_inactive_advisor_is_refused_on_edit_as_on_upload(client, make_agency, make_advisor,
                                                         make_user, token_for, login_as):
    agency = make_agency("A01")
    retired = make_advisor("退休律师", active=False)
    headers = token_for(make_user("admin"))
    form = {"agency_id": str(agency.id), "doc_type": "legal_opinion",
            "advisor_id": str(retired.id), "file": (io.BytesIO(docx_bytes()), "a.docx")}
    upload = client.post("/api/v1/documents", data=form, headers=headers,
                         content_type="multipart/form-data")
    assert upload.status_code == 422 and "advisor_id" in upload.json["error"]["fields"]
    doc_id = _upload(client, headers, agency.id)
    login_as("admin")
    _edit(client, doc_id, advisor_id=str(retired.id))
    db.session.expire_all()
    assert db.session.get(Document, doc_id).advisor_id is None


def _list_routes(app) -> list[str]:
    """Every GET page or API list without path arguments (the lists and their exports)."""
    skip = ("/logout", "/static", "/healthz", "/api/v1/openapi.json")
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments
                   and not rule.rule.startswith(skip)})


def test_huge_page_numbers_never_answer_500(app, client, login_as, make_agency, make_user,
                                            token_for):
    make_agency("A01")
    headers = token_for(make_user("admin"))
    login_as("admin")
    routes = _list_routes(app)
    assert "/orgs/agencies" in routes or any(r.startswith("/orgs") for r in routes)
    failures = []
    for route in routes:
        for query in (f"page={HUGE}", f"per_page={HUGE}", "page=-3", "page=0",
                      f"page={2**63}", "page=1e9", f"agency_id={HUGE}",
                      f"advisor_id={HUGE}", "year=99999999999"):
            resp = client.get(f"{route}?{query}", headers=headers if
                              route.startswith("/api/") else None)
            if resp.status_code >= 500:
                failures.append(f"{route}?{query} -> {resp.status_code}")
    assert not failures, failures


def test_huge_page_on_an_org_list_is_refused_in_chinese(client, login_as, make_agency):
    make_agency("A01")
    login_as("admin")
    resp = client.get(f"/orgs/agencies?page={HUGE}")
    assert resp.status_code in (400, 404, 422)
    assert "页" in resp.get_data(as_text=True) or "整数" in resp.get_data(as_text=True)


def test_blank_filters_list_as_if_absent(client, login_as, make_agency, make_user, token_for):
    """A filter form submits every field, most of them blank (``?sort=&page=``): the list
    answers as if they were absent, on every list page and API list (review finding: a blank
    ``sort`` was refused)."""
    make_agency("A01")
    headers = token_for(make_user("admin"))
    login_as("admin")
    blank = "status=&kind=&agency_id=&advisor_id=&year=&q=&sort=&page=&per_page="
    for route in ("/engagements/", "/matters/", "/api/v1/engagements", "/api/v1/matters",
                  "/audit/", "/documents/", "/search/", "/api/v1/search", "/api/v1/documents",
                  "/orgs/agencies"):
        resp = client.get(f"{route}?{blank}",
                          headers=headers if route.startswith("/api/") else None)
        assert resp.status_code == 200, (route, resp.get_data(as_text=True)[:300])
