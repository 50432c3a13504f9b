"""Moving work between projects on PostgreSQL: merging a coder's SQLite file in, REFI-QDA round trip."""

from __future__ import annotations

from annotator.core.codebook import load_codebook_file
from annotator.store.engine import open_project
from annotator.store.services import codebooks, documents, merge, refi, refi_export, spans
from tests.pg.helpers import THREATS, find, stored, write_texts


def _fill(project, folder):
    folder.mkdir(exist_ok=True)
    assert not documents.import_files(project, write_texts(folder)).errors
    codebooks.load_codebook(project, load_codebook_file(THREATS), source=str(THREATS))


def _key(records):
    return sorted((r.uid, r.document, r.coder, r.code_key, r.start, r.end, r.memo) for r in records)


def test_merge_sqlite_coder_file_into_postgresql(pg_url, tmp_path):
    with open_project(pg_url) as target:
        _fill(target, tmp_path / "a")
        coder_file = tmp_path / "ben.db"
        with open_project(coder_file) as theirs:
            _fill(theirs, tmp_path / "b")
            start, end = find(stored("emoji.txt"), "illegal migration")
            doc_id = documents.find_document(theirs, "emoji.txt").id
            spans.add_span(
                theirs,
                document_id=doc_id,
                acting_coder="ben",
                code_key="threat.illegal_migration",
                start=start,
                end=end,
                memo="🙂",
            )
            want = _key(spans.list_spans(theirs))
        report = merge.merge_projects(target, [coder_file])
        assert report.backup is None  # no SQLite file to back up on a server
        assert _key(spans.list_spans(target)) == want
        merge.merge_projects(target, [coder_file])  # merging again adds nothing
        assert _key(spans.list_spans(target)) == want


def test_refi_round_trip_between_postgresql_projects(pg_cluster, tmp_path):
    source_url, copy_url = pg_cluster.new_database("refi"), pg_cluster.new_database("refi")
    with open_project(source_url) as src:
        _fill(src, tmp_path / "a")
        for name, needle, key in [
            ("cyr.txt", "экстремизма", "threat.extremism"),
            ("crlf.txt", "organised crime", "threat.organised_crime"),
        ]:
            start, end = find(stored(name), needle)
            doc_id = documents.find_document(src, name).id
            spans.add_span(src, document_id=doc_id, acting_coder="anna", code_key=key, start=start, end=end)
        qda = refi_export.project_to_qda(src).qda
        want = _key(spans.list_spans(src))
    with open_project(copy_url) as copy:
        refi.import_qda(copy, qda, source="x.qdpx")
        assert _key(spans.list_spans(copy)) == want
        assert [d.name for d in documents.list_documents(copy)] == ["cyr.txt", "emoji.txt", "crlf.txt"]
