"""The one exporter: every .xlsx and .csv file the service hands out is written here.

A list page exports its filtered rows with :func:`export_response` (``?format=xlsx|csv``);
a report (statistics, rankings) is a workbook of several :class:`Sheet` s with a title
line and notes, sent with :func:`report_response`. Nothing else in the webapp writes a
spreadsheet, so the safety rules live in one place:

- **No formulas from data.** A text cell is always written as text (``data_type "s"``):
  a title or a user name such as ``=HYPERLINK("http://x","查看详情")`` stays the literal
  string in Excel and WPS. CSV has no cell types, so a text beginning with ``= + - @``,
  TAB or CR gets a leading apostrophe (OWASP "CSV injection"); :func:`unneutralise`
  strips it again when such a file is imported.
- **Characters a workbook cannot hold** (C0 control characters) are dropped instead
  of failing the download.
- Values in words: ``True``/``False`` → 是/否, dates as date cells (``yyyy-mm-dd``; ISO
  in CSV), datetimes as ``YYYY-MM-DD HH:MM`` text, money (``Decimal``) as a number with
  two decimals.

Workbooks are streamed (openpyxl's write-only mode), so exporting 100,000 documents
keeps memory flat; they print landscape on A4, fitted to the width, with the title and
header rows repeated on every page. CSV is UTF-8 with a BOM so Excel opens it.

To export something new: build the rows (Chinese labels, not codes) and call one of the
two response functions; do not write cells yourself.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
DATE_FORMAT = "yyyy-mm-dd"
PAPERSIZE_A4 = "9"  # the OOXML code of A4
WIDTH_SAMPLE = 200  # rows read ahead to size the columns (the rest is streamed)
THIN = Side(style="thin", color="999999")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)


@dataclass
class Sheet:
    """One worksheet: ``headers`` over ``rows``; a report adds a ``title`` line above the
    headers and ``notes`` below the data."""

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    title: str | None = None
    notes: Sequence[str] = field(default_factory=tuple)

    @classmethod
    def report(cls, name: str, title: str, headers: Sequence[str],
               rows: Iterable[Sequence[object]], notes: Sequence[str] = ()) -> Sheet:
        """A report sheet: ``title`` above the headers, ``notes`` below the data."""
        return cls(name, headers, rows, title=title, notes=notes)


def plain(value: object) -> object:
    """A value as a cell holds it: labels for booleans, numbers for money, text for times."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def neutralise(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula (leading apostrophe)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unneutralise(text: str) -> str:
    """The text :func:`neutralise` was given (for importing an exported CSV)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def _csv_cell(value: object) -> str:
    value = plain(value)
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return neutralise(text)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with BOM (Excel opens it), formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _cell(ws, raw: object, *, bold: bool = False, boxed: bool = True) -> WriteOnlyCell:
    value = plain(raw)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: "=..." is never a formula
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, float):
        cell.number_format = "0.00"
    if bold:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    if boxed:
        cell.border = BOX
    return cell


def _width(value: object) -> int:
    value = plain(value)
    text = value.isoformat() if isinstance(value, date) else str("" if value is None else value)
    return len(text) * 2 + 2


def _layout(ws, sheet: Sheet, sample: list[Sequence[object]]) -> None:
    widths = [max(6, _width(h)) for h in sheet.headers]
    for row in sample:
        for i, value in enumerate(row[:len(widths)]):
            widths[i] = min(50, max(widths[i], _width(value)))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    header_row = 2 if sheet.title else 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"1:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _fill(ws, sheet: Sheet) -> None:
    rows: Iterator[Sequence[object]] = iter(sheet.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    _layout(ws, sheet, sample)
    if sheet.title:
        title = _cell(ws, sheet.title, boxed=False)
        title.font = Font(bold=True, size=14)
        title.alignment = Alignment(horizontal="center")
        ws.append([title])
        last = get_column_letter(max(1, len(sheet.headers)))
        ws.merged_cells.add(f"A1:{last}1")
    ws.append([_cell(ws, h, bold=True) for h in sheet.headers])
    for row in itertools.chain(sample, rows):
        ws.append([_cell(ws, v) for v in row])
    for note in sheet.notes:
        cell = _cell(ws, note, boxed=False)
        cell.font = Font(italic=True, size=9)
        ws.append([cell])


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx bytes of ``sheets``, in order."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _fill(wb.create_sheet(title=sheet.name[:31]), sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _attachment(body: bytes, mimetype: str, fallback: str, filename: str) -> Response:
    disposition = f"attachment; filename={fallback}; filename*=UTF-8''{quote(filename)}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


def export_response(fmt: str, name: str, headers: Sequence[str],
                    rows: Iterable[Sequence[object]], *, dated: bool = False) -> Response:
    """A list as a download in ``fmt`` (``xlsx`` or ``csv``) named ``name`` (Chinese
    allowed; ``dated`` appends today's date, as the registers do)."""
    filename = f"{name}-{date.today():%Y%m%d}" if dated else name
    if fmt == "csv":
        return _attachment(csv_bytes(headers, rows), CSV_MIME, "export.csv", f"{filename}.csv")
    body = workbook_bytes([Sheet(name, headers, rows)])
    return _attachment(body, XLSX_MIME, "export.xlsx", f"{filename}.xlsx")


def report_response(name: str, sheets: Sequence[Sheet]) -> Response:
    """A report workbook (several sheets with titles and notes) named ``name``.xlsx."""
    return _attachment(workbook_bytes(sheets), XLSX_MIME, "report.xlsx", f"{name}.xlsx")
