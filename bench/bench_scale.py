"""Both search backends on the same large corpus built by recombining the laws.

    .venv/bin/python bench/bench_scale.py --docs 100000 --pg-url postgresql+psycopg://u:p@127.0.0.1/postgres

Builds ``--docs`` documents (seeded, so every run gets the same ones): each takes the
title of one law and a few paragraphs of several others, so texts are realistic Chinese
legal prose but no two documents are alike.  Then, for each backend (Whoosh in a temp
directory, PostgreSQL full text in a fresh database ``govcounsel_bench``), in one run:

* bulk indexing (``upsert_many(procs=2)``, the backends' bulk path; ``reindex`` feeds the
  same method in checkpointed chunks of 200, one process), its
  throughput, its ratio to bare jieba ``cut_for_search`` over the same text in the same
  run, the index size, and the peak RSS of the indexing process and its children;
* query latency p50/p95 for 1-, 2- and 3-term and quoted queries, single characters
  and an OR of 5 terms, each returning the first page of 20 hits with snippets, total
  and facets, as an admin and (every kind but the OR) as a clerk of one agency.

``--pg-db NAME --reuse`` keeps the PostgreSQL database between runs: a run finding it
filled with the same ``--docs`` at the current format only times the queries (the
``index`` column then says ``reused``).  ``--no-jieba`` skips the bare jieba baseline.

Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import (  # noqa: E402
    ARCHIVE,
    EVERYONE,
    corpus_dir,
    directory_mb,
    load_docs,
    make_queries,
    time_bare_jieba,
    time_queries,
)

from indexer import IndexDoc, SearchBackend, VisibilityFilter  # noqa: E402
from indexer.analysis import word_tokens  # noqa: E402

AGENCIES = 62
BENCH_DB = "govcounsel_bench"


def paragraphs(laws: list[IndexDoc]) -> list[str]:
    """Every non-trivial paragraph (article) of the laws."""
    found = []
    for law in laws:
        found += [p.strip() for p in law.content.split("\n") if len(p.strip()) >= 30]
    return found


def recombined(laws: list[IndexDoc], count: int, mean_chars: int, seed: int = 11):
    """``count`` documents of about ``mean_chars`` characters each (a generator)."""
    rng = random.Random(seed)
    pool = paragraphs(laws)
    for doc_id in range(1, count + 1):
        target = int(rng.expovariate(1 / mean_chars)) + 150
        parts, size = [], 0
        while size < target:
            paragraph = rng.choice(pool)
            parts.append(paragraph)
            size += len(paragraph)
        yield IndexDoc(
            id=doc_id,
            title=rng.choice(laws).title + f"（第{doc_id}号）",
            content="\n".join(parts),
            agency_id=doc_id % AGENCIES + 1,
            stamp=str(doc_id),
            doc_type=("legal_opinion", "legality_review", "contract", "other")[doc_id % 4],
            classified=doc_id % 10 == 0,
        )


def peak_rss_mb() -> float:
    """Peak resident set of this process and of its (waited-for) children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def pg_database(url: str, name: str = BENCH_DB, reuse: bool = False) -> str:
    """A benchmark database on the server of ``url`` (fresh unless ``reuse`` and it
    exists); returns its URL."""
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not (reuse and exists):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def open_backend(kind: str, workdir: Path, args) -> SearchBackend:
    """A backend of ``kind`` (empty, unless a reused PostgreSQL database)."""
    if kind == "whoosh":
        from indexer.whoosh_backend import WhooshBackend

        return WhooshBackend(workdir / "index")
    if kind == "tantivy":
        from indexer.tantivy_backend import TantivyBackend

        return TantivyBackend(workdir / "index")
    from indexer.pg_backend import PostgresBackend

    backend = PostgresBackend(pg_database(args.pg_url or "", args.pg_db, args.reuse))
    if backend.needs_rebuild and backend.rebuild_reason != "missing":
        backend.reset()
    return backend


def size_mb(kind: str, backend: SearchBackend, workdir: Path) -> float:
    """Index size on disk in MB."""
    if kind in ("whoosh", "tantivy"):
        return directory_mb(workdir / "index")
    return backend.size_bytes() / 1e6  # type: ignore[attr-defined]


