"""The coding window's light span query returns what the full store service returns (minus timestamps)."""

from __future__ import annotations

from dataclasses import replace

from annotator.store.services.gui_support import document_spans
from annotator.store.services.spans import add_span, list_spans
from tests.gui.conftest import TEXT


def test_document_spans_match_list_spans(project, doc_id):
    start = TEXT.index("terrorism")
    add_span(project, document_id=doc_id, coder="bob", code_key="threat.migration", start=start, end=start + 21,
             memo="bob's memo")
    add_span(project, document_id=doc_id, coder="alice", code_key="threat.terrorism", start=start, end=start + 9)
    add_span(project, document_id=doc_id, coder="alice", code_key="threat.terrorism", start=0, end=2)
    full = sorted(list_spans(project, document_ids=[doc_id]), key=lambda r: (r.start, r.end, r.id))
    light = document_spans(project, doc_id)
    assert light == [replace(r, created_at=None, updated_at=None) for r in full]
    assert [r.coder for r in document_spans(project, doc_id, ["alice"])] == ["alice", "alice"]
    assert document_spans(project, doc_id, []) == []
    assert document_spans(project, doc_id + 99) == []
