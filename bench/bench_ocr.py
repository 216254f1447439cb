"""OCR accuracy and speed of both engines on scans made from real LibreOffice PDFs.

Laws of the corpus are written as .docx (python-docx, A4, one paragraph per
article), converted to PDF by LibreOffice, and the first ``--pages`` pages are
rasterised with PDFium at 150, 200 and 300 dpi, plus a "rough scan" at 200 dpi
rotated by 1.5° with JPEG noise (quality 55). Each variant is turned into an
image-only PDF (what a scanner sends) and, at 200 dpi, a multi-page TIFF; these
go through the library's own path, ``extract_bytes(..., ocr=True)`` with the
engine under test. The reference is each page's text layer in the LibreOffice PDF.

Reported per engine and variant: character error rate (Levenshtein distance
over reference length, whitespace removed, NFKC), quoted-phrase recall (every
10th 6-character window of CJK text in the reference found in the OCR text),
and pages per minute (wall time, all cores). Usage::

    .venv/bin/python bench/bench_ocr.py [--laws 2] [--pages 2] [--engines rapidocr,tesseract]
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
import unicodedata
from pathlib import Path

import docx
import pypdfium2 as pdfium
from PIL import Image

from document_store import ALL_KINDS, Limits, Options, extract_bytes

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "laws.tar.xz"
LAW_IDS = ("00001", "00002", "00003", "00004")
LIMITS = Limits(extraction_timeout_s=600, ocr_page_timeout_s=600)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def phrases(reference: str) -> list[str]:
    found = []
    for start in range(0, max(0, len(reference) - 6), 10):
        window = reference[start:start + 6]
        if all("\u4e00" <= ch <= "\u9fff" for ch in window):
            found.append(window)
    return found


def law_pdfs(workdir: Path, count: int) -> list[Path]:
    wanted = {f"laws/{law}.md" for law in LAW_IDS[:count]}
    with tarfile.open(CORPUS, "r:xz") as archive:
        members = [m for m in archive if m.name in wanted]
        archive.extractall(workdir, members=members, filter="data")
    sources = []
    for law in LAW_IDS[:count]:
        lines = (workdir / "laws" / f"{law}.md").read_text(encoding="utf-8").splitlines()
        body = lines[lines.index("<!-- INFO END -->") + 1:]
        document = docx.Document()
        document.add_heading(lines[0].lstrip("# ").strip(), level=1)
        for line in body:
            if line.strip() and not line.startswith("#"):
                document.add_paragraph(line.strip())
        path = workdir / f"{law}.docx"
        document.save(path)
        sources.append(path)
    soffice = shutil.which("soffice")
    subprocess.run([soffice, f"-env:UserInstallation={(workdir / 'p').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(workdir), *map(str, sources)],
                   check=True, capture_output=True, timeout=600)
    return [path.with_suffix(".pdf") for path in sources]


def pages_of(pdfs: list[Path], per_pdf: int) -> list[tuple[pdfium.PdfDocument, int, str]]:
    pages = []
    for path in pdfs:
        document = pdfium.PdfDocument(path)
        for index in range(min(per_pdf, len(document))):
            textpage = document[index].get_textpage()
            pages.append((document, index, squash(textpage.get_text_range())))
    return pages


def raster(document: pdfium.PdfDocument, index: int, dpi: int, rough: bool) -> Image.Image:
    image = document[index].render(scale=dpi / 72).to_pil().convert("L")
    if rough:
        image = image.rotate(1.5, expand=True, fillcolor=255)
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=55)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return image


def as_pdf(images: list[Image.Image], dpi: int) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()


def as_tiff(images: list[Image.Image], dpi: int) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:],
                   compression="tiff_lzw", dpi=(dpi, dpi))
    return buffer.getvalue()


def measure(engine: str, label: str, data: bytes, references: list[str]) -> str:
    options = Options(kinds=ALL_KINDS, ocr_engine=engine)  # type: ignore[arg-type]
    started = time.monotonic()
    result = extract_bytes(data, LIMITS, options=options, ocr=True)
    elapsed = time.monotonic() - started
    errors = total = found = wanted = 0
    for page, reference in zip(result.page_texts, references, strict=True):
        hypothesis = squash(page.text)
        errors += levenshtein(reference, hypothesis)
        total += len(reference)
        windows = phrases(reference)
        wanted += len(windows)
        found += sum(window in hypothesis for window in windows)
    confidence = [p.confidence for p in result.page_texts if p.confidence is not None]
    mean_confidence = sum(confidence) / len(confidence) if confidence else 0.0
    return (f"| {engine} | {label} | {len(references)} | {100 * errors / total:.2f} % | "
            f"{found / max(wanted, 1):.3f} ({wanted}) | {60 * len(references) / elapsed:.1f} | "
            f"{mean_confidence:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--laws", type=int, default=2)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--engines", default="rapidocr,tesseract")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        pages = pages_of(law_pdfs(Path(work), args.laws), args.pages)
        references = [reference for _, _, reference in pages]
        variants = [(f"PDF {dpi} dpi", dpi, False, "pdf") for dpi in (150, 200, 300)]
        variants += [("PDF 200 dpi rotated 1.5° + JPEG q55", 200, True, "pdf"),
                     ("TIFF 200 dpi (multi-page)", 200, False, "tiff")]
        print("| engine | scan | pages | CER | 6-char phrase recall (phrases) | pages/min "
              "| mean confidence |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for engine in args.engines.split(","):
            for label, dpi, rough, container in variants:
                images = [raster(doc, index, dpi, rough) for doc, index, _ in pages]
                data = as_pdf(images, dpi) if container == "pdf" else as_tiff(images, dpi)
                print(measure(engine, label, data, references), flush=True)


if __name__ == "__main__":
    main()
