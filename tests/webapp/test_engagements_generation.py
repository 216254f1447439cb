"""Generating a contract: every value in the .docx, stored as a registered document,
numbered gap-free per year (also under concurrent requests), reproducible."""

from __future__ import annotations

import hashlib
import threading
from datetime import date

from sqlalchemy import select

from tests.webapp.engagements_support import body, contract_text, create, docx_texts
from webapp.extensions import db
from webapp.models import AuditEvent, Document, DocumentVersion, Engagement, IndexJob

YEAR = date.today().year


def test_api_generates_a_draft_with_all_values(client, world):
    resp = create(client, world.headers, body(world))
    assert resp.status_code == 201, resp.json
    out = resp.json
    assert out["contract_no"] == f"汴法顾〔{YEAR}〕第001号"
    assert out["status"] == "draft" and out["document_id"] and out["id"]
    data = client.get(f"/api/v1/engagements/{out['id']}/contract.docx",
                      headers=world.headers).data
    text = contract_text(data)
    for value in (out["contract_no"], "开封市市场监督管理局", "王建国", "开封市龙亭区中山路北段1号",
                  "李娜", "0371-23456789", "河南汴梁律师事务所", "张伟", "开封市鼓楼区自由路88号",
                  "13812345678", "赵敏", "14102201110123456", "钱军", "14102201510654321",
                  "2022年4月1日", "2023年3月31日", "¥68,000.00", "陆万捌仟元整",
                  "每件不超过人民币伍仟元", "24小时内答复", "一式四份", "人民法院提起诉讼",
                  "重大决策法律论证", "信访法律事务", "法治培训", "签订地点：甲方所在地"):
        assert value in text, value
    assert "规范性文件合法性审查：" not in text
    assert "{{" not in text and "}}" not in text and "{%" not in text


def test_lawyers_table_and_services_are_numbered(client, world):
    out = create(client, world.headers, body(world)).json
    data = client.get(f"/api/v1/engagements/{out['id']}/contract.docx",
                      headers=world.headers).data
    texts = docx_texts(data)
    first = texts.index("1")
    assert texts[first:first + 3] == ["1", "赵敏", "14102201110123456"]
    assert any(t.startswith("（一）重大决策法律论证") for t in texts)
    assert any(t.startswith("（四）法治培训") for t in texts)


def test_contract_is_a_registered_document_of_the_agency(client, world):
    out = create(client, world.headers, body(world)).json
    doc = db.session.get(Document, out["document_id"])
    assert doc.doc_type == "contract" and doc.agency_id == world.agency.id
    assert doc.engagement_id == out["id"] and doc.advisor_id == world.lawyer.id
    assert doc.registration_no.startswith(f"汴法顾登〔{YEAR}〕")
    version = db.session.execute(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id)).scalar_one()
    data = client.get(f"/api/v1/documents/{doc.id}/file", headers=world.headers).data
    assert hashlib.sha256(data).hexdigest() == doc.sha256 == version.sha256
    assert version.kind == "docx"
    assert db.session.execute(select(IndexJob).where(IndexJob.document_id == doc.id)).first()
    detail = client.get(f"/api/v1/engagements/{out['id']}", headers=world.headers).json
    assert detail["registration_no"] == doc.registration_no
    assert detail["template_version"] == 2  # shipped v1 kept, v2 active
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert {"engagement_created", "document_created"} <= set(actions)


def test_params_and_template_version_reproduce_the_same_file(client, world, app):
    from webapp.engagements.services import regenerate, regenerated_matches

    out = create(client, world.headers, body(world)).json
    eng = db.session.get(Engagement, out["id"])
    assert eng.params["contract_no"] == out["contract_no"]
    assert eng.params["annual_fee"] == "68000.00"
    assert eng.params["lawyers"][1] == {"name": "钱军", "licence_no": "14102201510654321"}
    stored = client.get(f"/api/v1/engagements/{out['id']}/contract.docx",
                        headers=world.headers).data
    again = regenerate(eng)
    assert contract_text(again) == contract_text(stored)
    assert again == stored and regenerated_matches(eng)


def test_numbers_are_consecutive_and_unique(client, world):
    numbers = [create(client, world.headers, body(world)).json["contract_no"]
               for _ in range(3)]
    assert numbers == [f"汴法顾〔{YEAR}〕第{n:03d}号" for n in (1, 2, 3)]
    rows = db.session.execute(select(Engagement.year, Engagement.seq)).all()
    assert sorted(rows) == [(YEAR, 1), (YEAR, 2), (YEAR, 3)]


def test_a_refused_request_takes_no_number(client, world):
    assert create(client, world.headers, body(world)).status_code == 201
    assert create(client, world.headers, body(world, annual_fee="-1")).status_code == 422
    assert create(client, world.headers, body(world)).json["contract_no"].endswith("第002号")


