"""Every project path opens exactly that file: `#`, `?`, `%`, spaces, Cyrillic, emoji, a leading `-`.

Paths used to be glued into `sqlite:///` URLs and `file:` URIs unquoted: `study#1.db` was backed up as an
empty database, `x%41.db` opened `xA.db` and `what?.db` opened `what`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.safety.helpers import cli, dump, integrity, make_project
from tests.safety.test_schema_upgrade import FIXTURES, OPEN_WITH, _migrations_with_0002

NAMES = ["study#1.db", "what?.db", "x%41.db", "a%20b.db", "with space.db", "Проект.db", "😀 codes.db", "-lead.db"]
ALL_AT_ONCE = "-what?#1 x%41%20 Проект 😀.db"


def _files(folder: Path) -> set[str]:
    """The folder's files, a project's own -wal/-shm left out."""
    return {p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))}


@pytest.mark.parametrize("name", NAMES)
def test_status_and_backup_use_exactly_the_named_file(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    project = folder / name
    make_project(project)
    before = dump(project)
    assert _files(folder) == {name, "docs_src"}, "making the project created another file"
    # `--project=...` so that a name starting with '-' is not taken for an option.
    status = cli(f"--project={project}", "status")
    assert status.returncode == 0, status.stderr
    assert "documents: 2" in status.stdout, status.stdout
    assert f"project: {project}" in status.stdout
    backup = cli(f"--project={project}", "backup")
    assert backup.returncode == 0, backup.stderr
    written = Path(backup.stdout.strip().removeprefix("backup written: "))
    assert written.parent == folder
    assert written.name.startswith(f"{project.stem}.backup-")
    assert dump(written) == before, "the backup is a copy of this project, not of an empty file"
    assert integrity(written) == "ok"
    stray = _files(folder) - {name, written.name, "docs_src"}
    assert not stray, f"files that are not this project: {stray}"


@pytest.mark.parametrize("name", [ALL_AT_ONCE])
def test_merge_reads_and_backs_up_exactly_the_named_files(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "projects"
    folder.mkdir()
    coder = folder / f"coder {name}"
    make_project(coder)
    source = folder / "spans.csv"
    source.write_text("document,coder,code,start,end\nspeech.txt,ana,response,0,6\n", encoding="utf-8")
    assert cli("spans", "import", source, project=coder).returncode == 0
    target = folder / name
    make_project(target)
    before = dump(target)
    result = cli(f"--project={target}", "merge", "--", str(coder))
    assert result.returncode == 0, result.stderr
    assert "1 spans" in result.stdout, result.stdout
    [backup] = [p for p in folder.iterdir() if p.name.startswith(f"{target.stem}.pre-merge-")]
    assert dump(backup) == before
    status = cli(f"--project={target}", "status")
    assert "spans: 1" in status.stdout, status.stdout
    assert _files(folder) == {name, coder.name, backup.name, "spans.csv", "docs_src"}


@pytest.mark.parametrize("name", [ALL_AT_ONCE])
def test_pre_migration_backup_copies_exactly_the_named_file(tmp_path: Path, name: str) -> None:
    project = tmp_path / name
    shutil.copy(FIXTURES / "project_v1.db", project)
    assert cli(f"--project={project}", "status").returncode == 0  # to today's head
    before = dump(project)
    scripts, _ = _migrations_with_0002(tmp_path, pause=0)
    run = subprocess.run(
        [sys.executable, "-c", OPEN_WITH, str(scripts), str(project)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert run.returncode == 0, run.stderr
    backup = Path(run.stdout.strip())
    assert backup.name.startswith(f"{project.stem}.pre-migration-")
    assert dump(backup) == before
