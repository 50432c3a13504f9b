"""Project housekeeping: rename a coder, merge two coder names, delete a document with its spans, delete
one coder's spans on some documents. The window and the command line call these same functions.

Each action comes in three parts: `preview_*` says what goes or changes (read only; shown in the
confirmation), the action itself writes a backup of a SQLite project first (`store/backup.py`) and then
changes the project in one transaction, and it returns what it removed or changed, which the matching
`undo_*` function puts back (the window's Ctrl+Z). Deletes remove spans explicitly before their
document or coder, so the store's ON DELETE RESTRICT never trips.

Merging coder A into B keeps span identity (document, coder, code, start, end) unique: a span of A that B
has too is folded into B's (memos joined) instead of becoming a duplicate; statuses combine to the more
advanced of the two (not started < in progress < done).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from annotator.core.errors import UserError
from annotator.core.spans import SpanRecord
from annotator.store.backup import backup_sqlite
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, DocumentStatus, Span

_ORDER = {"not_started": 0, "in_progress": 1, "done": 2}
MEMO_JOIN = "\n\n"


@dataclass(frozen=True)
class Preview:
    """What an action will do, one line each; `title` says it in a few words."""

    title: str
    lines: list[str]

    def text(self) -> str:
        return "\n".join([self.title, *(f"  - {line}" for line in self.lines)])


def _backup(project: Project, reason: str, backup: bool) -> Path | None:
    return backup_sqlite(project.path, reason) if backup and project.path is not None else None


def _coder(s: Session, name: str) -> Coder:
    row = s.exec(select(Coder).where(Coder.name == name.strip())).first()
    if row is None:
        raise UserError(f"no coder named '{name.strip()}' in this project; see 'annotator coders list'")
    return row


def _document(s: Session, name: str) -> Document:
    row = s.exec(select(Document).where(Document.name == name)).first()
    if row is None:
        raise UserError(f"no document named '{name}' in this project; see 'annotator documents list'")
    return row


def _spans(s: Session, *where: object) -> list[tuple[Span, str, str, str]]:
    return list(
        s.exec(
            select(Span, Document.name, Coder.name, Code.key)
            .join(Document, Document.id == Span.document_id)
            .join(Coder, Coder.id == Span.coder_id)
            .join(Code, Code.id == Span.code_id)
            .where(*where)
            .order_by(Span.document_id, Span.start, Span.end, Span.id)
        ).all()
    )


def _record(span: Span, document: str, coder: str, code: str) -> SpanRecord:
    return SpanRecord(
        span.id,
        span.uid,
        span.document_id,
        document,
        coder,
        code,
        span.start,
        span.end,
        span.memo or "",
        span.created_at,
        span.updated_at,
    )


def _insert_spans(s: Session, records: list[SpanRecord]) -> None:
    """Put spans back with their ids and uids (coders created if missing; codes must still exist)."""
    coders: dict[str, int] = {}
    codes = dict(s.exec(select(Code.key, Code.id)).all())
    for r in records:
        if r.coder not in coders:
            row = s.exec(select(Coder).where(Coder.name == r.coder)).first()
            if row is None:
                row = Coder(name=r.coder)
                s.add(row)
                s.flush()
            coders[r.coder] = row.id  # type: ignore[assignment]
        if r.code_key not in codes:
            raise UserError(f"cannot restore a span of code '{r.code_key}': the codebook no longer has it")
        s.add(
            Span(
                id=r.id,
                uid=r.uid,
                document_id=r.document_id,
                coder_id=coders[r.coder],
                code_id=codes[r.code_key],
                start=r.start,
                end=r.end,
                memo=r.memo,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
        )
    s.flush()


def _count_line(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


# -- rename a coder --------------------------------------------------------------------------------
def preview_rename_coder(project: Project, old: str, new: str) -> Preview:
    new = new.strip()
    with project.read() as s:
        row = _coder(s, old)
        if not new:
            raise UserError("the new coder name is empty; give a name")
        if new != row.name and s.exec(select(Coder).where(Coder.name == new)).first() is not None:
            raise UserError(
                f"a coder named '{new}' exists already; to put both names together use "
                f"'annotator coders merge {row.name} --into {new}'"
            )
        n = s.exec(select(func.count(Span.id)).where(Span.coder_id == row.id)).one()
    return Preview(f"Rename coder '{row.name}' to '{new}'", [f"{_count_line(n, 'span')} keep their coder, renamed"])


def rename_coder(project: Project, old: str, new: str, *, backup: bool = True) -> Path | None:
    """Rename coder `old` to `new` (refused if `new` exists: that is a merge). Returns the backup's path."""
    preview_rename_coder(project, old, new)
    made = _backup(project, "pre-rename-coder", backup)
    with project.write() as s:
        _coder(s, old).name = new.strip()
    return made


