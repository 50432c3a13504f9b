"""Coding as a coder: creating, changing and deleting spans; querying spans.

The services that act as a coder take the acting coder and enforce "a coder changes only their own
spans" themselves, so every caller (window, scripts, a later team mode) gets the same rule. Imports and
merges, which carry other coders' spans by design, live in span_import, refi and merge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from annotator.core.errors import UserError
from annotator.core.span_identity import canonical_uid, new_uid
from annotator.core.spans import SpanRecord, check_offsets
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span, utcnow
from annotator.store.services.coders import coder_id
from annotator.store.services.status import mark_in_progress


def _record(span: Span, document: str, coder: str, code_key: str) -> SpanRecord:
    return SpanRecord(
        id=span.id,
        uid=span.uid,
        document_id=span.document_id,
        document=document,
        coder=coder,
        code_key=code_key,
        start=span.start,
        end=span.end,
        memo=span.memo or "",
        created_at=span.created_at,
        updated_at=span.updated_at,
    )


def _code_id(s: Session, key: str) -> int:
    row = s.exec(select(Code.id, Code.codable).where(Code.key == key)).first()
    if row is None:
        raise UserError(f"unknown code '{key}'; load a codebook that defines it")
    if not row[1]:
        raise UserError(f"code '{key}' is a grouping only (codable: false); choose one of its children")
    return row[0]


def _doc(s: Session, document_id: int) -> tuple[str, int]:
    """(name, length) of a document, without loading its text: coding one span must stay cheap."""
    row = s.exec(select(Document.name, func.length(Document.text)).where(Document.id == document_id)).first()
    if row is None:
        raise UserError(f"document #{document_id} does not exist in this project")
    return row[0], row[1]


def _refuse_identical(s: Session, span: Span, doc_name: str) -> None:
    """The same coder may not have the same code twice on the same passage (`uq_span_identity`)."""
    same = [
        Span.document_id == span.document_id,
        Span.coder_id == span.coder_id,
        Span.code_id == span.code_id,
        Span.start == span.start,
        Span.end == span.end,
    ]
    if span.id is not None:
        same.append(Span.id != span.id)
    with s.no_autoflush:  # a changed span must not reach the table before it is checked
        twin = s.exec(select(Span.id).where(*same)).first()
    if twin is not None:
        raise UserError(
            f"'{doc_name}' {span.start}:{span.end} already has this code from this coder (span #{twin}); "
            "a passage takes a code once per coder: edit that span's memo instead"
        )


def _own(record_coder: str, acting_coder: str, what: str) -> None:
    if record_coder != acting_coder.strip():
        raise UserError(
            f"cannot {what} a span of {record_coder} as {acting_coder.strip()}: coders change only their own spans"
        )


def add_span(
    project: Project,
    *,
    document_id: int,
    acting_coder: str,
    code_key: str,
    start: int,
    end: int,
    memo: str = "",
    uid: str | None = None,
    span_id: int | None = None,
    created_at: datetime | None = None,
) -> SpanRecord:
    """Store one span of the acting coder (one transaction). `span_id`/`uid` let undo restore a deleted
    span as it was. The same code on the same passage twice from one coder is refused."""
    with project.write() as s:
        doc_name, doc_length = _doc(s, document_id)
        problem = check_offsets(doc_length, start, end)
        if problem:
            raise UserError(f"cannot code in '{doc_name}': {problem}")
        cid = coder_id(s, acting_coder)
        span = Span(
            id=span_id,
            uid=canonical_uid(uid) if uid else new_uid(),
            document_id=document_id,
            coder_id=cid,
            code_id=_code_id(s, code_key),
            start=start,
            end=end,
            memo=memo,
            created_at=created_at or utcnow(),
            updated_at=utcnow(),
        )
        _refuse_identical(s, span, doc_name)
        s.add(span)
        mark_in_progress(s, [(document_id, cid)])
        s.flush()
        return _record(span, doc_name, acting_coder.strip(), code_key)


def restore_span(project: Project, record: SpanRecord, *, acting_coder: str) -> SpanRecord:
    """Put back a deleted span with its id, uid, memo and creation time (undo of delete)."""
    _own(record.coder, acting_coder, "restore")
    return add_span(
        project,
        document_id=record.document_id,
        acting_coder=record.coder,
        code_key=record.code_key,
        start=record.start,
        end=record.end,
        memo=record.memo,
        uid=record.uid,
        span_id=record.id,
        created_at=record.created_at,
    )


def _load(s: Session, span_id: int) -> tuple[Span, str, str, str]:
    row = s.exec(
        select(Span, Document.name, Coder.name, Code.key)
        .join(Document, Document.id == Span.document_id)
        .join(Coder, Coder.id == Span.coder_id)
        .join(Code, Code.id == Span.code_id)
        .where(Span.id == span_id)
    ).first()
    if row is None:
        raise UserError(f"span #{span_id} no longer exists (deleted elsewhere?)")
    return row[0], row[1], row[2], row[3]


def update_span(
    project: Project,
    span_id: int,
    *,
    acting_coder: str,
    code_key: str | None = None,
    start: int | None = None,
    end: int | None = None,
    memo: str | None = None,
) -> tuple[SpanRecord, SpanRecord]:
    """Change one of the acting coder's spans (code, boundaries or memo); returns (before, after) so undo
    can reverse it."""
    with project.write() as s:
        span, doc_name, coder, key = _load(s, span_id)
        _own(coder, acting_coder, "change")
        before = _record(span, doc_name, coder, key)
        before_code = span.code_id
        new_start = span.start if start is None else start
        new_end = span.end if end is None else end
        if (new_start, new_end) != (span.start, span.end):
            problem = check_offsets(_doc(s, span.document_id)[1], new_start, new_end)
            if problem:
                raise UserError(f"cannot move the span in '{doc_name}': {problem}")
            span.start, span.end = new_start, new_end
        if code_key is not None and code_key != key:
            span.code_id = _code_id(s, code_key)
            key = code_key
        if memo is not None:
            span.memo = memo
        if (span.code_id, span.start, span.end) != (before_code, before.start, before.end):
            _refuse_identical(s, span, doc_name)
        span.updated_at = utcnow()
        s.add(span)
        s.flush()
        return before, _record(span, doc_name, coder, key)


def delete_span(project: Project, span_id: int, *, acting_coder: str) -> SpanRecord:
    """Delete one of the acting coder's spans and return everything needed to restore it."""
    with project.write() as s:
        span, doc_name, coder, key = _load(s, span_id)
        _own(coder, acting_coder, "delete")
        record = _record(span, doc_name, coder, key)
        s.delete(span)
        return record


