"""The kinds of contract template (合同类型) and where their shipped versions live.

Every manifest names its kind (``"kind": "individual"``; a manifest without one
is the ``standard`` kind, as every manifest written before kinds existed). A kind
says which fields its manifests must declare (the ones the webapp reads back
into its rows), who the second party is, and a suggested numbering pattern::

    for kind in list_kinds():
        kind.code, kind.label, shipped_versions(kind.code)
    version = latest_shipped("individual")      # a TemplateVersion (see registry)

=============  ================  ==========================================================
code           label             what
=============  ================  ==========================================================
standard       常年法律顾问       the bureau's 通用样本: a law firm and its lawyers, a year's term
individual     法学专家个人顾问   one scholar or lawyer engaged in person; no firm
special        专项法律服务       one matter: a fixed or per-item fee and a delivery date
supplement     补充协议           changes a signed engagement: fee, term, lawyers
=============  ================  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

PACKAGE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Kind:
    """One kind of contract template.

    ``required_fields`` maps field name to type: a manifest of this kind must
    declare each. ``party`` is who signs as 乙方: a ``firm`` (with lawyers), an
    ``individual`` advisor, or ``either``. ``base_fields`` (supplements only)
    name the fields that refer to the base contract: its number and signing date.
    """

    code: str
    label: str
    description: str
    party: Literal["firm", "individual", "either"]
    default_pattern: str
    required_fields: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    base_fields: tuple[str, ...] = ()

    @property
    def directory(self) -> Path:
        """Where the shipped versions of this kind live (``<package>/<code>/vN``)."""
        return PACKAGE_DIR / self.code


def _fields(**types: str) -> MappingProxyType:
    return MappingProxyType(dict(types))


_COMMON = {"contract_no": "text", "agency_name": "text"}
KINDS: tuple[Kind, ...] = (
    Kind("standard", "常年法律顾问", "党政机关聘请律师事务所及其律师担任常年法律顾问（通用样本）",
         "firm", "汴法顾〔{year}〕第{seq:03d}号",
         _fields(**_COMMON, start_date="date", end_date="date", annual_fee="money",
                 services="list")),
    Kind("individual", "法学专家个人顾问", "党政机关聘请一名法学专家或律师以个人身份担任法律顾问",
         "individual", "汴法专顾〔{year}〕第{seq:03d}号",
         _fields(**_COMMON, advisor_name="text", advisor_kind="choice", start_date="date",
                 end_date="date", annual_fee="money", services="list")),
    Kind("special", "专项法律服务", "就一项法律事务委托专项法律服务，固定或按件计费，约定交付日期",
         "either", "汴法专项〔{year}〕第{seq:03d}号",
         _fields(**_COMMON, matter_title="text", start_date="date", delivery_date="date",
                 fee_mode="choice")),
    Kind("supplement", "补充协议", "对已签订的聘任合同变更顾问费用、延长服务期限、增加或更换律师",
         "either", "汴法顾补〔{year}〕第{seq:03d}号",
         _fields(**_COMMON, base_contract_no="text", base_signed_on="date",
                 effective_date="date"),
         base_fields=("base_contract_no", "base_signed_on")),
)
DEFAULT_KIND = "standard"
_BY_CODE = {kind.code: kind for kind in KINDS}


def list_kinds() -> list[Kind]:
    """Every kind, in the order a form offers them."""
    return list(KINDS)


def kind_codes() -> tuple[str, ...]:
    """The codes of every kind (``standard``, ``individual``, ``special``, ``supplement``)."""
    return tuple(_BY_CODE)


def get_kind(code: str) -> Kind:
    """The kind called ``code``; ``KeyError`` when there is none."""
    return _BY_CODE[code]
