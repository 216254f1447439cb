"""Build the 专项法律服务 template: one matter, a fixed or per-item fee, a delivery date.

Run ``python -m contract_templates.build_special`` to regenerate
``contract_templates/special/v1/template.docx`` (byte-for-byte reproducible; a
test checks the committed file). Blocks: the provider's leader only for a firm;
the fee article by ``fee_mode`` (固定金额 or 按件计费); stricter secrecy when
``classified``; arbitration or litigation wording; library clause ``integrity``.
"""

from __future__ import annotations

import sys

from .build_common import AGENCY_LINES, DISPUTE_ITEMS, SIGN_DATE, build_docx, write_versions
from .kinds import get_kind

DIRECTORY = get_kind("special").directory
TITLE = "党政机关专项法律服务合同"

ITEMS: list[tuple] = [
    ("title", TITLE),
    ("right", "合同编号：{{ contract_no }}"),
    ("plain", ""),
    *AGENCY_LINES,
    ("plain", "乙方（受托人）：{{ provider_name }}"),
    ("plain", '{% if provider_kind == "firm" %}'),
    ("plain", "负责人：{{ provider_leader }}"),
    ("plain", "{% endif %}"),
    ("plain", "地址：{{ provider_address }}"),
    ("plain", "联系电话：{{ provider_phone }}"),
    ("plain", ""),
    ("body", "根据《中华人民共和国民法典》《中华人民共和国律师法》等有关规定，甲方委托乙方就下列"
             "事项提供专项法律服务。双方经协商一致，订立本合同。"),
    ("h1", "一、委托事项"),
    ("body", "（一）事项名称：{{ matter_title }}（{{ matter_area | label }}）。"),
    ("body", "（二）事项概况：{{ matter_description }}"),
    ("body", "（三）乙方指派{{ handler_names }}承办本事项，未经甲方同意不得更换。"),
    ("h1", "二、工作成果"),
    ("body", "乙方应当向甲方提交下列工作成果："),
    ("body", "（{{ deliverables.index_cn }}）{{ deliverables.text }}"),
    ("body", "工作成果应当由承办人员签名；乙方为律师事务所的，并加盖乙方印章。"),
    ("h1", "三、服务期限与交付"),
    ("body", "本合同服务期限自{{ start_date }}起，乙方应当于{{ delivery_date }}前向甲方提交全部工作"
             "成果。因甲方迟延提供材料的，交付日期相应顺延。"),
    ("h1", "四、服务费用"),
    ("body", '{% if fee_mode == "fixed" %}'),
    ("body", "（一）本事项法律服务费为固定金额{{ fixed_fee }}（大写：{{ fixed_fee | money_upper }}），"
             "甲方在乙方交付全部工作成果并经验收后三十日内一次性支付。"),
    ("body", "{% else %}"),
    ("body", "（一）本事项法律服务按件计费，每{{ unit_name }}{{ unit_fee }}（大写："
             "{{ unit_fee | money_upper }}），预计{{ estimated_units | cn_number }}{{ unit_name }}，"
             "按实际完成并经甲方确认的数量结算，费用总额不超过{{ fee_cap }}（大写："
             "{{ fee_cap | money_upper }}）。"),
    ("body", "{% endif %}"),
    ("body", "（二）乙方办理本事项所需的鉴定费、公证费、异地差旅费等，经甲方书面同意后由甲方承担。"),
    ("body", "（三）服务费用纳入甲方部门预算，按照财政资金管理规定支付。"),
    ("h1", "五、验收"),
    ("body", "甲方应当自收到工作成果之日起十个工作日内确认验收或者提出书面修改意见；乙方应当在五个"
             "工作日内修改完毕。"),
    ("h1", "六、保密与利益冲突回避"),
    ("body", "（一）乙方及承办人员对在服务过程中知悉的国家秘密、工作秘密、商业秘密和个人隐私负有"
             "保密义务，保密义务不因本合同终止而解除。"),
    ("body", "（二）乙方不得接受其他当事人委托，办理与本事项有利益冲突的法律事务。"),
    ("body", "{% if classified %}"),
    ("body", "（三）本事项涉及国家秘密，承办人员应当签订保密承诺书，涉密材料只能在甲方指定的场所"
             "查阅，不得复制、摘抄或者带离。"),
    ("body", "{% endif %}"),
    ("body", "{% clause integrity %}"),
    ("h1", "七、违约责任"),
    ("body", "乙方逾期交付工作成果的，每逾期一日，按服务费用的千分之一向甲方支付违约金；甲方逾期"
             "支付服务费用的，每逾期一日，按应付未付金额的万分之五向乙方支付违约金。"),
    ("h1", "八、争议解决"),
    *DISPUTE_ITEMS,
    ("h1", "九、其他约定"),
    ("body", "（一）本合同自双方签字盖章之日起生效，至双方履行完毕之日终止。"),
    ("body", "（二）本合同一式{{ copies | cn_number }}份，甲乙双方各执一份，甲方报送司法行政机关备案"
             "一份，其余由甲方留存，各份具有同等法律效力。"),
    ("body", "（三）本合同签订地点：{{ signed_place }}。"),
    ("signatures", [("甲方（盖章）：{{ agency_name }}", "乙方（盖章或签字）：{{ provider_name }}"),
                    ("法定代表人（负责人）", "负责人"),
                    ("或授权代表（签字）：", "或授权代表（签字）："),
                    (SIGN_DATE, SIGN_DATE)]),
]


def build() -> bytes:
    """The special-service template, v1, as .docx bytes."""
    return build_docx(ITEMS, title=TITLE, comments="template=special; version=v1")


def main(argv: list[str] | None = None) -> int:
    """Write the template (default: the committed location)."""
    return write_versions(DIRECTORY, {"v1": build}, argv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
