"""Shared steps of the committed template builders (``build_*.py``), GB/T 9704 layout.

A builder describes its document as a list of items and calls :func:`build_docx`::

    ("title", "党政机关法律顾问聘任合同")   ("right", "合同编号：{{ contract_no }}")
    ("plain", "甲方：{{ agency_name }}")    ("body", "为全面推进……")
    ("h1", "一、服务范围")                 ("h2", "（一）甲方的权利")
    ("table", header, rows, widths_mm)      ("signatures", [(left, right), …])

Block markers (``{% if … %}``) and clause markers are ordinary ``body`` items:
the renderer removes their paragraphs. The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
from docx.blkcntnr import BlockItemContainer
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm
from docx.table import Table, _Cell

from . import layout
from .docx_io import save_docx
from .layout import BODY, HEADING_1, HEADING_2, PLAIN, RIGHT, SUBTITLE, TITLE

BUILT_AT = datetime(2022, 1, 1, 0, 0, 0)
AUTHOR = "市司法局"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
STYLE_OF = {"title": TITLE, "subtitle": SUBTITLE, "right": RIGHT, "plain": PLAIN,
            "body": BODY, "h1": HEADING_1, "h2": HEADING_2}


def paragraph(container: BlockItemContainer, content: str, spec: layout.StyleSpec) -> None:
    """Append a paragraph of style ``spec`` holding ``content`` as one run."""
    added = container.add_paragraph(style=spec.name)
    if content:
        layout.add_text(added, content, spec)


def cell(target: _Cell, content: str, spec: layout.StyleSpec) -> None:
    """Write ``content`` into a table cell's first paragraph."""
    first = target.paragraphs[0]
    first.style = spec.name
    layout.add_text(first, content, spec)


def widths(table: Table, sizes: tuple[Length, ...]) -> None:
    """Fix column widths (grid and cells) so Word and LibreOffice lay the table out alike."""
    table.autofit = False
    for column, width in zip(table.columns, sizes, strict=True):
        column.width = width
        for item in column.cells:
            item.width = width


def grid_table(document: Document, header: Sequence[str], rows: Sequence[Sequence[str]],
               sizes_mm: Sequence[float]) -> None:
    """A centred ruled table with a repeating header row; rows never split across pages."""
    table = document.add_table(rows=1 + len(rows), cols=len(header), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(table, tuple(Mm(size) for size in sizes_mm))
    for row, contents in zip(table.rows, [header, *rows], strict=True):
        for target, content in zip(row.cells, contents, strict=True):
            cell(target, content, layout.TABLE)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def signatures(document: Document, rows: Sequence[tuple[str, str]]) -> None:
    """The two-column signature block after an empty line."""
    paragraph(document, "", PLAIN)
    table = document.add_table(rows=len(rows), cols=2)
    widths(table, (Mm(78), Mm(78)))
    for row, contents in zip(table.rows, rows, strict=True):
        for target, content in zip(row.cells, contents, strict=True):
            cell(target, content, PLAIN)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def drop_extras(document: Document) -> None:
    """Remove the default template's thumbnail, sample bibliography and Word 2010 styles."""
    for rels, kinds in ((document.part.package.rels, (RT.THUMBNAIL,)),
                        (document.part.rels, (RT.CUSTOM_XML, _STYLES_WITH_EFFECTS))):
        for r_id, rel in list(rels.items()):
            if rel.reltype in kinds:
                rels.pop(r_id)


def new_document(*, simple_punctuation: bool = True) -> Document:
    """An empty A4 document with the GB/T 9704 page, styles and page-number footers.

    ``simple_punctuation`` (every version built after v1 of the standard template):
    see :func:`layout.setup_styles`.
    """
    document = docx.Document()
    drop_extras(document)
    layout.setup_styles(document, simple_punctuation=simple_punctuation)
    section = document.sections[0]
    layout.setup_page(section)
    layout.add_page_numbers(document, section)
    body = document.element.body
    for item in list(body.iterchildren(qn("w:p"))):
        body.remove(item)
    return document


def add_items(document: Document, items: Sequence[tuple[Any, ...]]) -> None:
    """Append the described items in order (see the module docstring)."""
    for item in items:
        kind = item[0]
        if kind == "table":
            grid_table(document, item[1], item[2], item[3])
        elif kind == "signatures":
            signatures(document, item[1])
        else:
            paragraph(document, item[1], STYLE_OF[kind])


def finish(document: Document, *, title: str, comments: str) -> bytes:
    """Prune styles, declare fonts, fix the core properties; the .docx bytes."""
    layout.prune_styles(document)
    layout.declare_fonts(document)
    props = document.core_properties
    props.title = title
    props.author = props.last_modified_by = AUTHOR
    props.created = props.modified = BUILT_AT
    props.revision = 1
    props.comments = comments
    return save_docx(document)


def build_docx(items: Sequence[tuple[Any, ...]], *, title: str, comments: str) -> bytes:
    """A whole template from its item list."""
    document = new_document()
    add_items(document, items)
    return finish(document, title=title, comments=comments)


def write_versions(directory: Path, builders: dict[str, Callable[[], bytes]],
                   argv: list[str] | None, description: str) -> int:
    """Command line of a builder: write ``<directory>/<version>/template.docx``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--version", choices=sorted(builders), action="append")
    parser.add_argument("--root", type=Path, default=directory)
    args = parser.parse_args(argv)
    for version in args.version or sorted(builders):
        out = args.root / version / "template.docx"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(builders[version]())
        print(f"wrote {out}")
    return 0


SIGN_DATE = "日期：　　　年　　月　　日"
DISPUTE_ITEMS: list[tuple[str, str]] = [
    ("body", '{% if dispute_resolution == "arbitration" %}'),
    ("body", "因本合同引起的或者与本合同有关的争议，双方应当协商解决；协商不成的，任何一方可以"
             "将争议提交{{ arbitration_body }}，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。"
             "仲裁裁决是终局的，对双方均有约束力。"),
    ("body", "{% else %}"),
    ("body", "因本合同引起的或者与本合同有关的争议，双方应当协商解决；协商不成的，任何一方可以"
             "向甲方所在地有管辖权的人民法院提起诉讼。"),
    ("body", "{% endif %}"),
]
"""The 争议解决 article's body: arbitration or litigation wording, chosen by a choice field."""
AGENCY_LINES = [
    ("plain", "甲方（聘任单位）：{{ agency_name }}"),
    ("plain", "法定代表人（负责人）：{{ agency_legal_rep }}"),
    ("plain", "地址：{{ agency_address }}"),
    ("plain", "联系电话：{{ agency_phone }}"),
    ("plain", ""),
]
