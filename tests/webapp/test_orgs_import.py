"""Import: upload → preview with row errors → confirm all or nothing; export round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.helpers import csrf_token
from webapp.extensions import db
from webapp.models import Advisor, Agency, AuditEvent, LawFirm, TalentPoolEntry

AGENCY_HEADERS = ["单位代码", "单位名称", "类别", "涉密单位", "联系电话"]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[list]) -> str:
    return "\r\n".join(",".join(str(c) for c in row) for row in rows) + "\r\n"


def count(model) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(model.id))).scalar_one()


def upload(client, register: str, data: bytes, filename: str):
    """POST a multipart upload (built by hand: werkzeug's builder leaks a temp file)."""
    token, boundary = csrf_token(client, "/orgs/firms"), "gc-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(f"/orgs/{register}/import", input_stream=io.BytesIO(body),
                       content_length=len(body),
                       content_type=f"multipart/form-data; boundary={boundary}")


def confirm(client, register: str, token: bool = True):
    data = {"csrf_token": csrf_token(client, "/orgs/firms")} if token else {}
    return client.post(f"/orgs/{register}/import/confirm", data=data)


def preview(client, register: str, data: bytes, filename: str) -> tuple[int, str]:
    resp = upload(client, register, data, filename)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = client.get(f"/orgs/{register}/import/preview")
    return resp.status_code, resp.get_data(as_text=True)


@pytest.fixture
def admin(app, login_as):
    return login_as("admin")


def test_good_agency_file_is_previewed_then_committed_whole(app, client, admin):
    data = xlsx([AGENCY_HEADERS, ["IM01", "导入一局", "市政府部门", "否", "0371-22222222"],
                 ["IM02", "导入二局", "county_district", "是", ""],
                 ["IM03", "导入三局", "驻汴单位", "", "13800000000"]])
    audited = count(AuditEvent)
    status, html = preview(client, "agencies", data, "单位.xlsx")
    assert status == 200 and "全部 3 行检查通过" in html and "确认导入" in html
    assert count(Agency) == 0 and count(AuditEvent) == audited
    resp = confirm(client, "agencies")
    assert resp.status_code == 302
    assert count(Agency) == 3
    second = db.session.execute(select(Agency).where(Agency.code == "IM02")).scalar_one()
    assert second.category == "county_district" and second.is_classified_unit
    summary = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "orgs_imported")).scalar_one()
    assert summary.detail["created"] == 3 and summary.detail["filename"] == "单位.xlsx"
    created = db.session.execute(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "agency_created")).scalar_one()
    assert created == 3
    assert "导入完成：新增 3 行" in client.get("/orgs/agencies").get_data(as_text=True)


def test_row_errors_are_listed_and_nothing_is_written(app, client, admin, make_agency):
    make_agency("OLD", "已有局")
    data = xlsx([AGENCY_HEADERS, ["IM01", "好局", "市政府部门", "否", ""],
                 ["IM02", "<script>x</script>", "市政府部门", "否", ""],
                 ["IM03", "已有局", "市委部委", "否", ""],
                 ["IM04", "坏类别局", "部委", "否", "123"],
                 ["IM01", "重复局", "市政府部门", "否", ""]])
    status, html = preview(client, "agencies", data, "bad.xlsx")
    assert status == 422
    assert "共 5 行，其中 4 行有错误" in html and "确认导入" not in html
    assert "单位名称：不能包含 HTML 标签" in html
    assert "单位名称：名称“已有局”已存在" in html
    assert "类别：“部委”不是有效选项" in html and "联系电话：电话号码格式不正确" in html
    assert "与第 2 行重复" in html
    assert count(Agency) == 1
    resp = confirm(client, "agencies")
    assert resp.status_code == 422 and "未写入任何数据" in resp.get_data(as_text=True)
    assert count(Agency) == 1
    assert not db.session.execute(select(AuditEvent).where(
        AuditEvent.action.in_(("agency_created", "orgs_imported")))).first()


def test_confirm_revalidates_against_the_database(app, client, admin, make_agency):
    data = xlsx([AGENCY_HEADERS, ["IM01", "一局", "市政府部门", "否", ""],
                 ["IM02", "二局", "市政府部门", "否", ""]])
    status, _ = preview(client, "agencies", data, "a.xlsx")
    assert status == 200
    make_agency("ZZ", "二局")
    resp = confirm(client, "agencies")
    assert resp.status_code == 422 and "已存在" in resp.get_data(as_text=True)
    assert count(Agency) == 1


