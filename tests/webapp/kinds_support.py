"""Helpers of the contract-kind tests (#16): a scholar in the pool and valid request bodies
for the individual and special kinds. Holds no tests."""

from __future__ import annotations

from datetime import date

from webapp.extensions import db
from webapp.models import Advisor, TalentPoolEntry


def add_scholar(name: str = "刘学明", *, in_pool: bool = True) -> Advisor:
    """A legal scholar (法学专家) with their own talent-pool entry."""
    scholar = Advisor(name=name, kind="scholar", title="河南大学法学院教授",
                      phone="13907770001")
    db.session.add(scholar)
    db.session.flush()
    if in_pool:
        db.session.add(TalentPoolEntry(category="scholar", advisor_id=scholar.id,
                                       admitted_on=date.today()))
    db.session.commit()
    return scholar


def individual_body(agency_id: int, advisor_id: int, **changes) -> dict:
    """A valid body for a 法学专家个人顾问 contract (``None`` drops a key)."""
    data = {"kind": "individual", "agency_id": agency_id, "advisor_id": advisor_id,
            "start_date": "2022-04-01", "end_date": "2023-03-31", "annual_fee": "30000",
            "services": ["major_decision", "normative_document"],
            "payment_schedule": "once", "response_hours": 48,
            "dispute_resolution": "court", "copies": 4}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def special_body(agency_id: int, advisor_id: int, **changes) -> dict:
    """A valid body for a 专项法律服务 contract with a fixed fee."""
    data = {"kind": "special", "agency_id": agency_id, "advisor_id": advisor_id,
            "matter_title": "老城区棚户区改造项目合同审查", "matter_area": "major_investment",
            "matter_description": "审查老城区棚户区改造项目的投资合作协议及其附件，"
                                  "出具书面审查意见。",
            "deliverables": ["legal_opinion", "contract_draft"], "start_date": "2022-05-01",
            "delivery_date": "2022-06-30", "fee_mode": "fixed", "fixed_fee": "20000",
            "dispute_resolution": "court", "copies": 4}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