def test_configured_pattern_is_used(tmp_path, template_db):
    from tests.conftest import make_app

    app = make_app(tmp_path / "d", template_db,
                   GOVCOUNSEL_CONTRACT_PATTERN="汴司顾〔{year}〕{seq:04d}号")
    with app.app_context():
        from webapp.engagements.services import sample_number

        assert sample_number(2022) == "汴司顾〔2022〕0001号"
        db.session.remove()
        db.engine.dispose()


def test_numbers_stay_gap_free_under_concurrent_requests(app, world):
    """Eight threads, each with its own client (own app context and DB connection),
    post at once against the app's SQLite file; numbers come out 1..8 without gaps."""
    barrier = threading.Barrier(8)
    results: list = []
    data, headers = body(world), world.headers

    def post() -> None:
        client = app.test_client()
        barrier.wait()
        resp = create(client, headers, data)
        results.append((resp.status_code, (resp.json or {}).get("contract_no")))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [201] * 8, results
    numbers = sorted(no for _, no in results)
    assert numbers == [f"汴法顾〔{YEAR}〕第{n:03d}号" for n in range(1, 9)]
    db.session.expire_all()
    seqs = sorted(db.session.execute(select(Engagement.seq)).scalars())
    assert seqs == list(range(1, 9))


def test_template_fields_are_listed_for_clients(client, world):
    out = client.get("/api/v1/engagements/template", headers=world.headers).json
    by_name = {f["name"]: f for f in out["fields"]}
    assert out["version"] == 2
    assert by_name["contract_no"]["filled_by"] == "system"
    assert by_name["agency_phone"]["filled_by"] == "register"
    assert by_name["annual_fee"]["filled_by"] == "user"
    assert {"value": "petition", "label": "信访法律事务"} in by_name["services"]["choices"]


def test_openapi_describes_the_engagement_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "post" in paths["/api/v1/engagements"]
    for action in ("sign", "file", "activate", "terminate", "renew"):
        assert "post" in paths[f"/api/v1/engagements/{{engagement_id}}/{action}"]
    assert "get" in paths["/api/v1/engagements/{engagement_id}/contract.docx"]


def test_register_values_can_be_overridden(client, world):
    out = create(client, world.headers, body(world, agency_contact="周敏",
                                             firm_address="开封市顺河区1号")).json
    text = contract_text(client.get(f"/api/v1/engagements/{out['id']}/contract.docx",
                                    headers=world.headers).data)
    assert "联系人：周敏" in text and "开封市顺河区1号" in text and "李娜" not in text


def test_html_text_is_refused_and_markup_never_rendered(client, world):
    resp = create(client, world.headers, body(world, special_fee_terms="<b>按件</b>收费"))
    assert resp.status_code == 422
    assert "special_fee_terms" in resp.json["error"]["fields"]
    resp = create(client, world.headers, body(world, special_fee_terms="{{ agency_name }}"))
    assert resp.status_code == 422
    assert "模板标记" in resp.json["error"]["fields"]["special_fee_terms"]


def test_scholar_chief_with_firm_lawyers(client, world):
    from webapp.models import Advisor, TalentPoolEntry

    scholar = Advisor(name="陈教授", kind="scholar", title="河南大学法学院教授",
                      phone="13900000000")
    db.session.add(scholar)
    db.session.flush()
    db.session.add(TalentPoolEntry(category="scholar", advisor_id=scholar.id,
                                   admitted_on=date.today()))
    db.session.commit()
    alone = create(client, world.headers, body(world, advisor_id=scholar.id, lawyer_ids=None))
    assert alone.status_code == 422
    assert "法学专家" in alone.json["error"]["fields"]["lawyer_ids"]
    resp = create(client, world.headers, body(world, advisor_id=scholar.id,
                                              lawyer_ids=[world.lawyer.id]))
    assert resp.status_code == 201, resp.json
    assert resp.json["firm"] == "河南汴梁律师事务所"
    text = contract_text(client.get(f"/api/v1/engagements/{resp.json['id']}/contract.docx",
                                    headers=world.headers).data)
    assert "乙方指派陈教授担任甲方首席法律顾问" in text and "14102201110123456" in text


def test_a_blank_register_value_is_asked_for_by_name(client, world):
    world.agency.address, world.agency.contact = None, ""
    db.session.commit()
    resp = create(client, world.headers, body(world))
    assert resp.status_code == 422
    fields = resp.json["error"]["fields"]
    lacks = "开封市市场监督管理局的登记信息中没有{}，请在此填写。"
    assert fields["agency_address"] == lacks.format("甲方地址")
    assert fields["agency_contact"] == lacks.format("甲方联系人")
    assert set(fields) == {"agency_address", "agency_contact"}  # the rest is in the register
    resp = create(client, world.headers, body(world, agency_address="开封市龙亭区宋都御街1号",
                                              agency_contact="周敏"))
    assert resp.status_code == 201, resp.json
    text = contract_text(client.get(f"/api/v1/engagements/{resp.json['id']}/contract.docx",
                                    headers=world.headers).data)
    assert "开封市龙亭区宋都御街1号" in text and "王建国" in text and "0371-23456789" in text
