"""Spans that do not fit their document (issue 11, item 11), as only an outside edit can make them.

Nothing stopped a span whose end is past its document's length (inserted through SQL, or merged from a
tampered project), and `export qdpx` then crashed. Now the export leaves such a span out and names it,
and merge re-checks every span against its document's text and refuses a project that has one.
(Spans CSV and REFI-QDA imports already check offsets: see tests/cli and tests/core/exchange. On
PostgreSQL a constraint trigger refuses such a span outright: tests/pg/test_pg_schema.py.)
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

from annotator.core.exchange.refi_qda import read_qdpx
from tests.safety.helpers import DOC_TEXT, assert_clean_error, cli, dump, make_project


def _project_with_spans(path: Path) -> None:
    make_project(path)
    for coder, start, end in (("anna", 7, 17), ("boris", 0, 6)):
        table = path.with_name(f"{coder}.csv")
        table.write_text(f"document,coder,code,start,end\nspeech.txt,{coder},threat.terror,{start},{end}\n", "utf-8")
        assert cli("spans", "import", table, project=path).returncode == 0


def _tamper(path: Path) -> None:
    """What an outside SQL edit can do: move a span's end past its document's text."""
    con = sqlite3.connect(path)
    with con:
        changed = con.execute(
            "UPDATE span SET \"end\" = ? WHERE coder_id = (SELECT id FROM coder WHERE name = 'boris')",
            (len(DOC_TEXT) + 25,),
        ).rowcount
    con.close()
    assert changed == 1


def test_qdpx_export_leaves_out_a_span_past_the_end_and_says_so(tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    _project_with_spans(project)
    _tamper(project)
    out = tmp_path / "out.qdpx"
    result = cli("export", "qdpx", out, project=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    [warning] = result.stderr.strip().splitlines()
    assert "(boris, threat.terror) in 'speech.txt' left out: end (" in warning
    assert "beyond the document's length" in warning
    assert "1 span(s) left out" in result.stdout
    qda = read_qdpx(out)
    assert [(s.start, s.end) for s in qda.selections] == [(7, 17)]
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None


def test_merge_refuses_a_project_with_a_span_past_the_end(tmp_path: Path) -> None:
    target, other = tmp_path / "supervisor.db", tmp_path / "coder.db"
    make_project(target)
    _project_with_spans(other)
    _tamper(other)
    before = dump(target)
    result = cli("merge", other, project=target)
    assert_clean_error(result)
    assert f"{other}: span " in result.stderr
    assert "of boris (threat.terror) in 'speech.txt': end (" in result.stderr
    assert "merge refused, nothing changed" in result.stderr
    assert dump(target) == before
    assert not list(tmp_path.glob("supervisor.pre-merge-*"))
