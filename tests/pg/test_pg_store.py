"""The project store on a real PostgreSQL: migrations, Unicode offsets, spans, imports, statuses, exports."""

from __future__ import annotations

import csv

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from annotator.core.codebook import load_codebook_file
from annotator.core.errors import UserError
from annotator.core.spans import SpanRow
from annotator.store.engine import MIGRATIONS, open_project
from annotator.store.services import (
    agreement,
    codebooks,
    coders,
    documents,
    export,
    gui_support,
    span_import,
    spans,
    status,
)
from tests.pg.helpers import TEXTS, THREATS, find, stored, write_texts


@pytest.fixture
def project(pg_url):
    p = open_project(pg_url)
    yield p
    p.close()


@pytest.fixture
def filled(project, tmp_path):
    report = documents.import_files(project, write_texts(tmp_path), attributes={"outlet": "Известия"})
    assert report.errors == []
    codebooks.load_codebook(project, load_codebook_file(THREATS), source=str(THREATS))
    return project


def _doc(project, name):
    info = documents.find_document(project, name)
    return info.id, documents.document_text(project, info.id)


def test_open_runs_migrations_to_head_and_reopens(pg_url):
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    with open_project(pg_url) as p:
        assert not p.is_sqlite
        assert p.path is None
        assert p.backup_made is None
        assert "postgresql" in p.display_name
        with p.read() as s:
            conn = s.connection()
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head
            tables = set(inspect(conn).get_table_names())
    assert {"document", "codebook", "code", "coder", "span", "document_status"} <= tables
    with open_project(pg_url) as p:  # a second open finds the schema current and changes nothing
        assert status.project_counts(p) == {"documents": 0, "codes": 0, "coders": 0, "spans": 0}


def test_unicode_text_and_code_point_lengths(filled):
    with filled.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"
        db_lengths = dict(conn.execute(text("SELECT name, length(text) FROM document")).all())
    infos = {d.name: d for d in documents.list_documents(filled)}
    assert [d for d in infos] == list(TEXTS)  # import order kept
    for name in TEXTS:
        body = documents.document_text(filled, infos[name].id)
        assert body == stored(name)  # CR LF normalised, nothing else changed (combining marks, ZWJ kept)
        # PostgreSQL's length() counts characters = code points, not bytes or UTF-16 units
        assert infos[name].length == db_lengths[name] == len(body)
        assert infos[name].attributes == {"outlet": "Известия"}
    assert len(stored("emoji.txt").encode("utf-16-le")) // 2 > len(stored("emoji.txt"))


def test_duplicate_import_refused(filled, tmp_path):
    again = tmp_path / "again"
    again.mkdir()
    report = documents.import_files(filled, write_texts(again)[:1])
    assert report.imported == []
    assert "already in the project" in report.errors[0]


def test_codebook_loaded(filled):
    book = codebooks.get_codebook(filled)
    keys = {c.key for c in book.iter_codes()}
    assert {"threat.terrorism", "threat.illegal_migration", "threat.organised_crime"} <= keys
    assert status.project_counts(filled)["codes"] == len(keys)
    # loading the same codebook again keeps everything
    codebooks.load_codebook(filled, load_codebook_file(THREATS), source=str(THREATS))
    assert {c.key for c in codebooks.get_codebook(filled).iter_codes()} == keys


def test_add_update_delete_restore(filled):
    doc_id, body = _doc(filled, "emoji.txt")
    s0, e0 = find(body, "illegal migration")
    rec = spans.add_span(
        filled,
        document_id=doc_id,
        acting_coder="Анна",
        code_key="threat.illegal_migration",
        start=s0,
        end=e0,
        memo="мемо 🙂",
    )
    assert body[rec.start : rec.end] == "illegal migration"
    assert rec.created_at is not None
    assert rec.created_at.utcoffset() is not None
    with pytest.raises(UserError, match="cannot code"):
        spans.add_span(
            filled, document_id=doc_id, acting_coder="Анна", code_key="threat.terrorism", start=0, end=len(body) + 1
        )
    with pytest.raises(UserError, match="grouping"):
        spans.add_span(filled, document_id=doc_id, acting_coder="Анна", code_key="threat", start=0, end=1)
    before, after = spans.update_span(
        filled, rec.id, acting_coder=rec.coder, code_key="threat.terrorism", start=s0, end=s0 + 7
    )
    assert before.code_key == "threat.illegal_migration"
    assert after.code_key == "threat.terrorism"
    assert body[after.start : after.end] == "illegal"
    gone = spans.delete_span(filled, rec.id, acting_coder=rec.coder)
    assert spans.count_spans(filled) == 0
    back = spans.restore_span(filled, gone, acting_coder=gone.coder)
    assert (back.id, back.uid, back.memo, back.start, back.end) == (gone.id, gone.uid, "мемо 🙂", s0, s0 + 7)
    # the id sequence is not disturbed by restoring an explicit id: new spans still get fresh ids
    new = spans.add_span(filled, document_id=doc_id, acting_coder="Анна", code_key="threat.terrorism", start=0, end=2)
    assert new.id != back.id
    assert body[0:2] == "👍🏽"
    assert [r.id for r in spans.list_spans(filled)] == sorted([back.id, new.id], key=lambda i: i != new.id)


