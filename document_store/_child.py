"""The child process started by ``isolate.Extractor``: where untrusted bytes are parsed.

Run as ``python -m document_store._child READ_FD WRITE_FD``. Each job is
``(op, path or bytes, limits, options, args)`` with ``op`` one of ``validate``,
``extract``, ``render``, ``convert``. It answers with any number of
``("progress", done, total)`` messages, then ``("ok", result)``,
``("error", code, detail)`` or ``("crash", description)``; it exits on ``None``
or when the parent goes away.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection
from typing import Any

from .errors import DocumentStoreError, ExtractionFailed
from .extract import extract_bytes, read_source, validate_bytes


def run_job(op: str, data: bytes, limits: Any, options: Any, args: dict, send: Any) -> Any:
    """Do one job on the file's bytes; ``send`` carries progress messages."""
    if op == "validate":
        return validate_bytes(data, limits, options)
    if op == "extract":
        return extract_bytes(data, limits, options=options, ocr=args.get("ocr", False),
                             progress=lambda done, total: send(("progress", done, total)))
    if op == "render":
        from .render import render_bytes

        return render_bytes(data, args["page"], args["width"], limits, options,
                            watermark=args.get("watermark"))
    if op == "convert":
        from .render import convert_bytes

        return convert_bytes(data, args.get("target", "pdf"), limits, options)
    raise ExtractionFailed(f"unknown job {op!r}")


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
        op, source, limits, options, args = job
        try:
            data = read_source(source, limits) if isinstance(source, str) else source
            reply: tuple[Any, ...] = ("ok", run_job(op, data, limits, options, args, writer.send))
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