def test_confirm_without_csrf_is_refused(app, client, admin):
    preview(client, "agencies", xlsx([AGENCY_HEADERS, ["IM01", "一局", "市政府部门", "", ""]]),
            "a.xlsx")
    assert confirm(client, "agencies", token=False).status_code == 400
    assert count(Agency) == 0


def test_upload_waits_in_data_dir_not_in_the_cookie(app, client, admin):
    data = xlsx([AGENCY_HEADERS] + [[f"IM{i:03d}", f"导入局{i}", "市政府部门", "否", ""]
                                    for i in range(60)])
    preview(client, "agencies", data, "big.xlsx")
    kept = list((Path(app.config["GOVCOUNSEL_DATA_DIR"]) / "imports").glob("*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == data
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 1000
    assert confirm(client, "agencies").status_code == 302
    assert count(Agency) == 60
    assert not list(kept[0].parent.glob("*.xlsx"))


def test_cancel_discards_the_upload(app, client, admin):
    preview(client, "agencies", xlsx([AGENCY_HEADERS, ["IM01", "一局", "市政府部门", "", ""]]),
            "a.xlsx")
    resp = client.post("/orgs/agencies/import/cancel",
                       data={"csrf_token": csrf_token(client, "/orgs/firms")})
    assert resp.status_code == 302
    resp = client.get("/orgs/agencies/import/preview")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/agencies/import")
    assert count(Agency) == 0


def test_firm_csv_in_gbk_is_detected(app, client, admin):
    text = csv_text([["律所名称", "统一社会信用代码", "负责人", "地址", "联系电话", "状态"],
                     ["河南国标律师事务所", "91410200MA44ABCD1X", "欧阳主任", "开封市", "",
                      "启用"]])
    status, html = preview(client, "firms", text.encode("gbk"), "律所.csv")
    assert status == 200 and "欧阳主任" in html
    assert confirm(client, "firms").status_code == 302
    firm = db.session.execute(select(LawFirm)).scalar_one()
    assert firm.leader == "欧阳主任"


def test_advisor_csv_with_bom_names_firm_by_name(app, client, admin):
    db.session.add(LawFirm(name="河南顾问律师事务所", licence_no="91410200MA44ABCD1X"))
    db.session.commit()
    head = ["姓名", "类别", "所属律师事务所", "执业证号", "联系电话", "电子邮箱"]
    good = ["郑律师", "律师", "河南顾问律师事务所", "14102201910000009", "13800000000", ""]
    bad_firm = ["冯律师", "律师", "不存在律师事务所", "14102201910000010", "", ""]
    no_firm = ["陈律师", "律师", "", "14102201910000011", "", ""]
    scholar = ["褚教授", "法学专家", "", "", "", "chu@example.cn"]
    text = csv_text([head, good, bad_firm, no_firm, scholar])
    status, html = preview(client, "advisors", text.encode("utf-8-sig"), "a.csv")
    assert status == 422
    assert "律师事务所“不存在律师事务所”不存在" in html
    assert "律师须填写所属律师事务所" in html
    assert count(Advisor) == 0
    text = csv_text([head, good, scholar])
    status, html = preview(client, "advisors", text.encode("utf-8-sig"), "a.csv")
    assert status == 200
    assert confirm(client, "advisors").status_code == 302
    assert count(Advisor) == 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("register", ["agencies", "firms", "advisors", "pool"])
def test_export_then_import_round_trip_changes_nothing(demo, client, admin, register, fmt):
    exported = client.get(f"/orgs/{register}?format={fmt}&active=all").data
    before = [count(m) for m in (Agency, LawFirm, Advisor, TalentPoolEntry)]
    status, html = preview(client, register, exported, f"export.{fmt}")
    assert status == 200, html[html.find("有错误"):][:2000]
    assert "更新 0 行" in html
    assert confirm(client, register).status_code == 302
    assert [count(m) for m in (Agency, LawFirm, Advisor, TalentPoolEntry)] == before


def test_edited_export_updates_matching_rows(demo, client, admin):
    book = load_workbook(io.BytesIO(client.get("/orgs/agencies?format=xlsx").data))
    sheet = book.active
    sheet.cell(row=2, column=7).value = "新联系人"
    sheet.append(["NEW01", "新增导入局", "市政府部门", "否", None, None, None, None, "启用"])
    buffer = io.BytesIO()
    book.save(buffer)
    status, html = preview(client, "agencies", buffer.getvalue(), "edited.xlsx")
    assert status == 200 and "将新增 1 行，更新 1 行，61 行无变化" in html
    assert confirm(client, "agencies").status_code == 302
    first = db.session.execute(select(Agency).where(Agency.code == "CD01")).scalar_one()
    assert first.contact == "新联系人" and count(Agency) == 63


def test_pool_import_admits_and_updates_members(demo, client, admin):
    head = ["类别", "成员名称", "执业证号或信用代码", "状态", "入库日期", "暂停日期", "原因",
            "考核年度", "考核结果"]
    lawyer = db.session.execute(select(Advisor).where(Advisor.kind == "lawyer").order_by(
        Advisor.id.desc())).scalars().first()
    rows = [head, ["律师", lawyer.name, lawyer.licence_no, "暂停", "2022-01-01", "2022-05-01",
                   "考核不合格", "2022", "不合格"]]
    status, html = preview(client, "pool", xlsx(rows), "pool.xlsx")
    assert status == 200 and "将新增 1 行" in html
    assert confirm(client, "pool").status_code == 302
    entry = db.session.execute(select(TalentPoolEntry).where(
        TalentPoolEntry.advisor_id == lawyer.id)).scalar_one()
    assert entry.status == "suspended" and entry.last_review_result == "unqualified"
    rows[1][3] = "已出库"
    status, html = preview(client, "pool", xlsx(rows), "pool.xlsx")
    assert status == 422 and "出库日期：状态为“已出库”时须填写此日期" in html


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"not a zip at all", "x.xlsx", "无法读取文件"),
    (b"PK\x03\x04garbage", "x.xlsx", "无法读取文件"),
    (b"a,b\r\n1,2\r\n", "x.txt", "无法读取文件"),
    (b"", "x.csv", "没有数据行"),
    ("单位代码,单位名称\r\n".encode(), "x.csv", "没有数据行"),
    (b"\xff\xfe\x00\x00", "x.csv", "无法读取文件"),
])
def test_unreadable_files_are_refused_at_upload(app, client, admin, data, filename, message):
    resp = upload(client, "agencies", data, filename)
    assert resp.status_code in (400, 415, 422) and message in resp.get_data(as_text=True)
    assert not list((Path(app.config["GOVCOUNSEL_DATA_DIR"]) / "imports").glob("*.*"))


