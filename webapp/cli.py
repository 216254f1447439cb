"""The ``govcounsel`` console script: a Flask CLI group with the operator commands.

A command that writes owns its boundary: ``with unit_of_work():`` around each unit
(``webapp.transaction``) — the services it calls only flush.
"""

from __future__ import annotations

import sys
from pathlib import Path

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

    from .ports import problem
    from .setup import initialise, shutdown, start_background

    if (busy := problem(host, port)) is not None:
        click.echo(busy, err=True)
        sys.exit(1)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for line in initialise(app, demo=demo, rebuild_index=no_worker):
        click.echo(line)
    if not no_worker and app.config["GOVCOUNSEL_WORKER"]:
        start_background(app)
    click.echo(f"法律顾问文书管理平台已启动：http://{host}:{port}/  （Ctrl+C 停止）")
    sys.stdout.flush()
    try:
        serve(app, host=host, port=port, threads=threads, ident="GovCounsel",
              max_request_body_size=app.config["MAX_CONTENT_LENGTH"] + 1024 * 1024)
    finally:
        shutdown(app)


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
    from .transaction import unit_of_work

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        with unit_of_work():
            user = create_user(name, role, password, agency_code=agency_code,
                               advisor_id=advisor_id, display_name=display_name,
                               strong=True)
    except DomainError as exc:
        raise _refusal(exc) from exc
    click.echo(f"已创建用户 {user.username}（{role}）")


def _refusal(exc) -> click.ClickException:
    """A refused command's Chinese message, with the fields at fault."""
    details = "；".join(f"{k}: {v}" for k, v in exc.fields.items())
    return click.ClickException(f"{exc.message} {details}".strip())


@command("reset-2fa")
@click.argument("name")
@click.option("--reason", required=True, help="重置原因（记入审计日志，并以站内信告知该用户）")
@with_appcontext
def reset_2fa_command(name: str, reason: str) -> None:
    """Reset the two-step login of user NAME (e.g. an admin who lost the device): secret and
    recovery codes removed, sessions ended, API tokens revoked, audited."""
    from sqlalchemy import select

    from .auth.reset import next_login_text, reset_two_factor
    from .errors import DomainError
    from .extensions import db
    from .messages import notice
    from .models import User
    from .transaction import unit_of_work

    try:
        with unit_of_work():
            user = db.session.execute(select(User).where(User.username == name)
                                      ).scalar_one_or_none()
            if user is None:
                raise click.ClickException(f"用户“{name}”不存在")
            revoked = reset_two_factor(user, {"reason": reason}, None)
            text = notice("totp_reset_console", name=name, revoked=revoked,
                          next=next_login_text(user))
    except DomainError as exc:
        raise _refusal(exc) from exc
    click.echo(text)


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
    from .transaction import unit_of_work

    user = db.session.execute(select(User).where(User.username == name)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"用户“{name}”不存在")
    with unit_of_work():
        token = issue_token(user, token_name)
    click.echo(f"用户 {name} 的 API 令牌（只显示这一次）：")
    click.echo(token)


