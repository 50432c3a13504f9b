"""Importing a REFI-QDA project into the store, and reading a .qdc as our codebook.

Import is all-or-nothing (one transaction): documents are matched by content hash (an existing one is
reused), codes by key (`upsert_codes`), coders by name, and spans by `annotator.core.span_identity`
(the rule every import and merge shares): a coding equal to a span already there (identity and memo)
is skipped, one that would change a stored span (same identity with another memo, or its GUID naming
another span) refuses the import. Selections outside their document are left out and reported.
Export lives in `refi_export`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from annotator.core.codebook import DEFAULT_PALETTE, KEY_RE, Codebook, codebook_to_yaml, parse_codebook
from annotator.core.codebook import Code as CodeNode
from annotator.core.errors import UserError
from annotator.core.exchange.refi_model import (
    QdaCode,
    QdaCodebook,
    QdaProject,
    QdaSelection,
    stable_guid,
    walk_codes_with_parent,
)
from annotator.core.exchange.refi_position_report import PositionReport
from annotator.core.exchange.refi_read import read_qdpx
from annotator.core.span_identity import KnownSpan, Match, SpanKey, SpanLedger, canonical_uid
from annotator.core.spans import check_offsets
from annotator.core.text import text_sha256
from annotator.store.bulk import bulk_insert
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span, utcnow
from annotator.store.models import Codebook as CodebookRow
from annotator.store.services.codebooks import upsert_codes
from annotator.store.services.refi_export import as_utc
from annotator.store.services.status import mark_in_progress

UNKNOWN_CODER = "unknown coder"


def guid_to_uid(guid: str) -> str:
    return canonical_uid(guid)


# ------------------------------------------------------------------------------------------ import


@dataclass
class RefiImportReport:
    documents_added: list[str] = field(default_factory=list)
    documents_reused: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    spans_added: int = 0
    spans_skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    positions: PositionReport | None = None  # which unit the file's positions were read in, and how sure

    def position_lines(self) -> list[str]:
        """The position report in sentences (empty for a file without selections)."""
        return self.positions.lines() if self.positions else []

    def summary(self) -> str:
        return (
            f"{len(self.documents_added)} documents added ({len(self.documents_reused)} already present), "
            f"{len(self.codes_added)} codes added, {len(self.coders)} coders, {self.spans_added} spans added"
            + (f" ({self.spans_skipped} already present, skipped)" if self.spans_skipped else "")
        )


def import_qdpx(project: Project, path: str | Path, *, storing: Callable[[], None] | None = None) -> RefiImportReport:
    """`annotator import X.qdpx` / File > Import > REFI-QDA project: read the archive (refusing hostile
    ones), then store it all or nothing. `storing()` is called between the two (from then on the
    import runs to its end)."""
    qda = read_qdpx(path)
    if storing is not None:
        storing()
    return import_qda(project, qda, source=Path(path).name)


def import_qda(project: Project, qda: QdaProject, *, source: str = "") -> RefiImportReport:
    """Store a read REFI-QDA project: all of it in one transaction, or nothing."""
    report = RefiImportReport(warnings=list(qda.warnings), positions=qda.positions)
    label = source or qda.name
    with project.write() as s:
        doc_of, lengths = _store_documents(s, qda, label, report)
        key_of = _store_codes(s, qda, label, report)
        _store_spans(s, qda, label, doc_of, lengths, key_of, report)
    return report


def _store_documents(
    s: Session, qda: QdaProject, label: str, report: RefiImportReport
) -> tuple[dict[str, int], dict[str, int]]:
    """Documents matched by content hash; a name clash with another text gets a suffix."""
    by_hash = dict(s.exec(select(Document.sha256, Document.id)).all())
    names = set(s.exec(select(Document.name)).all())
    position = (s.exec(select(func.max(Document.position))).one() or 0) + 1
    doc_of: dict[str, int] = {}
    lengths: dict[str, int] = {}
    for src in qda.sources:
        lengths[src.guid] = len(src.text)
        digest = text_sha256(src.text)
        if digest in by_hash:
            doc_of[src.guid] = by_hash[digest]
            report.documents_reused.append(src.name)
            continue
        name, n = src.name, 2
        while name in names:
            name, n = f"{src.name} ({n})", n + 1
        if name != src.name:
            report.warnings.append(f"a different document is already called {src.name!r}; imported as {name!r}")
        row = Document(
            name=name,
            text=src.text,
            sha256=digest,
            source_filename=f"{label}:{src.name}",
            attributes={},
            position=position,
        )
        position += 1
        s.add(row)
        s.flush()
        names.add(name)
        by_hash[digest] = doc_of[src.guid] = row.id  # type: ignore[assignment]
        report.documents_added.append(name)
    return doc_of, lengths


def _store_codes(s: Session, qda: QdaProject, label: str, report: RefiImportReport) -> dict[str, int]:
    """Codes matched by key, the missing ones added under their parent; code GUID -> code id."""
    meta = s.exec(select(CodebookRow)).first()
    if meta is None:
        meta = CodebookRow(title=qda.name or "Imported codebook", source=label)
        s.add(meta)
        s.flush()
    known = {key: codable for key, codable in s.exec(select(Code.key, Code.codable)).all()}
    used = {g for sel in qda.selections for g in sel.code_guids}
    nodes: list[CodeNode] = []
    for i, (code, parent) in enumerate(walk_codes_with_parent(qda.codes)):
        key = code.key or code.guid
        codable = code.codable
        if code.guid in used and not codable and key not in known:
            codable = True
            report.warnings.append(f"code {code.name!r} is marked not codable but has codings; made codable")
        nodes.append(
            CodeNode(
                key=key,
                name=code.name,
                color=code.color or DEFAULT_PALETTE[i % len(DEFAULT_PALETTE)],
                description=code.description.strip(),
                codable=codable,
                parent_key=(parent.key or parent.guid) if parent is not None else None,
            )
        )
    done = upsert_codes(s, nodes, codebook_id=meta.id, update_existing=False)
    report.codes_added.extend(done.added)
    key_of = {code.guid: code.key or code.guid for code, _p in walk_codes_with_parent(qda.codes)}
    for guid, key in key_of.items():
        row = done.rows[key]
        if guid in used and not row.codable:
            row.codable = True
            report.warnings.append(f"code {key!r} was a grouping here but has codings; made codable")
    return {guid: done.rows[key].id for guid, key in key_of.items()}  # type: ignore[misc]


def _codings(sel: QdaSelection) -> list[tuple[str, str]]:
    """(uid, code GUID) of each coding of a selection; the first keeps the selection's GUID as uid."""
    return [
        (guid_to_uid(sel.guid) if j == 0 else guid_to_uid(stable_guid("coding", sel.guid, cg)), cg)
        for j, cg in enumerate(sel.code_guids)
    ]


