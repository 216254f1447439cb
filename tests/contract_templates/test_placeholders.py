"""Placeholders in hand-made templates: split runs, repeats, checks and refused markup."""

import io

import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_templates import (
    MissingValueError,
    TemplateSyntaxError,
    check_template,
    find_placeholders,
    render,
)

BODY = [
    ["甲方：{{ agency_name }}"],
    ["年度顾问费{{ annual_fee }}（{{ annual_fee | money_upper }}）"],
    ["服务期限自{{ start_date }}至{{ end_date }}。"],
    ["备注：{{ note }}"],
]
LAWYER_ROWS = [["序号", "姓名", "执业证号"],
               ["{{ lawyers.index }}", "{{ lawyers.name }}", "{{ lawyers.licence_no }}"]]


def _codes(problems):
    return sorted((p.code, p.subject) for p in problems)


@pytest.fixture
def complete(make_docx):
    return make_docx(BODY, rows=LAWYER_ROWS)


def test_complete_template_has_no_problems(complete, mini_manifest):
    assert check_template(complete, mini_manifest) == []
    names = {p.name for p in find_placeholders(complete, mini_manifest)}
    assert names == {"agency_name", "annual_fee", "start_date", "end_date", "note",
                     "lawyers.index", "lawyers.name", "lawyers.licence_no"}


def test_placeholder_split_over_runs_is_found_and_rendered(make_docx, mini_manifest,
                                                            mini_values, read_docx):
    split = [[("甲方：{", {"italic": True}), "{ agen", ("cy_", {"bold": True}), "name }",
              "}，顾问费{{ annual_fee }}"]] + BODY[1:]
    data = make_docx(split, rows=LAWYER_ROWS)
    assert check_template(data, mini_manifest) == []
    mini_values["note"] = "无"
    paragraph = read_docx(render(data, mini_manifest, mini_values)).paragraphs[0]
    assert paragraph.text == "甲方：开封市司法局，顾问费¥12,345.60"
    filled = next(run for run in paragraph.runs if "开封市司法局" in run.text)
    assert filled.italic and not filled.bold


def test_text_around_a_split_placeholder_keeps_its_runs(make_docx, mini_manifest, mini_values,
                                                        read_docx):
    split = [[("前文", {"bold": True}), "{{ agency", "_name }}", ("后文", {"underline": True})]]
    data = make_docx(split + BODY[1:], rows=LAWYER_ROWS)
    mini_values["note"] = "无"
    runs = read_docx(render(data, mini_manifest, mini_values)).paragraphs[0].runs
    assert [(run.text, bool(run.bold), bool(run.underline)) for run in runs] == [
        ("前文", True, False), ("开封市司法局", False, False), ("后文", False, True)]


def test_list_rows_repeat_per_item(complete, mini_manifest, mini_values, read_docx):
    mini_values["lawyers"].append({"name": "周强", "licence_no": "14102201910000002"})
    mini_values["note"] = "无"
    table = read_docx(render(complete, mini_manifest, mini_values)).tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["序号", "姓名", "执业证号"], ["1", "孙丽", "14102201910000001"],
        ["2", "周强", "14102201910000002"]]


def test_list_paragraphs_repeat_per_item(make_docx, mini_manifest, mini_values, read_docx):
    body = BODY + [["（{{ lawyers.index_cn }}）{{ lawyers.name }}律师"]]
    mini_values["lawyers"].append({"name": "周强", "licence_no": "14102201910000002"})
    mini_values["note"] = "无"
    data = make_docx(body, rows=LAWYER_ROWS)
    texts = [p.text for p in read_docx(render(data, mini_manifest, mini_values)).paragraphs]
    assert texts[-2:] == ["（一）孙丽律师", "（二）周强律师"]


def test_headers_and_footers_are_filled(make_docx, mini_manifest, mini_values, read_docx,
                                        texts_of):
    data = make_docx(BODY, rows=LAWYER_ROWS, header=["{{ agency", "_name }}法律顾问合同"],
                     footer=["服务至{{ end_date }}"])
    mini_values["note"] = "无"
    document = read_docx(render(data, mini_manifest, mini_values))
    assert document.sections[0].header.paragraphs[0].text == "开封市司法局法律顾问合同"
    assert document.sections[0].footer.paragraphs[0].text == "服务至2022年12月31日"
    assert not any("{{" in text for text in texts_of(document))


def test_optional_value_without_default_is_reported_missing(complete, mini_manifest,
                                                            mini_values):
    with pytest.raises(MissingValueError) as caught:
        render(complete, mini_manifest, mini_values)
    assert caught.value.code == "missing_value" and caught.value.fields == ["note"]


