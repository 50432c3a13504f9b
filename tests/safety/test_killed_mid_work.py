"""Killed mid-work: SIGKILL a process that keeps writing spans; nothing reported as saved may be lost.

CI runs a bounded number of kills; `ANNOTATOR_LONG=1 pytest -m slow tests/safety` runs the long loops.
Set ANNOTATOR_SEED to replay a run (the seed is in every failure message).
"""

from __future__ import annotations

import os
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
from tests.safety.helpers import LONG, SPAN_WRITER, integrity, make_project, span_uids, wait_for_lines

CI_KILLS = 15
LONG_KILLS = 300


def _seed() -> int:
    return int(os.environ.get("ANNOTATOR_SEED", random.randrange(1_000_000)))


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
    rng = random.Random(seed)
    project = tmp_path / "p.db"
    make_project(project)
    ledger = Ledger()
    stats = {"kills": 0, "during_startup": 0, "committed": 0}
    for i in range(kills):
        out = tmp_path / f"out{i}.txt"
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
            if rng.random() < 0.2:  # anywhere: imports, opening (and WAL recovery after the last kill)
                time.sleep(rng.uniform(0, 0.8))
                stats["during_startup"] += 1
            else:  # while spans are being written
                try:
                    wait_for_lines(out, 1, proc=proc)
                except AssertionError as exc:
                    proc.kill()
                    raise AssertionError(f"seed {seed}, kill {i}: {exc}") from None
                time.sleep(rng.uniform(0, 0.3))
            proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, f"seed {seed}, kill {i}: writer ended by itself: {err}"
        assert "Traceback" not in err, f"seed {seed}, kill {i}: {err}"
        stats["kills"] += 1
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
    seed = _seed()
    stats = _kill_loop(tmp_path, CI_KILLS, seed)
    assert stats["kills"] == CI_KILLS
    assert stats["committed"] > CI_KILLS, f"seed {seed}: writers hardly wrote anything: {stats}"


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="long kill loop: set ANNOTATOR_LONG=1")
def test_sigkill_long_loop(tmp_path: Path) -> None:
    seed = _seed()
    stats = _kill_loop(tmp_path, LONG_KILLS, seed)
    assert stats["kills"] == LONG_KILLS


def test_sigkill_while_creating_a_project(tmp_path: Path) -> None:
    """A kill during the very first open (schema creation) leaves a file the next open can finish."""
    rng = random.Random(_seed())
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    for i in range(4 if not LONG else 40):
        project = tmp_path / f"new{i}.db"
        proc = subprocess.Popen(
            [sys.executable, "-m", "annotator", "--project", str(project), "status"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with open_project(project) as reopened:
            assert count_spans(reopened) == 0
        assert integrity(project) == "ok"
        con = sqlite3.connect(project)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
        con.close()
