"""The index worker catching up with a backlog: one commit per job against batches.

    .venv/bin/python bench/bench_worker_batch.py [--docs 200] [--batch 20] [--engine tantivy whoosh]

For each engine and batch size, in a fresh embedded data dir (SQLite + local folder):
registers ``--docs`` uploads (.docx made with python-docx from laws of
``../shared/corpus``, 2,000–8,000 characters each) without running the worker, then times
the worker draining the queue — text extraction in its child process, index commits and
job bookkeeping, exactly what ``serve``'s worker thread does — and checks that every
document ends ``indexed`` and found by a quoted phrase.  Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import ARCHIVE, corpus_dir, load_docs  # noqa: E402
from bench_uploads import docx_bytes  # noqa: E402


def run(batch: int, files: list[tuple[str, bytes, str]], engine: str) -> dict[str, float]:
    """Register every file, then drain the queue with batches of ``batch`` jobs."""
    from sqlalchemy import func, select

    from indexer import SearchRequest
    from webapp import create_app
    from webapp.documents.schemas import DocumentMeta
    from webapp.documents.services import create_document
    from webapp.extensions import db
    from webapp.indexing import jobs
    from webapp.indexing.backend import get_backend
    from webapp.models import Agency, Document, User
    from webapp.policy import search_visibility
    from webapp.setup import initialise, shutdown
    from webapp.transaction import unit_of_work

    with tempfile.TemporaryDirectory(prefix="govcounsel-batch-") as directory:
        app = create_app({"GOVCOUNSEL_DATA_DIR": directory, "GOVCOUNSEL_WORKER": False,
                          "GOVCOUNSEL_SEARCH": engine})
        with app.app_context():
            initialise(app)
            from webapp.auth.services import create_user

            agency = Agency(code="B01", name="基准测试局", category="government_dept")
            db.session.add(agency)
            db.session.commit()
            admin = create_user("bench", "admin", "bench-password-1")
            db.session.commit()
            for name, data, _phrase in files:
                with unit_of_work():
                    create_document(admin, DocumentMeta(agency_id=agency.id,
                                                        doc_type="legal_opinion"),
                                    io.BytesIO(data), name)
            get_backend()  # opened before timing, as in a running server
            started = time.perf_counter()
            processed = 0
            while count := jobs.run_batch(batch):
                processed += count
            seconds = time.perf_counter() - started
            indexed = db.session.execute(select(func.count(Document.id)).where(
                Document.index_status == "indexed")).scalar_one()
            user = db.session.execute(select(User)).scalars().first()
            seen = search_visibility(user)
            found = sum(1 for _name, _data, phrase in files
                        if get_backend().search(SearchRequest(f'"{phrase}"', seen)).total)
            shutdown(app)
    return {"seconds": seconds, "jobs": processed, "indexed": indexed, "found": found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--batch", type=int, nargs="+", default=[20])
    parser.add_argument("--engine", nargs="+", default=["tantivy", "whoosh"])
    args = parser.parse_args()
    rng = random.Random(5)
    laws = [law for law in load_docs(corpus_dir(ARCHIVE), None)
            if 2000 <= len(law.content) <= 8000]
    files = []
    for i, law in enumerate(rng.sample(laws, args.docs)):
        start = rng.randrange(len(law.content) // 2)
        phrase = next((law.content[j:j + 10] for j in range(start, len(law.content) - 10)
                       if all("\u4e00" <= c <= "\u9fff" for c in law.content[j:j + 10])),
                      law.title[:6])
        files.append((f"{i}.docx", docx_bytes(f"{law.title}\n{law.content}"), phrase))
    print(f"`bench/bench_worker_batch.py --docs {args.docs}` — {args.docs} queued .docx "
          f"uploads (2,000–8,000 characters each)\n")
    print("| engine | jobs per index commit | drain time | documents/s | indexed "
          "| found by a phrase | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for engine in args.engine:
        for batch in args.batch:
            result = run(batch, files, engine)
            print(f"| {engine} | {batch} | {result['seconds']:.1f} s "
                  f"| {result['jobs'] / result['seconds']:.1f} | {result['indexed']} "
                  f"| {result['found']} | {os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
