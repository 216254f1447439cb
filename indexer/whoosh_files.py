"""Opening a Whoosh index's files safely: damage found at open time, and searchers that
hold every file they will read (see :class:`_PinnedColumns`)."""

from __future__ import annotations

import gc
import warnings
from pathlib import Path

from whoosh import index
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from indexer.whoosh_schema import stored_content


class _PinnedColumns(W3PerDocReader):
    """Whoosh's per-document reader opens a segment's column files lazily, on first use,
    and checks that each exists first.  When another writer's merge has removed the
    segment meanwhile, a search then fails (``FileNotFoundError``, or ``TypeError`` from
    a column reported missing).  A pinned reader opens every column file when the
    searcher is created and answers from those open files (on POSIX an open file stays
    readable after it is removed)."""

    def has_column(self, fieldname):
        """Whether the segment had this column when the searcher was opened."""
        return fieldname in self._colfiles


def pin(searcher: Searcher) -> Searcher:
    """Open every column file of every segment of ``searcher`` now (see
    :class:`_PinnedColumns`); raises ``OSError`` when one is already gone."""
    for leaf, _offset in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if not isinstance(perdoc, W3PerDocReader):
            continue
        segment = leaf.segment()
        prefix = segment.segment_id() + "."
        for name in leaf._storage.list():
            if name.startswith(prefix) and name.endswith(W3Codec.COLUMN_EXT):
                fieldname = name[len(prefix) : -len(W3Codec.COLUMN_EXT)]
                perdoc._colfiles[fieldname] = perdoc._get_column_file(fieldname)
        perdoc.__class__ = _PinnedColumns
    return searcher


def _probe(ix: FileIndex) -> None:
    """Touch the start and the end of every segment file, so that damage (a truncated
    file) shows up now rather than in a search: stored fields of the first and last
    document, every column, the terms table, and the postings of the last field
    (``year``), which Whoosh writes at the end of the postings file."""
    with ix.searcher() as searcher:
        if searcher.doc_count_all() == 0:
            return
        for leaf, _offset in searcher.reader().leaf_readers():
            docnums = list(leaf.all_doc_ids())
            for docnum in docnums[:1] + docnums[-1:]:
                stored_content(leaf.stored_fields(docnum))
            for fieldname in ("agency_id", "doc_type", "id", "issued", "stamp", "year"):
                list(leaf.column_reader(fieldname))
            for fieldname in ("id", "content_exact", "year"):
                terms = list(leaf.lexicon(fieldname)) if fieldname == "year" else []
                first = next(iter(leaf.lexicon(fieldname)), None)
                for term in [first, *terms[-1:]]:
                    if term is not None:
                        list(leaf.postings(fieldname, term).all_ids())


def open_checked(path: Path) -> tuple[FileIndex | None, str | None]:
    """Open and probe the index; on failure ``(None, reason)``.  Whoosh leaves the files
    of a damaged index open when it raises; they are collected here, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = index.open_dir(str(path))
            _probe(ix)
            return ix, None
        except Exception as exc:  # any failure to read means the files are damaged
            reason = f"unreadable: {type(exc).__name__}: {exc}"
        gc.collect()
    return None, reason
