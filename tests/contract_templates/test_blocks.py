"""Paragraph blocks and optional clauses: shown or dropped on a field, never evaluated;
every malformed template refused with a specific Chinese message."""

import copy

import pytest

from contract_templates import check_template, parse_manifest, render
from contract_templates.clauses import Clause, check_clause, check_clause_for
from contract_templates.errors import TemplateSyntaxError
from contract_templates.registry import check_upload

BLOCK_MANIFEST = {
    "template": "blocks", "version": "v1", "title": "条件条款测试", "fields": [
        {"name": "agency_name", "label": "甲方名称", "type": "text"},
        {"name": "classified", "label": "涉及国家秘密", "type": "boolean", "required": False},
        {"name": "onsite", "label": "驻场服务", "type": "boolean", "required": False},
        {"name": "onsite_days", "label": "驻场天数", "type": "integer", "required": False},
        {"name": "dispute", "label": "争议解决方式", "type": "choice", "choices": [
            {"value": "court", "label": "诉讼"}, {"value": "arbitration", "label": "仲裁"},
            {"value": "mediation", "label": "调解"}]},
    ],
    "clauses": [{"name": "integrity", "label": "廉洁从业条款"}],
}
BODY = [
    ["甲方：{{ agency_name }}"],
    ["{% if classified %}"],
    ["保密：涉密材料不得带离。"],
    ["{% endif %}"],
    ['{% if dispute == "arbitration" %}'],
    ["提交开封仲裁委员会仲裁。"],
    ['{% elif dispute == "court" %}'],
    ["向人民法院起诉。"],
    ["{% else %}"],
    ["先行调解。"],
    ["{% endif %}"],
    ["{% if onsite %}"],
    ["驻场{{ onsite_days }}天。"],
    ["{% if not classified %}"],
    ["驻场人员可使用甲方网络。"],
    ["{% endif %}"],
    ["{% endif %}"],
    ["{% clause integrity %}"],
    ["完。"],
]
INTEGRITY = Clause("integrity", 2, "廉洁从业", "乙方不得向{{ agency_name }}工作人员输送利益。\n第二段。")  # noqa: E501


@pytest.fixture(scope="module")
def manifest():
    return parse_manifest(BLOCK_MANIFEST)


@pytest.fixture
def template(make_docx):
    return make_docx(BODY)


def _body(data, read_docx):
    return [p.text for p in read_docx(data).paragraphs]


def test_template_checks_clean(template, manifest):
    assert check_template(template, manifest) == []


@pytest.mark.parametrize(("values", "expected"), [
    ({"classified": True, "dispute": "arbitration"},
     ["甲方：开封市司法局", "保密：涉密材料不得带离。", "提交开封仲裁委员会仲裁。", "完。"]),
    ({"dispute": "court", "onsite": "true", "onsite_days": 3},
     ["甲方：开封市司法局", "向人民法院起诉。", "驻场3天。", "驻场人员可使用甲方网络。", "完。"]),
    ({"classified": "是", "dispute": "mediation", "onsite": True, "onsite_days": 2},
     ["甲方：开封市司法局", "保密：涉密材料不得带离。", "先行调解。", "驻场2天。", "完。"]),
])
def test_blocks_keep_the_branch_the_values_choose(template, manifest, read_docx, values,
                                                  expected):
    data = render(template, manifest, {"agency_name": "开封市司法局", **values})
    assert _body(data, read_docx) == expected


def test_a_chosen_clause_is_printed_and_filled(template, manifest, read_docx):
    data = render(template, manifest, {"agency_name": "开封市司法局", "dispute": "court"},
                  clauses=[INTEGRITY])
    body = _body(data, read_docx)
    assert body[-3:] == ["乙方不得向开封市司法局工作人员输送利益。", "第二段。", "完。"]


def test_an_unchosen_field_in_a_dropped_block_is_not_required(template, manifest, read_docx):
    data = render(template, manifest, {"agency_name": "局", "dispute": "court"})
    assert "驻场" not in "".join(_body(data, read_docx))


def test_a_shown_block_needs_its_values(template, manifest):
    with pytest.raises(Exception) as caught:
        render(template, manifest, {"agency_name": "局", "dispute": "court", "onsite": True})
    assert caught.value.code == "missing_value" and "驻场天数" in caught.value.message


