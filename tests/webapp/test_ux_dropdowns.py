"""Issue #15, UI finding 8: long dropdowns, narrowed and searchable.

The document forms list the chosen agency's engaged advisors first (and say which
visible agencies engage each advisor, for the page script); the engagement forms
mark each lawyer with their firm so 指派律师 and the chief advisor narrow to the
chosen firm, and the server still refuses a lawyer of another firm. The browser
side (filter box, re-grouping, narrowing) is tests/e2e/test_dropdowns_journey.py.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from tests.webapp.engagements_support import body, create
from tests.webapp.files import docx_bytes
from webapp.documents.advisor_choices import engaged_by_agency
from webapp.extensions import db
from webapp.models import Advisor, Engagement

ENGAGED, OTHER = "本单位在聘顾问", "其他顾问"


class _Select(HTMLParser):
    """The options of one ``<select id=…>``: (group label or None, value, text, attrs)."""

    def __init__(self, select_id: str) -> None:
        super().__init__()
        self.select_id, self.inside, self.group = select_id, False, None
        self.options: list[tuple[str | None, str, str, dict]] = []
        self.attrs: dict = {}
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("id") == self.select_id:
            self.inside, self.attrs = True, attrs
        elif self.inside and tag == "optgroup":
            self.group = attrs.get("label")
        elif self.inside and tag == "option":
            self._option = {**attrs, "_text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["_text"] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "option" and self._option is not None:
            attrs = self._option
            self.options.append((self.group, attrs.get("value", ""), attrs.pop("_text"), attrs))
            self._option = None
        elif tag == "optgroup":
            self.group = None
        elif tag == "select":
            self.inside = False


def parse_select(html: str, select_id: str) -> _Select:
    """The parsed select ``select_id`` of ``html`` (asserting it is there)."""
    parser = _Select(select_id)
    parser.feed(html)
    assert parser.attrs, f"no select #{select_id}"
    return parser


def _engage(agency, advisor, n: int, *, start: date | None = None, end: date | None = None,
            status: str = "active", lawyers: list[Advisor] = ()) -> Engagement:
    today = date.today()
    eng = Engagement(contract_no=f"D{n}", year=today.year, seq=n, agency_id=agency.id,
                     advisor_id=advisor.id, status=status, annual_fee=1,
                     start_date=start or today - timedelta(days=1),
                     end_date=end or today + timedelta(days=100),
                     params={"lawyers": [{"name": a.name, "licence_no": a.licence_no}
                                         for a in lawyers]})
    db.session.add(eng)
    db.session.commit()
    return eng


@pytest.fixture
def registers(make_agency, make_advisor):
    """Two agencies; the first engages 甲 (chief) with 乙 on the team, the second 丁;
    丙 is engaged by nobody, 戊's contract has ended, 己's is still a draft."""
    own, other = make_agency("D01", "开封市民政局"), make_agency("D02", "开封市财政局")
    people = {name: make_advisor(f"{name}律师", phone="13911112222")
              for name in ("甲", "乙", "丙", "丁", "戊", "己")}
    today = date.today()
    _engage(own, people["甲"], 1, lawyers=[people["甲"], people["乙"]])
    _engage(other, people["丁"], 2)
    _engage(own, people["戊"], 3, start=today - timedelta(days=400),
            end=today - timedelta(days=1))
    _engage(own, people["己"], 4, status="draft")
    return own, other, people


def _groups(select: _Select) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for group, value, text, _ in select.options:
        if value:
            found.setdefault(group, []).append(text)
    return found


def test_a_clerk_sees_the_agencys_engaged_advisors_first(client, make_user, login, registers):
    own, other, people = registers
    login(make_user("clerk", agency=own).username)
    html = client.get("/documents/upload").get_data(as_text=True)
    select = parse_select(html, "f-advisor_id")
    groups = _groups(select)
    assert list(groups) == [ENGAGED, OTHER]
    assert groups[ENGAGED] == ["乙律师", "甲律师"]  # the chief and the assigned lawyer
    assert set(groups[OTHER]) == {"丙律师", "丁律师", "戊律师", "己律师"}  # ended, draft, others
    # The page script learns only the clerk's own agency: not who engages 丁 elsewhere.
    engaged_by = {text: attrs["data-engaged-by"] for _, v, text, attrs in select.options if v}
    assert engaged_by["甲律师"] == str(own.id) and engaged_by["丁律师"] == ""
    assert "data-picker" in select.attrs and select.attrs["data-engaged-for"] == "f-agency_id"
    assert "13911112222" not in html


def test_an_admin_gets_the_grouping_of_the_agency_chosen(client, make_user, login, registers):
    own, other, people = registers
    login(make_user("admin").username)
    first = parse_select(client.get("/documents/upload").get_data(as_text=True), "f-advisor_id")
    assert _groups(first)[ENGAGED] == ["乙律师", "甲律师"]  # D01 comes first in the select
    engaged_by = {text: attrs["data-engaged-by"] for _, v, text, attrs in first.options if v}
    assert engaged_by["丁律师"] == str(other.id)
    # A refused upload re-renders the form for the agency that was chosen.
    page = client.post("/documents/upload", data={
        "csrf_token": _token(client), "agency_id": str(other.id), "doc_type": "legal_opinion"})
    assert page.status_code == 422
    assert _groups(parse_select(page.get_data(as_text=True), "f-advisor_id"))[ENGAGED] == \
        ["丁律师"]


def test_no_engagement_means_one_plain_list(client, make_user, login, make_agency, registers):
    login(make_user("clerk", agency=make_agency("D03", "开封市水利局")).username)
    select = parse_select(client.get("/documents/upload").get_data(as_text=True),
                          "f-advisor_id")
    assert list(_groups(select)) == [None] and len(_groups(select)[None]) == 6


def test_the_edit_form_groups_for_the_documents_agency(client, make_user, login, token_for,
                                                       registers):
    own, other, people = registers
    clerk = make_user("clerk", agency=own)
    resp = client.post("/api/v1/documents", headers=token_for(clerk),
                       content_type="multipart/form-data",
                       data={"agency_id": str(own.id), "doc_type": "legal_opinion",
                             "advisor_id": str(people["甲"].id),
                             "file": (io.BytesIO(docx_bytes("意见")), "意见.docx")})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    login(clerk.username)
    html = client.get(f"/documents/{resp.json['id']}").get_data(as_text=True)
    select = parse_select(html, "f-advisor_id")
    assert _groups(select)[ENGAGED] == ["乙律师", "甲律师"]
    assert [text for _, v, text, a in select.options if "selected" in a] == ["甲律师"]


def test_engaged_means_in_force_on_the_day(app, registers):
    own, other, people = registers
    today = date.today()
    assert engaged_by_agency([own.id], today) == {people["甲"].id: {own.id},
                                                   people["乙"].id: {own.id}}
    assert engaged_by_agency([own.id], today - timedelta(days=30)) == \
        {people["戊"].id: {own.id}}
    assert engaged_by_agency([], today) == {}


def _token(client) -> str:
    from tests.helpers import csrf_token

    return csrf_token(client, "/documents/upload")


def test_engagement_form_marks_each_lawyer_with_the_firm(client, login, world):
    login(world.admin.username)
    html = client.get("/engagements/new?kind=standard").get_data(as_text=True)
    lawyers = parse_select(html, "f-lawyer_ids")
    assert lawyers.attrs["data-narrow-by"] == "f-firm_id"
    assert lawyers.attrs["data-narrow-fallback"] == "f-advisor_id"
    firms = {text.split("（")[0]: attrs.get("data-firm") for _, v, text, attrs in lawyers.options}
    assert firms["赵敏"] == firms["钱军"] == str(world.firm.id)
    assert firms["吴昊"] == str(world.outsider.firm_id) != str(world.firm.id)
    chief = parse_select(html, "f-advisor_id")
    assert chief.attrs["data-narrow-by"] == "f-firm_id" and "data-picker" in chief.attrs
    assert all(a.get("data-firm") for _, v, _, a in chief.options
               if v and a.get("data-kind") == "lawyer")
    assert "13800000000" not in html


def test_the_individual_form_offers_only_scholars_and_lawyers(client, login, world,
                                                              make_advisor):
    scholar = make_advisor("冯教授", kind="scholar")
    public = make_advisor("陈公职", kind="public_lawyer")
    login(world.admin.username)
    html = client.get("/engagements/new?kind=individual").get_data(as_text=True)
    offered = {v for _, v, _, _ in parse_select(html, "f-advisor_id").options}
    assert str(scholar.id) in offered and str(world.lawyer.id) in offered
    assert str(public.id) not in offered


def test_a_lawyer_of_another_firm_is_refused(client, world):
    resp = create(client, world.headers, body(world, firm_id=world.firm.id,
                                              lawyer_ids=[world.lawyer.id, world.outsider.id]))
    assert resp.status_code == 422
    assert "“吴昊”不是所选律师事务所的律师。" in resp.get_data(as_text=True)


def test_a_scholar_chief_may_lead_a_firms_team(client, world, make_advisor):
    from webapp.models import TalentPoolEntry

    scholar = make_advisor("冯教授", kind="scholar")
    db.session.add(TalentPoolEntry(category="scholar", advisor_id=scholar.id,
                                   admitted_on=date.today()))
    db.session.commit()
    resp = create(client, world.headers, body(world, advisor_id=scholar.id,
                                              firm_id=world.firm.id,
                                              lawyer_ids=[world.lawyer.id]))
    assert resp.status_code == 201, resp.get_data(as_text=True)


@pytest.mark.parametrize("agency_id", ["²", "99999999999999999999", "abc", "-1"])
def test_an_odd_agency_on_a_refused_upload_is_no_500(client, make_user, login, registers,
                                                     agency_id):
    login(make_user("admin").username)
    page = client.post("/documents/upload", data={
        "csrf_token": _token(client), "agency_id": agency_id, "doc_type": "legal_opinion"})
    assert page.status_code == 422
    assert _groups(parse_select(page.get_data(as_text=True), "f-advisor_id"))[ENGAGED] == \
        ["乙律师", "甲律师"]  # grouped for the first agency the select offers


def test_the_agency_and_matter_advisor_lists_are_searchable(client, login, world):
    """The long agency lists (engagement, matter) and the matter's advisor list carry the
    filter box too; the upload form's agency list does once it is long (over 15)."""
    login(world.admin.username)
    html = client.get("/engagements/new?kind=standard").get_data(as_text=True)
    assert parse_select(html, "f-agency_id").attrs.get("data-picker") == "输入名称筛选"
    html = client.get("/matters/new").get_data(as_text=True)
    assert parse_select(html, "f-agency_id").attrs.get("data-picker") == "输入名称筛选"
    assert parse_select(html, "f-advisor_ids").attrs.get("data-picker") == "输入姓名筛选"
