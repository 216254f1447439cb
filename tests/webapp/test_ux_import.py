"""Issue #15, UI finding 2: importing the agency register must not erase data.

Reproduction (became these tests): a row updating only a phone number wiped 负责人 and
地址 (which fill every later contract's 甲方 section), and the preview said only 更新.
Now blank cells leave values unchanged, ``<清空>`` clears one, and the preview shows
before → after per field.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.webapp.test_orgs_import import confirm, preview, xlsx
from webapp.extensions import db
from webapp.models import Agency

HEADERS = ["单位代码", "单位名称", "类别", "涉密单位", "负责人", "地址", "联系电话"]


def _agency(make_agency) -> Agency:
    agency = make_agency("G01", "开封市司法局")
    agency.legal_rep, agency.address, agency.phone = "张局长", "开封市鼓楼区中山路1号", \
        "0371-22220000"
    db.session.commit()
    return agency


def _import_row(client, login_as, cells: list[str]) -> str:
    """Preview one agency row as admin and return the preview page."""
    login_as("admin")
    status, html = preview(client, "agencies", xlsx([HEADERS, cells]), "单位.xlsx")
    assert status == 200, html
    return html


def _confirmed() -> Agency:
    db.session.expire_all()
    return db.session.execute(select(Agency).where(Agency.code == "G01")).scalar_one()


def test_blank_cells_leave_values_and_the_preview_shows_before_and_after(client, login_as,
                                                                         make_agency):
    _agency(make_agency)
    html = _import_row(client, login_as, ["G01", "", "", "", "", "", "0371-23330000"])
    assert "联系电话：0371-22220000 → 0371-23330000" in html
    assert "负责人：" not in html.split("gc-row-changes")[1].split("</ul>")[0]
    assert "（不变）" in html
    assert confirm(client, "agencies").status_code == 302
    agency = _confirmed()
    assert agency.phone == "0371-23330000"
    assert agency.legal_rep == "张局长" and agency.address == "开封市鼓楼区中山路1号"
    assert agency.name == "开封市司法局" and agency.category == "government_dept"


def test_the_clear_marker_empties_one_field(client, login_as, make_agency):
    _agency(make_agency)
    html = _import_row(client, login_as, ["G01", "", "", "", "", "<清空>", ""])
    assert "地址：开封市鼓楼区中山路1号 → （空）" in html
    assert confirm(client, "agencies").status_code == 302
    agency = _confirmed()
    assert agency.address is None and agency.legal_rep == "张局长"
