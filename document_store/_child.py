"""The extraction child process started by ``isolate.Extractor``.

Run as ``python -m document_store._child READ_FD WRITE_FD``. It answers each
``(path or bytes, limits)`` job with ``("ok", Extraction)``,
``("error", code, detail)`` or ``("crash", description)``, and exits on
``None`` or when the parent goes away.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection
from typing import Any

from .errors import DocumentStoreError
from .extract import extract_bytes, read_source


def serve(reader: Connection, writer: Connection) -> None:
    """Answer jobs until told to stop."""
    writer.send("ready")
    while True:
        try:
            job = reader.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        source, limits = job
        try:
            data = read_source(source, limits) if isinstance(source, str) else source
            reply: tuple[Any, ...] = ("ok", extract_bytes(data, limits))
        except DocumentStoreError as exc:
            reply = ("error", exc.code, exc.detail)
        except Exception as exc:  # report parser bugs to the parent instead of dying silently
            reply = ("crash", f"{type(exc).__name__}: {exc}"[:500])
        try:
            writer.send(reply)
        except OSError:
            return


def main(argv: list[str]) -> None:
    """Entry point: wrap the two inherited pipe descriptors and serve."""
    read_fd, write_fd = (int(arg) for arg in argv[1:3])
    serve(Connection(read_fd, writable=False), Connection(write_fd, readable=False))


if __name__ == "__main__":
    main(sys.argv)
