"""Where an export may write: never onto the project itself, its journal files or its backups.

Every export service calls `check_output` before any work. Writing a CSV "to p.db" while p.db is the
open project would replace the project with the export (the rename of the finished file wins), so any
path that *is* one of the project's files is refused: by name after resolving symlinks, and by inode
for hard links (`samefile`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from annotator.core.atomic import check_writable
from annotator.core.errors import UserError
from annotator.store.engine import Project

JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")
# The reasons store.backup writes into a backup's name: NAME.<reason>-<time>.db
BACKUP_REASONS = ("backup", "pre-merge", "pre-migration")


def _backup_pattern(db: Path) -> re.Pattern[str]:
    reasons = "|".join(re.escape(r) for r in BACKUP_REASONS)
    return re.compile(rf"{re.escape(db.stem)}\.(?:{reasons})-.*{re.escape(db.suffix or '.db')}")


def project_file_kind(db: Path, candidate: str | os.PathLike[str]) -> str | None:
    """What `candidate` is to the SQLite project `db` ("the project file", ...), or None if unrelated."""
    db = Path(os.path.realpath(db))
    target = Path(os.path.realpath(candidate))
    backups = _backup_pattern(db)
    named = {db: "the project file"} | {Path(f"{db}{s}"): f"the project's {s[1:]} file" for s in JOURNAL_SUFFIXES}
    if target in named:
        return named[target]
    if target.parent == db.parent and backups.fullmatch(target.name):
        return "a backup of the project"
    try:
        found = os.stat(target)
    except OSError:
        return None  # a new file: nothing it could be a link to
    same = (found.st_dev, found.st_ino)
    for path, kind in named.items():
        if _inode(path) == same:
            return kind + " (a hard link to it)"
    for entry in db.parent.iterdir():
        if backups.fullmatch(entry.name) and _inode(entry) == same:
            return "a backup of the project (a hard link to it)"
    return None


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def check_output(project: Project, path: str | os.PathLike[str]) -> Path:
    """The output path, once it is known to be writable and not one of the project's own files."""
    out = check_writable(path)
    if project.path is not None:
        kind = project_file_kind(project.path, out)
        if kind is not None:
            raise UserError(
                f"{out}: is {kind}; exporting there would destroy it. Choose another file name (nothing written)"
            )
    return out
