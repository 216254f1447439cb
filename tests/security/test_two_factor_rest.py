"""Issue #15, finding 12 (rest): a TOTP code is accepted once only (replay), failed codes
count towards the lockout, and an admin (or the server console) resets another user's
two-step login — secret and recovery codes gone, sessions ended, API tokens revoked,
audited with the reason, the user told by 站内信, re-enrolment forced where required.

Real TOTP codes are computed with pyotp from the secret the enrolment page shows, as an
authenticator app would."""

from __future__ import annotations

import time

import pyotp
from sqlalchemy import select

from tests.helpers import PASSWORD
from tests.security.support import security_agency
from tests.security.test_account_security import _post, enrol, next_code
from webapp.extensions import db
from webapp.models import AuditEvent, Notification, RecoveryCode, User

REASON = "手机丢失，恢复码也已用完（2026-12-06 电话核实本人）"


def _password_step(app):
    def step(username: str):
        guest = app.test_client()
        resp = _post(guest, "/login", username=username, password=PASSWORD)
        assert resp.status_code == 302 and "/login/2fa" in resp.headers["Location"], \
            resp.status_code
        return guest
    return step


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.execute(select(AuditEvent).where(
        AuditEvent.action == action).order_by(AuditEvent.seq)).scalars())


def _works(app, headers) -> int:
    return app.test_client().get("/api/v1/agencies", headers=headers).status_code


# ---------------------------------------------------------------- replay


def test_a_code_is_accepted_once(app, client, make_user, login):
    user = make_user("clerk", agency=security_agency(app))
    login(user.username)
    secret, _ = enrol(client)
    step = _password_step(app)
    enrolment_code = pyotp.TOTP(secret).at(time.time() - 1)  # the step used to confirm
    guest = step(user.username)
    replay = _post(guest, "/login/2fa", code=enrolment_code)
    assert replay.status_code == 401 and "已经使用过" in replay.get_data(as_text=True)
    code = next_code(secret)
    assert _post(guest, "/login/2fa", code=code).status_code == 302
    again = step(user.username)
    second = _post(again, "/login/2fa", code=code)  # the same code twice
    assert second.status_code == 401 and "已经使用过" in second.get_data(as_text=True)
    assert again.get("/documents/").status_code == 302  # not signed in
    earlier = _post(again, "/login/2fa", code=pyotp.TOTP(secret).now())  # an earlier step
    assert earlier.status_code == 401
    assert len(_events("login_2fa_replayed")) == 3
    assert "动态口令重复使用" in client.get("/account/logins").get_data(as_text=True)


def test_an_old_code_is_not_accepted_after_a_newer_one(app, client, make_user, login):
    user = make_user("clerk", agency=security_agency(app))
    login(user.username)
    secret, _ = enrol(client)
    guest = _password_step(app)(user.username)
    assert _post(guest, "/login/2fa", code=next_code(secret)).status_code == 302
    later = _password_step(app)(user.username)
    previous = pyotp.TOTP(secret).at(time.time() - 30)  # still inside the valid window
    assert _post(later, "/login/2fa", code=previous).status_code == 401


# ---------------------------------------------------------------- brute force


def test_failed_and_replayed_codes_lock_the_account(app, client, make_user, login,
                                                    token_for):
    app.config["GOVCOUNSEL_LOGIN_MAX_FAILURES"] = 3
    user = make_user("clerk", agency=security_agency(app))
    headers = token_for(user)
    login(user.username)
    secret, _ = enrol(client)
    guest = _password_step(app)(user.username)
    for wrong in ("000000", "111111"):
        assert _post(guest, "/login/2fa", code=wrong).status_code == 401
    replay = pyotp.TOTP(secret).at(time.time() - 1)  # the enrolment's step: used up
    assert _post(guest, "/login/2fa", code=replay).status_code == 401  # third failure
    locked = _post(guest, "/login/2fa", code=next_code(secret))  # right code, too late
    assert locked.status_code == 403 and "锁定" in locked.get_data(as_text=True)
    again = _post(app.test_client(), "/login", username=user.username, password=PASSWORD)
    assert again.status_code == 403
    assert _works(app, headers) == 401  # its tokens are refused while locked
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is not None


# ---------------------------------------------------------------- admin reset


def _enrolled_auditor(app, make_user):
    user = make_user("auditor")
    own = app.test_client()
    assert _post(own, "/login", username=user.username, password=PASSWORD).status_code == 302
    secret, _ = enrol(own)
    return user, own, secret


