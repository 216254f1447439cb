"""Security properties as an attacker would probe them.

Headers and cookies; session fixation and session end; CSRF on every state-changing
form and API write (generated from the route table); login throttling and lockout;
token revocation; passwords never in logs, the audit trail or the database; no
secrets in the repository; downloads as attachments with safe names; no path
traversal; SQL only through the ORM or bound parameters.

Tests that only read share one seeded app per module (``sec_app``/``world``);
tests that lock, log out or revoke use the ordinary function-scoped ``app``.
"""

from __future__ import annotations

import ast
import io
import logging
import re
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sqlalchemy import select, update
from werkzeug.http import parse_options_header

from tests.helpers import PASSWORD
from tests.security.checks import inline_script_problems, security_header_problems
from tests.security.conftest import page_csrf_token, sign_in
from tests.security.routes import WRITE_METHODS, build_path, methods, path_variants, route_table
from tests.webapp.files import docx_bytes

REPO = Path(__file__).resolve().parents[2]


def _admin_client(app, make_user, username="sec_admin"):
    make_user("admin", username=username)
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


# ---------------------------------------------------------------------------
# Response headers
# ---------------------------------------------------------------------------


# Every routed response is checked by the route matrix; these are the ones no route makes.
UNROUTED = [("/no-such-page", "admin"), ("/no-such-page", "anonymous"),
            ("/api/v1/nothing", "admin"), ("/api/v1/nothing", "anonymous"),
            ("/static/no-such-file.js", "anonymous"), ("/logout", "admin")]


@pytest.mark.parametrize(("path", "role"), UNROUTED)
def test_security_headers_on_error_responses(world, role_clients, path, role):
    resp = role_clients[role].client.get(path)
    assert resp.status_code in (404, 405), resp.status_code
    problems = security_header_problems(resp.headers)
    assert not problems, f"GET {path} as {role} ({resp.status_code}): {problems}"
    if resp.mimetype == "text/html":
        assert "no-store" in resp.headers.get("Cache-Control", "")


