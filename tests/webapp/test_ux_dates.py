"""Issue #15, UI findings 7 and 9: local dates and dates in words.

Reproductions (became these tests): dates defaulted to UTC, so between 00:00 and 08:00
Beijing time "today" could not be chosen (7); 启用 was offered before the term started
and messages showed ISO dates instead of 2027年1月1日 (9).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.webapp.engagements_support import body, create
from tests.webapp.test_engagements_lifecycle import _api, _sign, _term
from webapp import clock
from webapp.ui import date_cn


@pytest.fixture
def far_zone(app):
    """A time zone whose date differs from UTC's right now (UTC+14 or UTC-12), set as
    the service's; the default is restored afterwards."""
    utc_today = datetime.now(UTC).date()
    name = next(z for z in ("Pacific/Kiritimati", "Etc/GMT+12")
                if datetime.now(ZoneInfo(z)).date() != utc_today)
    app.config["GOVCOUNSEL_TIMEZONE"] = name
    clock.install(app)
    yield ZoneInfo(name)
    app.config["GOVCOUNSEL_TIMEZONE"] = clock.DEFAULT
    clock.install(app)


def test_the_default_time_zone_is_beijing(app):
    assert app.config["GOVCOUNSEL_TIMEZONE"] == "Asia/Shanghai"
    assert date.today() == datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert date_cn(datetime(2026, 3, 31, 16, 30)) == "2026年4月1日 00:30"


def test_local_today_can_be_chosen(client, world, far_zone):
    local_today = datetime.now(far_zone).date()
    eng = create(client, world.headers, body(world, **_term(local_today - timedelta(days=10))))
    assert eng.status_code == 201, eng.json
    signed = _sign(client, world.headers, eng.json["id"], signed_on=local_today.isoformat())
    assert signed.status_code == 200, signed.json
    assert date.today() == local_today


def test_activate_is_not_offered_before_the_term_and_dates_read_in_chinese(client, world,
                                                                           login):
    start = date.today() + timedelta(days=30)
    eng_id = create(client, world.headers, body(world, **_term(start))).json["id"]
    _sign(client, world.headers, eng_id, signed_on=date.today().isoformat())
    _api(client, world.headers, eng_id, "file", filing_no="备X1",
         filed_on=date.today().isoformat())
    early = _api(client, world.headers, eng_id, "activate")
    assert early.status_code == 409
    assert date_cn(start) in early.json["error"]["message"]
    assert start.isoformat() not in early.json["error"]["message"]
    login(world.admin.username)
    page = client.get(f"/engagements/{eng_id}").get_data(as_text=True)
    assert f"/engagements/{eng_id}/activate" not in page
    assert f"服务期限自 {date_cn(start)} 开始" in page