def _rows(filled, name, needle, code, coder="ben", **extra):
    s, e = find(stored(name), needle)
    return SpanRow(
        row=extra.pop("row", 2),
        document=name,
        coder=coder,
        code=code,
        start=s,
        end=e,
        memo=extra.pop("memo", ""),
        text=extra.pop("text", needle),
        uid=extra.pop("uid", None),
    )


def test_span_rows_import_all_or_nothing(filled):
    good = [
        _rows(filled, "cyr.txt", "терроризма", "threat.terrorism", row=2),
        _rows(filled, "cyr.txt", "экстремизма", "threat.extremism", row=3, uid="u-1"),
        _rows(filled, "crlf.txt", "organised crime", "threat.organised_crime", row=4, coder="Анна"),
    ]
    bad = [
        *good,
        SpanRow(
            row=5,
            document="cyr.txt",
            coder="ben",
            code="threat.terrorism",
            start=0,
            end=3,
            memo="",
            text="XYZ",
            uid=None,
        ),
        SpanRow(
            row=6,
            document="nope.txt",
            coder="ben",
            code="threat.terrorism",
            start=0,
            end=3,
            memo="",
            text=None,
            uid=None,
        ),
    ]
    with pytest.raises(UserError) as info:
        span_import.import_span_rows(filled, bad, "s.csv")
    assert "s.csv: row 5" in str(info.value)
    assert "s.csv: row 6" in str(info.value)
    assert spans.count_spans(filled) == 0
    assert coders.list_coders(filled) == []
    assert span_import.import_span_rows(filled, good, "s.csv").added == 3
    assert span_import.import_span_rows(filled, good, "s.csv").added == 0  # importing twice adds nothing
    assert coders.list_coders(filled) == [("ben", 2), ("Анна", 1)]  # C collation: code-point order
    cyr_id, body = _doc(filled, "cyr.txt")
    assert [body[r.start : r.end] for r in spans.list_spans(filled, document_ids=[cyr_id])] == [
        "терроризма",
        "экстремизма",
    ]


def test_statuses_and_counts(filled):
    cyr_id, _body = _doc(filled, "cyr.txt")
    emoji_id, _ = _doc(filled, "emoji.txt")
    assert status.statuses(filled, "ben") == {}
    spans.add_span(filled, document_id=cyr_id, acting_coder="ben", code_key="threat.terrorism", start=7, end=17)
    assert status.statuses(filled, "ben") == {cyr_id: "in_progress"}  # coding marks it in progress
    assert status.set_status(filled, cyr_id, "ben", "done") == "in_progress"
    assert status.set_status(filled, emoji_id, "ben", "in_progress") == "not_started"
    assert status.statuses(filled, "ben") == {cyr_id: "done", emoji_id: "in_progress"}
    with pytest.raises(UserError, match="unknown status"):
        status.set_status(filled, cyr_id, "ben", "finished")
    spans.add_span(filled, document_id=cyr_id, acting_coder="cleo", code_key="threat.extremism", start=25, end=36)
    spans.add_span(filled, document_id=emoji_id, acting_coder="cleo", code_key="threat.terrorism", start=0, end=2)
    assert status.span_counts(filled) == {cyr_id: 2, emoji_id: 1}
    assert status.span_counts(filled, "cleo") == {cyr_id: 1, emoji_id: 1}
    counts = status.project_counts(filled)
    assert (counts["documents"], counts["coders"], counts["spans"]) == (3, 2, 3)


