"""A PostgreSQL server that stops answering, restarts, or refuses: never a hang, never "internal error".

`status` against a server stopped with SIGSTOP used to wait forever; a window open across a server
restart failed its next write; a server's refusal (permissions, a lock timeout) was an internal error.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import pytest

from annotator.core.codebook import load_codebook_file
from annotator.core.errors import UserError
from annotator.store.engine import open_project
from annotator.store.services import codebooks, documents, spans, status
from tests.pg.conftest import PgCluster
from tests.pg.helpers import REPO, THREATS, write_texts


def _cli(url: str, *args: str | Path, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", url, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=timeout,
    )
    return result, time.monotonic() - started


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if ln.strip()]
    return line


@pytest.fixture
def filled(pg_url: str, tmp_path: Path) -> str:
    with open_project(pg_url) as project:
        assert not documents.import_files(project, write_texts(tmp_path)).errors
        codebooks.load_codebook(project, load_codebook_file(THREATS), source=str(THREATS))
    return pg_url


def test_a_frozen_server_is_one_line_within_15_s(pg_cluster: PgCluster, filled: str) -> None:
    with pg_cluster.frozen():
        result, seconds = _cli(filled, "status", timeout=30)
    print(f"frozen server, status: {seconds:.1f} s")
    line = _one_line(result)
    assert f"the PostgreSQL server at 127.0.0.1:{pg_cluster.port} is not answering" in line, line
    assert seconds < 15, f"took {seconds:.1f} s"
    after, _ = _cli(filled, "status")  # and once it runs again, so does annotator
    assert after.returncode == 0, after.stderr


def test_a_running_window_gets_one_line_when_the_server_freezes(pg_cluster: PgCluster, filled: str) -> None:
    project = open_project(filled)  # the window's project: opened once, its connection pooled
    try:
        spans.add_span(project, document_id=1, acting_coder="anna", code_key="threat.terrorism", start=0, end=6)
        outcome: list[BaseException | None] = []

        def write() -> None:
            try:
                spans.add_span(project, document_id=1, acting_coder="anna", code_key="threat.terrorism", start=7, end=9)
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        with pg_cluster.frozen():
            started = time.monotonic()
            writer = threading.Thread(target=write, daemon=True)
            writer.start()
            writer.join(timeout=30)  # a hang must fail the test, not stop the suite
            seconds = time.monotonic() - started
        writer.join(timeout=60)
        print(f"frozen server, write in a running window: {seconds:.1f} s")
        assert seconds < 15, f"no answer after {seconds:.1f} s: {outcome}"
        [error] = outcome
        assert isinstance(error, UserError), repr(error)
        message = str(error)
        assert f"the PostgreSQL server at 127.0.0.1:{pg_cluster.port} is not answering" in message
        assert "\n" not in message
        # the server runs again: the same window's next write goes through
        spans.add_span(project, document_id=1, acting_coder="anna", code_key="threat.terrorism", start=7, end=9)
        assert status.project_counts(project)["spans"] == 2
    finally:
        project.close()


def test_a_restarted_server_does_not_fail_the_next_write(pg_cluster: PgCluster, filled: str) -> None:
    project = open_project(filled)
    try:
        spans.add_span(project, document_id=1, acting_coder="anna", code_key="threat.terrorism", start=0, end=6)
        pg_cluster.restart()  # closes the pooled connection from the server's side
        spans.add_span(project, document_id=1, acting_coder="anna", code_key="threat.terrorism", start=7, end=9)
        assert status.project_counts(project)["spans"] == 2
    finally:
        project.close()


def test_server_refusals_are_one_line(pg_cluster: PgCluster, filled: str, tmp_path: Path) -> None:
    database = filled.rsplit("/", 1)[1]
    pg_cluster.admin("DROP ROLE IF EXISTS reader")
    pg_cluster.admin("CREATE ROLE reader LOGIN")
    conn = psycopg2.connect(host="127.0.0.1", port=pg_cluster.port, user="postgres", dbname=database)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    reader = filled.replace("//postgres@", "//reader@")
    source = tmp_path / "spans.csv"
    source.write_text("document,coder,code,start,end\ncyr.txt,anna,threat.terrorism,0,6\n", encoding="utf-8")
    refused, _ = _cli(reader, "spans", "import", source)
    line = _one_line(refused)
    assert "permission denied" in line, line
    assert "nothing was changed" in line
    # A configurable lock_timeout: a table lock held elsewhere ends the wait with one line, not a hang.
    with conn.cursor() as cur:
        conn.autocommit = False
        cur.execute("LOCK TABLE span IN ACCESS EXCLUSIVE MODE")
        waited, seconds = _cli(f"{filled}?lock_timeout=500ms", "status")
        conn.rollback()
    conn.close()
    line = _one_line(waited)
    assert "lock timeout" in line, line
    assert seconds < 15


def test_a_slow_query_on_a_live_server_is_not_called_silent(pg_cluster: PgCluster, filled: str) -> None:
    """Knocking only tells a dead server from a busy one: a statement running 8 s still succeeds."""
    project = open_project(filled)
    outcome: list[object] = []

    def slow() -> None:
        try:
            with project.read() as s:
                outcome.append(s.connection().exec_driver_sql("SELECT 1 FROM pg_sleep(8)").scalar())
        except Exception as exc:
            outcome.append(exc)

    try:
        worker = threading.Thread(target=slow)
        worker.start()
        worker.join(timeout=60)
        assert outcome == [1], outcome
    finally:
        project.close()
