"""The one crash logger: an unexpected error's details go to crash.log through `logging`, passwords masked.

The command line and the window both call `log_crash`; the user sees one line (or one dialog) naming
the file. The file is created owner-only (0600) whatever the umask, since it may hold document text or
server names, and every record passes `redact` first.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TextIO

from annotator import __version__
from annotator.core.secrets import redact

_LOGGER = "annotator.crash"


class _RedactingFormatter(logging.Formatter):
    """Masks passwords in the whole record (message and traceback); times in UTC, ISO 8601."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, timezone.utc).isoformat()


class _OwnerOnlyFileHandler(logging.FileHandler):
    """A FileHandler whose file is created 0600 and made 0600 if it already existed with more."""

    def _open(self) -> TextIO:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors="backslashreplace")


def log_crash(
    path: Path,
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None],
    where: str,
) -> Path:
    """Append the error, its traceback and the command line to `path`; return `path`."""
    handler = _OwnerOnlyFileHandler(path, encoding="utf-8")
    handler.setFormatter(_RedactingFormatter("--- %(asctime)s %(message)s"))
    logger = logging.getLogger(_LOGGER)
    logger.propagate = False
    logger.setLevel(logging.ERROR)
    logger.addHandler(handler)
    try:
        logger.error("annotator %s (%s) %r", __version__, where, sys.argv, exc_info=exc_info)
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path
