"""Build the standard template 《党政机关法律顾问聘任合同（通用样本）》 as a .docx.

Run ``python -m contract_templates.build_standard`` to regenerate every version
under ``contract_templates/standard/`` (``--version v1`` for one); the output is
byte-for-byte reproducible, and a test checks the committed files against it.
The placeholders it writes are listed in each version's ``manifest.json``
(syntax: see :mod:`contract_templates.placeholders`).

v1 is the sample as first shipped. v2 (UI review, issue 15 finding 6): no
（通用样本） subtitle in a generated contract; punctuation that ends a justified
line is no longer lost in LibreOffice (``simple_punctuation``); its manifest
lists the chief advisor first in the team table (``first_match``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build_common import add_items, finish, new_document

STANDARD_DIR = Path(__file__).parent / "standard"
VERSIONS = ("v1", "v2")
TITLE_TEXT = "党政机关法律顾问聘任合同"
LAWYERS_HEADER = ("序号", "姓名", "执业证号")
LAWYERS_ROW = ("{{ lawyers.index }}", "{{ lawyers.name }}", "{{ lawyers.licence_no }}")
LAWYERS_WIDTHS = (22, 50, 84)

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


def _clause_items() -> list[tuple]:
    items: list[tuple] = []
    for heading, entries in CLAUSES:
        items.append(("h1", heading))
        for entry in entries:
            if entry == LAWYERS_TABLE:
                items.append(("table", LAWYERS_HEADER, [LAWYERS_ROW], LAWYERS_WIDTHS))
            elif isinstance(entry, tuple):
                items.append(("h2", entry[0]))
                items.extend(("body", content) for content in entry[1])
            else:
                items.append(("body", entry))
    return items


def build(version: str = VERSIONS[-1]) -> bytes:
    """The standard template's ``version`` as .docx bytes (identical on every run)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown version {version!r}")
    first = version == "v1"
    document = new_document(simple_punctuation=not first)
    head = [("title", TITLE_TEXT)] + ([("subtitle", "（通用样本）")] if first else [])
    add_items(document, [*head, ("right", "合同编号：{{ contract_no }}"), ("plain", ""),
                         *(("plain", line) for line in PARTIES), ("body", PREAMBLE),
                         *_clause_items(), ("signatures", SIGNATURES)])
    return finish(document, title="党政机关法律顾问聘任合同（通用样本）",
                  comments=f"template=standard; version={version}")


def main(argv: list[str] | None = None) -> int:
    """Write the template (default: the committed v1 location)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", choices=VERSIONS, action="append")
    parser.add_argument("--root", type=Path, default=STANDARD_DIR)
    args = parser.parse_args(argv)
    for version in args.version or VERSIONS:
        out = args.root / version / "template.docx"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(build(version))
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
