"""Hostile input: huge files, undecodable bytes, files that lie about their type, damaged projects.

Every refusal is one readable line naming the file; nothing is half-imported; memory stays flat.
"""

from __future__ import annotations

import sqlite3
import struct
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest

from annotator.core.documents import MAX_FILE_BYTES, read_document
from annotator.core.errors import UserError
from tests.safety.helpers import SPAN_WRITER, assert_clean_error, cli, dump, make_project

MB = 1024 * 1024

MEASURE = """
import resource, sys
from annotator.cli.main import main
rc = main(sys.argv[1:])
print(f"PEAK_RSS_KIB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
raise SystemExit(rc)
"""


def _measured(project: Path, *args: str | Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run the CLI in a child that reports its peak resident memory (KiB) when done."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, "--project", str(project), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    *lines, last = result.stderr.strip().splitlines()
    result.stderr = "\n".join(lines) + "\n"
    return result, int(last.split()[1])


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    make_project(path)
    return path


def test_a_50_mb_text_file_is_refused_without_being_read(project: Path, tmp_path: Path) -> None:
    big = tmp_path / "dump.txt"
    with big.open("wb") as fh:
        block = ("Угроза terrorism 😀 " * 1000 + "\n").encode()
        while fh.tell() < 50 * MB:
            fh.write(block)
    small = tmp_path / "small.txt"
    small.write_text("A small speech.\n", encoding="utf-8")
    before = dump(project)
    result, rss = _measured(project, "import", big)
    assert_clean_error(result)
    assert "dump.txt" in result.stderr
    assert "too large" in result.stderr
    assert f"{MAX_FILE_BYTES / 1e6:.0f} MB" in result.stderr
    assert dump(project) == before
    _, baseline_rss = _measured(project, "import", small)
    assert rss - baseline_rss < 20 * 1024, f"peak RSS {rss} KiB vs {baseline_rss} KiB for a tiny file"
    tracemalloc.start()
    with pytest.raises(UserError, match="too large"):
        read_document(big)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < MB, f"refusing the file allocated {peak} bytes: it was read"


def test_huge_files_of_any_type_are_refused_by_size(project: Path, tmp_path: Path) -> None:
    paths = []
    for suffix in (".docx", ".pdf", ".html", ".md"):
        big = tmp_path / f"huge{suffix}"
        with big.open("wb") as fh:
            fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
        paths.append(big)
    result = cli("import", *paths, project=project)
    assert_clean_error(result)
    for path in paths:
        [line] = [ln for ln in result.stderr.splitlines() if path.name in ln]
        assert "too large" in line


LIARS = [
    ("picture.txt", _png(), "binary"),
    ("letter.docx", b"Dear colleagues, this is plain text.\n", "not a readable .docx"),
    ("zip.docx", b"PK\x05\x06" + b"\x00" * 18, "not a readable .docx"),
    ("paper.pdf", b"Just text pretending to be a PDF.\n", "not a readable PDF"),
    ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "PDF"),
    ("noise.txt", bytes(range(128, 256)) * 3 + b"\x00\x01\x02", "binary"),
    ("empty.txt", b"", "empty"),
    ("spaces.md", b"   \n\t\n  ", "no text"),
    ("bad-bom.txt", b"\xef\xbb\xbfok \xff\xfe\xfd", "UTF-8"),
    ("picture.html", _png(), "binary"),
    ("archive.md", zlib.compress(b"x" * 5000) * 3, ""),
]


def test_files_that_lie_about_their_type_get_one_clear_line_each(project: Path, tmp_path: Path) -> None:
    paths = []
    for name, content, _ in LIARS:
        path = tmp_path / name
        path.write_bytes(content)
        paths.append(path)
    before = dump(project)
    result = cli("import", *paths, project=project)
    assert_clean_error(result)
    assert "0 imported" in result.stdout
    for name, _, expect in LIARS:
        lines = [line for line in result.stderr.splitlines() if name in line]
        assert len(lines) == 1, (name, result.stderr)
        assert expect.lower() in lines[0].lower(), lines[0]
    assert dump(project) == before


def test_invalid_utf8_in_the_middle_of_utf8_text_is_refused_with_its_position(project: Path, tmp_path: Path) -> None:
    text = "Угрозы терроризма и экстремизма остаются актуальными. " * 30
    at = len(text[:400].encode())
    path = tmp_path / "broken.txt"
    path.write_bytes(text[:400].encode() + b"\xff" + text[400:].encode())
    result = cli("import", path, project=project)
    assert_clean_error(result)
    assert "not valid UTF-8" in result.stderr
    assert f"byte {at}" in result.stderr


def test_legacy_single_byte_text_is_decoded_not_mangled(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    original = "Угрозы терроризма и экстремизма остаются актуальными для всех стран.\n" * 5
    path.write_bytes(original.encode("cp1251"))
    result = cli("import", path, project=project)
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(project)
    stored = con.execute("SELECT text FROM document WHERE name = 'cp1251.txt'").fetchone()[0]
    con.close()
    assert stored == original


def test_a_file_that_is_not_a_project_is_refused_clearly(tmp_path: Path) -> None:
    fake = tmp_path / "notes.db"
    fake.write_text("these are my notes, not a project\n", encoding="utf-8")
    result = cli("status", project=fake)
    assert_clean_error(result)
    assert "not an annotator project" in result.stderr
    assert fake.read_text(encoding="utf-8") == "these are my notes, not a project\n"


def _damage_table(project: Path, table: str) -> None:
    """Overwrite the root pages of a table and of all its indexes with garbage."""
    con = sqlite3.connect(project)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    roots = [
        r for (r,) in con.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 0", (table,))
    ]
    con.close()
    with project.open("r+b") as fh:
        for root in roots:
            fh.seek((root - 1) * page_size)
            fh.write(b"\xa5" * page_size)


def test_a_damaged_project_gives_a_clear_message_not_a_crash(project: Path) -> None:
    subprocess.run(
        [sys.executable, str(SPAN_WRITER), str(project), "--count", "300"], check=True, capture_output=True, timeout=60
    )
    _damage_table(project, "span")
    result = cli("status", project=project)
    assert_clean_error(result)
    assert "damaged" in result.stderr
    assert "backup" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_damaged_header_gives_a_clear_message(project: Path) -> None:
    with project.open("r+b") as fh:
        fh.seek(16)
        fh.write(b"\xff" * 84)  # page size, format numbers, ... after the magic string
    result = cli("status", project=project)
    assert_clean_error(result)
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unexpected_error_goes_to_crash_log_with_one_line(project: Path, tmp_path: Path) -> None:
    """Data damaged by another tool (invalid JSON in a column): one line for the user, details in crash.log."""
    con = sqlite3.connect(project)
    con.execute("UPDATE document SET attributes = '{not json' WHERE id = 1")
    con.commit()
    con.close()
    data_dir = tmp_path / "data"
    env = {**__import__("os").environ, "ANNOTATOR_DATA_DIR": str(data_dir)}
    result = cli("documents", "list", project=project, env=env)
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    if result.returncode == 2:
        log = (data_dir / "crash.log").read_text(encoding="utf-8")
        assert "Traceback" in log
        assert str(data_dir / "crash.log") in result.stderr


def test_another_programs_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "places.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
    con.execute("INSERT INTO bookmarks (url) VALUES ('https://example.org')")
    con.commit()
    con.close()
    before = dump(other)
    result = cli("status", project=other)
    assert_clean_error(result)
    assert "another program" in result.stderr
    assert dump(other) == before
    assert not list(tmp_path.glob("*pre-migration*"))
