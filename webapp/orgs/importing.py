"""Import of a register from a kept upload: every row validated, all or nothing.

``run_import`` sends each row through the same service functions as the forms
(flush only) and collects the row's Chinese errors. A blank cell leaves the stored
value as it is; the marker ``<清空>`` clears it (#15, UI finding 2); each updated
row carries its changes (field: before → after) for the preview. The caller always rolls
back after a preview (which skips the per-row audit events, as nothing is
kept), and on confirm commits only a report without errors — one bad row
means nothing is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..audit import services as audit
from ..audit.objects import fields_for
from ..audit.present import value_text
from ..errors import DomainError, ValidationFailed
from ..messages import ORG_FIELDS, error_text
from ..models import Advisor, Agency, LawFirm
from . import io, pool_import, services, tables

CLEAR = "<清空>"

Saver = Callable[..., tuple[Any, str]]
Identity = Callable[[Mapping[str, Any]], Any]


def _text(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _record_saver(model: type) -> Saver:
    def save(data: Mapping[str, Any], *, audited: bool) -> tuple[Any, str]:
        return services.save_record(model, data, services.find_for_import(model, data),
                                    audited=audited)

    return save


IMPORTERS: dict[str, tuple[Saver, Identity]] = {
    "agencies": (_record_saver(Agency), lambda d: _text(d, "code").lower()),
    "firms": (_record_saver(LawFirm),
              lambda d: _text(d, "licence_no").upper() or _text(d, "name")),
    "advisors": (_record_saver(Advisor),
                 lambda d: _text(d, "licence_no") or (_text(d, "name"), _text(d, "kind"))),
    "pool": (pool_import.save_imported, pool_import.identity),
}

# What an import row would update, the fields compared, and their audit object type.
BEFORE: dict[str, tuple[Callable[[Mapping[str, Any]], Any], tuple[str, ...], str]] = {
    "agencies": (lambda d: services.find_for_import(Agency, d), services.AGENCY_FIELDS,
                 "agency"),
    "firms": (lambda d: services.find_for_import(LawFirm, d), services.FIRM_FIELDS, "law_firm"),
    "advisors": (lambda d: services.find_for_import(Advisor, d), services.ADVISOR_FIELDS,
                 "advisor"),
    "pool": (pool_import.existing, pool_import.POOL_FIELDS, "talent_pool_entry"),
}


def _cells(data: Mapping[str, Any]) -> dict[str, Any]:
    """The row as the services take it: blank cells left out (unchanged), ``<清空>`` empty."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        text = str(value).strip() if value is not None else ""
        if text == CLEAR:
            out[key] = ""
        elif text:
            out[key] = value
    return out


def _changes(register: str, before: Mapping[str, Any] | None, obj: Any) -> list[str]:
    """"字段：旧值 → 新值" for each field the row changed."""
    _, fields, object_type = BEFORE[register]
    if before is None or obj is None:
        return []
    names, labels = ORG_FIELDS[register], fields_for(object_type)
    lines = []
    for key in fields:
        old, new = before.get(key), getattr(obj, key, None)
        if old != new:
            lines.append(f"{names.get(key, key)}：{value_text(key, old, labels)} → "
                         f"{value_text(key, new, labels)}")
    return lines


@dataclass
class RowResult:
    """One data row: its spreadsheet row number, values, outcome and errors."""

    number: int
    values: dict[str, Any]
    action: str | None = None
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of reading and validating a whole file."""

    register: str
    columns: list[tuple[str, str]] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    file_error: str | None = None

    @property
    def bad_rows(self) -> int:
        """How many rows have errors."""
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        """True when the whole file may be committed."""
        return self.file_error is None and bool(self.rows) and self.bad_rows == 0

    def counts(self) -> dict[str, int]:
        """Rows per action (created, updated, unchanged)."""
        counted = Counter(row.action for row in self.rows if row.action)
        return {key: counted.get(key, 0) for key in ("created", "updated", "unchanged")}


def _messages(register: str, exc: DomainError) -> list[str]:
    if not exc.fields:
        return [exc.message]
    names = ORG_FIELDS[register]
    return [f"{names[key]}：{text}" if key in names else text
            for key, text in exc.fields.items()]


def _save_row(register: str, save: Saver, data: Mapping[str, Any],
              preview: bool) -> tuple[str, list[str]]:
    """Store one row (blank cells unchanged); its action and, when updated, its changes."""
    find, fields, _ = BEFORE[register]
    cells = _cells(data)
    found = find(cells)
    before = {key: getattr(found, key) for key in fields} if found is not None else None
    obj, action = save(cells, audited=not preview)
    return action, _changes(register, before, obj) if action == "updated" else []


def run_import(register: str, path: Path, ext: str, *, preview: bool) -> ImportReport:
    """Validate and write every row of the file (flush only); see the module docstring."""
    report = ImportReport(register)
    try:
        header, raw_rows = io.read_table(path, ext)
    except DomainError as exc:
        report.file_error = exc.message
        return report
    columns = tables.import_columns(register)
    missing = [name for name in tables.required_headers(register) if name not in header]
    if missing:
        report.file_error = error_text("import_missing_columns", columns="、".join(missing))
        return report
    positions: dict[int, str] = {}
    for index, name in enumerate(header):
        if name in columns and columns[name].key not in positions.values():
            positions[index] = columns[name].key
    report.columns = [(key, ORG_FIELDS[register][key]) for key in positions.values()]
    save, identity = IMPORTERS[register]
    seen: dict[Any, int] = {}
    for number, cells in raw_rows:
        data = {key: cells[i] if i < len(cells) else "" for i, key in positions.items()}
        row = RowResult(number, data)
        report.rows.append(row)
        key = identity(data)
        if key in seen:
            row.errors.append(error_text("import_duplicate_row", row=seen[key]))
            continue
        seen[key] = number
        try:
            row.action, row.changes = _save_row(register, save, data, preview)
        except (ValidationFailed, DomainError) as exc:
            row.errors = _messages(register, exc)
    return report


def audit_import(report: ImportReport, filename: str) -> None:
    """One audit event summarising a committed import (rows have their own events)."""
    audit.record("orgs_imported", object_type=report.register,
                 detail={"filename": filename, "rows": len(report.rows), **report.counts()})
