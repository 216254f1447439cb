"""What only the local blob store does: its key layout, atomic renames, read-only blobs,
temp-file clean-up, and ``open_store``. The behaviour both backends share (dedup, keys,
verify, limits, failures) is in ``test_store_contract.py``, run on each of them."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import time
from pathlib import Path

import pytest

from document_store import (
    BlobRef,
    LocalBlobStore,
    StoreError,
    UnsupportedStore,
    open_store,
)

CONTENT = "法律意见书正文".encode() * 1000


def temp_files(store: LocalBlobStore) -> list[str]:
    return sorted(os.listdir(store.root / ".tmp"))


def test_put_returns_sha256_and_size_and_stores_under_a_two_level_key_path(store):
    ref = store.put(io.BytesIO(CONTENT))

    digest = hashlib.sha256(CONTENT).hexdigest()
    assert ref == BlobRef(digest, len(CONTENT))
    assert (store.root / digest[:2] / digest[2:4] / digest).read_bytes() == CONTENT
    assert store.exists(digest)
    assert store.size(digest) == len(CONTENT)
    with store.open(digest) as stream:
        assert stream.read() == CONTENT
    assert temp_files(store) == []


def test_put_writes_to_a_temporary_file_and_renames_it_at_the_end(store):
    seen_during_write: list[tuple[list[str], list[str]]] = []

    class SlowStream(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            seen_during_write.append((list(store.iter_keys()), temp_files(store)))
            return super().read(size)

    ref = store.put(SlowStream(CONTENT))

    keys_during, temps_during = seen_during_write[-1]
    assert keys_during == [] and len(temps_during) == 1
    assert list(store.iter_keys()) == [ref.sha256] and temp_files(store) == []


def test_stored_blobs_are_read_only(store):
    ref = store.put(CONTENT)
    mode = store.local_path(ref.sha256).stat().st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_clean_temp_removes_old_leftovers_only(store):
    old = store.root / ".tmp" / "put-crashed"
    old.write_bytes(b"half a file")
    an_hour_ago = time.time() - 7200
    os.utime(old, (an_hour_ago, an_hour_ago))
    fresh = store.root / ".tmp" / "put-in-progress"
    fresh.write_bytes(b"being written")

    assert store.clean_temp() == 1
    assert temp_files(store) == ["put-in-progress"]
    assert store.clean_temp(older_than_s=0) == 1
    assert temp_files(store) == []


def test_iter_keys_ignores_stray_files_and_misplaced_blobs(store):
    ref = store.put(CONTENT)
    (store.root / "README").write_text("not a blob")
    stray_dir = store.root / "zz"
    stray_dir.mkdir()
    misplaced = store.root / "00" / "00"
    misplaced.mkdir(parents=True)
    (misplaced / ("ff" * 32)).write_bytes(b"wrong place")

    assert list(store.iter_keys()) == [ref.sha256]


def test_open_store_accepts_paths_and_file_urls(tmp_path: Path):
    by_path = open_store(str(tmp_path / "a"))
    by_pathlib = open_store(tmp_path / "b")
    by_url = open_store((tmp_path / "c d").as_uri())

    assert isinstance(by_path, LocalBlobStore) and by_path.root == tmp_path / "a"
    assert isinstance(by_pathlib, LocalBlobStore) and by_pathlib.root == tmp_path / "b"
    assert isinstance(by_url, LocalBlobStore) and by_url.root == tmp_path / "c d"
    ref = by_url.put(CONTENT)
    assert open_store(str(tmp_path / "c d")).exists(ref.sha256)


@pytest.mark.parametrize("url", ["s3:///no-bucket", "http://example.com/x", "file://host/x"])
def test_open_store_refuses_unavailable_backends(url):
    with pytest.raises(UnsupportedStore) as raised:
        open_store(url)
    assert isinstance(raised.value, StoreError)


def test_a_store_that_cannot_be_created_raises_store_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    with pytest.raises(StoreError):
        LocalBlobStore(blocker / "blobs")
