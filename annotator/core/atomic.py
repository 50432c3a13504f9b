"""Writing output files so that an interrupted write never leaves a truncated file under the real name."""

from __future__ import annotations

import contextlib
import os
import stat
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

    The new file gets the mode a plain `open(path, "w")` would give: an overwritten file keeps its
    mode, a new one follows the umask.

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
            os.fchmod(handle.fileno(), _final_mode(path))  # mkstemp made it 0600 whatever the umask
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _final_mode(path: Path) -> int:
    """The mode the file would have if written in place: an existing file's own, else 0666 minus the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process umask, read without changing it where the system tells it (Linux: /proc).

    Elsewhere it is set and restored at once; another thread creating a file in that instant would
    use umask 0, so /proc is preferred.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_text_file(
    path: str | Path, *, encoding: str = "utf-8", newline: str | None = ""
) -> contextlib.AbstractContextManager[IO[str]]:
    """Text-mode `atomic_file` (CSV and JSONL exports)."""
    return atomic_file(path, "w", encoding=encoding, newline=newline)
