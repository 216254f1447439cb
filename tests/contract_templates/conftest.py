"""Fixtures for the contract_templates tests: the standard version, sample values,
a small manifest, and a builder for hand-made .docx templates."""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.document import Document

from contract_templates import Manifest, load_version, parse_manifest, standard_template_dir
from contract_templates.registry import TemplateVersion

DATA = Path(__file__).parent / "data"

SAMPLE_VALUES = {
    "contract_no": "汴司顾〔2022〕015号",
    "agency_name": "开封市市场监督管理局",
    "agency_legal_rep": "王建国",
    "agency_address": "开封市龙亭区中山路北段1号",
    "agency_contact": "李娜",
    "agency_phone": "0371-23456789",
    "firm_name": "河南汴梁律师事务所",
    "firm_leader": "张伟",
    "firm_address": "开封市鼓楼区自由路88号",
    "firm_phone": "13812345678",
    "advisor_name": "赵敏",
    "lawyers": [
        {"name": "赵敏", "licence_no": "14102201110123456"},
        {"name": "钱军", "licence_no": "14102201510654321"},
    ],
    "services": ["major_decision", "contract_review", "petition", "training"],
    "start_date": "2022-04-01",
    "end_date": "2023-03-31",
    "annual_fee": "68000",
    "special_fee_terms": "代理诉讼、仲裁案件按件另行签订委托代理合同，每件不超过人民币伍仟元。",
    "response_hours": 24,
    "dispute_resolution": "court",
    "copies": 4,
}

MINI_MANIFEST = {
    "template": "mini",
    "version": "v1",
    "title": "测试合同",
    "fields": [
        {"name": "agency_name", "label": "甲方名称", "type": "text", "max_length": 60},
        {"name": "annual_fee", "label": "年度顾问费", "type": "money", "minimum": 0},
        {"name": "start_date", "label": "开始日期", "type": "date"},
        {"name": "end_date", "label": "结束日期", "type": "date"},
        {"name": "lawyers", "label": "指派律师", "type": "list", "min_items": 1,
         "item_fields": [{"name": "name", "label": "姓名", "type": "text"},
                         {"name": "licence_no", "label": "执业证号", "type": "text",
                          "pattern": "^\\d{17}$"}]},
        {"name": "note", "label": "备注", "type": "text", "required": False},
    ],
    "rules": [{"kind": "after", "field": "end_date", "other": "start_date"}],
}

MINI_VALUES = {
    "agency_name": "开封市司法局",
    "annual_fee": "12345.6",
    "start_date": "2022-01-01",
    "end_date": "2022-12-31",
    "lawyers": [{"name": "孙丽", "licence_no": "14102201910000001"}],
}


@pytest.fixture(scope="session")
def standard() -> TemplateVersion:
    """The committed standard template, version v1."""
    return load_version(standard_template_dir() / "v1")


@pytest.fixture
def values() -> dict:
    """A fresh copy of realistic values for the standard template."""
    return copy.deepcopy(SAMPLE_VALUES)


@pytest.fixture(scope="session")
def mini_manifest() -> Manifest:
    """A small manifest for hand-built templates."""
    return parse_manifest(MINI_MANIFEST)


@pytest.fixture
def mini_values() -> dict:
    """Values matching :data:`MINI_MANIFEST`."""
    return copy.deepcopy(MINI_VALUES)


RunSpec = str | tuple[str, dict]


def _add_runs(paragraph, runs: list[RunSpec]) -> None:
    for run in runs:
        content, props = (run, {}) if isinstance(run, str) else run
        added = paragraph.add_run(content)
        for name, value in props.items():
            setattr(added.font, name, value)


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    """Build a .docx by hand: body paragraphs given as lists of runs, plus optional
    table rows (lists of cell texts), header and footer paragraphs."""

    def build(paragraphs: list[list[RunSpec]], *, rows: list[list[str]] | None = None,
              header: list[RunSpec] | None = None, footer: list[RunSpec] | None = None) -> bytes:
        document = docx.Document()
        for runs in paragraphs:
            _add_runs(document.add_paragraph(), runs)
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, content in zip(row.cells, cells, strict=True):
                    cell.paragraphs[0].add_run(content)
        if header:
            _add_runs(document.sections[0].header.paragraphs[0], header)
        if footer:
            _add_runs(document.sections[0].footer.paragraphs[0], footer)
        out = BytesIO()
        document.save(out)
        return out.getvalue()

    return build


def _open_docx(data: bytes) -> Document:
    return docx.Document(BytesIO(data))


def _all_paragraph_texts(document: Document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_footer):
            texts.extend(p.text for p in part.paragraphs)
    return texts


def _xml_of_all_parts(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                       if name.endswith((".xml", ".rels")))


@pytest.fixture
def read_docx() -> Callable[[bytes], Document]:
    """Open .docx bytes with python-docx."""
    return _open_docx


@pytest.fixture
def texts_of() -> Callable[[Document], list[str]]:
    """Text of every paragraph: body, table cells, headers and footers, in order."""
    return _all_paragraph_texts


@pytest.fixture
def xml_of() -> Callable[[bytes], str]:
    """Concatenated XML of every part of a package (to search leftovers, escaping)."""
    return _xml_of_all_parts