def _query(
    coders: Iterable[str] | None = None,
    document_ids: Iterable[int] | None = None,
    code_keys: Iterable[str] | None = None,
):  # type: ignore[no-untyped-def]
    q = (
        select(Span, Document.name, Coder.name, Code.key)
        .join(Document, Document.id == Span.document_id)
        .join(Coder, Coder.id == Span.coder_id)
        .join(Code, Code.id == Span.code_id)
    )
    if coders is not None:
        q = q.where(Coder.name.in_(list(coders)))
    if document_ids is not None:
        q = q.where(Span.document_id.in_(list(document_ids)))
    if code_keys is not None:
        q = q.where(Code.key.in_(list(code_keys)))
    return q.order_by(Document.position, Span.document_id, Span.start, Span.end, Span.id)


def list_spans(
    project: Project,
    *,
    coders: Iterable[str] | None = None,
    document_ids: Iterable[int] | None = None,
    code_keys: Iterable[str] | None = None,
) -> list[SpanRecord]:
    with project.read() as s:
        return [_record(*row) for row in s.exec(_query(coders, document_ids, code_keys)).all()]


def iter_spans(
    project: Project,
    *,
    coders: Iterable[str] | None = None,
    document_ids: Iterable[int] | None = None,
    code_keys: Iterable[str] | None = None,
    batch: int = 5000,
) -> Iterator[SpanRecord]:
    """Stream spans in document order without holding them all in memory (for exports)."""
    with project.read() as s:
        result = s.exec(_query(coders, document_ids, code_keys).execution_options(yield_per=batch))
        for row in result:
            yield _record(*row)


def count_spans(project: Project) -> int:
    with project.read() as s:
        return s.exec(select(func.count(Span.id))).one()
