"""Build the standard template 《党政机关法律顾问聘任合同（通用样本）》 as a .docx.

Run ``python -m contract_templates.build_standard`` to regenerate
``contract_templates/standard/v1/template.docx``; the output is byte-for-byte
reproducible, and a test checks the committed file against it. The placeholders
it writes are listed in ``manifest.json`` beside it (syntax: see
:mod:`contract_templates.placeholders`).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

import docx
from docx.blkcntnr import BlockItemContainer
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm
from docx.table import Table, _Cell

from . import layout
from .docx_io import save_docx
from .layout import BODY, HEADING_1, HEADING_2, PLAIN, RIGHT, SUBTITLE, TITLE

TEMPLATE_DIR = Path(__file__).parent / "standard" / "v1"
BUILT_AT = datetime(2022, 1, 1, 0, 0, 0)
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

PARTIES = [
    "甲方（聘任单位）：{{ agency_name }}",
    "法定代表人（负责人）：{{ agency_legal_rep }}",
    "地址：{{ agency_address }}",
    "联系人：{{ agency_contact }}",
    "联系电话：{{ agency_phone }}",
    "",
    "乙方（受聘单位）：{{ firm_name }}",
    "负责人：{{ firm_leader }}",
    "地址：{{ firm_address }}",
    "联系电话：{{ firm_phone }}",
    "",
]
PREAMBLE = (
    "为全面推进依法行政、建设法治政府，充分发挥法律顾问在依法决策、依法行政中的参谋助手作用，"
    "根据《中华人民共和国民法典》《中华人民共和国律师法》和中共中央办公厅、国务院办公厅"
    "《关于推行法律顾问制度和公职律师公司律师制度的意见》等有关规定，甲方聘请乙方担任常年"
    "法律顾问。双方本着平等自愿、诚实信用的原则，经协商一致，订立本合同。"
)
LAWYERS_TABLE = "LAWYERS_TABLE"

# Each clause: (level-1 heading, [paragraph or (level-2 heading, [paragraphs])]).
CLAUSES: list[tuple[str, list]] = [
    ("一、法律顾问人员", [
        "乙方指派{{ advisor_name }}担任甲方首席法律顾问，负责统筹协调本合同项下的法律服务，"
        "并指派下列律师组成法律顾问团队：",
        LAWYERS_TABLE,
        "乙方更换指派律师的，应当提前十五日书面通知甲方并征得甲方同意；更换后的律师应当具有"
        "同等以上的执业经验和专业能力。",
    ]),
    ("二、服务范围", [
        "乙方为甲方提供下列法律服务：",
        "（{{ services.index_cn }}）{{ services.text }}",
        "甲方委托的其他法律事务，由双方另行协商确定。",
    ]),
    ("三、服务期限", [
        "本合同服务期限自{{ start_date }}起至{{ end_date }}止。期满前三十日内，双方可以协商"
        "续聘事宜；续聘的，应当重新签订聘任合同并报司法行政机关备案。",
    ]),
    ("四、顾问费用及支付方式", [
        "（一）常年法律顾问费为每年{{ annual_fee }}（大写：{{ annual_fee | money_upper }}），"
        "包括本合同第二条所列日常法律服务的全部费用，由甲方在合同签订后三十日内一次性支付；"
        "服务期限不足一年的，按实际服务月数折算。",
        "（二）专项法律事务的收费：{{ special_fee_terms }}",
        "（三）乙方办理甲方法律事务所需的诉讼费、仲裁费、鉴定费、公证费及异地差旅费等，"
        "经甲方书面同意后由甲方承担。",
        "（四）顾问费用纳入甲方部门预算，按照财政资金管理规定支付。乙方收款后应当向甲方"
        "开具合法有效的发票。",
    ]),
    ("五、工作方式与响应时限", [
        "（一）法律顾问通过列席会议、审查文件、出具书面意见、电话或者网络咨询、现场办公等"
        "方式提供服务，每月到甲方现场办公不少于一次。",
        "（二）对甲方提出的一般法律咨询，乙方应当在{{ response_hours }}小时内答复；需要出具"
        "书面法律意见的，应当自收到完整材料之日起五个工作日内出具；紧急事项按照甲方要求的"
        "时限办理。",
        "（三）乙方出具的法律意见书、合法性审查意见应当由承办律师签名并加盖乙方印章。乙方"
        "应当于每季度结束后十日内向甲方书面报告法律顾问工作情况，作为季度督察考评的依据。",
    ]),
    ("六、甲方的权利和义务", [
        ("（一）甲方的权利", [
            "1.要求乙方依照本合同约定及时、勤勉、尽责地提供法律服务；",
            "2.对乙方及指派律师的工作进行监督和考评，要求乙方更换不称职的指派律师；",
            "3.乙方严重违反本合同约定的，依照本合同第九条解除合同。",
        ]),
        ("（二）甲方的义务", [
            "1.如实提供与法律事务有关的情况和材料，并对其真实性负责；",
            "2.为乙方开展工作提供必要的办公条件和便利；",
            "3.按照本合同约定按时足额支付顾问费用。",
        ]),
    ]),
    ("七、乙方的权利和义务", [
        ("（一）乙方的权利", [
            "1.查阅与法律事务有关的文件和资料，了解相关情况；",
            "2.根据工作需要列席甲方有关会议；",
            "3.依照本合同约定收取顾问费用。",
        ]),
        ("（二）乙方的义务", [
            "1.依据事实和法律独立、客观地提出法律意见，不得迎合甲方违法要求；",
            "2.不得利用法律顾问身份谋取不正当利益，不得以甲方法律顾问名义招揽或者办理与甲方"
            "无关的业务；",
            "3.建立法律顾问工作台账，完整记录服务事项、意见建议条数及采纳情况，服务期满后移交"
            "甲方存档。",
        ]),
    ]),
    ("八、保密与利益冲突回避", [
        "（一）乙方及指派律师对在服务过程中知悉的国家秘密、工作秘密、商业秘密和个人隐私负有"
        "保密义务，未经甲方书面同意，不得向任何第三方披露。保密义务不因本合同终止而解除。",
        "（二）乙方及指派律师不得接受其他当事人委托，办理与甲方有利益冲突的法律事务；发现"
        "存在利益冲突的，应当立即书面告知甲方并主动回避。",
        "（三）涉及国家秘密的法律事务，乙方应当遵守国家保密法律法规，涉密材料的交接、保管"
        "和销毁按照甲方保密管理规定执行。",
    ]),
    ("九、合同的变更与解除", [
        "（一）本合同的变更，应当经双方协商一致并签订书面补充协议。",
        "（二）有下列情形之一的，甲方可以解除本合同：乙方或者指派律师被吊销执业证书、受到"
        "停止执业处罚的；违反保密或者利益冲突回避义务的；在季度督察考评中连续两次排名后五位"
        "且经约谈后仍未改正的；有其他严重违反本合同约定情形的。",
        "（三）因机构改革、职能调整等原因致使合同无法继续履行的，双方可以协商解除本合同，"
        "顾问费用按实际服务期限结算。",
    ]),
    ("十、违约责任", [
        "（一）任何一方违反本合同约定的，应当承担相应的违约责任；给对方造成损失的，依法承担"
        "赔偿责任。",
        "（二）乙方未按约定时限提供服务，或者出具的法律意见存在重大失误给甲方造成损失的，"
        "甲方可以相应扣减顾问费用，并要求乙方赔偿损失。",
        "（三）甲方无正当理由逾期支付顾问费用的，每逾期一日，按应付未付金额的万分之五向乙方"
        "支付违约金。",
    ]),
    ("十一、争议解决", [
        "因本合同引起的或者与本合同有关的争议，双方应当协商解决；协商不成的，"
        "{{ dispute_resolution }}。",
    ]),
    ("十二、其他约定", [
        "（一）本合同未尽事宜，双方可以签订补充协议，补充协议与本合同具有同等法律效力。",
        "（二）本合同自双方法定代表人（负责人）或者授权代表签字并加盖公章之日起生效。",
        "（三）本合同一式{{ copies | cn_number }}份，甲乙双方各执一份，甲方报送司法行政机关"
        "备案一份，其余由甲方留存，各份具有同等法律效力。",
        "（四）本合同签订地点：{{ signed_place }}。",
    ]),
]
SIGNATURES = [
    ("甲方（盖章）：{{ agency_name }}", "乙方（盖章）：{{ firm_name }}"),
    ("法定代表人（负责人）", "负责人"),
    ("或授权代表（签字）：", "或授权代表（签字）："),
    ("日期：　　　年　　月　　日", "日期：　　　年　　月　　日"),
]


def _paragraph(container: BlockItemContainer, content: str, spec: layout.StyleSpec) -> None:
    paragraph = container.add_paragraph(style=spec.name)
    if content:
        layout.add_text(paragraph, content, spec)


def _cell(cell: _Cell, content: str, spec: layout.StyleSpec) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = spec.name
    layout.add_text(paragraph, content, spec)


def _widths(table: Table, widths: tuple[Length, ...]) -> None:
    """Fix column widths (grid and cells) so Word and LibreOffice lay the table out alike."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _lawyers_table(document: Document) -> None:
    table = document.add_table(rows=2, cols=3, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = (("序号", "姓名", "执业证号"),
            ("{{ lawyers.index }}", "{{ lawyers.name }}", "{{ lawyers.licence_no }}"))
    _widths(table, (Mm(22), Mm(50), Mm(84)))
    for row, contents in zip(table.rows, rows, strict=True):
        for cell, content in zip(row.cells, contents, strict=True):
            _cell(cell, content, layout.TABLE)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _signatures(document: Document) -> None:
    _paragraph(document, "", PLAIN)
    table = document.add_table(rows=len(SIGNATURES), cols=2)
    _widths(table, (Mm(78), Mm(78)))
    for row, contents in zip(table.rows, SIGNATURES, strict=True):
        for cell, content in zip(row.cells, contents, strict=True):
            _cell(cell, content, PLAIN)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _clauses(document: Document) -> None:
    for heading, items in CLAUSES:
        _paragraph(document, heading, HEADING_1)
        for item in items:
            if item == LAWYERS_TABLE:
                _lawyers_table(document)
            elif isinstance(item, tuple):
                _paragraph(document, item[0], HEADING_2)
                for content in item[1]:
                    _paragraph(document, content, BODY)
            else:
                _paragraph(document, item, BODY)


def _drop_extras(document: Document) -> None:
    """Remove the default template's thumbnail, sample bibliography and Word 2010 styles."""
    for rels, kinds in ((document.part.package.rels, (RT.THUMBNAIL,)),
                        (document.part.rels, (RT.CUSTOM_XML, _STYLES_WITH_EFFECTS))):
        for r_id, rel in list(rels.items()):
            if rel.reltype in kinds:
                rels.pop(r_id)


def build() -> bytes:
    """The standard template as .docx bytes (identical on every run)."""
    document = docx.Document()
    _drop_extras(document)
    layout.setup_styles(document)
    section = document.sections[0]
    layout.setup_page(section)
    layout.add_page_numbers(document, section)
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    _paragraph(document, "党政机关法律顾问聘任合同", TITLE)
    _paragraph(document, "（通用样本）", SUBTITLE)
    _paragraph(document, "合同编号：{{ contract_no }}", RIGHT)
    _paragraph(document, "", PLAIN)
    for line in PARTIES:
        _paragraph(document, line, PLAIN)
    _paragraph(document, PREAMBLE, BODY)
    _clauses(document)
    _signatures(document)
    layout.prune_styles(document)
    layout.declare_fonts(document)
    props = document.core_properties
    props.title = "党政机关法律顾问聘任合同（通用样本）"
    props.author = props.last_modified_by = "市司法局"
    props.created = props.modified = BUILT_AT
    props.revision = 1
    props.comments = "template=standard; version=v1"
    return save_docx(document)


def main(argv: list[str] | None = None) -> int:
    """Write the template (default: the committed v1 location)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATE_DIR / "template.docx")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(build())
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
