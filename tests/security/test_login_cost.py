"""Issue #15, finding 8: a login costs one password-hash check whatever the name.

An unknown name used to answer at once (8–31 ms) while a known one paid for a hash
(250–535 ms), so timing told which names exist. The check is observed here, not timed
(timing belongs in ``bench/bench_login.py``): werkzeug's real ``check_password_hash``
is wrapped to record which hash each login checks — a spy on a library call, not a
fake of our code. The app uses the real default method (scrypt) for this test.
"""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD
from tests.security.conftest import sign_in


@pytest.fixture
def checks(app, monkeypatch) -> list[str]:
    """The method prefix (``scrypt:...``) of every hash a login checks."""
    import werkzeug.security

    from webapp.auth import services

    seen: list[str] = []
    real = werkzeug.security.check_password_hash

    def spy(pwhash: str, password: str) -> bool:
        seen.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", spy)
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    return seen


def test_unknown_and_known_names_cost_one_check_of_the_same_method(app, make_user, checks):
    make_user("clerk", username="known_clerk", agency=_agency(app))
    from webapp.auth.services import hash_password
    from webapp.extensions import db
    from webapp.models import User

    known = db.session.execute(db.select(User).where(User.username == "known_clerk")).scalar_one()
    known.password_hash = hash_password(PASSWORD)  # the real method, as in production
    db.session.commit()
    outcomes = {}
    for name, password in (("nobody_here", "wrong-pass-1"), ("known_clerk", "wrong-pass-1"),
                           ("known_clerk", PASSWORD)):
        checks.clear()
        resp = sign_in(app.test_client(), name, password)
        outcomes[(name, password)] = resp.status_code
        assert len(checks) == 1, (name, checks)
        assert checks[0].startswith("scrypt"), (name, checks)
    assert outcomes[("nobody_here", "wrong-pass-1")] == outcomes[("known_clerk", "wrong-pass-1")]
    assert outcomes[("known_clerk", PASSWORD)] == 302


def test_a_locked_account_also_costs_one_check(app, make_user, checks):
    from datetime import timedelta

    from webapp.extensions import db
    from webapp.models import utcnow

    user = make_user("auditor", username="locked_one")
    user.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    resp = sign_in(app.test_client(), "locked_one", "wrong-pass-1")
    assert resp.status_code == 403
    assert len(checks) == 1


def _agency(app):
    from webapp.extensions import db
    from webapp.models import Agency

    agency = Agency(code="T01", name="测试单位", category="government_dept")
    db.session.add(agency)
    db.session.commit()
    return agency
