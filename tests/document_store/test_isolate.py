"""Extraction in a child process: same results, errors carried over, hard time limit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from document_store import (
    CorruptPdf,
    ExtractionTimeout,
    Extractor,
    Limits,
    ZipBomb,
    extract,
)


def test_isolated_extraction_equals_in_process(office, made: Path):
    for path in (office.narrow_pdf, made / "rich.docx"):
        assert extract(path) == extract(path, isolate=False)


def test_an_extractor_reuses_its_child_for_paths_bytes_and_streams(office):
    data = office.narrow_pdf.read_bytes()
    with Extractor() as extractor:
        first = extractor.extract(office.narrow_pdf)
        pid = extractor.pid
        assert extractor.extract(data) == first
        assert extractor.extract(io.BytesIO(data)) == first
        assert extractor.pid == pid is not None
    assert extractor.pid is None


def test_errors_cross_the_process_boundary_with_their_codes(office, bomb: Path):
    with Extractor() as extractor:
        with pytest.raises(ZipBomb) as raised:
            extractor.extract(bomb)
        assert "expands to" in raised.value.detail
        with pytest.raises(CorruptPdf):
            extractor.extract(office.narrow_pdf.read_bytes()[:5000])


def test_timeout_kills_the_child_and_the_next_call_gets_a_new_one(made: Path):
    slow = made / "long.docx"
    with Extractor() as extractor:
        extractor.extract(made / "rich.docx")
        first_pid = extractor.pid

        with pytest.raises(ExtractionTimeout) as raised:
            extractor.extract(slow, Limits(extraction_timeout_s=0.01))
        assert raised.value.code == "extraction_timeout"
        assert extractor.pid is None

        assert extractor.extract(slow).kind == "docx"
        assert extractor.pid not in (None, first_pid)


def test_child_is_replaced_after_max_jobs(made: Path):
    with Extractor(max_jobs=2) as extractor:
        extractor.extract(made / "rich.docx")
        first_pid = extractor.pid
        extractor.extract(made / "rich.docx")
        assert extractor.pid is None
        extractor.extract(made / "rich.docx")
        assert extractor.pid not in (None, first_pid)


def test_one_shot_isolated_extract_applies_the_timeout(made: Path):
    with pytest.raises(ExtractionTimeout):
        extract(made / "long.docx", Limits(extraction_timeout_s=0.01))
