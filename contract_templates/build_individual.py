"""Build the 法学专家个人顾问 template: one scholar or lawyer engaged in person, no firm.

Run ``python -m contract_templates.build_individual`` to regenerate
``contract_templates/individual/v1/template.docx`` (byte-for-byte reproducible;
a test checks the committed file). Blocks: the licence line and the lawyer's
duty to inform the firm only for a lawyer; 驻场服务 when ``onsite_service``;
stricter secrecy when ``classified``; arbitration or litigation wording; the
optional library clauses ``integrity`` and ``work_product``.
"""

from __future__ import annotations

import sys

from .build_common import AGENCY_LINES, DISPUTE_ITEMS, SIGN_DATE, build_docx, write_versions
from .kinds import get_kind

DIRECTORY = get_kind("individual").directory
TITLE = "党政机关个人法律顾问聘任合同"
LAWYER = '{% if advisor_kind == "lawyer" %}'

ITEMS: list[tuple] = [
    ("title", TITLE),
    ("right", "合同编号：{{ contract_no }}"),
    ("plain", ""),
    *AGENCY_LINES,
    ("plain", "乙方（受聘人）：{{ advisor_name }}（{{ advisor_kind }}）"),
    ("plain", "工作单位及职务（职称）：{{ advisor_employer }}"),
    ("plain", LAWYER),
    ("plain", "律师执业证号：{{ advisor_licence_no }}"),
    ("plain", "{% endif %}"),
    ("plain", "联系电话：{{ advisor_phone }}"),
    ("plain", ""),
    ("body", "为充分发挥法学专家和律师在依法决策、依法行政中的参谋助手作用，根据《中华人民共和国"
             "民法典》和《关于推行法律顾问制度和公职律师公司律师制度的意见》等有关规定，甲方聘请"
             "乙方以个人身份担任法律顾问。双方经协商一致，订立本合同。"),
    ("h1", "一、受聘事项"),
    ("body", "甲方聘请乙方担任{{ agency_name }}法律顾问。乙方以个人名义提供法律服务，亲自履行本合同"
             "义务，不得将本合同项下的工作转委托他人。"),
    ("body", LAWYER),
    ("body", "乙方系执业律师，应当将受聘情况书面告知所在律师事务所，并遵守律师执业规范；本合同不"
             "构成甲方与该律师事务所之间的委托关系。"),
    ("body", "{% endif %}"),
    ("h1", "二、服务范围"),
    ("body", "乙方为甲方提供下列法律服务："),
    ("body", "（{{ services.index_cn }}）{{ services.text }}"),
    ("body", "甲方委托的其他法律事务，由双方另行协商确定。"),
    ("h1", "三、服务期限"),
    ("body", "本合同服务期限自{{ start_date }}起至{{ end_date }}止。期满前三十日内，双方可以协商续聘"
             "事宜；续聘的，应当重新签订聘任合同并报司法行政机关备案。"),
    ("h1", "四、顾问费用"),
    ("body", "（一）法律顾问费为每年{{ annual_fee }}（大写：{{ annual_fee | money_upper }}），"
             "{{ payment_schedule }}，支付至乙方指定的本人银行账户。甲方依法代扣代缴个人所得税。"),
    ("body", "（二）乙方因办理甲方法律事务发生的异地差旅费等必要费用，经甲方书面同意后由甲方承担。"),
    ("h1", "五、工作方式"),
    ("body", "（一）乙方通过列席会议、审查文件、出具书面意见、电话或者网络咨询等方式提供服务。对一般"
             "法律咨询，乙方应当在{{ response_hours }}小时内答复；需要出具书面意见的，应当自收到"
             "完整材料之日起七个工作日内出具。"),
    ("body", "{% if onsite_service %}"),
    ("body", "（二）驻场服务：乙方每月到甲方现场办公不少于{{ onsite_days | cn_number }}日，甲方为乙方"
             "提供必要的办公条件。"),
    ("body", "{% endif %}"),
    ("body", "{% clause work_product %}"),
    ("h1", "六、保密与利益冲突回避"),
    ("body", "（一）乙方对在服务过程中知悉的国家秘密、工作秘密、商业秘密和个人隐私负有保密义务，未经"
             "甲方书面同意不得披露。保密义务不因本合同终止而解除。"),
    ("body", "（二）乙方不得接受其他当事人委托，办理与甲方有利益冲突的法律事务。"),
    ("body", "{% if classified %}"),
    ("body", "（三）乙方接触涉密事项前，应当签订保密承诺书；涉密材料只能在甲方指定的场所查阅，"
             "不得复制、摘抄或者带离，不得使用非涉密计算机和网络处理涉密信息。"),
    ("body", "{% endif %}"),
    ("body", "{% clause integrity %}"),
    ("h1", "七、合同的变更与解除"),
    ("body", "（一）本合同的变更，应当经双方协商一致并签订书面补充协议。"),
    ("body", "（二）乙方违反保密或者利益冲突回避义务，或者因健康等原因不能履行职责的，甲方可以解除"
             "本合同，顾问费用按实际服务期限结算。"),
    ("h1", "八、争议解决"),
    *DISPUTE_ITEMS,
    ("h1", "九、其他约定"),
    ("body", "（一）本合同自甲方法定代表人（负责人）或者授权代表签字并加盖公章、乙方签字之日起生效。"),
    ("body", "（二）本合同一式{{ copies | cn_number }}份，甲乙双方各执一份，甲方报送司法行政机关备案"
             "一份，其余由甲方留存，各份具有同等法律效力。"),
    ("body", "（三）本合同签订地点：{{ signed_place }}。"),
    ("signatures", [("甲方（盖章）：{{ agency_name }}", "乙方（签字）：{{ advisor_name }}"),
                    ("法定代表人（负责人）", ""),
                    ("或授权代表（签字）：", ""),
                    (SIGN_DATE, SIGN_DATE)]),
]


def build() -> bytes:
    """The individual advisor template, v1, as .docx bytes."""
    return build_docx(ITEMS, title=TITLE, comments="template=individual; version=v1")


def main(argv: list[str] | None = None) -> int:
    """Write the template (default: the committed location)."""
    return write_versions(DIRECTORY, {"v1": build}, argv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
