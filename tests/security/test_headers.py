"""Security headers and cookies: CSP without inline script, frame denial, nosniff, cookie flags.

Tests that only read share one seeded app per module (``sec_app``/``world``);
tests that lock, log out or revoke use the ordinary function-scoped ``app``.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import PASSWORD
from tests.security.checks import inline_script_problems, security_header_problems
from tests.security.support import REPO

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
