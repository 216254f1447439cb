"""Report workbooks (.xlsx) formatted for printing: a title line, bold headers, notes.

Each sheet: row 1 the report title, row 2 the column headers, data from row 3,
then the notes that explain the figures. Landscape A4, fitted to the page width,
title and header rows repeated on every printed page, page numbers in the footer.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

HEADER_ROW, FIRST_DATA_ROW = 2, 3
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="999999")


@dataclass
class Sheet:
    """One worksheet of a report."""

    name: str
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    notes: Sequence[str] = field(default_factory=tuple)


def _value(value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else value


def _fill(ws, sheet: Sheet) -> None:
    width = max(1, len(sheet.headers))
    ws.cell(row=1, column=1, value=sheet.title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    widths = [max(6, len(str(h)) * 2 + 2) for h in sheet.headers]
    for col, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    row_no = FIRST_DATA_ROW
    for row in sheet.rows:
        for col, raw in enumerate(row, start=1):
            value = _value(raw)
            cell = ws.cell(row=row_no, column=col, value=value)
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            if isinstance(raw, Decimal | float):
                cell.number_format = "0.00"
            widths[col - 1] = min(50, max(widths[col - 1], len(str(value)) * 2 + 2))
        row_no += 1
    for offset, note in enumerate(sheet.notes, start=1):
        ws.cell(row=row_no + offset, column=1, value=note).font = Font(italic=True, size=9)
    for col, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx bytes of ``sheets`` (in order)."""
    wb = Workbook()
    for index, sheet in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = sheet.name[:31]
        _fill(ws, sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_download(filename: str, sheets: Sequence[Sheet]) -> Response:
    """A download response named ``filename``.xlsx (Chinese allowed)."""
    name = quote(f"{filename}.xlsx")
    return Response(workbook_bytes(sheets), mimetype=XLSX_MIME, headers={
        "Content-Disposition": f"attachment; filename=report.xlsx; filename*=UTF-8''{name}"})
