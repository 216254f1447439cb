"""Browser journey of #16 on the demo server: the clerk engages a legal scholar in person
(法学专家个人顾问) with an optional library clause, generates and signs the contract, adds a
supplementary agreement raising the fee and signs it, reads the terms in force on two
dates, and opens the redline of the contract against its amended terms."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.e2e.test_journeys import docx_text, flash, nav, signed_scan_pdf

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip loudly
    expect = None

TODAY = date.today()
START = TODAY - timedelta(days=30)


def _terms_on(page, day: date):
    page.get_by_label("查看某日有效的条款").fill(day.isoformat())
    page.get_by_role("button", name="查看", exact=True).click()
    return page.locator("#terms-in-force")


def test_clerk_engages_a_scholar_and_raises_the_fee_by_supplement(login, browser, shot):
    scan = signed_scan_pdf(browser)
    clerk = login("clerk")
    nav(clerk, "聘任合同")
    clerk.get_by_role("link", name="生成合同").click()
    expect(clerk.get_by_role("heading", name="请先选择合同类型")).to_be_visible()
    clerk.get_by_role("link", name="选择“法学专家个人顾问”").click()
    expect(clerk.get_by_role("heading", name="生成聘任合同：法学专家个人顾问")).to_be_visible()
    expect(clerk.locator("#f-firm_id")).to_have_count(0)  # a scholar signs in person
    scholar = clerk.locator("#f-advisor_id optgroup[label='人才库在库成员'] option",
                            has_text="法学专家").first
    name = scholar.inner_text().split("（")[0]
    clerk.locator("#f-advisor_id").select_option(scholar.get_attribute("value"))
    clerk.get_by_label("服务期限开始日期").fill(START.isoformat())
    end = START.replace(year=START.year + 1) - timedelta(days=1)
    clerk.get_by_label("服务期限结束日期").fill(end.isoformat())
    clerk.get_by_label("重大决策法律论证").check()
    clerk.get_by_label("规范性文件合法性审查").check()
    clerk.get_by_label("年度顾问费").fill("30000")
    clerk.get_by_label("廉洁从业条款").check()
    expect(clerk.get_by_label("驻场服务")).not_to_be_checked()  # a boolean is a checkbox
    shot(clerk, "16-individual-form")
    clerk.get_by_role("button", name="生成合同").click()

    expect(flash(clerk)).to_contain_text("已生成聘任合同")
    heading = clerk.locator("main h1")
    expect(heading).to_contain_text("法学专家个人顾问聘任合同")
    contract_no = re.search(r"汴法专顾〔\d{4}〕第\d{3}号", heading.inner_text()).group(0)
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="下载合同（.docx）").click()
    text = docx_text(download.value.path())
    assert contract_no in text and name in text and "¥30,000.00" in text
    assert "{{" not in text and "{%" not in text
    clerk.get_by_label("扫描件（PDF 或 .docx）").set_input_files(
        files=[{"name": "签字盖章扫描件.pdf", "mimeType": "application/pdf", "buffer": scan}])
    clerk.get_by_role("button", name="确认签订").click()
    expect(heading).to_contain_text("已签订")

    clerk.get_by_role("link", name="新增补充协议").click()
    clerk.get_by_label("变更顾问费用").check()
    clerk.get_by_label("变更后年度顾问费（元）").fill("36000")
    shot(clerk, "16-supplement-form")
    clerk.get_by_role("button", name="生成补充协议").click()
    expect(flash(clerk)).to_contain_text("已生成补充协议")
    row = clerk.locator("#supplement-list tr", has_text="顾问费变更为 ¥36,000.00")
    expect(row).to_contain_text("草稿")
    row.get_by_label("签订扫描件").set_input_files(
        files=[{"name": "补充协议扫描件.pdf", "mimeType": "application/pdf", "buffer": scan}])
    row.get_by_role("button", name="上传扫描件并签订").click()
    expect(flash(clerk)).to_contain_text("已签订，变更自生效日期起适用")

    expect(_terms_on(clerk, TODAY - timedelta(days=1))).to_contain_text("¥30,000.00")
    terms = _terms_on(clerk, TODAY)
    expect(terms).to_contain_text("¥36,000.00")
    expect(terms).to_contain_text("补充协议 汴法顾补〔")
    shot(clerk, "16-terms-in-force")

    clerk.get_by_role("link", name="补充协议变更对照").click()
    redline = clerk.locator("#redline")
    expect(redline).to_contain_text("法律顾问费为每年¥3")  # ¥30,000.00 → ¥36,000.00
    expect(redline.locator("del").first).to_have_text("0")
    expect(redline.locator("ins").first).to_have_text("6")
    expect(redline.locator("ins", has_text="陆仟")).to_have_count(1)
    shot(clerk, "16-redline")
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="下载修订版（Word 修订模式）").click()
    assert download.value.suggested_filename.endswith(".docx")
