"""Time from upload to searchable for a ~20-page document in the embedded profile.

Builds .docx files from laws of ../shared/corpus (about 20 pages of text each),
uploads each through the same service as the API (validate, store, register),
then runs the index worker until the document is findable by a quoted phrase
from its middle. Prints a markdown table with the median of the runs.

    .venv/bin/python bench/bench_upload_to_searchable.py [--runs 20] [--engine tantivy]
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import tarfile
import tempfile
import time
from pathlib import Path

from docx import Document as Docx

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws.tar.xz"
CHARS_PER_PAGE = 22 * 28


def law_texts(count: int, min_chars: int) -> list[str]:
    """Texts of the first ``count`` laws with at least ``min_chars`` characters."""
    texts = []
    with tarfile.open(CORPUS) as tar:
        for member in tar:
            if not member.name.endswith(".md") or member.size < min_chars * 3:
                continue
            text = tar.extractfile(member).read().decode("utf-8")
            if len(text) >= min_chars:
                texts.append(text[: min_chars + 200])
            if len(texts) == count:
                break
    return texts


def docx_of(text: str) -> bytes:
    doc = Docx()
    for line in text.splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--engine", default="tantivy")
    args = parser.parse_args()
    from sqlalchemy import select

    from webapp import create_app
    from webapp.auth.services import create_user
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document
    from webapp.extensions import db
    from webapp.indexing.jobs import drain
    from webapp.models import Agency, User
    from webapp.search.services import SearchQuery, search
    from webapp.setup import initialise, shutdown
    from webapp.transaction import unit_of_work

    texts = law_texts(args.runs, 20 * CHARS_PER_PAGE)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"GOVCOUNSEL_DATA_DIR": tmp, "GOVCOUNSEL_WORKER": False,
                          "GOVCOUNSEL_SEARCH": args.engine})
        initialise(app)
        with app.app_context():
            db.session.add(Agency(code="B01", name="基准测试局", category="government_dept"))
            create_user("bench", "admin", "bench-password")
            db.session.commit()
            user = db.session.execute(select(User)).scalar_one()
            agency = db.session.execute(select(Agency)).scalar_one()
            search(user, SearchQuery(q="预热"))  # dictionary and index open, as in a warm server
            stored, searchable = [], []
            for text in texts:
                phrase = re.search(r"[\u4e00-\u9fff]{6}", text[len(text) // 2:]).group(0)
                data = docx_of(text)
                start = time.perf_counter()
                with unit_of_work():
                    create_document(user, DocumentMeta(agency_id=agency.id, doc_type="other"),
                                    io.BytesIO(data), "bench.docx")
                stored.append(time.perf_counter() - start)
                drain()
                hits = search(user, SearchQuery(q=f'"{phrase}"')).total
                searchable.append(time.perf_counter() - start)
                assert hits >= 1, phrase
            shutdown(app)
    import os

    print(f"`bench/bench_upload_to_searchable.py --engine {args.engine}` "
          f"(load {os.getloadavg()[0]:.1f})\n")
    print("| step | median (s) | p95 | min | max | runs |\n| --- | --- | --- | --- | --- | --- |")
    for name, values in (("upload → stored and registered", stored),
                         ("upload → searchable (quoted phrase found)", searchable)):
        p95 = sorted(values)[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"| {name} | {statistics.median(values):.3f} | {p95:.3f} | {min(values):.3f} | "
              f"{max(values):.3f} | {len(values)} |")


if __name__ == "__main__":
    main()
