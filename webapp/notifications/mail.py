"""Reminder e-mail, optional: off unless ``GOVCOUNSEL_SMTP_URL`` is set.

``smtp://USER:PASSWORD@host:port`` (``?starttls=1`` to upgrade), ``smtps://`` for SSL.
Each notification is mailed at most once (``emailed_at``); one that could not be sent
stays unmarked and is tried again by the next ``govcounsel remind``.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..messages import PRODUCT_NAME, label
from ..models import Notification, NotificationAddress, utcnow

RECENT = timedelta(days=7)  # older unsent reminders are not mailed (no flood when mail is enabled)


def _connect(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"unsupported scheme {parts.scheme!r}")
    ssl = parts.scheme == "smtps"
    server = (smtplib.SMTP_SSL if ssl else smtplib.SMTP)(
        parts.hostname or "localhost", parts.port or (465 if ssl else 25), timeout=30)
    if parse_qs(parts.query).get("starttls") == ["1"]:
        server.starttls()
    if parts.username:
        server.login(unquote(parts.username), unquote(parts.password or ""))
    return server


def _message(note: Notification, to: str, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"【{PRODUCT_NAME}】{label('notification_kind', note.kind)}"
    msg["From"], msg["To"] = sender, to
    msg.set_content(f"{note.text}\n\n请登录{PRODUCT_NAME}查看：{note.link or '/'}\n")
    return msg


def send_pending() -> tuple[int, list[str]]:
    """Mail every notification not yet mailed to users with an address; (sent, errors).
    Marks each sent one (flush only); does nothing without ``GOVCOUNSEL_SMTP_URL``."""
    url = current_app.config.get("GOVCOUNSEL_SMTP_URL")
    if not url:
        return 0, []
    rows = db.session.execute(select(Notification, NotificationAddress.email).join(
        NotificationAddress, NotificationAddress.user_id == Notification.user_id).where(
        Notification.emailed_at.is_(None), Notification.created_at >= utcnow() - RECENT)
        .order_by(Notification.id)).all()
    if not rows:
        return 0, []
    sender = current_app.config["GOVCOUNSEL_MAIL_FROM"]
    sent, errors = 0, []
    try:
        server = _connect(url)
    except (OSError, ValueError, smtplib.SMTPException) as exc:
        return 0, [str(exc)]
    with server:
        for note, email in rows:
            try:
                server.send_message(_message(note, email, sender))
            except smtplib.SMTPException as exc:
                errors.append(f"{email}: {exc}")
                continue
            note.emailed_at = utcnow()
            sent += 1
    db.session.flush()
    return sent, errors
