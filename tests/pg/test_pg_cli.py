"""The command line against a PostgreSQL project: `--project postgresql+psycopg2://...` (subprocesses)."""

from __future__ import annotations

import csv
import subprocess
import sys

from tests.pg.helpers import REPO, THREATS, find, stored, write_texts


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", url, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _status(url: str) -> dict[str, str]:
    result = run_cli(url, "status")
    assert result.returncode == 0, result.stderr
    return dict(line.split(": ", 1) for line in result.stdout.splitlines())


def test_cli_import_codebook_spans_status_export(pg_url, tmp_path):
    files = write_texts(tmp_path)
    result = run_cli(pg_url, "import", *map(str, files), "--attr", "outlet=ТАСС")
    assert result.returncode == 0, result.stderr
    assert f"imported emoji.txt ({len(stored('emoji.txt'))} characters)" in result.stdout
    again = run_cli(pg_url, "import", str(files[0]))
    assert again.returncode == 1
    assert "already in the project" in again.stderr
    assert run_cli(pg_url, "codebook", "load", str(THREATS)).returncode == 0

    rows = [["document", "coder", "code", "start", "end", "memo", "text"]]
    for name, needle, code in [
        ("cyr.txt", "терроризма", "threat.terrorism"),
        ("emoji.txt", "illegal migration", "threat.illegal_migration"),
        ("crlf.txt", "organised crime", "threat.organised_crime"),
    ]:
        start, end = find(stored(name), needle)
        rows.append([name, "Анна", code, start, end, "«memo», 🙂", needle])
    bad = [*rows, ["cyr.txt", "Анна", "threat.terrorism", 0, 6, "", "wrong"]]
    for path, data in ((tmp_path / "bad.csv", bad), (tmp_path / "good.csv", rows)):
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(data)

    refused = run_cli(pg_url, "spans", "import", str(tmp_path / "bad.csv"))
    assert refused.returncode == 1
    assert "row 5" in refused.stderr
    assert "nothing imported" in refused.stderr
    assert _status(pg_url)["spans"] == "0"  # all or nothing
    assert run_cli(pg_url, "spans", "import", str(tmp_path / "good.csv")).returncode == 0
    counts = _status(pg_url)
    assert counts["project"].startswith("postgresql+psycopg2://postgres@127.0.0.1:")
    assert (counts["documents"], counts["coders"], counts["spans"]) == ("3", "1", "3")
    assert int(counts["codes"]) > 20

    out = tmp_path / "out.csv"
    result = run_cli(pg_url, "export", "csv", str(out), "--attributes")
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        exported = list(csv.DictReader(fh))
    assert [(r["document"], r["text"], r["memo"], r["attr_outlet"]) for r in exported] == [
        (r[0], r[6], r[5], "ТАСС") for r in rows[1:]
    ]
    # the export is a valid spans file: importing it again adds nothing (same span_ids)
    result = run_cli(pg_url, "spans", "import", str(out))
    assert result.returncode == 0, result.stderr
    assert _status(pg_url)["spans"] == "3"


def test_cli_unreachable_server_is_one_line(pg_cluster):
    url = pg_cluster.url("no_such_database")
    result = run_cli(url, "status")
    assert result.returncode != 0
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "no_such_database" in lines[0]
