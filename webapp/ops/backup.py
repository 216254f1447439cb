"""``govcounsel backup FILE`` / ``govcounsel restore FILE``: everything needed to rebuild.

A backup is a tar archive holding ``manifest.json``, one JSON-lines file per table
(read in one transaction, so the rows are a consistent snapshot while the service
runs), every blob of the store (content-addressed, so immutable), and the instance
settings (``config.json``, ``secret_key``). The search index is not included: a
restore rebuilds it. Restore requires an empty database and store, checks every
blob's SHA-256, and commits the rows in one transaction.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Numeric,
    Table,
    func,
    insert,
    select,
    text,
    update,
)

from ..documents.intake import blob_store
from ..extensions import db
from ..models import Agency, Document, User

FORMAT = 1
SETTINGS_FILES = ("config.json", "secret_key")
DEFERRED_FK = {("documents", "engagement_id")}


class BackupError(Exception):
    """The archive is unusable or the target is not empty (message in Chinese)."""


def _tables() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name != "alembic_version"]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _table_rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
        yield dict(row._mapping)


def create_backup(app: Flask, target: Path, progress: Callable[[str], None] | None = None
                  ) -> dict[str, Any]:
    """Write the archive to ``target`` (a temp file renamed at the end). Returns the manifest."""
    counts: dict[str, int] = {}
    partial = target.with_name(target.name + ".partial")
    store = blob_store()
    level = "REPEATABLE READ" if db.engine.dialect.name == "postgresql" else "SERIALIZABLE"
    with tarfile.open(partial, "w:gz") as tar:
        # one read transaction: every table comes from the same snapshot
        with db.engine.connect().execution_options(isolation_level=level) as conn, \
                conn.begin():
            for table in _tables():
                lines = [json.dumps(r, ensure_ascii=False, default=_json_default)
                         for r in _table_rows(conn, table)]
                counts[table.name] = len(lines)
                _add_bytes(tar, f"db/{table.name}.jsonl", "\n".join(lines).encode("utf-8"))
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        blobs = 0
        for sha in store.iter_keys():
            with store.open(sha) as fh:
                info = tarfile.TarInfo(f"blobs/{sha}")
                info.size = store.size(sha)
                tar.addfile(info, fh)
            blobs += 1
            if progress:
                progress(sha)
        data_dir = Path(app.config["GOVCOUNSEL_DATA_DIR"])
        for name in SETTINGS_FILES:
            if (data_dir / name).exists():
                _add_bytes(tar, f"settings/{name}", (data_dir / name).read_bytes())
        manifest = {"format": FORMAT, "created": datetime.now().isoformat(timespec="seconds"),
                    "alembic_revision": revision, "tables": counts, "blobs": blobs}
        _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
    partial.replace(target)
    return manifest


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    for column in table.columns:
        value = row.get(column.name)
        if value is None:
            continue
        if isinstance(column.type, DateTime):
            row[column.name] = datetime.fromisoformat(value)
        elif isinstance(column.type, Date):
            row[column.name] = date.fromisoformat(value)
        elif isinstance(column.type, Numeric):
            row[column.name] = Decimal(value)
    return row


def _read_member(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        member = tar.extractfile(name)
    except KeyError as exc:
        raise BackupError(f"备份文件不完整：缺少 {name}") from exc
    if member is None:
        raise BackupError(f"备份文件不完整：{name} 不是文件")
    return member.read()


def restore_backup(app: Flask, source: Path) -> dict[str, Any]:
    """Restore into an empty database and store; the caller then rebuilds the index."""
    for model in (Agency, User, Document):
        if db.session.execute(select(func.count()).select_from(model)).scalar_one():
            raise BackupError("目标数据库不是空的：恢复只能在空的数据目录和数据库中进行")
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from exc
    with tar:
        manifest = json.loads(_read_member(tar, "manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError("备份文件格式不受支持")
        _restore_blobs(tar)
        _restore_rows(tar, manifest)
        _restore_settings(app, tar)
    return manifest


def _restore_blobs(tar: tarfile.TarFile) -> None:
    store = blob_store()
    for member in tar.getmembers():
        if not member.name.startswith("blobs/") or not member.isfile():
            continue
        sha = member.name.split("/", 1)[1]
        ref = store.put(tar.extractfile(member))
        if ref.sha256 != sha:
            raise BackupError(f"备份中的文件已损坏：{sha}")


def _restore_rows(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    deferred: list[tuple[Table, Any, str, Any]] = []
    for table in reversed(_tables()):
        db.session.execute(table.delete())
    for table in _tables():
        raw = _read_member(tar, f"db/{table.name}.jsonl").decode("utf-8")
        rows = [_decode(table, json.loads(line)) for line in raw.splitlines() if line]
        if len(rows) != manifest["tables"].get(table.name, len(rows)):
            raise BackupError(f"备份文件不完整：表 {table.name} 的行数不符")
        for row in rows:
            for t_name, column in DEFERRED_FK:
                if t_name == table.name and row.get(column) is not None:
                    deferred.append((table, row["id"], column, row[column]))
                    row[column] = None
        if rows:
            db.session.execute(insert(table), rows)
    for table, row_id, column, value in deferred:
        db.session.execute(update(table).where(table.c.id == row_id).values({column: value}))
    _reset_sequences()


def _reset_sequences() -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.c and table.c.id.autoincrement is not False and \
                isinstance(table.c.id.type, db.Integer):
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def _restore_settings(app: Flask, tar: tarfile.TarFile) -> None:
    data_dir = Path(app.config["GOVCOUNSEL_DATA_DIR"])
    for name in SETTINGS_FILES:
        try:
            data = _read_member(tar, f"settings/{name}")
        except BackupError:
            continue
        path = data_dir / name
        path.write_bytes(data)
        path.chmod(0o600)
