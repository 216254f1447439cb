"""Export any list as .xlsx (formatted for printing) or .csv (UTF-8 with BOM for Excel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _safe_csv(value: object) -> object:
    """Neutralise spreadsheet formulas (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook with a bold header row, sized columns, landscape A4, repeated titles."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    widths = [len(h) * 2 + 2 for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = min(60, max(widths[i], len(str(v or "")) * 2))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with BOM, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe_csv(_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_response(fmt: str, name: str, headers: Sequence[str],
                    rows: Iterable[Sequence[object]]) -> Response:
    """Download response in ``fmt`` (xlsx or csv) named ``name`` (Chinese allowed)."""
    if fmt == "csv":
        body, mime, ext = csv_bytes(headers, rows), "text/csv; charset=utf-8", "csv"
    else:
        body = xlsx_bytes(name, headers, rows)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ext = "xlsx"
    filename = f"{name}.{ext}"
    disposition = f"attachment; filename=export.{ext}; filename*=UTF-8''{quote(filename)}"
    return Response(body, mimetype=mime, headers={"Content-Disposition": disposition})
