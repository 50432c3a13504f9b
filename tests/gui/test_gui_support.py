"""The coding window's light span query returns what the full store service returns (minus timestamps)."""

from __future__ import annotations

from dataclasses import replace

from annotator.core.span_table import LiveSpans
from annotator.store.services.gui_support import document_spans
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
    light = document_spans(project, doc_id).records()
    assert light == [replace(r, created_at=None, updated_at=None) for r in full]
    assert [r.coder for r in document_spans(project, doc_id, ["alice"]).records()] == ["alice", "alice"]
    assert document_spans(project, doc_id, []).records() == []
    assert document_spans(project, doc_id + 99).records() == []


def test_span_table_columns_match_its_records(project, doc_id):
    for a, b in ((30, 40), (0, 7), (8, 17)):
        add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=a, end=b)
    table = document_spans(project, doc_id)
    records = table.records()
    assert table.starts.tolist() == [0, 8, 30]
    assert table.ends.tolist() == [7, 17, 40]
    assert table.ids.tolist() == [r.id for r in records]
    assert [table.coder(k) for k in range(3)] == ["alice"] * 3
    assert table.record(1) is table.record(1)  # one record object per row
    assert table.row_of(records[2].id) == 2
    assert table.row_of(-5) is None


def test_live_spans_behave_like_a_dict(project, doc_id):
    for a, b in ((0, 7), (8, 17)):
        add_span(project, document_id=doc_id, acting_coder="alice", code_key="threat.terrorism", start=a, end=b)
    table = document_spans(project, doc_id)
    first, second = table.record(0), table.record(1)
    spans = LiveSpans(table)
    plain = {r.id: r for r in table.records()}
    assert len(spans) == 2
    assert spans.get(first.id) is first
    assert spans.get(999) is None
    moved = replace(first, start=1)
    spans.put(moved)
    plain[first.id] = moved
    added = replace(first, id=999, start=3)
    spans.put(added)
    plain[999] = added
    assert len(spans) == 3
    assert spans.remove(second.id) is plain.pop(second.id)
    assert second.id not in spans
    assert spans.get(second.id) is None
    assert {r.id: r for r in spans.records()} == plain
    assert sorted(spans.ids()) == sorted(plain)
    assert len(spans) == len(plain) == 2
    spans.put(second)
    assert spans.get(second.id) is second
    assert len(spans) == 3
    assert len(LiveSpans()) == 0
