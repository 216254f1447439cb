"""Issue #15, UI finding 3: starting a renewal draft must not end the running contract.

Reproduction (became these tests): 生成续聘合同 set the current contract to 已续聘 at
once, so the agency showed as 没有在聘法律顾问 though its contract ran another year.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.helpers import csrf_token
from tests.webapp.test_engagements_lifecycle import TODAY, _active, _api, _sign, _term
from webapp import policy
from webapp.extensions import db
from webapp.models import AuditEvent, Engagement


def _renewal(client, world, old: int):
    start = db.session.get(Engagement, old).end_date + timedelta(days=1)
    return _api(client, world.headers, old, "renew", **_term(start))


def test_the_old_contract_runs_on_until_the_renewal_is_signed(client, world):
    old = _active(client, world, TODAY - timedelta(days=30))
    resp = _renewal(client, world, old)
    assert resp.status_code == 201, resp.json
    new = resp.json["id"]
    db.session.expire_all()
    assert db.session.get(Engagement, old).status == "filed"
    assert world.agency.id in policy.engaged_agency_ids(world.advisor_user)
    assert _sign(client, world.headers, new, signed_on=TODAY.isoformat()).status_code == 200
    db.session.expire_all()
    assert db.session.get(Engagement, old).status == "renewed"
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "engagement_renewed",
        AuditEvent.object_id == str(old))).scalar_one()
    assert event.detail["renewed_by_id"] == new


def test_one_renewal_draft_at_a_time(client, world, login):
    old = _active(client, world, TODAY - timedelta(days=30))
    first = _renewal(client, world, old).json
    again = _renewal(client, world, old)
    assert again.status_code == 409
    assert first["contract_no"] in again.json["error"]["message"]
    ended = _api(client, world.headers, first["id"], "terminate",
                 reason="续聘条款需重新商定，草稿作废。")
    assert ended.status_code == 200, ended.json
    assert _renewal(client, world, old).status_code == 201
    login(world.admin.username)
    page = client.get(f"/engagements/{old}").get_data(as_text=True)
    assert f"/engagements/{old}/renew" not in page  # no second renewal offered


def test_the_renew_page_says_what_will_happen(client, world, login):
    old = _active(client, world, TODAY - timedelta(days=30))
    login(world.admin.username)
    html = client.get(f"/engagements/{old}/renew").get_data(as_text=True)
    assert "原合同在续聘合同签订之前继续履行" in html
    assert 'data-confirm="将生成续聘合同草稿。原合同' in html
    start = db.session.get(Engagement, old).end_date + timedelta(days=1)
    resp = client.post(f"/engagements/{old}/renew", data={
        "csrf_token": csrf_token(client, f"/engagements/{old}/renew"), **_term(start)},
        follow_redirects=True)
    assert "原合同继续履行" in resp.get_data(as_text=True)
    assert db.session.get(Engagement, old).status == "filed"
