"""Two windows on one project: concurrent writers all succeed, or wait with a clear 'project busy' line."""

from __future__ import annotations

import csv
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
    cli,
    hold_write_lock,
    integrity,
    make_project,
    span_uids,
    wait_for_lines,
)

N = 400 if LONG else 120


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    make_project(path)
    return path


def _writer(project: Path, coder: str, out: Path, count: int, seed: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(SPAN_WRITER), str(project), "--coder", coder, "--count", str(count), "--seed", str(seed)],
        stdout=out.open("w", encoding="utf-8"),
        stderr=subprocess.PIPE,
        text=True,
    )


def _added(out: Path) -> set[str]:
    return {line.split()[1] for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("add ")}


def test_two_processes_write_spans_at_once(project: Path, tmp_path: Path) -> None:
    writers = [_writer(project, f"coder{i}", tmp_path / f"w{i}.txt", N, i) for i in range(2)]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    for w, err in zip(writers, errors, strict=True):
        assert w.returncode == 0, err
        assert "locked" not in err, err
        assert "Traceback" not in err, err
        assert all(line.endswith("project busy, retrying...") for line in err.splitlines()), err
    reported = _added(tmp_path / "w0.txt") | _added(tmp_path / "w1.txt")
    assert len(reported) == 2 * N
    assert span_uids(project) == reported
    assert integrity(project) == "ok"


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
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "annotator", "--project", str(project), "spans", "import", str(src)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for src in sources
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "imported 3000 spans" in out
        assert "locked" not in err
        assert "Traceback" not in err
    assert len(span_uids(project)) == 6000


def test_cli_waits_for_a_held_write_lock_then_succeeds(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "one.csv"
    source.write_text("document,coder,code,start,end\nspeech.txt,ana,response,0,6\n", encoding="utf-8")
    holder = hold_write_lock(project, 3.0)
    started = time.monotonic()
    result = cli("spans", "import", source, project=project)
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert "project busy, retrying" in result.stderr
    assert result.stderr.count("project busy") == 1, "say it once, not once per retry"
    assert "locked" not in result.stderr
    assert "Traceback" not in result.stderr
    assert "imported 1 spans" in result.stdout
    assert waited > 2.0
    assert len(span_uids(project)) == 1


def test_span_writer_waits_for_a_lock_taken_mid_stream(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "w.txt"
    writer = _writer(project, "ana", out, 200, 7)
    wait_for_lines(out, 1)
    holder = hold_write_lock(project, 2.5)  # grabbed between two of the writer's transactions
    _, err = writer.communicate(timeout=60)
    holder.wait(timeout=30)
    assert writer.returncode == 0, err
    assert "project busy, retrying" in err
    assert len(_added(out)) == 200


def test_giving_up_after_the_wait_limit_is_a_clear_error(project: Path) -> None:
    holder = hold_write_lock(project, 4.0)
    messages: list[str] = []
    try:
        with (
            open_project(project, on_busy=messages.append, busy_wait_seconds=1.5) as p,
            pytest.raises(ProjectBusy) as info,
        ):
            add_span(p, document_id=1, acting_coder="ana", code_key="response", start=0, end=4)
    finally:
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
