"""Real test files: .docx by python-docx, PDFs by LibreOffice, hostile files by hand."""

from __future__ import annotations

import functools
import io
import subprocess
import tempfile
import zipfile
from pathlib import Path

from docx import Document as Docx

from tests.helpers import has_program, skip_or_fail

OPINION = ("关于汴西新区污水处理厂特许经营项目的法律意见书\n"
           "经审查，该项目属于重大行政决策事项，应当履行合法性审查程序。\n"
           "建议在协议中明确违约责任，并补充履约担保条款。郑汴同城南水北调配套工程另行论证。")


def docx_bytes(text: str = OPINION) -> bytes:
    """A .docx with one paragraph per line of ``text``."""
    doc = Docx()
    for line in text.splitlines():
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@functools.cache
def pdf_bytes(text: str = OPINION) -> bytes:
    """A PDF made by LibreOffice from a .docx of ``text`` (skips loudly without soffice)."""
    return converted(text, "pdf")


@functools.cache
def converted(text: str, target: str) -> bytes:
    """A .docx of ``text`` converted by LibreOffice to ``target`` (pdf, doc, ...)."""
    if not has_program("soffice"):
        skip_or_fail(f"LibreOffice (soffice) is needed to make {target} test files")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.docx"
        src.write_bytes(docx_bytes(text))
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", target, "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=120)
        return (Path(tmp) / f"doc.{target}").read_bytes()


def zip_bomb() -> bytes:
    """A zip named like a .docx whose one member inflates to 300 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    return out.getvalue()


ZERO_PAGE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                 b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                 b"trailer<</Root 1 0 R>>\n%%EOF\n")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
