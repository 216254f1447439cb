"""PDF: exact text with joined lines, OCR detection, and every way a PDF is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from document_store import (
    CorruptPdf,
    EncryptedPdf,
    Limits,
    TooManyPages,
    ZeroPages,
    extract,
    validate,
)

from .builders import (
    FOOTER_TEXT,
    HEADER_TEXT,
    LATIN_PARAGRAPH,
    MERGED_ACROSS,
    MERGED_DOWN,
    TEXTBOX_TEXT,
    squash,
)

CJK_BREAK = re.compile(r"[\u4e00-\u9fff]\n[\u4e00-\u9fff]")


def test_wrapped_narrow_column_text_equals_the_source(office, laws):
    extraction = extract(office.narrow_pdf, isolate=False)

    source = "\n".join([*laws[0].paragraphs, LATIN_PARAGRAPH])
    assert extraction.kind == "pdf" and extraction.pages is not None and extraction.pages > 3
    assert not extraction.needs_ocr
    assert squash(extraction.text) == squash(source)


def test_wrapped_lines_are_joined_and_paragraphs_kept(office, laws):
    text = extract(office.narrow_pdf, isolate=False).text

    assert not CJK_BREAK.search(text), CJK_BREAK.search(text)
    assert LATIN_PARAGRAPH in text
    sentences_ending_paragraphs = [p for p in laws[0].paragraphs if p.endswith("。")]
    lines = set(text.splitlines())
    kept = [p for p in sentences_ending_paragraphs if squash(p) in map(squash, lines)]
    assert len(kept) >= 0.9 * len(sentences_ending_paragraphs)


def test_libreoffice_pdf_of_the_rich_document(office, laws):
    extraction = extract(office.rich_pdf, isolate=False)
    text = squash(extraction.text)
    for part in (HEADER_TEXT, FOOTER_TEXT, TEXTBOX_TEXT, MERGED_ACROSS, MERGED_DOWN):
        assert part in text
    assert squash(laws[0].paragraphs[0]) in text


def test_validate_counts_pages(office):
    info = validate(office.narrow_pdf)
    assert info.kind == "pdf" and info.pages == extract(office.narrow_pdf, isolate=False).pages
    assert info.media_type == "application/pdf"


def test_image_only_pdf_needs_ocr(made: Path):
    assert validate(made / "scan.pdf").pages == 1

    extraction = extract(made / "scan.pdf", isolate=False)

    assert (extraction.text, extraction.pages, extraction.needs_ocr) == ("", 1, True)


def test_encrypted_pdf_is_refused(office):
    for check in (validate, lambda path: extract(path, isolate=False)):
        with pytest.raises(EncryptedPdf) as raised:
            check(office.encrypted_pdf)
        assert raised.value.code == "encrypted_pdf" and raised.value.status == 422


def test_truncated_pdf_is_corrupt(office):
    data = office.narrow_pdf.read_bytes()
    with pytest.raises(CorruptPdf) as raised:
        validate(data[: len(data) * 2 // 3])
    assert raised.value.code == "corrupt_pdf"


def test_pdf_with_garbage_body_is_corrupt():
    with pytest.raises(CorruptPdf):
        validate(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")


def test_zero_page_pdf_is_refused(made: Path):
    with pytest.raises(ZeroPages) as raised:
        validate(made / "zero-pages.pdf")
    assert raised.value.code == "zero_pages"


def test_page_limit(office):
    pages = validate(office.narrow_pdf).pages
    assert pages is not None
    with pytest.raises(TooManyPages, match=f"{pages} pages"):
        validate(office.narrow_pdf, Limits(max_pdf_pages=pages - 1))
    with pytest.raises(TooManyPages):
        extract(office.narrow_pdf, Limits(max_pdf_pages=pages - 1), isolate=False)
    assert validate(office.narrow_pdf, Limits(max_pdf_pages=pages)).pages == pages


def test_text_limit_truncates(office):
    extraction = extract(office.narrow_pdf, Limits(max_text_chars=100), isolate=False)
    assert extraction.truncated and len(extraction.text) == 100
