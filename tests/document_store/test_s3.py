"""What is particular to the S3 blob store: object layout, URLs, upload checks, errors,
clean-up, and working without boto3. The behaviour it shares with the local store is
tested on both backends in ``test_store_contract.py``.

``s3_store`` is an S3 store on a new bucket of the session's moto server (a real
S3-compatible server in a child process; see ``tests/s3server.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from document_store import StoreError, UnsupportedStore, open_store

from .store_helpers import blob_path, leftovers, raw_write

CONTENT = "风险评估报告正文".encode() * 1000


def test_s3_objects_live_under_the_prefix_at_a_two_level_key(s3_store, s3_server):
    ref = s3_store.put(CONTENT)
    head = s3_server.client.head_object(Bucket=s3_store.bucket,
                                        Key=f"blobs/{blob_path(ref.sha256)}")
    assert head["ContentLength"] == len(CONTENT)
    assert head["Metadata"] == {"sha256": ref.sha256}
    raw = s3_server.client.list_objects_v2(Bucket=s3_store.bucket)["Contents"]
    assert [obj["Key"] for obj in raw] == [s3_store.object_key(ref.sha256)]


def test_s3_stores_under_different_prefixes_are_separate(s3_server, tmp_path):
    bucket = s3_server.new_bucket()
    first = open_store(s3_server.url(bucket, "city/a", spool=tmp_path))
    second = open_store(s3_server.url(bucket, "city/a-old", spool=tmp_path))
    whole = open_store(s3_server.url(bucket, "", spool=tmp_path))
    ref = first.put(CONTENT)

    assert list(first.iter_keys()) == [ref.sha256]
    assert list(second.iter_keys()) == [] and not second.exists(ref.sha256)
    assert list(whole.iter_keys()) == []  # the blob is at city/a/ab/cd/..., not ab/cd/...


def uploads_seen(store) -> list[str]:
    """Record every upload request the store's client makes from now on."""
    seen: list[str] = []
    for operation in ("PutObject", "CreateMultipartUpload"):
        store.client.meta.events.register(f"before-call.s3.{operation}",
                                          lambda model, **_: seen.append(model.name))
    return seen


def test_s3_put_of_stored_content_does_not_upload_again(s3_store):
    s3_store.put(CONTENT)
    seen = uploads_seen(s3_store)
    assert s3_store.put(CONTENT).size == len(CONTENT)
    assert seen == []


def test_s3_large_blobs_go_up_in_parts_small_ones_in_one_request(s3_store):
    seen = uploads_seen(s3_store)
    s3_store.put(CONTENT)
    big = os.urandom(s3_store.transfer.multipart_threshold + 1)
    ref = s3_store.put(big)
    assert seen == ["PutObject", "CreateMultipartUpload"]
    assert s3_store.verify(ref.sha256) and leftovers(s3_store) == []


def test_s3_put_repairs_an_object_of_the_wrong_size(s3_store):
    ref = s3_store.put(CONTENT)
    raw_write(s3_store, blob_path(ref.sha256), CONTENT[:100])
    assert s3_store.put(CONTENT) == ref
    assert s3_store.size(ref.sha256) == len(CONTENT) and s3_store.verify(ref.sha256)


def test_s3_put_checks_the_uploaded_size_and_removes_a_short_object(s3_store):
    def truncate(params, **_):
        params["Body"] = b"truncated"

    s3_store.client.meta.events.register("before-parameter-build.s3.PutObject", truncate)
    with pytest.raises(StoreError, match="expected"):
        s3_store.put(CONTENT)
    assert list(s3_store.iter_keys()) == [] and leftovers(s3_store) == []


def test_s3_open_returns_a_streaming_file_object(s3_store):
    ref = s3_store.put(CONTENT)
    stream = s3_store.open(ref.sha256)
    assert stream.readable() and stream.read(3) == CONTENT[:3]
    buffer = bytearray(7)
    assert stream.readinto(buffer) == 7 and bytes(buffer) == CONTENT[3:10]
    stream.close()
    assert stream.closed


def test_s3_clean_temp_removes_old_spool_files_and_unfinished_uploads(s3_store):
    s3_store.spool_dir.mkdir(parents=True, exist_ok=True)
    old = s3_store.spool_dir / "govcounsel-s3-put-crashed"
    old.write_bytes(b"half a file")
    os.utime(old, (0, 0))
    (s3_store.spool_dir / "govcounsel-s3-put-in-progress").write_bytes(b"being written")
    (s3_store.spool_dir / "someone-else").write_bytes(b"not ours")
    assert s3_store.clean_temp() == 1
    # moto reports a fixed, old "Initiated" date, so uploads are made after the age check
    s3_store.client.create_multipart_upload(Bucket=s3_store.bucket,
                                            Key=s3_store.object_key("ab" * 32))

    assert s3_store.clean_temp(older_than_s=-60) == 2
    assert sorted(os.listdir(s3_store.spool_dir)) == ["someone-else"]
    assert leftovers(s3_store) == []


def test_s3_errors_become_store_errors(s3_server, tmp_path):
    missing = open_store(s3_server.url("no-such-bucket", "x", spool=tmp_path))
    with pytest.raises(StoreError) as raised:
        missing.put(CONTENT)
    assert type(raised.value) is StoreError and "NoSuchBucket" in str(raised.value)
    with pytest.raises(StoreError):
        list(missing.iter_keys())

    from document_store.s3 import S3BlobStore

    down = S3BlobStore("bucket", endpoint="http://127.0.0.1:9", region="us-east-1",
                       spool_dir=tmp_path, max_attempts=1)
    for call in (lambda: down.put(CONTENT), lambda: down.open("0" * 64),
                 lambda: down.exists("0" * 64), lambda: list(down.iter_keys())):
        with pytest.raises(StoreError) as raised:
            call()
        assert raised.value.code == "store_error" and raised.value.status == 500
    assert leftovers_in(tmp_path) == []


def leftovers_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("govcounsel-s3-put-*"))


def test_open_store_parses_s3_urls():
    import document_store
    from document_store.s3 import S3BlobStore

    assert document_store.S3BlobStore is S3BlobStore

    store = open_store("s3://archive/city/blobs/?endpoint=http://127.0.0.1:9000&region=cn-north-1")
    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix, store.endpoint, store.region, store.addressing) == (
        "archive", "city/blobs", "http://127.0.0.1:9000", "cn-north-1", "path")
    assert store.object_key("ab" * 32) == f"city/blobs/ab/ab/{'ab' * 32}"
    plain = open_store("s3://archive")
    assert (plain.prefix, plain.endpoint, plain.addressing) == ("", None, "auto")
    assert plain.object_key("cd" * 32) == f"cd/cd/{'cd' * 32}"


@pytest.mark.parametrize("url", ["s3:///no-bucket", "s3://b/p?endpiont=http://x",
                                 "s3://b/p?addressing=sideways"])
def test_open_store_refuses_bad_s3_urls(url):
    with pytest.raises(UnsupportedStore):
        open_store(url)


def test_without_boto3_the_local_store_works_and_s3_is_refused_clearly(tmp_path):
    script = f"""
import sys
sys.modules["boto3"] = None
import document_store
from document_store import UnsupportedStore, open_store
store = open_store({str(tmp_path / "blobs")!r})
assert store.verify(store.put(b"x").sha256)
try:
    open_store("s3://bucket/prefix")
except UnsupportedStore as exc:
    print(exc)
else:
    raise SystemExit("s3 store opened without boto3")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).parents[2], timeout=120)
    assert done.returncode == 0, done.stderr
    assert "boto3" in done.stdout and "govcounsel[s3]" in done.stdout
