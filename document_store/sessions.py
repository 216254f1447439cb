"""Ending a child process together with everything it started.

The children of ``isolate`` lead their own session (``start_new_session``).
LibreOffice, started by a child, moves to a process group of its own (so the
child can stop it alone) but stays in that session; killing by session id
therefore reaches the child, LibreOffice and any OCR helper at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def kill_session(session: int) -> None:
    """SIGKILL every process of a session: the child and whatever it started (LibreOffice
    moves to its own process group, but stays in the child's session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(session, signal.SIGKILL)
    for pid in _session_members(session):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _session_members(session: int) -> list[int]:
    members = []
    proc = Path("/proc")
    if not proc.is_dir():
        return members
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 3 and fields[3] == str(session):
            members.append(int(entry.name))
    return members