def test_file_size_limit(app, client, admin):
    from webapp.orgs import io as org_io

    resp = upload(client, "agencies", b"x" * (org_io.MAX_IMPORT_BYTES + 1), "big.csv")
    assert resp.status_code == 413 and "不能超过 5 MB" in resp.get_data(as_text=True)


def test_row_limit(app, client, admin, monkeypatch):
    from webapp.orgs import io as org_io

    monkeypatch.setattr(org_io, "MAX_IMPORT_ROWS", 20)
    rows = [AGENCY_HEADERS] + [[f"R{i}", f"局{i}", "市政府部门", "", ""] for i in range(21)]
    resp = upload(client, "agencies", csv_text(rows).encode(), "many.csv")
    assert resp.status_code == 413 and "一次最多导入 20 行" in resp.get_data(as_text=True)
    status, _ = preview(client, "agencies", csv_text(rows[:-1]).encode(), "max.csv")
    assert status == 200


def test_default_limits():
    from webapp.orgs import io as org_io

    assert org_io.MAX_IMPORT_ROWS == 5000 and org_io.MAX_IMPORT_BYTES == 5 * 1024 * 1024


def test_missing_required_columns(app, client, admin):
    status, html = preview(client, "agencies",
                           csv_text([["单位名称"], ["某局"]]).encode(), "x.csv")
    assert status == 422 and "缺少必需的列：单位代码、类别" in html


def test_import_is_admin_only(app, client, login_as):
    login_as("auditor")
    assert client.get("/orgs/pool/import").status_code == 403
    resp = upload(client, "pool", b"a,b\r\n", "x.csv")
    assert resp.status_code == 403
    assert client.get("/orgs/pool/import/preview").status_code == 403


def test_csv_apostrophe_guard_round_trips(app, client, admin, make_agency):
    make_agency("Q1", "引号局", address="-1号楼")
    exported = client.get("/orgs/agencies?format=csv").data
    assert b"'-1" in exported
    status, html = preview(client, "agencies", exported, "q.csv")
    assert status == 200 and "1 行无变化" in html
