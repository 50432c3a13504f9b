"""The services that act as a coder enforce "a coder changes only their own spans" themselves.

Until now only the window checked it; a script (or a later team mode) calling the services directly
could move, recode or delete anyone's span. Imports and merges carry other coders' spans by design and
stay allowed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.spans import SpanRow
from annotator.store.engine import Project, open_project
from annotator.store.services import span_import, spans, status
from tests.store.test_export import build_project


@pytest.fixture
def project(tmp_path: Path):
    with open_project(build_project(tmp_path / "p")) as p:
        yield p


def _of(project: Project, coder: str):
    return next(s for s in spans.list_spans(project) if s.coder == coder)


def test_another_coders_span_cannot_be_changed_deleted_or_restored(project: Project) -> None:
    boris = _of(project, "boris")
    before = spans.list_spans(project)
    with pytest.raises(UserError, match="cannot change a span of boris as anna: coders change only their own spans"):
        spans.update_span(project, boris.id or 0, acting_coder="anna", memo="taken over")
    with pytest.raises(UserError, match="cannot change a span of boris as anna"):
        spans.update_span(project, boris.id or 0, acting_coder="anna", start=boris.start + 1)
    with pytest.raises(UserError, match="cannot delete a span of boris as anna"):
        spans.delete_span(project, boris.id or 0, acting_coder="anna")
    assert spans.list_spans(project) == before
    gone = spans.delete_span(project, boris.id or 0, acting_coder="boris")
    with pytest.raises(UserError, match="cannot restore a span of boris as anna"):
        spans.restore_span(project, gone, acting_coder="anna")
    back = spans.restore_span(project, gone, acting_coder="boris")
    assert (back.id, back.uid) == (gone.id, gone.uid)


def test_own_spans_and_own_status_change_as_before(project: Project) -> None:
    anna = _of(project, "anna")
    _, after = spans.update_span(project, anna.id or 0, acting_coder=" anna ", memo="mine")
    assert after.memo == "mine"
    added = spans.add_span(project, document_id=anna.document_id, acting_coder="anna", code_key="other", start=0, end=3)
    assert added.coder == "anna"
    assert status.set_status(project, anna.document_id, "anna", "done") == "in_progress"
    assert status.statuses(project, "anna")[anna.document_id] == "done"
    assert status.statuses(project, "boris")[anna.document_id] == "in_progress"  # boris's own row untouched


def test_imports_still_carry_other_coders_spans(project: Project) -> None:
    row = SpanRow(row=2, document="b.txt", coder="vera", code="other", start=0, end=6)
    assert span_import.import_span_rows(project, [row], "s.csv").added == 1
    assert [
        (s.document, s.start, s.end) for s in spans.list_spans(project, coders=["vera"]) if s.document == "b.txt"
    ] == [("b.txt", 0, 6)]
