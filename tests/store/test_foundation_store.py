"""The project store opened for real: pragmas, migrations, reopen, URLs, services, all-or-nothing imports."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from annotator.core.codebook import parse_codebook
from annotator.core.errors import UserError
from annotator.core.spans import SpanRow
from annotator.store.engine import MIGRATIONS, open_project
from annotator.store.services import codebooks, coders, documents, span_import, spans, status

CODEBOOK_V1 = """\
title: Test
version: 1
codes:
  - key: threat
    name: Threat
    codable: false
    children:
      - key: threat.terror
        name: Terrorism
      - key: threat.crime
        name: Crime
  - key: source
    name: Source
"""

TEXTS = {
    "cyr.txt": "Угроза терроризма 🙂 и e\u0301 экстремизма.\nВторая строка.\n",
    "emoji.txt": "👍🏽 family 👨‍👩‍👧 flag 🇷🇺 end",
    "crlf.txt": "line one\r\nline two\rline three\r\n",
}


@pytest.fixture
def project(tmp_path):
    p = open_project(tmp_path / "p.db")
    yield p
    p.close()


@pytest.fixture
def filled(project, tmp_path):
    for name, content in TEXTS.items():
        (tmp_path / name).write_bytes(content.encode("utf-8"))
    report = documents.import_files(project, [tmp_path / n for n in TEXTS])
    assert report.errors == []
    codebooks.load_codebook(project, parse_codebook(CODEBOOK_V1, "v1.yaml"), source="v1.yaml")
    return project


def _doc(project, name):
    info = documents.find_document(project, name)
    return info.id, documents.document_text(project, info.id)


def test_pragmas_through_a_project_connection(project):
    with project.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar().lower() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with project.read() as s:
        assert s.connection().execute(text("PRAGMA foreign_keys")).scalar() == 1
    with project.write() as s:
        assert s.connection().execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_enforced(project):
    with pytest.raises(Exception, match="FOREIGN KEY"), project.write() as s:
        s.connection().execute(
            text(
                'INSERT INTO span (uid, document_id, coder_id, code_id, start, "end", memo, created_at, updated_at) '
                "VALUES ('x', 999, 999, 999, 0, 1, '', '2024-01-01', '2024-01-01')"
            )
        )


def test_alembic_at_head_and_reopen(tmp_path, project):
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    project.close()
    with sqlite3.connect(tmp_path / "p.db") as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    again = open_project(tmp_path / "p.db")
    second = open_project(str(tmp_path / "p.db"))  # two open at once
    assert again.backup_made is None  # nothing to migrate, no backup
    assert status.project_counts(again) == status.project_counts(second)
    again.close()
    second.close()


def test_sqlalchemy_url(tmp_path):
    p = open_project(f"sqlite:///{tmp_path / 'url.db'}")
    assert p.path == tmp_path / "url.db"
    assert status.project_counts(p)["documents"] == 0
    p.close()
    assert (tmp_path / "url.db").exists()


def test_not_a_project_file(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("just text", encoding="utf-8")
    with pytest.raises(UserError, match="not an annotator project"):
        open_project(bad)
    with pytest.raises(UserError, match="does not exist"):
        open_project(tmp_path / "no" / "such" / "dir.db")


def test_stored_text_and_duplicates(filled, tmp_path):
    for name, content in TEXTS.items():
        _, stored = _doc(filled, name)
        assert stored == content.replace("\r\n", "\n").replace("\r", "\n")
    info = documents.find_document(filled, "cyr.txt")
    assert info.sha256
    assert info.length == len(TEXTS["cyr.txt"])
    copy = tmp_path / "copy.txt"
    copy.write_bytes(TEXTS["cyr.txt"].encode("utf-8"))
    report = documents.import_files(filled, [copy])
    assert report.imported == []
    assert "identical text is already in the project as 'cyr.txt'" in report.errors[0]
    other = tmp_path / "sub"
    other.mkdir()
    (other / "cyr.txt").write_text("different content", encoding="utf-8")
    report = documents.import_files(filled, [other / "cyr.txt"])
    assert "already exists" in report.errors[0]
    assert "--name" in report.errors[0]
    report = documents.import_files(filled, [other / "cyr.txt"], name="cyr-2", attributes={"speaker": "X"})
    assert [d.name for d in report.imported] == ["cyr-2"]
    assert documents.find_document(filled, "cyr-2").attributes == {"speaker": "X"}


def test_spans_unicode_offsets_are_code_points(filled):
    doc_id, text_ = _doc(filled, "cyr.txt")
    start = text_.index("🙂")
    span = spans.add_span(
        filled, document_id=doc_id, acting_coder="alice", code_key="threat.terror", start=start, end=start + 1
    )
    assert text_[span.start : span.end] == "🙂"
    e_start = text_.index("e\u0301")
    rows = [
        SpanRow(
            row=2, document="cyr.txt", coder="bob", code="threat.crime", start=e_start, end=e_start + 2, text="e\u0301"
        ),
        SpanRow(row=3, document="emoji.txt", coder="bob", code="source", start=0, end=2, text="👍🏽"),
        SpanRow(row=4, document="crlf.txt", coder="bob", code="source", start=5, end=13, text="one\nline"),
    ]
    assert span_import.import_span_rows(filled, rows, "s.csv").added == 3
    assert span_import.import_span_rows(filled, rows, "s.csv").added == 0  # same spans again: skipped
    by_doc = {r.document: r for r in spans.list_spans(filled, coders=["bob"])}
    assert by_doc["crlf.txt"].start == 5
    assert coders.list_coders(filled) == [("alice", 1), ("bob", 3)]


def test_spans_import_all_or_nothing(filled):
    _doc_id, text_ = _doc(filled, "cyr.txt")
    good = SpanRow(row=2, document="cyr.txt", coder="carol", code="threat.terror", start=0, end=6)
    bad = [
        good,
        SpanRow(row=3, document="cyr.txt", coder="carol", code="nope", start=0, end=6),
        SpanRow(row=4, document="missing.txt", coder="carol", code="source", start=0, end=1),
        SpanRow(row=5, document="cyr.txt", coder="carol", code="source", start=0, end=len(text_) + 1),
        SpanRow(row=6, document="cyr.txt", coder="carol", code="source", start=0, end=3, text="XYZ"),
        SpanRow(row=7, document="cyr.txt", coder="carol", code="threat", start=0, end=3),
        SpanRow(row=8, document="cyr.txt", coder="carol", code="source", start=4, end=2),
        SpanRow(row=9, document="cyr.txt", coder="carol", code="source", start=-1, end=2),
    ]
    with pytest.raises(UserError) as info:
        span_import.import_span_rows(filled, bad, "s.csv")
    message = str(info.value)
    for row, fragment in [
        (3, "unknown code 'nope'"),
        (4, "unknown document 'missing.txt'"),
        (5, "beyond"),
        (6, "text column does not match"),
        (7, "grouping"),
        (8, "greater than start"),
        (9, "negative"),
    ]:
        assert any(line.startswith(f"s.csv: row {row}: ") and fragment in line for line in message.splitlines()), (
            row,
            message,
        )
    assert "row 2" not in message
    assert "nothing imported" in message
    assert spans.count_spans(filled) == 0
    assert coders.list_coders(filled) == []  # carol was not created either


def test_codebook_reload_keeps_spans(filled):
    doc_id, _ = _doc(filled, "cyr.txt")
    span = spans.add_span(filled, document_id=doc_id, acting_coder="alice", code_key="threat.terror", start=0, end=6)
    v2 = (
        CODEBOOK_V1.replace("name: Terrorism", 'name: Terrorism (renamed)\n        color: "#112233"').replace(
            "version: 1", "version: 2"
        )
        + "  - key: response\n    name: Response\n"
    )
    report = codebooks.load_codebook(filled, parse_codebook(v2, "v2.yaml"), source="v2.yaml")
    assert report.added == ["response"]
    assert "threat.terror" in report.updated
    [after] = spans.list_spans(filled)
    assert (after.id, after.uid, after.code_key) == (span.id, span.uid, "threat.terror")
    book = codebooks.get_codebook(filled)
    terror = next(c for c in book.iter_codes() if c.key == "threat.terror")
    assert (terror.name, terror.color, terror.parent_key) == ("Terrorism (renamed)", "#112233", "threat")


def test_removing_used_code_refused(filled):
    doc_id, _ = _doc(filled, "cyr.txt")
    for start in (0, 7):
        spans.add_span(
            filled, document_id=doc_id, acting_coder="alice", code_key="threat.terror", start=start, end=start + 3
        )
    v3 = CODEBOOK_V1.replace("      - key: threat.terror\n        name: Terrorism\n", "").replace(
        "  - key: source\n    name: Source\n", ""
    )
    before = status.project_counts(filled)
    with pytest.raises(UserError, match=r"'threat.terror' \(2 spans\)"):
        codebooks.load_codebook(filled, parse_codebook(v3, "v3.yaml"), source="v3.yaml")
    assert status.project_counts(filled) == before
    assert codebooks.get_codebook(filled).title == "Test"
    # an unused code may go: 'source' has no spans
    v4 = CODEBOOK_V1.replace("  - key: source\n    name: Source\n", "")
    report = codebooks.load_codebook(filled, parse_codebook(v4, "v4.yaml"), source="v4.yaml")
    assert report.removed == ["source"]
    assert spans.count_spans(filled) == 2


def test_status_and_counts(filled):
    doc_id, _ = _doc(filled, "emoji.txt")
    spans.add_span(filled, document_id=doc_id, acting_coder="alice", code_key="source", start=0, end=2)
    assert status.statuses(filled, "alice") == {doc_id: "in_progress"}
    assert status.set_status(filled, doc_id, "alice", "done") == "in_progress"
    assert status.statuses(filled, "alice") == {doc_id: "done"}
    with pytest.raises(UserError, match="unknown status"):
        status.set_status(filled, doc_id, "alice", "finished")
    assert status.span_counts(filled) == {doc_id: 1}
    assert status.project_counts(filled) == {"documents": 3, "codes": 4, "coders": 1, "spans": 1}


def test_text_cell_composition_and_line_breaks(filled):
    _, text_ = _doc(filled, "cyr.txt")
    e = text_.index("e\u0301")
    composed = SpanRow(row=2, document="cyr.txt", coder="bob", code="source", start=e, end=e + 2, text="\u00e9")
    with pytest.raises(UserError, match="composed differently"):
        span_import.import_span_rows(filled, [composed], "s.csv")
    nl = text_.index("\n")
    crlf_cell = SpanRow(row=2, document="cyr.txt", coder="bob", code="source", start=nl - 1, end=nl + 2, text=".\r\nВ")
    assert span_import.import_span_rows(filled, [crlf_cell], "s.csv").added == 1


def test_reload_keeps_palette_colours(filled):
    before = {c.key: c.color for c in codebooks.get_codebook(filled).iter_codes()}
    v2 = CODEBOOK_V1.replace("codes:\n", "codes:\n  - key: first\n    name: New first code\n", 1).replace(
        "name: Crime", 'name: Crime\n        color: "#abcdef"'
    )
    codebooks.load_codebook(filled, parse_codebook(v2, "v2.yaml"), source="v2.yaml")
    after = {c.key: c.color for c in codebooks.get_codebook(filled).iter_codes()}
    assert after["threat.crime"] == "#abcdef"
    for key in ("threat", "threat.terror", "source"):
        assert after[key] == before[key], key