def _ledger(s: Session, document_ids: set[int], uids: list[str]) -> SpanLedger:
    """The stored spans this import could meet: those of its documents, and those of its uids."""
    ledger = SpanLedger()
    sp = Span.__table__
    cols = (sp.c.uid, sp.c.document_id, sp.c.coder_id, sp.c.code_id, sp.c.start, sp.c.end, sp.c.memo)
    ids = sorted(document_ids)
    wheres = [sp.c.document_id.in_(ids[i : i + 500]) for i in range(0, len(ids), 500)]
    wheres += [sp.c.uid.in_(uids[i : i + 500]) for i in range(0, len(uids), 500)]
    for where in wheres:
        for uid, doc, coder, code, start, end, memo in s.connection().execute(select(*cols).where(where)):
            ledger.add(KnownSpan(uid, SpanKey(doc, coder, code, start, end), memo or ""))
    return ledger


_CONFLICT = {
    Match.OTHER_MEMO: "the project has this span (same coder, code and offsets) with another memo",
    Match.UID_ELSEWHERE: "its GUID already names another span of the project",
}


def _store_spans(
    s: Session,
    qda: QdaProject,
    label: str,
    doc_of: dict[str, int],
    lengths: dict[str, int],
    code_ids: dict[str, int],
    report: RefiImportReport,
) -> None:
    user_names = {u.guid: u.name.strip() or f"user-{u.guid[:8]}" for u in qda.users}
    coder_ids = {name: cid for cid, name in s.exec(select(Coder.id, Coder.name)).all()}
    ledger = _ledger(s, set(doc_of.values()), [uid for sel in qda.selections for uid, _cg in _codings(sel)])
    touched: set[tuple[int, int]] = set()
    new: list[tuple[object, ...]] = []
    conflicts: list[str] = []
    no_user = uncoded = bad = 0
    for sel in qda.selections:
        if not sel.code_guids:
            uncoded += 1
            continue
        if sel.source_guid not in doc_of or check_offsets(lengths[sel.source_guid], sel.start, sel.end):
            bad += 1
            continue
        coder = user_names.get(sel.user_guid or "", UNKNOWN_CODER)
        if sel.user_guid is None:
            no_user += 1
        if coder not in coder_ids:
            row = Coder(name=coder)
            s.add(row)
            s.flush()
            coder_ids[coder] = row.id  # type: ignore[assignment]
        if coder not in report.coders:
            report.coders.append(coder)
        doc_id = doc_of[sel.source_guid]
        memo = sel.memo or ""
        for uid, cg in _codings(sel):
            if cg not in code_ids:
                raise UserError(f"{label}: selection {sel.guid} refers to unknown code {cg}; nothing imported")
            key = SpanKey(doc_id, coder_ids[coder], code_ids[cg], sel.start, sel.end)
            match, _other = ledger.match(uid, key, memo)
            if match is Match.SAME:
                report.spans_skipped += 1
            elif match is Match.NEW:
                ledger.add(KnownSpan(uid, key, memo))
                when = as_utc(sel.created) or utcnow()
                new.append((uid, *key, memo, when, when))
                touched.add((doc_id, coder_ids[coder]))
            else:
                conflicts.append(f"{label}: selection {sel.guid} ({coder}, {sel.start}-{sel.end}): {_CONFLICT[match]}")
    if conflicts:
        shown = conflicts[:20] + ([f"... and {len(conflicts) - 20} more"] if len(conflicts) > 20 else [])
        raise UserError(
            "\n".join(shown) + f"\n{label}: nothing imported; importing would overwrite or lose what the project "
            "has (edit the memo in one place, or import into another project and merge)"
        )
    columns = ("uid", "document_id", "coder_id", "code_id", "start", "end", "memo", "created_at", "updated_at")
    bulk_insert(s.connection(), Span.__table__, columns, new)
    report.spans_added = len(new)
    if uncoded:
        report.warnings.append(f"{uncoded} selection(s) without codes were not imported")
    if bad:
        report.warnings.append(f"{bad} selection(s) outside their document were not imported")
    if no_user:
        report.warnings.append(f"{no_user} selection(s) had no creating user; stored as coder {UNKNOWN_CODER!r}")
    mark_in_progress(s, touched)


# ---------------------------------------------------------------------------------------- codebook


def qdc_to_codebook(qdc: QdaCodebook, title: str) -> Codebook:
    """A .qdc code tree as our Codebook (colours filled from the palette), validated like YAML."""
    counter = iter(range(10**9))

    def node(code: QdaCode, parent: str | None) -> CodeNode:
        key = code.key or code.guid
        if not KEY_RE.match(key):
            key = "code_" + code.guid.replace("-", "")[:12]
        n = next(counter)
        return CodeNode(
            key=key,
            name=code.name.strip() or key,
            color=code.color or DEFAULT_PALETTE[n % len(DEFAULT_PALETTE)],
            description=code.description.strip(),
            codable=code.codable,
            parent_key=parent,
            children=[node(k, key) for k in code.children],
        )

    book = Codebook(
        title=title,
        description=f"Imported from a REFI-QDA codebook ({qdc.origin or 'unknown tool'})",
        codes=[node(c, None) for c in qdc.codes],
    )
    # Round-trip through the YAML parser: the same checks (unique keys, names) as a hand-written codebook.
    return parse_codebook(codebook_to_yaml(book), title)
