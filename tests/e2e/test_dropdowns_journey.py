"""Browser journey of issue #15, UI finding 8: long dropdowns, narrowed and searchable.

A clerk finds the agency's engaged advisors first on the upload form and filters the
list by typing; an admin sees the grouping follow the agency chosen, and choosing a
firm on the contract form narrows 指派律师 and the chief advisor to that firm.
"""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip loudly
    expect = None

AGENCY = "中共开封市委办公室"  # the demo clerk's agency, with a contract in force
ENGAGED = "本单位在聘顾问"
SHOWN = "(s) => [...s.options].filter((o) => o.value && !o.hidden).map((o) => o.value)"


def _engaged_advisor(server) -> tuple[int, int]:
    agency = next(a for a in server.api("GET", "/api/v1/agencies")["items"]
                  if a["name"] == AGENCY)
    engagements = server.api("GET", f"/api/v1/engagements?agency_id={agency['id']}"
                                    "&status=active")["items"]
    return agency["id"], engagements[0]["advisor_id"]


def test_clerk_sees_engaged_advisors_first_and_filters_by_typing(login, server):
    _, advisor_id = _engaged_advisor(server)
    clerk = login("clerk")
    clerk.goto(server.url + "/documents/upload")
    select = clerk.locator("#f-advisor_id")
    first = select.locator("option:not([value=''])").first
    assert first.evaluate("(o) => o.parentElement.label") == ENGAGED
    expect(select.locator(f"optgroup[label='{ENGAGED}'] option[value='{advisor_id}']")
           ).to_have_count(1)
    total = len(select.evaluate(SHOWN))
    name = select.locator(f"option[value='{advisor_id}']").inner_text()

    box = clerk.get_by_placeholder("输入姓名筛选")
    box.fill(name)
    shown = select.evaluate(SHOWN)
    assert str(advisor_id) in shown and len(shown) < total
    box.press("Enter")  # picks the first match, does not submit the form
    expect(select).to_have_value(str(advisor_id))
    assert clerk.url.endswith("/documents/upload")
    box.press("ArrowDown")
    expect(select).to_be_focused()
    box.fill("")
    assert len(select.evaluate(SHOWN)) == total


def test_admin_grouping_follows_the_agency_and_a_firm_narrows_the_lawyers(login, server):
    agency_id, advisor_id = _engaged_advisor(server)
    admin = login("admin")
    admin.goto(server.url + "/documents/upload")
    admin.locator("#f-agency_id").select_option(str(agency_id))
    expect(admin.locator(f"#f-advisor_id optgroup[label='{ENGAGED}'] option[value='{advisor_id}']")
           ).to_have_count(1)
    assert admin.locator("#f-advisor_id").evaluate(  # each group keeps the server's order
        "(s) => [...s.querySelectorAll('optgroup')].every((g) => [...g.children].every("
        "(o, i, all) => i === 0 || Number(all[i - 1].dataset.order) < Number(o.dataset.order)))")

    admin.goto(server.url + "/engagements/new?kind=standard")
    lawyers = admin.locator("#f-lawyer_ids")
    everyone = lawyers.evaluate(SHOWN)
    firms = lawyers.evaluate("(s) => [...new Set([...s.options].map((o) => o.dataset.firm))]")
    assert len(firms) >= 2, firms
    others = ("(s) => [...s.options].filter((o) => o.value && o.dataset.kind !== 'lawyer'"
              " && !o.hidden).length")
    not_lawyers = admin.locator("#f-advisor_id").evaluate(others)
    for firm in firms[:2]:
        admin.locator("#f-firm_id").select_option(firm)
        shown = lawyers.evaluate(SHOWN)
        assert shown and len(shown) < len(everyone)
        assert lawyers.evaluate(
            "(s, f) => [...s.options].filter((o) => !o.hidden).every((o) => o.dataset.firm === f)",
            firm)
        assert lawyers.evaluate("(s) => [...s.selectedOptions].every((o) => !o.hidden)")
        chief = admin.locator("#f-advisor_id").evaluate(
            "(s) => [...s.options].filter((o) => o.value && !o.hidden)"
            ".map((o) => [o.dataset.kind, o.dataset.firm || ''])")
        assert all(firm_id == firm for kind, firm_id in chief if kind == "lawyer")
        assert admin.locator("#f-advisor_id").evaluate(others) == not_lawyers  # scholars stay
        lawyers.select_option(shown[0])
        assert lawyers.evaluate("(s) => s.selectedOptions.length") == 1
    admin.locator("#f-firm_id").select_option("")
    assert len(lawyers.evaluate(SHOWN)) == len(everyone)


def test_typing_in_a_filter_box_never_changes_what_is_chosen(login, server):
    """Probe finding: typing in the 单位 filter switched the upload's agency to the first
    (hidden) option, and typing in 指派律师's filter dropped the lawyers already chosen."""
    agency_id, _ = _engaged_advisor(server)
    admin = login("admin")
    admin.goto(server.url + "/documents/upload")
    agency = admin.locator("#f-agency_id")
    agency.select_option(str(agency_id))
    box = admin.locator("input.gc-picker-filter[aria-controls='f-agency_id']")
    box.fill("这个名称不存在")
    expect(agency).to_have_value(str(agency_id))
    assert agency.evaluate("(s) => !s.selectedOptions[0].hidden")  # the choice stays in sight
    box.fill("")
    expect(agency).to_have_value(str(agency_id))

    admin.goto(server.url + "/engagements/new?kind=standard")
    lawyers = admin.locator("#f-lawyer_ids")
    firm = lawyers.evaluate("(s) => [...s.options].find((o) => o.dataset.firm).dataset.firm")
    admin.locator("#f-firm_id").select_option(firm)
    chosen = lawyers.evaluate(SHOWN)[:2]
    assert len(chosen) == 2
    lawyers.select_option(chosen)
    box = admin.locator("input.gc-picker-filter[aria-controls='f-lawyer_ids']")
    box.fill("这个名字不存在")
    assert sorted(lawyers.evaluate(SHOWN)) == sorted(chosen)  # only the chosen stay shown
    box.fill("")
    assert sorted(lawyers.evaluate("(s) => [...s.selectedOptions].map((o) => o.value)")) \
        == sorted(chosen)
    chief = admin.locator("#f-advisor_id")
    pick = chief.evaluate("(s) => [...s.options].find((o) => o.value && !o.hidden).value")
    chief.select_option(pick)
    chief_box = admin.locator("input.gc-picker-filter[aria-controls='f-advisor_id']")
    chief_box.fill("这个名字不存在")
    chief_box.fill("")
    expect(chief).to_have_value(pick)
