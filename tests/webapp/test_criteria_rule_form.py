"""#15 UI finding 12: the bureau admin sets the scoring rules of computed criteria items
through a form (rule kind in Chinese, N, what no cases score), not by typing JSON.

Reproductions (became these tests): the criteria form asked for ``{"full_at": 5}``-style
JSON rules; the criteria page showed the stored rule as raw JSON.
"""

from __future__ import annotations

import lxml.html
import pytest
from sqlalchemy import func, select

from tests.helpers import visible_text
from tests.webapp.assessments_support import add_criteria, post
from webapp.assessments import rules
from webapp.assessments.criteria import computed_points
from webapp.demo.assessment_data import V2
from webapp.extensions import db
from webapp.models import AssessmentCriteria, AssessmentItem

EXTRA = [
    {"code": "B1", "name": "按时备案", "max_points": "6", "method": "computed",
     "indicator": "filing_on_time_rate", "rule": {"none": "zero"}},
    {"code": "B2", "name": "提交文书", "max_points": "8", "method": "computed",
     "indicator": "documents_total", "rule": {"per": 2}},
    {"code": "B3", "name": "聘任", "max_points": "4", "method": "computed",
     "indicator": "engagement_in_force"},
    {"code": "B4", "name": "意见建议", "max_points": "5", "method": "computed",
     "indicator": "recommendations", "rule": {"full_at": 2.5}},
]
ROW = {"items-0-code": "C1", "items-0-name": "法律服务", "items-0-max_points": "10",
       "items-0-method": "computed", "items-0-indicator": "services_total"}


@pytest.fixture
def admin(app, make_user, login):
    """A bureau admin, logged in, with the demo's 2022 criteria (plus more rule kinds)."""
    user = make_user("admin", username="bureau")
    add_criteria(user, "2021Q3", V2 + EXTRA, name="2022年修订")
    login("bureau")
    return user


def _versions() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(AssessmentCriteria.id))).scalar_one()


def _latest() -> AssessmentCriteria:
    db.session.expire_all()
    return db.session.execute(select(AssessmentCriteria).order_by(
        AssessmentCriteria.version.desc()).limit(1)).scalar_one()


def _new(client, rows: dict[str, str]):
    return post(client, "/assessments/criteria/new",
                {"name": "新版", "valid_from": "2022Q1", **rows})


def test_editing_the_latest_version_through_the_form_keeps_its_rules(admin, client):
    old = {i.code: i.rule for i in _latest().items}
    form = lxml.html.fromstring(client.get("/assessments/criteria/new").get_data(as_text=True))
    fields = dict(form.xpath("//form[.//*[@name='valid_from']]")[0].form_values())
    assert not any(name.endswith("-rule") for name in fields)  # no JSON input any more
    assert fields["items-3-rule_kind"] == "full_at" and fields["items-3-rule_n"] == "3"
    fields.update(name="再版", valid_from="2022Q2")
    resp = post(client, "/assessments/criteria/new", fields)
    assert resp.status_code == 302, visible_text(resp.get_data(as_text=True))[-1500:]
    new = {i.code: i.rule for i in _latest().items}
    assert new.pop("B3") is None and old.pop("B3") is None  # a yes/no indicator has no rule
    assert new == old
    assert new["A3"] == {"none": "full"} and new["B1"] == {"none": "zero"}
    assert new["B2"] == {"per": 2} and new["B4"] == {"full_at": 2.5}


@pytest.mark.parametrize(("rule", "stored"), [
    ({"rule_kind": "full_at", "rule_n": "5"}, {"full_at": 5}),
    ({"rule_kind": "per", "rule_n": " 0.5 "}, {"per": 0.5}),
    ({"rule_kind": "full_at", "rule_n": "10000"}, {"full_at": 10000}),
])
def test_a_count_rule_is_stored_as_before(admin, client, rule, stored):
    resp = _new(client, {**ROW, **{f"items-0-{k}": v for k, v in rule.items()}})
    assert resp.status_code == 302
    assert _latest().items[0].rule == stored


def test_ratio_yes_no_and_manual_rows_need_no_number(admin, client):
    rows = {"items-0-code": "R1", "items-0-name": "上会审查", "items-0-max_points": "10",
            "items-0-method": "computed", "items-0-indicator": "decision_review_rate",
            "items-0-rule_kind": "", "items-0-rule_n": "x", "items-0-rule_none": "zero",
            "items-1-code": "F1", "items-1-name": "聘任", "items-1-max_points": "5",
            "items-1-method": "computed", "items-1-indicator": "engagement_in_force",
            "items-1-rule_kind": "flag", "items-1-rule_n": "",
            "items-2-code": "M1", "items-2-name": "人工", "items-2-max_points": "85",
            "items-2-method": "manual", "items-2-rule_kind": "full_at", "items-2-rule_n": "3"}
    assert _new(client, rows).status_code == 302
    assert [i.rule for i in _latest().items] == [{"none": "zero"}, None, None]