# -- merge two coder names -------------------------------------------------------------------------
@dataclass
class MergedCoders:
    """What `merge_coders` changed, for `undo_merge_coders`."""

    source: str
    into: str
    moved: list[int] = field(default_factory=list)  # ids of the source's spans now the target's
    folded: list[tuple[SpanRecord, int, str]] = field(default_factory=list)  # (removed, kept span id, its memo)
    statuses: list[tuple[int, str, str | None]] = field(default_factory=list)  # doc, source's, target's before
    backup: Path | None = None


def _merge_plan(s: Session, source: Coder, into: Coder) -> tuple[list[int], list[tuple[Span, Span]]]:
    """(source span ids that move, (source span, target span) pairs that fold)."""
    kept = {
        (sp.document_id, sp.code_id, sp.start, sp.end): sp
        for sp in s.exec(select(Span).where(Span.coder_id == into.id))
    }
    moved, folded = [], []
    for sp in s.exec(select(Span).where(Span.coder_id == source.id).order_by(Span.id)):
        key = (sp.document_id, sp.code_id, sp.start, sp.end)
        if key in kept:
            folded.append((sp, kept[key]))
        else:
            moved.append(sp.id)
            kept[key] = sp
    return moved, folded  # type: ignore[return-value]


def preview_merge_coders(project: Project, source: str, into: str) -> Preview:
    with project.read() as s:
        a, b = _coder(s, source), _coder(s, into)
        if a.id == b.id:
            raise UserError(f"'{a.name}' and '{b.name}' are the same coder; choose two different names")
        moved, folded = _merge_plan(s, a, b)
        n_status = s.exec(select(func.count(DocumentStatus.id)).where(DocumentStatus.coder_id == a.id)).one()
    return Preview(
        f"Merge coder '{a.name}' into '{b.name}'",
        [
            f"{_count_line(len(moved), 'span')} of '{a.name}' become '{b.name}''s",
            f"{_count_line(len(folded), 'span')} of '{a.name}' that '{b.name}' has too are folded into "
            f"'{b.name}''s (memos joined)",
            f"{_count_line(n_status, 'document status')} combined (the more advanced one is kept)",
            f"the coder name '{a.name}' goes",
        ],
    )


def _join(memo: str, other: str) -> str:
    if not other or other == memo:
        return memo
    return other if not memo else memo + MEMO_JOIN + other


def merge_coders(project: Project, source: str, into: str, *, backup: bool = True) -> MergedCoders:
    """Give all of coder `source`'s spans and statuses to coder `into`, then remove the name `source`."""
    preview_merge_coders(project, source, into)
    done = MergedCoders(source.strip(), into.strip(), backup=_backup(project, "pre-merge-coders", backup))
    with project.write() as s:
        a, b = _coder(s, source), _coder(s, into)
        moved, folded = _merge_plan(s, a, b)
        codes = dict(s.exec(select(Code.id, Code.key)).all())
        for sp, keep in folded:
            record = _record(sp, "", a.name, codes[sp.code_id])
            done.folded.append((record, keep.id, keep.memo or ""))  # type: ignore[arg-type]
            keep.memo = _join(keep.memo or "", sp.memo or "")
            s.delete(sp)
        s.flush()
        for sp in s.exec(select(Span).where(Span.id.in_(moved))):  # type: ignore[union-attr]
            sp.coder_id = b.id  # type: ignore[assignment]
        done.moved = moved
        theirs = {st.document_id: st for st in s.exec(select(DocumentStatus).where(DocumentStatus.coder_id == b.id))}
        for st in s.exec(select(DocumentStatus).where(DocumentStatus.coder_id == a.id)).all():
            other = theirs.get(st.document_id)
            done.statuses.append((st.document_id, st.status, other.status if other else None))
            if other is None:
                st.coder_id = b.id  # type: ignore[assignment]
            else:
                if _ORDER.get(st.status, 0) > _ORDER.get(other.status, 0):
                    other.status = st.status
                s.delete(st)
        s.flush()
        s.delete(a)
    return done


def undo_merge_coders(project: Project, done: MergedCoders) -> None:
    """Put back what `merge_coders` changed: the source coder, its spans, memos and statuses."""
    with project.write() as s:
        if s.exec(select(Coder).where(Coder.name == done.source)).first() is not None:
            raise UserError(f"cannot undo the merge: a coder named '{done.source}' exists again")
        b = _coder(s, done.into)
        a = Coder(name=done.source)
        s.add(a)
        s.flush()
        for sp in s.exec(select(Span).where(Span.id.in_(done.moved))):  # type: ignore[union-attr]
            sp.coder_id = a.id  # type: ignore[assignment]
        for _folded, kept_id, memo in done.folded:
            kept = s.get(Span, kept_id)
            if kept is not None:
                kept.memo = memo
        s.flush()
        _insert_spans(s, [r for r, _k, _m in done.folded])
        theirs = {st.document_id: st for st in s.exec(select(DocumentStatus).where(DocumentStatus.coder_id == b.id))}
        for doc_id, mine, before in done.statuses:
            other = theirs.get(doc_id)
            if before is None:
                if other is not None:
                    other.coder_id = a.id  # type: ignore[assignment]
                    other.status = mine
                    continue
            elif other is not None:
                other.status = before
            s.add(DocumentStatus(document_id=doc_id, coder_id=a.id, status=mine))


