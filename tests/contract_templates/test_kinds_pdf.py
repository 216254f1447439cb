"""Every kind opens in LibreOffice: each sample contract converts to PDF with the expected
page count, requests only the GB/T 9704 fonts, and shows no placeholder or block marker."""

import re
import zipfile
from io import BytesIO

import pypdfium2
import pytest

from contract_templates import render
from contract_templates.build_screenshots import CLAUSES
from contract_templates.layout import FONT_TABLE
from contract_templates.pdf import soffice_available, to_pdf
from contract_templates.registry import latest_shipped
from tests.helpers import skip_or_fail

PAGES = {"standard": (5, 8), "individual": (3, 6), "special": (3, 6), "supplement": (1, 3)}
MARKUP = re.compile(r"\{\{|\}\}|\{%|%\}")


def sample_docx(kind: str) -> bytes:
    """The kind's newest shipped version rendered with its sample values and every clause."""
    version = latest_shipped(kind)
    offered = [c for c in CLAUSES if version.manifest.clause_slot(c.name)]
    return render(version.docx_bytes, version.manifest, version.manifest.sample, clauses=offered)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


@pytest.fixture(scope="module")
def pdfs() -> dict[str, tuple[bytes, bytes]]:
    if not soffice_available():
        skip_or_fail("LibreOffice (soffice) is not installed: contract kinds were NOT converted")
    out = {}
    for kind in PAGES:
        docx_bytes = sample_docx(kind)
        out[kind] = (docx_bytes, to_pdf(docx_bytes, timeout=180))
    return out


@pytest.mark.parametrize("kind", list(PAGES))
def test_each_kind_converts_with_its_pages_and_no_markers(pdfs, kind):
    docx_bytes, pdf = pdfs[kind]
    pages = pdf_pages(pdf)
    low, high = PAGES[kind]
    assert low <= len(pages) <= high
    text = "".join("".join(pages).split())
    assert not MARKUP.search(text), MARKUP.search(text)
    assert "开封市市场监督管理局" in text and "—1—" in text
    with zipfile.ZipFile(BytesIO(docx_bytes)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert not MARKUP.search(xml)
    requested = set(re.findall(r'w:eastAsia="([^"]+)"', xml + styles)) - {"zh-CN"}
    assert requested and requested <= set(FONT_TABLE)


def test_the_pause_mark_after_written_opinions_is_printed(pdfs):
    """Issue 15 finding 6: LibreOffice dropped the 、 that ended a justified line."""
    text = "".join("".join(pdf_pages(pdfs["standard"][1])).split())
    assert "出具书面意见、电话或者网络咨询" in text
    assert "通用样本" not in text
