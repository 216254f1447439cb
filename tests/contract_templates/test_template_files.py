"""Files that are not usable templates are refused with stable codes, never half-read."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from contract_templates import TemplateFileError, check_template, render
from contract_templates.docx_io import CFB_MAGIC, MAX_UNCOMPRESSED

ENCRYPTED = Path(__file__).parent / "data" / "encrypted.docx"


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (MAX_UNCOMPRESSED + 1))
    return out.getvalue()


def _flip_middle(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 64]) + data[middle + 64:]


def _cases(standard_bytes: bytes) -> dict[str, tuple[bytes, str]]:
    docm = _rezip(standard_bytes, {"[Content_Types].xml": zipfile.ZipFile(
        io.BytesIO(standard_bytes)).read("[Content_Types].xml").replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")})
    return {
        "encrypted": (ENCRYPTED.read_bytes(), "template_encrypted"),
        "legacy-doc": (CFB_MAGIC + bytes(1024), "template_not_docx"),
        "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "template_not_docx"),
        "text": ("甲方：{{ agency_name }}".encode(), "template_not_docx"),
        "empty": (b"", "template_not_docx"),
        "xlsx": (_xlsx(), "template_not_docx"),
        "docm": (docm, "template_not_docx"),
        "plain-zip": (_plain_zip(), "template_not_docx"),
        "truncated": (standard_bytes[: len(standard_bytes) // 2], "template_corrupt"),
        "bad-xml": (_rezip(standard_bytes, {"word/document.xml": b"<w:document"}),
                    "template_corrupt"),
        "bad-deflate": (_flip_middle(standard_bytes), "template_corrupt"),
        "bomb": (_bomb(), "template_too_large"),
    }


CASES = ["encrypted", "legacy-doc", "pdf", "text", "empty", "xlsx", "docm", "plain-zip",
         "truncated", "bad-xml", "bad-deflate", "bomb"]


@pytest.fixture(scope="module")
def cases(standard):
    return _cases(standard.docx_bytes)


@pytest.mark.parametrize("case", CASES)
def test_check_template_reports_unusable_files(cases, standard, case):
    data, code = cases[case]
    problems = check_template(data, standard.manifest)
    assert [p.code for p in problems] == [code]
    assert problems[0].message


@pytest.mark.parametrize("case", CASES)
def test_render_refuses_unusable_files(cases, standard, values, case):
    data, code = cases[case]
    with pytest.raises(TemplateFileError) as caught:
        render(data, standard.manifest, values)
    assert caught.value.code == code


def test_encrypted_message_tells_the_user_what_to_do(cases, standard):
    problem = check_template(cases["encrypted"][0], standard.manifest)[0]
    assert problem.message == "文档已加密，请取消密码保护后再上传"
