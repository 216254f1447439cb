"""Issue #15, finding 12 (等保 2.0): password policy, idle timeout, 我的登录记录, and
TOTP two-step login with recovery codes (``GOVCOUNSEL_REQUIRE_2FA`` for admin and
auditor). Real TOTP codes are computed with pyotp from the secret the page shows, as an
authenticator app would."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from tests.helpers import PASSWORD, csrf_token
from webapp.extensions import db
from webapp.models import RecoveryCode, User

STRONG = ["Qingming-2027a", "Duanwu-2027b!", "Zhongqiu-2027c", "Chongyang-27d", "Xiazhi-2027e#",
          "Dongzhi-2027f"]


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


# ---------------------------------------------------------------- password policy


@pytest.mark.parametrize(("password", "reason"), [
    ("Short-1a", "至少 10 位"), ("alllowercase-only", "至少三类"),
    ("ALLUPPER1234", "至少三类"), ("Wang_wu-2027", "不能包含用户名")])
def test_the_cli_refuses_weak_passwords(runner, password, reason):
    result = runner.invoke(args=["create-user", "wang_wu", "--role", "auditor",
                                 "--password-stdin"], input=password + "\n")
    assert result.exit_code != 0 and reason in result.output
    ok = runner.invoke(args=["create-user", "wang_wu", "--role", "auditor", "--password-stdin"],
                       input=STRONG[0] + "\n")
    assert ok.exit_code == 0, ok.output


def test_the_admin_user_form_applies_the_policy(client, login_as):
    login_as("admin")
    url = "/orgs/users/new"
    resp = _post(client, url, username="zhao_liu", role="auditor", password="zhaoliu12345",
                 password_confirm="zhaoliu12345")
    assert resp.status_code == 422 and "至少三类" in resp.get_data(as_text=True)
    resp = _post(client, url, username="zhao_liu", role="auditor", password=STRONG[0],
                 password_confirm=STRONG[0])
    assert resp.status_code == 302


def test_own_password_change_checks_current_policy_and_history(app, client, make_user, login):
    user = make_user("clerk", agency=_agency())
    login(user.username)
    url = "/account/password"
    wrong = _post(client, url, current_password="nope", password=STRONG[0],
                  password_confirm=STRONG[0])
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.get_data(as_text=True)
    same = _post(client, url, current_password=PASSWORD, password=PASSWORD,
                 password_confirm=PASSWORD)
    assert same.status_code == 422 and "最近 5 次" in same.get_data(as_text=True)
    current = PASSWORD
    for new in STRONG[:5]:
        resp = _post(client, url, current_password=current, password=new, password_confirm=new)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
        current = new
    assert client.get("/account/").status_code == 200  # this session goes on
    back = _post(client, url, current_password=current, password=STRONG[1],
                 password_confirm=STRONG[1])
    assert back.status_code == 422  # one of the last five
    oldest = _post(client, url, current_password=current, password=PASSWORD,
                   password_confirm=PASSWORD)
    assert oldest.status_code == 302  # six passwords ago: allowed again


# ---------------------------------------------------------------- idle timeout, records


def test_an_idle_session_ends(app, client, make_user, login, token_for):
    user = make_user("clerk", agency=_agency())
    headers = token_for(user)
    login(user.username)
    assert client.get("/documents/").status_code == 200
    with client.session_transaction() as sess:
        sess["last_seen"] = time.time() - 31 * 60
    resp = client.get("/documents/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert "长时间未操作" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert client.get("/documents/").status_code == 302  # the session is gone
    assert app.test_client().get("/api/v1/agencies", headers=headers).status_code == 200


def test_a_user_sees_their_own_logins(app, client, make_user, login):
    user = make_user("clerk", agency=_agency())
    other = make_user("auditor")
    guest = app.test_client()
    _post(guest, "/login", username=user.username, password="wrong-pass-1")
    _post(app.test_client(), "/login", username=other.username, password="wrong-pass-2")
    login(user.username)
    html = client.get("/account/logins").get_data(as_text=True)
    assert "我的登录记录" in html and "127.0.0.1" in html
    assert "登录失败" in html and ">登录<" in html
    assert html.count("<tr>") == 3  # header, the failure, the login: nothing of ``other``


# ---------------------------------------------------------------- two-step login


def next_code(secret: str) -> str:
    """The code an authenticator app shows in the next 30-second step (accepted now, as
    clocks drift; and not yet used, as the current step may be)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enrol(client) -> tuple[str, list[str]]:
    """Turn two-step login on through the account page; the secret and recovery codes."""
    page = client.get("/account/2fa").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, drawn locally
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    bad = _post(client, "/account/2fa", code="000000")
    assert bad.status_code == 422
    done = _post(client, "/account/2fa", code=pyotp.TOTP(secret).now())
    assert done.status_code == 200
    codes = re.findall(r"<li>([0-9a-f]{8}-[0-9a-f]{8})</li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def _password_step(app, username):
    guest = app.test_client()
    resp = _post(guest, "/login", username=username, password=PASSWORD)
    assert resp.status_code == 302 and "/login/2fa" in resp.headers["Location"]
    return guest


def test_enrolment_then_login_with_a_code_or_a_recovery_code(app, client, make_user, login):
    user = make_user("clerk", agency=_agency())
    login(user.username)
    secret, codes = enrol(client)
    stored = db.session.execute(select(RecoveryCode.code_hash).where(
        RecoveryCode.user_id == user.id)).scalars().all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # hashes only
    guest = _password_step(app, user.username)
    assert guest.get("/documents/").status_code == 302  # not signed in yet
    wrong = _post(guest, "/login/2fa", code="123456")
    assert wrong.status_code == 401 and "动态口令不正确" in wrong.get_data(as_text=True)
    # the code that confirmed the enrolment is used up: the app's next one logs in
    ok = _post(guest, "/login/2fa", code=next_code(secret))
    assert ok.status_code == 302 and guest.get("/documents/").status_code == 200
    second = _password_step(app, user.username)
    assert _post(second, "/login/2fa", code=codes[0]).status_code == 302
    third = _password_step(app, user.username)
    assert _post(third, "/login/2fa", code=codes[0]).status_code == 401  # used up
    html = client.get("/account/logins").get_data(as_text=True)
    assert "动态口令错误" in html


def test_required_two_step_login_for_admin_and_auditor(app, client, make_user, login,
                                                      token_for):
    app.config["GOVCOUNSEL_REQUIRE_2FA"] = True
    admin, clerk = make_user("admin"), make_user("clerk", agency=_agency())
    headers = token_for(admin)
    api = app.test_client().get("/api/v1/agencies", headers=headers)
    assert api.status_code == 403 and api.json["error"]["code"] == "totp_required"
    assert app.test_client().get("/api/v1/agencies",
                                 headers=token_for(clerk)).status_code == 200
    login(admin.username)
    resp = client.get("/documents/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/2fa")
    enrol(client)
    assert client.get("/documents/").status_code == 200
    assert app.test_client().get("/api/v1/agencies", headers=headers).status_code == 200
    refused = _post(client, "/account/2fa/disable", current_password=PASSWORD)
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).totp_secret is not None


