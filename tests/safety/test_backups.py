"""Backups: `annotator backup` writes a consistent copy next to the project, even while someone writes."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.store.backup import backup_sqlite
from annotator.store.engine import open_project
from annotator.store.services.spans import count_spans
from tests.safety.helpers import SPAN_WRITER, cli, dump, integrity, make_project, span_uids, wait_for_lines


def _backup_path(stdout: str) -> Path:
    match = re.search(r"backup written: (.+)$", stdout.strip(), re.MULTILINE)
    assert match, stdout
    return Path(match.group(1))


def test_backup_on_demand_opens_and_holds_the_data(tmp_path: Path) -> None:
    project = tmp_path / "my project.db"
    make_project(project)
    writer = subprocess.run(
        [sys.executable, str(SPAN_WRITER), str(project), "--count", "30"], capture_output=True, text=True, timeout=60
    )
    assert writer.returncode == 0, writer.stderr
    result = cli("backup", project=project)
    assert result.returncode == 0, result.stderr
    backup = _backup_path(result.stdout)
    assert backup.parent == project.parent
    assert backup.name.startswith("my project.backup-")
    assert backup.suffix == ".db"
    assert integrity(backup) == "ok"
    assert dump(backup) == dump(project)
    # Restoring = copying the backup over the project file; the copy opens as a project with every span.
    restored = tmp_path / "restored.db"
    shutil.copy(backup, restored)
    status = cli("status", project=restored)
    assert status.returncode == 0, status.stderr
    assert "spans: 30" in status.stdout


def test_backup_while_another_process_writes_is_consistent(tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(project)
    out = tmp_path / "w.txt"
    writer = subprocess.Popen(  # writes until stopped: every backup below is taken while it writes
        [sys.executable, str(SPAN_WRITER), str(project), "--count", "0"],
        stdout=out.open("w", encoding="utf-8"),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_lines(out, 20, proc=writer)
        backups = []
        for _ in range(3):
            backups.append(backup_sqlite(project, "backup"))
            mark = out.read_text(encoding="utf-8").count("\n")
            wait_for_lines(out, mark + 4, proc=writer)  # more spans between two backups
        assert writer.poll() is None, "the writer must still be writing when the last backup is taken"
    finally:
        writer.terminate()
        writer.wait(timeout=60)
    final = span_uids(project)
    sizes = []
    for backup in backups:
        assert integrity(backup) == "ok"
        with open_project(backup) as p:  # a backup is a complete project in its own right
            sizes.append(count_spans(p))
        assert span_uids(backup) <= final
    assert len(set(map(str, backups))) == 3, "every backup gets its own name"
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1], f"the backups saw the writer's progress: {sizes}"


def test_backup_of_a_project_with_uncheckpointed_wal_has_the_latest_commits(tmp_path: Path) -> None:
    """A plain file copy of project.db could miss commits still in project.db-wal; the backup API does not."""
    project = tmp_path / "p.db"
    make_project(project)
    keeper = sqlite3.connect(project)  # an open reader keeps the WAL from being checkpointed away
    keeper.execute("PRAGMA wal_autocheckpoint=0")
    keeper.execute("SELECT count(*) FROM document").fetchall()
    subprocess.run(
        [sys.executable, str(SPAN_WRITER), str(project), "--count", "25"], check=True, capture_output=True, timeout=60
    )
    assert Path(f"{project}-wal").exists()
    backup = backup_sqlite(project, "backup")
    assert not Path(f"{backup}-wal").exists(), "a backup is one self-contained file"
    keeper.close()
    assert len(span_uids(backup)) == 25


def test_backup_refuses_a_server_project_clearly() -> None:
    result = cli("backup", project=Path("postgresql://user@localhost:1/none"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
