"""Demo assessments: two criteria versions and four published quarters (2021Q3–2022Q2).

Scores go through the same services as the admin's pages (saved, finalised,
published, all audited). Hand-scored items are drawn from a fixed seed; a few
agencies score low in each quarter so that the bottom five is clear, and some are
low in two consecutive quarters, so the accountability interview appears for
2022Q1 (bottom five in 2021Q4 and 2022Q1, across the year boundary) and 2022Q2.
Computed items are scored from the demo documents, so this loader should run
after the document loader. It creates no documents itself.
"""

from __future__ import annotations

import random

from flask import Flask
from sqlalchemy import select

from ..assessments import criteria as criteria_services
from ..assessments import services
from ..extensions import db
from ..models import User

PERIODS = ("2021Q3", "2021Q4", "2022Q1", "2022Q2")
WEAK = {
    "2021Q3": ("GD31", "CD07", "PC10", "SU05", "GD22"),
    "2021Q4": ("GD17", "CD08", "PC12", "SU04", "GD26"),
    "2022Q1": ("GD17", "CD08", "GD29", "PC07", "SU06"),
    "2022Q2": ("GD29", "CD03", "PC11", "GD12", "SU02"),
}

COMMON = [
    {"code": "A1", "name": "组织领导与制度建设", "max_points": "15", "method": "manual"},
    {"code": "A2", "name": "法律顾问聘任与管理", "max_points": "15", "method": "manual"},
    {"code": "A3", "name": "重大决策合法性审查", "max_points": "10", "method": "computed",
     "indicator": "decision_review_rate", "rule": {"none": "full"}},
]
V1 = COMMON + [
    {"code": "A4", "name": "法律顾问服务开展情况", "max_points": "10", "method": "computed",
     "indicator": "services_total", "rule": {"full_at": 3}},
    {"code": "A5", "name": "意见建议质量与采纳", "max_points": "20", "method": "manual"},
    {"code": "A6", "name": "规范性文件合法性审核", "max_points": "15", "method": "manual"},
    {"code": "A7", "name": "工作创新与信息报送", "max_points": "15", "method": "manual"},
]
V2 = COMMON + [
    {"code": "A4", "name": "法律顾问服务开展情况", "max_points": "5", "method": "computed",
     "indicator": "services_total", "rule": {"full_at": 3}},
    {"code": "A5", "name": "意见建议质量与采纳", "max_points": "20", "method": "manual"},
    {"code": "A6", "name": "规范性文件合法性审核", "max_points": "15", "method": "manual"},
    {"code": "A7", "name": "工作创新与信息报送", "max_points": "15", "method": "manual"},
    {"code": "A8", "name": "重点领域法律审核", "max_points": "5", "method": "computed",
     "indicator": "key_area_documents", "rule": {"full_at": 1}},
]


def _half_points(rng: random.Random, maximum: float, low: float, high: float) -> str:
    value = round(maximum * rng.uniform(low, high) * 2) / 2
    return f"{min(maximum, value):.1f}"


def _score_quarter(rng: random.Random, period: str, admin: User) -> None:
    services.open_period(period, admin)
    weak = set(WEAK[period])
    values = {}
    criteria = criteria_services.criteria_for(period)
    for record in services.period_records(period):
        record.is_demo = True
        low, high = (0.40, 0.55) if record.agency.code in weak else (0.85, 0.98)
        values[record.id] = {item.code: _half_points(rng, float(item.max_points), low, high)
                             for item in criteria.items if item.method == "manual"}
    services.finalise_all(period, admin, values)
    services.publish(period, admin)


def load(app: Flask, seed: int = 2022) -> None:
    """Criteria v1 (from 2021Q3) and v2 (from 2022Q1), then four scored quarters (flush only)."""
    admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
    rng = random.Random(seed)
    criteria_services.create_criteria("法治政府建设工作季度督察考评标准（2021年版）", "2021Q3",
                                      [dict(r) for r in V1], admin)
    criteria_services.create_criteria("法治政府建设工作季度督察考评标准（2022年修订）", "2022Q1",
                                      [dict(r) for r in V2], admin)
    for period in PERIODS:
        _score_quarter(rng, period, admin)
    db.session.flush()


def register() -> None:
    """Add ``load`` to the demo loaders (once)."""
    from . import EXTRA_LOADERS

    if load not in EXTRA_LOADERS:
        EXTRA_LOADERS.append(load)


register()
