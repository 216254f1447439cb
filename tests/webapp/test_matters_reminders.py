"""Reminders: the daily command is idempotent, the bell counts, the .ics feed carries the
due dates behind a revocable secret, and e-mail reaches a real (local) SMTP server."""

from __future__ import annotations

import socket
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.webapp.matters_support import engage, seed
from webapp.extensions import db
from webapp.matters import services
from webapp.matters.schemas import MatterCreate
from webapp.models import LegalMatter, Notification, NotificationAddress
from webapp.notifications import feed
from webapp.transaction import unit_of_work


@pytest.fixture
def world(app, make_user):
    return seed(make_user)


def _matter(world, requested: date, due: date, **kw) -> LegalMatter:
    data = MatterCreate(agency_id=world.agency.id, kind="contract_review",
                        title=kw.pop("title", "采购合同审查"), advisor_ids=[world.advisor.id],
                        requested_on=requested, due_on=due, **kw)
    with unit_of_work():
        return services.create(world.clerk, data, today=requested)


def _notes(user, kind=None) -> list[Notification]:
    stmt = select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.execute(stmt).scalars())


def test_remind_is_idempotent_and_flags_overdue_matters(runner, world):
    today = date.today()
    overdue = _matter(world, today - timedelta(days=20), today - timedelta(days=2))
    assert [n.kind for n in _notes(world.advisor_user)] == ["matter_assigned"]
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    assert "提醒生成完成" in result.output
    for user in (world.advisor_user, world.clerk):
        notes = _notes(user, "matter_overdue")
        assert len(notes) == 1 and overdue.matter_no in notes[0].text
    assert _notes(world.other_clerk) == []
    total = db.session.execute(select(func.count(Notification.id))).scalar_one()
    again = runner.invoke(args=["remind"])
    assert again.exit_code == 0
    assert db.session.execute(select(func.count(Notification.id))).scalar_one() == total


def test_contract_expiry_and_filing_reminders(runner, world):
    today = date.today()
    eng = engage(world.agency, world.outsider, 9, end=today + timedelta(days=45))
    runner.invoke(args=["remind"])
    notes = _notes(world.clerk, "contract_expiring")
    assert len(notes) == 1 and eng.contract_no in notes[0].text and "60 天内" in notes[0].text
    runner.invoke(args=["remind", "--today", (today + timedelta(days=20)).isoformat()])
    assert len(_notes(world.clerk, "contract_expiring")) == 2  # now within 30 days


def test_the_bell_counts_unread_and_marking_read_clears_it(client, world, login):
    _matter(world, date.today(), date.today() + timedelta(days=7))
    login(world.advisor_user.username)
    page = client.get("/documents/").get_data(as_text=True)
    assert 'data-bell-count>1<' in page
    # drawn as an inline SVG: an emoji bell showed as an empty box without an emoji font
    bell = page[page.index("data-bell>"):][:600]
    assert bell.startswith("data-bell><svg") and "\U0001F514" not in page
    note = _notes(world.advisor_user)[0]
    from tests.helpers import csrf_token

    token = csrf_token(client, "/notifications/")
    resp = client.post(f"/notifications/{note.id}/read", data={"csrf_token": token})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(
        f"/matters/{note.matter_id}")
    assert "data-bell-count" not in client.get("/notifications/").get_data(as_text=True)


def test_the_calendar_feed_has_the_due_dates_and_can_be_revoked(client, world):
    due = date.today() + timedelta(days=6)
    matter = _matter(world, date.today(), due)
    _matter(world, date.today(), due, classified=True, title="涉密事项玄武湖")
    with unit_of_work():
        token = feed.issue(world.advisor_user)
    resp = client.get(f"/calendar/{token}.ics")
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    body = resp.get_data(as_text=True)
    assert f"DTSTART;VALUE=DATE:{due:%Y%m%d}" in body and matter.matter_no in body
    assert "玄武湖" not in body  # a classified matter never reaches the advisor
    with unit_of_work():
        clerk_token = feed.issue(world.clerk)
    assert "玄武湖" in client.get(f"/calendar/{clerk_token}.ics").get_data(as_text=True)
    with unit_of_work():
        feed.revoke(world.advisor_user)
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_reminder_email_reaches_a_local_smtp_server_once(app, runner, world):
    """A real SMTP server (aiosmtpd) on a local port; nothing of ours is faked."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    port = _free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config["GOVCOUNSEL_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        db.session.add(NotificationAddress(user_id=world.advisor_user.id,
                                           email="zhao@lawfirm.example"))
        db.session.commit()
        today = date.today()
        matter = _matter(world, today - timedelta(days=20), today - timedelta(days=1))
        result = runner.invoke(args=["remind"])
        assert result.exit_code == 0, result.output
        assert "发送邮件 2 封" in result.output  # assigned + overdue
        assert {m["To"] for m in received} == {"zhao@lawfirm.example"}
        bodies = [m.get_payload(decode=True).decode("utf-8") for m in received]
        assert any(matter.matter_no in b and "已逾期" in b for b in bodies)
        runner.invoke(args=["remind"])
        assert len(received) == 2
    finally:
        controller.stop()
