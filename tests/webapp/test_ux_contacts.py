"""Issue #15, UI finding 13 (phones): lawyers' mobile numbers on a need-to-know basis.

Reproduction (became this test): an external advisor saw every lawyer's mobile number.
Now only admins and clerks of an agency that engages the advisor see it (page and
export).
"""

from __future__ import annotations

from tests.webapp.engagements_support import body, create

PHONE = "13800000000"


def test_phone_numbers_go_to_admin_and_the_engaging_agency_only(app, client, world, login):
    assert create(client, world.headers, body(world)).status_code == 201
    seen = {}
    for user in (world.admin, world.clerk, world.other_clerk, world.advisor_user):
        client.get("/logout")
        with client.session_transaction() as session:
            session.clear()
        login(user.username)
        page = client.get("/orgs/advisors").get_data(as_text=True)
        export = client.get("/orgs/advisors?format=csv").get_data(as_text=True)
        seen[user.role + str(user.id)] = (PHONE in page, PHONE in export)
    assert seen[f"admin{world.admin.id}"] == (True, True)
    assert seen[f"clerk{world.clerk.id}"] == (True, True)
    assert seen[f"clerk{world.other_clerk.id}"] == (False, False)
    assert seen[f"advisor{world.advisor_user.id}"] == (False, False)
