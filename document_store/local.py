"""Blob store on a local folder.

Layout under the root::

    ab/cd/abcd...(64 hex)   one file per blob, read-only once written
    .tmp/                   temporary files of puts in progress

``put`` writes to a temporary file in ``.tmp`` (same file system as the
blobs), hashing while it writes, fsyncs it, then renames it into place with
``os.replace`` (atomic) and fsyncs the directory. A reader therefore sees a
blob completely or not at all, and a crash leaves at most a temporary file,
which ``clean_temp`` removes. Paths are built only from validated keys.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .backend import CHUNK_SIZE, KEY_PATTERN, BlobRef, BlobStore, check_key
from .errors import BlobNotFound, StoreError, TooLarge

TEMP_DIR = ".tmp"
_HEX2 = frozenset(f"{i:02x}" for i in range(256))


class LocalBlobStore(BlobStore):
    """A ``BlobStore`` in a folder of the local file system."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).absolute()
        self._temp = self.root / TEMP_DIR
        try:
            self._temp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create blob store at {self.root}: {exc}") from exc

    def __repr__(self) -> str:
        return f"LocalBlobStore({str(self.root)!r})"

    def local_path(self, sha256: str) -> Path:
        """The file that holds (or would hold) this blob; for ``send_file`` and the like."""
        check_key(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO | bytes, *, max_bytes: int | None = None) -> BlobRef:
        if isinstance(stream, bytes | bytearray | memoryview):
            stream = io.BytesIO(stream)
        fd, temp_name = self._mkstemp()
        try:
            with os.fdopen(fd, "wb") as out:
                key, size = _copy_hashing(stream, out, max_bytes)
                out.flush()
                os.fsync(out.fileno())
            final = self.local_path(key)
            if final.exists():
                os.unlink(temp_name)
                return BlobRef(key, size)
            created = _make_parents(final)
            os.chmod(temp_name, 0o444)
            os.replace(temp_name, final)
            for directory in (final.parent, *created):
                _fsync_dir(directory)
            return BlobRef(key, size)
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            if isinstance(exc, OSError):
                raise StoreError(f"cannot store blob: {exc}") from exc
            raise

    def open(self, sha256: str) -> BinaryIO:
        path = self.local_path(sha256)
        try:
            return path.open("rb")
        except FileNotFoundError:
            raise BlobNotFound(f"no blob {sha256}") from None
        except OSError as exc:
            raise StoreError(f"cannot open blob {sha256}: {exc}") from exc

    def exists(self, sha256: str) -> bool:
        return self.local_path(sha256).is_file()

    def delete(self, sha256: str) -> bool:
        path = self.local_path(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(f"cannot delete blob {sha256}: {exc}") from exc
        return True

    def iter_keys(self) -> Iterator[str]:
        for first in _sorted_subdirs(self.root):
            for second in _sorted_subdirs(first):
                for entry in sorted(os.scandir(second), key=lambda e: e.name):
                    name = entry.name
                    if (
                        KEY_PATTERN.fullmatch(name)
                        and name[:2] == first.name
                        and name[2:4] == second.name
                        and entry.is_file()
                    ):
                        yield name

    def size(self, sha256: str) -> int:
        try:
            return self.local_path(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(f"no blob {sha256}") from None
        except OSError as exc:
            raise StoreError(f"cannot stat blob {sha256}: {exc}") from exc

    def verify(self, sha256: str) -> bool:
        with self.open(sha256) as stream:
            try:
                digest = hashlib.file_digest(stream, "sha256")
            except OSError as exc:
                raise StoreError(f"cannot read blob {sha256}: {exc}") from exc
        return digest.hexdigest() == sha256

    def clean_temp(self, older_than_s: float = 3600.0) -> int:
        """Remove temporary files older than ``older_than_s`` seconds.

        The default age leaves alone the temporary files of puts that other
        processes may still be writing.
        """
        cutoff = time.time() - older_than_s
        removed = 0
        for entry in os.scandir(self._temp):
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime <= cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StoreError(f"cannot remove temporary file {entry.name}: {exc}") from exc
        return removed

    def _mkstemp(self) -> tuple[int, str]:
        try:
            self._temp.mkdir(parents=True, exist_ok=True)
            return tempfile.mkstemp(prefix="put-", dir=self._temp)
        except OSError as exc:
            raise StoreError(f"cannot create temporary file: {exc}") from exc


def _copy_hashing(stream: BinaryIO, out: BinaryIO, max_bytes: int | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK_SIZE):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise TooLarge(f"more than {max_bytes} bytes")
        digest.update(chunk)
        out.write(chunk)
    return digest.hexdigest(), size


def _sorted_subdirs(parent: Path) -> list[Path]:
    return sorted(
        Path(entry.path)
        for entry in os.scandir(parent)
        if entry.name in _HEX2 and entry.is_dir(follow_symlinks=False)
    )


def _make_parents(final: Path) -> list[Path]:
    """Create ``ab/cd/`` for a blob; return the directories whose entries changed."""
    changed = []
    for directory in (final.parent.parent, final.parent):
        try:
            directory.mkdir()
        except FileExistsError:
            continue
        changed.append(directory.parent)
    return changed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
