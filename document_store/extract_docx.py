"""Word .docx checks and text extraction.

The zip directory is checked against the zip-bomb limits *before* anything
is decompressed; ``zipfile`` never inflates a member past the size its
directory entry declares (it raises a CRC error instead), so the declared
sizes bound the work. python-docx then opens the package (that is the "opens
as a .docx" check) and gives us its parts.

Text comes from walking the WordprocessingML tree rather than python-docx's
paragraph and table objects, because the tree gives, in document order and
each exactly once:

- body paragraphs and tables, with nested tables; a merged cell is one
  ``w:tc`` element (vertical-merge continuations are empty), so spanned
  content is not repeated the way ``row.cells`` repeats it;
- text boxes (``w:txbxContent``), after the paragraph that anchors them; of an
  ``mc:AlternateContent`` only the first ``mc:Choice`` is read, since
  ``mc:Fallback`` repeats the same text box as VML;
- content controls (``w:sdt``), hyperlinks, fields (results, not codes),
  tracked insertions (deletions are left out);
- headers first and footers last, each distinct part once; footnotes and
  endnotes after the body.

One paragraph gives one line; a table row gives one line whose non-empty cells
are separated by tabs.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml

from .errors import CorruptDocx, FileRejected, UnsupportedType, ZipBomb
from .limits import MB, Limits

if TYPE_CHECKING:
    from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RATIO_FLOOR = 1 * MB
"""Packages smaller than this when inflated are never refused for their ratio."""

_P, _TBL, _TR, _TC = W + "p", W + "tbl", W + "tr", W + "tc"
_TXBX = W + "txbxContent"
_ALTERNATE, _CHOICE, _FALLBACK = MC + "AlternateContent", MC + "Choice", MC + "Fallback"
_CHARS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_SKIP = frozenset(
    W + name
    for name in [
        "pPr",
        "rPr",
        "tblPr",
        "tblGrid",
        "trPr",
        "tcPr",
        "sectPr",
        "sdtPr",
        "del",
        "moveFrom",
        "instrText",
        "delText",
        "rt",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
    ]
) | {_FALLBACK}
_HEAD_PARTS = (RT.HEADER,)
_TAIL_PARTS = (RT.FOOTNOTES, RT.ENDNOTES, RT.FOOTER)


def check_package(
    data: bytes, limits: Limits, corrupt: type[FileRejected] = CorruptDocx
) -> None:
    """Refuse a zip whose directory breaks the member, size or ratio limits (.docx, .ofd);
    ``corrupt`` is raised when the directory cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise corrupt(f"unreadable zip directory: {exc}") from None
    if len(members) > limits.max_docx_members:
        raise ZipBomb(f"{len(members)} members; at most {limits.max_docx_members}")
    inflated = sum(member.file_size for member in members)
    if inflated > limits.max_docx_uncompressed:
        raise ZipBomb(f"expands to {inflated} bytes; at most {limits.max_docx_uncompressed}")
    compressed = max(1, sum(member.compress_size for member in members))
    if inflated > RATIO_FLOOR and inflated / compressed > limits.max_docx_ratio:
        raise ZipBomb(
            f"compression ratio {inflated / compressed:.0f}; at most {limits.max_docx_ratio:g}"
        )


def open_docx(data: bytes, limits: Limits) -> DocxDocument:
    """Check the package limits, then open it with python-docx (``CorruptDocx`` if it fails)."""
    check_package(data, limits)
    try:
        return docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except ValueError as exc:
        if "not a Word file" in str(exc):
            raise UnsupportedType("a macro-enabled Word file or a template, not a .docx") from None
        raise CorruptDocx(f"python-docx cannot open the file: {exc}"[:300]) from None
    except Exception as exc:  # any parser failure on untrusted input means a broken file
        raise CorruptDocx(f"python-docx cannot open the file: {type(exc).__name__}") from None


def extract_docx(data: bytes, limits: Limits) -> str:
    """The document's text in reading order (see the module docstring)."""
    document = open_docx(data, limits)
    try:
        head = _parts_text(document, _HEAD_PARTS)
        body = _lines(document.element.body)
        tail = _parts_text(document, _TAIL_PARTS)
    except MemoryError:
        raise
    except Exception as exc:
        raise CorruptDocx(f"cannot read the document parts: {type(exc).__name__}") from None
    return "\n".join(line for line in (*head, *body, *tail) if line.strip())


def _parts_text(document: DocxDocument, reltypes: Iterable[str]) -> list[str]:
    lines: list[str] = []
    seen_parts: set[str] = set()
    seen_texts: set[str] = set()
    for reltype in reltypes:
        parts = [
            rel.target_part
            for rel in document.part.rels.values()
            if rel.reltype == reltype and not rel.is_external
        ]
        for part in sorted(parts, key=lambda p: str(p.partname)):
            if str(part.partname) in seen_parts:
                continue
            seen_parts.add(str(part.partname))
            element = getattr(part, "element", None)
            if element is None:
                element = parse_xml(part.blob)
            text = "\n".join(line for line in _lines(element) if line.strip())
            if text and text not in seen_texts:
                seen_texts.add(text)
                lines.append(text)
    return lines


def _lines(container: etree._Element) -> list[str]:
    lines: list[str] = []
    _walk_blocks(container, lines)
    return lines


def _walk_blocks(container: etree._Element, lines: list[str]) -> None:
    for child in _children(container):
        if child.tag == _P:
            boxes: list[etree._Element] = []
            lines.append(_paragraph_text(child, boxes))
            for box in boxes:
                _walk_blocks(box, lines)
        elif child.tag == _TBL:
            _walk_table(child, lines)
        else:
            _walk_blocks(child, lines)


def _walk_table(table: etree._Element, lines: list[str]) -> None:
    for row in _find(table, _TR):
        cells = []
        for cell in _find(row, _TC):
            cell_lines: list[str] = []
            _walk_blocks(cell, cell_lines)
            cells.append(" ".join(line.strip() for line in cell_lines if line.strip()))
        lines.append("\t".join(cell for cell in cells if cell))


def _find(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Descendants with ``tag``, not looking inside matches or nested tables."""
    for child in _children(element):
        if child.tag == tag:
            yield child
        elif child.tag != _TBL:
            yield from _find(child, tag)


def _paragraph_text(paragraph: etree._Element, boxes: list[etree._Element]) -> str:
    parts: list[str] = []
    _collect_runs(paragraph, parts, boxes)
    return "".join(parts)


def _collect_runs(element: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
    for child in _children(element):
        tag = child.tag
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag in _CHARS:
            parts.append(_CHARS[tag])
        elif tag == _TXBX:
            boxes.append(child)
        else:
            _collect_runs(child, parts, boxes)


def _children(element: etree._Element) -> Iterator[etree._Element]:
    """Child elements worth reading: no properties, deletions or fallback copies."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _ALTERNATE:
            chosen = child.find(_CHOICE)
            if chosen is None:
                chosen = child.find(_FALLBACK)
            if chosen is not None:
                yield chosen
            continue
        yield child