def run_backend(kind: str, docs: Iterator[IndexDoc], sample: list[IndexDoc], args) -> dict:
    """Index everything with one backend, then time the queries."""
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        backend = open_backend(kind, workdir, args)
        index_s = None
        if not (args.reuse and kind == "postgres" and backend.count() == args.docs):
            started = time.perf_counter()
            backend.upsert_many(docs, procs=args.procs)
            index_s = time.perf_counter() - started
        figures = {"index_s": index_s, "size_mb": size_mb(kind, backend, workdir),
                   "rss_mb": peak_rss_mb(), "count": backend.count()}
        queries = make_queries(sample, args.queries)
        words = [query for query in queries["1 term"] for _ in range(5)]
        random.Random(5).shuffle(words)
        queries["OR of 5 terms"] = [
            " OR ".join(words[i : i + 5]) for i in range(0, 5 * args.queries, 5)
        ]
        clerk = VisibilityFilter(agency_ids=frozenset({5}), classified_agency_ids=frozenset({5}))
        time_queries(backend, queries["1 term"][:5], EVERYONE)  # warm caches
        rows = {name: time_queries(backend, items, EVERYONE) for name, items in queries.items()}
        for name, items in queries.items():
            if name != "OR of 5 terms":
                rows[f"{name}, clerk"] = time_queries(backend, items, clerk)
        figures["queries"] = rows
        backend.close()
    return figures


def main() -> None:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--mean-chars", type=int, default=500)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument("--pg-url", default=os.environ.get("GOVCOUNSEL_TEST_PG_URL"))
    parser.add_argument("--backends", default="tantivy,postgres")
    parser.add_argument("--pg-db", default=BENCH_DB, help="PostgreSQL database to use")
    parser.add_argument("--reuse", action="store_true",
                        help="keep --pg-db if it already holds --docs documents")
    parser.add_argument("--no-jieba", action="store_true", help="skip the bare jieba run")
    args = parser.parse_args()

    load_before = os.getloadavg()
    laws = load_docs(corpus_dir(args.archive), None)
    sample = list(recombined(laws, 3000, args.mean_chars))
    chars = sum(len(d.title) + len(d.content) for d in recombined(laws, args.docs, args.mean_chars))
    word_tokens("预热")
    jieba_s = None
    if not args.no_jieba:
        jieba_s = time_bare_jieba(list(recombined(laws, args.docs, args.mean_chars)))
    results = {}
    for kind in args.backends.split(","):
        results[kind] = run_backend(
            kind, recombined(laws, args.docs, args.mean_chars), sample, args
        )
        print(f"{kind} done: {results[kind]['index_s']} s", file=sys.stderr)
    print_report(args, chars, jieba_s, load_before, results)


def print_report(args, chars: int, jieba_s: float | None, load_before, results) -> None:
    """The Markdown report of one run."""
    print(f"## {args.docs:,} recombined documents, {chars / 1e6:.1f} M characters\n")
    baseline = "not run (--no-jieba)" if jieba_s is None else (
        f"{jieba_s:.0f} s = {chars / jieba_s / 1e3:.0f}k chars/s (one core)")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average "
          f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after. "
          f"Bare jieba `cut_for_search` over the same text: {baseline}.\n")
    print("| backend | index (procs=2) | chars/s | ratio to jieba | index size | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind, row in results.items():
        seconds = row["index_s"]
        if seconds is None:
            print(f"| {kind} | reused | | | {row['size_mb']:.0f} MB | |")
            continue
        ratio = f"{jieba_s / seconds:.2f}" if jieba_s else "—"
        print(f"| {kind} | {seconds:.0f} s | {chars / seconds / 1e3:.0f}k "
              f"| {ratio} | {row['size_mb']:.0f} MB | {row['rss_mb']:.0f} MB |")
    print("\nFirst page of 20 with snippets, total and facets "
          f"({args.queries} queries per kind), milliseconds:\n")
    kinds = list(results)
    print("| query kind | " + " | ".join(
        f"{k} p50 | {k} p95 | {k} max | {k} median hits" for k in kinds) + " |")
    print("| --- |" + " ---: | ---: | ---: | ---: |" * len(kinds))
    for name in results[kinds[0]]["queries"]:
        cells = []
        for kind in kinds:
            row = results[kind]["queries"][name]
            cells.append(f"{row['p50']:.1f} | {row['p95']:.1f} | {row['max']:.1f} "
                         f"| {row['hits']:.0f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
