"""Fixtures of the security tests: one seeded app per module, a signed-in client per role.

The matrix and the fuzzers make hundreds of requests; seeding a fresh world for
each would take minutes, so a module shares one app (``sec_app``) and one world
(``world``). Tests that change state in ways others would notice (lockouts,
logouts, revocations) use the ordinary function-scoped ``app`` fixture instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import PASSWORD
from tests.security.world import ROLES, World, seed

CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CSRF_INPUT_ALT = re.compile(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"')


def page_csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of ``client``'s session, read from a page's form."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_INPUT.search(html) or CSRF_INPUT_ALT.search(html)
    assert match, f"no csrf token on {url}"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD):
    """Log ``client`` in through the real login form; returns the response."""
    token = page_csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


class RoleClient:
    """A test client signed in as a role, with the CSRF token of its session."""

    def __init__(self, app: Flask, role_name: str) -> None:
        self.app = app
        self.role = ROLES[role_name]
        self.client = app.test_client()
        self.csrf = ""
        self.sign_in()

    def sign_in(self) -> None:
        self.client = self.app.test_client()
        if self.role.username is None:
            self.csrf = page_csrf_token(self.client, "/login")
            return
        resp = sign_in(self.client, self.role.username)
        assert resp.status_code == 302, f"{self.role.name} cannot sign in: {resp.status}"
        self.csrf = page_csrf_token(self.client, "/settings/tokens")


@pytest.fixture(scope="module")
def sec_app(tmp_path_factory: pytest.TempPathFactory, databases) -> Iterator[Flask]:
    """A module's app; assessment scores of other agencies hidden before publication."""
    from tests.conftest import make_app

    application = make_app(tmp_path_factory.mktemp("security") / "data", databases,
                           GOVCOUNSEL_PUBLISH_SCORES=False)
    yield application
    from webapp.extensions import db
    from webapp.setup import shutdown

    with application.app_context():
        shutdown(application)
        db.session.remove()
        db.engine.dispose()
    databases.drop({"DATABASE_URL": application.config["DATABASE_URL"]})


@pytest.fixture(scope="module")
def world(sec_app: Flask) -> World:
    """The seeded objects of ``sec_app`` (see ``world.py``)."""
    from webapp.extensions import db

    with sec_app.app_context():
        seeded = seed(sec_app)
        db.session.remove()
    return seeded


@pytest.fixture(scope="module")
def role_clients(sec_app: Flask, world: World) -> dict[str, RoleClient]:
    """One signed-in client per role of ``ROLES`` (anonymous included)."""
    return {name: RoleClient(sec_app, name) for name in ROLES}