@pytest.mark.parametrize(("rule", "field", "message"), [
    ({"rule_kind": "full_at"}, "rule_n", "请填写 N"),
    ({"rule_kind": "per", "rule_n": "0"}, "rule_n", "大于 0"),
    ({"rule_kind": "per", "rule_n": "-2"}, "rule_n", "大于 0"),
    ({"rule_kind": "full_at", "rule_n": "五"}, "rule_n", "请填写 N"),
    ({"rule_kind": "full_at", "rule_n": "1e9"}, "rule_n", "不超过 10000"),
    ({"rule_kind": "full_at", "rule_n": "99999999999999999999999"}, "rule_n", "不超过 10000"),
    ({"rule_kind": "full_at", "rule_n": "NaN"}, "rule_n", "请填写 N"),
    ({"rule_kind": "full_at", "rule_n": "1e3"}, "rule_n", "请填写 N"),  # probe: was 1000
    ({"rule_kind": "per", "rule_n": "+5"}, "rule_n", "请填写 N"),
    ({"rule_kind": "per", "rule_n": "1_0"}, "rule_n", "请填写 N"),
    ({"rule_kind": "per", "rule_n": "1.234"}, "rule_n", "两位小数"),
    ({"rule_kind": "ratio"}, "rule_kind", "不能使用这种计分规则"),
    ({"rule_kind": "flag"}, "rule_kind", "不能使用这种计分规则"),
    ({"rule_kind": ""}, "rule_kind", "请选择计分规则"),
    ({"rule_kind": "{\"full_at\": 3}"}, "rule_kind", "无效"),
    ({"rule_kind": "full_at", "rule_n": "3", "rule_none": "half"}, "rule_none", "无效"),
])
def test_a_bad_rule_is_refused_in_chinese_and_nothing_is_saved(admin, client, rule, field,
                                                                message):
    before = _versions()
    resp = _new(client, {**ROW, **{f"items-0-{k}": v for k, v in rule.items()}})
    assert resp.status_code == 422
    page = lxml.html.fromstring(resp.get_data(as_text=True))
    box = page.xpath(f"//*[@name='items-0-{field}']/ancestor-or-self::*"
                     "[following-sibling::div[contains(@class,'invalid-feedback')]][1]"
                     "/following-sibling::div[contains(@class,'invalid-feedback')][1]")
    assert box and message in box[0].text_content(), resp.get_data(as_text=True)[-3000:]
    assert _versions() == before


def test_a_rule_that_does_not_fit_the_indicator_is_refused(admin, client):
    rows = {**ROW, "items-0-indicator": "decision_review_rate", "items-0-rule_kind": "per",
            "items-0-rule_n": "2"}
    resp = _new(client, rows)
    assert resp.status_code == 422 and "不能使用这种计分规则" in resp.get_data(as_text=True)


def test_criteria_pages_describe_rules_in_chinese_never_json(admin, client):
    html = client.get("/assessments/criteria").get_data(as_text=True)
    assert "full_at" not in html and '{"' not in html
    for word in ("{", "none", "per"):
        assert word not in visible_text(html), word
    rules_shown = [td.text_content().strip() for td in
                   lxml.html.fromstring(html).xpath("//td[@data-rule]")]
    assert "达到 3 件得满分，不足按比例" in rules_shown
    assert "每件 2 分，以满分为限" in rules_shown
    assert "按比率计分（比率 × 满分）；无应计事项时得 0 分" in rules_shown
    assert "为“是”得满分，否则 0 分" in rules_shown
    form = visible_text(client.get("/assessments/criteria/new").get_data(as_text=True))
    for word in ("full_at", "{", "JSON", "none"):
        assert word not in form, word
    assert "达到 N 件得满分，不足按比例" in form and "无应计事项时得 0 分" in form


STORED = [None, {"full_at": 4}, {"per": 1.5}, {"none": "zero"}, {"none": "full"},
          {"full_at": 2, "none": "zero"}]


def _offered(indicator: str, rule: dict | None) -> bool:
    """A count rule is never offered on a ratio or yes/no indicator."""
    kind = rules.BY_CODE[indicator].kind
    return not (rule and kind in ("ratio", "flag") and {"full_at", "per"} & set(rule))


@pytest.mark.parametrize(("indicator", "rule"), [
    (indicator, rule) for indicator in ("services_total", "decision_review_rate",
                                        "engagement_in_force", "matters_median_days")
    for rule in STORED if _offered(indicator, rule)])
def test_the_form_shows_a_stored_rule_that_scores_the_same(app, indicator, rule):
    """form_values → RuleForm gives a rule scoring every value as the stored one did."""
    kind = rules.BY_CODE[indicator].kind
    shown = rules.form_values(rule, indicator)
    errors: dict[str, str] = {}
    again = rules.rule_from_form(shown, rules.BY_CODE[indicator], "x-", errors)
    assert not errors
    values = {"flag": [True, False], "ratio": [None, 0.0, 0.25, 1.0]}.get(
        kind, [None, 0, 1, 3, 7] if kind == "number" else [0, 1, 3, 7])
    for value in values:
        old = AssessmentItem(max_points=10, indicator=indicator, rule=rule)
        new = AssessmentItem(max_points=10, indicator=indicator, rule=again)
        assert computed_points(new, value) == computed_points(old, value), (value, again)
