"""Helpers for the blob store tests that run on both backends (local folder and S3)."""

from __future__ import annotations

import hashlib
import os

from document_store import BlobStore, LocalBlobStore


def raw_write(store: BlobStore, relative: str, data: bytes) -> None:
    """Write bytes at a path/key relative to the store's root, behind the store's back."""
    if isinstance(store, LocalBlobStore):
        path = store.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.chmod(0o644)
        path.write_bytes(data)
    else:
        key = f"{store.prefix}/{relative}" if store.prefix else relative
        store.client.put_object(Bucket=store.bucket, Key=key, Body=data)


def blob_path(sha256: str) -> str:
    """Where a blob lives relative to the store's root (folder or key prefix)."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def leftovers(store: BlobStore) -> list[str]:
    """Temporary files, spool files and unfinished uploads a put may have left."""
    if isinstance(store, LocalBlobStore):
        return sorted(os.listdir(store.root / ".tmp"))
    spool = sorted(p.name for p in store.spool_dir.glob("govcounsel-s3-put-*"))
    uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    return spool + [u["Key"] for u in uploads]


class GeneratedStream:
    """``size`` random bytes made chunk by chunk (never all in memory), hashed as read."""

    def __init__(self, size: int) -> None:
        self.remaining = size
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        count = self.remaining if size < 0 else min(size, self.remaining)
        data = os.urandom(count)
        self.remaining -= count
        self.digest.update(data)
        return data
