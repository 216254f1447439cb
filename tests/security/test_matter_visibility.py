"""Matters obey the policy everywhere, role by role: the rule (``can``), the SQL scope
(lists, counts, statistics drill-downs), the route matrix's expectation, the API, the
exports, the notifications and the calendar feed agree — and agency B's classified
matter reaches neither the clerk of A nor the advisor it is assigned to."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.security.routes import MATTER_A, MATTER_B
from tests.security.test_route_matrix import MATTER_VIEW
from tests.security.world import ROLES, SECRET_MATTER, World

ROLE_NAMES = ("admin", "clerk_a", "clerk_b", "advisor", "auditor")


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_rule_scope_matrix_and_api_agree(sec_app, world: World, role_clients, role):
    from webapp import policy
    from webapp.extensions import db
    from webapp.models import LegalMatter, User

    client = role_clients[role].client
    with sec_app.app_context():
        user = db.session.get(User, world.users[role])
        scoped = set(db.session.execute(select(LegalMatter.id).where(
            policy.matter_scope(user))).scalars())
        for matter_id, target in ((world.matter_a, MATTER_A), (world.matter_b, MATTER_B)):
            rule = policy.can(user, "matter.view", db.session.get(LegalMatter, matter_id))
            expected = MATTER_VIEW.allows(ROLES[role], target)
            assert rule == expected == (matter_id in scoped), (role, target.label)
            status = client.get(f"/api/v1/matters/{matter_id}").status_code
            assert (status == 200) == expected, (role, target.label, status)
        listed = {m["id"] for m in client.get("/api/v1/matters?per_page=200").json["items"]}
        assert listed == scoped


@pytest.mark.parametrize("role", ("clerk_a", "advisor"))
def test_the_classified_matter_never_reaches_them(sec_app, world: World, role_clients, role):
    from webapp.extensions import db
    from webapp.models import Notification

    client = role_clients[role].client
    for url in ("/matters/", "/matters/?format=csv", "/api/v1/matters", "/notifications/",
                f"/matters/?agency_id={world.agencies['B']}",
                f"/api/v1/matters?agency_id={world.agencies['B']}&per_page=200"):
        body = client.get(url).get_data(as_text=True)
        assert SECRET_MATTER not in body, url
    with sec_app.app_context():
        notes = db.session.execute(select(Notification.text).where(
            Notification.user_id == world.users[role])).scalars().all()
        assert not [n for n in notes if SECRET_MATTER in n]
    if role == "advisor":
        feed = client.get(f"/calendar/{world.feed_token}.ics").get_data(as_text=True)
        assert "BEGIN:VCALENDAR" in feed and SECRET_MATTER not in feed


def test_the_owning_agency_and_the_readers_do_see_it(world: World, role_clients):
    for role in ("clerk_b", "admin", "auditor"):
        body = role_clients[role].client.get("/matters/?per_page=200").get_data(as_text=True)
        assert SECRET_MATTER in body, role
