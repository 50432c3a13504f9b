"""Creating, changing, deleting and querying coded spans; bulk import all-or-nothing."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from annotator.core.errors import UserError
from annotator.core.spans import SpanRecord, SpanRow, check_offsets
from annotator.core.text import normalise_newlines
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, DocumentStatus, DocumentStatusValue, Span, utcnow
from annotator.store.services.coders import coder_id


def new_uid() -> str:
    return uuid.uuid4().hex


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


def _mark_in_progress(s: Session, document_id: int, coder: int) -> None:
    row = s.exec(
        select(DocumentStatus).where(DocumentStatus.document_id == document_id, DocumentStatus.coder_id == coder)
    ).first()
    if row is None:
        s.add(DocumentStatus(document_id=document_id, coder_id=coder, status=DocumentStatusValue.IN_PROGRESS.value))


def add_span(
    project: Project,
    *,
    document_id: int,
    coder: str,
    code_key: str,
    start: int,
    end: int,
    memo: str = "",
    uid: str | None = None,
    span_id: int | None = None,
    created_at: datetime | None = None,
) -> SpanRecord:
    """Store one span (one transaction). `span_id`/`uid` let undo restore a deleted span as it was."""
    with project.write() as s:
        doc_name, doc_length = _doc(s, document_id)
        problem = check_offsets(doc_length, start, end)
        if problem:
            raise UserError(f"cannot code in '{doc_name}': {problem}")
        cid = coder_id(s, coder)
        span = Span(
            id=span_id,
            uid=uid or new_uid(),
            document_id=document_id,
            coder_id=cid,
            code_id=_code_id(s, code_key),
            start=start,
            end=end,
            memo=memo,
            created_at=created_at or utcnow(),
            updated_at=utcnow(),
        )
        s.add(span)
        _mark_in_progress(s, document_id, cid)
        s.flush()
        return _record(span, doc_name, coder.strip(), code_key)


def restore_span(project: Project, record: SpanRecord) -> SpanRecord:
    """Put back a deleted span with its id, uid, memo and creation time (undo of delete)."""
    return add_span(
        project,
        document_id=record.document_id,
        coder=record.coder,
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
    code_key: str | None = None,
    start: int | None = None,
    end: int | None = None,
    memo: str | None = None,
) -> tuple[SpanRecord, SpanRecord]:
    """Change a span's code, boundaries or memo; returns (before, after) so undo can reverse it."""
    with project.write() as s:
        span, doc_name, coder, key = _load(s, span_id)
        before = _record(span, doc_name, coder, key)
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
        span.updated_at = utcnow()
        s.add(span)
        s.flush()
        return before, _record(span, doc_name, coder, key)


def delete_span(project: Project, span_id: int) -> SpanRecord:
    """Delete a span and return everything needed to restore it."""
    with project.write() as s:
        span, doc_name, coder, key = _load(s, span_id)
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


def _mismatch(where: str, stored: str, given: str, start: int, end: int) -> str:
    """Say how the `text` cell differs from the document, including the invisible differences."""
    message = (
        f"{where}: text column does not match the document at {start}:{end} "
        f"(document has {stored[:40]!r}, file has {given[:40]!r})"
    )
    if unicodedata.normalize("NFC", stored) == unicodedata.normalize("NFC", given):
        return message + (
            "; the letters are the same but composed differently (e.g. e + accent vs é): "
            "offsets count code points of the stored text, which is never normalised"
        )
    return message + "; check the offsets (0-based code points, end exclusive)"


def import_span_rows(project: Project, rows: list[SpanRow], source: str, *, mark_done: bool = False) -> int:
    """Validate every row against the project, then insert all of them in one transaction, or none.

    mark_done=True also marks every (document, coder) pair of the file done, in the same
    transaction (for coders who code outside the window: `spans import --mark-done`).

    A `text` cell must equal `text[start:end]` of the stored text (after turning its CR LF line breaks
    into LF, as the stored text was). Rows whose span_id (uid) is already in the project, or that repeat
    an existing span exactly (same document, coder, code, start, end), are skipped: importing the same file
    twice adds nothing.
    """
    problems: list[str] = []
    with project.write() as s:
        docs = {
            name: (doc_id, text)
            for doc_id, name, text in s.exec(select(Document.id, Document.name, Document.text)).all()
        }
        codes = {key: (cid, codable) for cid, key, codable in s.exec(select(Code.id, Code.key, Code.codable)).all()}
        known_uids = set()
        uids = [r.uid for r in rows if r.uid]
        for i in range(0, len(uids), 500):
            known_uids.update(s.exec(select(Span.uid).where(Span.uid.in_(uids[i : i + 500]))).all())
        for r in rows:
            where = f"{source}: row {r.row}"
            if r.document not in docs:
                problems.append(
                    f"{where}: unknown document '{r.document}'; import it first or fix the name "
                    "(see 'annotator documents list')"
                )
                continue
            if r.code not in codes:
                problems.append(f"{where}: unknown code '{r.code}'; load a codebook that defines it")
                continue
            if not codes[r.code][1]:
                problems.append(f"{where}: code '{r.code}' is a grouping (codable: false); use one of its children")
                continue
            if not r.coder.strip():
                problems.append(f"{where}: empty coder; every row needs the coder's name")
                continue
            text = docs[r.document][1]
            problem = check_offsets(len(text), r.start, r.end)
            if problem:
                problems.append(f"{where}: {problem}")
                continue
            # A spreadsheet may write line breaks inside a cell as \r\n; stored text only has \n.
            if r.text is not None and text[r.start : r.end] != normalise_newlines(r.text):
                problems.append(_mismatch(where, text[r.start : r.end], r.text, r.start, r.end))
        if problems:
            shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
            raise UserError("\n".join(shown) + f"\n{source}: nothing imported; fix the rows above and retry")
        existing = set(
            s.exec(
                select(Span.document_id, Coder.name, Code.key, Span.start, Span.end)
                .join(Coder, Coder.id == Span.coder_id)
                .join(Code, Code.id == Span.code_id)
            ).all()
        )
        coder_ids: dict[str, int] = {}
        added = 0
        now = utcnow()
        for r in rows:
            name = r.coder.strip()
            identity = (docs[r.document][0], name, r.code, r.start, r.end)
            if (r.uid and r.uid in known_uids) or identity in existing:
                continue
            existing.add(identity)
            if name not in coder_ids:
                coder_ids[name] = coder_id(s, name)
            doc_id = docs[r.document][0]
            s.add(
                Span(
                    uid=r.uid or new_uid(),
                    document_id=doc_id,
                    coder_id=coder_ids[name],
                    code_id=codes[r.code][0],
                    start=r.start,
                    end=r.end,
                    memo=r.memo,
                    created_at=now,
                    updated_at=now,
                )
            )
            if r.uid:
                known_uids.add(r.uid)
            added += 1
        s.flush()
        for name, cid in coder_ids.items():
            for doc_id in {docs[r.document][0] for r in rows if r.coder.strip() == name}:
                _mark_in_progress(s, doc_id, cid)
        if mark_done:
            from annotator.store.services.status import set_done

            for doc_id, name in {(docs[r.document][0], r.coder.strip()) for r in rows}:
                set_done(s, doc_id, coder_ids.get(name) or coder_id(s, name))
    return added
