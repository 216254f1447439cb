"""Safe LibreOffice conversions: .docx/.doc/.wps to PDF or .docx, with no network reach.

Untrusted office files are converted with three layers of protection against
server-side request forgery (issue 15, finding 1):

1. before converting, a .docx loses every reference that makes a converter
   fetch a URL (``office_sanitize``); a .doc/.wps is first converted to .docx,
   which is then sanitised before it becomes a PDF;
2. ``soffice`` runs in a private network namespace (``unshare -n``; as non-root
   ``unshare -rn``, where user namespaces are allowed), where there is no
   interface but a loopback that is down: nothing on the host or beyond is
   reachable. Where ``unshare`` is missing or refused, a warning is logged once
   (``LibreOffice runs WITH network access``) and layers 1 and 3 remain;
3. a private profile per conversion slot with untrusted referer links blocked
   and macros disabled (on its own, this already stopped the reproduction).

A .doc/.wps is read by LibreOffice once before it can be stripped (to make the
.docx); that first run has layers 2 and 3 only. The tests show each layer
alone stops the reproduction, which a plain ``soffice`` run does not.

Each conversion runs in its own temporary directory with its own process group,
killed (the whole group) when ``timeout`` passes. The path of ``soffice`` is
always given by the caller (a setting); nothing is read from the environment.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shutil
import signal
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Literal

from .errors import ConversionFailed, ExtractionTimeout, OfficeUnavailable
from .limits import Limits
from .office_sanitize import sanitize_docx

log = logging.getLogger(__name__)

Target = Literal["pdf", "docx"]
_FILTERS = {"pdf": "pdf:writer_pdf_Export", "docx": "docx:MS Word 2007 XML"}
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""
_KEPT_ENV = ("PATH", "LANG", "LC_ALL", "TZ")
_profiles: queue.SimpleQueue[Path] = queue.SimpleQueue()


def convert(
    data: bytes,
    kind: Literal["docx", "doc"],
    target: Target,
    *,
    soffice: str | None,
    limits: Limits,
    timeout: float | None = None,
    isolate_network: bool = True,
) -> bytes:
    """The file converted to ``target`` (see the module docstring)."""
    if not soffice or not Path(soffice).is_file():
        raise OfficeUnavailable(f"soffice not found at {soffice!r}")
    timeout = timeout if timeout is not None else limits.extraction_timeout_s
    run = _Runner(soffice, timeout, isolate_network)
    if kind == "doc":
        data = run.convert(data, "doc", "docx")
    data, removed = sanitize_docx(data, limits)
    if removed:
        log.info("removed %d external references before conversion", removed)
    return data if target == "docx" else run.convert(data, "docx", "pdf")


@cache
def network_isolation() -> tuple[str, ...]:
    """The command prefix that gives ``soffice`` a private network namespace, or ``()``."""
    unshare = shutil.which("unshare")
    for prefix in ((unshare, "-n"), (unshare, "-rn")) if unshare else ():
        try:
            probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return tuple(prefix)
    log.warning("LibreOffice runs WITH network access: 'unshare -n' is not available here "
                "(install util-linux or allow user namespaces); external references are still "
                "stripped before conversion")
    return ()


class _Runner:
    """One ``soffice --convert-to`` at a time, with the protections of the module."""

    def __init__(self, soffice: str, timeout: float, isolate_network: bool) -> None:
        self.soffice = soffice
        self.timeout = timeout
        self.prefix = network_isolation() if isolate_network else ()

    def convert(self, data: bytes, suffix: str, target: Target) -> bytes:
        profile = _take_profile()
        try:
            with tempfile.TemporaryDirectory(prefix="govcounsel-office-") as work:
                folder = Path(work)
                source = folder / f"document.{suffix}"
                source.write_bytes(data)
                command = [*self.prefix, self.soffice,
                           f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                           "--convert-to", _FILTERS[target], "--outdir", str(folder / "out"),
                           str(source)]
                self._run(command, folder)
                produced = folder / "out" / f"document.{target}"
                if not produced.is_file() or produced.stat().st_size == 0:
                    raise ConversionFailed(f"LibreOffice produced no .{target}")
                return produced.read_bytes()
        finally:
            _profiles.put(profile)

    def _run(self, command: list[str], home: Path) -> None:
        env = {name: os.environ[name] for name in _KEPT_ENV if name in os.environ}
        env["HOME"] = str(home)
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=home, env=env,
                                   process_group=0)
        try:
            output, _ = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            process.communicate()
            raise ExtractionTimeout(f"LibreOffice ran past {self.timeout:g} seconds") from None
        except BaseException:
            _kill_group(process.pid)
            raise
        if process.returncode != 0:
            detail = output.decode("utf-8", "replace").strip()[-300:]
            raise ConversionFailed(f"soffice exited with {process.returncode}: {detail}")


def _take_profile() -> Path:
    """A private LibreOffice profile not in use by another conversion of this process."""
    try:
        return _profiles.get_nowait()
    except queue.Empty:
        pass
    folder = Path(tempfile.mkdtemp(prefix="govcounsel-lo-profile-"))
    user = folder / "user"
    user.mkdir()
    (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
    return folder


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
