"""``govcounsel reindex`` at scale: time, throughput, ratio to bare jieba, peak memory.

    .venv/bin/python bench/bench_reindex.py --laws [--engine tantivy whoosh]
    .venv/bin/python bench/bench_reindex.py --docs 20000 [--chunk 200 1000]

Builds a data dir on the embedded profile (SQLite + a local index) holding the 3,475
laws of the corpus (``--laws``) or ``--docs`` registered documents whose text is already
extracted (the recombined laws of ``bench_scale.py``, seeded: every run gets the same
ones); rows are inserted directly, no blobs, since a rebuild reads the extracted text
from the database.  Then, for each ``--engine`` and ``--chunk`` value, runs the real
command ``govcounsel reindex --restart --chunk N`` in a child process and samples the
resident memory of its whole process tree (the command and its analysis processes)
every 0.1 s from ``/proc``.  Bare jieba ``cut_for_search`` over the same
texts, in the same run, gives the ratio.  Finally ``--queries`` searches of each kind
(1–3 jieba terms, quoted 2–6 characters, one character; first page of 20 with snippets,
total and facets, as an admin and, for 2 terms, as a clerk of one agency) run against the
index the command built.  Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import recombined  # noqa: E402
from bench_search import (  # noqa: E402
    ARCHIVE,
    EVERYONE,
    corpus_dir,
    directory_mb,
    load_docs,
    make_queries,
    time_queries,
)

from indexer import IndexDoc, VisibilityFilter  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants, in MB."""
    total_kb, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total_kb += int(handle.read().split()[1]) * PAGE_KB
        except OSError:
            continue
        stack += _children(pid)
    return total_kb / 1024


