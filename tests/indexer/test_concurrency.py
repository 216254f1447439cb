"""One writer, many readers, across threads and processes; and what a search may cost.

Readers search in a loop — in threads of the writing process and in a second process —
while the writer commits again and again (every commit of a local engine may merge and
remove segment files): no search may fail, and each sees the last commit at the end.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from indexer import SearchRequest, VisibilityFilter
from indexer.backend import CostLimits, IndexBusy, SearchTooCostly
from indexer.index_dir import WriterLease
from indexer.tantivy_backend import TantivyBackend
from indexer.whoosh_backend import WhooshBackend

from .support import search_ids

EVERYONE = VisibilityFilter(all_visible=True)
PROJECT = Path(__file__).resolve().parents[2]
COMMITS = 15

READER = textwrap.dedent("""
    import json, sys, time
    from indexer import SearchRequest, VisibilityFilter, open_backend
    kind, path, url, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    backend = open_backend(f"{kind}:{url or path}", "/")
    errors, searches, end = [], 0, time.monotonic() + seconds
    print("ready", flush=True)
    while time.monotonic() < end:
        try:
            backend.search(SearchRequest("聘任合同", VisibilityFilter(all_visible=True)))
            backend.similar(1, VisibilityFilter(all_visible=True))
            searches += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"errors": errors[:5], "searches": searches}), flush=True)
""")


def _reader_process(open_index) -> subprocess.Popen:
    """A process searching the index of ``open_index`` (a ``BackendMaker.open``)."""
    maker = open_index.__self__
    proc = subprocess.Popen(
        [sys.executable, "-c", READER, maker.kind, str(maker.path), maker.url or "", "60"],
        cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_readers_in_threads_and_another_process_never_fail_during_commits(
        open_index, make_doc):
    backend = open_index()
    backend.upsert(make_doc(1, "聘任合同第一份"))
    proc = _reader_process(open_index)
    errors: list[str] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                backend.search(SearchRequest("聘任合同", EVERYONE))
            except Exception as exc:  # reported below
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        for i in range(2, COMMITS + 2):
            backend.upsert_many([make_doc(i, "聘任合同" * 50), make_doc(1000 + i, "其他")])
            backend.delete(1000 + i)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        proc.terminate()
    assert errors == []
    out, _ = proc.communicate(timeout=60)
    if out.strip():  # terminated before it reported: nothing to check but its exit
        report = json.loads(out.strip().splitlines()[-1])
        assert report["errors"] == []
    assert search_ids(backend, "聘任合同") == set(range(1, COMMITS + 2))


@pytest.mark.parametrize("kind", [TantivyBackend, WhooshBackend])
def test_a_second_writer_waits_for_the_lease_then_says_who_holds_it(tmp_path, make_doc, kind):
    path = tmp_path / "index"
    backend = kind(path, writer_timeout=0.2)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from indexer.index_dir import WriterLease
            lease = WriterLease(__import__("pathlib").Path({str(path)!r}), 1.0)
            lease.acquire("reindex")
            print("held", flush=True)
            sys.stdin.readline()
        """)], cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(IndexBusy, match=f"pid {holder.pid} \\(reindex\\)"):
            backend.upsert(make_doc(1, "行政复议"))
    finally:
        holder.communicate("\n", timeout=30)
    backend.upsert(make_doc(1, "行政复议"))  # the lease died with its holder
    assert search_ids(backend, "行政复议") == {1}
    backend.close()
    assert not WriterLease(path, 0.1).held


def test_a_query_needing_too_many_index_terms_is_refused(backend, make_doc):
    backend.upsert(make_doc(1, "行政复议"))
    wide = " OR ".join(f"{chr(0x4E00 + i)}{chr(0x4E10 + i)}" for i in range(30))
    with pytest.raises(SearchTooCostly) as refused:
        backend.search(SearchRequest(wide, EVERYONE, limits=CostLimits(max_terms=20)))
    assert refused.value.reason == "terms"
    roomy = CostLimits(time_budget=30.0)  # the default term limit, time to spare
    assert backend.search(SearchRequest(wide, EVERYONE, limits=roomy)).total == 0


@pytest.mark.parametrize("kind", [TantivyBackend, WhooshBackend])
def test_a_search_past_its_time_budget_is_refused(tmp_path, make_doc, kind):
    backend = kind(tmp_path / "index")
    backend.upsert_many([make_doc(i, "合同审查意见") for i in range(1, 30)])
    with pytest.raises(SearchTooCostly) as refused:
        backend.search(SearchRequest("合同", EVERYONE, limits=CostLimits(time_budget=0.0)))
    assert refused.value.reason == "time"
    backend.close()
