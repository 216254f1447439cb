"""Convert a generated contract to PDF with LibreOffice, when the server has it.

Each conversion runs ``soffice --headless --convert-to pdf`` in its own temporary
directory with a private user profile (``-env:UserInstallation``), so parallel
conversions never share LibreOffice's lock files, and the process group is
killed if it overruns ``timeout``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import ContractTemplateError
from .messages import text

SOFFICE_NAMES = ("soffice", "libreoffice")


class PdfUnavailableError(ContractTemplateError):
    """LibreOffice is not installed on this machine."""

    code = "pdf_unavailable"

    def __init__(self) -> None:
        super().__init__(text("pdf_unavailable"))


class PdfConversionError(ContractTemplateError):
    """LibreOffice ran but produced no PDF (or took too long)."""

    code = "pdf_failed"

    def __init__(self, detail: str) -> None:
        super().__init__(text("pdf_failed", detail=detail))


def soffice_path(configured: str | None = None) -> str | None:
    """Where LibreOffice's ``soffice`` is: ``configured`` (the caller's setting) when given,
    else found on PATH; ``None`` when there is none."""
    if configured:
        return configured if Path(configured).is_file() else None
    return next((found for name in SOFFICE_NAMES if (found := shutil.which(name))), None)


def soffice_available(configured: str | None = None) -> bool:
    """Whether :func:`to_pdf` can work here (with ``configured`` as in :func:`soffice_path`)."""
    return soffice_path(configured) is not None


def to_pdf(docx_bytes: bytes, timeout: float = 60.0, soffice: str | None = None) -> bytes:
    """The PDF rendering of a .docx (``soffice``: the program to use, else found on PATH);
    raises :class:`PdfUnavailableError` or :class:`PdfConversionError`."""
    soffice = soffice_path(soffice)
    if soffice is None:
        raise PdfUnavailableError()
    with tempfile.TemporaryDirectory(prefix="govcounsel-pdf-") as work:
        folder = Path(work)
        source = folder / "contract.docx"
        source.write_bytes(docx_bytes)
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--headless", "--norestore", "--nologo", "--convert-to", "pdf",
                   "--outdir", str(folder / "out"), str(source)]
        _run(command, timeout)
        target = folder / "out" / "contract.pdf"
        if not target.is_file():
            raise PdfConversionError("LibreOffice 未生成 PDF 文件")
        return target.read_bytes()


def _run(command: list[str], timeout: float) -> None:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfConversionError(f"超过 {timeout:g} 秒未完成") from None
    if process.returncode != 0:
        detail = output.decode("utf-8", "replace").strip()[-300:]
        raise PdfConversionError(f"退出码 {process.returncode}：{detail}")
