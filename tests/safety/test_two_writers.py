"""Two windows on one project: concurrent writers all succeed, or wait with a clear 'project busy' line."""

from __future__ import annotations

import csv
import itertools
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.store.engine import ProjectBusy, open_project
from annotator.store.services.spans import add_span, count_spans
from tests.safety.helpers import (
    LONG,
    SPAN_WRITER,
    hold_write_lock,
    integrity,
    make_project,
    seed,
    span_uids,
    wait_for_line,
)

N = 400 if LONG else 120


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    make_project(path)
    return path


def _writer(project: Path, coder: str, out: Path, count: int, seed: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            str(SPAN_WRITER),
            str(project),
            "--coder",
            coder,
            "--count",
            str(count),
            "--seed",
            str(seed),
            *extra,
        ],
        stdout=out.open("w", encoding="utf-8"),
        stderr=subprocess.PIPE,
        text=True,
    )


def _added(out: Path) -> set[str]:
    return {line.split()[1] for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("add ")}


def _coder_switches(project: Path) -> int:
    """How often the coder changes along the spans in commit (id) order: 1 means one writer went first."""
    con = sqlite3.connect(project)
    try:
        order = [row[0] for row in con.execute("SELECT coder_id FROM span ORDER BY id")]
    finally:
        con.close()
    return sum(1 for a, b in itertools.pairwise(order) if a != b)


def test_two_processes_write_spans_at_once(project: Path, tmp_path: Path) -> None:
    s = seed()
    go = tmp_path / "go"
    outs = [tmp_path / f"w{i}.txt" for i in range(2)]
    writers = [_writer(project, f"coder{i}", outs[i], N, s + i, "--wait-for", str(go)) for i in range(2)]
    for out, w in zip(outs, writers, strict=True):  # both at the starting line, project open
        wait_for_line(out, "waiting", proc=w)
    go.touch()
    errors = [w.communicate(timeout=120)[1] for w in writers]
    for w, err in zip(writers, errors, strict=True):
        assert w.returncode == 0, f"seed {s}: {err}"
        assert "locked" not in err, err
        assert "Traceback" not in err, err
        assert all(line.endswith("project busy, retrying...") for line in err.splitlines()), err
    reported = _added(outs[0]) | _added(outs[1])
    assert len(reported) == 2 * N
    assert span_uids(project) == reported
    assert integrity(project) == "ok"
    switches = _coder_switches(project)
    assert switches > 2, f"seed {s}: the writers took turns only {switches} times; they did not write at once"


def test_two_cli_imports_at_once_both_land(project: Path, tmp_path: Path) -> None:
    sources = []
    for i in range(2):
        path = tmp_path / f"spans{i}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["document", "coder", "code", "start", "end"])
            for j in range(3000):
                out.writerow(["speech.txt", f"importer{i}", "response", j, j + 3])
        sources.append(path)
    release = tmp_path / "release"
    holder = hold_write_lock(project, 120, release)  # both importers must meet at the lock
    errs = [tmp_path / f"err{i}.txt" for i in range(2)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "annotator", "--project", str(project), "spans", "import", str(src)],
            stdout=subprocess.PIPE,
            stderr=err.open("w", encoding="utf-8"),
            text=True,
        )
        for src, err in zip(sources, errs, strict=True)
    ]
    for err, proc in zip(errs, procs, strict=True):  # the moment: both are waiting for the write lock
        wait_for_line(err, f"{project}: project busy, retrying", proc=proc)
    release.touch()
    results = [p.communicate(timeout=120)[0] for p in procs]
    holder.wait(timeout=30)
    for p, out, err in zip(procs, results, errs, strict=True):
        text = err.read_text(encoding="utf-8")
        assert p.returncode == 0, text
        assert "imported 3000 spans" in out
        assert "locked" not in text
        assert "Traceback" not in text
    assert len(span_uids(project)) == 6000


def test_cli_waits_for_a_held_write_lock_then_succeeds(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "one.csv"
    source.write_text("document,coder,code,start,end\nspeech.txt,ana,response,0,6\n", encoding="utf-8")
    release = tmp_path / "release"
    holder = hold_write_lock(project, 120, release)
    err = tmp_path / "err.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(project), "spans", "import", str(source)],
        stdout=subprocess.PIPE,
        stderr=err.open("w", encoding="utf-8"),
        text=True,
    )
    wait_for_line(err, f"{project}: project busy, retrying", proc=proc)  # the moment: it waits for the lock
    time.sleep(1.5)  # and keeps waiting quietly
    assert proc.poll() is None, "the command must wait for the lock, not give up"
    release.touch()
    out, _ = proc.communicate(timeout=60)
    holder.wait(timeout=30)
    stderr = err.read_text(encoding="utf-8")
    assert proc.returncode == 0, stderr
    assert stderr.count("project busy") == 1, "say it once, not once per retry"
    assert "locked" not in stderr
    assert "Traceback" not in stderr
    assert "imported 1 spans" in out
    assert len(span_uids(project)) == 1


def test_span_writer_waits_for_a_lock_taken_mid_stream(project: Path, tmp_path: Path) -> None:
    s = seed()
    out, go = tmp_path / "w.txt", tmp_path / "go"
    writer = _writer(project, "ana", out, 200, s, "--wait-for", str(go), "--after", "5")
    wait_for_line(out, "waiting", proc=writer)  # 5 spans written, the writer holds no transaction
    holder = hold_write_lock(project, 2.5)  # the lock is taken mid-stream, before the writer goes on
    go.touch()
    _, err = writer.communicate(timeout=60)
    holder.wait(timeout=30)
    assert writer.returncode == 0, f"seed {s}: {err}"
    assert "project busy, retrying" in err, f"seed {s}: the writer never met the lock"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines.index("waiting") == 2 + 2 * 5, f"seed {s}: paused after five spans"
    assert len(_added(out)) == 200


def test_giving_up_after_the_wait_limit_is_a_clear_error(project: Path, tmp_path: Path) -> None:
    release = tmp_path / "release"
    holder = hold_write_lock(project, 120, release)  # held until the test has seen the give-up
    messages: list[str] = []
    try:
        with (
            open_project(project, on_busy=messages.append, busy_wait_seconds=1.5) as p,
            pytest.raises(ProjectBusy) as info,
        ):
            add_span(p, document_id=1, acting_coder="ana", code_key="response", start=0, end=4)
    finally:
        release.touch()
        holder.wait(timeout=30)
    assert isinstance(info.value, UserError)
    message = str(info.value)
    assert "\n" not in message
    assert "project busy" in message
    assert "try again" in message
    assert "locked" not in message
    assert messages
    assert "project busy, retrying" in messages[0]
    with open_project(project) as p:  # the lock is gone now: the same write goes through
        add_span(p, document_id=1, acting_coder="ana", code_key="response", start=0, end=4)
        assert count_spans(p) == 1
