"""The coding window's light span query returns what the full store service returns (minus timestamps)."""

from __future__ import annotations

from dataclasses import replace

from annotator.store.services.gui_support import RecordMap, document_span_rows, document_spans
from annotator.store.services.spans import add_span, list_spans
from tests.gui.conftest import TEXT


def test_document_spans_match_list_spans(project, doc_id):
    start = TEXT.index("terrorism")
    add_span(
        project,
        document_id=doc_id,
        acting_coder="bob",
        code_key="threat.migration",
        start=start,
        end=start + 21,
        memo="bob's memo",
    )
    add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=start, end=start + 9)
    add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=0, end=2)
    full = sorted(list_spans(project, document_ids=[doc_id]), key=lambda r: (r.start, r.end, r.id))
    light = document_spans(project, doc_id)
    assert light == [replace(r, created_at=None, updated_at=None) for r in full]
    assert [r.coder for r in document_spans(project, doc_id, ["alice"])] == ["alice", "alice"]
    assert document_spans(project, doc_id, []) == []
    assert document_spans(project, doc_id + 99) == []


def test_span_rows_are_lazy_and_match_document_spans(project, doc_id):
    for a, b in ((30, 40), (0, 7), (8, 17)):
        add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=a, end=b)
    rows = document_span_rows(project, doc_id)
    assert list(rows) == document_spans(project, doc_id)
    assert rows.starts.tolist() == [0, 8, 30]
    assert rows.ends.tolist() == [7, 17, 40]
    assert rows.ids.tolist() == [r.id for r in rows]
    assert rows[1] is rows[1]  # one record object per row
    assert rows.by_id(rows[2].id) is rows[2]
    assert rows.by_id(-5) is None
    assert rows[0:2] == [rows[0], rows[1]]


def test_record_map_behaves_like_a_dict(project, doc_id):
    for a, b in ((0, 7), (8, 17)):
        add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=a, end=b)
    rows = document_span_rows(project, doc_id)
    first, second = rows[0], rows[1]
    records = RecordMap(rows)
    plain = {r.id: r for r in rows}
    assert len(records) == 2
    assert records.get(first.id) is first
    assert records.get(999) is None
    moved = replace(first, start=1)
    records[first.id] = plain[first.id] = moved
    added = replace(first, id=999, start=3)
    records[999] = plain[999] = added
    assert len(records) == 3
    assert records.pop(second.id) is plain.pop(second.id)
    assert second.id not in records
    assert records.get(second.id) is None
    assert dict(records) == plain
    assert len(records) == len(plain) == 2
    records[second.id] = second
    assert records[second.id] is second
    assert len(records) == 3
    assert len(RecordMap()) == 0
