"""``govcounsel remind``: the daily reminders (站内信 and optional e-mail); run it from cron."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from ..cli import command
from ..transaction import unit_of_work
from .remind import run


@command("remind")
@click.option("--today", "today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="按指定日期生成提醒（YYYY-MM-DD，默认今天）")
@with_appcontext
def remind_command(today) -> None:
    """Create the day's reminders (idempotent) and send the optional e-mail."""
    day: date = today.date() if today else date.today()
    with unit_of_work():
        result = run(day)
    click.echo(f"提醒生成完成（{day.isoformat()}）：法律事务 {result['matters']} 条，"
               f"合同 {result['contracts']} 条，年度考核 {result['evaluations']} 条；"
               f"发送邮件 {result['emailed']} 封。")
    for error in result["mail_errors"]:
        click.echo(f"邮件发送失败：{error}", err=True)