def _agency():
    from webapp.models import Agency

    agency = Agency(code=f"S{time.monotonic_ns() % 10**6}", name="测试单位",
                    category="government_dept")
    db.session.add(agency)
    db.session.commit()
    return agency


def test_turning_two_step_login_on_or_off_ends_the_other_sessions(app, client, make_user,
                                                                   login):
    """A session opened with the password alone (e.g. by whoever learnt it) must not
    outlive the user's switch to two-step login; switching it off ends them as well, as a
    password change does. The session that made the change goes on."""
    user = make_user("clerk", agency=_agency())
    login(user.username)
    elsewhere = app.test_client()
    assert _post(elsewhere, "/login", username=user.username,
                 password=PASSWORD).status_code == 302
    assert elsewhere.get("/documents/").status_code == 200
    enrol(client)
    assert elsewhere.get("/documents/").status_code == 302  # signed out
    assert client.get("/documents/").status_code == 200
    page = client.get("/account/2fa").get_data(as_text=True)
    assert "关闭两步验证" in page
    other = app.test_client()
    assert _post(other, "/login", username=user.username, password=PASSWORD).status_code == 302
    resp = _post(client, "/account/2fa/disable", current_password=PASSWORD)
    assert resp.status_code == 302
    assert "已关闭两步验证；您在其他浏览器中的登录已失效" in client.get(
        "/account/2fa").get_data(as_text=True)  # this session goes on
    assert other.get("/documents/").status_code == 302
