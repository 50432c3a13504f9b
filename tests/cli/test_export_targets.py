"""Where an export may write, run as a user runs it: never onto the project, and with normal file modes.

`annotator --project p.db export csv p.db` used to print "exported 0 spans to p.db", exit 0 and replace
the project with a CSV (issue 11, item 1); every export was created 0600 whatever the umask and replaced
an existing file's mode (item 14).
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.safety.helpers import assert_clean_error, cli, dump
from tests.store.test_export import build_project

FORMATS = {"csv": "x.csv", "jsonl": "x.jsonl", "qdpx": "x.qdpx", "qdc": "x.qdc", "codebook": "x.yaml"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build_project(tmp_path / "src")


def _same_project(project: Path, before: list[str]) -> None:
    assert project.read_bytes()[:16] == b"SQLite format 3\x00"
    assert dump(project) == before


def _refused(result: subprocess.CompletedProcess[str], out: Path) -> None:
    assert_clean_error(result)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "destroy" in result.stderr
    assert "Choose another file name" in result.stderr
    assert "exported" not in result.stdout


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_onto_the_project_itself_is_refused(project: Path, fmt: str) -> None:
    before = dump(project)
    result = cli("export", fmt, project, project=project)
    _refused(result, project)
    _same_project(project, before)


def test_export_onto_a_link_journal_or_backup_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    assert cli("backup", project=project).returncode == 0
    backup = next(project.parent.glob(f"{project.stem}.backup-*{project.suffix}"))
    backup_bytes = backup.read_bytes()
    symlink = tmp_path / "link.csv"
    symlink.symlink_to(project)
    hardlink = tmp_path / "hard.csv"
    os.link(project, hardlink)
    link_to_backup = tmp_path / "backup-link.jsonl"
    os.link(backup, link_to_backup)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "via-dir").symlink_to(project.parent)
    targets = [
        ("csv", symlink),
        ("csv", hardlink),
        ("jsonl", link_to_backup),
        ("qdpx", backup),
        ("csv", Path(f"{project}-wal")),
        ("csv", Path(f"{project}-shm")),
        ("qdc", Path(f"{project}-journal")),
        ("csv", elsewhere / "via-dir" / project.name),  # a symlinked folder on the way
    ]
    before = dump(project)
    for fmt, out in targets:
        result = cli("export", fmt, out, project=project)
        _refused(result, out)
        _same_project(project, before)
    assert backup.read_bytes() == backup_bytes
    assert not Path(f"{project}-journal").exists()
    assert [p for p in tmp_path.rglob("*.part")] == []


def test_an_unrelated_file_next_to_the_project_is_still_fine(project: Path) -> None:
    out = project.with_name(f"{project.stem}.spans.csv")
    assert cli("export", "csv", out, project=project).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("span_id,")


def _with_umask(mask: int) -> dict[str, object]:
    return {"preexec_fn": lambda: os.umask(mask)}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_new_export_follows_the_umask(project: Path, tmp_path: Path, fmt: str) -> None:
    masks = ((0o022, 0o644), (0o002, 0o664)) if fmt == "csv" else ((0o002, 0o664),)
    for mask, mode in masks:
        out = tmp_path / f"{mask:o}-{FORMATS[fmt]}"
        result = cli("export", fmt, out, project=project, **_with_umask(mask))
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(out.stat().st_mode) == mode, f"{fmt} with umask {mask:o}"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_an_overwritten_export_keeps_its_mode(project: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / FORMATS[fmt]
    out.write_text("old export", encoding="utf-8")
    out.chmod(0o640)
    result = cli("export", fmt, out, project=project, **_with_umask(0o022))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_bytes() != b"old export"
