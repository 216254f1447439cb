"""Browser journey (issue #15, 等保 2.0): an auditor turns on two-step login, scanning
nothing but reading the secret the page shows (as an authenticator app would from the
QR code), saves the recovery codes, signs out and signs in again with a code — the code
that confirmed the enrolment is refused as used; then an admin resets the auditor's
two-step login in 用户管理 (confirmation dialog, reason), which signs the auditor out,
and the auditor, back with the password alone, reads why in 站内信.

The account is made for this journey with ``govcounsel create-user`` against the
running server, so the demo users the other journeys share are left as they are.
"""

from __future__ import annotations

import subprocess
import time

import pyotp
from playwright.sync_api import expect

from tests.e2e import server as live
from tests.e2e.conftest import STEP_TIMEOUT_MS, VIEWPORT

USERNAME = "e2e_auditor_2fa"
PASSWORD = "Shenji-2027-e2e!"


def _create_user(server) -> None:
    result = subprocess.run([*live.govcounsel_command(), "create-user", USERNAME, "--role",
                             "auditor", "--password-stdin"], env=server.env,
                            input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _password_step(page, server) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("用户名").fill(USERNAME)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _admin_resets_two_step_login(login, server, shot) -> None:
    admin = login("admin")
    admin.goto(server.url + "/orgs/users?q=" + USERNAME)
    row = admin.get_by_role("row").filter(has_text=USERNAME)
    expect(row.get_by_text("两步验证")).to_be_visible()
    row.get_by_role("link", name="编辑").click()
    admin.get_by_role("link", name="重置两步验证").click()
    admin.get_by_role("button", name="重置两步验证").click()  # no reason: refused
    expect(admin.get_by_text("必填")).to_be_visible()
    admin.get_by_label("重置原因").fill("手机丢失，已电话核实本人")
    shot(admin, "5-two-step-reset")
    admin.get_by_role("button", name="重置两步验证").click()
    expect(admin.get_by_text("已重置“" + USERNAME + "”的两步验证")).to_be_visible()
    assert any("确定要重置" in text for text in admin.dialogs)
    expect(admin.get_by_text("两步验证：未启用")).to_be_visible()


def test_an_auditor_turns_on_two_step_login_and_signs_in_with_a_code(browser, server, shot,
                                                                     login):
    _create_user(server)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport=VIEWPORT)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        page = context.new_page()
        _password_step(page, server)
        page.wait_for_url(server.url + "/")
        page.get_by_role("link", name="账户安全").click()
        page.get_by_role("link", name="设置两步验证").click()
        expect(page.get_by_alt_text("两步验证二维码")).to_be_visible()
        secret = page.locator("#totp-secret").inner_text().strip()
        shot(page, "5-two-step-enrolment")
        page.get_by_label("验证器应用中显示的 6 位数字").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="启用两步验证").click()
        codes = page.locator("#recovery-codes li")
        expect(codes).to_have_count(10)
        page.get_by_role("link", name="我已保存").click()
        expect(page.get_by_text("已启用")).to_be_visible()
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(server.url + "/login")

        _password_step(page, server)
        expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
        page.get_by_label("动态口令或恢复码").fill("000000")
        page.get_by_role("button", name="验证并登录").click()
        expect(page.get_by_text("动态口令不正确")).to_be_visible()
        used = pyotp.TOTP(secret).at(time.time() - 1)  # the enrolment's step: used up
        page.get_by_label("动态口令或恢复码").fill(used)
        page.get_by_role("button", name="验证并登录").click()
        expect(page.get_by_text("该动态口令已经使用过")).to_be_visible()
        page.get_by_label("动态口令或恢复码").fill(pyotp.TOTP(secret).at(time.time() + 30))
        page.get_by_role("button", name="验证并登录").click()
        page.wait_for_url(server.url + "/")
        page.goto(server.url + "/account/logins")
        expect(page.get_by_text("登录失败（动态口令错误）")).to_be_visible()
        expect(page.get_by_text("登录失败（动态口令重复使用）")).to_be_visible()
        _admin_resets_two_step_login(login, server, shot)
        page.goto(server.url + "/account/")
        page.wait_for_url(server.url + "/login**")  # signed out by the reset
        _password_step(page, server)
        page.wait_for_url(server.url + "/")  # the password alone: two-step login is off
        page.goto(server.url + "/notifications/")
        expect(page.get_by_text("管理员已重置您的两步验证")).to_be_visible()
        expect(page.get_by_text("手机丢失")).to_be_visible()
    finally:
        context.close()
    # collect the admin token the server fixture's ``create-token`` made (closes its pipes
    # when this journey runs on its own)
    assert server.token.startswith("gct_")
