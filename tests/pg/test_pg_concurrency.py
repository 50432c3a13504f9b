"""Several writers on one PostgreSQL project at once, and timestamps on a server in another time zone.

On SQLite, `BEGIN IMMEDIATE` makes writers queue. On PostgreSQL (READ COMMITTED) two transactions could
both find "no coder named X" / "no such span yet" and then insert: one fails with a unique violation, or
a file imported twice at the same time is stored twice. These tests show writers queue there too.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from annotator.core.codebook import load_codebook_file
from annotator.core.spans import SpanRow
from annotator.store.engine import open_project
from annotator.store.models import utcnow
from annotator.store.services import codebooks, coders, documents, export, span_import, spans, status
from tests.pg.helpers import REPO, THREATS, find, stored, write_texts

WRITER = """
import sys, time
from pathlib import Path
from annotator.core.spans import SpanRow
from annotator.store.engine import open_project
from annotator.store.services import span_import, spans, status
url, me, go, n = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
p = open_project(url)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.01)
rows = [SpanRow(row=i + 2, document="cyr.txt", coder="shared", code="threat.terrorism", start=i, end=i + 3,
                memo="", text=None, uid=None) for i in range(n)]
for i in range(n):
    spans.add_span(p, document_id=1, acting_coder=me, code_key="threat.extremism", start=i, end=i + 1)
    # each writer its own passages for the shared coder: the same passage twice would be one span
    spans.add_span(p, document_id=2, acting_coder="shared", code_key="threat.terrorism", start=i,
                   end=i + (1 if me == "anna" else 2))
    status.set_status(p, 2, "shared", "done" if i % 2 else "in_progress")
    span_import.import_span_rows(p, rows[i:i + 2], "rows.csv")
p.close()
print("ok")
"""


def _fill(url, tmp_path):
    with open_project(url) as p:
        assert not documents.import_files(p, write_texts(tmp_path)).errors
        codebooks.load_codebook(p, load_codebook_file(THREATS), source=str(THREATS))


def _start(args, **kw):
    return subprocess.Popen(
        [sys.executable, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw
    )


def test_two_writer_processes_both_succeed(pg_url, tmp_path):
    _fill(pg_url, tmp_path)
    go, n = tmp_path / "go", 12
    procs = [_start(["-c", WRITER, pg_url, name, str(go), str(n)]) for name in ("anna", "ben")]
    for proc in procs:  # both have the project open and wait at the starting line
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.communicate(timeout=60)[1]
    go.touch()
    outs = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    with open_project(pg_url) as p:
        names = dict(coders.list_coders(p))
        # every add_span of both writers is stored; the shared coder was created once
        assert names == {"anna": n, "ben": n, "shared": 2 * n + n}
        # the same CSV rows imported by both writers at the same time are stored once
        assert len(spans.list_spans(p, coders=["shared"], document_ids=[1])) == n
        assert status.statuses(p, "shared")[2] in {"done", "in_progress"}


def test_writer_waits_for_another_open_write(pg_url, tmp_path):
    """B codes as a new coder while A's uncommitted transaction has just created that coder."""
    _fill(pg_url, tmp_path)
    a, b = open_project(pg_url), open_project(pg_url)
    busy: list[str] = []
    b.on_busy = busy.append
    errors: list[BaseException] = []
    results = []

    def code_in_b() -> None:
        try:
            results.append(
                spans.add_span(b, document_id=1, acting_coder="zed", code_key="threat.terrorism", start=0, end=6)
            )
        except BaseException as exc:
            errors.append(exc)

    try:
        with a.write() as s:
            coders.coder_id(s, "zed")
            thread = threading.Thread(target=code_in_b)
            thread.start()
            deadline = time.monotonic() + 60
            while not busy and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.01)  # the moment: B has found A's write under way and waits
            assert busy, f"B never waited for A: {errors or results}"
            assert thread.is_alive()  # B waits for A instead of failing or going ahead
        thread.join(30)
        assert errors == []
        assert results[0].coder == "zed"
        assert busy == [f"{b.display_name}: project busy, retrying..."]
        assert coders.list_coders(b) == [("zed", 1)]
    finally:
        a.close()
        b.close()


def test_first_open_by_two_processes(pg_url, tmp_path):
    """Two programs opening a new, empty database at once: the schema is created once, both open it."""
    code = (
        "import sys, time\nfrom pathlib import Path\nfrom annotator.store.engine import open_project\n"
        "print('ready', flush=True)\n"
        "while not Path(sys.argv[2]).exists():\n    time.sleep(0.005)\n"
        "open_project(sys.argv[1]).close()\n"
    )
    go = tmp_path / "go"
    procs = [_start(["-c", code, pg_url, str(go)]) for _ in range(2)]
    for proc in procs:  # both imported and waiting: they open the empty database at the same moment
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.communicate(timeout=60)[1]
    go.touch()
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    with open_project(pg_url) as p:
        assert status.project_counts(p)["documents"] == 0


def test_timestamps_stay_utc_on_a_server_in_another_zone(pg_cluster, tmp_path):
    url = pg_cluster.new_database("almaty")
    pg_cluster.admin(f"ALTER DATABASE \"{url.rsplit('/', 1)[1]}\" SET timezone TO 'Asia/Almaty'")
    _fill(url, tmp_path)
    with open_project(url) as p:
        body = stored("cyr.txt")
        start, end = find(body, "терроризма")
        before = utcnow()
        added = spans.add_span(p, document_id=1, acting_coder="anna", code_key="threat.terrorism", start=start, end=end)
        after = utcnow()
        stored_rec = spans.list_spans(p)[0]
        assert before <= stored_rec.created_at <= after, (before, stored_rec.created_at)
        assert stored_rec.created_at == added.created_at
        row = dict(zip(export.export_columns(p), next(export.iter_export_tuples(p)), strict=True))
        assert row["created_at"] == export.iso(added.created_at)
        assert documents.list_documents(p)[0].imported_at <= after
        assert (
            span_import.import_span_rows(
                p,
                [
                    SpanRow(
                        row=2,
                        document="cyr.txt",
                        coder="ben",
                        code="threat.terrorism",
                        start=start,
                        end=end,
                        memo="",
                        text=None,
                        uid=None,
                    )
                ],
                "x",
            ).added
            == 1
        )
