"""Validation of user-supplied values: Chinese messages keyed by field path."""

import json
from datetime import date
from decimal import Decimal

import pytest

from contract_templates import check_values, dump_values, validate_values


def test_sample_values_are_accepted_and_typed(standard, values):
    clean, errors = validate_values(standard.manifest, values)
    assert errors == {}
    assert clean["start_date"] == date(2022, 4, 1)
    assert clean["annual_fee"] == Decimal("68000.00")
    assert clean["copies"] == 4
    assert clean["lawyers"][1] == {"name": "钱军", "licence_no": "14102201510654321"}
    assert "signed_place" not in clean


def test_missing_required_fields_are_named(standard, values):
    del values["agency_name"]
    values["firm_phone"] = "   "
    values["lawyers"] = []
    report = check_values(standard.manifest, values)
    assert report.missing == ["agency_name", "firm_phone", "lawyers"]
    assert report.errors["agency_name"] == "请填写甲方（聘任单位）名称"


def test_unknown_fields_are_reported(standard, values):
    values["bribe"] = "1"
    _, errors = validate_values(standard.manifest, values)
    assert errors == {"bribe": "未知字段：bribe"}


def test_end_date_must_be_after_start_date(standard, values):
    values["end_date"] = "2022-03-31"
    _, errors = validate_values(standard.manifest, values)
    assert errors == {"end_date": "服务期限结束日期必须晚于开始日期"}
    values["end_date"] = values["start_date"]
    assert "end_date" in validate_values(standard.manifest, values)[1]


@pytest.mark.parametrize(("fee", "message"), [
    ("-1", "年度顾问费不能为负数"),
    (-500, "年度顾问费不能为负数"),
    ("六万八千", "年度顾问费应为金额数字"),
    ("68000元", "年度顾问费应为金额数字"),
    ("1e5", "年度顾问费应为金额数字"),
    ("NaN", "年度顾问费应为金额数字"),
    (float("inf"), "年度顾问费应为金额数字"),
    (True, "年度顾问费应为金额数字"),
    ("68000.001", "年度顾问费最多保留两位小数"),
    ("10000000.01", "年度顾问费应在0至10,000,000元之间"),
])
def test_bad_fees_are_refused(standard, values, fee, message):
    values["annual_fee"] = fee
    _, errors = validate_values(standard.manifest, values)
    assert errors == {"annual_fee": message}


@pytest.mark.parametrize(("fee", "clean"), [
    ("68,000.00", "68000.00"), ("¥68000", "68000.00"), (68000, "68000.00"),
    (68000.5, "68000.50"), (Decimal("0"), "0.00"),
])
def test_fee_spellings_that_are_accepted(standard, values, fee, clean):
    values["annual_fee"] = fee
    result, errors = validate_values(standard.manifest, values)
    assert errors == {}
    assert result["annual_fee"] == Decimal(clean)


@pytest.mark.parametrize(("field", "bad"), [
    ("start_date", "2022/04/01"), ("start_date", "2022-02-30"), ("start_date", 20220401),
    ("start_date", "1999-12-31"),
    ("response_hours", "24.5"), ("response_hours", True), ("response_hours", 0),
    ("copies", 3), ("copies", "四"),
    ("dispute_resolution", "fight"), ("dispute_resolution", "法院"),
    ("agency_phone", "12345"), ("firm_phone", "1381234567x"),
    ("contract_no", "汴司顾<2022>"),
    ("agency_name", 42), ("agency_name", "局" * 61),
    ("services", ["major_decision", "astrology"]), ("services", "training"),
])
def test_wrong_types_and_out_of_rule_values_are_refused(standard, values, field, bad):
    values[field] = bad
    _, errors = validate_values(standard.manifest, values)
    assert list(errors) in ([field], [f"{field}[1]"])


def test_item_errors_are_keyed_by_path(standard, values):
    values["lawyers"][1]["licence_no"] = "1410220151065432"
    values["lawyers"][0]["age"] = 40
    _, errors = validate_values(standard.manifest, values)
    assert errors == {
        "lawyers[1].licence_no": "律师执业证号应为17位数字",
        "lawyers[0].age": "未知字段：age",
    }


def test_duplicates_in_lists_are_refused(standard, values):
    values["services"] = ["training", "training"]
    values["lawyers"][1]["licence_no"] = values["lawyers"][0]["licence_no"]
    _, errors = validate_values(standard.manifest, values)
    assert errors == {"services": "服务范围有重复项",
                      "lawyers.licence_no": "指派律师执业证号有重复项"}


@pytest.mark.parametrize("bad", ["开封市\x00司法局", "开封市\x1b[31m司法局", "开封\u202e局",
                                 "开封市\n司法局", "开封\ud800局"])
def test_control_characters_are_refused(standard, values, bad):
    values["agency_name"] = bad
    _, errors = validate_values(standard.manifest, values)
    assert errors == {"agency_name": "甲方（聘任单位）名称含有不可见的控制字符"}


def test_newlines_are_allowed_only_in_multiline_text(standard, values):
    values["special_fee_terms"] = "第一，按件收费；\r\n第二，按小时收费。"
    clean, errors = validate_values(standard.manifest, values)
    assert errors == {}
    assert clean["special_fee_terms"] == "第一，按件收费；\n第二，按小时收费。"
    values["special_fee_terms"] = "按件\x07收费"
    assert "special_fee_terms" in validate_values(standard.manifest, values)[1]


def test_html_is_plain_text_but_template_markup_is_refused(standard, values):
    values["agency_name"] = "<b>开封市</b>&司法局"
    clean, errors = validate_values(standard.manifest, values)
    assert errors == {} and clean["agency_name"] == "<b>开封市</b>&司法局"
    values["agency_name"] = "{{ annual_fee }}"
    _, errors = validate_values(standard.manifest, values)
    assert errors == {"agency_name": "甲方（聘任单位）名称不能包含模板标记（{{、}}、{%、%}）"}


def test_text_is_trimmed_and_unicode_normalised(standard, values):
    values["agency_name"] = "  开封市司法局\u3000 "
    values["advisor_name"] = "Ame\u0301lie"
    clean, _ = validate_values(standard.manifest, values)
    assert clean["agency_name"] == "开封市司法局"
    assert clean["advisor_name"] == "Amélie"


def test_values_must_be_a_mapping(standard):
    _, errors = validate_values(standard.manifest, ["not", "a", "dict"])
    assert list(errors) == [""]


def test_dump_values_is_json_safe_and_round_trips(standard, values):
    clean, _ = validate_values(standard.manifest, values)
    dumped = dump_values(standard.manifest, clean)
    assert dumped["annual_fee"] == "68000.00" and dumped["end_date"] == "2023-03-31"
    again, errors = validate_values(standard.manifest, json.loads(json.dumps(dumped)))
    assert errors == {} and again == clean
