"""Validation of untrusted bytes runs in time-limited children, never under a shared lock.

Reproduction of issue 15, finding 2: a "PDF" of ``%PDF-1.4`` and 200,000
``i 0 obj << /A i >> endobj`` without an xref. PDFium refuses it; pdfminer then
needed ~17 s here (52 s for the 36 MB original) to explain why, in the request
thread and holding the process-wide PDFium lock, so every other upload waited.
"""

from __future__ import annotations

import threading
import time

import pytest

from document_store import CorruptPdf, Limits, validate
from document_store.isolate import POOL

LIMITS = Limits(max_upload_bytes=64 * 1024 * 1024)


def crafted_pdf(objects: int = 200_000) -> bytes:
    """The reproduction's file: many objects, no xref, no trailer."""
    body = b"".join(b"%d 0 obj << /A %d >> endobj\n" % (i, i) for i in range(objects))
    return b"%PDF-1.4\n" + body + b"%%EOF\n"


def _warm_two_children(path) -> None:
    threads = [threading.Thread(target=validate, args=(path, LIMITS)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_a_crafted_pdf_does_not_hold_up_another_upload(office):
    _warm_two_children(office.narrow_pdf)
    crafted = crafted_pdf()
    outcome: dict[str, BaseException] = {}
    started, finished = threading.Event(), threading.Event()

    def validate_crafted() -> None:
        started.set()
        try:
            validate(crafted, LIMITS)
        except BaseException as exc:  # noqa: BLE001 - examined below
            outcome["error"] = exc
        finally:
            finished.set()

    worker = threading.Thread(target=validate_crafted)
    begun = time.monotonic()
    worker.start()
    started.wait()
    time.sleep(0.5)  # the crafted file is being parsed now
    info = validate(office.narrow_pdf, LIMITS)

    assert info.kind == "pdf" and info.pages
    # the crafted file is still being parsed well after the ordinary one was answered
    # (before the fix the ordinary one waited for the lock and came back just after it)
    assert not finished.wait(1.0), "the ordinary upload waited for the crafted one"
    worker.join(LIMITS.extraction_timeout_s + 60)
    assert finished.is_set()
    error = outcome.get("error")
    assert isinstance(error, CorruptPdf), repr(error)
    assert error.message == "PDF 文件已损坏，无法打开。"
    assert time.monotonic() - begun < LIMITS.extraction_timeout_s


def test_validation_in_the_child_gives_the_same_answers(office, made):
    for path in (office.narrow_pdf, made / "rich.docx", made / "scan.pdf"):
        assert validate(path) == validate(path, isolate=False)


def test_a_validation_past_the_time_limit_is_stopped():
    from document_store import ExtractionTimeout

    with pytest.raises((ExtractionTimeout, CorruptPdf)):
        validate(crafted_pdf(), Limits(max_upload_bytes=LIMITS.max_upload_bytes,
                                        extraction_timeout_s=0.5))
    assert validate(b"plain text after a timeout").kind == "text"
    POOL.close()
