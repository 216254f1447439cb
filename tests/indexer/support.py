"""Helpers shared by the indexer tests: the corpus subset and exhaustive hit lists.

The corpus archive (``../shared/corpus/laws.tar.xz``, or ``$GOVCOUNSEL_CORPUS``) is
unpacked once per machine into the temp dir; tests that need it skip when it is absent.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer import SearchBackend, SearchFilters, SearchRequest, VisibilityFilter

PROJECT = Path(__file__).resolve().parents[2]
CORPUS_ARCHIVE = Path(
    os.environ.get("GOVCOUNSEL_CORPUS", PROJECT.parent / "shared" / "corpus" / "laws.tar.xz")
)
CORPUS_SIZE = 150
EVERYONE = VisibilityFilter(all_visible=True)


@dataclass(frozen=True)
class Law:
    """One law from the corpus index."""

    id: int
    title: str
    text: str


def corpus_dir() -> Path | None:
    """The unpacked ``laws/`` directory, unpacking it on first use; None without archive."""
    if not CORPUS_ARCHIVE.is_file():
        return None
    stamp = int(CORPUS_ARCHIVE.stat().st_mtime)
    target = Path(tempfile.gettempdir()) / f"govcounsel-corpus-{stamp}"
    if not (target / "laws" / "index.tsv").is_file():
        partial = Path(tempfile.mkdtemp(prefix="govcounsel-corpus-", dir=target.parent))
        subprocess.run(["tar", "-xJf", str(CORPUS_ARCHIVE), "-C", str(partial)], check=True)
        try:
            partial.rename(target)
        except OSError:  # another test run unpacked it first
            shutil.rmtree(partial, ignore_errors=True)
    return target / "laws"


def load_laws(count: int, min_chars: int = 1000, max_chars: int = 3000) -> list[Law]:
    """A fixed, evenly spread subset of medium-length laws."""
    laws_dir = corpus_dir()
    if laws_dir is None:
        pytest.skip(f"corpus archive not found at {CORPUS_ARCHIVE}")
    with open(laws_dir / "index.tsv", encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle, delimiter="\t")
            if min_chars <= int(r["chars"]) <= max_chars
        ]
    step = max(1, len(rows) // count)
    chosen = rows[::step][:count]
    return [
        Law(int(r["id"]), r["title"], (laws_dir / f"{r['id']}.md").read_text("utf-8"))
        for r in chosen
    ]


def search_ids(
    backend: SearchBackend,
    query: str,
    visibility: VisibilityFilter = EVERYONE,
    filters: SearchFilters | None = None,
) -> set[int]:
    """Every hit id of ``query`` (all pages), checking the total agrees."""
    ids: set[int] = set()
    page, total = 1, None
    while total is None or len(ids) < total:
        result = backend.search(
            SearchRequest(
                query, visibility, filters or SearchFilters(), page=page, per_page=100, facets=False
            )
        )
        total = result.total
        if not result.hits:
            break
        ids.update(hit.id for hit in result.hits)
        page += 1
    assert len(ids) == total
    return ids
