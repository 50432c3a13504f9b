"""Consistent copies of a SQLite project, made with SQLite's online backup API.

A file copy of a live WAL database can miss committed pages that are still in the -wal file; the backup
API reads through SQLite itself and so always yields a consistent snapshot. To restore, close annotator and
copy the backup over the project file (see "How to restore a backup" in the README).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_sqlite(db_path: Path, reason: str = "backup") -> Path:
    """Write `<name>.<reason>-<timestamp>.db` next to the project and return its path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = db_path.with_name(f"{db_path.stem}.{reason}-{stamp}{db_path.suffix or '.db'}")
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # A backup is one self-contained file: no -wal/-shm beside it to forget when copying it away.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return target
