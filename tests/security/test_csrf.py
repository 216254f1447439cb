"""CSRF: every state-changing form route and every API write, generated from the route table.

Tests that only read share one seeded app per module (``sec_app``/``world``);
tests that lock, log out or revoke use the ordinary function-scoped ``app``.
"""

from __future__ import annotations

import pytest

from tests.security.conftest import page_csrf_token
from tests.security.routes import WRITE_METHODS, build_path, methods, path_variants, route_table

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


ADVISOR_STEPS = ("api.accept_matter", "api.return_matter", "api.answer_matter")


def test_api_writes_with_a_bearer_token_need_no_csrf_header(world, sec_app):
    client = sec_app.test_client()  # no cookie at all
    refused = []
    for rule, method, args in API_WRITES:
        path = build_path(rule.rule, args, world)
        if "deactivate" in path:
            continue  # would take the sacrificial records away from other tests
        # a matter's advisor steps are the assigned advisor's alone (not even the admin's)
        role = "advisor" if rule.endpoint in ADVISOR_STEPS else "admin"
        resp = client.open(path, method=method, json={}, headers=world.header(role))
        if _is_csrf_refusal(resp) or resp.status_code in (401, 403):
            refused.append(f"{method} {path} -> {resp.status_code}")
    assert not refused, refused


def test_a_bearer_header_does_not_lift_csrf_from_a_session(world, role_clients):
    """A cookie-authenticated request stays CSRF-protected even if it also names a token."""
    client = role_clients["admin"].client
    resp = client.post("/api/v1/agencies", json={},
                       headers={"Authorization": "Bearer gct_not-a-real-token"})
    assert _is_csrf_refusal(resp), resp.status_code