# -- delete a document -----------------------------------------------------------------------------
@dataclass
class DeletedDocument:
    """A deleted document as it was, with its spans and statuses, for `restore_document`."""

    values: dict[str, object]
    spans: list[SpanRecord]
    statuses: list[tuple[str, str]]  # (coder, status)
    backup: Path | None = None

    @property
    def name(self) -> str:
        return str(self.values["name"])


def preview_delete_document(project: Project, name: str) -> Preview:
    with project.read() as s:
        doc = _document(s, name)
        rows = s.exec(
            select(Coder.name, func.count(Span.id))
            .join(Span, Span.coder_id == Coder.id)
            .where(Span.document_id == doc.id)
            .group_by(Coder.name)
            .order_by(Coder.name)
        ).all()
        length = len(doc.text)
    lines = [f"the document '{doc.name}' ({length:,} characters)"]
    lines += [f"{_count_line(n, 'span')} of '{coder}'" for coder, n in rows] or ["no spans (nobody coded it)"]
    return Preview(f"Delete document '{doc.name}' with its spans", lines)


_DOC_FIELDS = ("id", "name", "text", "sha256", "source_filename", "imported_at", "attributes", "position")


def delete_document(project: Project, name: str, *, backup: bool = True) -> DeletedDocument:
    """Delete document `name`: its spans and statuses first, then the document (one transaction)."""
    preview_delete_document(project, name)
    made = _backup(project, "pre-delete-document", backup)
    with project.write() as s:
        doc = _document(s, name)
        spans = _spans(s, Span.document_id == doc.id)
        statuses = s.exec(
            select(DocumentStatus, Coder.name)
            .join(Coder, Coder.id == DocumentStatus.coder_id)
            .where(DocumentStatus.document_id == doc.id)
        ).all()
        gone = DeletedDocument(
            {f: getattr(doc, f) for f in _DOC_FIELDS},
            [_record(*row) for row in spans],
            [(coder, st.status) for st, coder in statuses],
            made,
        )
        for st, _coder_name in statuses:
            s.delete(st)
        for row in spans:
            s.delete(row[0])
        s.flush()
        s.delete(doc)
    return gone


def restore_document(project: Project, gone: DeletedDocument) -> None:
    """Put a deleted document back as it was (same id), with its spans and statuses."""
    with project.write() as s:
        clash = s.exec(
            select(Document.name).where((Document.name == gone.name) | (Document.sha256 == gone.values["sha256"]))
        ).first()
        if clash is not None:
            raise UserError(f"cannot restore '{gone.name}': the project has '{clash}' with that name or text now")
        s.add(Document(**gone.values))  # type: ignore[arg-type]
        s.flush()
        _insert_spans(s, gone.spans)
        for coder, status in gone.statuses:
            row = s.exec(select(Coder).where(Coder.name == coder)).first()
            if row is None:
                row = Coder(name=coder)
                s.add(row)
                s.flush()
            s.add(DocumentStatus(document_id=gone.values["id"], coder_id=row.id, status=status))


# -- delete one coder's spans on some documents ----------------------------------------------------
@dataclass
class DeletedSpans:
    spans: list[SpanRecord]
    backup: Path | None = None


def _coder_doc_spans(s: Session, coder: str, documents: list[str]) -> list[tuple[Span, str, str, str]]:
    who = _coder(s, coder)
    if not documents:
        raise UserError("name at least one document whose spans to delete")
    ids = [_document(s, name).id for name in dict.fromkeys(documents)]
    return _spans(s, Span.coder_id == who.id, Span.document_id.in_(ids))  # type: ignore[union-attr]


def preview_delete_spans(project: Project, coder: str, documents: list[str]) -> Preview:
    with project.read() as s:
        rows = _coder_doc_spans(s, coder, documents)
    per_doc: dict[str, int] = {}
    for _sp, doc, _c, _k in rows:
        per_doc[doc] = per_doc.get(doc, 0) + 1
    lines = [f"{_count_line(per_doc.get(d, 0), 'span')} on '{d}'" for d in dict.fromkeys(documents)]
    return Preview(f"Delete {_count_line(len(rows), 'span')} of '{coder.strip()}'", lines)


def delete_spans(project: Project, coder: str, documents: list[str], *, backup: bool = True) -> DeletedSpans:
    """Delete every span of `coder` on the named documents (one transaction); statuses stay."""
    preview_delete_spans(project, coder, documents)
    made = _backup(project, "pre-delete-spans", backup)
    with project.write() as s:
        rows = _coder_doc_spans(s, coder, documents)
        gone = DeletedSpans([_record(*row) for row in rows], made)
        for row in rows:
            s.delete(row[0])
    return gone


def restore_spans(project: Project, gone: DeletedSpans) -> None:
    """Put deleted spans back with their ids and uids."""
    with project.write() as s:
        _insert_spans(s, gone.spans)
