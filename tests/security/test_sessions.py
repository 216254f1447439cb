"""Sessions, logins, API tokens and passwords: fixation, logout, lockout, enumeration,
revocation; passwords never stored or logged.

Tests that only read share one seeded app per module (``sec_app``/``world``);
tests that lock, log out or revoke use the ordinary function-scoped ``app``.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select, update

from tests.helpers import PASSWORD
from tests.security.conftest import page_csrf_token, sign_in
from tests.security.support import admin_client, login_attempt, security_agency

# ---------------------------------------------------------------------------
# Sessions: fixation and logout
# ---------------------------------------------------------------------------


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else ""


def test_login_starts_a_new_session(app, make_user):
    make_user("clerk", agency=security_agency(app), username="fix1")
    attacker = app.test_client()
    planted_token = page_csrf_token(attacker, "/login")
    planted = _session_cookie(attacker)
    assert planted, "the login page sets a pre-login session (it carries the CSRF token)"

    victim = app.test_client()
    victim.set_cookie("session", planted)  # the attacker fixes the victim's session
    resp = victim.post("/login", data={"username": "fix1", "password": PASSWORD,
                                       "csrf_token": planted_token})
    assert resp.status_code == 302
    after = _session_cookie(victim)
    assert after and after != planted, "the session cookie must change at login"
    assert page_csrf_token(victim, "/settings/tokens") != planted_token, \
        "the CSRF token must change at login"
    # the planted (pre-login) session is still anonymous for the attacker
    resp = attacker.get("/")
    assert resp.status_code == 302 and urlsplit(resp.location).path == "/login"
    assert attacker.get("/api/v1/agencies").status_code == 401


def test_a_session_cookie_is_dead_after_logout(app, make_user):
    """A copy of the cookie taken before logout (another tab, a stolen copy) is dead too."""
    make_user("clerk", agency=security_agency(app), username="out1")
    client = app.test_client()
    assert sign_in(client, "out1").status_code == 302
    stolen = _session_cookie(client)
    token = page_csrf_token(client, "/settings/tokens")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    resp = replay.get("/")
    assert resp.status_code == 302 and urlsplit(resp.location).path == "/login"
    assert replay.get("/api/v1/agencies").status_code == 401
    assert sign_in(app.test_client(), "out1").status_code == 302  # signing in again works


# ---------------------------------------------------------------------------
# Login: lockout, enumeration
# ---------------------------------------------------------------------------


def test_a_lockout_is_audited_and_ends_after_its_minutes(app, make_user):
    """The lock itself is tested in tests/webapp/test_accounts.py; here: its trail, its end."""
    from webapp.extensions import db
    from webapp.models import AuditEvent, User

    make_user("clerk", agency=security_agency(app), username="lock1")
    limit = app.config["GOVCOUNSEL_LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert login_attempt(app, "lock1", "wrong-password-1").status_code == 401
    resp = login_attempt(app, "lock1", PASSWORD)
    assert resp.status_code == 403, "the right password must not open a locked account"
    assert "锁定" in resp.get_data(as_text=True)
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("login_failed") >= limit and "login_refused_locked" in actions
    # the lock ends after GOVCOUNSEL_LOGIN_LOCK_MINUTES
    user = db.session.execute(select(User).where(User.username == "lock1")).scalar_one()
    assert user.locked_until is not None
    user.locked_until -= timedelta(minutes=app.config["GOVCOUNSEL_LOGIN_LOCK_MINUTES"])
    db.session.commit()
    assert login_attempt(app, "lock1", PASSWORD).status_code == 302


def test_failed_logins_say_nothing_about_which_part_was_wrong(app, make_user):
    make_user("clerk", agency=security_agency(app), username="enum1")
    unknown = login_attempt(app, "no-such-user", "whatever-pass")
    wrong = login_attempt(app, "enum1", "whatever-pass")
    assert unknown.status_code == wrong.status_code == 401

    def message(resp):
        return re.sub(r'value="[^"]*"', "", resp.get_data(as_text=True)).replace(
            "no-such-user", "").replace("enum1", "")

    assert message(unknown) == message(wrong)


# ---------------------------------------------------------------------------
# API tokens
# ---------------------------------------------------------------------------


def test_a_revoked_token_stops_working_at_once(app, make_user, token_for):
    from webapp.extensions import db
    from webapp.models import ApiToken

    user = make_user("clerk", agency=security_agency(app), username="tok1")
    headers = token_for(user)
    client = app.test_client()
    assert client.get("/api/v1/agencies", headers=headers).status_code == 200
    assert sign_in(client, "tok1").status_code == 302
    token_id = db.session.execute(select(ApiToken.id).where(ApiToken.user_id == user.id)
                                  ).scalar_one()
    resp = client.post(f"/settings/tokens/{token_id}/revoke",
                       data={"csrf_token": page_csrf_token(client, "/settings/tokens")})
    assert resp.status_code == 302
    fresh = app.test_client()
    resp = fresh.get("/api/v1/agencies", headers=headers)
    assert resp.status_code == 401 and resp.json["error"]["code"] == "unauthorized"
    resp = fresh.post("/api/v1/documents", headers=headers, data={})
    assert resp.status_code == 401


def test_tokens_of_a_disabled_user_stop_working(app, make_user, token_for):
    from webapp.extensions import db
    from webapp.models import User

    user = make_user("clerk", agency=security_agency(app), username="tok2")
    headers = token_for(user)
    db.session.execute(update(User).where(User.id == user.id).values(active=False))
    db.session.commit()
    assert app.test_client().get("/api/v1/agencies", headers=headers).status_code == 401


def test_nobody_revokes_someone_elses_token(app, make_user, token_for):
    from webapp.extensions import db
    from webapp.models import ApiToken

    owner = make_user("clerk", agency=security_agency(app), username="tok3")
    headers = token_for(owner)
    token_id = db.session.execute(select(ApiToken.id).where(ApiToken.user_id == owner.id)
                                  ).scalar_one()
    admin = admin_client(app, make_user)
    resp = admin.post(f"/settings/tokens/{token_id}/revoke",
                      data={"csrf_token": page_csrf_token(admin, "/settings/tokens")})
    assert resp.status_code == 404
    assert app.test_client().get("/api/v1/agencies", headers=headers).status_code == 200


def test_malformed_or_forged_tokens_are_refused(app, make_user, token_for):
    user = make_user("admin", username="tok4")
    token = token_for(user)["Authorization"].removeprefix("Bearer ")
    client = app.test_client()
    assert client.get("/api/v1/agencies", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 200
    for header in ("Bearer ", "Bearer gct_x", "Basic YWRtaW46eA==", "Bearer gct_" + "A" * 43,
                   f"bearer {token}", f"Bearer {token}x", f"Bearer {token[:-1]}",
                   f"Bearer {token} extra", f"Token {token}", token):
        resp = client.get("/api/v1/agencies", headers={"Authorization": header})
        assert resp.status_code == 401, header


def test_tokens_are_stored_only_as_hashes(app, make_user, token_for):
    user = make_user("admin", username="tok5")
    token = token_for(user)["Authorization"].removeprefix("Bearer ")
    assert token not in _database_bytes(app).decode("latin-1")
    page = admin_client(app, make_user, "tok6").get("/settings/tokens")
    assert token not in page.get_data(as_text=True)


# ---------------------------------------------------------------------------
# Passwords never in logs, the audit trail or the database
# ---------------------------------------------------------------------------

SECRET_PASSWORDS = ("Qz7-紫禁城-Secret-pw", "Wrong-青天-pw-419", "Reset-白马寺-pw-803",
                    "Cli-龙亭-pw-2207")


def _database_bytes(app) -> bytes:
    from webapp.extensions import db

    db.session.commit()
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite"):
        from webapp.models import ApiToken, AuditEvent, LoginAttempt, User

        rows = []
        for model in (User, ApiToken, LoginAttempt, AuditEvent):
            for obj in db.session.execute(select(model)).scalars():
                rows.append(repr({c.name: getattr(obj, c.key, None)
                                  for c in model.__table__.columns}))
        return "\n".join(rows).encode("utf-8")
    path = Path(url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_passwords_never_reach_logs_audit_or_database(app, make_user, caplog, runner):
    from webapp.extensions import db
    from webapp.models import AuditEvent, User

    caplog.set_level(logging.DEBUG)
    created, wrong, reset, cli = SECRET_PASSWORDS
    agency = security_agency(app)
    admin = admin_client(app, make_user, "pwadmin")
    # an admin creates an account through the form
    resp = admin.post("/orgs/users/new", data={
        "username": "pw1", "display_name": "密码测试", "role": "clerk", "agency": agency.code,
        "advisor": "", "password": created, "password_confirm": created,
        "csrf_token": page_csrf_token(admin, "/orgs/users/new")})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    # a mistyped confirmation re-renders the form: it must not echo the password back
    resp = admin.post("/orgs/users/new", data={
        "username": "pw2", "role": "clerk", "agency": agency.code, "advisor": "",
        "password": created, "password_confirm": created + "x",
        "csrf_token": page_csrf_token(admin, "/orgs/users/new")})
    assert resp.status_code in (200, 422) and created not in resp.get_data(as_text=True)
    # failed and successful logins
    failed = login_attempt(app, "pw1", wrong)
    assert failed.status_code == 401 and wrong not in failed.get_data(as_text=True)
    assert login_attempt(app, "pw1", created).status_code == 302
    # an admin resets the password
    user_id = db.session.execute(select(User.id).where(User.username == "pw1")).scalar_one()
    resp = admin.post(f"/orgs/users/{user_id}/password", data={
        "password": reset, "password_confirm": reset,
        "csrf_token": page_csrf_token(admin, f"/orgs/users/{user_id}/password")})
    assert resp.status_code == 302
    # the CLI
    result = runner.invoke(args=["create-user", "pw3", "--role", "admin", "--password-stdin"],
                           input=cli + "\n")
    assert result.exit_code == 0, result.output
    assert 'method="post"' in app.test_client().get("/login").get_data(as_text=True)
    logged = caplog.text
    trail = "\n".join(repr((e.actor_name, e.action, e.object_id, e.detail)) for e in
                      db.session.execute(select(AuditEvent)).scalars())
    stored = _database_bytes(app).decode("utf-8", errors="replace")
    for password in SECRET_PASSWORDS:
        assert password not in logged, f"password in the log: {password}"
        assert password not in trail, f"password in the audit trail: {password}"
        assert password not in stored, f"password stored in clear: {password}"
        assert password not in result.output
    actions = set(db.session.execute(select(AuditEvent.action)).scalars())
    assert {"user_created", "login_failed", "login"} <= actions
