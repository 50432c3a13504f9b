"""Schema 0002 on a real PostgreSQL: native uuid span ids, delete rules, the identity index, the status
CHECK and the constraint trigger that keeps a span inside its document (issue 11, item 11); and the
upgrade of a database that schema 0001 wrote, duplicates and hand-made span ids included."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.exc import IntegrityError

from annotator.core.codebook import load_codebook_file
from annotator.core.errors import UserError
from annotator.core.span_identity import canonical_uid
from annotator.core.spans import SpanRow
from annotator.store.engine import MIGRATIONS, open_project
from annotator.store.services import codebooks, documents, span_import, spans
from tests.pg.helpers import THREATS, find, stored, write_texts


@pytest.fixture
def filled(pg_url, tmp_path):
    with open_project(pg_url) as project:
        assert documents.import_files(project, write_texts(tmp_path)).errors == []
        codebooks.load_codebook(project, load_codebook_file(THREATS), source=str(THREATS))
        yield project


def _raw(project, sql: str, **params: object) -> list[tuple]:
    """One statement as an outside SQL client would send it (no service in between)."""
    with project.engine.begin() as conn:
        result = conn.execute(sa.text(sql), params)
        return list(result.all()) if result.returns_rows else []


def test_fresh_project_has_uuid_ids_rules_and_indexes(filled):
    doc = documents.find_document(filled, "cyr.txt").id
    start, end = find(stored("cyr.txt"), "терроризма")
    rec = spans.add_span(
        filled, document_id=doc, acting_coder="anna", code_key="threat.terrorism", start=start, end=end
    )
    assert len(rec.uid) == 32
    assert spans.list_spans(filled)[0].uid == rec.uid  # read back without dashes
    with filled.engine.connect() as conn:
        inspector = sa.inspect(conn)
        uid = next(c for c in inspector.get_columns("span") if c["name"] == "uid")
        assert str(uid["type"]) == "UUID"
        rules = {
            (table, fk["constrained_columns"][0]): fk["options"].get("ondelete")
            for table in ("span", "code")
            for fk in inspector.get_foreign_keys(table)
        }
        indexes = {i["name"]: (i["column_names"], i["unique"]) for i in inspector.get_indexes("span")}
    assert rules == {
        ("span", "document_id"): "RESTRICT",
        ("span", "coder_id"): "RESTRICT",
        ("span", "code_id"): "RESTRICT",
        ("code", "codebook_id"): None,
        ("code", "parent_id"): "SET NULL",
    }
    assert indexes["uq_span_identity"] == (["document_id", "coder_id", "code_id", "start", "end"], True)
    assert indexes["ix_span_document_start"] == (["document_id", "start"], False)
    assert "ix_span_document_id" not in indexes
    assert "ix_span_document_coder" not in indexes
    with pytest.raises(IntegrityError):
        _raw(filled, "DELETE FROM document WHERE id = :d", d=doc)
    with pytest.raises(IntegrityError, match="ck_document_status_value"):
        _raw(filled, "UPDATE document_status SET status = 'finished'")
    with pytest.raises(UserError, match="already has this code from this coder"):
        spans.add_span(filled, document_id=doc, acting_coder="anna", code_key="threat.terrorism", start=start, end=end)


def test_a_span_past_its_document_is_refused_by_the_server(filled):
    doc = documents.find_document(filled, "emoji.txt").id
    length = len(stored("emoji.txt"))
    insert = (
        'INSERT INTO span (uid, document_id, coder_id, code_id, start, "end", memo, created_at, updated_at) '
        "SELECT :uid, :doc, c.id, k.id, 0, :end, '', now(), now() FROM coder c, code k "
        "WHERE k.key = 'threat.terrorism' LIMIT 1"
    )
    spans.add_span(filled, document_id=doc, acting_coder="anna", code_key="threat.extremism", start=0, end=1)
    _raw(filled, insert, uid=canonical_uid("fits"), doc=doc, end=length)  # exactly to the end: fine
    with pytest.raises(IntegrityError, match="beyond the end of its document"):
        _raw(filled, insert, uid=canonical_uid("past"), doc=doc, end=length + 1)
    with pytest.raises(IntegrityError, match="beyond the end of its document"):
        _raw(filled, 'UPDATE span SET "end" = :end WHERE document_id = :doc', end=length + 3, doc=doc)
    # the services say it before the server has to: one readable line
    bad = [SpanRow(row=2, document="emoji.txt", coder="ben", code="threat.terrorism", start=0, end=length + 1)]
    with pytest.raises(UserError, match="row 2: end"):
        span_import.import_span_rows(filled, bad, "s.csv")


def _schema_0001(url: str) -> None:
    """A database exactly as the 0001 release left it (its migration only)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.commit()
    engine.dispose()


def test_upgrade_from_0001_folds_duplicates_and_makes_ids_uuids(pg_cluster):
    url = pg_cluster.new_database("upgrade")
    _schema_0001(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        run = conn.exec_driver_sql
        run(
            "INSERT INTO codebook (id, title, version, description, rules, source, loaded_at) "
            "VALUES (1, 'b', '', '', '', '', now())"
        )
        run(
            "INSERT INTO code (id, codebook_id, key, name, parent_id, color, description, include, exclude, examples, "
            "codable, position) VALUES (1, 1, 'parent', 'P', NULL, '#000000', '', '[]', '[]', '[]', false, 0), "
            "(2, 1, 'child', 'C', 1, '#000000', '', '[]', '[]', '[]', true, 1)"
        )
        run("INSERT INTO coder (id, name, created_at) VALUES (1, 'ana', now())")
        run(
            "INSERT INTO document (id, name, text, sha256, source_filename, imported_at, attributes, position) "
            "VALUES (1, 'd.txt', 'Угроза терроризма 🙂', 'x', 'd.txt', now(), '{}', 1)"
        )
        run(
            'INSERT INTO span (uid, document_id, coder_id, code_id, start, "end", memo, created_at, updated_at) VALUES '
            "('s-1', 1, 1, 2, 0, 6, 'one', now(), now()), "
            "('6F1C3A52-2D7E-4C55-9A58-3C1D1B9E7A10', 1, 1, 2, 0, 6, 'two', now(), now()), "
            "('0123456789abcdef0123456789abcdef', 1, 1, 2, 7, 17, '', now(), now())"
        )
        run(
            "INSERT INTO document_status (document_id, coder_id, status, updated_at) "
            "VALUES (1, 1, 'in_progress', now())"
        )
    engine.dispose()
    with open_project(url) as project:
        assert any("1 duplicate span(s)" in note for note in project.migration_notes), project.migration_notes
        assert any("2 span id(s) rewritten as UUIDs" in note for note in project.migration_notes)
        got = sorted((s.uid, s.start, s.end, s.memo) for s in spans.list_spans(project))
        assert got == sorted(
            [(canonical_uid("s-1"), 0, 6, "one\n\ntwo"), ("0123456789abcdef0123456789abcdef", 7, 17, "")]
        )
        _raw(project, "DELETE FROM code WHERE id = 1")  # the parent: its child moves to the top
        assert _raw(project, "SELECT parent_id FROM code WHERE id = 2") == [(None,)]
        with pytest.raises(IntegrityError, match="beyond the end of its document"):
            _raw(project, 'UPDATE span SET "end" = 99 WHERE start = 7')
