"""Killed mid-work: SIGKILL a process that keeps writing spans; nothing reported as saved may be lost.

CI runs a bounded number of kills; `ANNOTATOR_LONG=1 pytest -m slow tests/safety` runs the long loops.
Set ANNOTATOR_SEED to replay a run (the seed is in every failure message).
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from annotator.store.engine import MIGRATIONS, open_project
from annotator.store.services.spans import count_spans
from tests.safety.helpers import LONG, SPAN_WRITER, integrity, make_project, seed, span_uids, wait_for_line

CI_KILLS = 15
LONG_KILLS = 300


class Ledger:
    """What the writers reported: intents (`try`, `trydel`) and confirmed commits (`add`, `del`)."""

    def __init__(self) -> None:
        self.tried: set[str] = set()
        self.added: set[str] = set()
        self.trydel: set[str] = set()
        self.deleted: set[str] = set()

    def read(self, path: Path) -> None:
        sets = {"try": self.tried, "add": self.added, "trydel": self.trydel, "del": self.deleted}
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, _, uid = line.partition(" ")
            if kind in sets and len(uid) == 32:  # a line cut short by the kill is ignored
                sets[kind].add(uid)


def _kill_loop(tmp_path: Path, kills: int, seed: int) -> dict[str, int]:
    """Kill a span writer `kills` times: every 5th kill while it opens the project (recovering the last
    kill's WAL), the others while it writes. Each waits for the writer's own line saying it got there."""
    rng = random.Random(seed)
    project = tmp_path / "p.db"
    make_project(project)
    ledger = Ledger()
    stats = {"kills": 0, "while_opening": 0, "while_writing": 0, "committed": 0, "waited_for": 0}
    for i in range(kills):
        out = tmp_path / f"out{i}.txt"
        opening = i % 5 == 0
        commits = 0 if opening else rng.randint(1, 4)  # a writing kill comes after this many commits
        with out.open("w", encoding="utf-8") as fh:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    str(SPAN_WRITER),
                    str(project),
                    "--coder",
                    f"c{i % 3}",
                    "--seed",
                    str(seed + i),
                    "--delete-every",
                    "4",
                ],
                stdout=fh,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                if opening:
                    wait_for_line(out, "opening", proc=proc)
                else:
                    wait_for_line(out, "add ", proc=proc, count=commits)
            except AssertionError as exc:
                proc.kill()
                raise AssertionError(f"seed {seed}, kill {i}: {exc}") from None
            time.sleep(rng.uniform(0, 0.01) if opening else rng.uniform(0, 0.05))
            stats["waited_for"] += commits
            proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, f"seed {seed}, kill {i}: writer ended by itself: {err}"
        assert "Traceback" not in err, f"seed {seed}, kill {i}: {err}"
        stats["kills"] += 1
        lines = out.read_text(encoding="utf-8").splitlines()
        if opening and "opened" not in lines:
            stats["while_opening"] += 1
        if any(line.startswith("try ") for line in lines):
            stats["while_writing"] += 1
        ledger.read(out)

        assert integrity(project) == "ok", f"seed {seed}, kill {i}"
        with open_project(project) as reopened:  # opens (recovering the WAL) with the real engine
            n = count_spans(reopened)
        present = span_uids(project)
        assert n == len(present)
        must_be_there = ledger.added - ledger.trydel
        missing = must_be_there - present
        assert not missing, f"seed {seed}, kill {i}: {len(missing)} committed spans lost"
        resurrected = ledger.deleted & present
        assert not resurrected, f"seed {seed}, kill {i}: deleted spans came back"
        assert present <= ledger.tried, f"seed {seed}, kill {i}: spans nobody wrote"
        unconfirmed = present - ledger.added
        assert len(unconfirmed) <= i + 1, f"seed {seed}, kill {i}: more than one unreported span per kill"
    stats["committed"] = len(ledger.added)
    return stats


def test_sigkill_while_writing_spans_loses_nothing(tmp_path: Path) -> None:
    s = seed()
    stats = _kill_loop(tmp_path, CI_KILLS, s)
    print(f"seed {s}: {stats}")
    assert stats["kills"] == CI_KILLS
    assert stats["committed"] >= stats["waited_for"] > 0, f"seed {s}: {stats}"
    writing = CI_KILLS - len(range(0, CI_KILLS, 5))
    assert stats["while_writing"] >= writing, f"seed {s}: kills meant for writing came too early: {stats}"
    assert stats["while_opening"] >= 1, f"seed {s}: no kill landed while the project was being opened: {stats}"


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="long kill loop: set ANNOTATOR_LONG=1")
def test_sigkill_long_loop(tmp_path: Path) -> None:
    s = seed()
    stats = _kill_loop(tmp_path, LONG_KILLS, s)
    assert stats["kills"] == LONG_KILLS
    assert stats["while_opening"] >= 1, f"seed {s}: {stats}"


def _schema_state(project: Path) -> str:
    """What a kill left: 'empty' (no file content), 'creating' (no committed schema yet) or 'complete'."""
    if not project.exists() or project.stat().st_size == 0:
        return "empty"
    con = sqlite3.connect(project)  # recovers the WAL as the next open would: committed work only
    try:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()
    return "complete" if "alembic_version" in tables else "creating"


def test_sigkill_while_creating_a_project(tmp_path: Path) -> None:
    """A kill during the very first open (schema creation) leaves a file the next open can finish.

    The moment: the new file's WAL has appeared (the writer set WAL mode; the schema is being created in
    its first write transaction). Kills go on until two landed before that transaction committed."""
    s = seed()
    rng = random.Random(s)
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    wanted, attempts = (2, 20) if not LONG else (20, 100)
    outcomes: list[str] = []
    for i in range(attempts):
        project = tmp_path / f"new{i}.db"
        wal = Path(f"{project}-wal")
        proc = subprocess.Popen(
            [sys.executable, "-m", "annotator", "--project", str(project), "status"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while not wal.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, 0.02))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, f"seed {s}, try {i}: finished before the kill"
        outcomes.append(_schema_state(project))
        with open_project(project) as reopened:
            assert count_spans(reopened) == 0
        assert integrity(project) == "ok", f"seed {s}, try {i}"
        con = sqlite3.connect(project)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
        con.close()
        if outcomes.count("creating") >= wanted:
            break
    print(f"seed {s}: kill outcomes {outcomes}")
    assert outcomes.count("creating") >= wanted, f"seed {s}: kills never landed inside schema creation: {outcomes}"
