"""Measure text extraction throughput of ``document_store`` on files built from the corpus.

Builds N .docx files from laws of ``corpus/laws.tar.xz`` with python-docx
(paragraphs plus one table each), converts them to PDF with LibreOffice, then
times, as the median of ``--repeat`` runs over all files:

- ``validate`` (the synchronous upload check) for both kinds;
- ``extract(isolate=False)`` (in-process) and ``Extractor.extract`` (warm
  child process) for both kinds;
- for comparison, python-docx ``iter_inner_content()`` paragraphs/tables and
  pdfplumber ``extract_text``.

Prints a markdown table. Usage::

    .venv/bin/python bench/bench_extraction.py [--files 30] [--repeat 3] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
from docx.table import Table

from document_store import Extraction, Extractor, extract, validate

CORPUS = Path("/work/shared/corpus")


def pick_laws(count: int) -> list[str]:
    """Ids of ``count`` laws of 8k-20k characters, spread over the index."""
    with (CORPUS / "laws-index.tsv").open(encoding="utf-8") as index:
        rows = [row for row in csv.DictReader(index, delimiter="\t") if row["chars"].isdigit()]
    fitting = [row["id"] for row in rows if 8_000 <= int(row["chars"]) <= 20_000]
    step = max(1, len(fitting) // count)
    return fitting[::step][:count]


def unpack(ids: list[str], target: Path) -> list[Path]:
    wanted = {f"laws/{law_id}.md" for law_id in ids}
    with tarfile.open(CORPUS / "laws.tar.xz", "r:xz") as archive:
        members = [member for member in archive if member.name in wanted]
        archive.extractall(target, members=members, filter="data")
    return [target / "laws" / f"{law_id}.md" for law_id in ids]


def build_docx(markdown: Path, target: Path) -> Path:
    lines = [line.strip() for line in markdown.read_text(encoding="utf-8").splitlines()]
    body = [line for line in lines if line and not line.startswith(("#", "<!--"))]
    document = docx.Document()
    document.add_heading(lines[0].lstrip("# "), level=1)
    half = len(body) // 2
    for paragraph in body[:half]:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate(table.rows):
        for column, cell in enumerate(cells.cells):
            cell.text = f"第{row + 1}行第{column + 1}列 审查意见"
    for paragraph in body[half:]:
        document.add_paragraph(paragraph)
    path = target / f"{markdown.stem}.docx"
    document.save(path)
    return path


def to_pdf(sources: list[Path], outdir: Path) -> list[Path]:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to make the PDFs")
    profile = (outdir / "lo-profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    command += ["--convert-to", "pdf", "--outdir", str(outdir), *map(str, sources)]
    subprocess.run(command, check=True, capture_output=True, timeout=1200)
    return [outdir / f"{source.stem}.pdf" for source in sources]


def inner_content(path: Path) -> str:
    parts: list[str] = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, Table):
            parts.extend(cell.text for row in block.rows for cell in row.cells)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def pdfplumber_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def timed(function: Callable[[Path], object], files: list[Path], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for path in files:
            function(path)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-extraction-"))
    workdir.mkdir(parents=True, exist_ok=True)

    laws = unpack(pick_laws(args.files), workdir)
    docx_files = [build_docx(law, workdir) for law in laws]
    pdf_files = to_pdf(docx_files, workdir)

    rows: list[tuple[str, str, list[Path], float]] = []
    with Extractor() as extractor:
        extractor.extract(docx_files[0])
        cases: list[tuple[str, str, Callable[[Path], object], list[Path]]] = [
            ("docx", "validate", validate, docx_files),
            ("docx", "extract(isolate=False)", in_process, docx_files),
            ("docx", "Extractor.extract (warm child)", extractor.extract, docx_files),
            ("docx", "python-docx iter_inner_content (comparison)", inner_content, docx_files),
            ("pdf", "validate", validate, pdf_files),
            ("pdf", "extract(isolate=False) [pypdfium2]", in_process, pdf_files),
            ("pdf", "Extractor.extract (warm child)", extractor.extract, pdf_files),
            ("pdf", "pdfplumber extract_text (comparison)", pdfplumber_text, pdf_files[:5]),
        ]
        for kind, label, function, files in cases:
            rows.append((kind, label, files, timed(function, files, args.repeat)))
    one_shot = timed(extract, pdf_files[:3], 1) / 3

    print(f"{len(docx_files)} .docx and {len(pdf_files)} PDFs built from the corpus;")
    print(f"median of {args.repeat} runs over the files of each row\n")
    print("| kind | what | files | total s | ms/file | ms/page | pages/s | chars/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, label, files, seconds in rows:
        chars = sum(len(in_process(path).text) for path in files)
        pages = sum(in_process(path).pages or 0 for path in files)
        per_page = f"{1000 * seconds / pages:.2f} | {pages / seconds:,.0f}" if pages else " | "
        print(
            f"| {kind} | {label} | {len(files)} | {seconds:.3f} | {1000 * seconds / len(files):.1f}"
            f" | {per_page} | {chars / seconds:,.0f} |"
        )
    print(f"\none-shot extract() (new child process per call): {one_shot * 1000:.0f} ms per PDF")


def in_process(path: Path) -> Extraction:
    return extract(path, isolate=False)


if __name__ == "__main__":
    main()
