"""PostgreSQL connections that never hang, and server errors that read as one line.

A stopped or frozen server (SIGSTOP, a hung VM) accepts TCP connections in the kernel and then says
nothing; libpq would wait forever, and TCP keepalives cannot tell, since the kernel still answers them.
So psycopg2 runs in its "green" mode with our wait callback: a connection or a query that has had no
answer for `ANSWER_WAIT` seconds makes us knock at the server's door (an SSL request, which a running
postmaster answers at once with one byte, before any password). No answer within `PROBE_WAIT` seconds:
"the PostgreSQL server at HOST:PORT is not answering". A slow query on a live server keeps waiting
(up to its statement_timeout, which the server enforces). Connecting gives up after `connect_timeout`.

Settings, each also accepted in the project URL's query (`?connect_timeout=10&statement_timeout=10min
&lock_timeout=2min`): connect_timeout (seconds), statement_timeout and lock_timeout (PostgreSQL
durations with a unit, as in 10min). TCP keepalives detect a dead network under a long-idle window.
Imported only for `postgresql+psycopg2` projects (psycopg2 is the optional `postgresql` extra).
"""

from __future__ import annotations

import os
import re
import select
import socket
import struct
import threading
import time
from typing import Any

import psycopg2
import psycopg2.extensions as ext
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.engine.interfaces import ExceptionContext
from sqlalchemy.exc import DBAPIError

from annotator.core.errors import UserError
from annotator.core.secrets import redact

CONNECT_TIMEOUT = 10  # seconds
STATEMENT_TIMEOUT = "10min"
LOCK_TIMEOUT = "2min"  # as long as a writer waits for SQLite's write lock
ANSWER_WAIT = 5.0  # seconds without an answer before asking whether the server is there at all
PROBE_WAIT = 3.0
QUICK_KNOCK = 1.0  # a running postmaster answers a knock in milliseconds
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3}
_DURATION = re.compile(r"^\d+(\.\d+)?\s*(us|ms|s|min|h|d)?$")
_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
# Servers found silent, so that a reconnect right after does not wait the whole connect timeout again.
_silent: dict[tuple[str, str], float] = {}
_hard_wait = {"seconds": 630.0}  # the longest statement_timeout in use, plus a margin
_install_lock = threading.Lock()


def _duration(name: str, value: str) -> str:
    if not _DURATION.match(value.strip()):
        raise UserError(f"--project ...?{name}={value}: use a PostgreSQL duration such as 500ms, 30s or 10min")
    return value.strip().replace(" ", "")


def _seconds(duration: str) -> float:
    number = re.match(r"[\d.]+", duration)
    unit = duration[number.end() :] if number else ""
    return float(number.group(0) if number else 0) * _SECONDS.get(unit or "ms", 1e-3)


def prepare(url: URL) -> tuple[URL, dict[str, Any]]:
    """The URL without annotator's own settings, and the connect arguments that carry them."""
    query = dict(url.query)
    statement = _duration("statement_timeout", str(query.pop("statement_timeout", STATEMENT_TIMEOUT)))
    lock = _duration("lock_timeout", str(query.pop("lock_timeout", LOCK_TIMEOUT)))
    args: dict[str, Any] = {key: value for key, value in KEEPALIVES.items() if key not in query}
    if "connect_timeout" not in query and not os.environ.get("PGCONNECT_TIMEOUT"):
        args["connect_timeout"] = CONNECT_TIMEOUT
    options = str(query.pop("options", ""))
    args["options"] = f"{options} -c statement_timeout={statement} -c lock_timeout={lock}".strip()
    _hard_wait["seconds"] = max(_hard_wait["seconds"], _seconds(statement) + 30.0)
    return url.set(query=query), args


class ServerNotAnswering(psycopg2.OperationalError):
    """Raised by the wait callback: the server sent nothing and did not answer a knock either."""


