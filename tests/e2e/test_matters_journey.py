"""The browser journey of issue #13, on the shared ``govcounsel serve --demo`` server:

the clerk requests a legality review of a meeting item (due date already past) → the
daily ``govcounsel remind`` puts the overdue reminder on the advisor's bell and the
advisor's .ics feed carries the due date → the advisor accepts and answers with an
opinion → the clerk records adoption → the clerk's assessment indicators and the
advisor's figures in the annual statistics change.

Every step is a click or a form fill in Chromium; the admin API only reads ids.
"""

from __future__ import annotations

import io
import re
import subprocess
import urllib.request
from datetime import date, timedelta

from docx import Document as Docx

from tests.e2e.server import govcounsel_command
from tests.e2e.test_journeys import flash, nav

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip loudly
    expect = None

TITLE = "关于汴河东岸棚户区改造补偿方案的合法性审查"
AGENCY = "中共开封市委办公室"


def _opinion() -> bytes:
    doc = Docx()
    doc.add_heading(f"{TITLE}意见书", level=1)
    doc.add_paragraph("建议一：补充征收补偿标准的听证程序。建议二：明确安置房交付期限。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _engaged_advisor(server) -> int:
    agency = next(a for a in server.api("GET", "/api/v1/agencies")["items"]
                  if a["name"] == AGENCY)
    engagements = server.api("GET", f"/api/v1/engagements?agency_id={agency['id']}"
                                    "&status=active")["items"]
    return engagements[0]["advisor_id"]


def _indicator(page, code: str) -> str:
    return page.locator(f'[data-indicator="{code}"] td').nth(1).inner_text()


def _answered(page, server, advisor_id: int) -> int:
    page.goto(f"{server.url}/statistics/?year={date.today().year}")
    row = page.locator(f'#matters-by-advisor tr[data-key="{advisor_id}"]')
    return int(row.get_attribute("data-answered")) if row.count() else 0


def test_clerk_requests_advisor_answers_clerk_records_adoption(login, server, shot):
    advisor_id = _engaged_advisor(server)
    admin = login("admin")
    answered_before = _answered(admin, server, advisor_id)
    clerk = login("clerk")
    requested = date.today() - timedelta(days=14)
    requested_before = _indicator(clerk, "matters_requested")

    nav(clerk, "法律事务")
    clerk.get_by_role("link", name="提请法律事务").click()
    clerk.get_by_label("事务类型").select_option(label="重大行政决策合法性审查")
    clerk.get_by_label("事项名称").fill(TITLE)
    clerk.get_by_label("上会类型（如需上会）").select_option(label="常务会")
    clerk.locator("#f-advisor_ids").select_option(value=str(advisor_id))
    clerk.get_by_label("提请日期").fill(requested.isoformat())
    clerk.get_by_role("button", name="提交", exact=True).click()
    expect(flash(clerk)).to_contain_text("已提请法律事务")
    expect(clerk.locator("main h1")).to_contain_text("已逾期")
    matter_url = clerk.url
    matter_no = re.search(r"已提请法律事务 (\S+)，", flash(clerk).inner_text()).group(1)
    due = re.search(r"办理期限 (\d{4}-\d\d-\d\d)", flash(clerk).inner_text()).group(1)
    shot(clerk, "13-matter-requested")
    clerk.goto(server.url + "/")
    expect(clerk.locator("#missing")).to_contain_text(f"上会事项“{TITLE}”")

    result = subprocess.run([*govcounsel_command(), "remind"], env=server.env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr

    advisor = login("advisor")
    expect(advisor.locator("[data-bell-count]")).to_be_visible()
    advisor.locator("[data-bell]").click()
    overdue = advisor.locator('[data-notification="matter_overdue"]', has_text=matter_no)
    expect(overdue).to_contain_text("事务已逾期")
    shot(advisor, "13-overdue-reminder")
    advisor.get_by_role("button", name="生成订阅地址").click()
    feed_url = advisor.locator("[data-feed-url] code").inner_text()
    with urllib.request.urlopen(feed_url, timeout=30) as response:
        ics = response.read().decode("utf-8")
    assert f"DTSTART;VALUE=DATE:{due.replace('-', '')}" in ics and matter_no in ics

    overdue.get_by_role("button").click()
    advisor.wait_for_url(matter_url)
    advisor.get_by_role("button", name="受理", exact=True).click()
    expect(flash(advisor)).to_contain_text("已受理")
    advisor.locator("#a-file").set_input_files(files=[{
        "name": "法律意见书.docx", "buffer": _opinion(),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    advisor.get_by_label("意见建议（每行一条）").fill("补充征收补偿标准的听证程序。\n明确安置房交付期限。")
    advisor.get_by_role("button", name="提交意见").click()
    expect(flash(advisor)).to_contain_text("已出具事务")
    expect(advisor.locator("main h1")).to_contain_text("已出具意见")

    clerk.goto(matter_url)
    clerk.get_by_label("第 1 条采纳情况").select_option(label="采纳")
    clerk.get_by_label("第 2 条采纳情况").select_option(label="未采纳")
    clerk.get_by_label("第 2 条理由").fill("安置房交付期限已在补偿协议中约定。")
    clerk.get_by_role("button", name="保存采纳情况").click()
    expect(flash(clerk)).to_contain_text("已记录事务")
    expect(clerk.locator("main")).to_contain_text("安置房交付期限已在补偿协议中约定。")
    shot(clerk, "13-adoption-recorded")

    clerk.goto(server.url + "/")
    if requested >= date(date.today().year, 3 * ((date.today().month - 1) // 3) + 1, 1):
        # requested in this quarter: the quarter's indicator counts it
        assert int(_indicator(clerk, "matters_requested")) == int(requested_before) + 1
    expect(clerk.locator("#missing")).not_to_contain_text(f"上会事项“{TITLE}”")
    assert _answered(admin, server, advisor_id) == answered_before + 1
