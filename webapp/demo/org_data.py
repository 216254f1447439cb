"""Demo organisations: 62 agencies of Kaifeng in four groups, 29 firms, advisors, talent pool."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Advisor, Agency, LawFirm, TalentPoolEntry

PARTY_COMMITTEE = (
    "中共开封市委办公室", "中共开封市纪委监委机关", "中共开封市委组织部", "中共开封市委宣传部",
    "中共开封市委统战部", "中共开封市委政法委员会", "中共开封市委政策研究室",
    "中共开封市委机构编制委员会办公室", "中共开封市委网络安全和信息化委员会办公室",
    "中共开封市委巡察工作领导小组办公室", "中共开封市委老干部局", "中共开封市直属机关工作委员会",
    "中共开封市委党校",
)
GOVERNMENT_DEPT = (
    "开封市人民政府办公室", "开封市发展和改革委员会", "开封市教育局", "开封市科学技术局",
    "开封市工业和信息化局", "开封市民族宗教事务局", "开封市公安局", "开封市民政局",
    "开封市司法局", "开封市财政局", "开封市人力资源和社会保障局", "开封市自然资源和规划局",
    "开封市生态环境局", "开封市住房和城乡建设局", "开封市城市管理局", "开封市交通运输局",
    "开封市水利局", "开封市农业农村局", "开封市商务局", "开封市文化广电和旅游局",
    "开封市卫生健康委员会", "开封市退役军人事务局", "开封市应急管理局", "开封市审计局",
    "开封市人民政府国有资产监督管理委员会", "开封市市场监督管理局", "开封市体育局",
    "开封市统计局", "开封市医疗保障局", "开封市信访局", "开封市林业局",
    "开封市机关事务管理局", "开封市政务服务和大数据管理局", "开封市地方金融监督管理局",
)
COUNTY_DISTRICT = ("龙亭区人民政府", "顺河回族区人民政府", "鼓楼区人民政府",
                   "禹王台区人民政府", "祥符区人民政府", "杞县人民政府", "通许县人民政府",
                   "尉氏县人民政府", "兰考县人民政府")
STATIONED_UNIT = ("中华人民共和国开封海关", "国家税务总局开封市税务局", "开封市气象局",
                  "国家统计局开封调查队", "河南省烟草公司开封市公司", "中国人民银行开封市分行")
GROUPS = (("party_committee", "PC", PARTY_COMMITTEE), ("government_dept", "GD", GOVERNMENT_DEPT),
          ("county_district", "CD", COUNTY_DISTRICT), ("stationed_unit", "SU", STATIONED_UNIT))

FIRM_WORDS = ("大河", "汴梁", "中原", "宋都", "清明", "金明", "龙亭", "铁塔", "开元", "天波",
              "大相国", "朱仙", "兰亭", "正衡", "明德", "致公", "博雅", "公信", "弘道", "守正",
              "昭信", "秉义", "求实", "启航", "卓典", "宏远", "恒基", "国安", "崇法")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉玲鹏宇浩然晨曦志远思源嘉怡"
SPECIALTIES = ("行政法", "合同法", "公司法", "国有资产", "招商引资", "土地与规划", "劳动人事",
               "行政复议与诉讼", "政府采购与招投标", "金融与投融资", "知识产权", "环境资源")
SCHOLAR_UNITS = ("河南大学法学院", "郑州大学法学院", "河南财经政法大学", "河南大学法学院",
                 "河南省社会科学院", "中共开封市委党校", "郑州大学法学院", "河南大学法学院",
                 "河南财经政法大学")

DISTRICTS = ("龙亭区", "顺河回族区", "鼓楼区", "禹王台区", "祥符区")
STREETS = ("中山路", "自由路", "解放路", "大梁路", "宋城路", "夷山大街", "汉兴路", "金明大道")

ENGAGED_LAWYERS = 120
POOL_LAWYERS, POOL_FIRMS = 82, 16


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def _phone(rng: random.Random) -> str:
    return "13" + "".join(str(rng.randint(0, 9)) for _ in range(9))


def _address(rng: random.Random, category: str, name: str) -> str:
    """A street address in Kaifeng; a county government's lies in its own county."""
    place = name.removesuffix("人民政府") if category == "county_district" else \
        rng.choice(DISTRICTS)
    return f"开封市{place}{rng.choice(STREETS)}{rng.randint(1, 300)}号"


