"""The annual statistics as an Excel workbook: one sheet per table, same numbers as the page."""

from __future__ import annotations

from flask import Response

from ..exports import Sheet, report_response
from ..messages import label
from .services import YearStatistics

MONTHS = [f"{m}月" for m in range(1, 13)]


def statistics_sheets(stats: YearStatistics) -> list[Sheet]:
    """Overview, by service type, by document type, by agency group, by advisor, by month."""
    y = stats.year
    note = (stats.headline,)
    return [
        Sheet.report("按服务类型", f"{y}年法律顾问服务情况（按服务类型）", ["服务类型", "件数"],
              [*([label("service_type", k), v] for k, v in stats.by_service_type.items()),
               ["合计", stats.services_total]], note),
        Sheet.report("按文书类型", f"{y}年登记文书及意见建议（按文书类型）",
              ["文书类型", "份数", "意见建议条数"],
              [*([label("doc_type", k), d, r] for k, (d, r) in stats.by_doc_type.items()),
               ["合计", stats.documents_total, stats.recommendations_total]]),
        Sheet.report("按单位类别", f"{y}年法律顾问服务情况（按单位类别）",
              ["单位类别", "单位数", "法律服务件数", "文书份数", "意见建议条数"],
              [*([g.label, g.agencies, g.services, g.documents, g.recommendations]
                 for g in stats.groups),
               ["合计", sum(g.agencies for g in stats.groups), stats.services_total,
                stats.documents_total, stats.recommendations_total]]),
        Sheet.report("按法律顾问", f"{y}年法律顾问服务情况（按法律顾问）",
              ["法律顾问", "类别", "所属律师事务所", "法律服务件数", "文书份数", "意见建议条数"],
              ([a.name, a.kind, a.firm, a.services, a.documents, a.recommendations]
               for a in stats.advisors)),
        Sheet.report("按月份", f"{y}年法律服务件数（按月份）", ["月份", "法律服务件数"],
              [[m, n] for m, n in zip(MONTHS, stats.by_month, strict=True)]),
        Sheet.report("重点领域与会议", f"{y}年重点领域及上会事项文书",
              ["分类", "项目", "文书份数"],
              [*(["重点领域", label("matter_area", k), v] for k, v in stats.by_matter_area.items()),
               *(["会议类型", label("meeting_type", k), v]
                 for k, v in stats.by_meeting_type.items())]),
    ]


def statistics_workbook(stats: YearStatistics) -> Response:
    """The workbook as a download."""
    from .matters import matter_sheets, matter_statistics

    sheets = statistics_sheets(stats) + matter_sheets(matter_statistics(stats.year))
    return report_response(f"法律顾问工作统计_{stats.year}", sheets)
