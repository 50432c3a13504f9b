"""Read paths the coding window needs to be fast: a document's spans as light records.

`spans.list_spans` builds ORM objects (about 1 s for 10,000 spans); the window only needs a few columns
to paint and list spans, so this selects plain columns. Timestamps are left out (None): the window never
shows them, and undo of a delete uses the full record `delete_span` returns.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import select

from annotator.core.spans import SpanRecord
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span


def document_spans(project: Project, document_id: int, coders: Iterable[str] | None = None) -> list[SpanRecord]:
    """Spans of one document (of the given coders, or all), ordered by position."""
    q = (select(Span.id, Span.uid, Span.start, Span.end, Span.memo, Coder.name, Code.key)
         .join(Coder, Coder.id == Span.coder_id).join(Code, Code.id == Span.code_id)
         .where(Span.document_id == document_id))
    if coders is not None:
        q = q.where(Coder.name.in_(list(coders)))
    q = q.order_by(Span.start, Span.end, Span.id)
    with project.read() as s:
        name = s.exec(select(Document.name).where(Document.id == document_id)).first() or ""
        rows = s.exec(q).all()
    return [SpanRecord(id=r[0], uid=r[1], document_id=document_id, document=name, coder=r[5], code_key=r[6],
                       start=r[2], end=r[3], memo=r[4] or "") for r in rows]
