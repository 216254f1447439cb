"""The blob store interface: content-addressed by SHA-256, one class per backend.

A blob's key is the lowercase hex SHA-256 of its bytes, so identical files are
stored once and a key can always be re-checked against the content
(``verify``). Backends raise ``StoreError`` (or a subclass) for every storage
failure; ``put`` may also raise ``TooLarge`` when ``max_bytes`` is exceeded.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from .errors import InvalidKey, UnsupportedStore

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")
CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class BlobRef:
    """What ``put`` returns: the content key and the size in bytes."""

    sha256: str
    size: int


def check_key(sha256: object) -> str:
    """Return ``sha256`` if it is a valid key (64 lowercase hex), else raise ``InvalidKey``."""
    if not isinstance(sha256, str) or not KEY_PATTERN.fullmatch(sha256):
        raise InvalidKey(f"invalid blob key: {sha256!r}"[:120])
    return sha256


class BlobStore(ABC):
    """Content-addressed storage of immutable blobs."""

    @abstractmethod
    def put(self, stream: BinaryIO | bytes, *, max_bytes: int | None = None) -> BlobRef:
        """Store the stream's bytes (read in chunks) and return their ref.

        Identical content is stored once; putting it again returns the same
        ref. With ``max_bytes``, more bytes than that raise ``TooLarge`` and
        nothing is left behind.
        """

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """Open a stored blob for binary reading (``BlobNotFound`` if absent)."""

    @abstractmethod
    def exists(self, sha256: str) -> bool:
        """Whether a blob with this key is stored."""

    @abstractmethod
    def delete(self, sha256: str) -> bool:
        """Remove a blob; return whether it existed."""

    @abstractmethod
    def iter_keys(self) -> Iterator[str]:
        """Yield every stored key, in a stable order."""

    @abstractmethod
    def size(self, sha256: str) -> int:
        """Size in bytes of a stored blob (``BlobNotFound`` if absent)."""

    @abstractmethod
    def verify(self, sha256: str) -> bool:
        """Re-hash a stored blob and say whether it still matches its key."""

    @abstractmethod
    def clean_temp(self, older_than_s: float = 3600.0) -> int:
        """Remove temporary files left by interrupted puts; return how many."""


def open_store(url_or_path: str | Path) -> BlobStore:
    """Open the blob store named by a path or URL.

    A plain path or a ``file://`` URL gives a ``LocalBlobStore`` (created if
    missing). ``s3://bucket/prefix?endpoint=...&region=...`` gives an
    ``S3BlobStore`` (needs ``boto3``: the ``s3`` extra; see ``s3.py``); any
    other scheme raises ``UnsupportedStore``.
    """
    from .local import LocalBlobStore

    if isinstance(url_or_path, Path):
        return LocalBlobStore(url_or_path)
    text = str(url_or_path)
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):
        return LocalBlobStore(Path(text))
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise UnsupportedStore(f"file URL with a remote host: {text}")
        return LocalBlobStore(Path(unquote(parts.path)))
    if scheme == "s3":
        return _open_s3(text)
    raise UnsupportedStore(f"unknown blob store scheme: {scheme}://")


def _open_s3(url: str) -> BlobStore:
    """Import the S3 backend lazily, so that boto3 stays an optional dependency."""
    try:
        from .s3 import S3BlobStore
    except ImportError as exc:
        raise UnsupportedStore(
            f"s3:// blob stores need boto3, which is not installed ({exc}); "
            "install it with: pip install 'govcounsel[s3]'") from exc
    return S3BlobStore.from_url(url)
