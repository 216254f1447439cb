"""The blob store contract, run on both backends: the local folder and S3 (a real moto
server, see ``tests/s3server.py``). ``any_store`` gives each backend in turn."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import tracemalloc

import pytest

from document_store import BlobNotFound, BlobRef, InvalidKey, StoreError, TooLarge

from .store_helpers import GeneratedStream, blob_path, leftovers, raw_write

CONTENT = "合法性审查意见正文".encode() * 1000
BIG = 20 * 1024 * 1024
MEMORY_BOUND = 8 * 1024 * 1024
"""Peak traced memory allowed while moving ``BIG`` bytes: the 1 MiB read chunks, plus, for
S3, botocore signing one 1 MiB chunk in each of the 4 concurrent part uploads. It does not
grow with the file's size."""


def test_put_open_exists_size_round_trip(any_store):
    ref = any_store.put(io.BytesIO(CONTENT))

    assert ref == BlobRef(hashlib.sha256(CONTENT).hexdigest(), len(CONTENT))
    assert any_store.exists(ref.sha256) and any_store.size(ref.sha256) == len(CONTENT)
    with any_store.open(ref.sha256) as stream:
        head = stream.read(10)
        assert head == CONTENT[:10]
        assert head + stream.read() == CONTENT
    assert list(any_store.iter_keys()) == [ref.sha256]
    assert any_store.verify(ref.sha256) and leftovers(any_store) == []


def test_put_accepts_bytes_empty_content_and_chunked_streams(any_store):
    big = os.urandom(3 * 1024 * 1024 + 17)
    assert any_store.put(big).sha256 == hashlib.sha256(big).hexdigest()
    assert any_store.put(io.BufferedReader(io.BytesIO(big))).size == len(big)
    empty = any_store.put(b"")
    assert empty == BlobRef(hashlib.sha256(b"").hexdigest(), 0)
    with any_store.open(empty.sha256) as stream:
        assert stream.read() == b""


def test_identical_content_is_stored_once(any_store):
    first = any_store.put(io.BytesIO(CONTENT))
    second = any_store.put(io.BytesIO(CONTENT))
    other = any_store.put(b"another document")

    assert first == second
    assert list(any_store.iter_keys()) == sorted({first.sha256, other.sha256})


def test_concurrent_puts_of_the_same_content_leave_one_blob(any_store):
    refs: list[BlobRef] = []
    threads = [threading.Thread(target=lambda: refs.append(any_store.put(CONTENT)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(refs) == 6 and len(set(refs)) == 1
    assert list(any_store.iter_keys()) == [refs[0].sha256]
    assert any_store.verify(refs[0].sha256) and leftovers(any_store) == []


@pytest.mark.parametrize("key", ["", "abc", "A" * 64, "g" * 64, "0" * 63, "0" * 65,
                                 "0" * 64 + "\n", "../" + "0" * 61, "/etc/passwd",
                                 "00/00/" + "0" * 58, None, 123])
def test_malformed_keys_are_refused(any_store, key):
    for call in (any_store.open, any_store.exists, any_store.delete, any_store.size,
                 any_store.verify):
        with pytest.raises(InvalidKey) as raised:
            call(key)
        assert isinstance(raised.value, StoreError) and raised.value.code == "invalid_key"


def test_missing_blobs(any_store):
    key = "0" * 64
    assert not any_store.exists(key)
    assert any_store.delete(key) is False
    for call in (any_store.open, any_store.size, any_store.verify):
        with pytest.raises(BlobNotFound) as raised:
            call(key)
        assert raised.value.status == 404 and raised.value.code == "blob_not_found"


def test_delete_removes_the_blob(any_store):
    ref = any_store.put(CONTENT)
    assert any_store.delete(ref.sha256) is True
    assert not any_store.exists(ref.sha256) and list(any_store.iter_keys()) == []


def test_verify_detects_a_flipped_byte(any_store):
    ref = any_store.put(CONTENT)
    damaged = bytearray(CONTENT)
    damaged[len(damaged) // 2] ^= 0x01
    raw_write(any_store, blob_path(ref.sha256), bytes(damaged))

    assert any_store.verify(ref.sha256) is False


def test_too_large_raises_and_leaves_nothing_behind(any_store):
    with pytest.raises(TooLarge) as raised:
        any_store.put(io.BytesIO(CONTENT), max_bytes=len(CONTENT) - 1)

    assert raised.value.status == 413 and raised.value.code == "too_large"
    assert list(any_store.iter_keys()) == [] and leftovers(any_store) == []
    assert any_store.put(io.BytesIO(CONTENT), max_bytes=len(CONTENT)).size == len(CONTENT)


def test_a_failing_stream_leaves_nothing_behind(any_store):
    class BrokenStream(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            if self.tell() > 0:
                raise ConnectionResetError("client went away")
            return super().read(1000)

    with pytest.raises(StoreError):
        any_store.put(BrokenStream(CONTENT))
    assert list(any_store.iter_keys()) == [] and leftovers(any_store) == []


def test_iter_keys_is_sorted_and_ignores_stray_and_misplaced_objects(any_store):
    refs = [any_store.put(f"文书{i}".encode()) for i in range(20)]
    raw_write(any_store, "README", b"not a blob")
    raw_write(any_store, "zz/" + "ab" * 32, b"stray")
    raw_write(any_store, "00/00/" + "ff" * 32, b"wrong place")

    assert list(any_store.iter_keys()) == sorted(ref.sha256 for ref in refs)


def test_large_files_stream_in_bounded_memory(any_store):
    any_store.exists("0" * 64)  # set up clients and pools before measuring
    source = GeneratedStream(BIG)
    tracemalloc.start()
    try:
        ref = any_store.put(source)
        put_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        digest = hashlib.sha256()
        with any_store.open(ref.sha256) as stream:
            while chunk := stream.read(256 * 1024):
                digest.update(chunk)
        read_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert ref == BlobRef(source.digest.hexdigest(), BIG)
    assert digest.hexdigest() == ref.sha256 and any_store.verify(ref.sha256)
    print(f"{type(any_store).__name__}: put peak {put_peak}, read peak {read_peak}")
    assert put_peak < MEMORY_BOUND, f"put used {put_peak} bytes for a {BIG}-byte file"
    assert read_peak < MEMORY_BOUND, f"open/read used {read_peak} bytes for a {BIG}-byte file"
