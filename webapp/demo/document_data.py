"""Demo documents: legal opinions, legality reviews, risk assessments and review reports.

Real .docx files made with python-docx from phrase banks (no external corpus), spread
over four quarters (2021Q3–2022Q2) and all 62 agencies, registered through the same
service as an upload, so they are stored, audited and indexed like real ones.
"""

from __future__ import annotations

import functools
import io
import random
from datetime import date, timedelta

from docx import Document as Docx
from docx.oxml.ns import qn
from docx.shared import Pt
from sqlalchemy import select

from ..documents.schemas import DocumentMeta
from ..extensions import db
from ..models import Advisor, Agency, User
from ..transaction import unit_of_work

SUBJECTS = {
    "major_investment": ("{place}新能源产业园建设项目", "{place}城市更新片区综合开发项目",
                         "{place}智慧交通一期工程投资项目"),
    "investment_promotion": ("引进{company}汽车零部件生产基地项目",
                             "{company}文旅综合体招商引资协议",
                             "与{company}签订的战略合作框架协议"),
    "state_asset_disposal": ("{company}国有股权转让", "市属国有企业闲置厂房处置",
                             "{place}国有建设用地使用权收回"),
    "soe_listing": ("市投资集团子公司股份制改造及上市", "{company}引入战略投资者并申报上市"),
    "major_dispute": ("{place}征收补偿纠纷", "与{company}建设工程施工合同纠纷",
                      "郑汴同城南水北调配套工程补偿争议"),
    "bidding": ("{place}老旧小区改造工程招标文件", "政府购买物业服务项目招投标",
                "{place}污水处理厂特许经营项目招标"),
}
PLACES = ("龙亭区", "顺河回族区", "鼓楼区", "禹王台区", "祥符区", "杞县", "通许县", "尉氏县",
          "兰考县", "汴西新区", "开港经济带")
COMPANIES = ("汴京控股有限公司", "中原建工集团", "宋都文旅发展有限公司", "大河新材料股份有限公司",
             "开封城建投资集团", "清明上河园文化公司")
ANALYSIS = (
    "依据《中华人民共和国民法典》合同编的相关规定，该协议的主体适格，意思表示真实，内容不违反法律、"
    "行政法规的强制性规定。",
    "根据《重大行政决策程序暂行条例》，该事项属于重大行政决策，应当履行公众参与、专家论证、风险评估、"
    "合法性审查和集体讨论决定等法定程序。",
    "《企业国有资产交易监督管理办法》规定，国有资产转让原则上应当通过产权市场公开进行，"
    "转让价格不得低于经核准或者备案的评估结果。",
    "按照《中华人民共和国招标投标法》及其实施条例，依法必须招标的项目不得化整为零规避招标，"
    "招标文件不得设定与项目无关的资格条件。",
    "依照《规章制度备案审查办法》和本省规范性文件管理规定，规范性文件不得设定行政许可、行政处罚、"
    "行政强制等事项，不得减损公民、法人和其他组织的合法权益。",
    "该项目涉及土地征收和房屋拆迁，应当严格执行《国有土地上房屋征收与补偿条例》，"
    "依法开展社会稳定风险评估，防范群体性事件。",
)
RECOMMENDATIONS = (
    "建议在协议中明确违约责任的计算方式和上限，避免约定不明引发争议。",
    "建议补充履约担保条款，要求相对方提供银行保函或者其他有效担保。",
    "建议对投资主体的资信状况和履约能力开展尽职调查，并留存书面材料。",
    "建议将该事项提交党委（党组）会议集体讨论决定，并将合法性审查意见作为会议材料。",
    "建议删除招标文件中限制潜在投标人的地域性条款。",
    "建议细化税收优惠和奖补政策的兑现条件，确保符合国家关于招商引资政策的规定。",
    "建议对评估报告履行核准或者备案程序后再行挂牌转让。",
    "建议在规范性文件印发前报请司法局进行备案审查。",
    "建议明确争议解决方式为向甲方所在地人民法院起诉。",
    "建议建立项目实施过程中的法律风险跟踪机制，定期报告风险变化情况。",
)
TYPES = (("legal_opinion", "法律意见书", "major_decision"),
         ("legality_review", "合法性审查意见", "normative_document"),
         ("risk_assessment", "风险评估报告", "major_decision"),
         ("review_report", "合同审查报告", "contract_review"))
MEETINGS = ("standing_committee", "executive_meeting", "party_group", "office_meeting",
            "leading_group")
QUARTER_STARTS = (date(2021, 7, 1), date(2021, 10, 1), date(2022, 1, 1), date(2022, 4, 1))


def _docx(title: str, paragraphs: list[str]) -> bytes:
    doc = Docx(io.BytesIO(_base()))
    doc.add_heading(title, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@functools.cache
def _base() -> bytes:
    """An empty document with the official body font, made once."""
    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "仿宋_GB2312", Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _content(rng: random.Random, agency: Agency, subject: str, kind: str,
             advisor: Advisor, recs: list[str]) -> list[str]:
    lines = [f"{agency.name}：",
             f"受贵单位委托，我们就“{subject}”有关法律问题出具本{kind}。",
             "一、基本情况",
             f"{agency.name}拟推进{subject}。我们审阅了贵单位提供的方案、协议文本及相关会议纪要。",
             "二、法律分析"]
    lines += rng.sample(ANALYSIS, 3)
    lines.append("三、意见建议")
    lines += [f"{i}. {r}" for i, r in enumerate(recs, start=1)]
    lines.append(f"法律顾问：{advisor.name}")
    return lines


def load_documents(app, seed: int = 2022, per_quarter: int = 1) -> int:
    """Register demo documents for every agency and quarter, each in its own unit of
    work; returns how many."""
    from ..documents.services import create_document

    rng = random.Random(seed)
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    agencies = db.session.execute(select(Agency).order_by(Agency.id)).scalars().all()
    lawyers = db.session.execute(select(Advisor).where(Advisor.kind == "lawyer")
                                 .order_by(Advisor.id)).scalars().all()
    count = 0
    for q_start in QUARTER_STARTS:
        for agency in agencies:
            for _ in range(rng.randint(0, per_quarter * 2)):
                count += _one(rng, create_document, admin, agency, lawyers, q_start)
    return count


def _one(rng, create_document, admin, agency, lawyers, q_start) -> int:
    area = rng.choice(tuple(SUBJECTS))
    subject = rng.choice(SUBJECTS[area]).format(place=rng.choice(PLACES),
                                                company=rng.choice(COMPANIES))
    doc_type, kind, service = rng.choice(TYPES)
    advisor = lawyers[agency.id % len(lawyers)]
    recs = rng.sample(RECOMMENDATIONS, rng.randint(2, 5))
    title = f"关于{subject}的{kind}"
    issued = q_start + timedelta(days=rng.randint(0, 85))
    body = _docx(title, _content(rng, agency, subject, kind, advisor, recs))
    meta = DocumentMeta(agency_id=agency.id, doc_type=doc_type, title=title,
                        advisor_id=advisor.id, issued_on=issued, service_type=service,
                        matter_area=area, recommendations=len(recs),
                        meeting_type=rng.choice(MEETINGS) if rng.random() < 0.6 else None,
                        classified=rng.random() < 0.08)
    with unit_of_work():
        create_document(admin, meta, io.BytesIO(body), f"{title}.docx", is_demo=True)
    return 1
