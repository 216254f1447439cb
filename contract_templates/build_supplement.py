"""Build the 补充协议 template: changes to a signed engagement (fee, term, lawyers).

Run ``python -m contract_templates.build_supplement`` to regenerate
``contract_templates/supplement/v1/template.docx`` (byte-for-byte reproducible;
a test checks the committed file). The agreement names its base contract by
number and signing date (``base_contract_no``, ``base_signed_on``; see
:attr:`contract_templates.kinds.Kind.base_fields`). Each change is a block on a
boolean field (``change_fee``, ``extend_term``, ``change_lawyers``; at least one,
a manifest rule); lawyers are added or replaced by a choice (``lawyer_change_mode``),
and the table of new lawyers sits inside the block.
"""

from __future__ import annotations

import sys

from .build_common import SIGN_DATE, build_docx, write_versions
from .kinds import get_kind

DIRECTORY = get_kind("supplement").directory
TITLE = "法律顾问聘任合同补充协议"

ITEMS: list[tuple] = [
    ("title", TITLE),
    ("right", "协议编号：{{ contract_no }}"),
    ("plain", ""),
    ("plain", "甲方（聘任单位）：{{ agency_name }}"),
    ("plain", "法定代表人（负责人）：{{ agency_legal_rep }}"),
    ("plain", "乙方（受聘方）：{{ party_name }}"),
    ("plain", ""),
    ("body", "甲乙双方于{{ base_signed_on }}签订《{{ base_title }}》（合同编号：{{ base_contract_no }}，"
             "以下简称原合同），原合同服务期限自{{ base_start_date }}起至{{ base_end_date }}止。"
             "经双方协商一致，依照原合同关于合同变更的约定，订立本补充协议。"),
    ("h1", "一、变更内容"),
    ("body", "{% if change_fee %}"),
    ("body", "顾问费用：自{{ effective_date }}起，原合同约定的年度顾问费由{{ old_annual_fee }}调整为"
             "{{ new_annual_fee }}（大写：{{ new_annual_fee | money_upper }}）。调整前已提供服务的"
             "费用，按原合同约定结算。"),
    ("body", "{% endif %}"),
    ("body", "{% if extend_term %}"),
    ("body", "服务期限：原合同服务期限延长至{{ new_end_date }}止。延长期间的服务范围、工作要求和"
             "费用标准，除本补充协议另有约定外，按原合同执行。"),
    ("body", "{% endif %}"),
    ("body", "{% if change_lawyers %}"),
    ("body", '{% if lawyer_change_mode == "replace" %}'),
    ("body", "指派律师：自{{ effective_date }}起，乙方不再指派{{ removed_lawyer_names }}为甲方提供"
             "服务，改派下列律师："),
    ("body", "{% else %}"),
    ("body", "指派律师：自{{ effective_date }}起，乙方增派下列律师加入法律顾问团队："),
    ("body", "{% endif %}"),
    ("table", ("序号", "姓名", "执业证号"),
     [("{{ added_lawyers.index }}", "{{ added_lawyers.name }}", "{{ added_lawyers.licence_no }}")],
     (22, 50, 84)),
    ("body", "改派或者增派的律师应当具有同等以上的执业经验和专业能力。"),
    ("body", "{% endif %}"),
    ("h1", "二、其他约定"),
    ("body", "（一）本补充协议是原合同的组成部分，与原合同具有同等法律效力。本补充协议未约定的事项，"
             "按原合同执行；本补充协议与原合同约定不一致的，以本补充协议为准。"),
    ("body", "（二）本补充协议自双方签字盖章之日起生效，变更内容自{{ effective_date }}起执行，并按"
             "原合同的备案程序报司法行政机关备案。"),
    ("body", "（三）本补充协议一式{{ copies | cn_number }}份，甲乙双方各执一份，甲方报送司法行政机关"
             "备案一份，其余由甲方留存，各份具有同等法律效力。"),
    ("body", "（四）本补充协议签订地点：{{ signed_place }}。"),
    ("signatures", [("甲方（盖章）：{{ agency_name }}", "乙方（盖章或签字）：{{ party_name }}"),
                    ("法定代表人（负责人）", "负责人"),
                    ("或授权代表（签字）：", "或授权代表（签字）："),
                    (SIGN_DATE, SIGN_DATE)]),
]


def build() -> bytes:
    """The supplementary agreement template, v1, as .docx bytes."""
    return build_docx(ITEMS, title=TITLE, comments="template=supplement; version=v1")


def main(argv: list[str] | None = None) -> int:
    """Write the template (default: the committed location)."""
    return write_versions(DIRECTORY, {"v1": build}, argv, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
