"""Is the port ``serve`` was asked for free? (#15, UI finding 15)

``govcounsel serve`` on a busy port used to print 已启动 and then a traceback. It now
tries the address first — bound the way waitress binds it (``SO_REUSEADDR`` on
POSIX, so a port in TIME_WAIT counts as free and a listening one as busy) — and
says in Chinese what is wrong before anything starts.
"""

from __future__ import annotations

import errno
import socket

from .messages import error_text


def problem(host: str, port: int) -> str | None:
    """A Chinese sentence when ``host:port`` cannot be served on, else None."""
    if not 0 < port < 65536:
        return error_text("serve_bad_port", port=port)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return error_text("serve_bad_host", host=host)
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        if hasattr(socket, "SO_REUSEADDR") and not hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            code = "serve_port_busy" if exc.errno == errno.EADDRINUSE else "serve_port_denied"
            return error_text(code, host=host, port=port, other=port + 1)
    return None
