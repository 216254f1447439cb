"""Template kinds: the registry, the committed builders, and each kind's manifest and
sample (rules included); issue 15 finding 6 on the standard template (v2)."""

import importlib

import pytest

from contract_templates import check_template, latest_version, parse_manifest, render
from contract_templates.errors import InvalidValuesError, ManifestError
from contract_templates.kinds import get_kind, kind_codes, list_kinds
from contract_templates.registry import check_upload, latest_shipped, shipped_versions
from contract_templates.values import validate_values

KINDS = ["standard", "individual", "special", "supplement"]


def test_registry_lists_every_kind_with_its_chinese_label_and_versions():
    assert [(k.code, k.label) for k in list_kinds()] == [
        ("standard", "常年法律顾问"), ("individual", "法学专家个人顾问"),
        ("special", "专项法律服务"), ("supplement", "补充协议")]
    assert {code: shipped_versions(code) for code in kind_codes()} == {
        "standard": ["v1", "v2"], "individual": ["v1"], "special": ["v1"], "supplement": ["v1"]}


@pytest.mark.parametrize("kind", KINDS)
def test_each_shipped_version_says_its_kind_and_passes_the_upload_check(kind):
    version = latest_shipped(kind)
    assert version.kind == kind and version.manifest.sample is not None
    _, problems = check_upload(version.docx_bytes, version.manifest)
    assert problems == []


@pytest.mark.parametrize(("kind", "module"), [("individual", "build_individual"),
                                              ("special", "build_special"),
                                              ("supplement", "build_supplement")])
def test_committed_template_is_what_its_builder_makes(kind, module):
    builder = importlib.import_module(f"contract_templates.{module}")
    assert builder.build() == latest_shipped(kind).docx_bytes, f"run: python -m {builder.__name__}"


def test_a_manifest_of_an_unknown_kind_is_refused():
    data = latest_shipped("special").manifest.to_dict() | {"kind": "loan"}
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    assert "未知的合同类型 loan" in caught.value.message


def test_a_manifest_lacking_its_kinds_fields_is_refused():
    version = latest_shipped("supplement")
    data = version.manifest.to_dict()
    data["fields"] = [f for f in data["fields"] if f["name"] != "base_signed_on"]
    data["rules"] = [r for r in data["rules"] if "base_signed_on" not in r.values()]
    data.pop("sample")
    problems = check_template(version.docx_bytes, parse_manifest(data))
    messages = [p.message for p in problems if p.code == "kind_field_missing"]
    assert messages == ["补充协议模板的字段清单缺少字段 base_signed_on（类型应为 date）"]


def test_supplement_refers_to_the_base_contract(read_docx):
    version = latest_shipped("supplement")
    assert get_kind("supplement").base_fields == ("base_contract_no", "base_signed_on")
    text = "".join(p.text for p in read_docx(
        render(version.docx_bytes, version.manifest, version.manifest.sample)).paragraphs)
    assert "2022年3月25日签订《党政机关法律顾问聘任合同》（合同编号：汴法顾〔2022〕第015号" in text
    assert "由¥68,000.00调整为¥80,000.00（大写：人民币捌万元整）" in text
    assert "延长至2023年9月30日止" in text and "不再指派钱军" in text


def _sample(kind, **changes):
    version = latest_shipped(kind)
    values = dict(version.manifest.sample)
    values.update(changes)
    return version, {k: v for k, v in values.items() if v is not None}


@pytest.mark.parametrize(("kind", "changes", "errors"), [
    ("supplement", {"change_fee": False, "extend_term": False, "change_lawyers": False},
     {"change_fee": "请至少选择一项变更：变更顾问费用、延长服务期限或增派、改派律师"}),
    ("supplement", {"new_annual_fee": None}, {"new_annual_fee": "已选择“变更顾问费用”，请填写变更后年度顾问费"}),  # noqa: E501
    ("supplement", {"removed_lawyer_names": None},
     {"removed_lawyer_names": "已选择“律师变更方式：改派律师”，请填写不再指派的律师"}),
    ("supplement", {"new_end_date": "2023-01-01"},
     {"new_end_date": "延长后的结束日期必须晚于原合同服务期限结束日期"}),
    ("special", {"fee_mode": "per_item"}, {"unit_fee": "已选择“计费方式：按件计费”，请填写每件服务费",  # noqa: E501
                                          "estimated_units": "已选择“计费方式：按件计费”，请填写预计件数",  # noqa: E501
                                          "fee_cap": "已选择“计费方式：按件计费”，请填写服务费上限"}),  # noqa: E501
    ("individual", {"advisor_kind": "lawyer"},
     {"advisor_licence_no": "已选择“受聘人身份：律师”，请填写律师执业证号"}),
    ("individual", {"onsite_service": "maybe"}, {"onsite_service": "驻场服务应为“是”或“否”"}),
])
def test_manifest_rules_give_field_messages(kind, changes, errors):
    version, values = _sample(kind, **changes)
    assert validate_values(version.manifest, values)[1] == errors
    with pytest.raises(InvalidValuesError):
        render(version.docx_bytes, version.manifest, values)


def test_special_per_item_fee_wording(read_docx):
    version, values = _sample("special", fee_mode="per_item", fixed_fee=None, unit_fee="800",
                              unit_name="份", estimated_units=30, fee_cap="24000",
                              provider_kind="individual", provider_leader=None)
    text = "".join(p.text for p in read_docx(
        render(version.docx_bytes, version.manifest, values)).paragraphs)
    assert "每份¥800.00（大写：人民币捌佰元整），预计三十份" in text
    assert "固定金额" not in text and "负责人：" not in text


def test_a_scholar_can_be_engaged_without_a_firm(read_docx):
    version = latest_shipped("individual")
    document = read_docx(render(version.docx_bytes, version.manifest, version.manifest.sample))
    text = [p.text for p in document.paragraphs]
    assert "乙方（受聘人）：陈立（法学专家）" in text
    assert not any("执业证号" in line or "律师事务所" in line for line in text)


# --- issue 15, finding 6 (UI review): the generated standard contract ----------------

def test_generated_standard_contract_has_no_sample_subtitle(values, read_docx):
    version = latest_version()
    document = read_docx(render(version.docx_bytes, version.manifest, values))
    assert not any("通用样本" in p.text for p in document.paragraphs)
    assert document.core_properties.title == "党政机关法律顾问聘任合同"


def test_team_table_lists_the_chief_advisor_first(values, read_docx):
    values["lawyers"] = list(reversed(values["lawyers"]))
    assert values["lawyers"][0]["name"] != values["advisor_name"]
    version = latest_version()
    table = read_docx(render(version.docx_bytes, version.manifest, values)).tables[0]
    assert [row.cells[1].text for row in table.rows] == ["姓名", "赵敏", "钱军"]
    assert [row.cells[0].text for row in table.rows] == ["序号", "1", "2"]
