"""Rendering the standard contract: every value in its clause, nothing left blank."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from contract_templates import (
    InvalidValuesError,
    MissingValueError,
    render,
    standard_template_dir,
)


@pytest.fixture
def contract(standard, values, read_docx):
    return read_docx(render(standard.docx_bytes, standard.manifest, values))


def _after(document, heading: str) -> list[str]:
    """Texts of the body paragraphs under a level-1 heading."""
    texts, inside = [], False
    for paragraph in document.paragraphs:
        if paragraph.style.name == "GC Heading 1":
            inside = paragraph.text == heading
        elif inside:
            texts.append(paragraph.text)
    return texts


def test_parties_are_filled_in(contract):
    texts = [p.text for p in contract.paragraphs]
    for line in ("合同编号：汴司顾〔2022〕015号", "甲方（聘任单位）：开封市市场监督管理局",
                 "法定代表人（负责人）：王建国", "地址：开封市龙亭区中山路北段1号",
                 "联系人：李娜", "联系电话：0371-23456789", "乙方（受聘单位）：河南汴梁律师事务所",
                 "负责人：张伟", "地址：开封市鼓楼区自由路88号", "联系电话：13812345678"):
        assert line in texts


def test_lawyers_become_table_rows(contract):
    rows = [[cell.text for cell in row.cells] for row in contract.tables[0].rows]
    assert rows == [["序号", "姓名", "执业证号"], ["1", "赵敏", "14102201110123456"],
                    ["2", "钱军", "14102201510654321"]]
    assert _after(contract, "一、法律顾问人员")[0].startswith("乙方指派赵敏担任甲方首席法律顾问")


def test_selected_services_are_a_numbered_list_in_order(contract):
    clause = _after(contract, "二、服务范围")
    assert clause[0] == "乙方为甲方提供下列法律服务："
    assert [text.split("：")[0] for text in clause[1:5]] == [
        "（一）重大决策法律论证", "（二）合同合法性审查", "（三）信访法律事务", "（四）法治培训"]
    assert clause[4] == ("（四）法治培训：为甲方领导干部和工作人员开展法治讲座、学法用法培训，"
                         "每年不少于两次。")
    assert clause[5] == "甲方委托的其他法律事务，由双方另行协商确定。"
    assert not any("规范性文件" in text or "行政复议" in text for text in clause)


def test_term_fee_response_dispute_and_copies(contract):
    assert _after(contract, "三、服务期限")[0].startswith(
        "本合同服务期限自2022年4月1日起至2023年3月31日止。")
    fee = _after(contract, "四、顾问费用及支付方式")
    assert "每年¥68,000.00（大写：人民币陆万捌仟元整）" in fee[0]
    assert fee[1] == ("（二）专项法律事务的收费：代理诉讼、仲裁案件按件另行签订委托代理合同，"
                      "每件不超过人民币伍仟元。")
    assert "乙方应当在24小时内答复" in _after(contract, "五、工作方式与响应时限")[1]
    assert _after(contract, "十一、争议解决") == [
        "因本合同引起的或者与本合同有关的争议，双方应当协商解决；协商不成的，"
        "任何一方可以向甲方所在地有管辖权的人民法院提起诉讼。"]
    other = _after(contract, "十二、其他约定")
    assert "本合同一式四份，甲乙双方各执一份，甲方报送司法行政机关备案一份" in other[2]
    assert other[3] == "（四）本合同签订地点：甲方所在地。"


def test_signature_block_names_both_parties(contract):
    first_row = [cell.text for cell in contract.tables[1].rows[0].cells]
    assert first_row == ["甲方（盖章）：开封市市场监督管理局", "乙方（盖章）：河南汴梁律师事务所"]


def test_choices_and_optional_values_change_the_text(standard, values, read_docx):
    values.update(dispute_resolution="arbitration", signed_place="开封市龙亭区", copies=6,
                  annual_fee="120000.35")
    document = read_docx(render(standard.docx_bytes, standard.manifest, values))
    assert "提交甲方所在地仲裁委员会" in _after(document, "十一、争议解决")[0]
    other = _after(document, "十二、其他约定")
    assert "一式六份" in other[2] and other[3] == "（四）本合同签订地点：开封市龙亭区。"
    assert "¥120,000.35（大写：人民币壹拾贰万元叁角伍分）" in _after(
        document, "四、顾问费用及支付方式")[0]


def test_no_placeholder_or_statement_survives_anywhere(standard, values, xml_of):
    xml = xml_of(render(standard.docx_bytes, standard.manifest, values))
    assert "{{" not in xml and "}}" not in xml and "{%" not in xml


def test_rendered_text_keeps_fonts_and_sizes(contract):
    body = next(p for p in contract.paragraphs if p.text.startswith("本合同服务期限"))
    assert body.style.name == "GC Body"
    for run in body.runs:
        assert run.font.size == Pt(16)
        assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_html_comes_out_as_literal_text(standard, values, read_docx, xml_of):
    values["agency_name"] = "<script>alert('x')</script>&局"
    data = render(standard.docx_bytes, standard.manifest, values)
    texts = [p.text for p in read_docx(data).paragraphs]
    assert "甲方（聘任单位）：<script>alert('x')</script>&局" in texts
    assert "&lt;script&gt;alert('x')&lt;/script&gt;&amp;局" in xml_of(data)
    assert "<script>" not in xml_of(data)


def test_missing_values_fail_loudly_naming_every_field(standard, values):
    for name in ("agency_phone", "annual_fee", "lawyers"):
        del values[name]
    with pytest.raises(MissingValueError) as caught:
        render(standard.docx_bytes, standard.manifest, values)
    assert caught.value.fields == ["agency_phone", "lawyers", "annual_fee"]
    assert caught.value.message == "以下字段缺少取值：甲方联系电话、指派律师、年度顾问费"


def test_invalid_values_fail_with_all_messages(standard, values):
    values.update(end_date="2021-01-01", annual_fee="-5", agency_name="局\x00")
    with pytest.raises(InvalidValuesError) as caught:
        render(standard.docx_bytes, standard.manifest, values)
    assert set(caught.value.errors) == {"end_date", "annual_fee", "agency_name"}


def test_same_values_give_identical_bytes(standard, values):
    first = render(standard.docx_bytes, standard.manifest, values)
    second = render(standard.docx_bytes, standard.manifest, dict(values))
    assert first == second


def test_created_time_is_stamped_and_reproducible(standard, values, read_docx):
    moment = datetime(2022, 3, 31, 17, 30, tzinfo=timezone(timedelta(hours=8)))
    first = render(standard.docx_bytes, standard.manifest, values, created=moment)
    again = render(standard.docx_bytes, standard.manifest, values, created=moment)
    assert first == again
    props = read_docx(first).core_properties
    assert props.created == datetime(2022, 3, 31, 9, 30, tzinfo=UTC)
    assert props.modified == props.created
    assert props.comments == "template=standard; version=v1"
    later = render(standard.docx_bytes, standard.manifest, values,
                   created=moment + timedelta(days=1))
    assert later != first


def test_template_can_be_given_as_a_path(standard, values):
    path = standard_template_dir() / "v1" / "template.docx"
    assert render(path, standard.manifest, values) == render(
        standard.docx_bytes, standard.manifest, values)


def test_concurrent_renders_in_threads_agree(standard, values):
    expected = render(standard.docx_bytes, standard.manifest, values)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: render(standard.docx_bytes, standard.manifest, values),
                                range(12)))
    assert all(result == expected for result in results)