def test_check_reports_unknown_placeholder_and_unused_field(make_docx, mini_manifest):
    body = [["甲方：{{ agency_name }}，乙方：{{ firm_name }}"]] + BODY[1:3]
    problems = check_template(make_docx(body, rows=LAWYER_ROWS), mini_manifest)
    assert _codes(problems) == [("field_unused", "note"), ("placeholder_unknown", "firm_name")]
    unused = next(p for p in problems if p.code == "field_unused")
    assert unused.severity == "warning" and "备注" in unused.message
    unknown = next(p for p in problems if p.code == "placeholder_unknown")
    assert unknown.where == "正文 第1段" and "{{ firm_name }}" in unknown.message


def test_missing_required_placeholder_is_an_error(make_docx, mini_manifest):
    problems = check_template(make_docx(BODY[1:], rows=LAWYER_ROWS), mini_manifest)
    assert [(p.code, p.subject, p.severity) for p in problems] == [
        ("field_unused", "agency_name", "error")]


def test_unknown_item_attribute_is_reported(make_docx, mini_manifest):
    rows = [["{{ lawyers.name }}", "{{ lawyers.age }}", "{{ lawyers.licence_no }}"]]
    problems = check_template(make_docx(BODY, rows=rows), mini_manifest)
    assert _codes(problems) == [("placeholder_unknown", "lawyers.age")]


@pytest.mark.parametrize("markup", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ agency_name.__class__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% for x in lawyers %}{{ x }}{% endfor %}",
    "{% import os %}",
    "{{ agency_name | attr('__class__') }}",
    "{{ agency_name",
    "{{ Agency_Name }}",
    "{{ annual_fee | cn_number }}",
    "{{ lawyers }}",
    "{{ agency_name.upper }}",
    "{{ lawyers.name }}{{ services.label }}",
])
def test_code_and_unknown_markup_are_syntax_errors_never_evaluated(make_docx, mini_manifest,
                                                                   mini_values, markup):
    data = make_docx(BODY + [[markup]], rows=LAWYER_ROWS)
    problems = check_template(data, mini_manifest)
    assert {p.code for p in problems} & {"syntax_error", "placeholder_unknown"}
    mini_values["note"] = "无"
    with pytest.raises(TemplateSyntaxError) as caught:
        render(data, mini_manifest, mini_values)
    assert caught.value.code == "syntax_error"
    assert "object" not in caught.value.message and "uid=" not in caught.value.message


def test_choice_list_placeholders(make_docx, standard, values, read_docx):
    body = [["{{ services }}"], ["{{ services.index }}. {{ services.label }}"],
            ["{{ dispute_resolution | label }}"]]
    data = make_docx(body)
    subjects = {p.subject for p in check_template(data, standard.manifest)}
    assert "services" not in subjects and "dispute_resolution" not in subjects
    values["services"] = ["training", "litigation"]
    document = read_docx(render(data, standard.manifest, values))
    assert [p.text for p in document.paragraphs] == [
        "法治培训、行政复议与诉讼代理", "1. 法治培训", "2. 行政复议与诉讼代理", "向人民法院起诉"]


def test_two_lists_cannot_repeat_in_one_paragraph(make_docx, standard):
    data = make_docx([["{{ lawyers.name }}：{{ services.label }}"]])
    problems = [p for p in check_template(data, standard.manifest) if p.code == "syntax_error"]
    assert len(problems) == 1 and "不能同时重复 lawyers 和 services" in problems[0].message


SPLIT_TEXT = "甲方：{{ agency_name }}，顾问费{{annual_fee|money_upper}}。"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.integers(min_value=1, max_value=len(SPLIT_TEXT) - 1), max_size=12))
def test_any_split_into_runs_renders_the_same(make_docx, mini_manifest, mini_values, read_docx,
                                              cuts):
    edges = [0, *sorted(cuts), len(SPLIT_TEXT)]
    runs = [(SPLIT_TEXT[a:b], {"bold": i % 2 == 0}) for i, (a, b) in enumerate(
        zip(edges, edges[1:], strict=False))]
    data = make_docx([runs] + BODY, rows=LAWYER_ROWS)
    mini_values["note"] = "无"
    paragraph = read_docx(render(data, mini_manifest, mini_values)).paragraphs[0]
    assert paragraph.text == "甲方：开封市司法局，顾问费人民币壹万贰仟叁佰肆拾伍元陆角。"


def test_placeholder_split_into_a_tracked_insertion_is_found(make_docx, mini_manifest,
                                                             mini_values, read_docx):
    document = read_docx(make_docx([["甲方：{{ agency", "_name }}。"]] + BODY[1:],
                                   rows=LAWYER_ROWS))
    paragraph = document.paragraphs[0]._p
    second = paragraph.findall(qn("w:r"))[1]
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "1")
    insertion.set(qn("w:author"), "法制科")
    second.addprevious(insertion)
    insertion.append(second)
    out = io.BytesIO()
    document.save(out)
    mini_values["note"] = "无"
    rendered = read_docx(render(out.getvalue(), mini_manifest, mini_values))
    texts = [node.text for node in rendered.paragraphs[0]._p.iter(qn("w:t"))]
    assert "".join(texts) == "甲方：开封市司法局。"  # python-docx's .text skips w:ins runs
