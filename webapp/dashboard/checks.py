"""What a clerk's agency is missing this quarter, in plain Chinese."""

from __future__ import annotations

from typing import Any

from ..models import Engagement
from ..ui import date_cn


def missing_for_clerk(values: dict[str, Any], overdue: list[Engagement],
                      expiring: dict[int, list[Engagement]], unscored: list[str]) -> list[str]:
    """To-dos from this quarter's indicators, filings and contracts."""
    todo: list[str] = []
    if not values["engagement_in_force"]:
        todo.append("本季度没有全程履行的法律顾问聘任合同，将影响“聘任”类考评得分。")
    for eng in overdue:
        todo.append(f"合同 {eng.contract_no} 应于 {date_cn(eng.filing_due_on)} 前备案，"
                    "已逾期，请尽快报司法局备案。")
    for eng in expiring.get(30, []):
        todo.append(f"合同 {eng.contract_no} 将于 {date_cn(eng.end_date)} 到期，请及时办理续聘。")
    if values["documents_total"] == 0:
        todo.append("本季度尚未登记任何法律顾问文书。")
    gap = values["decision_meetings"] - values["decision_meetings_reviewed"]
    if gap > 0:
        todo.append(f"本季度有 {gap} 件上会事项没有合法性审查意见。")
    if values["key_area_documents"] == 0:
        todo.append("本季度没有重点领域（重大投资、招商引资、国资处置等）的法律顾问文书。")
    if unscored:
        todo.append(f"本季度考评记录尚有 {len(unscored)} 项待司法局评分：{'、'.join(unscored)}。")
    return todo
