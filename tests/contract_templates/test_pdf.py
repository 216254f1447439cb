"""PDF conversion with LibreOffice: real conversion when soffice is installed."""

import os

import pypdfium2
import pytest

from contract_templates import render
from contract_templates.pdf import PdfUnavailableError, soffice_available, to_pdf


def _require_soffice() -> None:
    if soffice_available():
        return
    message = "LibreOffice (soffice) is not installed: PDF conversion was NOT tested"
    if os.environ.get("GOVCOUNSEL_REQUIRE_ALL"):
        pytest.fail(message)
    pytest.skip(message)


def _pdf_text(data: bytes) -> tuple[int, str]:
    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return len(pages), "".join(pages)
    finally:
        document.close()


def test_generated_contract_converts_to_pdf_with_its_values(standard, values):
    _require_soffice()
    pdf = to_pdf(render(standard.docx_bytes, standard.manifest, values), timeout=120)
    assert pdf.startswith(b"%PDF")
    pages, content = _pdf_text(pdf)
    flat = "".join(content.split())
    assert pages >= 3
    for expected in ("党政机关法律顾问聘任合同", "开封市市场监督管理局", "河南汴梁律师事务所",
                     "14102201110123456", "人民币陆万捌仟元整", "¥68,000.00",
                     "2022年4月1日", "2023年3月31日", "—1—"):
        assert expected in flat, expected


def test_missing_soffice_is_a_clear_error():
    missing = "/nonexistent/soffice"
    assert not soffice_available(missing)
    with pytest.raises(PdfUnavailableError) as caught:
        to_pdf(b"PK", soffice=missing)
    assert caught.value.code == "pdf_unavailable"
    assert "LibreOffice" in caught.value.message