def test_markers_split_over_runs_and_curly_quotes_are_understood(make_docx, manifest,
                                                                 read_docx):
    data = make_docx([["甲方：{{ agency_name }}"], ["{% if dis", "pute == “arbit", "ration” %}"],
                      ["仲裁。"], ["{%", " endif %}"], ["完。"]])
    assert [p for p in check_template(data, manifest) if p.severity == "error"] == []
    out = render(data, manifest, {"agency_name": "局", "dispute": "arbitration"})
    assert _body(out, read_docx) == ["甲方：局", "仲裁。", "完。"]
    out = render(data, manifest, {"agency_name": "局", "dispute": "court"})
    assert _body(out, read_docx) == ["甲方：局", "完。"]


def test_a_block_inside_a_table_cell_keeps_the_cell_valid(make_docx, manifest, read_docx):
    data = make_docx([["甲方：{{ agency_name }}"]], rows=[["{% if classified %}", "右"]])
    document = read_docx(data)
    cell = document.tables[0].rows[0].cells[0]
    cell.add_paragraph("涉密")
    cell.add_paragraph("{% endif %}")
    import io
    buffer = io.BytesIO()
    document.save(buffer)
    shown = read_docx(render(buffer.getvalue(), manifest,
                             {"agency_name": "局", "dispute": "court", "classified": True}))
    assert shown.tables[0].rows[0].cells[0].text == "涉密"
    hidden = read_docx(render(buffer.getvalue(), manifest, {"agency_name": "局",
                                                            "dispute": "court"}))
    assert hidden.tables[0].rows[0].cells[0].text == ""
    assert len(hidden.tables[0].rows[0].cells[0].paragraphs) == 1


def _codes_and_messages(make_docx, manifest, body):
    problems = check_template(make_docx(body), manifest)
    return [(p.code, p.message) for p in problems if p.code != "field_unused"]


BAD_TEMPLATES = [
    ("unclosed block", [["{% if classified %}"], ["保密。"]],
     "block_unclosed", "段落块 {% if classified %} 没有对应的 {% endif %}（正文 第1段）"),
    ("endif without if", [["{% endif %}"]],
     "block_unopened", "{% endif %} 之前没有对应的 {% if %}（正文 第1段）"),
    ("elif after else", [["{% if onsite %}"], ["{% else %}"], ["{% elif classified %}"],
                         ["{% endif %}"]],
     "block_after_else", "{% elif classified %} 不能出现在同一段落块的 {% else %} 之后（正文 第3段）"),  # noqa: E501
    ("marker with other text", [["甲方{% if classified %}"], ["{% endif %}"]],
     "block_not_alone", "段落块标记 {% if classified %} 必须单独占一段，前后不能有其他文字（正文 第1段）"),  # noqa: E501
    ("undeclared condition", [["{% if bribe %}"], ["{% endif %}"]],
     "condition_unknown_field",
     "条件字段 bribe 未在字段清单中定义，不支持该条件：{% if bribe %}（正文 第1段）"),
    ("condition on a text field", [["{% if agency_name %}"], ["{% endif %}"]],
     "condition_not_boolean",
     "条件 {% if agency_name %} 直接判断的字段 agency_name（甲方名称）不是“是/否”字段"
     "（选项字段请写成 agency_name == \"取值\"）（正文 第1段）"),
    ("comparison on a boolean", [['{% if classified == "yes" %}'], ["{% endif %}"]],
     "condition_not_choice",
     '条件 {% if classified == "yes" %} 比较的字段 classified（涉及国家秘密）不是选项字段，'
     "只能对“是/否”字段或选项字段设置条件（正文 第1段）"),
    ("unknown choice value", [['{% if dispute == "duel" %}'], ["{% endif %}"]],
     "condition_choice_value",
     '条件 {% if dispute == "duel" %} 中的取值 duel 不是争议解决方式的可选值'
     "（可选：court、arbitration、mediation）（正文 第1段）"),
    ("expression", [["{% if onsite and classified %}"], ["{% endif %}"]], "block_syntax", None),
    ("code", [["{% if __import__('os') %}"], ["{% endif %}"]], "block_syntax", None),
    ("loop", [["{% for x in lawyers %}"]], "block_syntax", None),
    ("undeclared clause", [["{% clause bribery %}"]], "clause_undeclared",
     "模板使用的可选条款 bribery 未在字段清单的 clauses 中声明（正文 第1段）"),
]