def install(engine: Engine) -> None:
    """Green mode with the answering wait callback (once per process), and silent servers as disconnects."""
    with _install_lock:
        if ext.get_wait_callback() is None:
            ext.set_wait_callback(_wait)

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # The connection of a silent server is in an unknown state: close it, never hand it out again.
        if isinstance(context.original_exception, ServerNotAnswering):
            context.is_disconnect = True


def _where(conn: Any) -> tuple[str, str]:
    try:
        host, port = conn.info.host, str(conn.info.port)
    except Exception:  # not connected far enough to know; the DSN says what was asked for
        params = ext.parse_dsn(conn.dsn)
        host, port = params.get("host", "localhost"), params.get("port", "5432")
    return (host or "localhost").split(",")[0], (port or "5432").split(",")[0]


def _answers(host: str, port: str, timeout: float = PROBE_WAIT) -> bool:
    """Knock: a running postmaster answers an SSL request with one byte ('S' or 'N') straight away."""
    try:
        if host.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(os.path.join(host, f".s.PGSQL.{port}"))
        else:
            sock = socket.create_connection((host, int(port)), timeout=timeout)
    except OSError:
        return False
    try:
        sock.settimeout(timeout)
        sock.sendall(struct.pack("!ii", 8, 80877103))
        return len(sock.recv(1)) == 1
    except OSError:
        return False
    finally:
        sock.close()


def _connect_limit(conn: Any) -> float:
    value = ext.parse_dsn(conn.dsn).get("connect_timeout") or os.environ.get("PGCONNECT_TIMEOUT")
    try:
        return float(value) if value and float(value) > 0 else float(CONNECT_TIMEOUT)
    except ValueError:
        return float(CONNECT_TIMEOUT)


def _wait(conn: Any) -> None:
    """psycopg2's wait callback: wait for the server, but never for a server that is not there."""
    connecting = conn.status == ext.STATUS_SETUP
    started = time.monotonic()
    next_knock = started + (PROBE_WAIT if connecting else ANSWER_WAIT)  # a handshake takes milliseconds
    where = _where(conn)
    if connecting and time.monotonic() - _silent.get(where, -1e9) < 30:
        # found silent a moment ago (a reconnect right after): one quick knock instead of the whole wait
        if not _answers(*where, timeout=QUICK_KNOCK):
            _silent[where] = time.monotonic()
            raise ServerNotAnswering(_not_answering(where, 0.0))
        _silent.pop(where, None)
    limit = _connect_limit(conn) if connecting else _hard_wait["seconds"]
    while True:
        try:
            state = conn.poll()
        except KeyboardInterrupt:
            conn.cancel()
            continue
        if state == ext.POLL_OK:
            return
        fd = conn.fileno()
        readable = [fd] if state == ext.POLL_READ else []
        writable = [fd] if state == ext.POLL_WRITE else []
        now = time.monotonic()
        select.select(readable, writable, [], max(0.0, min(next_knock, started + limit) - now) + 0.01)
        now = time.monotonic()
        if now < min(next_knock, started + limit):
            continue
        if now >= started + limit or not _answers(*where):
            _silent[where] = time.monotonic()
            seconds = time.monotonic() - started
            raise ServerNotAnswering(_not_answering(where, seconds))
        _silent.pop(where, None)
        next_knock = time.monotonic() + ANSWER_WAIT


def _not_answering(where: tuple[str, str], seconds: float) -> str:
    waited = f" (nothing for {seconds:.0f} s)" if seconds >= 1 else ""
    return (
        f"the PostgreSQL server at {where[0]}:{where[1]} is not answering{waited}; "
        "check that it is running and reachable, then try again"
    )


def user_error(exc: DBAPIError, project: str, *, writing: bool, at_commit: bool) -> UserError:
    """One line for a PostgreSQL error: what the server said, and what became of the action."""
    detail = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
    detail = re.sub(r"\s*(DETAIL|HINT|CONTEXT):.*$", "", detail)
    if not writing:
        outcome = "nothing was read"
    elif at_commit:
        outcome = "the server did not confirm the change: check with 'annotator status' whether it was saved"
    else:
        outcome = "nothing was changed"
    return UserError(redact(f"{project}: {detail}; {outcome}"))