def _code_all(filled):
    """Two coders coding every text a little differently; returns {doc name: (id, text)}."""
    docs = {}
    plan = {
        "cyr.txt": [("терроризма", "threat.terrorism"), ("экстремизма", "threat.extremism")],
        "emoji.txt": [("illegal migration", "threat.illegal_migration")],
        "crlf.txt": [("organised crime", "threat.organised_crime")],
    }
    for name, items in plan.items():
        doc_id, body = _doc(filled, name)
        docs[name] = (doc_id, body)
        for needle, key in items:
            s, e = find(body, needle)
            spans.add_span(
                filled,
                document_id=doc_id,
                acting_coder="anna",
                code_key=key,
                start=s,
                end=e,
                memo=f'заметка «{needle}», "q"\nline 2',
            )
            spans.add_span(filled, document_id=doc_id, acting_coder="ben", code_key=key, start=s, end=e - 1)
    return docs


def test_list_and_iter_spans(filled):
    docs = _code_all(filled)
    listed = spans.list_spans(filled)
    assert len(listed) == 8 == spans.count_spans(filled)
    assert list(spans.iter_spans(filled, batch=3)) == listed  # server-side cursor, small batches
    assert [r.document for r in listed] == ["cyr.txt"] * 4 + ["emoji.txt"] * 2 + ["crlf.txt"] * 2
    for r in listed:
        assert r.start < r.end <= len(docs[r.document][1])
    assert {r.coder for r in spans.list_spans(filled, coders=["ben"])} == {"ben"}
    only = spans.list_spans(filled, code_keys=["threat.extremism"], document_ids=[docs["cyr.txt"][0]])
    assert [docs["cyr.txt"][1][r.start : r.end] for r in only] == ["экстремизм", "экстремизма"]  # by start, end


def test_document_spans_matches_list_spans(filled):
    docs = _code_all(filled)
    for doc_id, _body in docs.values():
        want = [
            r.with_changes(created_at=None, updated_at=None) for r in spans.list_spans(filled, document_ids=[doc_id])
        ]
        got = gui_support.document_spans(filled, doc_id).records()
        assert got == sorted(want, key=lambda r: (r.start, r.end, r.id))
        ben = gui_support.document_spans(filled, doc_id, ["ben"]).records()
        assert ben
        assert {r.coder for r in ben} == {"ben"}
        both = gui_support.document_spans(filled, doc_id, ["ben", "anna", "nobody"])
        assert len(both) == len(want)
        assert gui_support.document_spans(filled, doc_id, []).records() == []


def test_csv_export(filled, tmp_path):
    docs = _code_all(filled)
    out = tmp_path / "spans.csv"
    assert export.export_spans(filled, out, attributes=True) == 8
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8
    assert rows[0]["attr_outlet"] == "Известия"
    by_uid = {r.uid: r for r in spans.list_spans(filled)}
    for row in rows:
        body = docs[row["document"]][1]
        assert row["text"] == body[int(row["start"]) : int(row["end"])]
        rec = by_uid[row["span_id"]]
        assert row["memo"] == rec.memo
        assert row["coder"] == rec.coder
        assert row["created_at"] == export.iso(rec.created_at)
        assert row["created_at"].endswith("+00:00")
    ben = tmp_path / "ben.jsonl"
    assert export.export_spans(filled, ben, fmt="jsonl", flt=export.SpanFilter(coders=["ben"])) == 4
    with pytest.raises(UserError, match="unknown coder"):
        export.export_spans(filled, tmp_path / "x.csv", flt=export.SpanFilter(coders=["zed"]))


def test_agreement_selection(filled):
    docs = _code_all(filled)
    ch = agreement.choices(filled)
    assert ch.coders == [("anna", 4), ("ben", 4)]
    assert [n for _i, n in ch.documents] == list(TEXTS)
    with pytest.raises(UserError, match="--documents all"):  # nobody marked anything done yet
        agreement.load_selection(filled, ["anna", "ben"])
    for coder in ("anna", "ben"):
        status.mark_done(filled, coder, None)
    sel = agreement.load_selection(filled, ["anna", "ben"])  # the done documents, read on PostgreSQL
    assert [n for n, _t in sel.documents] == list(TEXTS)
    assert sel.excluded == {}
    assert dict(sel.documents)["cyr.txt"] == docs["cyr.txt"][1]
    assert len(sel.spans) == 8
    result = agreement.compute(sel)
    assert result["merged"] is True
    assert result["counts"]["spans"] == 8
    one = agreement.load_selection(filled, ["anna", "ben"], documents=["crlf.txt"], codes=["threat.organised_crime"])
    assert [s.document for s in one.spans] == ["crlf.txt", "crlf.txt"]
    with pytest.raises(UserError, match="unknown coder"):
        agreement.load_selection(filled, ["anna", "zed"])
