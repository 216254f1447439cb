"""Writing, reading back, format versions, damage detection and the factory."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest

from indexer import (
    IndexUnavailable,
    SearchConfigError,
    SearchRequest,
    VisibilityFilter,
    open_backend,
)
from indexer.factory import resolve_engine
from indexer.index_dir import RECORD_FILE, read_record
from indexer.tantivy_backend import TantivyBackend
from indexer.whoosh_backend import VERSION_FILE, WhooshBackend

from .support import search_ids

EVERYONE = VisibilityFilter(all_visible=True)


def test_upsert_replaces_a_document(backend, make_doc):
    backend.upsert(make_doc(1, "旧的正文：行政复议", stamp="a:1"))
    backend.upsert(make_doc(1, "新的正文：合同审查", stamp="b:2"))
    assert backend.count() == 1
    assert backend.doc_ids() == {1: "b:2"}
    assert search_ids(backend, "行政复议") == set()
    assert search_ids(backend, "合同审查") == {1}


def test_hits_carry_the_stored_metadata(backend, make_doc):
    backend.upsert(
        make_doc(
            3,
            "聘任合同",
            title="聘任合同（2022）",
            agency_id=5,
            agency_name="市财政局",
            doc_type="contract",
            issued_on=date(2022, 3, 31),
        )
    )
    hit = backend.search(SearchRequest("聘任合同", EVERYONE)).hits[0]
    assert (hit.id, hit.title, hit.agency_id, hit.agency_name, hit.doc_type, hit.issued_on) == (
        3,
        "聘任合同（2022）",
        5,
        "市财政局",
        "contract",
        date(2022, 3, 31),
    )
    assert hit.score > 0


def test_delete_and_clear(backend, make_doc):
    backend.upsert_many([make_doc(i, "法律顾问") for i in (1, 2, 3)])
    backend.delete(2)
    backend.delete(99)
    assert backend.doc_ids().keys() == {1, 3}
    assert search_ids(backend, "法律顾问") == {1, 3}
    backend.clear()
    assert backend.count() == 0 and backend.doc_ids() == {}
    assert search_ids(backend, "法律顾问") == set()


def test_a_batch_with_a_repeated_id_commits_nothing(backend, make_doc):
    backend.upsert(make_doc(1, "原文"))
    with pytest.raises(ValueError, match="twice"):
        backend.upsert_many([make_doc(2, "甲"), make_doc(3, "乙"), make_doc(2, "丙")])
    assert backend.doc_ids().keys() == {1}


def test_a_batch_that_fails_midway_commits_nothing(backend, make_doc):
    def docs():
        yield make_doc(1, "甲")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        backend.upsert_many(docs())
    assert backend.count() == 0


def test_a_worker_batch_upserts_and_deletes_in_one_commit(backend, make_doc):
    backend.upsert_many([make_doc(i, f"第{i}号法律意见书") for i in (1, 2, 3)])
    changed = [make_doc(2, "改写后的审查报告", stamp="b:2"), make_doc(4, "新的法律意见书")]
    backend.apply_changes(changed, [1, 99])
    assert backend.doc_ids() == {2: "b:2", 3: "sha-3:1", 4: "sha-4:1"}
    assert search_ids(backend, '"法律意见书"') == {3, 4}
    assert search_ids(backend, '"审查报告"') == {2}


def test_a_worker_batch_that_fails_commits_nothing(backend, make_doc):
    backend.upsert_many([make_doc(i, "法律意见书") for i in (1, 2)])
    with pytest.raises(ValueError, match="both"):
        backend.apply_changes([make_doc(3, "新的"), make_doc(1, "改写")], [1])
    with pytest.raises(ValueError, match="twice"):
        backend.apply_changes([make_doc(3, "新的"), make_doc(3, "又一份")], [2])
    assert backend.doc_ids().keys() == {1, 2}
    assert search_ids(backend, "法律意见书") == {1, 2}


def test_bulk_indexing_in_two_processes(backend, make_doc):
    assert (
        backend.upsert_many([make_doc(i, f"第{i}号法律意见书") for i in range(1, 41)], procs=2)
        == 40
    )
    assert backend.count() == 40
    assert search_ids(backend, '"法律意见书"') == set(range(1, 41))
    assert backend.check() == []


def test_readers_see_commits_while_searching_from_many_threads(backend, make_doc):
    errors: list[BaseException] = []
    stop = threading.Event()

    def read():
        try:
            while not stop.is_set():
                backend.search(SearchRequest("合同", EVERYONE))
        except BaseException as exc:  # reported below
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    for i in range(1, 11):
        backend.upsert(make_doc(i, "聘任合同"))
    stop.set()
    for thread in readers:
        thread.join()
    assert errors == []
    assert search_ids(backend, "合同") == set(range(1, 11))


def test_a_new_index_is_reported_as_needing_a_build(open_index, make_doc):
    backend = open_index()
    assert backend.needs_rebuild and backend.rebuild_reason == "missing"
    assert backend.count() == 0 and backend.check() == []
    backend.upsert(make_doc(1, "行政复议"))
    backend.close()
    reopened = open_index()
    assert not reopened.needs_rebuild
    assert search_ids(reopened, "行政复议") == {1}


def _index_with_docs(path, make_doc, kind=WhooshBackend):
    backend = kind(path)
    backend.upsert_many([make_doc(i, "行政复议" * 200) for i in range(1, 6)])
    backend.close()


@pytest.mark.parametrize("kind", [TantivyBackend, WhooshBackend])
def test_another_format_version_is_detected_and_reset_recovers(tmp_path, make_doc, kind):
    path = tmp_path / "index"
    _index_with_docs(path, make_doc, kind)
    engine, version = read_record(path)
    (path / RECORD_FILE).write_text(json.dumps({"engine": engine, "format_version": version - 1}))
    backend = kind(path)
    try:
        assert backend.needs_rebuild
        assert "format version" in backend.rebuild_reason
        with pytest.raises(IndexUnavailable):
            backend.search(SearchRequest("行政", EVERYONE))
        assert backend.check() != []
        backend.reset()
        assert backend.count() == 0
        backend.upsert(make_doc(7, "行政复议"))
        assert search_ids(backend, "行政复议") == {7}
    finally:
        backend.close()
    assert not kind(path).needs_rebuild


@pytest.mark.parametrize(
    ("kind", "pattern"),
    [(WhooshBackend, f"MAIN_*{suffix}") for suffix in (".pst", ".trm", "._stored.col",
                                                      ".stamp.col")]
    + [(TantivyBackend, f"*.{suffix}") for suffix in ("store", "pos", "idx", "term", "fast")],
)
def test_a_truncated_segment_file_is_detected(tmp_path, make_doc, kind, pattern):
    path = tmp_path / "index"
    _index_with_docs(path, make_doc, kind)
    for damaged in path.glob(pattern):
        with open(damaged, "r+b") as handle:
            handle.truncate(damaged.stat().st_size * 9 // 10)
    backend = kind(path)
    try:
        assert backend.needs_rebuild and backend.rebuild_reason.startswith("unreadable")
        with pytest.raises(IndexUnavailable):
            backend.doc_ids()
        backend.reset()
        assert backend.count() == 0 and backend.check() == []
    finally:
        backend.close()


def test_a_damaged_table_of_contents_is_detected(tmp_path, make_doc):
    path = tmp_path / "index"
    _index_with_docs(path, make_doc)
    toc = max(path.glob("_MAIN_*.toc"))
    toc.write_bytes(toc.read_bytes()[:20])
    backend = WhooshBackend(path)
    try:
        assert backend.needs_rebuild and backend.rebuild_reason.startswith("unreadable")
    finally:
        backend.close()


def test_reset_keeps_unrelated_files(tmp_path):
    path = tmp_path / "index"
    path.mkdir()
    (path / "notes.txt").write_text("keep me")
    backend = WhooshBackend(path)
    backend.reset()
    backend.close()
    assert (path / "notes.txt").read_text() == "keep me"


def test_check_reports_a_missing_version_file(whoosh):
    (whoosh.path / VERSION_FILE).unlink()
    assert any(VERSION_FILE in problem for problem in whoosh.check())


@pytest.mark.parametrize(
    ("setting", "kind", "where"),
    [
        (None, TantivyBackend, "index"),
        ("", TantivyBackend, "index"),
        ("tantivy", TantivyBackend, "index"),
        ("tantivy:search/tx", TantivyBackend, "search/tx"),
        ("whoosh", WhooshBackend, "index"),
        ("whoosh:search/ix", WhooshBackend, "search/ix"),
    ],
)
def test_factory_opens_the_local_engines(tmp_path, setting, kind, where):
    backend = open_backend(setting, tmp_path)
    try:
        assert isinstance(backend, kind)
        assert backend.path == tmp_path / where
    finally:
        backend.close()


def test_without_tantivy_the_default_is_whoosh_and_says_why(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_tantivy(name, *args, **kwargs):
        if name == "tantivy":
            raise ImportError("no wheel for this platform")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tantivy)
    choice = resolve_engine(None)
    assert choice.engine == "whoosh"
    assert "tantivy cannot be imported" in choice.fallback_reason
    assert resolve_engine("postgres").fallback_reason is None


@pytest.mark.parametrize(("first", "second"), [(TantivyBackend, WhooshBackend),
                                               (WhooshBackend, TantivyBackend)])
def test_switching_engines_rebuilds_the_index(tmp_path, make_doc, first, second):
    path = tmp_path / "index"
    before = first(path)
    before.upsert(make_doc(1, "行政复议"))
    before.close()
    after = second(path)
    try:
        assert after.needs_rebuild and after.rebuild_reason.startswith("engine ")
        assert after.count() == 0
        after.upsert(make_doc(2, "合同审查"))
        assert search_ids(after, "合同审查") == {2}
    finally:
        after.close()
    assert not second(path).needs_rebuild


@pytest.mark.parametrize("setting", ["postgres", "postgresql://db/govcounsel", "elastic"])
def test_factory_refuses_what_it_cannot_open(tmp_path, setting):
    with pytest.raises(SearchConfigError):
        open_backend(setting, tmp_path)


def test_factory_refuses_postgres_search_on_sqlite(tmp_path):
    with pytest.raises(SearchConfigError, match="PostgreSQL"):
        open_backend("postgres", tmp_path, f"sqlite:///{tmp_path}/govcounsel.db")


def test_a_closed_backend_refuses_work(backend, make_doc):
    backend.close()
    with pytest.raises(IndexUnavailable, match="closed"):
        backend.upsert(make_doc(1, "正文"))
