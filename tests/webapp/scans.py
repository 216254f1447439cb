"""Test files for scans, OFD and legacy Word: made by LibreOffice, rasterised by PDFium."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from tests.helpers import skip_or_fail
from tests.webapp.files import converted, pdf_bytes

OFD_DIR = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ofd"  # ../shared/corpus
NOTICE_OFD = "converter_src_test_resources_n.ofd"  # 路桥区卫生局文件, two pages of text
SCAN_TEXT = "关于城南片区征收补偿方案的法律意见书\n经审查，补偿标准符合规定。"


def ofd_sample(name: str = NOTICE_OFD) -> bytes:
    """A real OFD file of the shared corpus (skips loudly without it)."""
    path = OFD_DIR / name
    if not path.exists():
        skip_or_fail(f"the OFD samples are missing ({path})")
    return path.read_bytes()


@functools.cache
def scan_pages(text: str = SCAN_TEXT, dpi: int = 200, pages: int = 1) -> tuple:
    """The top of each page of a LibreOffice PDF of ``text``, rasterised (greyscale)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes(text if pages == 1 else
                                            text + "\n" + "\n" * 60 + text))
    images = []
    for index in range(pages):
        image = document[index].render(scale=dpi / 72).to_pil().convert("L")
        images.append(image.crop((0, 0, image.width, image.height // 4)))
    return tuple(images)


def scan_png(text: str = SCAN_TEXT) -> bytes:
    """A PNG scan of the top of a page."""
    buffer = io.BytesIO()
    scan_pages(text)[0].save(buffer, format="PNG")
    return buffer.getvalue()


def scan_pdf(text: str = SCAN_TEXT, pages: int = 1) -> bytes:
    """An image-only PDF (no text layer) of ``pages`` rasterised pages."""
    images = list(scan_pages(text, pages=pages))
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:],
                   resolution=200)
    return buffer.getvalue()


def doc_bytes(text: str) -> bytes:
    """A Word 97-2003 .doc converted by LibreOffice from a .docx of ``text``."""
    return converted(text, "doc")
