"""Hostile names and archives: file names that are not UTF-8, and a .docx that is a zip bomb.

A name with bytes that are not UTF-8 used to abort the whole batch with an internal UnicodeEncodeError; a
3 MB .docx inflating to 3 GB took 80 s and 6 GB of memory before it was refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.safety.helpers import assert_clean_error, cli, dump, make_project
from tests.safety.zip_bomb import docx_bomb
from tests.store.foundation_helpers import make_docx

READ_MEASURED = """
import resource, sys, time
from annotator.core.documents import read_document
from annotator.core.errors import UserError
started = time.perf_counter()
try:
    read_document(sys.argv[1])
    print("read without complaint", file=sys.stderr)
except UserError as exc:
    print(exc, file=sys.stderr)
took = time.perf_counter() - started
# VmHWM is this program's own peak; ru_maxrss survives exec and may show the parent's size after a fork.
peak = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")]
print(f"MEASURED {peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} {took:.3f}")
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    make_project(path)
    return path


def _bad_name(folder: Path, raw: bytes) -> Path:
    """A path whose name holds the raw bytes `raw` (Python carries them as surrogates)."""
    return folder / os.fsdecode(raw)


def _documents(project: Path) -> str:
    listed = cli("documents", "list", project=project)
    assert listed.returncode == 0, listed.stderr
    return listed.stdout


def test_a_name_that_is_not_utf8_is_one_line_and_the_good_files_import(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "ok.txt"
    good.write_text("Угроза терроризма растёт.\n", encoding="utf-8")
    bad = _bad_name(folder, b"bad\xff\xfe.txt")
    bad.write_text("A legacy name, readable text.\n", encoding="utf-8")
    also_good = folder / "Проект 😀.txt"
    also_good.write_text("Second good file.\n", encoding="utf-8")
    result = cli("import", good, bad, also_good, project=project)
    assert_clean_error(result)
    assert "internal error" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "bad\\xff\\xfe.txt" in line, line
    assert "not valid UTF-8" in line
    assert "2 imported, 1 not imported" in result.stdout
    listed = _documents(project)
    assert "ok.txt" in listed
    assert "Проект 😀.txt" in listed


def test_a_name_value_that_is_not_utf8_is_one_line(project: Path, tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("Text.\n", encoding="utf-8")
    before = dump(project)
    result = cli("import", good, "--name", os.fsdecode(b"n\xff\xfe"), project=project)
    assert_clean_error(result)
    [line] = result.stderr.strip().splitlines()
    assert "--name n\\xff\\xfe" in line, line
    assert dump(project) == before
    bad = _bad_name(tmp_path, b"legacy\xe4.txt")
    bad.write_text("Text of a file with an old name.\n", encoding="utf-8")
    named = cli("import", bad, "--name", "legacy.txt", project=project)  # --name is the way round it
    assert named.returncode == 0, named.stderr
    assert "legacy.txt" in _documents(project)


def _read_measured(path: Path) -> tuple[str, float, float]:
    """Read one file the way `import` does, in a child that reports its peak memory (MB) and the time (s)."""
    result = subprocess.run(
        [sys.executable, "-c", READ_MEASURED, str(path)], capture_output=True, text=True, timeout=300
    )
    _, kib, seconds = result.stdout.split()
    return result.stderr.strip(), int(kib) / 1024, float(seconds)


@pytest.mark.parametrize("lying", [False, True], ids=["honest-headers", "lying-headers"])
def test_a_docx_bomb_is_refused_fast_in_little_memory(project: Path, tmp_path: Path, lying: bool) -> None:
    """256 MB of paragraphs from a 0.3 MB .docx (scaled down from the 3 GB case, which took 80 s and 6 GB)."""
    template = make_docx(tmp_path / "real.docx", ["A real paragraph."])
    bomb = docx_bomb(tmp_path / "speech.docx", template, 256, claimed_size=20_000 if lying else None)
    assert bomb.stat().st_size < 1_000_000
    good = tmp_path / "fine.txt"
    good.write_text("A good file in the same batch.\n", encoding="utf-8")
    message, peak_mb, seconds = _read_measured(bomb)
    print(f"docx bomb ({'lying' if lying else 'honest'} headers): {seconds:.2f} s, peak {peak_mb:.0f} MB")
    assert seconds < 2.0, f"refusing took {seconds:.1f} s ({message})"
    assert peak_mb < 200, f"refusing took {peak_mb:.0f} MB ({message})"
    assert ("zip bomb" in message) if not lying else ("is damaged" in message), message
    before = len(dump(project))
    result = cli("import", bomb, good, project=project)  # and in a batch, the user's way
    assert_clean_error(result)
    [line] = result.stderr.strip().splitlines()
    assert "speech.docx" in line, line
    assert "1 imported, 1 not imported" in result.stdout
    assert len(dump(project)) > before