def test_an_admin_resets_a_users_two_step_login(app, client, make_user, login, token_for):
    admin = make_user("admin")
    login(admin.username)
    enrol(client)  # the admin has two-step login on, as required below
    app.config["GOVCOUNSEL_REQUIRE_2FA"] = True
    target, own, _ = _enrolled_auditor(app, make_user)
    headers = token_for(target)
    assert own.get("/audit/").status_code == 200 and _works(app, headers) == 200
    edit = client.get(f"/orgs/users/{target.id}/edit").get_data(as_text=True)
    assert "重置两步验证" in edit
    url = f"/orgs/users/{target.id}/2fa-reset"
    page = client.get(url).get_data(as_text=True)
    assert "data-confirm" in page and "重置原因" in page
    blank = _post(client, url, reason="  ")
    assert blank.status_code == 422 and "必填" in blank.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, target.id).totp_secret is not None  # nothing changed
    done = _post(client, url, reason=REASON)
    assert done.status_code == 302
    assert "下次登录后须重新设置" in client.get(done.headers["Location"]).get_data(as_text=True)

    db.session.expire_all()
    user = db.session.get(User, target.id)
    assert user.totp_secret is None and user.totp_last_step is None
    assert not db.session.execute(select(RecoveryCode).where(
        RecoveryCode.user_id == target.id)).all()
    assert own.get("/audit/").status_code == 302  # the session ended
    assert _works(app, headers) == 401  # the token is revoked
    event = _events("totp_reset")[-1]
    assert event.actor_id == admin.id and event.object_id == str(target.id)
    assert event.detail["reason"] == " ".join(REASON.split())
    assert _events("tokens_revoked")[-1].detail["reason"] == "重置两步验证"
    trail = client.get("/audit/").get_data(as_text=True)
    assert "重置两步验证" in trail and "手机丢失" in trail
    note = db.session.execute(select(Notification).where(
        Notification.user_id == target.id)).scalar_one()
    assert note.kind == "totp_reset" and "手机丢失" in note.text

    # at the next login: the password alone, then enrolment before anything else
    again = app.test_client()
    resp = _post(again, "/login", username=target.username, password=PASSWORD)
    assert resp.status_code == 302 and "/login/2fa" not in resp.headers["Location"]
    forced = again.get("/audit/")
    assert forced.status_code == 302 and forced.headers["Location"].endswith("/account/2fa")
    secret, _ = enrol(again)
    assert again.get("/audit/").status_code == 200


def test_an_admin_cannot_reset_their_own_or_a_missing_enrolment(app, client, make_user,
                                                                login):
    admin = make_user("admin")
    login(admin.username)
    secret, _ = enrol(client)
    own = client.get(f"/orgs/users/{admin.id}/edit").get_data(as_text=True)
    assert "重置两步验证" not in own
    resp = _post(client, f"/orgs/users/{admin.id}/2fa-reset", reason=REASON)
    assert resp.status_code == 409 and "账户安全" in resp.get_data(as_text=True)
    plain = make_user("clerk", agency=security_agency(app))
    resp = _post(client, f"/orgs/users/{plain.id}/2fa-reset", reason=REASON)
    assert resp.status_code == 409 and "尚未启用两步验证" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).totp_secret == secret
    assert not _events("totp_reset")


def test_only_an_admin_resets_two_step_login(app, client, make_user, login):
    target, _, _ = _enrolled_auditor(app, make_user)
    auditor = make_user("auditor")
    login(auditor.username)
    resp = _post(client, f"/orgs/users/{target.id}/2fa-reset", reason=REASON)
    assert resp.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, target.id).totp_secret is not None


# ---------------------------------------------------------------- console


def test_the_console_rescues_an_admin_locked_out_of_their_two_step_login(
        app, client, make_user, login, runner, token_for):
    admin = make_user("admin")
    login(admin.username)
    enrol(client)
    headers = token_for(admin)
    missing = runner.invoke(args=["reset-2fa", admin.username])
    assert missing.exit_code != 0 and "--reason" in missing.output
    blank = runner.invoke(args=["reset-2fa", admin.username, "--reason", " "])
    assert blank.exit_code != 0 and "reason: 此项为必填项" in blank.output, blank.output
    unknown = runner.invoke(args=["reset-2fa", "nobody", "--reason", REASON])
    assert unknown.exit_code != 0 and "不存在" in unknown.output
    done = runner.invoke(args=["reset-2fa", admin.username, "--reason", "手机丢失"])
    assert done.exit_code == 0 and "已重置" in done.output, done.output
    assert "下次登录只需密码" in done.output  # GOVCOUNSEL_REQUIRE_2FA is off (probe finding)
    db.session.expire_all()
    assert db.session.get(User, admin.id).totp_secret is None
    assert client.get("/orgs/users").status_code == 302  # the session ended
    assert _works(app, headers) == 401
    for action in ("totp_reset", "tokens_revoked"):
        event = _events(action)[-1]
        assert event.actor_id is None and "reset-2fa" in event.actor_name
    twice = runner.invoke(args=["reset-2fa", admin.username, "--reason", "手机丢失"])
    assert twice.exit_code != 0 and "尚未启用两步验证" in twice.output
    fresh = app.test_client()
    resp = _post(fresh, "/login", username=admin.username, password=PASSWORD)
    assert resp.status_code == 302 and "/login/2fa" not in resp.headers["Location"]


def test_two_logins_racing_with_the_same_code_cannot_both_pass(app, client, make_user, login):
    import threading

    from webapp.auth import totp
    from webapp.transaction import unit_of_work

    user = make_user("clerk", agency=security_agency(app))
    login(user.username)
    secret, _ = enrol(client)
    code, results, gate = next_code(secret), [], threading.Barrier(4)

    def attempt() -> None:
        with app.app_context():
            gate.wait()
            with unit_of_work():
                results.append(totp.check(db.session.get(User, user.id), code))

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["ok", "replayed", "replayed", "replayed"]


def test_the_reset_says_what_the_next_login_asks(app, client, make_user, login):
    """Probe finding: without GOVCOUNSEL_REQUIRE_2FA the confirmation said the user 须重新设置
    two-step login, though they log back in with the password alone."""
    admin = make_user("admin")
    login(admin.username)
    target, _own, _ = _enrolled_auditor(app, make_user)
    done = _post(client, f"/orgs/users/{target.id}/2fa-reset", reason=REASON)
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "下次登录只需密码" in page and "须重新设置" not in page
