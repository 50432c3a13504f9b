"""The bridge between REFI-QDA model objects and the store: export a project, import one, read a .qdc.

Identity is kept stable across round trips: coders, codes and documents get GUIDs minted from their
name, key and content hash (`stable_guid`), and a span's uid becomes its selection GUID (a uuid4 hex
uid is the same UUID written with dashes), so export -> import gives back the same uids and a second
import of the same file adds nothing.

Import is all-or-nothing (one transaction): documents are matched by content hash (an existing one is
reused), codes by key, coders by name; spans already present (same uid, or same document, coder,
code, start and end) are skipped. What REFI-QDA cannot carry (shortcuts, include/exclude rules,
examples, document attributes) is not exported.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import func
from sqlmodel import select

from annotator.core.codebook import DEFAULT_PALETTE, KEY_RE, Codebook, codebook_to_yaml, parse_codebook
from annotator.core.codebook import Code as CodeNode
from annotator.core.errors import UserError
from annotator.core.exchange.refi_model import (
    QdaCode,
    QdaCodebook,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    stable_guid,
    walk_codes_with_parent,
)
from annotator.core.exchange.refi_position_report import PositionReport
from annotator.core.spans import check_offsets
from annotator.core.text import text_sha256
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span, utcnow
from annotator.store.models import Codebook as CodebookRow
from annotator.store.services import codebooks, documents
from annotator.store.services.export import SpanFilter, resolve_filter
from annotator.store.services.spans import _mark_in_progress, iter_spans

UNKNOWN_CODER = "unknown coder"


def uid_to_guid(uid: str) -> str:
    try:
        return str(uuid.UUID(uid))
    except ValueError:
        return stable_guid("span", uid)


def guid_to_uid(guid: str) -> str:
    try:
        return uuid.UUID(guid).hex
    except ValueError:
        return guid[:36]


def code_guid(key: str) -> str:
    return stable_guid("code", key)


def coder_guid(name: str) -> str:
    return stable_guid("coder", name)


# ------------------------------------------------------------------------------------------ export


def codes_to_qda(nodes: list[CodeNode]) -> list[QdaCode]:
    return [
        QdaCode(
            guid=code_guid(n.key),
            name=n.name,
            color=(n.color or "").lower() or None,
            description=n.description,
            codable=n.codable,
            children=codes_to_qda(n.children),
            key=n.key,
        )
        for n in nodes
    ]


def project_to_qda(project: Project, flt: SpanFilter | None = None) -> QdaProject:
    """The project (or the filtered part of its spans) as a REFI-QDA model ready for `write_qdpx`."""
    resolved = resolve_filter(project, flt)
    book = codebooks.get_codebook(project)
    name = project.path.stem if project.path else "annotator project"
    qda = QdaProject(name=name, codes=codes_to_qda(book.codes))
    doc_guids: dict[int, str] = {}
    for info in documents.list_documents(project):
        if resolved.document_ids is not None and info.id not in resolved.document_ids:
            continue
        doc_guids[info.id] = stable_guid("document", info.sha256)
        qda.sources.append(QdaSource(doc_guids[info.id], info.name, documents.document_text(project, info.id)))
    users: dict[str, str] = {}
    for rec in iter_spans(
        project, coders=resolved.coders, document_ids=resolved.document_ids, code_keys=resolved.code_keys
    ):
        if rec.coder not in users:
            users[rec.coder] = coder_guid(rec.coder)
            qda.users.append(QdaUser(users[rec.coder], rec.coder))
        qda.selections.append(
            QdaSelection(
                guid=uid_to_guid(rec.uid),
                source_guid=doc_guids[rec.document_id],
                start=rec.start,
                end=rec.end,
                code_guids=[code_guid(rec.code_key)],
                user_guid=users[rec.coder],
                memo=rec.memo or None,
                created=_aware(rec.created_at),
            )
        )
    return qda


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


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def import_qda(project: Project, qda: QdaProject, *, source: str = "") -> RefiImportReport:
    """Store a read REFI-QDA project: all of it in one transaction, or nothing."""
    report = RefiImportReport(warnings=list(qda.warnings), positions=qda.positions)
    label = source or qda.name
    with project.write() as s:
        # documents: matched by content hash; a name clash with other text gets a suffix
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
        # codes: matched by key; the missing ones are added under their parent
        meta = s.exec(select(CodebookRow)).first()
        if meta is None:
            meta = CodebookRow(title=qda.name or "Imported codebook", source=label)
            s.add(meta)
            s.flush()
        existing = {c.key: c for c in s.exec(select(Code)).all()}
        next_pos = max((c.position for c in existing.values()), default=-1) + 1
        key_of: dict[str, str] = {}
        used_codes = {g for sel in qda.selections for g in sel.code_guids}
        for i, (code, parent) in enumerate(walk_codes_with_parent(qda.codes)):
            key = code.key or code.guid
            key_of[code.guid] = key
            if key in existing:
                if not existing[key].codable and code.guid in used_codes:
                    existing[key].codable = True
                    report.warnings.append(f"code {key!r} was a grouping here but has codings; made codable")
                continue
            codable = code.codable
            if not codable and code.guid in used_codes:
                codable = True
                report.warnings.append(f"code {code.name!r} is marked not codable but has codings; made codable")
            row = Code(
                key=key,
                name=code.name,
                codebook_id=meta.id,
                position=next_pos,
                parent_id=existing[key_of[parent.guid]].id if parent is not None else None,
                color=code.color or DEFAULT_PALETTE[i % len(DEFAULT_PALETTE)],
                description=code.description.strip(),
                codable=codable,
            )
            next_pos += 1
            s.add(row)
            s.flush()
            existing[key] = row
            report.codes_added.append(key)
        # coders and spans
        user_names = {u.guid: u.name.strip() or f"user-{u.guid[:8]}" for u in qda.users}
        coder_ids = {name: cid for cid, name in s.exec(select(Coder.id, Coder.name)).all()}
        seen_uids: set[str] = set(s.exec(select(Span.uid)).all())
        seen = set(s.exec(select(Span.document_id, Span.coder_id, Span.code_id, Span.start, Span.end)).all())
        touched: set[tuple[int, int]] = set()
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
            for j, cg in enumerate(sel.code_guids):
                if cg not in key_of:
                    raise UserError(f"{label}: selection {sel.guid} refers to unknown code {cg}; nothing imported")
                uid = guid_to_uid(sel.guid) if j == 0 else guid_to_uid(stable_guid("coding", sel.guid, cg))
                identity = (doc_id, coder_ids[coder], existing[key_of[cg]].id, sel.start, sel.end)
                if uid in seen_uids or identity in seen:
                    report.spans_skipped += 1
                    continue
                seen_uids.add(uid)
                seen.add(identity)
                when = _aware(sel.created) or utcnow()
                s.add(
                    Span(
                        uid=uid,
                        document_id=doc_id,
                        coder_id=coder_ids[coder],
                        code_id=identity[2],
                        start=sel.start,
                        end=sel.end,
                        memo=sel.memo or "",
                        created_at=when,
                        updated_at=when,
                    )
                )
                touched.add((doc_id, coder_ids[coder]))
                report.spans_added += 1
        if uncoded:
            report.warnings.append(f"{uncoded} selection(s) without codes were not imported")
        if bad:
            report.warnings.append(f"{bad} selection(s) outside their document were not imported")
        if no_user:
            report.warnings.append(f"{no_user} selection(s) had no creating user; stored as coder {UNKNOWN_CODER!r}")
        s.flush()
        for doc_id, cid in sorted(touched):
            _mark_in_progress(s, doc_id, cid)
    return report


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
