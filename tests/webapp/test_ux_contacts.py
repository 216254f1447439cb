"""Issue #15, UI finding 13 (phones): lawyers' mobile numbers on a need-to-know basis.

Reproduction (became this test): an external advisor saw every lawyer's mobile number.
Now only admins (and auditors) and clerks of an agency with a current engagement of
the advisor see it (page and export); tests/security/test_need_to_know.py checks every
role on the page, the export and the API.
"""

from __future__ import annotations

from datetime import date

from tests.webapp.engagements_support import body, create

PHONE = "13800000000"


def test_phone_numbers_go_to_admin_and_the_engaging_agency_only(app, client, world, login):
    today = date.today()  # a current engagement (a draft whose term is not over)
    term = {"start_date": today.isoformat(),
            "end_date": today.replace(year=today.year + 1, day=1).isoformat()}
    assert create(client, world.headers, body(world, **term)).status_code == 201
    seen = {}
    for user in (world.admin, world.clerk, world.other_clerk, world.advisor_user):
        client.get("/logout")
        with client.session_transaction() as session:
            session.clear()
        login(user.username)
        page = client.get("/orgs/advisors").get_data(as_text=True)
        export = client.get("/orgs/advisors?format=csv").get_data(as_text=True)
        seen[user.role + str(user.id)] = (page.count(PHONE), export.count(PHONE))
    # every lawyer of this world has the same number; the engagement names two of them
    lawyers = 4  # 赵敏, 钱军, 孙强, 吴昊
    assert seen[f"admin{world.admin.id}"] == (lawyers, lawyers)
    assert seen[f"clerk{world.clerk.id}"] == (2, 2)  # the chief advisor and the partner
    assert seen[f"clerk{world.other_clerk.id}"] == (0, 0)
    assert seen[f"advisor{world.advisor_user.id}"] == (1, 1)  # their own number only
