"""Per-coder document status (not started / in progress / done), what counts as coded, project counts."""

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


def counts_as_done(session: Session, coder_ids: Iterable[int], document_ids: Iterable[int]) -> set[tuple[int, int]]:
    """The (document id, coder id) pairs that count as coded, inside an open transaction.

    This is the one place that decides which documents a coder has coded, for agreement (the
    default selection is the documents every selected coder counts as done on) and whatever else
    needs to know. Today a coder counts as done on a document when the coder marked it done (in
    the window, with `annotator documents done`, or `spans import --mark-done`).

    Coder kinds plug in here, as a branch on the coder's kind before the status lookup:
    - a gold layer (adjudication, issue 14) counts as done on a document whose adjudication has no
      open item;
    - a machine-made coder (autocode, issue 16) counts as done on every document.
    """
    coders, docs = set(coder_ids), set(document_ids)
    if not coders or not docs:
        return set()
    rows = session.exec(
        select(DocumentStatus.document_id, DocumentStatus.coder_id).where(
            DocumentStatus.status == DocumentStatusValue.DONE.value,
            DocumentStatus.coder_id.in_(coders),  # type: ignore[attr-defined]
        )
    ).all()
    return {(int(d), int(c)) for d, c in rows if d in docs}


def set_done(session: Session, document_id: int, coder_id_: int) -> bool:
    """Mark one document done for one coder inside an open transaction; False if it already was."""
    row = session.exec(
        select(DocumentStatus).where(DocumentStatus.document_id == document_id, DocumentStatus.coder_id == coder_id_)
    ).first()
    if row is not None and row.status == DocumentStatusValue.DONE.value:
        return False
    if row is None:
        row = DocumentStatus(document_id=document_id, coder_id=coder_id_)
    row.status, row.updated_at = DocumentStatusValue.DONE.value, utcnow()
    session.add(row)
    return True


def mark_done(project: Project, coder: str, documents: list[str] | None) -> tuple[list[str], list[str]]:
    """`annotator documents done`: mark documents (None = all) done for an existing coder, in one
    transaction. Returns (newly marked, already done) document names; unknown names change nothing."""
    with project.write() as s:
        cid = s.exec(select(Coder.id).where(Coder.name == coder.strip())).first()
        if cid is None:
            known = ", ".join(s.exec(select(Coder.name).order_by(Coder.name)).all()) or "none yet"
            raise UserError(f"no coder named '{coder}' in this project; known: {known} (see 'annotator coders list')")
        rows = s.exec(select(Document.id, Document.name).order_by(Document.position, Document.id)).all()
        by_name = {n: i for i, n in rows}
        if documents is None:
            chosen = [n for _i, n in rows]
        else:
            chosen = list(dict.fromkeys(documents))
            unknown = [n for n in chosen if n not in by_name]
            if unknown:
                raise UserError(
                    f"unknown document(s) {', '.join(unknown)}; nothing marked (see 'annotator documents list')"
                )
        if not chosen:
            raise UserError("the project has no documents; import some with 'annotator import FILE...'")
        new, already = [], []
        for name in chosen:
            (new if set_done(s, by_name[name], int(cid)) else already).append(name)
        return new, already


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
