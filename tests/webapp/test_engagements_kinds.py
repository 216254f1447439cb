"""Contract kinds (#16): a scholar engaged in person, a 专项 engagement, numbering per kind,
the kind chooser and kind-driven forms, optional library clauses, and the upgrade of the
shipped standard template to v2 without touching contracts made with v1."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select

from tests.helpers import csrf_token
from tests.webapp.engagements_support import body, contract_text, counts, create
from tests.webapp.kinds_support import add_scholar, individual_body, special_body
from webapp.engagements import contract_store, services
from webapp.extensions import db
from webapp.models import ContractTemplate, Counter, Engagement
from webapp.transaction import unit_of_work

YEAR = date.today().year


def _docx(client, headers, eng_id: int) -> bytes:
    return client.get(f"/api/v1/engagements/{eng_id}/contract.docx", headers=headers).data


def test_a_scholar_is_engaged_in_person(client, world):
    scholar = add_scholar()
    resp = create(client, world.headers, individual_body(world.agency.id, scholar.id))
    assert resp.status_code == 201, resp.json
    out = resp.json
    assert out["kind"] == "individual" and out["kind_label"] == "法学专家个人顾问"
    assert out["contract_no"] == f"汴法专顾〔{YEAR}〕第001号"
    assert out["firm_id"] is None and out["lawyers"] == []
    assert out["params"]["advisor_kind"] == "scholar"
    text = contract_text(_docx(client, world.headers, out["id"]))
    for value in ("刘学明", "河南大学法学院教授", "开封市市场监督管理局", "¥30,000.00"):
        assert value in text, value
    assert "律师事务所" not in text.split("第一条")[0]
    assert "{{" not in text and "{%" not in text


def test_individual_refuses_a_firm_a_team_and_a_scholar_outside_the_pool(client, world, app):
    scholar = add_scholar()
    before = counts(app)
    resp = create(client, world.headers, individual_body(
        world.agency.id, scholar.id, firm_id=world.firm.id, lawyer_ids=[world.partner.id]))
    assert resp.status_code == 422
    fields = resp.json["error"]["fields"]
    assert "律师事务所" in fields["firm_id"] and "指派律师" in fields["lawyer_ids"]
    outside = add_scholar("陈不在", in_pool=False)
    resp = create(client, world.headers, individual_body(world.agency.id, outside.id))
    assert resp.status_code == 422 and "人才库" in resp.json["error"]["fields"]["advisor_id"]
    assert counts(app) == before


def test_a_lawyer_may_be_engaged_individually_with_the_licence_printed(client, world):
    resp = create(client, world.headers, individual_body(world.agency.id, world.lawyer.id))
    assert resp.status_code == 201, resp.json
    assert resp.json["params"]["advisor_licence_no"] == world.lawyer.licence_no
    assert world.lawyer.licence_no in contract_text(_docx(client, world.headers,
                                                          resp.json["id"]))


def test_special_needs_a_matter_a_fee_and_a_delivery_date(client, world, app):
    before = counts(app)
    resp = create(client, world.headers, special_body(
        world.agency.id, world.lawyer.id, matter_description=None, fixed_fee=None,
        delivery_date="2022-04-01"))
    assert resp.status_code == 422
    fields = resp.json["error"]["fields"]
    assert {"matter_description", "fixed_fee", "delivery_date"} <= set(fields), fields
    assert counts(app) == before
    resp = create(client, world.headers, special_body(world.agency.id, world.lawyer.id))
    assert resp.status_code == 201, resp.json
    out = resp.json
    assert out["contract_no"] == f"汴法专项〔{YEAR}〕第001号"
    assert out["end_date"] == "2022-06-30" and out["annual_fee"] == "20000.00"
    assert out["firm"] == world.firm.name
    text = contract_text(_docx(client, world.headers, out["id"]))
    assert "老城区棚户区改造项目合同审查" in text and "2022年6月30日" in text


def test_special_per_item_fee_and_a_scholar_provider(client, world):
    scholar = add_scholar()
    resp = create(client, world.headers, special_body(
        world.agency.id, scholar.id, fee_mode="per_item", fixed_fee=None, unit_fee="3000",
        unit_name="份", estimated_units=5, fee_cap="15000", provider_address="开封市明伦街85号"))
    assert resp.status_code == 201, resp.json
    out = resp.json
    assert out["params"]["provider_kind"] == "individual" and out["firm_id"] is None
    assert out["annual_fee"] == "15000.00"
    assert "刘学明" in contract_text(_docx(client, world.headers, out["id"]))


def test_numbers_are_gap_free_per_kind_and_year(client, world):
    scholar = add_scholar()
    numbers = [create(client, world.headers, data).json["contract_no"] for data in (
        body(world), individual_body(world.agency.id, scholar.id), body(world),
        special_body(world.agency.id, world.lawyer.id),
        individual_body(world.agency.id, scholar.id))]
    assert numbers == [f"汴法顾〔{YEAR}〕第001号", f"汴法专顾〔{YEAR}〕第001号",
                       f"汴法顾〔{YEAR}〕第002号", f"汴法专项〔{YEAR}〕第001号",
                       f"汴法专顾〔{YEAR}〕第002号"]
    assert db.session.get(Counter, ("contract", YEAR)).value == 2
    assert db.session.get(Counter, ("contract_individual", YEAR)).value == 2


def test_the_form_asks_first_which_kind_and_follows_its_manifest(client, world, login):
    login(world.clerk.username)
    chooser = client.get("/engagements/new").get_data(as_text=True)
    for text in ("常年法律顾问", "法学专家个人顾问", "专项法律服务", "kind=individual"):
        assert text in chooser
    page = client.get("/engagements/new?kind=individual").get_data(as_text=True)
    assert 'type="checkbox" name="onsite_service" value="true"' in page
    assert 'type="checkbox" name="classified" value="true"' in page
    assert 'name="firm_id"' not in page and 'name="clauses" value="integrity"' in page
    page = client.get("/engagements/new?kind=special").get_data(as_text=True)
    assert 'name="matter_description"' in page and 'name="delivery_date"' in page
    assert "其他指派律师" in page


def test_clerk_engages_a_scholar_through_the_form_with_a_clause(client, world, login):
    scholar = add_scholar()
    login(world.clerk.username)
    token = csrf_token(client, "/engagements/new?kind=individual")
    data = {**individual_body(world.agency.id, scholar.id), "csrf_token": token,
            "onsite_service": "true", "onsite_days": "1", "clauses": ["integrity"]}
    resp = client.post("/engagements/new", data=data)
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    eng = db.session.execute(select(Engagement)).scalar_one()
    assert eng.kind == "individual" and eng.params["onsite_service"] is True
    assert eng.clauses == [{"name": "integrity", "version": 1}]
    text = contract_text(services.regenerate(eng))
    assert "廉洁从业" in text or "输送任何其他利益" in text
    assert services.regenerated_matches(eng)


def test_shipped_v1_deployment_moves_to_v2_and_keeps_v1_contracts(client, world, app):
    v2 = contract_store.active_template("standard")
    v1 = db.session.execute(select(ContractTemplate).filter_by(kind="standard", version=1)
                            ).scalar_one()
    db.session.delete(v2)
    v1.active = True
    db.session.commit()
    old = create(client, world.headers, body(world)).json
    assert old["template_version"] == 1
    stored = _docx(client, world.headers, old["id"])
    with unit_of_work():
        notes = contract_store.ensure_shipped_templates()
    assert any("第 2 版" in n for n in notes)
    assert contract_store.active_template("standard").version == 2
    eng = db.session.get(Engagement, old["id"])
    assert hashlib.sha256(services.regenerate(eng)).hexdigest() == \
        hashlib.sha256(stored).hexdigest()
    new = create(client, world.headers, body(world)).json
    assert new["template_version"] == 2
    assert "（通用样本）" not in contract_text(_docx(client, world.headers, new["id"]))
    with unit_of_work():
        assert contract_store.ensure_shipped_templates() == []


def test_an_admin_upload_stays_active_over_a_later_shipped_version(app):
    rows = contract_store.versions("special")
    assert [r.version for r in rows] == [1] and rows[0].active
    rows[0].active = False
    db.session.commit()
    with unit_of_work():
        assert contract_store.ensure_shipped_templates() == []
    assert all(not r.active for r in contract_store.versions("special"))


def test_the_list_filters_by_kind(client, world, login):
    scholar = add_scholar()
    create(client, world.headers, body(world))
    create(client, world.headers, individual_body(world.agency.id, scholar.id))
    api = client.get("/api/v1/engagements?kind=individual", headers=world.headers).json
    assert api["total"] == 1 and api["items"][0]["kind"] == "individual"
    login(world.clerk.username)
    page = client.get("/engagements/?kind=individual").get_data(as_text=True)
    assert "汴法专顾" in page and "汴法顾〔" not in page.split("<tbody")[1]
