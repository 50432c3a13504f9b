"""`annotator spans import` run as a user runs it: which rows are the same span, and big files.

Issue 11, item 4: a CSV with two rows identical but for the memo imported one and said "1 already
present, skipped" (the second memo was gone), and a row reusing a known span_id for another span was
skipped the same way. Item 7: a million rows took 2.8 GB and minutes without a word; now the file is
streamed (memory does not grow with the rows), a terminal shows progress, and it is still all or nothing.
"""

from __future__ import annotations

import csv
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.span_identity import canonical_uid
from tests.safety.helpers import DOC_TEXT, assert_clean_error, cli, dump, make_project

HEADER = ["document", "coder", "code", "start", "end", "memo"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "study.db"
    make_project(path)
    return path


def write_rows(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def spans_in(project: Path) -> int:
    result = cli("status", project=project)
    assert result.returncode == 0, result.stderr
    return int(next(line for line in result.stdout.splitlines() if line.startswith("spans:")).split()[1])


def test_two_rows_differing_only_in_memo_are_refused_with_the_row_number(project: Path, tmp_path: Path) -> None:
    rows = [
        ["speech.txt", "анна", "threat.terror", 7, 17, "first reading"],
        ["speech.txt", "анна", "response", 40, 48, ""],
        ["speech.txt", "анна", "threat.terror", 7, 17, "second reading, 🙂"],
    ]
    result = cli("spans", "import", write_rows(tmp_path / "memos.csv", rows), project=project)
    assert_clean_error(result)
    assert "memos.csv: row 4: the same span" in result.stderr
    assert "row 2" in result.stderr  # where the first one is
    assert "nothing imported" in result.stderr
    assert spans_in(project) == 0


def test_a_known_span_id_on_another_span_is_refused(project: Path, tmp_path: Path) -> None:
    header = [*HEADER, "span_id"]
    first = write_rows(tmp_path / "first.csv", [["speech.txt", "анна", "threat.terror", 7, 17, "", "s-1"]], header)
    assert cli("spans", "import", first, project=project).returncode == 0
    before = dump(project)
    for changed in (
        ["speech.txt", "борис", "threat.terror", 7, 17, "", "s-1"],  # another coder
        ["speech.txt", "анна", "response", 7, 17, "", "s-1"],  # another code
        ["speech.txt", "анна", "threat.terror", 7, 18, "", " s-1 "],  # other offsets (the id is read trimmed)
    ):
        again = write_rows(tmp_path / "again.csv", [["report.txt", "анна", "response", 0, 6, "", ""], changed], header)
        result = cli("spans", "import", again, project=project)
        assert_clean_error(result)
        assert "again.csv: row 3: span_id" in result.stderr or "again.csv: row 3: the same span" in result.stderr
        assert dump(project) == before
    other_memo = write_rows(tmp_path / "memo.csv", [["speech.txt", "анна", "threat.terror", 7, 17, "new memo"]])
    result = cli("spans", "import", other_memo, project=project)
    assert_clean_error(result)
    assert "memo.csv: row 2: the same span (document, coder, code, start, end) is in the project" in result.stderr
    assert dump(project) == before


def test_a_row_equal_in_identity_and_memo_is_skipped_and_an_export_reimports_as_nothing(
    project: Path, tmp_path: Path
) -> None:
    rows = [
        ["speech.txt", "анна", "threat.terror", 7, 17, "memo, with comma"],
        ["speech.txt", "анна", "threat.terror", 7, 17, "memo, with comma"],
        ["report.txt", "борис", "response", 0, 6, "line\none"],
    ]
    result = cli("spans", "import", write_rows(tmp_path / "twice.csv", rows), project=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported 2 spans (1 already present, skipped)"
    exported = tmp_path / "export.csv"
    assert cli("export", "csv", exported, project=project).returncode == 0
    before = dump(project)
    result = cli("spans", "import", exported, project=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported 0 spans (2 already present, skipped)"
    assert dump(project) == before


def test_span_ids_are_kept_as_uuids(project: Path, tmp_path: Path) -> None:
    header = [*HEADER, "span_id"]
    given = ["6F1C3A52-2D7E-4C55-9A58-3C1D1B9E7A10", "row-7"]
    rows = [["speech.txt", "анна", "threat.terror", 7, 17 + i, "", uid] for i, uid in enumerate(given)]
    assert cli("spans", "import", write_rows(tmp_path / "ids.csv", rows, header), project=project).returncode == 0
    exported = tmp_path / "export.csv"
    assert cli("export", "csv", exported, project=project).returncode == 0
    with exported.open(encoding="utf-8", newline="") as fh:
        ids = [row["span_id"] for row in csv.DictReader(fh)]
    assert ids == ["6f1c3a522d7e4c559a583c1d1b9e7a10", canonical_uid("row-7")]


# ------------------------------------------------------------------------------------------ big files


def big_csv(path: Path, n: int, *, bad_last: bool = False) -> Path:
    """n distinct spans on speech.txt, with the exported text column (checked against the document)."""
    length = len(DOC_TEXT)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*HEADER, "text"])
        for i in range(n):
            start = i % (length - 60)
            end = start + 1 + i // (length - 60)
            writer.writerow(["speech.txt", f"coder{i % 3}", "threat.terror", start, end, "", DOC_TEXT[start:end]])
        if bad_last:
            writer.writerow(["speech.txt", "coder0", "threat.terror", 0, length + 1, "", ""])
    return path


def import_peak_mb(project: Path, csv_path: Path) -> float:
    """Peak memory of one `spans import` process (its own rusage, not the test's)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(project), "spans", "import", str(csv_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    assert proc.stderr is not None
    assert os.waitstatus_to_exitcode(status) == 0, proc.stderr.read()
    return usage.ru_maxrss / 1024


def test_import_memory_does_not_grow_with_rows(tmp_path: Path) -> None:
    """Scaled down from a million rows: 80,000 rows may cost at most 40 MB more than 2,000 (the whole-file
    import took about 2.7 KB per row, over 200 MB here)."""
    small, big = tmp_path / "small.db", tmp_path / "big.db"
    make_project(small)
    make_project(big)
    small_mb = import_peak_mb(small, big_csv(tmp_path / "small.csv", 2_000))
    big_mb = import_peak_mb(big, big_csv(tmp_path / "big.csv", 80_000))
    assert spans_in(big) == 80_000
    assert big_mb - small_mb < 40, (small_mb, big_mb)


def test_a_bad_last_row_of_a_big_file_imports_nothing(project: Path, tmp_path: Path) -> None:
    before = dump(project)
    result = cli("spans", "import", big_csv(tmp_path / "bad.csv", 20_000, bad_last=True), project=project)
    assert_clean_error(result)
    assert "bad.csv: row 20002: end" in result.stderr
    assert dump(project) == before


def run_on_terminal(args: list[str]) -> tuple[int, str]:
    """Run the command with stderr on a pseudo-terminal (as in a shell); return exit code and what it showed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    shown = b""
    while True:
        ready, _w, _x = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the process is gone
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=120)
    os.close(leader)
    return proc.returncode, shown.decode("utf-8", "replace")


def test_progress_is_shown_on_a_terminal_only(project: Path, tmp_path: Path) -> None:
    rows = big_csv(tmp_path / "rows.csv", 12_000)
    code, shown = run_on_terminal(
        [sys.executable, "-m", "annotator", "--project", str(project), "spans", "import", str(rows)]
    )
    assert code == 0, shown
    assert "12,000 rows read" in shown
    assert "5,000 rows read" in shown  # during the import, not only at its end
    again = cli("spans", "import", rows, project=project)  # stderr to a pipe: no progress line
    assert again.returncode == 0
    assert "rows read" not in again.stderr
    assert again.stdout.strip() == "imported 0 spans (12000 already present, skipped)"
