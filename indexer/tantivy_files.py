"""Helpers of the tantivy backend: what a process checks when it opens an index, how it
notices a commit, and how its analysis processes start."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import tantivy

from indexer.analysis import add_words


def meta_stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = (path / "meta.json").stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def probe(index: tantivy.Index) -> None:
    """Read the start and the end of the index (stored documents of the first and last
    id, a fast-field aggregation, a positional query), so that damage shows up now."""
    index.reload()
    searcher = index.searcher()
    if searcher.num_docs == 0:
        return
    schema = index.schema
    everything = tantivy.Query.all_query()
    for order in (tantivy.Order.Asc, tantivy.Order.Desc):
        for _key, address in searcher.search(everything, 1, order_by_field="id",
                                             order=order).hits:
            searcher.doc(address)
    searcher.aggregate(everything, {"a": {"terms": {"field": "agency_id"}}})
    phrase = tantivy.Query.phrase_query(schema, "content_bigrams", ["中华", "华人"])
    searcher.search(phrase, 1)


def by_id(index: tantivy.Index, doc_id: int) -> tantivy.Query:
    """The query for one document (tantivy-py's ``delete_documents_by_term`` builds a
    signed term for a Python int, which never matches an unsigned field)."""
    return tantivy.Query.term_query(index.schema, "id", doc_id)


def init_pool(words: list[str]) -> None:
    """Set up an analysis process: the parent's extra words, and a watch that ends the
    process when its parent is gone (a ``reindex`` killed with SIGKILL leaves no orphan
    analysers behind)."""
    add_words(words)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