@pytest.mark.parametrize(("case", "body", "code", "message"), BAD_TEMPLATES,
                         ids=[c[0] for c in BAD_TEMPLATES])
def test_malformed_blocks_are_refused_with_specific_messages(make_docx, manifest, case, body,
                                                             code, message):
    found = _codes_and_messages(make_docx, manifest, body)
    assert code in [c for c, _ in found], found
    if message is not None:
        assert message in [m for _, m in found]
    with pytest.raises(TemplateSyntaxError):
        render(make_docx(body), manifest, {"agency_name": "局", "dispute": "court"})


def test_blocks_cannot_cross_from_body_into_a_table(make_docx, manifest):
    data = make_docx([["{% if classified %}"]], rows=[["{% endif %}"]])
    codes = [p.code for p in check_template(data, manifest)]
    assert "block_crosses" in codes


def test_a_clause_that_contains_a_block_is_refused(manifest):
    bad = Clause("integrity", 1, "廉洁", "第一段\n{% if classified %}\n秘密\n{% endif %}")
    problems = check_clause(bad)
    assert [p.code for p in problems] == ["clause_has_block", "clause_has_block"]
    assert problems[0].message == "条款 integrity 的正文含有段落块标记 {% if classified %}，条款中只能使用占位符"  # noqa: E501


@pytest.mark.parametrize(("clause", "code", "message"), [
    (Clause("integrity", 1, "x", "向{{ bribe }}"), "clause_placeholder_unknown",
     "条款 integrity 中的占位符 {{ bribe }} 未在字段清单中定义"),
    (Clause("integrity", 1, "x", "{{ lawyers.name }}"), "clause_list_item",
     "条款 integrity 中不能使用列表项占位符 {{ lawyers.name }}"),
    (Clause("integrity", 1, "x", "  \n "), "clause_empty", "条款 integrity 的正文为空"),
    (Clause("Bad-Name", 1, "x", "文"), "clause_name", None),
    (Clause("integrity", 0, "x", "文"), "clause_version", "条款 integrity 的版本号应为正整数"),
    (Clause("integrity", 1, "x", "文\x00"), "clause_control_chars", None),
])
def test_bad_clauses_are_refused(manifest, clause, code, message):
    problems = check_clause_for(clause, manifest)
    assert code in [p.code for p in problems]
    if message:
        assert message in [p.message for p in problems]


def test_render_refuses_a_clause_the_template_does_not_offer(template, manifest):
    with pytest.raises(TemplateSyntaxError) as caught:
        render(template, manifest, {"agency_name": "局", "dispute": "court"},
               clauses=[Clause("other", 1, "其他", "文")])
    assert caught.value.problems[0].message == "条款 other 不是本模板提供的可选条款"


def test_upload_checks_offered_clauses_against_the_library(template, manifest):
    _, problems = check_upload(template, manifest, clauses={})
    assert [(p.code, p.message) for p in problems if p.severity == "error"] == [
        ("clause_not_in_library", "可选条款 integrity（廉洁从业条款）在条款库中不存在")]
    _, problems = check_upload(template, manifest,
                               clauses=[Clause("integrity", 1, "x", "{{ nothing }}")])
    assert "clause_placeholder_unknown" in [p.code for p in problems]


def test_upload_renders_the_sample_values(template):
    data = copy.deepcopy(BLOCK_MANIFEST)
    _, problems = check_upload(template, data)
    assert [(p.code, p.severity) for p in problems] == [("sample_missing", "warning")]
    data["sample"] = {"agency_name": "局", "dispute": "court", "onsite": True}
    _, problems = check_upload(template, data)
    assert [p.code for p in problems] == ["sample_render_failed"]
    assert problems[0].message == "用示例值生成合同失败：以下字段缺少取值：驻场天数"
    data["sample"] = {"agency_name": "局", "dispute": "war"}
    _, problems = check_upload(template, data)
    assert [(p.code, p.message) for p in problems] == [
        ("sample_invalid", "字段清单中的示例值有误：争议解决方式的取值不在可选范围内")]
    data["sample"] = {"agency_name": "局", "dispute": "court", "onsite": True, "onsite_days": 2}
    assert check_upload(template, data)[1] == []
