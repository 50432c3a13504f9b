"""Consistent copies of a SQLite project, made with SQLite's online backup API, that are never half-made.

A file copy of a live WAL database can miss committed pages that are still in the -wal file; the backup
API reads through SQLite itself and so always yields a consistent snapshot. A backup is only worth its
name if it can be restored, so it is written under a hidden temporary name, checked (`PRAGMA
quick_check`, our schema present), flushed to disk and only then renamed to `NAME.<reason>-TIME.db`: a
full disk or a kill leaves no file under a backup's name. A project that fails the check is not copied
(a copy of a damaged file would be offered later as if it were good). To restore, close annotator and
copy the backup over the project file (see "How to restore a backup" in the README). A PostgreSQL
project is backed up on its server, into a schema of its own (`backup_schema`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

BACKUP_REASONS = ("backup", "pre-migration", "pre-merge")
_PARTIAL = re.compile(r"\.(\d+)\.[A-Za-z0-9_]+\.partial(-journal)?$")


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A `file:` URI naming exactly `path` (`#`, `?`, `%` and spaces are percent-quoted)."""
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


def _problem(con: sqlite3.Connection) -> str | None:
    """None when the database passes `quick_check` and holds an annotator schema, else what is wrong."""
    result = con.execute("PRAGMA quick_check(1)").fetchone()[0]
    if result != "ok":
        return " ".join(str(result).split())
    has_schema = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'")
    if not has_schema.fetchone()[0] or not con.execute("SELECT count(*) FROM alembic_version").fetchone()[0]:
        return "no annotator tables in it"
    return None


def usable_backup(path: Path) -> bool:
    """True for a file that can be restored: a SQLite database with our schema that passes quick_check."""
    try:
        if path.stat().st_size == 0:
            return False
        con = sqlite3.connect(sqlite_uri(path), uri=True)
    except (OSError, sqlite3.Error):
        return False
    try:
        return _problem(con) is None
    except sqlite3.Error:
        return False
    finally:
        con.close()


def backups_of(db_path: Path) -> list[Path]:
    """The backups written next to a project (any reason), newest first by name time stamp."""
    db_path = Path(db_path)
    suffix = db_path.suffix or ".db"
    prefixes = tuple(f"{db_path.stem}.{reason}-" for reason in BACKUP_REASONS)
    try:
        names = [p for p in db_path.parent.iterdir() if p.name.startswith(prefixes) and p.name.endswith(suffix)]
    except OSError:
        return []
    stamp = re.compile(r"-(\d{8}-\d{6}-\d{6})" + re.escape(suffix) + "$")
    return sorted(names, key=lambda p: (m.group(1) if (m := stamp.search(p.name)) else "", p.name), reverse=True)


def latest_usable_backup(db_path: Path) -> Path | None:
    """The newest backup next to the project that can really be restored (0-byte or empty files are skipped)."""
    return next((p for p in backups_of(db_path) if usable_backup(p)), None)


def restore_hint(db_path: Path) -> str:
    """What a message about a damaged project tells the user to do: a real backup's name, or that there is none."""
    found = latest_usable_backup(db_path)
    if found is not None:
        return f"restore the latest backup, {found} (README: 'How to restore a backup')"
    return "no usable backup was found next to it; restore a copy you keep elsewhere"


def _sweep_partials(folder: Path, stem: str) -> None:
    """Delete temporary files of backups whose process died (a kill or power cut mid-backup)."""
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            match = _PARTIAL.search(path.name)
            if not match or not path.name.startswith(f".{stem}."):
                continue
            pid = int(match.group(1))
            if pid == os.getpid():
                continue
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    path.unlink()
            except OSError:  # alive (another user's process): leave it
                continue


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_sqlite(db_path: Path, reason: str = "backup") -> Path:
    """Write `<name>.<reason>-<timestamp>.db` next to the project and return its path.

    Raises UserError, leaving no file under a backup's name, when the project fails `quick_check` or
    the copy cannot be written completely (a full disk, a write error).
    """
    db_path = Path(db_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = db_path.with_name(f"{db_path.stem}.{reason}-{stamp}{db_path.suffix or '.db'}")
    folder = target.parent
    _sweep_partials(folder, db_path.stem)
    try:
        src = sqlite3.connect(sqlite_uri(db_path), uri=True)
    except sqlite3.Error as exc:
        raise UserError(f"{db_path}: cannot read the project to back it up ({exc})") from None
    try:
        try:
            problem = _problem(src)
        except sqlite3.DatabaseError as exc:
            problem = str(exc)
        if problem is not None:
            raise UserError(
                f"{db_path}: the project fails SQLite's integrity check ({problem}); no backup written, as a "
                f"copy of a damaged file is no backup; {restore_hint(db_path)}"
            )
        _write_checked_copy(src, db_path, target)
    finally:
        src.close()
    return target


def _write_checked_copy(src: sqlite3.Connection, db_path: Path, target: Path) -> None:
    folder = target.parent
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".partial", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise UserError(f"{target}: cannot write a backup in {folder} ({exc.strerror}); nothing written") from None
    tmp = Path(name)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            # A backup is one self-contained file: no -wal/-shm beside it to forget when copying it away.
            dst.execute("PRAGMA journal_mode=DELETE")
            problem = _problem(dst)
        finally:
            dst.close()
        if problem is not None:
            raise UserError(f"{target}: the copy failed its check ({problem}); no backup written")
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync(folder, directory=True)
    except (sqlite3.Error, OSError) as exc:
        detail = " ".join(str(exc).split())
        raise UserError(
            f"{target}: backup failed ({detail}; is the disk full?); no backup written, {db_path.name} is unchanged"
        ) from None
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def backup_schema(connection: Connection, reason: str) -> str:
    """Copy every table of a PostgreSQL project into a new schema `annotator_<reason>_<time>`, in the
    caller's transaction (so the copy exists exactly when the change it guards was committed); return
    the schema's name. Restoring is copying the tables back (README: "How to restore a backup")."""
    from annotator.store.models import SQLModel

    stamp = datetime.now().strftime("%Y%m%d_%H%M%S_%f")
    schema = f"annotator_{reason.replace('-', '_')}_{stamp}"
    current = connection.exec_driver_sql("SELECT current_schema()").scalar()
    existing = set(
        connection.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).scalars()
    )  # before a migration, the tables of the older schema
    names = [table.name for table in SQLModel.metadata.sorted_tables] + ["alembic_version"]
    tables = [name for name in names if name in existing]
    connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    for table in tables:
        connection.exec_driver_sql(f'CREATE TABLE "{schema}"."{table}" AS TABLE "{current}"."{table}"')
    connection.exec_driver_sql(
        f'COMMENT ON SCHEMA "{schema}" IS \'annotator: copy of schema {current} before {reason} '
        f"at {datetime.now().isoformat(timespec='seconds')}'"
    )
    return schema
