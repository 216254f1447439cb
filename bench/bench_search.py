"""Benchmark the search stack on the corpus of Chinese laws; prints a Markdown report.

    .venv/bin/python bench/bench_search.py [--limit N] [--procs 2] [--queries 100]

Measures, in one run on one machine:

* bare jieba ``cut_for_search`` over every text (the floor indexing is compared with);
* indexing every law with ``WhooshBackend.upsert_many`` (exact bigram + jieba fields,
  stored text), its throughput, the ratio to bare jieba, and the index size;
* updating one document in the full index;
* search latency for 1-, 2- and 3-term queries and quoted phrases, each returning the
  first page of 20 hits with snippets, total and facets; also as a clerk (visibility
  restricted to one agency), and the first query of a new process.

The corpus (``../shared/corpus/laws.tar.xz``) is unpacked once into the temp dir.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from indexer import CostLimits, IndexDoc, SearchRequest, VisibilityFilter
from indexer.analysis import word_tokens
from indexer.whoosh_backend import WhooshBackend

PROJECT = Path(__file__).resolve().parents[1]
ARCHIVE = PROJECT.parent / "shared" / "corpus" / "laws.tar.xz"
AGENCIES = 62
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{6,}")
EVERYONE = VisibilityFilter(all_visible=True)


def corpus_dir(archive: Path) -> Path:
    """The unpacked ``laws/`` directory (shared with the tests' cache)."""
    target = Path(tempfile.gettempdir()) / f"govcounsel-corpus-{int(archive.stat().st_mtime)}"
    if not (target / "laws" / "index.tsv").is_file():
        partial = Path(tempfile.mkdtemp(prefix="govcounsel-corpus-", dir=target.parent))
        subprocess.run(["tar", "-xJf", str(archive), "-C", str(partial)], check=True)
        partial.rename(target)
    return target / "laws"


def load_docs(laws: Path, limit: int | None) -> list[IndexDoc]:
    """Every law as an IndexDoc: 62 agencies round robin, one in ten classified."""
    with open(laws / "index.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[:limit]
    return [
        IndexDoc(
            id=int(row["id"]),
            title=row["title"],
            content=(laws / f"{row['id']}.md").read_text("utf-8"),
            agency_id=int(row["id"]) % AGENCIES + 1,
            stamp=row["id"],
            doc_type="other",
            classified=int(row["id"]) % 10 == 0,
        )
        for row in rows
    ]


def time_bare_jieba(docs: list[IndexDoc]) -> float:
    """Seconds for jieba's own search-mode cut over all texts (dictionary load excluded)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    started = time.perf_counter()
    for doc in docs:
        for _ in tokenizer.cut_for_search(doc.content):
            pass
    return time.perf_counter() - started


def make_queries(docs: list[IndexDoc], count: int, seed: int = 7) -> dict[str, list[str]]:
    """Queries with hits: jieba words of one document (1–3 terms), quoted substrings of
    2–6 characters, and single characters."""
    rng = random.Random(seed)
    queries: dict[str, list[str]] = {
        "1 term": [],
        "2 terms": [],
        "3 terms": [],
        "quoted": [],
        "1 character": [],
    }
    while min(len(q) for q in queries.values()) < count:
        doc = rng.choice(docs)
        start = rng.randrange(max(1, len(doc.content) - 400))
        words = [w for w in word_tokens(doc.content[start : start + 400]) if len(w) >= 2]
        runs = CJK_RUN.findall(doc.content[start : start + 400])
        if len(set(words)) < 3 or not runs:
            continue
        for terms, name in ((1, "1 term"), (2, "2 terms"), (3, "3 terms")):
            queries[name].append(" ".join(rng.sample(sorted(set(words)), terms)))
        run = rng.choice(runs)
        length = rng.randint(2, 6)
        offset = rng.randrange(len(run) - length + 1)
        queries["quoted"].append(f'"{run[offset : offset + length]}"')
        queries["1 character"].append(rng.choice(run))
    return {name: items[:count] for name, items in queries.items()}


UNLIMITED = CostLimits(max_terms=10_000, time_budget=3600.0)  # measure, never refuse


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_queries(backend: WhooshBackend, queries: list[str], visibility) -> dict[str, float]:
    """Milliseconds per search (first page of 20 with snippets, total, facets)."""
    times, totals = [], []
    for query in queries:
        started = time.perf_counter()
        result = backend.search(SearchRequest(query, visibility, per_page=20,
                                              limits=UNLIMITED))
        times.append((time.perf_counter() - started) * 1000)
        totals.append(result.total)
    return {
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "max": max(times),
        "hits": statistics.median(totals),
    }


def cold_query_ms(index_dir: Path, query: str) -> float:
    """Wall time of opening the index and answering one query in a new process."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from indexer import SearchRequest, VisibilityFilter\n"
        "from indexer.whoosh_backend import WhooshBackend\n"
        f"b = WhooshBackend({str(index_dir)!r})\n"
        f"b.search(SearchRequest({query!r}, VisibilityFilter(all_visible=True)))\n"
        "print((time.perf_counter() - t) * 1000); b.close()\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(output.stdout.strip())


def directory_mb(path: Path) -> float:
    """Size of the files in ``path`` in MB."""
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file()) / 1e6


def main() -> None:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--limit", type=int, default=None, help="index only the first N laws")
    parser.add_argument("--procs", type=int, default=2, help="indexing processes")
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="build the index in this (new) directory and keep it",
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    docs = load_docs(corpus_dir(args.archive), args.limit)
    chars = sum(len(doc.content) + len(doc.title) for doc in docs)
    word_tokens("预热")  # load the dictionary before timing anything
    jieba_s = time_bare_jieba(docs)

    with tempfile.TemporaryDirectory() as directory:
        index_dir = args.keep or Path(directory) / "index"
        backend = WhooshBackend(index_dir)
        started = time.perf_counter()
        backend.upsert_many(docs, procs=args.procs)
        index_s = time.perf_counter() - started
        size = directory_mb(index_dir)

        updates = []
        for doc in random.Random(3).sample(docs, 10):
            started = time.perf_counter()
            backend.upsert(doc)
            updates.append((time.perf_counter() - started) * 1000)

        queries = make_queries(docs, args.queries)
        clerk = VisibilityFilter(agency_ids=frozenset({5}), classified_agency_ids=frozenset({5}))
        rows = {name: time_queries(backend, items, EVERYONE) for name, items in queries.items()}
        rows["2 terms, clerk"] = time_queries(backend, queries["2 terms"], clerk)
        backend.close()
        cold = cold_query_ms(index_dir, queries["2 terms"][0])

    print(f"## Search benchmark: {len(docs):,} laws, {chars / 1e6:.1f} M characters\n")
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; load average "
        f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after.\n"
    )
    print("| what | figure |\n| --- | --- |")
    print(
        f"| bare jieba `cut_for_search` | {jieba_s:.1f} s = {chars / jieba_s / 1e3:.0f}k chars/s |"
    )
    print(
        f"| index all (`upsert_many`, procs={args.procs}) | {index_s:.1f} s = "
        f"{chars / index_s / 1e3:.0f}k chars/s; ratio to bare jieba "
        f"{jieba_s / index_s:.2f}; {size:.0f} MB |"
    )
    print(f"| update one document + commit (median of 10) | {statistics.median(updates):.0f} ms |")
    print(f"| first query in a new process (open + jieba + search) | {cold:.0f} ms |\n")
    print(
        "| query kind (first page of 20, snippets, total, facets) | median ms | p95 ms "
        "| max ms | median hits |\n| --- | --- | --- | --- | --- |"
    )
    for name, row in rows.items():
        print(
            f"| {name} | {row['p50']:.1f} | {row['p95']:.1f} | {row['max']:.0f} "
            f"| {row['hits']:.0f} |"
        )


if __name__ == "__main__":
    main()