def test_the_csp_is_strict(world, role_clients):
    from tests.security.checks import csp_directives

    resp = role_clients["admin"].client.get("/")
    csp = csp_directives(resp.headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("style-src", csp["default-src"])
    assert resp.headers["Referrer-Policy"] in ("same-origin", "no-referrer")


def test_no_template_has_inline_script_handlers_or_styles():
    """The rendered pages are checked too: every HTML response of the route matrix."""
    problems = []
    for template in sorted((REPO / "webapp" / "templates").rglob("*.html")):
        problems += [f"{template.relative_to(REPO)}: {p}"
                     for p in inline_script_problems(template.read_text(encoding="utf-8"))]
    assert not problems, problems


# ---------------------------------------------------------------------------
# Cookies
# ---------------------------------------------------------------------------


def _set_cookies(resp, name: str) -> list[str]:
    return [v for v in resp.headers.getlist("Set-Cookie") if v.startswith(f"{name}=")]


def _cookie_attrs(value: str) -> dict[str, str]:
    attrs = {}
    for part in value.split(";")[1:]:
        key, _, val = part.strip().partition("=")
        attrs[key.lower()] = val
    return attrs


def test_cookies_are_secure_when_configured(tmp_path, databases, monkeypatch):
    from tests.conftest import make_app
    from webapp.auth.services import create_user
    from webapp.extensions import db

    monkeypatch.setenv("GOVCOUNSEL_SECURE_COOKIES", "true")
    secure_app = make_app(tmp_path / "data", databases)
    try:
        with secure_app.app_context():
            create_user("s1", "admin", PASSWORD)
            db.session.commit()
        client = secure_app.test_client()
        https = "https://localhost"
        html = client.get("/login", base_url=https).get_data(as_text=True)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
        resp = client.post("/login", base_url=https, headers={"Referer": f"{https}/login"},
                           data={"username": "s1", "password": PASSWORD, "csrf_token": token})
        assert resp.status_code == 302
        attrs = _cookie_attrs(_set_cookies(resp, "session")[-1])
        assert "secure" in attrs and "httponly" in attrs
        assert attrs.get("samesite", "").lower() in ("lax", "strict")
        assert not _set_cookies(resp, "remember_token"), "no remember-me cookie is ever set"
    finally:
        with secure_app.app_context():
            from webapp.setup import shutdown

            shutdown(secure_app)
            db.session.remove()
            db.engine.dispose()
        databases.drop({"DATABASE_URL": secure_app.config["DATABASE_URL"]})


# ---------------------------------------------------------------------------
# Sessions: fixation and logout
# ---------------------------------------------------------------------------


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else ""


def test_login_starts_a_new_session(app, make_user):
    make_user("clerk", agency=_agency(app), username="fix1")
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


def _agency(app):
    from webapp.extensions import db
    from webapp.models import Agency

    agency = db.session.execute(select(Agency).where(Agency.code == "SEC1")).scalar_one_or_none()
    if agency is None:
        agency = Agency(code="SEC1", name="安全测试局", category="government_dept")
        db.session.add(agency)
        db.session.commit()
    return agency


def test_a_session_cookie_is_dead_after_logout(app, make_user):
    """A copy of the cookie taken before logout (another tab, a stolen copy) is dead too."""
    make_user("clerk", agency=_agency(app), username="out1")
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
# CSRF: every state-changing form route, every API write
# ---------------------------------------------------------------------------


def _write_cases(api: bool):
    for rule in route_table():
        if rule.rule.startswith("/api/") != api or rule.rule.startswith("/static/"):
            continue
        for method in methods(rule):
            if method in WRITE_METHODS:
                for args, _ in path_variants(rule)[:1]:
                    yield rule, method, args


FORM_WRITES = list(_write_cases(api=False))
API_WRITES = list(_write_cases(api=True))


def _is_csrf_refusal(resp) -> bool:
    if resp.status_code != 400:
        return False
    body = resp.get_json(silent=True)
    if body is not None:
        return body.get("error", {}).get("code") == "csrf"
    from webapp.messages import error_text

    return error_text("csrf") in resp.get_data(as_text=True)


def test_every_form_write_route_is_in_the_generated_list():
    names = {r.endpoint for r, _, _ in FORM_WRITES}
    assert {"auth.login", "auth.logout", "documents.delete", "orgs.user_new",
            "admin_settings.token_revoke"} <= names
    assert len(FORM_WRITES) > 30


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_form_write_needs_the_csrf_token(world, role_clients, role):
    client = role_clients[role].client
    other_session_token = page_csrf_token(role_clients["auditor"].client, "/settings/tokens")
    missing = []
    for rule, method, args in FORM_WRITES:
        path = build_path(rule.rule, args, world)
        for data in ({}, {"csrf_token": "not-a-token"}, {"csrf_token": other_session_token}):
            resp = client.open(path, method=method, data=data)
            if not _is_csrf_refusal(resp):
                missing.append(f"{method} {path} {sorted(data)} -> {resp.status_code}")
    assert not missing, "state-changing form routes accepting a request without a valid " \
        "CSRF token: " + "; ".join(missing)


def test_every_api_write_needs_the_csrf_header_with_a_session(world, role_clients):
    client = role_clients["admin"].client
    missing = []
    for rule, method, args in API_WRITES:
        path = build_path(rule.rule, args, world)
        for headers in ({}, {"X-CSRFToken": "forged"}):
            resp = client.open(path, method=method, json={}, headers=headers)
            if not _is_csrf_refusal(resp):
                missing.append(f"{method} {path} {headers} -> {resp.status_code}")
    assert not missing, "API writes accepted from a session without the CSRF header: " + \
        "; ".join(missing)
    assert len(API_WRITES) > 20


def test_api_writes_with_a_bearer_token_need_no_csrf_header(world, sec_app):
    client = sec_app.test_client()  # no cookie at all
    refused = []
    for rule, method, args in API_WRITES:
        path = build_path(rule.rule, args, world)
        if "deactivate" in path:
            continue  # would take the sacrificial records away from other tests
        resp = client.open(path, method=method, json={}, headers=world.header("admin"))
        if _is_csrf_refusal(resp) or resp.status_code in (401, 403):
            refused.append(f"{method} {path} -> {resp.status_code}")
    assert not refused, refused


def test_a_bearer_header_does_not_lift_csrf_from_a_session(world, role_clients):
    """A cookie-authenticated request stays CSRF-protected even if it also names a token."""
    client = role_clients["admin"].client
    resp = client.post("/api/v1/agencies", json={},
                       headers={"Authorization": "Bearer gct_not-a-real-token"})
    assert _is_csrf_refusal(resp), resp.status_code


# ---------------------------------------------------------------------------
# Login: lockout, enumeration
# ---------------------------------------------------------------------------


def _login_attempt(app, username, password, ip="198.51.100.7"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    token = page_csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


def test_a_lockout_is_audited_and_ends_after_its_minutes(app, make_user):
    """The lock itself is tested in tests/webapp/test_accounts.py; here: its trail, its end."""
    from webapp.extensions import db
    from webapp.models import AuditEvent, User

    make_user("clerk", agency=_agency(app), username="lock1")
    limit = app.config["GOVCOUNSEL_LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert _login_attempt(app, "lock1", "wrong-password-1").status_code == 401
    resp = _login_attempt(app, "lock1", PASSWORD)
    assert resp.status_code == 403, "the right password must not open a locked account"
    assert "锁定" in resp.get_data(as_text=True)
    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("login_failed") >= limit and "login_refused_locked" in actions
    # the lock ends after GOVCOUNSEL_LOGIN_LOCK_MINUTES
    user = db.session.execute(select(User).where(User.username == "lock1")).scalar_one()
    assert user.locked_until is not None
    user.locked_until -= timedelta(minutes=app.config["GOVCOUNSEL_LOGIN_LOCK_MINUTES"])
    db.session.commit()
    assert _login_attempt(app, "lock1", PASSWORD).status_code == 302


def test_failed_logins_say_nothing_about_which_part_was_wrong(app, make_user):
    make_user("clerk", agency=_agency(app), username="enum1")
    unknown = _login_attempt(app, "no-such-user", "whatever-pass")
    wrong = _login_attempt(app, "enum1", "whatever-pass")
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

    user = make_user("clerk", agency=_agency(app), username="tok1")
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

    user = make_user("clerk", agency=_agency(app), username="tok2")
    headers = token_for(user)
    db.session.execute(update(User).where(User.id == user.id).values(active=False))
    db.session.commit()
    assert app.test_client().get("/api/v1/agencies", headers=headers).status_code == 401


def test_nobody_revokes_someone_elses_token(app, make_user, token_for):
    from webapp.extensions import db
    from webapp.models import ApiToken

    owner = make_user("clerk", agency=_agency(app), username="tok3")
    headers = token_for(owner)
    token_id = db.session.execute(select(ApiToken.id).where(ApiToken.user_id == owner.id)
                                  ).scalar_one()
    admin = _admin_client(app, make_user)
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
    page = _admin_client(app, make_user, "tok6").get("/settings/tokens")
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
    agency = _agency(app)
    admin = _admin_client(app, make_user, "pwadmin")
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
    failed = _login_attempt(app, "pw1", wrong)
    assert failed.status_code == 401 and wrong not in failed.get_data(as_text=True)
    assert _login_attempt(app, "pw1", created).status_code == 302
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


# ---------------------------------------------------------------------------
# Secrets in the repository
# ---------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpors]-[A-Za-z0-9-]{10,}"),
    "GovCounsel API token": re.compile(r"\bgct_[A-Za-z0-9_-]{40,}"),
    "Flask secret key assignment": re.compile(
        r"""SECRET_KEY\s*[=:]\s*["'][^"'{}\s]{16,}["']"""),
    # a password in a connection URL; placeholders (USER:PASSWORD, $VAR, {var}, <pw>) are fine
    "password in a URL": re.compile(r"\b[a-z+]+://[^/\s:@]+:(?![A-Z_]+@|[$<{*])[^/\s:@]{6,}@"),
}
# (path, pattern name) -> why the match is not a secret
SECRET_ALLOW = {
    (".ci/run", "password in a URL"): "CI's throwaway PostgreSQL role on 127.0.0.1",
}
FORBIDDEN_FILES = re.compile(
    r"(^|/)(var/|\.env$|secret_key$|demo_logins\.txt$|.*\.(db|sqlite|sqlite3|pem|key|p12)$"
    r"|id_rsa|\.htpasswd$)")


def _repo_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=REPO, capture_output=True,
                             check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        from tests.helpers import skip_or_fail

        skip_or_fail(f"git ls-files failed: {exc}")
    return [p for p in out.decode().split("\0") if p and (REPO / p).is_file()]


def test_no_secrets_in_the_repository():
    found = []
    files = _repo_files()
    for rel in files:
        data = (REPO / rel).read_bytes()
        if b"\0" in data[:4096] or len(data) > 5_000_000:
            continue  # binary (docx, fonts, images) or data files
        text = data.decode("utf-8", errors="replace")
        for name, pattern in SECRET_PATTERNS.items():
            if (rel, name) in SECRET_ALLOW:
                continue
            for match in pattern.finditer(text):
                found.append(f"{rel}: {name}: {match.group(0)[:40]}")
    assert not found, found
    assert len(files) > 100


def test_no_data_dir_or_key_files_in_the_repository():
    offending = [p for p in _repo_files() if FORBIDDEN_FILES.search(p)]
    assert not offending, offending
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert "var/" in ignored, "the default data dir must be ignored"


# ---------------------------------------------------------------------------
# Downloads: attachment, safe names, no sniffing
# ---------------------------------------------------------------------------

# Names the upload check accepts (quotes arrive as %22 from browsers; the multipart
# parser decodes them), stored as is: the header must still be one safe line.
# stored name -> served name (the content is a .docx, so it is served as one)
NASTY_NAMES = {'q"uote;name=evil.docx': 'q"uote;name=evil.docx',
               '"; filename="evil.exe': '"; filename="evil.docx',
               "报告（最终版）“定稿”.docx": "报告（最终版）“定稿”.docx",
               "..%2f..%2fetc.docx": "..%2f..%2fetc.docx", "a" * 200 + ".docx": "a" * 200 + ".docx",
               "semi;colon,comma=.docx": "semi;colon,comma=.docx",
               "emoji😀 and spaces  .docx": "emoji😀 and spaces  .docx",
               "percent%0d%0aSet-Cookie: pwned=1.docx": "percent%0d%0aSet-Cookie: pwned=1.docx"}


DISPOSITION = re.compile(r"""attachment; filename="([ -~]*)"; filename\*=UTF-8''([!-~]+)$""")


def _download_name(resp) -> str:
    """The served name (RFC 5987 ``filename*``); the header must be exactly
    ``attachment; filename="<printable ASCII>"; filename*=UTF-8''<percent-encoded>``."""
    value = resp.headers["Content-Disposition"]
    match = DISPOSITION.fullmatch(value)
    assert match, value
    fallback, encoded = match.groups()
    assert '"' not in fallback and "\\" not in fallback and fallback.strip(" ._"), value
    assert parse_options_header(value) == ("attachment", {"filename": unquote(encoded)}), value
    return unquote(encoded)


def _upload(client, headers, agency_id, name="意见书.docx", content=None):
    return client.post("/api/v1/documents", headers=headers, data={
        "agency_id": str(agency_id), "doc_type": "legal_opinion",
        "file": (io.BytesIO(content if content is not None else docx_bytes(name)), name)},
        content_type="multipart/form-data")


def test_downloads_are_attachments_with_safe_names(app, make_user, token_for):
    """Whatever name the upload check lets through is served as one well-formed header
    line that cannot be split, add a parameter or set a cookie."""
    from webapp.documents.intake import safe_filename
    from webapp.extensions import db
    from webapp.models import DocumentVersion

    headers = token_for(make_user("admin", username="dl1"))
    created = _upload(app.test_client(), headers, _agency(app).id)
    assert created.status_code == 201
    doc_id = created.json["id"]
    page_client = _admin_client(app, make_user, "dl2")
    for name, served in NASTY_NAMES.items():
        assert safe_filename(name) == name  # the upload check lets this name through
        db.session.execute(update(DocumentVersion).where(
            DocumentVersion.document_id == doc_id).values(filename=name))
        db.session.commit()
        for resp in (app.test_client().get(f"/api/v1/documents/{doc_id}/file", headers=headers),
                     page_client.get(f"/documents/{doc_id}/file")):
            assert resp.status_code == 200, name
            raw = resp.headers["Content-Disposition"]
            assert "\r" not in raw and "\n" not in raw, raw
            assert not any(c.startswith("pwned") for c in resp.headers.getlist("Set-Cookie"))
            assert _download_name(resp) == served, raw
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
            assert resp.data.startswith(b"PK")


BAD_NAMES = ["../../etc/passwd", "..\\..\\boot.ini", "C:\\Users\\x.docx", "a/b.docx", ".",
             "..", "nul\x00.docx", "bell\x07.docx", "new\r\nSet-Cookie: pwned=1.docx",
             "tab\tname.docx", "x" * 300 + ".docx", " ", "del\x7f.docx"]


def test_the_upload_check_refuses_paths_and_control_characters():
    from webapp.documents.intake import safe_filename
    from webapp.errors import DomainError

    for name in BAD_NAMES:
        with pytest.raises(DomainError) as refused:
            safe_filename(name)
        assert refused.value.code == "bad_filename", name


def test_uploads_with_path_or_control_characters_in_the_name_are_refused(app, make_user,
                                                                         token_for):
    """Through the API (backslashes do not survive the multipart parser, which reads them
    as escapes, so those names are checked on ``safe_filename`` above only)."""
    from webapp.extensions import db
    from webapp.models import Document

    headers = token_for(make_user("admin", username="up1"))
    agency_id = _agency(app).id
    for name in [n for n in BAD_NAMES if "\\" not in n]:
        resp = _upload(app.test_client(), headers, agency_id, name=name,
                       content=docx_bytes("内容"))
        assert resp.status_code in (400, 422), (name, resp.status_code, resp.json)
    assert db.session.execute(select(Document)).first() is None


MEDIA_BY_EXTENSION = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain"}
SPOOFS = [("x\u202excod.exe", docx_bytes("甲"), "xxcod.docx"),  # shows as "xexe.docx"
          ("report.exe", docx_bytes("乙"), "report.docx"),
          ("invoice\u2066\u200f.pdf.exe", docx_bytes("丙"), "invoice.pdf.docx"),
          ("page.html", "<html><script>alert(document.cookie)</script>正文</html>".encode(),
           "page.txt"),
          ("说明", "说明正文".encode(), "说明.txt")]


@pytest.mark.parametrize(("name", "content", "served"), SPOOFS, ids=[s[2] for s in SPOOFS])
def test_download_names_cannot_spoof_the_file_type(app, make_user, token_for, name, content,
                                                   served):
    """Format characters (bidi overrides, zero-width marks) are dropped, the extension is
    the one of the type detected from the content, and so is the media type (an HTML page
    is plain text: it is never rendered in the app's origin)."""
    headers = token_for(make_user("admin", username="up3"))
    client = app.test_client()
    created = _upload(client, headers, _agency(app).id, name=name, content=content)
    assert created.status_code == 201, created.json
    page_client = _admin_client(app, make_user, "up3page")
    for resp in (client.get(f"/api/v1/documents/{created.json['id']}/file", headers=headers),
                 page_client.get(f"/documents/{created.json['id']}/file")):
        assert _download_name(resp) == served
        assert resp.mimetype == MEDIA_BY_EXTENSION[served.rsplit(".", 1)[1]]
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("text", "encoding", "charset"), [
    ("关于合同审查的法律意见。", "gb18030", "gb18030"),
    ("关于合同审查的法律意见。", "utf-8", "utf-8"),
    ("\ufeff关于合同审查的法律意见。", "utf-8", "utf-8")])
def test_text_downloads_declare_their_real_charset_once(app, make_user, token_for, text,
                                                        encoding, charset):
    headers = token_for(make_user("admin", username="up4"))
    data = text.encode(encoding)
    created = _upload(app.test_client(), headers, _agency(app).id, name="意见.txt", content=data)
    assert created.status_code == 201, created.json
    page_client = _admin_client(app, make_user, "up4page")
    for resp in (app.test_client().get(f"/api/v1/documents/{created.json['id']}/file",
                                       headers=headers),
                 page_client.get(f"/documents/{created.json['id']}/file")):
        assert resp.headers["Content-Type"] == f"text/plain; charset={charset}"
        assert resp.data == data


# ---------------------------------------------------------------------------
# Path traversal
# ---------------------------------------------------------------------------

TRAVERSALS = ["/static/../webapp/__init__.py", "/static/..%2f..%2fwebapp%2fsettings.py",
              "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/app/../../__init__.py",
              "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static//etc/passwd",
              "/static/..\\..\\pyproject.toml", "/static/app/%00.js",
              "/static/%252e%252e/%252e%252e/pyproject.toml", "/..%2f..%2fpyproject.toml"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_files_do_not_escape_their_folder(world, role_clients, path):
    resp = role_clients["admin"].client.get(path, follow_redirects=True)
    body = resp.get_data()
    resp.close()
    assert resp.status_code in (400, 404), (path, resp.status_code)
    assert all(urlsplit(r.location).path.startswith("/static/") for r in resp.history), path
    for leak in (b"def create_app", b"[build-system]", b"root:x:0", b"SETTINGS"):
        assert leak not in body, (path, leak)


@pytest.mark.parametrize("version", ["../", "../../etc/passwd", "%2e%2e%2f", "1/../2", "-1",
                                     "0", "99999", "1e3", "0x1", " 1", "１"])
def test_download_version_parameter_is_only_a_number(world, role_clients, version):
    client = role_clients["clerk_a"].client
    current = client.get(f"/documents/{world.doc_a}/file").data
    for url in (f"/documents/{world.doc_a}/file", f"/api/v1/documents/{world.doc_a}/file"):
        resp = client.get(url, query_string={"version": version})
        data = resp.data
        resp.close()
        assert resp.status_code in (200, 400, 404, 422), (url, version, resp.status_code)
        if resp.status_code == 200:
            assert data == current, (url, version)  # never another file


def test_import_and_template_ids_cannot_name_a_path(app):
    from webapp.admin_settings import services as settings_services
    from webapp.errors import DomainError
    from webapp.orgs import io as orgs_io

    for bad in ("../../secret_key", "..", "a/b" * 10, "x" * 15, "0" * 16 + "/../x"):
        with pytest.raises(DomainError):
            orgs_io.upload_path(bad, "csv")
        with pytest.raises(DomainError):
            settings_services.load_pending(bad)
    with pytest.raises(DomainError):
        orgs_io.upload_path("a" * 20, "../csv")


# ---------------------------------------------------------------------------
# SQL only through the ORM or bound parameters
# ---------------------------------------------------------------------------

# (file, enclosing function) -> why raw SQL is needed and why it cannot carry input
SQL_ALLOW = {
    ("webapp/health.py", "healthz"): "constant 'SELECT 1' liveness probe",
    ("webapp/ops/backup.py", "create_backup"):
        "constant read of alembic_version (a table outside the ORM models)",
    ("webapp/ops/backup.py", "_reset_sequences"):
        "PostgreSQL setval on each table: identifiers come from the ORM metadata, not input; "
        "identifiers cannot be bound parameters",
    ("webapp/sqlite.py", "_pragmas"): "constant PRAGMAs on every new SQLite connection",
}
# modules (or folders, ending in "/") whose job is to speak SQL -> why it cannot carry input
SQL_MODULES = {
    "indexer/pg_backend.py":
        "the PostgreSQL full-text index: table and column names are module constants, "
        "LIMIT/OFFSET are int()s, and the WHERE clause comes from indexer/pg_query.py, "
        "which binds everything the user typed as a parameter (tests/indexer)",
    "bench/": "benchmarks run by hand against scratch databases they create; no user input",
}
SQL_SCAN_ROOTS = ("webapp", "document_store", "indexer", "contract_templates", "scripts",
                  "bench", "wsgi.py")
RAW_SQL_FUNCS = {"text", "literal_column", "exec_driver_sql", "executescript"}


def _raw_sql(call: ast.Call, sqlalchemy_names: set[str]) -> str | None:
    """What raw-SQL construct ``call`` is, if any."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else ""
    first = call.args[0] if call.args else None
    if isinstance(func, ast.Name) and called in sqlalchemy_names:
        return f"{called}()"
    qualified = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
        and func.value.id in ("sa", "sqlalchemy")
    if (qualified and called in ("text", "literal_column")) \
            or called in ("exec_driver_sql", "executescript"):
        return f"{called}()"
    if called not in ("execute", "executemany") or first is None:
        return None
    formatted = isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute) \
        and first.func.attr == "format"
    literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
    if isinstance(first, ast.JoinedStr | ast.BinOp) or formatted or literal:
        return "execute(<string>)"
    return None


def _sql_uses(path: Path) -> list[tuple[str, int, str]]:
    """(enclosing function, line, what) for every raw-SQL construct in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy")
             for alias in node.names if alias.name in ("text", "literal_column")}
    uses = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) \
                else function
            what = _raw_sql(child, names) if isinstance(child, ast.Call) else None
            if what:
                uses.append((name, child.lineno, what))
            visit(child, name)

    visit(tree, "<module>")
    return uses


