"""站内信 (the notification centre), the calendar-feed settings and the feed itself.

Every page shows a bell with the user's unread count (``unread_count``, a template
global). The feed URL ``/calendar/<token>.ics`` needs no login — the secret token is
the credential — so an unknown or revoked token is a plain 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import policy
from ..errors import NotFound
from ..extensions import db
from ..listing import page_args, paginate
from ..messages import notice
from ..models import NotificationAddress
from . import (
    cli,  # noqa: F401  (registers ``govcounsel remind``)
    feed,
    inbox,
)

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
feed_bp = Blueprint("calendar_feed", __name__)


@bp.record_once
def _register(state) -> None:
    state.app.register_blueprint(feed_bp)
    state.app.jinja_env.globals["unread_count"] = unread_count


def unread_count() -> int:
    """The current user's unread notifications (0 when signed out)."""
    if not getattr(current_user, "is_authenticated", False):
        return 0
    return inbox.unread(current_user)


def _centre(token: str | None = None) -> str:
    """The notification centre page (``token``: a feed URL just issued, shown once)."""
    page_no, per_page = page_args()
    return render_template("notifications/index.html",
                           page=paginate(inbox.statement(current_user), page_no, per_page),
                           feed=feed.active_feed(current_user), token=token,
                           address=db.session.get(NotificationAddress, current_user.id))


@bp.route("/")
@login_required
def index():
    """The user's notifications, unread first, newest first."""
    policy.require(current_user, "notification.use")
    return _centre()


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    """Mark one of the user's notifications read and open what it links to."""
    note = inbox.mark_read(current_user, notification_id)
    return redirect(note.link or url_for(".index"), 303)


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification of the user read."""
    inbox.mark_all_read(current_user)
    flash(notice("notifications_read"), "success")
    return redirect(url_for(".index"), 303)


@bp.route("/calendar", methods=["POST"])
@login_required
def calendar_issue():
    """Issue a new secret feed URL (the old one stops working); shown once."""
    token = feed.issue(current_user)
    flash(notice("calendar_feed_issued"), "success")
    return _centre(url_for("calendar_feed.ics", token=token, _external=True))


@bp.route("/address", methods=["POST"])
@login_required
def address():
    """Set (or clear, when blank) the address reminder e-mails go to."""
    from ..validation import parse
    from .schemas import AddressInput

    data = parse(AddressInput, {"email": request.form.get("email", "")})
    row = db.session.get(NotificationAddress, current_user.id)
    if data.email is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(NotificationAddress(user_id=current_user.id, email=data.email))
    else:
        row.email = data.email
    flash(notice("notification_address_saved"), "success")
    return redirect(url_for(".index"), 303)


@bp.route("/calendar/revoke", methods=["POST"])
@login_required
def calendar_revoke():
    """Revoke the feed URL."""
    if feed.revoke(current_user):
        flash(notice("calendar_feed_revoked"), "success")
    return redirect(url_for(".index"), 303)


@feed_bp.route("/calendar/<token>.ics")
def ics(token: str):
    """The user's due dates as an iCalendar feed (the token is the credential)."""
    user = feed.user_for(token)
    if user is None:
        raise NotFound()
    body = feed.ics_bytes(user, request.url_root)
    resp = Response(body, mimetype="text/calendar")
    resp.headers["Cache-Control"] = "no-store"
    return resp
