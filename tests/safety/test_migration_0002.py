"""Schema 0002 on a project made by the release before it (tests/fixtures/project_0001_duplicates.db).

That release let the same span be stored twice and kept hand-made span ids; opening the project with
today's code backs it up, folds the duplicates (memos joined) and says how many, makes span ids UUIDs,
and gives the tables their delete rules, the status CHECK and the new indexes. Checked with the command
line as a user opens a project, then with plain sqlite3.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.span_identity import canonical_uid
from annotator.store.engine import open_project
from annotator.store.services import spans
from tests.safety.helpers import cli, dump, integrity

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "project_0001_duplicates.db"


@pytest.fixture
def old(tmp_path: Path) -> Path:
    target = tmp_path / "release 0001.db"
    shutil.copy(FIXTURE, target)
    return target


def _rows(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _spans(path: Path) -> list[tuple]:
    return _rows(
        path,
        'SELECT s.uid, d.name, c.name, k.key, s.start, s."end", s.memo FROM span s JOIN document d ON '
        "d.id = s.document_id JOIN coder c ON c.id = s.coder_id JOIN code k ON k.id = s.code_id ORDER BY s.id",
    )


def test_fixture_is_still_from_the_0001_release() -> None:
    assert _rows(FIXTURE, "SELECT version_num FROM alembic_version") == [("0001",)]
    assert _rows(FIXTURE, "SELECT count(*) FROM span") == [(9,)]


def test_upgrade_folds_duplicates_reports_them_and_keeps_a_backup(old: Path) -> None:
    before_spans = _spans(old)
    before = dump(old)
    result = cli("status", project=old)
    assert result.returncode == 0, result.stderr
    assert "spans: 6" in result.stdout
    assert (
        "schema upgrade: 3 duplicate span(s) (same document, coder, code, start and end) folded into the "
        "oldest of each, their memos joined" in result.stderr
    )
    assert "schema upgrade: 2 span id(s) rewritten as UUIDs" in result.stderr
    [backup] = old.parent.glob("release 0001.pre-migration-*.db")
    assert dump(backup) == before, "the backup is the project as the old release left it"
    after = _spans(old)
    first, _second, _third, respond, _copy, boris, crime, v1, v2 = before_spans
    assert (
        after
        == [
            (first[0], *first[1:6], "first\n\nsecond 😀"),  # three spans, two different memos
            respond,
            boris,
            crime,
            (canonical_uid("v-1"), *v1[1:]),
            (canonical_uid("v-2"), *v2[1:]),
        ]
    )
    assert _rows(old, "SELECT version_num FROM alembic_version") == [("0002",)]
    assert integrity(old) == "ok"
    assert _rows(old, "PRAGMA foreign_key_check") == []


def test_upgraded_schema_has_the_rules(old: Path) -> None:
    assert cli("status", project=old).returncode == 0
    indexes = {name for (name,) in _rows(old, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {
        "uq_span_identity",
        "ix_span_document_start",
        "ix_span_uid",
        "ix_span_coder_id",
        "ix_span_code_id",
    } <= indexes
    assert not indexes & {"ix_span_document_id", "ix_span_document_coder", "ix_document_status_document_id"}
    assert _rows(old, "PRAGMA index_info(ix_span_document_start)") == [(0, 2, "document_id"), (1, 5, "start")]
    rules = {
        (table, row[3]): row[6] for table in ("span", "code") for row in _rows(old, f"PRAGMA foreign_key_list({table})")
    }
    assert rules == {
        ("span", "document_id"): "RESTRICT",
        ("span", "coder_id"): "RESTRICT",
        ("span", "code_id"): "RESTRICT",
        ("code", "codebook_id"): "NO ACTION",
        ("code", "parent_id"): "SET NULL",
    }
    con = sqlite3.connect(old)
    con.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        con.execute("DELETE FROM document WHERE name = 'report.txt'")  # it has spans
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        con.execute("DELETE FROM coder WHERE name = 'vera'")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        con.execute("UPDATE document_status SET status = 'finished'")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        con.execute(
            'INSERT INTO span (uid, document_id, coder_id, code_id, start, "end", memo, created_at, updated_at) '
            "SELECT 'x', document_id, coder_id, code_id, start, \"end\", 'copy', created_at, updated_at "
            "FROM span LIMIT 1"
        )
    con.execute("DELETE FROM span WHERE code_id IN (SELECT id FROM code WHERE key LIKE 'threat.%')")
    con.execute("DELETE FROM code WHERE key = 'threat'")  # a parent: its children move to the top
    assert con.execute("SELECT key, parent_id FROM code WHERE key LIKE 'threat.%' ORDER BY key").fetchall() == [
        ("threat.crime", None),
        ("threat.terror", None),
    ]
    con.close()


def test_after_the_upgrade_an_identical_span_is_refused_with_a_message(old: Path) -> None:
    assert cli("status", project=old).returncode == 0
    with open_project(old) as project:
        existing = next(s for s in spans.list_spans(project) if s.coder == "ana" and s.code_key == "response")
        with pytest.raises(UserError, match="already has this code from this coder"):
            spans.add_span(
                project,
                document_id=existing.document_id,
                acting_coder="ana",
                code_key="response",
                start=existing.start,
                end=existing.end,
            )
        terror = next(s for s in spans.list_spans(project) if s.coder == "ana" and s.code_key == "threat.terror")
        with pytest.raises(UserError, match="already has this code from this coder"):  # moved onto its twin
            spans.update_span(
                project,
                existing.id or 0,
                acting_coder="ana",
                code_key="threat.terror",
                start=terror.start,
                end=terror.end,
            )
        assert len(spans.list_spans(project)) == 6
