"""Copy every blob from one store to another (any backends), streaming and verified.

``copy_all(src, dst)`` walks ``src.iter_keys()`` and, for each key missing at
the destination, streams the blob from ``src.open`` into ``dst.put``. The
source bytes are hashed on the way through: if they do not match their key
the put is aborted before it completes, so a damaged source blob is reported
and never copied. With ``verify`` (the default) each copied blob is then
re-hashed at the destination, and a blob that was already there is re-hashed
too. One blob failing does not stop the others; failures are listed in the
report. Memory stays bounded by the stores' chunk sizes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from .backend import BlobStore
from .errors import DocumentStoreError, StoreError


@dataclass
class CopyReport:
    """What ``copy_all`` did: counts, and ``(sha256, reason)`` for every blob that failed."""

    copied: int = 0
    skipped_existing: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no blob failed."""
        return not self.failed


class SourceMismatch(StoreError):
    """The bytes read from the source do not hash to their key (a damaged source blob)."""


class _HashingReader:
    """Wrap a source stream; at end of stream, refuse bytes that do not hash to ``sha256``.

    Raising at the read that would return end-of-file makes the destination's
    ``put`` fail before it commits anything.
    """

    def __init__(self, stream: BinaryIO, sha256: str) -> None:
        self._stream = stream
        self._sha256 = sha256
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if data:
            self._digest.update(data)
        elif self._digest.hexdigest() != self._sha256:
            raise SourceMismatch(f"source blob {self._sha256} does not match its hash")
        return data


def copy_one(src: BlobStore, dst: BlobStore, sha256: str, *, verify: bool = True) -> bool:
    """Copy one blob; return False if it was already at ``dst`` (raises on failure)."""
    if dst.exists(sha256):
        if verify and not dst.verify(sha256):
            raise StoreError("the copy already at the destination does not match its hash")
        return False
    with src.open(sha256) as stream:
        ref = dst.put(_HashingReader(stream, sha256))  # type: ignore[arg-type]
    if ref.sha256 != sha256:  # cannot happen unless a backend is broken
        raise StoreError(f"destination stored the blob as {ref.sha256}")
    if verify and not dst.verify(sha256):
        raise StoreError("the copy at the destination does not match its hash")
    return True


def copy_all(src: BlobStore, dst: BlobStore, progress: Callable[[str], object] | None = None,
             verify: bool = True) -> CopyReport:
    """Copy every blob of ``src`` that ``dst`` lacks; ``progress(sha256)`` after each blob."""
    report = CopyReport()
    for sha256 in src.iter_keys():
        try:
            if copy_one(src, dst, sha256, verify=verify):
                report.copied += 1
            else:
                report.skipped_existing += 1
        except (DocumentStoreError, OSError) as exc:
            report.failed.append((sha256, str(exc) or type(exc).__name__))
        if progress is not None:
            progress(sha256)
    return report
