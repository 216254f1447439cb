"""The life of a contract: each transition allowed or refused by role and by order,
audited; filing due dates; the daily expiry check; renewal from the talent pool."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.webapp.engagements_support import body, contract_text, create
from tests.webapp.files import docx_bytes
from webapp.extensions import db
from webapp.models import AuditEvent, Document, Engagement

TODAY = date.today()


def _api(client, headers, eng_id, action, **data):
    return client.post(f"/api/v1/engagements/{eng_id}/{action}", json=data, headers=headers)


def _sign(client, headers, eng_id, scan: bytes | None = None, name="签章扫描件.docx", **form):
    data = dict(form)
    data["file"] = (io.BytesIO(scan or docx_bytes("合同签章页扫描件")), name)
    return client.post(f"/api/v1/engagements/{eng_id}/sign", data=data, headers=headers,
                       content_type="multipart/form-data")


def _term(start: date, years: int = 1) -> dict:
    return {"start_date": start.isoformat(),
            "end_date": (start.replace(year=start.year + years) - timedelta(days=1)).isoformat()}


@pytest.fixture
def draft(client, world):
    resp = create(client, world.headers, body(world, **_term(TODAY - timedelta(days=10))))
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def backdate(eng_id: int, days: int) -> None:
    """Make a contract look generated ``days`` ago (so it can have been signed since)."""
    eng = db.session.get(Engagement, eng_id)
    eng.created_at = eng.created_at - timedelta(days=days)
    db.session.commit()


def _actions(eng_id: int) -> list[str]:
    return list(db.session.execute(select(AuditEvent.action).where(
        AuditEvent.object_type == "engagement", AuditEvent.object_id == str(eng_id))
        .order_by(AuditEvent.seq)).scalars())


def test_full_life_draft_signed_filed_active(client, world, token_for, draft):
    clerk = token_for(world.clerk)
    backdate(draft, 5)
    early = _sign(client, clerk, draft, signed_on=(TODAY - timedelta(days=6)).isoformat())
    assert early.status_code == 422 and "signed_on" in early.json["error"]["fields"]
    resp = _sign(client, clerk, draft, signed_on=(TODAY - timedelta(days=2)).isoformat())
    assert resp.status_code == 200, resp.json
    out = resp.json
    assert out["status"] == "signed" and out["signed_document_id"]
    assert out["filing_due_on"] == (TODAY + timedelta(days=13)).isoformat()
    scan = db.session.get(Document, out["signed_document_id"])
    assert scan.doc_type == "contract" and scan.engagement_id == draft
    resp = _api(client, world.headers, draft, "file", filing_no="汴司备〔2022〕12号",
                filed_on=TODAY.isoformat())
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "filed" and resp.json["filing_no"] == "汴司备〔2022〕12号"
    resp = _api(client, clerk, draft, "activate")
    assert resp.status_code == 200 and resp.json["status"] == "active"
    assert _actions(draft) == ["engagement_created", "engagement_signed", "engagement_filed",
                               "engagement_activated"]


def test_filing_due_days_is_configurable(client, world, draft, app):
    app.config["GOVCOUNSEL_FILING_DUE_DAYS"] = 30
    out = _sign(client, world.headers, draft, signed_on=TODAY.isoformat()).json
    assert out["filing_due_on"] == (TODAY + timedelta(days=30)).isoformat()


@pytest.mark.parametrize("role", ["auditor", "advisor_user", "other_clerk"])
def test_only_admin_or_own_clerk_may_sign(client, world, token_for, draft, role):
    resp = _sign(client, token_for(getattr(world, role)), draft)
    assert resp.status_code in (403, 404) if role == "other_clerk" else resp.status_code == 403
    assert db.session.get(Engagement, draft).status == "draft"


def test_only_admin_files(client, world, token_for, draft):
    _sign(client, world.headers, draft)
    resp = _api(client, token_for(world.clerk), draft, "file", filing_no="X1",
                filed_on=TODAY.isoformat())
    assert resp.status_code == 403
    assert db.session.get(Engagement, draft).status == "signed"


def test_order_is_enforced(client, world, draft):
    resp = _api(client, world.headers, draft, "file", filing_no="X1", filed_on=TODAY.isoformat())
    assert resp.status_code == 409
    assert "草稿" in resp.json["error"]["message"]
    assert _api(client, world.headers, draft, "activate").status_code == 409
    assert _api(client, world.headers, draft, "renew", **_term(TODAY)).status_code == 409
    _sign(client, world.headers, draft)
    assert _sign(client, world.headers, draft).status_code == 409


def test_sign_requires_a_scan(client, world, draft):
    resp = client.post(f"/api/v1/engagements/{draft}/sign", data={}, headers=world.headers,
                       content_type="multipart/form-data")
    assert resp.status_code == 422 and "file" in resp.json["error"]["fields"]
    assert db.session.get(Engagement, draft).status == "draft"


def test_signed_terms_are_frozen(client, world, login, draft):
    _sign(client, world.headers, draft)
    login(world.admin.username)
    resp = client.get(f"/engagements/{draft}/edit")
    assert resp.status_code == 409


def test_filing_dates_are_checked(client, world, draft):
    _sign(client, world.headers, draft, signed_on=TODAY.isoformat())
    late = (TODAY + timedelta(days=1)).isoformat()
    resp = _api(client, world.headers, draft, "file", filing_no="X1", filed_on=late)
    assert resp.status_code == 422 and "filed_on" in resp.json["error"]["fields"]
    resp = _api(client, world.headers, draft, "file", filing_no="", filed_on=TODAY.isoformat())
    assert resp.status_code == 422 and "filing_no" in resp.json["error"]["fields"]
    resp = _api(client, world.headers, draft, "file", filing_no="X1",
                filed_on=TODAY.isoformat(), extra="1")
    assert resp.status_code == 422 and "extra" in resp.json["error"]["fields"]


def test_terminate_needs_a_reason_and_is_audited(client, world, token_for, draft):
    clerk = token_for(world.clerk)
    resp = _api(client, clerk, draft, "terminate", reason="  ")
    assert resp.status_code == 422 and "reason" in resp.json["error"]["fields"]
    resp = _api(client, clerk, draft, "terminate", reason="机构改革，职能调整")
    assert resp.status_code == 200 and resp.json["status"] == "terminated"
    assert resp.json["termination_reason"] == "机构改革，职能调整"
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "engagement_terminated")).scalar_one()
    assert event.detail["reason"] == "机构改革，职能调整"
    assert _api(client, clerk, draft, "terminate", reason="再次").status_code == 409


def _active(client, world, start: date, years: int = 1) -> int:
    eng_id = create(client, world.headers, body(world, **_term(start, years))).json["id"]
    _sign(client, world.headers, eng_id, signed_on=TODAY.isoformat())
    _api(client, world.headers, eng_id, "file", filing_no=f"备{eng_id}", filed_on=TODAY.isoformat())
    return eng_id


def test_daily_check_activates_and_expires(client, world, runner):
    ended = _active(client, world, TODAY - timedelta(days=400))
    started = _active(client, world, TODAY - timedelta(days=5))
    future = _active(client, world, TODAY + timedelta(days=20))
    result = runner.invoke(args=["check-expiry"])
    assert result.exit_code == 0, result.output
    assert "启用 1 份" in result.output and "到期 1 份" in result.output
    db.session.expire_all()
    assert [db.session.get(Engagement, i).status for i in (ended, started, future)] == \
        ["expired", "active", "filed"]
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "engagement_expired")).scalar_one()
    assert event.actor_name == "system"
    later = (TODAY + timedelta(days=400)).isoformat()
    runner.invoke(args=["check-expiry", "--today", later])
    db.session.expire_all()
    assert db.session.get(Engagement, started).status == "expired"


def test_watch_lists_find_overdue_and_expiring(client, world, login):
    from webapp.engagements.queries import watch_lists

    overdue = create(client, world.headers, body(world, **_term(TODAY))).json["id"]
    backdate(overdue, 30)
    _sign(client, world.headers, overdue, signed_on=(TODAY - timedelta(days=20)).isoformat())
    soon = _active(client, world, TODAY - timedelta(days=340))
    lists = watch_lists(world.admin)
    assert [e.id for e in lists.overdue] == [overdue]
    assert [e.id for e in lists.expiring[30]] == [soon]
    assert world.other_agency.id in {a.id for a in lists.without_advisor}
    login(world.admin.username)
    page = client.get("/engagements/watch").get_data(as_text=True)
    assert "逾期未备案" in page and "开封市审计局" in page


def test_renewal_from_the_pool(client, world, token_for):
    old = _active(client, world, TODAY - timedelta(days=300))
    start = db.session.get(Engagement, old).end_date + timedelta(days=1)
    resp = _api(client, token_for(world.clerk), old, "renew", annual_fee="72000",
                advisor_id=world.partner.id, **_term(start))
    assert resp.status_code == 201, resp.json
    new = resp.json
    assert new["renewed_from_id"] == old and new["status"] == "draft"
    assert new["advisor"] == "钱军" and new["annual_fee"] == "72000.00"
    assert new["pool_override_reason"] is None
    assert new["contract_no"].endswith("第002号")
    old_out = client.get(f"/api/v1/engagements/{old}", headers=world.headers).json
    assert old_out["status"] == "filed" and old_out["renewed_by_id"] == new["id"]
    text = contract_text(client.get(f"/api/v1/engagements/{new['id']}/contract.docx",
                                    headers=world.headers).data)
    assert "乙方指派钱军担任甲方首席法律顾问" in text and "¥72,000.00" in text
    assert "每件不超过人民币伍仟元" in text
    assert "engagement_renewal_drafted" in _actions(old)


def test_renewal_refuses_a_suspended_advisor(client, world, token_for):
    old = _active(client, world, TODAY - timedelta(days=300))
    start = db.session.get(Engagement, old).end_date + timedelta(days=1)
    resp = _api(client, token_for(world.clerk), old, "renew", advisor_id=world.suspended.id,
                lawyer_ids=[world.suspended.id], **_term(start))
    assert resp.status_code == 422
    assert "暂停" in resp.json["error"]["fields"]["advisor_id"]
    assert db.session.get(Engagement, old).status == "filed"
    resp = _api(client, token_for(world.clerk), old, "renew", advisor_id=world.suspended.id,
                lawyer_ids=[world.suspended.id], override_reason="应急", **_term(start))
    assert resp.status_code == 403


def test_admin_override_is_recorded(client, world):
    old = _active(client, world, TODAY - timedelta(days=300))
    start = db.session.get(Engagement, old).end_date + timedelta(days=1)
    reason = "该律师长期承办本单位行政诉讼案件，案件尚未审结，经局党组研究同意续聘。"
    resp = _api(client, world.headers, old, "renew", advisor_id=world.outsider.id,
                override_reason=reason, **_term(start))
    assert resp.status_code == 201, resp.json
    assert resp.json["pool_override_reason"] == reason
    assert resp.json["firm"] == "河南宋都律师事务所"
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "engagement_created",
        AuditEvent.object_id == str(resp.json["id"]))).scalar_one()
    assert event.detail["pool_override"]["reason"] == reason
    assert event.detail["pool_override"]["members"][0]["name"] == "吴昊"


def test_renewal_term_must_follow_the_old_one(client, world):
    old = _active(client, world, TODAY - timedelta(days=300))
    resp = _api(client, world.headers, old, "renew", **_term(TODAY))
    assert resp.status_code == 422 and "start_date" in resp.json["error"]["fields"]


def test_advisor_of_an_active_contract_may_upload(client, world, token_for):
    _active(client, world, TODAY - timedelta(days=5))
    headers = token_for(world.advisor_user)
    resp = client.post("/api/v1/documents", headers=headers, content_type="multipart/form-data",
                       data={"agency_id": str(world.agency.id), "doc_type": "legal_opinion",
                             "file": (io.BytesIO(docx_bytes("意见")), "意见.docx")})
    assert resp.status_code == 201, resp.json
