"""``copy_all``: every blob copied between backends, streaming, each hash checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from document_store import BlobStore, CopyReport, LocalBlobStore, copy_all

from .store_helpers import blob_path, raw_write

BLOBS = [f"第{i}号法律意见书".encode() * (i + 1) for i in range(5)] + [b"", b"x" * 3_000_000]


def fill(store: BlobStore) -> list[str]:
    return sorted(store.put(data).sha256 for data in BLOBS)


@pytest.fixture(params=["local->s3", "s3->local", "s3->s3"])
def pair(request: pytest.FixtureRequest, tmp_path: Path, s3_server) -> tuple[BlobStore, BlobStore]:
    """A (source, destination) pair of empty stores of the named backends."""
    from document_store import open_store

    def make(kind: str, name: str) -> BlobStore:
        if kind == "local":
            return LocalBlobStore(tmp_path / name)
        return open_store(s3_server.url(s3_server.new_bucket(), name, spool=tmp_path / "spool"))

    src_kind, dst_kind = request.param.split("->")
    return make(src_kind, "src"), make(dst_kind, "dst")


def test_copies_every_blob_and_verifies_it(pair):
    src, dst = pair
    keys = fill(src)
    seen: list[str] = []

    report = copy_all(src, dst, progress=seen.append)

    assert report == CopyReport(copied=len(keys), skipped_existing=0, failed=[]) and report.ok
    assert seen == keys and list(dst.iter_keys()) == keys
    for key in keys:
        assert dst.verify(key) and dst.size(key) == src.size(key)


def test_a_second_run_skips_what_is_there(pair):
    src, dst = pair
    keys = fill(src)
    dst.put(BLOBS[0])

    first = copy_all(src, dst)
    again = copy_all(src, dst)

    assert (first.copied, first.skipped_existing) == (len(keys) - 1, 1)
    assert (again.copied, again.skipped_existing, again.failed) == (0, len(keys), [])


def test_a_damaged_source_blob_is_reported_and_not_copied(pair):
    src, dst = pair
    keys = fill(src)
    victim = hashlib.sha256(BLOBS[3]).hexdigest()
    raw_write(src, blob_path(victim), b"tampered " + BLOBS[3])

    report = copy_all(src, dst)

    assert [sha for sha, _ in report.failed] == [victim]
    assert "does not match" in report.failed[0][1]
    assert report.copied == len(keys) - 1 and not report.ok
    assert list(dst.iter_keys()) == [k for k in keys if k != victim]


def test_a_damaged_copy_at_the_destination_is_reported(pair):
    src, dst = pair
    keys = fill(src)
    victim = hashlib.sha256(BLOBS[4]).hexdigest()
    dst.put(BLOBS[4])
    raw_write(dst, blob_path(victim), b"Y" * len(BLOBS[4]))

    report = copy_all(src, dst)
    assert [sha for sha, _ in report.failed] == [victim]
    assert report.copied == len(keys) - 1

    unchecked = copy_all(src, dst, verify=False)
    assert unchecked.failed == [] and unchecked.skipped_existing == len(keys)
