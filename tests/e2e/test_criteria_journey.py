"""Browser journey of #15 (UI finding 12) on the demo server: the bureau admin makes a new
criteria version in which a hand-scored item becomes computed from the documents, choosing
its scoring rule in Chinese (the form offers only the rules that fit the indicator), puts it
in force from this quarter and reads the rule in words on the criteria page."""

from __future__ import annotations

import re

from tests.e2e.test_journeys import flash, nav

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip loudly
    expect = None


def test_admin_sets_a_computed_rule_through_the_form_and_reads_it_in_words(login, shot):
    admin = login("admin")
    nav(admin, "督察考评")
    admin.get_by_role("link", name="考评标准").click()
    admin.get_by_role("link", name="制定新版标准").click()
    expect(admin.get_by_role("heading", name="督察考评 · 制定新版考评标准")).to_be_visible()
    expect(admin.locator("main")).not_to_contain_text("full_at")
    expect(admin.locator("main")).not_to_contain_text("JSON")

    admin.get_by_label("标准名称").fill("季度督察考评标准（文书计件试行版）")
    code = admin.locator("input[name$='-code'][value='A7']")
    n = int(re.match(r"items-(\d+)-code", code.get_attribute("name")).group(1)) + 1
    admin.get_by_label(f"第{n}行评分方式").select_option(label="按数据计算")
    rule_n = admin.get_by_label(f"第{n}行计分规则中的 N")
    no_cases = admin.get_by_label(f"第{n}行无应计事项时")

    admin.get_by_label(f"第{n}行计算指标").select_option(label="上会事项合法性审查率")
    kind = admin.get_by_label(f"第{n}行计分规则", exact=True)
    expect(kind).to_have_value("ratio")  # a ratio indicator: only the ratio rule fits
    expect(rule_n).to_be_hidden()
    expect(no_cases).to_be_visible()

    admin.get_by_label(f"第{n}行计算指标").select_option(label="提交文书（合计）")
    expect(kind).to_have_value("full_at")
    expect(no_cases).to_be_hidden()
    kind.select_option(label="每件 N 分，以满分为限")
    expect(rule_n).to_be_visible()
    rule_n.fill("2")
    shot(admin, "15-criteria-rule-form")
    admin.get_by_role("button", name="保存为新版本").click()

    expect(flash(admin)).to_contain_text("已制定")
    card = admin.locator("div.card[data-version]").first
    expect(card).to_contain_text("季度督察考评标准（文书计件试行版）")
    expect(card.locator(".badge.bg-success")).to_have_text("本季度适用")
    row = card.locator("tr", has=admin.locator("td", has_text=re.compile("^A7$")))
    expect(row.locator("td[data-rule]")).to_have_text("每件 2 分，以满分为限")
    expect(card).to_contain_text("按比率计分（比率 × 满分）；无应计事项时得满分")
    expect(card).not_to_contain_text("{")