@command("worker")
@click.option("--once", is_flag=True, help="处理完当前队列后退出")
@with_appcontext
def worker_command(once: bool) -> None:
    """Run the index/extraction worker on its own (Ctrl+C stops it)."""
    import signal
    import threading

    from .indexing import jobs
    from .indexing.runner import loop
    from .ops.reindex import rebuild_if_needed
    from .setup import shutdown

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for line in rebuild_if_needed(app):
        click.echo(line)
    if once:
        click.echo(f"已处理 {jobs.drain()} 个索引任务。")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("索引工作进程已启动（Ctrl+C 停止）。")
    try:
        loop(app, stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        shutdown(app)


@command("reindex")
@click.option("--restart", is_flag=True, help="忽略上次中断的进度，从头重建")
@click.option("--chunk", default=1000, show_default=True, type=click.IntRange(1, 10_000),
              help="每批读取并提交的文书数（决定内存用量和断点间隔）")
@with_appcontext
def reindex_command(restart: bool, chunk: int) -> None:
    """Rebuild the search index from database and store (bounded memory, resumable)."""
    from sqlalchemy import func, select

    from .extensions import db
    from .models import Document
    from .ops.reindex import reindex

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    total = db.session.execute(select(func.count(Document.id)).where(
        Document.deleted_at.is_(None))).scalar_one()
    with click.progressbar(length=total, label="重建索引") as bar:
        counts = reindex(app, restart=restart, progress=bar.update, chunk=chunk)
    click.echo(f"索引重建完成：{counts['indexed']} 份文书。")


@command("verify")
@click.option("--clean-orphans", is_flag=True,
              help="删除未被任何文书引用的孤立文件和中断上传留下的临时文件")
@with_appcontext
def verify_command(clean_orphans: bool) -> None:
    """Re-hash every blob, check the audit chain and DB↔index agreement (exit 1 on problems)."""
    from sqlalchemy import func, select

    from .extensions import db
    from .models import DocumentVersion
    from .ops.verify import clean_crash_leftovers, verify
    from .ops.verify import clean_orphans as clean

    total = db.session.execute(select(func.count(func.distinct(DocumentVersion.sha256)))
                               ).scalar_one()
    with click.progressbar(length=total, label="校验文件") as bar:
        report = verify(progress=bar.update)
    click.echo(f"已校验 {report.blobs_checked} 个文件。")
    for note in report.notes:
        click.echo(f"提示：{note}")
    if clean_orphans and report.orphans:
        click.echo(f"已清理 {clean(report.orphans)} 个孤立文件。")
    if clean_orphans and (leftovers := clean_crash_leftovers()):
        click.echo(f"已清理 {leftovers} 个中断上传留下的临时文件（一小时以前的）。")
    if report.problems:
        for problem in report.problems:
            click.echo(f"问题：{problem}", err=True)
        click.echo(f"校验未通过：发现 {len(report.problems)} 个问题。", err=True)
        sys.exit(1)
    click.echo("校验通过：文件完整，审计日志哈希链完整，检索索引与数据库一致。")


@command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--agency", "agency_code", required=True, help="单位代码")
@click.option("--type", "doc_type", required=True,
              type=click.Choice(["legal_opinion", "legality_review", "risk_assessment",
                                 "review_report", "contract", "other"]))
@click.option("--user", "username", help="以哪个用户的名义登记（默认第一个管理员）")
@with_appcontext
def import_command(folder: Path, agency_code: str, doc_type: str, username: str | None) -> None:
    """Bulk import a folder; a bad file is reported and skipped, never half-stored."""
    from sqlalchemy import select

    from .errors import DomainError
    from .extensions import db
    from .models import User
    from .ops.bulk_import import files_in, run_import

    stmt = select(User).where(User.username == username) if username else \
        select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)
    actor = db.session.execute(stmt).scalars().first()
    if actor is None:
        raise click.ClickException("找不到登记用户：请先创建管理员，或用 --user 指定")
    files = files_in(folder)
    try:
        with click.progressbar(length=len(files), label="导入文书") as bar:
            summary = run_import(folder, agency_code, doc_type, actor,
                                 progress=lambda _: bar.update(1))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    for name, reason in summary.refused:
        click.echo(f"已拒绝：{name}：{reason}", err=True)
    click.echo(f"导入完成：新登记 {len(summary.imported)} 份，重复 {len(summary.duplicates)} 份，"
               f"拒绝 {len(summary.refused)} 份。")
from .ops import migrate_store as _migrate_store  # noqa: E402, F401


@command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write an online, consistent backup (database, blobs, templates, settings; no index)."""
    from .ops.backup import create_backup

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with click.progressbar(length=0, label="备份文件", show_pos=True) as bar:
        manifest = create_backup(app, file, progress=lambda _: bar.update(1))
    rows = sum(manifest["tables"].values())
    click.echo(f"备份完成：{file}（{rows} 行数据，{manifest['blobs']} 个文件）")


@command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Restore a backup into an empty data dir and database, then rebuild the index."""
    from .ops.backup import BackupError, restore_backup
    from .ops.reindex import reindex
    from .setup import initialise
    from .transaction import unit_of_work

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    initialise(app, rebuild_index=False)
    try:
        with unit_of_work():
            manifest = restore_backup(app, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    counts = reindex(app, restart=True)
    click.echo(f"恢复完成：{sum(manifest['tables'].values())} 行数据，{manifest['blobs']} 个文件；"
               f"已重建索引（{counts['indexed']} 份文书）。")
