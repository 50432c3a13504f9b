"""Writing output files so that an interrupted write never leaves a truncated file under the real name."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from annotator.core.errors import UserError


def check_writable(path: str | Path) -> Path:
    """Refuse an output path whose folder is missing, or that names a folder, before any work is done."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{path}: folder {folder} does not exist")
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name")
    return path


@contextlib.contextmanager
def atomic_file(
    path: str | Path, mode: str = "wb", *, encoding: str | None = None, newline: str | None = None
) -> Iterator[IO[Any]]:
    """Yield a temp file beside `path`; on success fsync and rename it over `path`, else delete it.

    A missing folder or a folder given as the file name is a UserError, said in one line.
    """
    path = check_writable(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(f"{path}: cannot write in {folder} ({exc.strerror})") from None
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_text_file(
    path: str | Path, *, encoding: str = "utf-8", newline: str | None = ""
) -> contextlib.AbstractContextManager[IO[str]]:
    """Text-mode `atomic_file` (CSV and JSONL exports)."""
    return atomic_file(path, "w", encoding=encoding, newline=newline)
