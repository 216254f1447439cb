"""Reading uploaded register spreadsheets (.xlsx, .csv) for import.

Exports of the registers go through the one exporter (``webapp.exports``), whose
leading apostrophe on formula-like CSV cells the import strips again.
Uploads are checked (size, extension, magic bytes, zip-bomb limits), kept in
``<data dir>/imports/<random id>.<ext>`` between preview and confirm, and
deleted afterwards or after a day.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import secrets
import time
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage

from ..errors import DomainError
from ..exports import unneutralise
from ..messages import LABELS

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_COLUMNS = 64
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
UPLOAD_TTL_SECONDS = 24 * 3600
UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
EXTENSIONS = ("xlsx", "csv")


def _imports_dir() -> Path:
    path = Path(current_app.config["GOVCOUNSEL_DATA_DIR"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_path(upload_id: str, ext: str) -> Path:
    """Where an upload is kept; refuses ids and extensions that are not ours."""
    if not UPLOAD_ID.match(upload_id or "") or ext not in EXTENSIONS:
        raise DomainError("import_expired", status=400)
    return _imports_dir() / f"{upload_id}.{ext}"


def _purge_stale() -> None:
    cutoff = time.time() - UPLOAD_TTL_SECONDS
    for path in _imports_dir().glob("*.*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def save_upload(storage: FileStorage | None) -> tuple[str, str]:
    """Check and keep an uploaded .xlsx/.csv; returns (upload id, extension).

    The kept file is read once here, so a file that does not open as a table
    (or has too many rows) is refused at upload and not kept.
    """
    if storage is None or not storage.filename:
        raise DomainError("import_no_file", status=400)
    ext = storage.filename.rsplit(".", 1)[-1].lower() if "." in storage.filename else ""
    if ext not in EXTENSIONS:
        raise DomainError("import_bad_file", status=415)
    data = storage.stream.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError("import_too_large", status=413, mb=MAX_IMPORT_BYTES // (1024 * 1024))
    if not data:
        raise DomainError("import_empty", status=400)
    if (ext == "xlsx") != data.startswith(b"PK\x03\x04") or (ext == "csv" and b"\x00" in data):
        raise DomainError("import_bad_file", status=415)
    _purge_stale()
    upload_id = secrets.token_urlsafe(24)
    path = upload_path(upload_id, ext)
    tmp = path.with_suffix(".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
    try:
        read_table(path, ext)
    except DomainError:
        path.unlink(missing_ok=True)
        raise
    return upload_id, ext


def discard_upload(upload_id: str, ext: str) -> None:
    """Delete a kept upload (after commit or cancel)."""
    with contextlib.suppress(DomainError):
        upload_path(upload_id, ext).unlink(missing_ok=True)


def _cell_text(value: Any) -> Any:
    """Spreadsheet cell → str, date or ''; whole floats lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return LABELS["yes_no"]["yes" if value else "no"]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES or \
                    sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                raise DomainError("import_bad_file", status=415)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                    yield [_cell_text(v) for v in row]
            finally:
                workbook.close()
    except DomainError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise DomainError("import_bad_file", status=415) from exc


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("import_bad_file", status=415)


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [unneutralise(cell) for cell in row[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise DomainError("import_bad_file", status=415) from exc


def read_table(path: Path, ext: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header row and numbered non-empty data rows (row 1 is the header)."""
    reader = _xlsx_rows(path) if ext == "xlsx" else _csv_rows(path)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(reader, start=1):
        if not any(str(cell).strip() for cell in cells):
            continue
        if header is None:
            header = [str(cell).strip() for cell in cells]
            continue
        rows.append((number, cells))
        if len(rows) > MAX_IMPORT_ROWS:
            raise DomainError("import_too_many_rows", status=413, max=MAX_IMPORT_ROWS)
    if header is None or not rows:
        raise DomainError("import_empty", status=422)
    return header, rows
