"""``govcounsel check-expiry``: the daily check of contract states (run it from cron)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..cli import command
from ..extensions import db
from ..models import Engagement
from ..transaction import unit_of_work
from .lifecycle import check_expiry
from .queries import overdue_condition


@command("check-expiry")
@click.option("--today", "today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="按指定日期检查（YYYY-MM-DD，默认今天）")
@with_appcontext
def check_expiry_command(today) -> None:
    """Activate filed contracts whose term began and expire those whose term ended."""
    day: date = today.date() if today else date.today()
    with unit_of_work():
        counts = check_expiry(day)
    overdue = db.session.execute(select(func.count(Engagement.id)).where(
        overdue_condition(day))).scalar_one()
    click.echo(f"合同状态检查完成（{day.isoformat()}）：启用 {counts['activated']} 份，"
               f"到期 {counts['expired']} 份；逾期未备案 {overdue} 份。")