def _python_files() -> list[Path]:
    files = []
    for root in SQL_SCAN_ROOTS:
        path = REPO / root
        files += [path] if path.is_file() else sorted(
            p for p in path.rglob("*.py") if "migrations" not in p.parts)
    return files


def test_sql_only_through_the_orm_or_bound_parameters():
    unexplained, seen = [], set()
    for path in _python_files():
        rel = str(path.relative_to(REPO))
        for function, line, what in _sql_uses(path):
            seen.add((rel, function))
            if (rel, function) not in SQL_ALLOW and not rel.startswith(tuple(SQL_MODULES)):
                unexplained.append(f"{rel}:{line} in {function}: {what}")
    assert not unexplained, ("raw SQL outside the ORM; use select()/bound parameters, or add "
                             "it to SQL_ALLOW with the reason it cannot carry input: "
                             + "; ".join(unexplained))
    stale = set(SQL_ALLOW) - seen | {m for m in SQL_MODULES if not (REPO / m).exists()}
    assert not stale, f"SQL_ALLOW / SQL_MODULES name uses that are gone: {sorted(stale)}"


def test_migrations_use_no_interpolated_sql():
    problems = []
    for path in sorted((REPO / "webapp" / "migrations").rglob("*.py")):
        for function, line, what in _sql_uses(path):
            tree_line = path.read_text(encoding="utf-8").splitlines()[line - 1]
            if "f\"" in tree_line or "f'" in tree_line or ".format(" in tree_line \
                    or "%" in tree_line:
                problems.append(f"{path.relative_to(REPO)}:{line} {function}: {what}")
    assert not problems, problems


