"""Shared pieces for the safety tests: a small real project, table dumps, CLI runs and a lock holder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from annotator.core.codebook import parse_codebook
from annotator.store.engine import open_project
from annotator.store.services import codebooks, documents

HERE = Path(__file__).resolve().parent
SPAN_WRITER = HERE / "span_writer.py"
LONG = os.environ.get("ANNOTATOR_LONG") == "1"

CODEBOOK = """\
title: Safety test codebook
codes:
  - key: threat
    name: Threat
    codable: false
    children:
      - key: threat.terror
        name: Terrorism
      - key: threat.migration
        name: Illegal migration
  - key: response
    name: Response
"""

DOC_TEXT = (
    "Угрозы терроризма растут 😀 and the response must be firm. "
    "הטקסט הזה מימין לשמאל, e\u0301te\u0301, 👨\u200d👩\u200d👧 family.\n"
) * 40


def make_project(path: Path) -> None:
    """A project with two documents and a codebook, made through the real services."""
    src = path.parent / "docs_src"
    src.mkdir(exist_ok=True)
    (src / "speech.txt").write_text(DOC_TEXT, encoding="utf-8")
    (src / "report.txt").write_text("Report. " + DOC_TEXT[:500] + "\n", encoding="utf-8")
    with open_project(path) as project:
        codebooks.load_codebook(project, parse_codebook(CODEBOOK, "safety.yaml"), source="safety.yaml")
        report = documents.import_files(project, [src / "speech.txt", src / "report.txt"])
    assert not report.errors, report.errors


def ro_uri(path: Path) -> str:
    """A read-only `file:` URI naming exactly `path`, whatever characters its name holds."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def dump(path: Path) -> list[str]:
    """Every row of every table, as SQL text: two equal dumps mean two equal projects."""
    con = sqlite3.connect(ro_uri(path), uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def span_uids(path: Path) -> set[str]:
    con = sqlite3.connect(ro_uri(path), uri=True)
    try:
        return {row[0] for row in con.execute("SELECT uid FROM span")}
    finally:
        con.close()


def cli(
    *args: str | os.PathLike[str], project: Path | None = None, timeout: float = 120, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """Run `python -m annotator [--project P] ARGS` as a user would."""
    cmd = [sys.executable, "-m", "annotator"]
    if project is not None:
        cmd += ["--project", str(project)]
    cmd += [str(a) for a in args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)  # type: ignore[call-overload]


def assert_clean_error(result: subprocess.CompletedProcess[str]) -> None:
    """A user-facing failure: exit 1, no traceback, every stderr line short and readable."""
    assert "Traceback" not in result.stderr, result.stderr
    assert "database is locked" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "an error must say something"
    assert all(len(line) < 400 for line in lines), lines


LOCK_HOLDER = """
import sqlite3, sys, time
from pathlib import Path
con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
release = Path(sys.argv[3]) if len(sys.argv) > 3 else None
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline and not (release is not None and release.exists()):
    time.sleep(0.005)
con.execute("COMMIT")
print("released", flush=True)
"""


def hold_write_lock(path: Path, seconds: float, release: Path | None = None) -> subprocess.Popen[str]:
    """Start a process that holds the project's write lock (BEGIN IMMEDIATE) for `seconds`, or until the
    file `release` exists; returns once the lock is held."""
    args = [sys.executable, "-c", LOCK_HOLDER, str(path), str(seconds)] + ([str(release)] if release else [])
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def wait_for_line(
    path: Path, wanted: str, timeout: float = 120, proc: subprocess.Popen | None = None, count: int = 1
) -> None:
    """Wait until `path` has `count` lines starting with `wanted`; fail with the process's stderr if it ended
    first. Only complete lines count (a line being written has no newline yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            lines = path.read_text(encoding="utf-8").split("\n")[:-1]
            if sum(1 for line in lines if line.startswith(wanted)) >= count:
                return
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise AssertionError(f"process ended (exit {proc.returncode}) before printing {wanted!r}: {err}")
        time.sleep(0.002)
    raise AssertionError(f"{path}: no line {wanted!r} after {timeout} s")


def seed() -> int:
    """A random seed for a kill or concurrency test, or ANNOTATOR_SEED to replay one."""
    import random

    return int(os.environ.get("ANNOTATOR_SEED", random.randrange(1_000_000)))


def wait_for_lines(path: Path, n: int, timeout: float = 60, proc: subprocess.Popen | None = None) -> None:
    """Wait until `path` has `n` lines; fail with the process's stderr if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8").count("\n") >= n:
            return
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            raise AssertionError(f"writer ended (exit {proc.returncode}) before writing: {err}")
        time.sleep(0.01)
    raise AssertionError(f"{path}: fewer than {n} lines after {timeout} s")
