"""Property-based fuzzing of the upload and extraction path on mutated real files.

Seeds are real files: .docx written by python-docx (deflated, and stored so that
byte flips land in the XML rather than in the deflate stream), a PDF converted
by LibreOffice (when ``soffice`` is installed) plus a small hand-written PDF with
an uncompressed content stream, and UTF-8 / GB18030 text. Hypothesis mutates
them (flip bytes, truncate, cut/duplicate/insert ranges, and for zips: drop,
duplicate, swap, truncate, re-compress or corrupt members) and feeds them to

- ``document_store.validate`` (what an upload runs in the request), and
- text extraction in the time-limited child process (``isolate=True``), through
  one ``Extractor`` as the worker does, and ``document_store.extract`` itself.

Properties: only the documented ``DocumentStoreError`` subclasses are raised (no
``KeyError`` from a parser, no ``zipfile.BadZipFile``, no ``lxml`` error escaping);
``validate`` answers within a few seconds; extraction answers within its time limit
(plus the child's start-up, which is waited for separately); a result is sane.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import tempfile
import threading
import time
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import document_store
from document_store import DocumentStoreError, Extractor, Limits
from document_store.errors import ERRORS_BY_CODE
from tests.helpers import has_program

LIMITS = Limits(max_upload_bytes=4 * 1024 * 1024, max_pdf_pages=50,
                max_docx_uncompressed=16 * 1024 * 1024, max_docx_ratio=100.0,
                max_docx_members=200, extraction_timeout_s=4.0, max_text_chars=200_000)
VALIDATE_LIMIT_S = 10.0  # validate runs in the request: it must answer promptly
START_UP_S = 30.0  # a fresh extraction child (after a timeout kill) may have to start first
DOCUMENTED = frozenset(ERRORS_BY_CODE.values())

TEXT = ("关于汴西新区污水处理厂特许经营项目的法律意见书\n"
        "经审查，该项目属于重大行政决策事项，应当履行合法性审查程序。\n"
        "建议在协议中明确违约责任，并补充履约担保条款。")

# A minimal PDF written by hand: uncompressed, so mutations hit its syntax.
HAND_PDF = (b"%PDF-1.4\n"
            b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R"
            b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
            b"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 20 100 Td (Legal opinion) Tj ET\n"
            b"endstream endobj\n"
            b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _docx(compression: int) -> bytes:
    document = docx.Document()
    document.add_heading("法律意见书", level=1)
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    for i, cell in enumerate(c for row in table.rows for c in row.cells):
        cell.text = f"单元格{i}"
    document.sections[0].header.paragraphs[0].text = "开封市司法局"
    out = io.BytesIO()
    document.save(out)
    if compression == zipfile.ZIP_DEFLATED:
        return out.getvalue()
    return _rezip(_members(out.getvalue()), compression)


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _rezip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", compression) as archive:
        # duplicate member names are one of the mutations: zipfile warns when writing them
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, (2022, 3, 31, 0, 0, 0)), data,
                             compress_type=compression)
    return out.getvalue()


@functools.cache
def _office_pdf() -> bytes | None:
    if not has_program("soffice"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "opinion.docx"
        source.write_bytes(_docx(zipfile.ZIP_DEFLATED))
        try:
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile",
                            "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
                           check=True, capture_output=True, timeout=120)
        except (OSError, subprocess.SubprocessError):
            return None
        return (Path(tmp) / "opinion.pdf").read_bytes()


SEED_NAMES = ("docx", "docx-stored", "pdf-office", "pdf-hand", "utf8", "gb18030")


@functools.cache
def seed(name: str) -> bytes:
    """A real file to mutate; "pdf-office" is the hand-written PDF when LibreOffice is absent."""
    if name == "pdf-office":
        return _office_pdf() or HAND_PDF
    return {"docx": lambda: _docx(zipfile.ZIP_DEFLATED),
            "docx-stored": lambda: _docx(zipfile.ZIP_STORED), "pdf-hand": lambda: HAND_PDF,
            "utf8": lambda: TEXT.encode("utf-8"),
            "gb18030": lambda: TEXT.encode("gb18030")}[name]()


@pytest.fixture(scope="module")
def seeds() -> dict[str, bytes]:
    """Every seed, made once; each is accepted as it is."""
    files = {name: seed(name) for name in SEED_NAMES}
    for data in files.values():
        document_store.validate(data, LIMITS)
    return files


@pytest.fixture(scope="module")
def extractor():
    with Extractor(LIMITS) as shared:
        yield shared


# ---------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------


@st.composite
def byte_mutation(draw, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not buf:
            break
        kind = draw(st.sampled_from(["flip", "truncate", "cut", "duplicate", "insert",
                                     "set"]))
        i = draw(st.integers(0, len(buf) - 1))
        j = min(len(buf), i + draw(st.integers(1, 256)))
        if kind == "flip":
            buf[i] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del buf[i:]
        elif kind == "cut":
            del buf[i:j]
        elif kind == "duplicate":
            buf[i:i] = buf[i:j]
        elif kind == "insert":
            buf[i:i] = draw(st.binary(min_size=1, max_size=64))
        else:
            buf[i:j] = bytes([draw(st.integers(0, 255))]) * (j - i)
    return bytes(buf)


@st.composite
def zip_mutation(draw, data: bytes) -> bytes:
    members = _members(data)
    for _ in range(draw(st.integers(1, 3))):
        if not members:
            break
        i = draw(st.integers(0, len(members) - 1))
        name, content = members[i]
        kind = draw(st.sampled_from(["drop", "duplicate", "swap", "truncate", "garble",
                                     "rename", "inflate"]))
        if kind == "drop":
            del members[i]
        elif kind == "duplicate":
            members.append((name, content))
        elif kind == "swap":
            k = draw(st.integers(0, len(members) - 1))
            members[i], members[k] = (name, members[k][1]), (members[k][0], content)
        elif kind == "truncate":
            members[i] = (name, content[:draw(st.integers(0, max(0, len(content) - 1)))])
        elif kind == "garble":
            members[i] = (name, draw(byte_mutation(content)) if content else b"<")
        elif kind == "rename":
            members[i] = (draw(st.sampled_from(["word/document.xml", "[Content_Types].xml",
                                                "_rels/.rels", "../evil.xml", "/abs.xml",
                                                "word/../../x.xml", "word/media/a.png"])),
                          content)
        else:
            members.append(("word/big.xml", b"<a>" + b"x" * draw(st.integers(1, 200_000))
                            + b"</a>"))
    compression = draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))
    return _rezip(members, compression)


class Mutant:
    """A mutated file with a short repr (hypothesis prints it when a property fails)."""

    def __init__(self, label: str, payload: bytes) -> None:
        self.label, self.payload = label, payload

    def __repr__(self) -> str:
        import hashlib

        digest = hashlib.sha256(self.payload).hexdigest()[:12]
        return f"Mutant({self.label!r}, {len(self.payload)} bytes, sha256 {digest}…)"


@st.composite
def mutants(draw) -> Mutant:
    name = draw(st.sampled_from(SEED_NAMES))
    data = seed(name)
    if name.startswith("docx") and draw(st.booleans()):
        data = draw(zip_mutation(data))
        if draw(st.booleans()):
            return Mutant(name + "+zip+bytes", draw(byte_mutation(data)))
        return Mutant(name + "+zip", data)
    return Mutant(name + "+bytes", draw(byte_mutation(data)))


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


def _documented(exc: BaseException) -> bool:
    return isinstance(exc, DocumentStoreError) and type(exc) in DOCUMENTED


def _in_thread(func, limit: float):
    """Run ``func`` in a thread; (finished, result or exception)."""
    box: dict[str, object] = {}

    def target():
        try:
            box["result"] = func()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(limit)
    return not worker.is_alive(), box


# Derandomized, so a CI failure reproduces; GOVCOUNSEL_FUZZ_RANDOM=1 explores new inputs and
# GOVCOUNSEL_FUZZ_SCALE multiplies the examples (both for a longer run by hand).
RANDOM = bool(os.environ.get("GOVCOUNSEL_FUZZ_RANDOM"))
SCALE = float(os.environ.get("GOVCOUNSEL_FUZZ_SCALE", "1"))
FUZZ = settings(deadline=None, database=None, derandomize=not RANDOM, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


@settings(FUZZ, max_examples=int(1000 * SCALE))
@given(sample=mutants())
def test_validate_raises_only_documented_errors(seeds, sample):
    label, payload = sample.label, sample.payload
    finished, box = _in_thread(lambda: document_store.validate(payload, LIMITS),
                               VALIDATE_LIMIT_S)
    assert finished, f"validate hangs on {label} ({len(payload)} bytes)"
    error = box.get("error")
    if error is not None:
        assert _documented(error), f"{label}: {type(error).__module__}.{type(error).__name__}: " \
                                   f"{error}"
        assert isinstance(error, document_store.FileRejected), f"{label}: {error!r}"
        return
    info = box["result"]
    assert info.kind in ("pdf", "docx", "text") and info.size == len(payload)


@settings(FUZZ, max_examples=int(250 * SCALE))
@given(sample=mutants())
def test_isolated_extraction_raises_only_documented_errors_in_time(seeds, extractor, sample):
    label, payload = sample.label, sample.payload
    started = time.monotonic()
    try:
        result = extractor.extract(payload)
    except Exception as exc:  # noqa: BLE001 - the property is about what escapes
        assert _documented(exc), f"{label}: {type(exc).__module__}.{type(exc).__name__}: {exc}"
    else:
        assert isinstance(result.text, str) and len(result.text) <= LIMITS.max_text_chars
        assert result.kind in ("pdf", "docx", "text")
    elapsed = time.monotonic() - started
    assert elapsed < LIMITS.extraction_timeout_s + START_UP_S, f"{label}: {elapsed:.1f} s"


# (A truncated .docx, broken document XML and zip bombs through the child process are in
# tests/document_store: test_docx.py and test_isolate.py.)
HOSTILE = {
    "docx without document.xml": lambda s: _rezip(
        [m for m in _members(s["docx"]) if m[0] != "word/document.xml"]),
    "pdf without xref": lambda s: s["pdf-hand"].replace(b"trailer", b"trailor"),
    "pdf cut in a stream": lambda s: s["pdf-hand"][:200] + b"\n%%EOF\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_extract_in_a_child_process_on_hostile_files(seeds, name):
    """``document_store.extract(..., isolate=True)`` itself (one fresh child each)."""
    payload = HOSTILE[name](seeds)
    started = time.monotonic()
    try:
        result = document_store.extract(payload, LIMITS, isolate=True)
    except Exception as exc:  # noqa: BLE001
        assert _documented(exc), f"{name}: {type(exc).__name__}: {exc}"
    else:
        assert isinstance(result.text, str)
    assert time.monotonic() - started < LIMITS.extraction_timeout_s + START_UP_S


def _many_pages_pdf(pages: int) -> bytes:
    """A hand-written PDF with ``pages`` pages of text (PDFium rebuilds the missing xref)."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    parts = [b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
             f"2 0 obj<</Type/Pages/Kids[{kids}]/Count {pages}>>endobj\n".encode()]
    line = b"BT /F1 9 Tf 20 %d Td (Legal opinion line of page text, repeated.) Tj ET\n"
    content = b"".join(line % (20 + 9 * k) for k in range(80))
    for i in range(pages):
        page, stream = 3 + 2 * i, 4 + 2 * i
        parts.append(f"{page} 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]"
                     f"/Contents {stream} 0 R/Resources<</Font<</F1 "
                     f"{3 + 2 * pages} 0 R>>>>>>endobj\n".encode())
        parts.append(f"{stream} 0 obj<</Length {len(content)}>>stream\n".encode() + content
                     + b"endstream endobj\n")
    parts.append(f"{3 + 2 * pages} 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"
                 f"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".encode())
    return b"".join(parts)


def test_a_slow_extraction_is_stopped_at_the_limit():
    """A file that takes longer than the limit is cut off at the limit, not waited for."""
    slow = _many_pages_pdf(2000)
    limits = Limits(extraction_timeout_s=0.3, max_pdf_pages=5000,
                    max_upload_bytes=64 * 1024 * 1024)
    with Extractor(limits) as shared:
        shared.extract(TEXT.encode())  # start the child first: only the job is timed
        started = time.monotonic()
        with pytest.raises(document_store.ExtractionTimeout):
            shared.extract(slow)
        assert time.monotonic() - started < 0.3 + 5.0
        assert shared.extract(TEXT.encode()).text  # a fresh child takes the next job
