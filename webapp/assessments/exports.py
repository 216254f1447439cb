"""Excel versions of the ranking and the annual roll-up: the same rows as the pages."""

from __future__ import annotations

from flask import Response

from ..exports import Sheet, report_response
from ..messages import label
from .periods import period_label
from .reports import AnnualRow, Ranking

RANKING_NOTES = (
    "排名规则：按总分从高到低排名；总分相同者名次并列，其后名次顺延（如 1、2、2、4）。",
    "后五位：排在最后五个名次的单位；若与倒数第五名同分的单位不止一个，全部列入，故后五位可能多于五个单位。",
    "约谈问责：本季度及上一季度均列后五位的单位"
    "（跨年度亦连续计算，如 2021年第四季度与 2022年第一季度）。",
    "排名以司法局公布为准；公布前显示的名次为暂定。",
)


def _standing(row) -> tuple:
    return (row.rank, row.total, row.bottom_five, row.interview)


def ranking_sheets(view: Ranking) -> list[Sheet]:
    """The ranking sheet and the joint-meeting list (bottom five and interviews)."""
    items = list(view.criteria.items) if view.criteria else []
    state = "已公布" if view.published else "暂定"
    headers = ["名次", "单位代码", "单位名称", "类别", *[f"{i.name}（{i.max_points}分）"
                                                     for i in items],
               "总分", "后五位", "约谈问责", "记录状态"]
    rows = []
    for row in view.rows:
        rank, total, bottom, interview = _standing(row)
        rows.append([rank, row.agency.code, row.agency.name,
                     label("agency_category", row.agency.category),
                     *[row.score(i.code) for i in items], total, bottom, interview,
                     label("assessment_status", row.record.status)])
    title = f"{period_label(view.period)}法治政府建设督察考评排名（{state}）"
    meeting = [[r.rank, r.agency.name, r.total, "表态发言",
                "约谈问责" if r.interview else ""] for r in view.bottom]
    meeting_title = f"{period_label(view.period)}联席会议表态发言及约谈问责名单（{state}）"
    return [Sheet.report("排名", title, headers, rows, RANKING_NOTES),
            Sheet.report("后五位与约谈", meeting_title,
                  ["名次", "单位名称", "总分", "联席会议", "连续两次后五位"], meeting,
                  RANKING_NOTES[1:3])]


def ranking_workbook(view: Ranking) -> Response:
    """The ranking as an .xlsx download."""
    return report_response(f"督察考评排名_{view.period}", ranking_sheets(view))


def annual_workbook(year: int, rows: list[AnnualRow], published: list[str]) -> Response:
    """The annual roll-up as an .xlsx download."""
    headers = ["年度名次", "单位代码", "单位名称", "类别", "第一季度", "第二季度", "第三季度",
               "第四季度", "年度得分（季度平均）", "列后五位次数", "约谈问责次数"]
    data = [[r.rank, r.agency.code, r.agency.name, label("agency_category", r.agency.category),
             *r.quarters, r.average, r.bottom_five_times, r.interviews] for r in rows]
    notes = ("年度得分为已公布季度总分的平均值；未公布的季度不计入。",
             "已公布季度：" + ("、".join(period_label(p) for p in published) or "无"))
    return report_response(f"督察考评年度汇总_{year}", [
        Sheet.report("年度汇总", f"{year}年度法治政府建设督察考评汇总", headers, data, notes)])
