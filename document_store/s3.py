"""Blob store on an S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...), via boto3.

Selected with a URL::

    s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1

Query parameters (all optional): ``endpoint`` (omit for AWS), ``region``,
``addressing`` (``path``, the default when an endpoint is given, or
``virtual``), ``profile`` (a boto3 profile) and ``spool`` (local folder for
upload spool files; default the system temp folder). Credentials come from
the standard boto3 chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
shared config files, instance roles), never from the URL.

Layout: one object per blob at ``prefix/ab/cd/<sha256>``. ``put`` streams the
input to a local spool file while hashing it (so memory stays bounded and
``max_bytes`` is enforced before anything is sent), then uploads the file to
its final key only if no object of that size is there yet: one PUT below the
multipart threshold (8 MiB by default), else a multipart upload whose parts
are read from the spool file as they are sent. S3 makes the object visible
atomically when the upload completes, so readers never see a partial blob.
After the upload the object's size is checked (botocore's request checksums
guard the bytes in transit). ``open`` streams the object's body. ``boto3`` is
imported here only: the rest of ``document_store`` works without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .backend import CHUNK_SIZE, BlobRef, BlobStore, check_key
from .errors import BlobNotFound, StoreError, UnsupportedStore
from .local import _copy_hashing

SPOOL_PREFIX = "govcounsel-s3-put-"
URL_PARAMS = frozenset({"endpoint", "region", "addressing", "profile", "spool"})
_NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})
_LAYOUT = re.compile(r"([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")


class S3BlobStore(BlobStore):
    """A ``BlobStore`` in a bucket (under an optional key prefix) of an S3-compatible store."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint: str | None = None,
                 region: str | None = None, addressing: str | None = None,
                 profile: str | None = None, spool_dir: str | os.PathLike[str] | None = None,
                 transfer: TransferConfig | None = None, max_attempts: int = 5) -> None:
        if not bucket:
            raise UnsupportedStore("an s3:// store needs a bucket name")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing or ("path" if endpoint else "auto")
        if self.addressing not in ("path", "virtual", "auto"):
            raise UnsupportedStore(f"unknown S3 addressing style: {self.addressing}")
        self.profile = profile
        self.spool_dir = Path(spool_dir) if spool_dir else Path(tempfile.gettempdir())
        self.transfer = transfer or TransferConfig(max_concurrency=4)
        self.max_attempts = max_attempts
        self._base = f"{self.prefix}/" if self.prefix else ""
        self._lock = threading.Lock()
        self._client_pid: int | None = None
        self._client_obj: Any = None

    @classmethod
    def from_url(cls, url: str) -> S3BlobStore:
        """Build a store from an ``s3://bucket/prefix?endpoint=...&region=...`` URL."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "s3" or not parts.netloc:
            raise UnsupportedStore(f"not an s3://bucket/prefix URL: {url}"[:200])
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = sorted(set(query) - URL_PARAMS)
        if unknown:
            raise UnsupportedStore(f"unknown s3:// store parameters: {', '.join(unknown)}")
        opts = {name: values[-1] for name, values in query.items() if values[-1]}
        return cls(parts.netloc, unquote(parts.path), endpoint=opts.get("endpoint"),
                   region=opts.get("region"), addressing=opts.get("addressing"),
                   profile=opts.get("profile"), spool_dir=opts.get("spool"))

    def __repr__(self) -> str:
        where = f", endpoint={self.endpoint!r}" if self.endpoint else ""
        return f"S3BlobStore({self.bucket!r}, {self.prefix!r}{where})"

    @property
    def client(self) -> Any:
        """The boto3 S3 client (one per process: a forked worker makes its own)."""
        with self._lock:
            if self._client_obj is None or self._client_pid != os.getpid():
                config = Config(s3={"addressing_style": self.addressing},
                                retries={"max_attempts": self.max_attempts, "mode": "standard"},
                                connect_timeout=10, read_timeout=60)
                try:
                    session = boto3.session.Session(profile_name=self.profile)
                    self._client_obj = session.client("s3", endpoint_url=self.endpoint,
                                                      region_name=self.region, config=config)
                except (BotoCoreError, ValueError) as exc:
                    raise StoreError(f"cannot configure the S3 client: {exc}") from exc
                self._client_pid = os.getpid()
            return self._client_obj

    def object_key(self, sha256: str) -> str:
        """The object key that holds (or would hold) this blob."""
        check_key(sha256)
        return f"{self._base}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def put(self, stream: BinaryIO | bytes, *, max_bytes: int | None = None) -> BlobRef:
        if isinstance(stream, bytes | bytearray | memoryview):
            stream = io.BytesIO(stream)
        fd, spool = self._mkstemp()
        try:
            with os.fdopen(fd, "wb") as out:
                key, size = _copy_hashing(stream, out, max_bytes)
            self._upload_spooled(spool, key, size)
            return BlobRef(key, size)
        except OSError as exc:
            raise StoreError(f"cannot store blob: {exc}") from exc
        finally:
            with contextlib.suppress(OSError):
                os.unlink(spool)

    def open(self, sha256: str) -> BinaryIO:
        key = self.object_key(sha256)
        with self._translate(f"open blob {sha256}", sha256):
            response = self.client.get_object(Bucket=self.bucket, Key=key)
        raw = _BodyReader(response["Body"], sha256)
        return cast(BinaryIO, io.BufferedReader(raw, buffer_size=CHUNK_SIZE))

    def exists(self, sha256: str) -> bool:
        return self._head_size(sha256) is not None

    def delete(self, sha256: str) -> bool:
        if self._head_size(sha256) is None:
            return False
        with self._translate(f"delete blob {sha256}"):
            self.client.delete_object(Bucket=self.bucket, Key=self.object_key(sha256))
        return True

    def iter_keys(self) -> Iterator[str]:
        """Yield every key in ascending order (S3 lists keys in UTF-8 binary order)."""
        paginator = self.client.get_paginator("list_objects_v2")
        with self._translate("list blobs"):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._base):
                for entry in page.get("Contents", ()):
                    match = _LAYOUT.fullmatch(entry["Key"][len(self._base):])
                    if match and match[3][:2] == match[1] and match[3][2:4] == match[2]:
                        yield match[3]

    def size(self, sha256: str) -> int:
        size = self._head_size(sha256)
        if size is None:
            raise BlobNotFound(f"no blob {sha256}")
        return size

    def verify(self, sha256: str) -> bool:
        with self.open(sha256) as stream:
            digest = hashlib.file_digest(stream, "sha256")
        return digest.hexdigest() == sha256

    def clean_temp(self, older_than_s: float = 3600.0) -> int:
        """Remove old local spool files and abort old unfinished multipart uploads.

        The default age leaves alone the uploads that other processes may
        still be making.
        """
        cutoff = time.time() - older_than_s
        removed = 0
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self.spool_dir):
                if not entry.name.startswith(SPOOL_PREFIX):
                    continue
                with contextlib.suppress(FileNotFoundError, PermissionError):
                    if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime <= cutoff:
                        os.unlink(entry.path)
                        removed += 1
        paginator = self.client.get_paginator("list_multipart_uploads")
        with self._translate("clean unfinished uploads"):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._base):
                for upload in page.get("Uploads", ()):
                    if upload["Initiated"].timestamp() <= cutoff:
                        self.client.abort_multipart_upload(
                            Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"])
                        removed += 1
        return removed

    def _upload_spooled(self, spool: str, sha256: str, size: int) -> None:
        """Upload a spooled blob to its final key unless an intact copy is already there."""
        if self._head_size(sha256) == size:
            return
        key = self.object_key(sha256)
        extra = {"ContentType": "application/octet-stream", "Metadata": {"sha256": sha256}}
        with self._translate(f"upload blob {sha256}"):
            if size < self.transfer.multipart_threshold:
                with open(spool, "rb") as body:
                    self.client.put_object(Bucket=self.bucket, Key=key, Body=body, **extra)
            else:  # multipart, parts read from the spool file as they are sent
                self.client.upload_file(spool, self.bucket, key, ExtraArgs=extra,
                                         Config=self.transfer)
        stored = self._head_size(sha256)
        if stored != size:
            if stored is not None:
                with self._translate(f"remove damaged upload {sha256}"):
                    self.client.delete_object(Bucket=self.bucket, Key=key)
            raise StoreError(f"upload of blob {sha256} stored {stored} bytes, expected {size}")

    def _head_size(self, sha256: str) -> int | None:
        """The object's size, or None when there is no such object."""
        key = self.object_key(sha256)
        try:
            with self._translate(f"look up blob {sha256}", sha256):
                response = self.client.head_object(Bucket=self.bucket, Key=key)
        except BlobNotFound:
            return None
        return int(response["ContentLength"])

    def _mkstemp(self) -> tuple[int, str]:
        try:
            self.spool_dir.mkdir(parents=True, exist_ok=True)
            return tempfile.mkstemp(prefix=SPOOL_PREFIX, dir=self.spool_dir)
        except OSError as exc:
            raise StoreError(f"cannot create spool file in {self.spool_dir}: {exc}") from exc

    @contextlib.contextmanager
    def _translate(self, action: str, sha256: str | None = None) -> Iterator[None]:
        """Turn boto3/botocore failures into ``StoreError`` (``BlobNotFound`` for a 404)."""
        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if sha256 is not None and code in _NOT_FOUND:
                raise BlobNotFound(f"no blob {sha256}") from None
            message = error.get("Message") or code
            raise StoreError(f"cannot {action} in s3://{self.bucket}: {code} {message}") from exc
        except (BotoCoreError, Boto3Error) as exc:
            raise StoreError(f"cannot {action} in s3://{self.bucket}: {exc}") from exc


class _BodyReader(io.RawIOBase):
    """A raw binary reader over a botocore ``StreamingBody`` (errors become ``StoreError``)."""

    def __init__(self, body: Any, sha256: str) -> None:
        self._body = body
        self._sha256 = sha256

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._body.read(len(view))
        except (BotoCoreError, OSError, ValueError) as exc:
            raise StoreError(f"cannot read blob {self._sha256}: {exc}") from exc
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(Exception):
                self._body.close()
        super().close()
