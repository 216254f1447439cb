"""``govcounsel migrate-store FROM TO``: copy every blob between store backends.

FROM and TO are anything ``GOVCOUNSEL_STORE`` accepts: a folder, a ``file://``
URL or ``s3://bucket/prefix?endpoint=…``. Blobs are streamed one by one
(bounded memory), the source bytes are checked against their SHA-256 on the
way, and each copy is re-hashed at the destination unless ``--no-verify``.
Blobs already at the destination are skipped (and still verified), so an
interrupted run can simply be started again. Any failure is listed and the
command exits with status 1. The database is not touched: once the copy is
complete, point ``GOVCOUNSEL_STORE`` at TO and restart the service.

This module registers the command with ``webapp.cli.command``; ``webapp/cli.py``
imports it at its end.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click

import document_store
from document_store import BlobStore, CopyReport, StoreError

from ..cli import command


def missing_local_folder(location: str) -> bool:
    """True when ``location`` names a local folder (path or file:// URL) that does not exist."""
    parts = urlsplit(location)
    if "://" not in location:
        return not Path(location).is_dir()
    if parts.scheme.lower() == "file":
        return not Path(unquote(parts.path)).is_dir()
    return False


def open_or_fail(location: str, role: str) -> BlobStore:
    """Open a store for the command, turning store errors into a clean CLI error."""
    try:
        return document_store.open_store(location)
    except StoreError as exc:
        raise click.ClickException(f"无法打开{role}文件库 {location}：{exc.detail}") from exc


def run_migration(src: BlobStore, dst: BlobStore, *, verify: bool) -> CopyReport:
    """Count the source blobs, then copy them with a progress bar."""
    total = sum(1 for _ in src.iter_keys())
    with click.progressbar(length=total, label="迁移文件") as bar:
        return document_store.copy_all(src, dst, progress=lambda _sha: bar.update(1),
                                       verify=verify)


@command("migrate-store")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--no-verify", is_flag=True, help="复制后不在目标库重新计算 SHA-256（更快）")
def migrate_store_command(source: str, target: str, no_verify: bool) -> None:
    """Copy every blob from store FROM to store TO (folder or s3:// URL), verified.

    Blobs already in TO are skipped; exits with status 1 and lists the blobs
    that failed. Afterwards set GOVCOUNSEL_STORE to TO.
    """
    if missing_local_folder(source):
        raise click.ClickException(f"源文件库不存在：{source}")
    src = open_or_fail(source, "源")
    dst = open_or_fail(target, "目标")
    try:
        report = run_migration(src, dst, verify=not no_verify)
    except StoreError as exc:
        raise click.ClickException(f"迁移中断：{exc.detail}") from exc
    click.echo(f"迁移完成：复制 {report.copied} 个文件，目标库已有 {report.skipped_existing} 个，"
               f"失败 {len(report.failed)} 个。")
    if report.failed:
        for sha256, reason in report.failed:
            click.echo(f"失败：{sha256}：{reason}", err=True)
        click.echo(f"迁移未完成：{len(report.failed)} 个文件失败；处理后可重新运行，"
                   "已复制的文件会被跳过。", err=True)
        sys.exit(1)
    checked = "并已逐个校验 SHA-256" if not no_verify else "（未校验）"
    click.echo(f"目标库已包含源库的全部文件{checked}。可将 GOVCOUNSEL_STORE 设为：{target}")