def test_the_scanner_sees_interpolated_sql(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from sqlalchemy import text\n"
                      "def f(db, name):\n"
                      "    db.execute(text(f\"SELECT * FROM t WHERE n = '{name}'\"))\n"
                      "    db.execute('DELETE FROM t WHERE n = %s' % name)\n"
                      "    cur.executescript(name)\n", encoding="utf-8")
    whats = sorted(w for _, _, w in _sql_uses(sample))
    assert whats == ["execute(<string>)", "executescript()", "text()"]


def test_search_input_is_data_not_sql(world, role_clients):
    """Classic injection strings in every filter are just text (no 500, no extra rows)."""
    client = role_clients["clerk_a"].client
    visible = client.get("/api/v1/documents").json["total"]
    probes = ["' OR '1'='1", "1) OR (1=1", "%' OR 1=1 --", "\\'; DROP TABLE documents; --",
              "\" OR \"\"=\"", "*:*", "title:*", "OR", "NOT 甲", "甲 OR 乙", "(((", "%%%", "_"]
    for probe in probes:
        for url, params in (("/api/v1/documents", {"q": probe}),
                            ("/api/v1/search", {"q": probe}),
                            ("/api/v1/agencies", {"q": probe}),
                            ("/api/v1/advisors", {"q": probe}),
                            ("/documents/", {"q": probe}), ("/search/", {"q": probe})):
            resp = client.get(url, query_string=params)
            body = resp.get_data(as_text=True)
            assert resp.status_code < 500, (url, probe)
            for secret in world.secrets:
                assert secret not in body, (url, probe, secret)
            if url == "/api/v1/documents":
                assert resp.json["total"] <= visible, (probe, resp.json["total"])


