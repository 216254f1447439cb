"""OCR of scans made by rasterising real LibreOffice PDFs (a few small pages, to stay quick)."""

from __future__ import annotations

import io
import shutil

import pypdfium2 as pdfium
import pytest
from PIL import Image

from document_store import ALL_KINDS, Extractor, Limits, Options, extract
from document_store.ocr import OcrText, recognize_pages

from .builders import squash
from .conftest import skip_or_fail

OPTIONS = Options(kinds=ALL_KINDS)
LIMITS = Limits(extraction_timeout_s=300, ocr_page_timeout_s=300)


@pytest.fixture(scope="module")
def page_scans(office) -> list[tuple[Image.Image, str]]:
    """Pages 1-2 of a LibreOffice PDF at 200 dpi, with their text layer (the reference)."""
    document = pdfium.PdfDocument(office.narrow_pdf)
    pages = []
    for index in range(2):
        page = document[index]
        reference = squash(page.get_textpage().get_text_range())
        pages.append((page.render(scale=200 / 72).to_pil().convert("L"), reference))
    return pages


def image_pdf(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    return buffer.getvalue()


def phrase_found(reference: str, text: str) -> bool:
    """Quoted search would find the page: at least 90 % of its 6-character phrases (every
    10th window of the text layer) occur in the OCR text."""
    windows = [reference[i : i + 6] for i in range(0, len(reference) - 6, 10)]
    found = sum(window in squash(text) for window in windows)
    return found >= 0.9 * len(windows)


def test_a_scanned_pdf_becomes_searchable_text_with_progress(page_scans, tmp_path):
    scan = tmp_path / "signed-scan.pdf"
    scan.write_bytes(image_pdf([page_scans[0][0]]))
    original = scan.read_bytes()
    before = extract(scan, LIMITS, options=OPTIONS)
    assert before.needs_ocr and before.text == ""

    seen: list[tuple[int, int]] = []
    with Extractor(LIMITS, OPTIONS) as extractor:
        after = extractor.extract(scan, ocr=True, progress=lambda d, t: seen.append((d, t)))

    assert not after.needs_ocr and after.ocr_pages == [1]
    (page,) = after.page_texts
    assert page.source == "ocr" and page.confidence is not None and page.confidence > 0.8
    assert phrase_found(page_scans[0][1], after.text)
    assert seen == [(0, 1), (1, 1)]
    assert scan.read_bytes() == original


def test_an_image_page_inside_a_text_pdf_is_recognised_alone(office, page_scans):
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(office.narrow_pdf), [0])
    mixed.import_pages(pdfium.PdfDocument(image_pdf([page_scans[1][0]])), [0])
    buffer = io.BytesIO()
    mixed.save(buffer)
    result = extract(buffer.getvalue(), LIMITS, options=OPTIONS, ocr=True)
    assert [p.source for p in result.page_texts] == ["text-layer", "ocr"]
    assert phrase_found(page_scans[1][1], result.page_texts[1].text)


def test_a_multipage_tiff_upload_is_recognised_page_by_page(page_scans):
    buffer = io.BytesIO()
    first, second = (image.crop((0, 0, image.width, image.height // 3)) for image, _ in
                     page_scans)
    first.save(buffer, format="TIFF", save_all=True, append_images=[second],
               compression="tiff_lzw")
    result = extract(buffer.getvalue(), LIMITS, options=OPTIONS, ocr=True)
    assert result.kind == "image" and result.pages == 2 and result.ocr_pages == [1, 2]
    assert all(page.text for page in result.page_texts)


def test_a_page_that_fails_is_reported_and_the_others_kept(page_scans):
    image = page_scans[0][0].crop((0, 0, page_scans[0][0].width, 300))
    results = recognize_pages([(1, RuntimeError("damaged page")), (2, image)], 2, "rapidocr", 2,
                              None, soft_deadline=float("inf"))
    assert isinstance(results[1], str) and "damaged page" in results[1]
    assert isinstance(results[2], OcrText) and results[2].text


def test_tesseract_is_the_optional_engine(page_scans):
    if shutil.which("tesseract") is None:
        skip_or_fail("tesseract-ocr is not installed")
    image = page_scans[0][0].crop((0, 0, page_scans[0][0].width, page_scans[0][0].height // 2))
    result = extract(image_pdf([image]), LIMITS, ocr=True,
                     options=Options(kinds=ALL_KINDS, ocr_engine="tesseract"))
    assert result.page_texts[0].source == "ocr" and result.text
