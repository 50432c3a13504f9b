"""Per-coder document status (not started / in progress / done) and project counts."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from annotator.core.errors import UserError
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, DocumentStatus, DocumentStatusValue, Span, utcnow
from annotator.store.services.coders import coder_id


def set_status(project: Project, document_id: int, acting_coder: str, status: str) -> str:
    """Set the acting coder's own status for a document; returns the previous status (for undo)."""
    valid = {v.value for v in DocumentStatusValue}
    if status not in valid:
        raise UserError(f"unknown status '{status}'; use one of {', '.join(sorted(valid))}")
    with project.write() as s:
        cid = coder_id(s, acting_coder)
        row = s.exec(
            select(DocumentStatus).where(DocumentStatus.document_id == document_id, DocumentStatus.coder_id == cid)
        ).first()
        previous = row.status if row else DocumentStatusValue.NOT_STARTED.value
        if row is None:
            row = DocumentStatus(document_id=document_id, coder_id=cid)
        row.status, row.updated_at = status, utcnow()
        s.add(row)
        return previous


def mark_in_progress(session: Session, pairs: Iterable[tuple[int, int]]) -> None:
    """Inside a write: a coder who has spans on a document and no status yet has started it.

    `pairs` are (document id, coder id); their missing status rows are added in one statement.
    """
    wanted = set(pairs)
    if not wanted:
        return
    docs = sorted({doc for doc, _coder in wanted})
    for i in range(0, len(docs), 500):
        have = session.exec(
            select(DocumentStatus.document_id, DocumentStatus.coder_id).where(
                col(DocumentStatus.document_id).in_(docs[i : i + 500])
            )
        ).all()
        wanted.difference_update((doc, coder) for doc, coder in have)
    now = utcnow()
    session.add_all(
        DocumentStatus(document_id=doc, coder_id=coder, status=DocumentStatusValue.IN_PROGRESS.value, updated_at=now)
        for doc, coder in sorted(wanted)
    )


def statuses(project: Project, coder: str) -> dict[int, str]:
    """document id -> status for one coder (documents without a row are not started)."""
    with project.read() as s:
        rows = s.exec(
            select(DocumentStatus.document_id, DocumentStatus.status)
            .join(Coder, Coder.id == DocumentStatus.coder_id)
            .where(Coder.name == coder)
        ).all()
    return {r[0]: r[1] for r in rows}


def span_counts(project: Project, coder: str | None = None) -> dict[int, int]:
    """document id -> number of spans (of one coder, or of all)."""
    with project.read() as s:
        q = select(Span.document_id, func.count(Span.id)).group_by(Span.document_id)
        if coder is not None:
            q = q.join(Coder, Coder.id == Span.coder_id).where(Coder.name == coder)
        return {r[0]: r[1] for r in s.exec(q).all()}


def project_counts(project: Project) -> dict[str, int]:
    with project.read() as s:
        return {
            "documents": s.exec(select(func.count(Document.id))).one(),
            "codes": s.exec(select(func.count(Code.id))).one(),
            "coders": s.exec(select(func.count(Coder.id))).one(),
            "spans": s.exec(select(func.count(Span.id))).one(),
        }
