"""Login, lockout, throttling, CSRF, sessions, tokens and the CLI account commands."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers import PASSWORD, csrf_token
from webapp.extensions import db
from webapp.models import AuditEvent, User


def _post_login(client, username, password):
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


def test_login_and_logout(client, make_user):
    make_user("admin", username="boss")
    resp = _post_login(client, "boss", PASSWORD)
    assert resp.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "工作台" in page and "司法局管理员" in page
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_in_chinese_and_audited(client, make_user):
    make_user("admin", username="boss")
    resp = _post_login(client, "boss", "wrong-password")
    assert resp.status_code == 401
    assert "用户名或密码错误" in resp.get_data(as_text=True)
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert "login_failed" in actions
    assert not any("wrong-password" in str(e.detail) for e in
                   db.session.execute(select(AuditEvent)).scalars())


def test_lockout_after_repeated_failures(client, make_user, app):
    make_user("admin", username="boss")
    for _ in range(app.config["GOVCOUNSEL_LOGIN_MAX_FAILURES"]):
        _post_login(client, "boss", "nope-nope")
    resp = _post_login(client, "boss", PASSWORD)
    assert resp.status_code == 403
    assert "锁定" in resp.get_data(as_text=True)
    user = db.session.execute(select(User).where(User.username == "boss")).scalar_one()
    assert user.locked_until is not None


def test_per_ip_throttle(client, make_user, app):
    app.config["GOVCOUNSEL_LOGIN_RATE_PER_MINUTE"] = 3
    make_user("admin", username="boss")
    for name in ("a", "b", "c"):
        _post_login(client, name, "x" * 8)
    resp = _post_login(client, "boss", PASSWORD)
    assert resp.status_code == 429
    assert "过于频繁" in resp.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user("admin", username="boss")
    resp = client.post("/login", data={"username": "boss", "password": PASSWORD})
    assert resp.status_code == 400
    assert client.get("/").status_code == 302


def test_session_is_renewed_at_login(client, make_user):
    make_user("admin", username="boss")
    client.get("/login")
    before = client.get_cookie("session")
    _post_login(client, "boss", PASSWORD)
    after = client.get_cookie("session")
    assert before is None or before.value != after.value


def test_open_redirect_is_refused(client, make_user):
    make_user("admin", username="boss")
    token = csrf_token(client)
    resp = client.post("/login?next=//evil.example/x", data={
        "username": "boss", "password": PASSWORD, "csrf_token": token})
    assert resp.headers["Location"] == "/"


def test_session_cookie_flags(client, make_user):
    make_user("admin", username="boss")
    resp = _post_login(client, "boss", PASSWORD)
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_bumping_session_version_ends_sessions(client, make_user):
    user = make_user("admin", username="boss")
    _post_login(client, "boss", PASSWORD)
    assert client.get("/").status_code == 200
    user.session_version += 1
    db.session.commit()
    assert client.get("/").status_code == 302


def test_api_needs_auth_and_accepts_bearer_token(client, make_user, token_for):
    assert client.get("/api/v1/agencies").json["error"]["code"] == "unauthorized"
    user = make_user("auditor")
    assert client.get("/api/v1/agencies", headers=token_for(user)).status_code == 200
    bad = {"Authorization": "Bearer gct_not-a-token"}
    assert client.get("/api/v1/agencies", headers=bad).status_code == 401


def test_revoked_token_stops_working(client, make_user, token_for):
    from webapp.auth.services import revoke_token
    from webapp.models import ApiToken

    user = make_user("auditor")
    headers = token_for(user)
    row = db.session.execute(select(ApiToken)).scalar_one()
    revoke_token(row.id, user)
    db.session.commit()
    assert client.get("/api/v1/agencies", headers=headers).status_code == 401


def test_api_write_with_session_needs_csrf(client, login_as):
    login_as("admin")
    resp = client.post("/api/v1/agencies", json={})
    assert resp.status_code in (400, 405)
    assert "error" in resp.json


def test_cli_create_user_and_token(runner, app):
    result = runner.invoke(args=["create-user", "ops", "--role", "admin", "--password-stdin"],
                           input="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-token", "ops"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("gct_")
    client = app.test_client()
    assert client.get("/api/v1/agencies",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_cli_create_user_rejects_bad_input(runner, app):
    result = runner.invoke(args=["create-user", "c", "--role", "clerk", "--password-stdin"],
                           input="long-enough-pw\n")
    assert result.exit_code != 0 and "单位" in result.output
    result = runner.invoke(args=["create-user", "c", "--role", "clerk", "--agency", "NOPE",
                                 "--password-stdin"], input="long-enough-pw\n")
    assert result.exit_code != 0 and "NOPE" in result.output
    result = runner.invoke(args=["create-user", "x", "--role", "admin", "--password-stdin"],
                           input="short\n")
    assert result.exit_code != 0 and "至少 10 位" in result.output  # the policy (#15)
    assert db.session.execute(select(User)).first() is None


def test_cli_create_token_unknown_user(runner):
    result = runner.invoke(args=["create-token", "ghost"])
    assert result.exit_code != 0 and "不存在" in result.output


def test_security_headers(client):
    resp = client.get("/login")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]
