"""Real type from content (never the name), text encodings, and upload-level limits."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

from document_store import (
    BadEncoding,
    EmptyFile,
    EncryptedDocx,
    LegacyDoc,
    Limits,
    TooLarge,
    UnsupportedType,
    detect,
    extract,
    validate,
)

from .builders import ole2_file

DOS_STUB = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + (
    b"This program cannot be run in DOS mode.\r\r\n$" + bytes(200)
)


def test_exe_renamed_pdf_is_unsupported(tmp_path: Path):
    fake = tmp_path / "合同.pdf"
    fake.write_bytes(DOS_STUB)
    with pytest.raises(UnsupportedType) as raised:
        validate(fake)
    assert raised.value.code == "unsupported_type" and raised.value.status == 415


def test_real_executable_renamed_pdf_is_unsupported(tmp_path: Path):
    fake = tmp_path / "opinion.pdf"
    shutil.copy(sys.executable, fake)
    with pytest.raises(UnsupportedType):
        validate(fake)


def test_pdf_named_txt_is_a_pdf(made: Path, tmp_path: Path):
    renamed = tmp_path / "notes.txt"
    shutil.copy(made / "scan.pdf", renamed)
    assert validate(renamed).kind == "pdf"


def test_empty_file(tmp_path: Path):
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile) as raised:
        validate(empty)
    assert raised.value.code == "empty_file" and raised.value.status == 400


def test_too_large_for_paths_bytes_and_streams(made: Path):
    limits = Limits(max_upload_bytes=1000)
    path = made / "rich.docx"
    for source in (path, str(path), path.read_bytes(), io.BytesIO(path.read_bytes())):
        with pytest.raises(TooLarge) as raised:
            validate(source, limits)
        assert raised.value.status == 413


def test_validate_rewinds_a_stream(made: Path):
    stream = io.BytesIO(b"prefix" + (made / "rich.docx").read_bytes())
    stream.seek(6)
    assert validate(stream).kind == "docx"
    assert stream.tell() == 6


def test_gb18030_text(tmp_path: Path, laws):
    source = laws[1].text
    path = tmp_path / "gbk.txt"
    path.write_bytes(source.replace("\n", "\r\n").encode("gb18030"))

    info = validate(path)
    extraction = extract(path, isolate=False)

    assert (info.kind, info.encoding) == ("text", "gb18030")
    assert info.media_type == "text/plain; charset=gb18030"
    assert (extraction.text, extraction.encoding) == (source, "gb18030")


def test_utf8_with_bom(tmp_path: Path, laws):
    path = tmp_path / "bom.txt"
    path.write_bytes(laws[2].text.encode("utf-8-sig"))

    extraction = extract(path, isolate=False)

    assert extraction.encoding == "utf-8-sig"
    assert extraction.text == laws[2].text and not extraction.text.startswith("\ufeff")


def test_plain_utf8_and_utf16(laws):
    text = laws[0].text
    assert extract(text.encode(), isolate=False).encoding == "utf-8"
    utf16 = extract(text.encode("utf-16"), isolate=False)
    assert (utf16.text, utf16.encoding) == (text, "utf-16")


def test_big5_is_preferred_when_detected():
    text = "本法律顧問意見書就政府採購合同的合法性進行審查，並提出修改建議。" * 20
    extraction = extract(text.encode("big5"), isolate=False)
    assert (extraction.text, extraction.encoding) == (text, "big5")


def test_nul_bytes_mean_binary():
    with pytest.raises(UnsupportedType):
        validate(b"plain words\x00 then a NUL")


def test_undecodable_text_is_bad_encoding():
    with pytest.raises(BadEncoding) as raised:
        validate(b"contract \x81\x20 clause " * 40)
    assert raised.value.code == "bad_encoding" and raised.value.status == 422


def test_text_limit_truncates(laws):
    extraction = extract(laws[0].text.encode(), Limits(max_text_chars=10), isolate=False)
    assert extraction.truncated and extraction.text == laws[0].text[:10]


def test_legacy_word_doc_is_refused_with_its_own_code(office):
    with pytest.raises(LegacyDoc) as raised:
        validate(office.legacy_doc)
    assert raised.value.code == "legacy_doc" and raised.value.status == 415
    assert isinstance(raised.value, UnsupportedType)


def test_encrypted_office_file_is_encrypted_docx():
    data = ole2_file(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])
    with pytest.raises(EncryptedDocx) as raised:
        detect(data)
    assert raised.value.code == "encrypted_docx" and raised.value.status == 422


def test_other_ole2_files_and_broken_ole2_are_unsupported():
    with pytest.raises(UnsupportedType, match="not a Word document"):
        detect(ole2_file(["Workbook"]))
    with pytest.raises(UnsupportedType, match="unreadable OLE2"):
        detect(ole2_file(["WordDocument"])[:700])


def test_other_zip_formats_are_unsupported(office, tmp_path: Path):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "意见建议条数"
    workbook.save(tmp_path / "stats.docx")
    for path in (tmp_path / "stats.docx", office.odt):
        with pytest.raises(UnsupportedType, match="not a Word .docx"):
            validate(path)


def test_images_are_unsupported(made: Path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    with pytest.raises(UnsupportedType):
        validate(buffer.getvalue())
