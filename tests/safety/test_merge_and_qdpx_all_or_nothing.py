"""All-or-nothing for the two biggest writes: `annotator merge` and `annotator import X.qdpx`.

Killed inside the transaction or refused, the project is exactly as before; a merge that writes anything
first leaves a `.pre-merge-` backup equal to the project before it.
"""

from __future__ import annotations

import csv
import random
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.safety.helpers import LONG, assert_clean_error, cli, dump, integrity, make_project
from tests.safety.test_all_or_nothing import kill_series

SPANS = 8000


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(supervisor, coder project with many spans, the coder project exported as .qdpx)."""
    folder = tmp_path_factory.mktemp("merge")
    supervisor = folder / "supervisor.db"
    make_project(supervisor)
    coder = folder / "ana.db"
    shutil.copy(supervisor, coder)
    rng = random.Random(5)
    source = folder / "ana.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["document", "coder", "code", "start", "end", "memo"])
        seen: set[tuple[str, int, int]] = set()  # a span's identity is unique: no row repeats one
        for i in range(SPANS):
            key = ("", 0, 0)
            while key[0] == "" or key in seen:
                start = rng.randrange(0, 3000)
                key = (rng.choice(["response", "threat.terror"]), start, start + 1 + i % 40)
            seen.add(key)
            out.writerow(["speech.txt", "ana", *key, f"memo {i}"])
    assert cli("spans", "import", source, project=coder).returncode == 0
    qdpx = folder / "ana.qdpx"
    result = cli("export", "qdpx", qdpx, project=coder)
    assert result.returncode == 0, result.stderr
    return supervisor, coder, qdpx


def test_merge_killed_inside_its_transaction_changes_nothing(projects: tuple[Path, Path, Path], tmp_path: Path) -> None:
    supervisor = tmp_path / "supervisor.db"
    shutil.copy(projects[0], supervisor)
    before = dump(supervisor)
    delays = [0.0, 0.3] + ([0.1 * i for i in range(25)] if LONG else [])
    outcomes = kill_series(supervisor, ["merge", str(projects[1])], delays, tmp_path / "runs")
    assert outcomes[:2] == ["unchanged", "unchanged"]
    for backup in (tmp_path / "runs").glob("*.pre-merge-*.db"):
        assert dump(backup) == before  # every backup, even one written just before a kill, is the old project
    finished = tmp_path / "runs" / "finished.db"
    assert integrity(finished) == "ok"
    assert len(list((tmp_path / "runs").glob("finished.pre-merge-*.db"))) == 1, "a merge backs up first"


def test_merge_of_something_that_is_not_a_project_changes_nothing(
    projects: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    supervisor = tmp_path / "supervisor.db"
    shutil.copy(projects[0], supervisor)
    notes = tmp_path / "notes.db"
    notes.write_text("not a project\n", encoding="utf-8")
    before = dump(supervisor)
    result = cli("merge", projects[1], notes, project=supervisor)
    assert_clean_error(result)
    assert "notes.db" in result.stderr
    assert dump(supervisor) == before
    assert not list(tmp_path.glob("*pre-merge*"))


def test_qdpx_import_killed_inside_its_transaction_changes_nothing(
    projects: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "fresh.db"
    assert cli("status", project=target).returncode == 0
    delays = [0.0, 0.2] + ([0.05 * i for i in range(25)] if LONG else [])
    outcomes = kill_series(target, ["import", str(projects[2])], delays, tmp_path / "runs")
    assert outcomes[0] == "unchanged"


def test_a_damaged_qdpx_imports_nothing(projects: tuple[Path, Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "fresh.db"
    assert cli("status", project=target).returncode == 0
    before = dump(target)
    truncated = tmp_path / "truncated.qdpx"
    truncated.write_bytes(projects[2].read_bytes()[: projects[2].stat().st_size // 2])
    no_xml = tmp_path / "no-project.qdpx"
    with zipfile.ZipFile(no_xml, "w") as zf:
        zf.writestr("sources/a.txt", "hello")
    for bad in (truncated, no_xml):
        result = cli("import", bad, project=target)
        assert_clean_error(result)
        assert bad.name in result.stderr
        assert dump(target) == before
