"""``/api/v1/notifications``: a caller's own 站内信 over the API (issue #13 left the
notification centre page-only). Each caller sees and marks only their own; another
user's id answers like a missing one."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification
from webapp.notifications.events import notify


def _inbox(make_user, token_for):
    clerk, other = make_user("admin", username="inbox_owner"), make_user("admin",
                                                                         username="inbox_other")
    notify([clerk], "k1", "filing_due", "合同 GC-1 应于 3 日内备案。", link="/engagements/1")
    notify([clerk], "k2", "contract_expiring", "合同 GC-2 将于 30 日后到期。")
    notify([other], "k3", "filing_due", "别人的提醒。")
    db.session.commit()
    theirs = db.session.execute(select(Notification.id).where(
        Notification.user_id == other.id)).scalar_one()
    return token_for(clerk), theirs


def test_a_caller_lists_only_their_own_with_the_unread_count(client, make_user, token_for):
    headers, _ = _inbox(make_user, token_for)
    body = client.get("/api/v1/notifications", headers=headers).json
    assert body["total"] == 2 and body["unread"] == 2
    assert {n["text"] for n in body["items"]} == {"合同 GC-1 应于 3 日内备案。",
                                                  "合同 GC-2 将于 30 日后到期。"}
    first = next(n for n in body["items"] if n["kind"] == "filing_due")
    assert first["kind_label"] == "合同备案期限" and first["link"] == "/engagements/1"
    assert first["read"] is False


def test_marking_read_one_and_all(client, make_user, token_for):
    headers, theirs = _inbox(make_user, token_for)
    items = client.get("/api/v1/notifications", headers=headers).json["items"]
    resp = client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=headers)
    assert resp.status_code == 200 and resp.json["read"] is True
    body = client.get("/api/v1/notifications?unread=true", headers=headers).json
    assert body["total"] == 1 and body["unread"] == 1
    resp = client.post("/api/v1/notifications/read-all", headers=headers, json={})
    assert resp.json == {"marked": 1}
    assert client.get("/api/v1/notifications", headers=headers).json["unread"] == 0
    # another user's notification is untouched and answers like a missing one
    for target in (theirs, 999999):
        resp = client.post(f"/api/v1/notifications/{target}/read", headers=headers)
        assert resp.status_code == 404 and resp.json["error"]["code"] == "not_found"
    assert db.session.get(Notification, theirs).read_at is None


def test_bad_calls_get_json_errors(client, make_user, token_for):
    headers, _ = _inbox(make_user, token_for)
    assert client.get("/api/v1/notifications").status_code == 401
    resp = client.post("/api/v1/notifications/read-all", headers=headers, json={"all": 1})
    assert resp.status_code == 422
    resp = client.post("/api/v1/notifications/read-all", headers=headers, data="x",
                       content_type="text/plain")
    assert resp.status_code == 400
    assert client.get("/api/v1/notifications?per_page=0", headers=headers).status_code == 422
    spec = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/notifications", "/api/v1/notifications/{notification_id}/read",
            "/api/v1/notifications/read-all"} <= spec.keys()