def _register_details(seed: int) -> None:
    """The agencies' head, address and contact person (what the contract's 甲方 uses).

    A separate generator, so the rest of the demo set stays as it was.
    """
    rng = random.Random(f"{seed}-agency-register")
    used: set[str] = set()
    agencies = db.session.execute(select(Agency).order_by(Agency.code)).scalars()
    for agency in agencies:
        agency.legal_rep, agency.contact = _name(rng, used), _name(rng, used)
        agency.address = _address(rng, agency.category, agency.name)


def load(seed: int = 2022) -> None:
    """Insert the demo organisations (flush only; the caller commits)."""
    rng = random.Random(seed)
    for category, prefix, names in GROUPS:
        for i, name in enumerate(names, start=1):
            db.session.add(Agency(code=f"{prefix}{i:02d}", name=name, category=category,
                                  is_classified_unit=name.endswith(("纪委监委机关", "公安局",
                                                                    "国家安全局")),
                                  phone=f"0371-2{rng.randint(1000000, 9999999)}",
                                  is_demo=True))
    db.session.flush()
    _register_details(seed)
    firms = [LawFirm(name=f"河南{word}律师事务所",
                     licence_no=f"3141{rng.randint(10**13, 10**14 - 1)}",
                     leader=None, address=f"开封市龙亭区{word}路{rng.randint(1, 300)}号",
                     phone=f"0371-2{rng.randint(1000000, 9999999)}", is_demo=True)
             for word in FIRM_WORDS]
    db.session.add_all(firms)
    db.session.flush()
    used: set[str] = set()
    for firm in firms:
        firm.leader = _name(rng, used)
    lawyers = []
    for i in range(ENGAGED_LAWYERS):
        lawyers.append(Advisor(
            name=_name(rng, used), kind="lawyer", firm_id=firms[i % len(firms)].id,
            licence_no=f"14102{rng.randint(2000, 2020)}{rng.randint(10**7, 10**8 - 1)}",
            title="专职律师", phone=_phone(rng), is_demo=True,
            specialties="、".join(rng.sample(SPECIALTIES, 2))))
    scholars = [Advisor(name=_name(rng, used), kind="scholar", title=f"{unit}教授",
                        specialties="、".join(rng.sample(SPECIALTIES, 2)), phone=_phone(rng),
                        is_demo=True) for unit in SCHOLAR_UNITS]
    db.session.add_all(lawyers + scholars)
    db.session.flush()
    admitted = date(2021, 3, 1)
    entries = [TalentPoolEntry(category="scholar", advisor_id=s.id, specialties=s.specialties,
                               admitted_on=admitted, is_demo=True) for s in scholars]
    entries += [TalentPoolEntry(category="firm", firm_id=f.id, admitted_on=admitted, is_demo=True)
                for f in firms[:POOL_FIRMS]]
    entries += [TalentPoolEntry(category="lawyer", advisor_id=a.id, specialties=a.specialties,
                                admitted_on=admitted, is_demo=True) for a in lawyers[:POOL_LAWYERS]]
    entries[-1].status, entries[-1].suspended_on = "suspended", date(2022, 2, 15)
    entries[-1].status_reason = "年度考核不合格，暂停一年（演示）"
    db.session.add_all(entries)


def first_engaged_advisor_id() -> int:
    """The advisor the demo ``advisor`` user is bound to."""
    return db.session.execute(select(Advisor.id).where(Advisor.kind == "lawyer")
                              .order_by(Advisor.id)).scalars().first()
