"""Helpers shared by the security tests (no tests here)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.security.conftest import page_csrf_token, sign_in

REPO = Path(__file__).resolve().parents[2]


def admin_client(app, make_user, username="sec_admin"):
    """A client signed in as a new admin ``username``."""
    make_user("admin", username=username)
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


def security_agency(app):
    """The agency the function-scoped security tests bind their users to."""
    from webapp.extensions import db
    from webapp.models import Agency

    agency = db.session.execute(select(Agency).where(Agency.code == "SEC1")).scalar_one_or_none()
    if agency is None:
        agency = Agency(code="SEC1", name="安全测试局", category="government_dept")
        db.session.add(agency)
        db.session.commit()
    return agency


def login_attempt(app, username, password, ip="198.51.100.7"):
    """One login through the form from ``ip``; returns the response."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    token = page_csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})
