"""Issue #15, finding 9: API tokens follow the account's password and lock.

A password reset by the admin revokes every token of the user (whoever forced the
reset may hold one); while an account is locked after failed logins its tokens are
refused, and they work again once the lock ends or is lifted.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers import csrf_token
from webapp.extensions import db
from webapp.models import ApiToken, AuditEvent, User

NEW_PASSWORD = "Another-horse-43"


def _works(app, headers) -> int:
    return app.test_client().get("/api/v1/agencies", headers=headers).status_code


def test_a_password_reset_revokes_the_users_tokens(app, client, make_agency, make_user,
                                                   token_for, login_as):
    clerk = make_user("clerk", agency=make_agency("A01"))
    first, second = token_for(clerk), token_for(clerk)
    assert _works(app, first) == _works(app, second) == 200
    login_as("admin")
    url = f"/orgs/users/{clerk.id}/password"
    resp = client.post(url, data={"csrf_token": csrf_token(client, url),
                                  "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert "API 令牌均已吊销" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert _works(app, first) == _works(app, second) == 401
    tokens = db.session.execute(select(ApiToken).where(ApiToken.user_id == clerk.id)).scalars()
    assert all(t.revoked_at is not None for t in tokens)
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "tokens_revoked")).scalar_one()
    assert event.object_id == str(clerk.id) and len(event.detail["prefixes"]) == 2
    assert _works(app, token_for(clerk)) == 200  # a new token may be issued afterwards


def test_a_refused_reset_revokes_nothing(app, client, make_agency, make_user, token_for,
                                         login_as):
    clerk = make_user("clerk", agency=make_agency("A01"))
    headers = token_for(clerk)
    login_as("admin")
    url = f"/orgs/users/{clerk.id}/password"
    resp = client.post(url, data={"csrf_token": csrf_token(client, url),
                                  "password": NEW_PASSWORD, "password_confirm": "different"})
    assert resp.status_code == 422
    assert _works(app, headers) == 200


def test_a_locked_accounts_tokens_are_refused_while_locked(app, client, make_agency,
                                                           make_user, token_for, login_as):
    clerk = make_user("clerk", agency=make_agency("A01"))
    headers = token_for(clerk)
    limit = app.config["GOVCOUNSEL_LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        guest = app.test_client()
        guest.post("/login", data={"username": clerk.username, "password": "wrong-pass-1",
                                   "csrf_token": csrf_token(guest)})
    db.session.expire_all()
    assert db.session.get(User, clerk.id).locked_until is not None
    assert _works(app, headers) == 401
    login_as("admin")
    resp = client.post(f"/orgs/users/{clerk.id}/unlock",
                       data={"csrf_token": csrf_token(client, f"/orgs/users/{clerk.id}/edit")})
    assert resp.status_code == 302
    assert _works(app, headers) == 200
