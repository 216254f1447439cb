"""The local blob store: atomic, deduplicating, safe keys, verifiable."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from document_store import (
    BlobNotFound,
    BlobRef,
    InvalidKey,
    LocalBlobStore,
    StoreError,
    TooLarge,
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


def test_put_accepts_bytes_and_large_streams_read_in_chunks(store):
    big = os.urandom(3 * 1024 * 1024 + 17)
    assert store.put(big).sha256 == hashlib.sha256(big).hexdigest()
    assert store.put(io.BufferedReader(io.BytesIO(big))).size == len(big)


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


def test_identical_content_is_stored_once(store):
    first = store.put(io.BytesIO(CONTENT))
    second = store.put(io.BytesIO(CONTENT))
    other = store.put(b"another document")

    assert first == second
    assert sorted(store.iter_keys()) == sorted({first.sha256, other.sha256})


def test_concurrent_puts_of_the_same_content_leave_one_blob(store):
    refs: list[BlobRef] = []

    def put() -> None:
        refs.append(store.put(io.BytesIO(CONTENT)))

    threads = [threading.Thread(target=put) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(refs)) == 1
    assert list(store.iter_keys()) == [refs[0].sha256]
    assert temp_files(store) == []
    assert store.verify(refs[0].sha256)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "abc",
        "A" * 64,
        "g" * 64,
        "0" * 63,
        "0" * 65,
        "0" * 64 + "\n",
        "../" + "0" * 61,
        "/etc/passwd",
        "00/00/" + "0" * 58,
        None,
        123,
    ],
)
def test_malformed_keys_are_refused_before_touching_the_disk(store, key):
    for call in (store.open, store.exists, store.delete, store.size, store.verify):
        with pytest.raises(InvalidKey) as raised:
            call(key)
        assert isinstance(raised.value, StoreError)
        assert raised.value.code == "invalid_key"


def test_missing_blobs(store):
    key = "0" * 64
    assert not store.exists(key)
    assert store.delete(key) is False
    for call in (store.open, store.size, store.verify):
        with pytest.raises(BlobNotFound) as raised:
            call(key)
        assert raised.value.status == 404


def test_delete_removes_the_blob(store):
    ref = store.put(CONTENT)
    assert store.delete(ref.sha256) is True
    assert not store.exists(ref.sha256)
    assert list(store.iter_keys()) == []


def test_verify_detects_a_flipped_byte(store):
    ref = store.put(CONTENT)
    assert store.verify(ref.sha256) is True

    path = store.local_path(ref.sha256)
    path.chmod(0o644)
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    path.write_bytes(bytes(damaged))

    assert store.verify(ref.sha256) is False


def test_too_large_raises_and_leaves_nothing_behind(store):
    with pytest.raises(TooLarge) as raised:
        store.put(io.BytesIO(CONTENT), max_bytes=len(CONTENT) - 1)

    assert raised.value.status == 413 and raised.value.code == "too_large"
    assert list(store.iter_keys()) == [] and temp_files(store) == []
    assert store.put(io.BytesIO(CONTENT), max_bytes=len(CONTENT)).size == len(CONTENT)


def test_a_failing_stream_leaves_nothing_behind(store):
    class BrokenStream(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            if self.tell() > 0:
                raise ConnectionResetError("client went away")
            return super().read(1000)

    with pytest.raises(StoreError):
        store.put(BrokenStream(CONTENT))
    assert list(store.iter_keys()) == [] and temp_files(store) == []


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


def test_iter_keys_is_sorted(store):
    refs = [store.put(f"文书{i}".encode()) for i in range(20)]
    assert list(store.iter_keys()) == sorted(ref.sha256 for ref in refs)


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
