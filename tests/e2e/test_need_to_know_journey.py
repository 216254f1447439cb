"""Issue #15, UI finding 13, in the browser: an external advisor opens 督察考评.

Reproduction (became this journey): the demo ``advisor`` (engaged by 中共开封市委办公室)
saw all 62 agencies' ranking, the bottom five and the 约谈问责 names. Now the page
shows only the agencies that engaged the advisor during the quarter, says why the
others are missing, and names no other agency in the meeting lists. The admin API is
used only to read the full ranking the advisor must not see.
"""

from __future__ import annotations

import re

from tests.e2e.test_journeys import nav

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip loudly
    expect = None

OWN_AGENCY = "中共开封市委办公室"
DEMO_PUBLISHED = ("2022Q2", "2022Q1", "2021Q4", "2021Q3")


def _quarter_with_interviews(server) -> tuple[str, list[dict]]:
    """A published demo quarter whose 约谈问责 list names agencies other than the
    advisor's (admin API)."""
    for period in DEMO_PUBLISHED:
        items = server.api("GET", f"/api/v1/assessments?period={period}")["items"]
        if any(i["accountability_interview"] and i["agency"]["name"] != OWN_AGENCY
               for i in items):
            return period, items
    raise AssertionError("the demo data has no published quarter with an interview")


def test_advisor_sees_only_their_agencies_in_the_ranking(login, server, shot):
    period, full = _quarter_with_interviews(server)
    others = [i["agency"] for i in full if i["agency"]["name"] != OWN_AGENCY]
    interviewed = [i["agency"]["name"] for i in full
                   if i["accountability_interview"] and i["agency"]["name"] != OWN_AGENCY]

    advisor = login("advisor")
    nav(advisor, "督察考评")
    quarter = advisor.get_by_label("考评季度")
    if quarter.input_value() != period:  # it may already be the default quarter
        quarter.select_option(period)  # auto-submits
        advisor.wait_for_url(re.compile(rf"period={period}"))

    rows = advisor.locator("#ranking tbody tr[data-agency]")
    shown = {row.get_attribute("data-agency") for row in rows.all()}
    assert shown <= {i["agency"]["code"] for i in full if i["agency"]["name"] == OWN_AGENCY}
    expect(advisor.locator("#need-to-know")).to_contain_text(
        f"其余 {len(full) - len(shown)} 个单位")
    main = advisor.locator("main").inner_text()
    assert not [name for name in interviewed if name in main]
    assert not [a["name"] for a in others if a["name"] in main]
    for listing in ("#bottom-five li[data-agency]", "#interviews li[data-agency]"):
        assert {li.get_attribute("data-agency")
                for li in advisor.locator(listing).all()} <= shown
    shot(advisor, "15-advisor-ranking", full_page=False)
