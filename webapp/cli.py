"""The ``govcounsel`` console script: a Flask CLI group with the operator commands."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext


@click.group(cls=FlaskGroup, create_app=lambda: _create_app(), add_default_commands=True,
             add_version_option=False, load_dotenv=False)
def main() -> None:
    """法律顾问文书管理平台 (GovCounsel) command line."""


def _create_app() -> Flask:
    from . import create_app

    return create_app()


COMMANDS: list[click.Command] = []


def command(name: str):
    """Declare an operator command; ``register_cli`` adds them all to ``app.cli``."""

    def decorate(func):
        cmd = click.command(name)(func)
        COMMANDS.append(cmd)
        return cmd

    return decorate


def register_cli(app: Flask) -> None:
    """Add every operator command to the app's CLI (so ``flask --app wsgi`` has them too)."""
    for cmd in COMMANDS:
        app.cli.add_command(cmd)


@command("init")
@click.option("--demo", is_flag=True, help="空库时载入演示数据")
@with_appcontext
def init_command(demo: bool) -> None:
    """Create or upgrade the schema, store and index (idempotent)."""
    from .setup import initialise

    report = initialise(current_app, demo=demo)
    for line in report:
        click.echo(line)


@command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="空库时载入演示数据")
@click.option("--no-worker", is_flag=True, help="不在进程内运行索引工作线程")
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int, demo: bool, no_worker: bool, threads: int) -> None:
    """Upgrade the schema and serve the app with waitress (production WSGI server)."""
    from waitress import serve

    from .setup import initialise, start_background

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for line in initialise(app, demo=demo):
        click.echo(line)
    if not no_worker and app.config["GOVCOUNSEL_WORKER"]:
        start_background(app)
    click.echo(f"法律顾问文书管理平台已启动：http://{host}:{port}/  （Ctrl+C 停止）")
    sys.stdout.flush()
    serve(app, host=host, port=port, threads=threads, ident="GovCounsel",
          max_request_body_size=app.config["MAX_CONTENT_LENGTH"] + 1024 * 1024)


@command("create-user")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "clerk", "advisor", "auditor"]))
@click.option("--agency", "agency_code", help="经办人所属单位代码")
@click.option("--advisor", "advisor_id", type=int, help="顾问账号绑定的顾问 ID")
@click.option("--display-name", help="显示名")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取一行作为密码")
@with_appcontext
def create_user_command(name: str, role: str, agency_code: str | None, advisor_id: int | None,
                        display_name: str | None, password_stdin: bool) -> None:
    """Create a user; the password is prompted, or read as one line from stdin."""
    from .auth.services import create_user
    from .errors import DomainError
    from .extensions import db

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(name, role, password, agency_code=agency_code, advisor_id=advisor_id,
                           display_name=display_name)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        details = "；".join(f"{k}: {v}" for k, v in exc.fields.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from exc
    click.echo(f"已创建用户 {user.username}（{role}）")


@command("create-token")
@click.argument("name")
@click.option("--label", "token_name", default="cli", help="令牌名称")
@with_appcontext
def create_token_command(name: str, token_name: str) -> None:
    """Print a new API token for user NAME (the token alone on the last line)."""
    from sqlalchemy import select

    from .auth.services import issue_token
    from .extensions import db
    from .models import User

    user = db.session.execute(select(User).where(User.username == name)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"用户“{name}”不存在")
    token = issue_token(user, token_name)
    db.session.commit()
    click.echo(f"用户 {name} 的 API 令牌（只显示这一次）：")
    click.echo(token)