def build_data_dir(data_dir: Path, count: int, mean_chars: int, laws_only: bool = False
                   ) -> tuple[list[str], list[IndexDoc], int]:
    """An initialised data dir with the demo registers and ``count`` extracted
    documents; returns their texts (for the jieba baseline), a sample of them (for
    queries) and the id of one agency (for a clerk's view)."""
    from sqlalchemy import insert

    from webapp import create_app
    from webapp.demo import load_demo
    from webapp.extensions import db
    from webapp.models import Agency, Document, DocumentVersion
    from webapp.setup import initialise, shutdown

    app = create_app({"GOVCOUNSEL_DATA_DIR": str(data_dir), "GOVCOUNSEL_WORKER": False})
    texts: list[str] = []
    sample: list[IndexDoc] = []
    with app.app_context():
        initialise(app)
        load_demo(app, documents=False)
        agencies = [a.id for a in db.session.execute(db.select(Agency)).scalars()]
        laws = load_docs(corpus_dir(ARCHIVE), None)
        now = datetime.now(UTC).replace(tzinfo=None)
        docs, versions = [], []
        # The demo's own documents (contracts) are set aside: only the measured texts
        # are indexed, so the ratio to jieba compares the same work.
        db.session.execute(db.update(Document).values(deleted_at=datetime.now(UTC)
                                                      .replace(tzinfo=None)))
        base = db.session.execute(db.select(db.func.max(Document.id))).scalar() or 0
        source = laws if laws_only else recombined(laws, count, mean_chars)
        for doc in source:
            doc = replace(doc, id=base + doc.id)  # after the demo's own documents
            sha = f"{doc.id:064x}"
            docs.append({"id": doc.id, "registration_no": f"BENCH-{doc.id}", "reg_year": 2000,
                         "reg_seq": doc.id, "agency_id": agencies[doc.id % len(agencies)],
                         "doc_type": doc.doc_type, "title": doc.title[:200],
                         "issued_on": date(2019 + doc.id % 7, 1 + doc.id % 12, 1),
                         "classified": doc.classified, "sha256": sha, "created_at": now,
                         "updated_at": now})
            versions.append({"document_id": doc.id, "version_no": 1, "sha256": sha,
                             "size": len(doc.content.encode("utf-8")),
                             "filename": f"{doc.id}.txt", "kind": "txt",
                             "text_status": "extracted", "extracted_text": doc.content,
                             "uploaded_at": now})
            texts.append(doc.content)
            if doc.id % max(1, count // 500) == 0:
                sample.append(doc)
            if len(docs) == 2000:
                db.session.execute(insert(Document), docs)
                db.session.execute(insert(DocumentVersion), versions)
                db.session.commit()
                docs, versions = [], []
        if docs:
            db.session.execute(insert(Document), docs)
            db.session.execute(insert(DocumentVersion), versions)
            db.session.commit()
        shutdown(app)
    return texts, sample, agencies[5 % len(agencies)]


def time_jieba(texts: list[str]) -> float:
    """Seconds for bare jieba ``cut_for_search`` over ``texts`` (dictionary loaded)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    started = time.perf_counter()
    for content in texts:
        for _ in tokenizer.cut_for_search(content):
            pass
    return time.perf_counter() - started


def run_reindex(data_dir: Path, chunk: int, engine: str) -> dict[str, float]:
    """Run ``govcounsel reindex --restart`` on ``engine`` and watch its memory."""
    env = {**os.environ, "GOVCOUNSEL_DATA_DIR": str(data_dir), "GOVCOUNSEL_SEARCH": engine}
    command = [str(Path(sys.executable).parent / "govcounsel"), "reindex", "--restart",
               "--chunk", str(chunk)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, cwd=PROJECT)
    peak = 0.0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            done.wait(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, stderr = proc.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()
    if proc.returncode != 0:
        raise SystemExit(f"reindex failed: {stderr.decode()[-2000:]}")
    return {"seconds": elapsed, "peak_mb": peak, "index_mb": directory_mb(data_dir / "index"),
            "load": os.getloadavg()[0]}


def time_all_queries(data_dir: Path, sample: list[IndexDoc], clerk_agency: int,
                     count: int, engine: str) -> dict[str, dict[str, float]]:
    """Latency of each kind of query on the index ``reindex`` built."""
    from indexer import open_backend

    backend = open_backend(engine, data_dir)
    queries = make_queries(sample, count)
    clerk = VisibilityFilter(agency_ids=frozenset({clerk_agency}),
                             classified_agency_ids=frozenset({clerk_agency}))
    time_queries(backend, queries["1 term"][:5], EVERYONE)  # warm caches
    rows = {name: time_queries(backend, items, EVERYONE) for name, items in queries.items()}
    rows["2 terms, clerk"] = time_queries(backend, queries["2 terms"], clerk)
    backend.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--mean-chars", type=int, default=370)
    parser.add_argument("--chunk", type=int, nargs="+", default=[1000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--engine", nargs="+", default=["tantivy"])
    parser.add_argument("--laws", action="store_true", help="the 3,475 laws themselves")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govcounsel-reindex-") as directory:
        data_dir = Path(directory) / "data"
        started = time.perf_counter()
        texts, sample, clerk_agency = build_data_dir(data_dir, args.docs, args.mean_chars,
                                                     args.laws)
        chars = sum(len(t) for t in texts)
        print(f"data dir with {len(texts):,} documents, {chars / 1e6:.1f} M characters "
              f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        jieba_load = os.getloadavg()[0]
        jieba_s = time_jieba(texts)
        count = len(texts)
        del texts
        rows, queries = [], {}
        for engine in args.engine:
            for chunk in args.chunk:
                figures = run_reindex(data_dir, chunk, engine)
                rows.append((engine, chunk, figures))
                print(f"{engine} chunk={chunk}: {figures}", file=sys.stderr)
            queries[engine] = time_all_queries(data_dir, sample, clerk_agency, args.queries,
                                               engine)
    what = "--laws" if args.laws else f"--docs {args.docs}"
    print(f"`bench/bench_reindex.py {what} --engine {' '.join(args.engine)}` — "
          f"{count:,} documents, {chars / 1e6:.1f} M characters; bare jieba "
          f"{jieba_s:.1f} s = {chars / jieba_s / 1e3:.0f}k chars/s (one core, "
          f"load {jieba_load:.1f})\n")
    print("| engine | reindex | time | chars/s | ratio to bare jieba | peak RSS (process tree) "
          "| index | load |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for engine, chunk, f in rows:
        print(f"| {engine} | `--chunk {chunk}` | {f['seconds']:.0f} s "
              f"| {chars / f['seconds'] / 1e3:.0f}k | {jieba_s / f['seconds']:.2f} "
              f"| {f['peak_mb']:.0f} MB | {f['index_mb']:.0f} MB | {f['load']:.1f} |")
    print("\n| engine | query (first page of 20, snippets, total, facets) | p50 ms | p95 ms "
          "| max ms | median hits |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for engine, table in queries.items():
        for name, row in table.items():
            print(f"| {engine} | {name} | {row['p50']:.1f} | {row['p95']:.1f} "
                  f"| {row['max']:.1f} | {row['hits']:.0f} |")


if __name__ == "__main__":
    main()
