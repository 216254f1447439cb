"""Render the first pages of each contract kind's sample to PNG for the documentation.

``python -m contract_templates.build_screenshots`` writes
``docs/screenshots/contract-kind-<kind>.png`` (the first two pages side by side) and
``contract-redline.png`` (the tracked-changes redline of the standard sample against
a changed copy, as LibreOffice prints it). Needs LibreOffice; PDF → PNG by pypdfium2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
from PIL import Image

from .clauses import Clause
from .kinds import kind_codes
from .pdf import to_pdf
from .preview import preview
from .redline_docx import tracked_docx
from .registry import latest_shipped
from .renderer import render

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CLAUSES = [Clause("integrity", 1, "廉洁从业条款", "乙方不得向{{ agency_name }}工作人员输送任何利益。"),
           Clause("work_product", 1, "工作成果归属条款", "乙方为甲方形成的工作成果归甲方所有。")]


def pages_png(pdf: bytes, out: Path, pages: int = 2, scale: float = 1.0) -> None:
    """The first ``pages`` pages of ``pdf`` side by side as one PNG."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = [document[i].render(scale=scale).to_pil()
                  for i in range(min(pages, len(document)))]
    finally:
        document.close()
    sheet = Image.new("RGB", (sum(i.width for i in images) + 10 * (len(images) - 1),
                              max(i.height for i in images)), "#cccccc")
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + 10
    sheet.save(out, optimize=True)


def redline_pdf() -> bytes:
    """The standard sample against a copy with a higher fee and six copies, tracked."""
    version = latest_shipped("standard")
    values = dict(version.manifest.sample or {})
    before = render(version.docx_bytes, version.manifest, values)
    values.update(annual_fee="80000", copies=6, response_hours=12)
    after = render(version.docx_bytes, version.manifest, values)
    return to_pdf(tracked_docx(before, after, author="市司法局",
                               date=datetime(2022, 4, 1, tzinfo=UTC)), timeout=180)


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for kind in kind_codes():
        version = latest_shipped(kind)
        result = preview(version.docx_bytes, version.manifest, CLAUSES)
        assert result.ok and result.docx is not None, result.problems
        target = args.out / f"contract-kind-{kind}.png"
        pages_png(to_pdf(result.docx, timeout=180), target)
        print(f"wrote {target}")
    target = args.out / "contract-redline.png"
    pages_png(redline_pdf(), target, pages=3)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
