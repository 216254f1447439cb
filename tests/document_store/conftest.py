"""Fixtures for the document_store tests: real files, built once per session.

Files that need the shared corpus or LibreOffice are skipped with a loud
reason when those are missing, unless ``GOVCOUNSEL_REQUIRE_ALL`` is set (as
in CI), in which case the tests fail instead.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from document_store import BlobStore, LocalBlobStore, open_store
from tests.s3server import MotoS3

from .builders import (
    CORPUS,
    ENCRYPTED_PDF_FILTER,
    LATIN_PARAGRAPH,
    Law,
    Office,
    narrow_docx,
    rich_docx,
    unpack_laws,
    zip_bomb,
)


def skip_or_fail(reason: str) -> None:
    """Skip the test, or fail it when the environment promises everything is there."""
    if os.environ.get("GOVCOUNSEL_REQUIRE_ALL"):
        pytest.fail(f"GOVCOUNSEL_REQUIRE_ALL is set but {reason}")
    pytest.skip(f"SKIPPED, NOT TESTED: {reason}")


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    """An empty local blob store in a temporary directory."""
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture(scope="session")
def laws(tmp_path_factory: pytest.TempPathFactory) -> list[Law]:
    """Three laws of the shared corpus (unpacked to a temporary directory)."""
    if not CORPUS.exists():
        skip_or_fail(f"the corpus {CORPUS} is missing")
    return unpack_laws(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory, laws: list[Law]) -> Path:
    """A directory of files made without LibreOffice (python-docx, Pillow, pypdfium2)."""
    folder = tmp_path_factory.mktemp("made")
    rich_docx(folder / "rich.docx", laws[0])
    narrow_docx(folder / "narrow.docx", [*laws[0].paragraphs, LATIN_PARAGRAPH])
    narrow_docx(folder / "small.docx", laws[1].paragraphs[:3])
    narrow_docx(folder / "long.docx", [p for law in laws for p in law.paragraphs] * 12)
    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((60, 60, 540, 200), fill="black")
    image.save(folder / "scan.pdf")
    empty = pdfium.PdfDocument.new()
    buffer = io.BytesIO()
    empty.save(buffer)
    empty.close()
    (folder / "zero-pages.pdf").write_bytes(buffer.getvalue())
    return folder


@dataclass(frozen=True)
class OfficeFiles:
    """Files written by LibreOffice from the python-docx files in ``made``."""

    narrow_pdf: Path
    rich_pdf: Path
    rich_docx: Path
    encrypted_pdf: Path
    legacy_doc: Path
    odt: Path


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory, made: Path) -> OfficeFiles:
    """LibreOffice conversions of the made files (PDF, .docx round trip, .doc, .odt)."""
    workdir = tmp_path_factory.mktemp("office")
    lo = Office(workdir)
    if not lo.available:
        skip_or_fail("LibreOffice (soffice) is not installed")
    narrow_pdf, rich_pdf = lo.convert([made / "narrow.docx", made / "rich.docx"], "pdf", workdir)
    (rich_docx,) = lo.convert([made / "rich.docx"], "docx", workdir / "roundtrip")
    (encrypted,) = lo.convert([made / "small.docx"], ENCRYPTED_PDF_FILTER, workdir / "encrypted")
    (legacy,) = lo.convert([made / "small.docx"], "doc", workdir)
    (odt,) = lo.convert([made / "small.docx"], "odt", workdir)
    return OfficeFiles(narrow_pdf, rich_pdf, rich_docx, encrypted, legacy, odt)


@pytest.fixture(scope="session")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 'report.docx' that is a zip of 210 MB of zeros (about 200 kB on disk)."""
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "report.docx", 210 * 1024 * 1024)


@pytest.fixture
def s3_store(s3_server: MotoS3, tmp_path: Path) -> BlobStore:
    """An empty S3 blob store: a new bucket on the moto server, under the prefix ``blobs``."""
    return open_store(s3_server.url(s3_server.new_bucket(), "blobs", spool=tmp_path / "spool"))


@pytest.fixture(params=["local", "s3"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    """An empty blob store of each backend in turn (the behaviour tests run on both)."""
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    return request.getfixturevalue("s3_store")
