"""Merging coders' projects into a supervisor's project.

Documents are matched by content hash (documents the target lacks are copied in), codes by key (missing
codes are added with their parents, `upsert_codes`), coders by name. Spans are compared by
`annotator.core.span_identity` (the rule every import and merge shares): a span whose identity
(document, coder, code, start, end) and memo equal one in the target is already present, so merging the
same file twice adds nothing the second time. Every span of the other project is checked against its
document's text first; one that does not fit (a file edited outside annotator) refuses the merge.

Conflicts are reported, never silently resolved. For a coder and a document that both projects have
spans for, the merge is a conflict when
- a span differs from the target's (its uid names a span that was moved or recoded, or the same span
  has another memo), or
- both sides have spans the other lacks (they diverged).
By default a merge with conflicts is refused and nothing is written; `allow_conflicts=True` adds the
other project's new spans anyway, keeps this project's version of every edited span and lists them.
When the other project merely lacks some of this project's spans (an older copy), nothing is removed;
that is listed as a note.

All sources are planned in memory first, then written in one transaction after a consistent backup of
the target (`<name>.pre-merge-<time>.db`; on PostgreSQL a schema `annotator_pre_merge_<time>`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from annotator.core.codebook import Code as CodeNode
from annotator.core.errors import UserError
from annotator.core.span_identity import KnownSpan, Match, SpanKey, SpanLedger
from annotator.core.spans import check_offsets
from annotator.store.backup import backup_schema, backup_sqlite
from annotator.store.engine import Project, open_project
from annotator.store.models import Code, Coder, Document, DocumentStatus, Span, utcnow
from annotator.store.models import Codebook as CodebookRow
from annotator.store.services import codebooks


@dataclass(frozen=True)
class SpanData:
    uid: str
    sha: str
    coder: str
    code: str
    start: int
    end: int
    memo: str
    created_at: datetime
    updated_at: datetime

    @property
    def identity(self) -> SpanKey:
        """Across projects a document is named by its content hash, a coder by name, a code by key."""
        return SpanKey(self.sha, self.coder, self.code, self.start, self.end)

    def known(self) -> KnownSpan:
        return KnownSpan(self.uid, self.identity, self.memo)


@dataclass
class Conflict:
    other: str
    coder: str
    document: str
    only_here: int
    only_there: int
    edited: int

    def line(self) -> str:
        parts = []
        if self.edited:
            parts.append(f"{self.edited} span(s) edited differently")
        if self.only_here or self.only_there:
            parts.append(f"{self.only_here} span(s) only here, {self.only_there} only in {self.other}")
        return f"conflict: coder '{self.coder}' on '{self.document}': " + "; ".join(parts)


@dataclass
class MergeReport:
    documents_added: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    coders_added: list[str] = field(default_factory=list)
    spans_added: int = 0
    spans_present: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    backup: Path | None = None
    backup_schema: str | None = None  # PostgreSQL: the schema on the server holding the copy
    dry_run: bool = False

    def lines(self) -> list[str]:
        out = [c.line() for c in self.conflicts] + self.notes
        if self.backup:
            out.append(f"backup before merging: {self.backup}")
        if self.backup_schema:
            out.append(f"backup before merging: schema {self.backup_schema} on the server (a copy of every table)")
        verb = "would add" if self.dry_run else "added"
        out.append(
            f"merge: {verb} {len(self.documents_added)} documents, {len(self.codes_added)} codes, "
            f"{len(self.coders_added)} coders, {self.spans_added} spans ({self.spans_present} already "
            f"present); {len(self.conflicts)} conflict(s)" + (" (dry run: nothing changed)" if self.dry_run else "")
        )
        return out


@dataclass
class _Source:
    label: str
    docs: list[Document]
    meta: CodebookRow | None
    codes: list[CodeNode]
    coders: list[str]
    spans: list[SpanData]
    statuses: list[tuple[str, str, str]]  # (document hash, coder, status)


def _read_source(path: str | Path, target: Project) -> _Source:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such project file")
    if target.path is not None and path.resolve() == target.path.resolve():
        raise UserError(f"{path}: is the project being merged into; name another project")
    other = open_project(path)
    try:
        with other.read() as s:
            docs = list(s.exec(select(Document).order_by(Document.position, Document.id)).all())
            meta = s.exec(select(CodebookRow)).first()
            sha_of = {d.id: d.sha256 for d in docs}
            names = dict(s.exec(select(Coder.id, Coder.name)).all())
            keys = dict(s.exec(select(Code.id, Code.key)).all())
            spans = [
                SpanData(
                    sp.uid,
                    sha_of[sp.document_id],
                    names[sp.coder_id],
                    keys[sp.code_id],
                    sp.start,
                    sp.end,
                    sp.memo or "",
                    sp.created_at,
                    sp.updated_at,
                )
                for sp in s.exec(select(Span).order_by(Span.id)).all()
            ]
            statuses = [
                (sha_of[st.document_id], names[st.coder_id], st.status) for st in s.exec(select(DocumentStatus)).all()
            ]
        book = codebooks.get_codebook(other)
    finally:
        other.close()
    _check_offsets(path, docs, spans)
    return _Source(path.name, docs, meta, list(book.iter_codes()), sorted(names.values()), spans, statuses)


def _check_offsets(path: Path, docs: list[Document], spans: list[SpanData]) -> None:
    """Refuse a project whose spans do not fit their documents (possible only by editing it outside)."""
    by_sha = {d.sha256: d for d in docs}
    problems = []
    for sp in spans:
        doc = by_sha[sp.sha]
        problem = check_offsets(len(doc.text), sp.start, sp.end)
        if problem:
            problems.append(f"{path}: span {sp.uid} of {sp.coder} ({sp.code}) in '{doc.name}': {problem}")
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise UserError(
            "\n".join(shown) + f"\n{path}: merge refused, nothing changed; that project was changed outside "
            "annotator: fix or delete those spans there, then merge again"
        )


@dataclass
class _State:
    """The target as it will be after the sources planned so far."""

    doc_names: dict[str, str]  # hash -> name
    codes: dict[str, bool]  # key -> codable
    coders: set[str]
    ledger: SpanLedger
    groups: dict[tuple[str, str], list[SpanData]]  # (coder, hash) -> spans
    statuses: set[tuple[str, str]]


def _load_state(s: Session) -> _State:
    sha_of = dict(s.exec(select(Document.id, Document.sha256)).all())
    names = dict(s.exec(select(Coder.id, Coder.name)).all())
    keys = dict(s.exec(select(Code.id, Code.key)).all())
    state = _State(
        doc_names=dict(s.exec(select(Document.sha256, Document.name)).all()),
        codes=dict(s.exec(select(Code.key, Code.codable)).all()),
        coders=set(names.values()),
        ledger=SpanLedger(),
        groups=defaultdict(list),
        statuses={
            (sha_of[d], names[c]) for d, c in s.exec(select(DocumentStatus.document_id, DocumentStatus.coder_id)).all()
        },
    )
    for sp in s.exec(select(Span)).all():
        _add_span(
            state,
            SpanData(
                sp.uid,
                sha_of[sp.document_id],
                names[sp.coder_id],
                keys[sp.code_id],
                sp.start,
                sp.end,
                sp.memo or "",
                sp.created_at,
                sp.updated_at,
            ),
        )
    return state


def _add_span(state: _State, span: SpanData) -> None:
    state.ledger.add(span.known())
    state.groups[(span.coder, span.sha)].append(span)


@dataclass
class _Plan:
    docs: list[tuple[Document, str]] = field(default_factory=list)  # (source row, name to use)
    meta: CodebookRow | None = None
    codes: list[CodeNode] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    spans: list[SpanData] = field(default_factory=list)
    statuses: list[tuple[str, str, str]] = field(default_factory=list)


def _plan_source(src: _Source, state: _State, plan: _Plan, report: MergeReport, allow: bool) -> None:
    for doc in src.docs:
        if doc.sha256 in state.doc_names:
            continue
        name, taken = doc.name, set(state.doc_names.values())
        if name in taken:
            name = f"{doc.name} (from {Path(src.label).stem})"
            n = 2
            while name in taken:
                name, n = f"{doc.name} (from {Path(src.label).stem}, {n})", n + 1
            report.notes.append(f"{src.label}: another text is already called '{doc.name}'; added as '{name}'")
        state.doc_names[doc.sha256] = name
        plan.docs.append((doc, name))
        report.documents_added.append(name)
    if not state.codes and plan.meta is None and src.meta is not None:
        plan.meta = src.meta
    for node in src.codes:
        if node.key not in state.codes:
            state.codes[node.key] = node.codable
            plan.codes.append(node)
            report.codes_added.append(node.key)
    for name in src.coders:
        if name not in state.coders:
            state.coders.add(name)
            plan.coders.append(name)
            report.coders_added.append(name)
    groups: dict[tuple[str, str], list[SpanData]] = defaultdict(list)
    for sp in src.spans:
        groups[(sp.coder, sp.sha)].append(sp)
    for (coder, sha), theirs in groups.items():
        ours = list(state.groups.get((coder, sha), []))
        new, edited = [], 0
        for sp in theirs:
            match, _here = state.ledger.match(sp.uid, sp.identity, sp.memo)
            if match is Match.NEW:
                new.append(sp)
            elif match is not Match.SAME:  # moved, recoded or memo edited on one side
                edited += 1
        their_uids = {sp.uid for sp in theirs}
        their_ids = {sp.identity for sp in theirs}
        only_here = sum(1 for sp in ours if sp.uid not in their_uids and sp.identity not in their_ids)
        if edited or (new and only_here):
            report.conflicts.append(Conflict(src.label, coder, state.doc_names[sha], only_here, len(new), edited))
            if not allow:
                continue
            if edited:
                report.notes.append(
                    f"{src.label}: kept this project's version of {edited} span(s) edited "
                    f"differently by '{coder}' on '{state.doc_names[sha]}'"
                )
        elif only_here:
            report.notes.append(
                f"note: '{coder}' has {only_here} span(s) on '{state.doc_names[sha]}' that "
                f"{src.label} lacks (an older copy?); they are kept"
            )
        for sp in new:
            if state.codes.get(sp.code) is False:
                note = f"note: code '{sp.code}' is a grouping (not codable) here, yet {src.label} has spans on it"
                if note not in report.notes:
                    report.notes.append(note)
            _add_span(state, sp)
            plan.spans.append(sp)
        report.spans_added += len(new)
        report.spans_present += len(theirs) - len(new)
    for sha, coder, status in src.statuses:
        if (sha, coder) not in state.statuses and sha in state.doc_names:
            state.statuses.add((sha, coder))
            plan.statuses.append((sha, coder, status))


class _DryRunRollbackError(Exception):
    pass


def merge_projects(
    target: Project, others: list[str | Path], *, allow_conflicts: bool = False, dry_run: bool = False
) -> MergeReport:
    """Merge `others` into `target` in one transaction; refuse (writing nothing) on conflicts unless allowed."""
    sources = [_read_source(p, target) for p in others]
    report = MergeReport(dry_run=dry_run)
    try:
        with target.write() as s:
            state = _load_state(s)
            plan = _Plan()
            for src in sources:
                _plan_source(src, state, plan, report, allow_conflicts)
            if report.conflicts and not allow_conflicts:
                listed = "\n".join(c.line() for c in report.conflicts)
                raise UserError(
                    f"{listed}\nmerge refused: {len(report.conflicts)} conflict(s); nothing changed. "
                    "Check with the coders, or merge anyway with --allow-conflicts (their differing "
                    "spans are added, edited spans keep this project's version)"
                )
            if dry_run:
                raise _DryRunRollbackError
            if plan.docs or plan.codes or plan.coders or plan.spans:
                _back_up(target, s, report)
            _apply(s, plan)
    except _DryRunRollbackError:
        pass
    return report


def _back_up(target: Project, s: Session, report: MergeReport) -> None:
    """The backup the README promises before a merge writes: a file next to a SQLite project, a schema
    on a PostgreSQL server (in this transaction: it exists exactly when the merge is committed)."""
    if target.path is not None:
        report.backup = backup_sqlite(target.path, "pre-merge")
    elif target.is_postgresql:
        try:
            report.backup_schema = backup_schema(s.connection(), "pre-merge")
        except DBAPIError as exc:
            detail = " ".join(str(exc.orig).split())
            raise UserError(
                f"merge refused: no backup could be made on the server ({detail}); nothing changed. "
                "Ask the database owner for the CREATE privilege on the database, or take a backup "
                "yourself (pg_dump -Fc) and ask them to merge"
            ) from None


def _apply(s: Session, plan: _Plan) -> None:
    position = max(s.exec(select(Document.position)).all(), default=0) + 1
    for doc, name in plan.docs:
        s.add(
            Document(
                name=name,
                text=doc.text,
                sha256=doc.sha256,
                source_filename=doc.source_filename,
                imported_at=doc.imported_at,
                attributes=dict(doc.attributes or {}),
                position=position,
            )
        )
        position += 1
    meta = s.exec(select(CodebookRow)).first()
    if meta is None and (plan.meta is not None or plan.codes):
        src = plan.meta
        meta = CodebookRow(
            title=src.title if src else "Merged codebook",
            version=src.version if src else "",
            description=src.description if src else "",
            rules=src.rules if src else "",
            source=src.source if src else "merge",
            loaded_at=utcnow(),
        )
        s.add(meta)
    s.flush()
    done = codebooks.upsert_codes(s, plan.codes, codebook_id=meta.id if meta else None, update_existing=False)
    code_ids = {key: row.id for key, row in done.rows.items()}
    for name in plan.coders:
        s.add(Coder(name=name))
    s.flush()
    doc_ids = dict(s.exec(select(Document.sha256, Document.id)).all())
    coder_ids = dict(s.exec(select(Coder.name, Coder.id)).all())
    for sp in plan.spans:
        s.add(
            Span(
                uid=sp.uid,
                document_id=doc_ids[sp.sha],
                coder_id=coder_ids[sp.coder],
                code_id=code_ids[sp.code],
                start=sp.start,
                end=sp.end,
                memo=sp.memo,
                created_at=sp.created_at,
                updated_at=sp.updated_at,
            )
        )
    for sha, coder, status in plan.statuses:
        s.add(DocumentStatus(document_id=doc_ids[sha], coder_id=coder_ids[coder], status=status))
    s.flush()
