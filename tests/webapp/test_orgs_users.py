"""User management: create with role and binding, reset password, deactivate, unlock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.helpers import PASSWORD, csrf_token
from webapp.extensions import db
from webapp.models import AuditEvent, User, utcnow

NEW_PASSWORD = "brand-new-secret-9"


def post(client, url: str, data: dict):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/orgs/firms")})


def users() -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count(User.id))).scalar_one()


def second_client(app, username: str, password: str = PASSWORD):
    other = app.test_client()
    resp = other.post("/login", data={"username": username, "password": password,
                                      "csrf_token": csrf_token(other)})
    assert resp.status_code == 302
    assert other.get("/").status_code == 200
    return other


def test_admin_creates_a_clerk_bound_to_an_agency(app, client, login_as, make_agency):
    agency = make_agency("U1", "用户测试局")
    login_as("admin")
    resp = post(client, "/orgs/users/new", {
        "username": "clerk.zhang", "display_name": "张经办", "role": "clerk",
        "agency": "U1", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    user = db.session.execute(select(User).where(User.username == "clerk.zhang")).scalar_one()
    assert user.agency_id == agency.id and user.display_name == "张经办"
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "user_created")).scalars().all()[-1]
    assert event.detail["username"] == "clerk.zhang" and NEW_PASSWORD not in str(event.detail)
    second_client(app, "clerk.zhang", NEW_PASSWORD)


@pytest.mark.parametrize(("change", "message"), [
    ({"role": "clerk", "agency": ""}, "必须绑定一个单位"),
    ({"role": "clerk", "agency": "NOPE"}, "不存在"),
    ({"role": "advisor"}, "必须绑定一个顾问记录"),
    ({"username": "坏 名字"}, "用户名只能包含"),
    ({"username": "admin1"}, "已存在"),
    ({"password": "short", "password_confirm": "short"}, "密码至少 10 位"),
    ({"password_confirm": "different-123"}, "两次输入的密码不一致"),
    ({"display_name": "<b>x</b>"}, "HTML"),
    ({"role": "root"}, "不是有效选项"),
])
def test_bad_new_users_are_refused(app, client, login_as, change, message):
    login_as("admin")
    before = users()
    data = {"username": "newbie", "role": "auditor", "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD, **change}
    resp = post(client, "/orgs/users/new", data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert users() == before


def test_deactivating_a_user_ends_their_session(app, client, login_as, make_user):
    victim = make_user("auditor", username="leaving")
    other = second_client(app, "leaving")
    login_as("admin")
    assert post(client, f"/orgs/users/{victim.id}/deactivate", {}).status_code == 302
    resp = other.get("/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    db.session.expire_all()
    assert victim.active is False
    resp = other.post("/login", data={"username": "leaving", "password": PASSWORD,
                                      "csrf_token": csrf_token(other)})
    assert "账号已停用" in resp.get_data(as_text=True)


def test_reactivated_user_can_log_in_again(app, client, login_as, make_user):
    victim = make_user("auditor", username="returning")
    login_as("admin")
    post(client, f"/orgs/users/{victim.id}/deactivate", {})
    post(client, f"/orgs/users/{victim.id}/reactivate", {})
    second_client(app, "returning")


def test_password_reset_ends_sessions_and_old_password(app, client, login_as, make_user):
    victim = make_user("auditor", username="forgetful")
    other = second_client(app, "forgetful")
    login_as("admin")
    resp = post(client, f"/orgs/users/{victim.id}/password",
                {"password": "short", "password_confirm": "short"})
    assert resp.status_code == 422 and other.get("/").status_code == 200
    resp = post(client, f"/orgs/users/{victim.id}/password",
                {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert other.get("/").status_code == 302
    second_client(app, "forgetful", NEW_PASSWORD)
    assert db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "user_password_reset")).scalar_one()


def test_role_change_ends_sessions(app, client, login_as, make_user, make_agency):
    make_agency("R9", "改角色局")
    victim = make_user("auditor", username="promoted")
    other = second_client(app, "promoted")
    login_as("admin")
    resp = post(client, f"/orgs/users/{victim.id}/edit",
                {"display_name": "新名字", "role": "clerk", "agency": "R9"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert victim.role == "clerk" and victim.display_name == "新名字"
    assert other.get("/").status_code == 302


def test_admin_unlocks_a_locked_account(app, client, login_as, make_user):
    victim = make_user("auditor", username="locked")
    victim.locked_until, victim.failed_logins = utcnow() + timedelta(minutes=10), 3
    db.session.commit()
    login_as("admin")
    html = client.get("/orgs/users?locked=1").get_data(as_text=True)
    assert "已锁定" in html and "共 1 条" in html
    assert post(client, f"/orgs/users/{victim.id}/unlock", {}).status_code == 302
    db.session.expire_all()
    assert victim.locked_until is None and victim.failed_logins == 0
    second_client(app, "locked")


def test_admin_cannot_deactivate_or_demote_self(app, client, login_as):
    me = login_as("admin")
    resp = post(client, f"/orgs/users/{me.id}/deactivate", {})
    assert resp.status_code == 302
    db.session.expire_all()
    assert me.active
    resp = post(client, f"/orgs/users/{me.id}/edit", {"role": "auditor"})
    assert resp.status_code == 422 and "不能停用、降级" in resp.get_data(as_text=True)


@pytest.mark.parametrize("role", ["clerk", "advisor", "auditor"])
def test_only_admin_manages_users(app, client, login_as, make_user, make_advisor, role):
    victim = make_user("auditor", username="target")
    login_as(role, advisor=make_advisor("某律师") if role == "advisor" else None)
    before = users()
    assert client.get("/orgs/users/new").status_code == 403
    assert post(client, "/orgs/users/new", {"username": "x1", "role": "admin",
                                            "password": NEW_PASSWORD,
                                            "password_confirm": NEW_PASSWORD}).status_code == 403
    assert post(client, f"/orgs/users/{victim.id}/deactivate", {}).status_code == 403
    assert post(client, f"/orgs/users/{victim.id}/password",
                {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 403
    assert post(client, f"/orgs/users/{victim.id}/unlock", {}).status_code == 403
    assert users() == before
    db.session.expire_all()
    assert victim.active


def test_user_edit_page_shows_binding(app, client, login_as, make_agency, make_user):
    agency = make_agency("B1", "绑定局")
    user = make_user("clerk", agency=agency)
    login_as("admin")
    html = client.get(f"/orgs/users/{user.id}/edit").get_data(as_text=True)
    assert '<option selected value="B1">' in html or 'value="B1" selected' in html
