"""All-or-nothing: an import killed inside its transaction, or refused for a bad row, changes nothing."""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store.engine import open_project
from annotator.store.services.spans import count_spans
from tests.safety.helpers import LONG, assert_clean_error, cli, dump, integrity, make_project

WORDS = ["угроза", "terrorism", "безопасность", "migration", "😀", "государство", "response", "שלום", "é"]


def _holds_write_lock(project: Path) -> bool:
    """True while another connection is inside a write transaction (probe without waiting)."""
    con = sqlite3.connect(project, isolation_level=None, timeout=0)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    finally:
        con.close()


def kill_inside_write(args: list[str], project: Path, delay: float) -> bool:
    """Run the CLI; as soon as it holds the write lock, wait `delay` s and SIGKILL it. False if it finished."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(project), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while proc.poll() is None:
            if _holds_write_lock(project):
                time.sleep(delay)
                proc.kill()
                proc.wait(timeout=30)
                return proc.returncode == -9
            time.sleep(0.001)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _reopen_and_check(project: Path) -> list[str]:
    with open_project(project) as reopened:
        count_spans(reopened)
    assert integrity(project) == "ok"
    return dump(project)


def _counts(project: Path) -> tuple[int, int]:
    con = sqlite3.connect(project)
    try:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
            for t in ("document", "span")
        )
    finally:
        con.close()


def kill_series(template: Path, args: list[str], delays: list[float], work: Path) -> list[str]:
    """Kill `annotator ARGS` inside its write transaction after each delay, each time on a fresh copy of
    `template`. Each outcome must be 'unchanged' (dump equal to before) or 'complete' (same counts as a run
    left to finish); the first kill, right after BEGIN, must leave the project unchanged."""
    work.mkdir(exist_ok=True)
    before = dump(template)
    finished = work / "finished.db"
    shutil.copy(template, finished)
    result = cli(*args, project=finished)
    assert result.returncode in (0, 1), result.stderr
    complete = _counts(finished)
    assert dump(finished) != before, "the command must change something when it runs to the end"
    outcomes = []
    for i, delay in enumerate(delays):
        copy = work / f"run{i}.db"
        shutil.copy(template, copy)
        killed = kill_inside_write(args, copy, delay)
        if _reopen_and_check(copy) == before:
            outcomes.append("unchanged")
        else:
            assert _counts(copy) == complete, f"delay {delay}: a partial write survived"
            outcomes.append("complete")
        if i == 0:
            assert killed, "the command finished before it could be killed; give it more work"
            assert outcomes[0] == "unchanged", "killed right after BEGIN, the project must be as it was"
    return outcomes


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    make_project(path)
    return path


def _many_documents(folder: Path, n: int, words: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"doc{i:03}.txt"
        path.write_text(" ".join(rng.choice(WORDS) for _ in range(words)) + f"\n{i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def _spans_csv(path: Path, rows: int, bad_row_at: int | None = None) -> Path:
    rng = random.Random(2)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["document", "coder", "code", "start", "end", "memo"])
        seen: set[tuple[str, str, int, int]] = set()  # a span's identity is unique: no row repeats one
        for i in range(rows):
            key = (f"coder{i % 4}", "", 0, 0)
            while key[1] == "" or key in seen:
                start = rng.randrange(0, 3000)
                key = (f"coder{i % 4}", rng.choice(["response", "threat.terror"]), start, start + 1 + i % 50)
            seen.add(key)
            coder, code, start, end = key
            out.writerow(["speech.txt", coder, "no.such.code" if i == bad_row_at else code, start, end, f"memo {i}"])
    return path


def test_bulk_import_killed_inside_its_transaction_changes_nothing(project: Path, tmp_path: Path) -> None:
    files = _many_documents(tmp_path / "docs", 20, 40_000)
    delays = [0.0, 0.01] + ([0.005 * i for i in range(60)] if LONG else [])
    outcomes = kill_series(project, ["import", *map(str, files)], delays, tmp_path / "runs")
    assert outcomes[0] == "unchanged"


def test_spans_import_killed_inside_its_transaction_changes_nothing(project: Path, tmp_path: Path) -> None:
    source = _spans_csv(tmp_path / "spans.csv", 12_000)
    delays = [0.0, 0.2] + ([0.05 * i for i in range(40)] if LONG else [])
    outcomes = kill_series(project, ["spans", "import", str(source)], delays, tmp_path / "runs")
    assert outcomes[:2] == ["unchanged", "unchanged"]


def test_spans_import_with_a_bad_last_row_imports_nothing(project: Path, tmp_path: Path) -> None:
    source = _spans_csv(tmp_path / "spans.csv", 2_000, bad_row_at=1_999)
    before = dump(project)
    result = cli("spans", "import", source, project=project)
    assert_clean_error(result)
    assert "row 2001" in result.stderr
    assert "no.such.code" in result.stderr
    assert "nothing imported" in result.stderr
    assert dump(project) == before


def test_spans_import_with_unreadable_numbers_imports_nothing(project: Path, tmp_path: Path) -> None:
    source = _spans_csv(tmp_path / "spans.csv", 500)
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[300] = "speech.txt,coder1,response,ten,20,x"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = dump(project)
    result = cli("spans", "import", source, project=project)
    assert_clean_error(result)
    assert "row 301" in result.stderr
    assert dump(project) == before


def test_bulk_import_reports_bad_files_one_line_each(project: Path, tmp_path: Path) -> None:
    """Unreadable files are refused before anything is written; no half-read document is ever stored."""
    files = _many_documents(tmp_path / "docs", 3, 200)
    bad = tmp_path / "docs" / "broken.docx"
    bad.write_text("not a zip at all", encoding="utf-8")
    result = cli("import", *files, bad, project=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if "broken.docx" in ln]
    assert "docx" in line
    with open_project(project) as reopened:
        from annotator.store.services.documents import list_documents

        names = {d.name for d in list_documents(reopened)}
    assert "broken.docx" not in names