def test_like_wildcards_in_filters_are_literal(world, role_clients):
    client = role_clients["admin"].client
    for url in ("/api/v1/documents", "/api/v1/agencies", "/api/v1/advisors",
                "/api/v1/engagements"):
        for probe in ("%", "_", "%%", "\\"):
            assert client.get(url, query_string={"q": probe}).json["total"] == 0, (url, probe)


def test_a_search_for_percent_or_underscore_finds_them(app, make_user, make_agency, token_for):
    headers = token_for(make_user("admin", username="like1"))
    make_agency("P_1", "增长50%的甲局")
    make_agency("PX1", "增长50的乙局")
    client = app.test_client()
    for q, codes in (("50%", ["P_1"]), ("P_", ["P_1"]), ("50", ["PX1", "P_1"])):
        found = client.get("/api/v1/agencies", query_string={"q": q}, headers=headers).json
        assert sorted(a["code"] for a in found["items"]) == codes, q
    agency_id = client.get("/api/v1/agencies", query_string={"q": "P_"},
                           headers=headers).json["items"][0]["id"]
    for title in ("股权转让50%_意见", "股权转让500意见"):
        resp = client.post("/api/v1/documents", headers=headers, data={
            "agency_id": str(agency_id), "doc_type": "legal_opinion", "title": title,
            "file": (io.BytesIO(docx_bytes(title)), "意见.docx")},
            content_type="multipart/form-data")
        assert resp.status_code == 201, resp.json
    found = client.get("/api/v1/documents", query_string={"q": "50%_"}, headers=headers).json
    assert [d["title"] for d in found["items"]] == ["股权转让50%_意见"]
