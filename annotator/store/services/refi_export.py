"""Exporting a project as REFI-QDA: a `.qdpx` project and a `.qdc` codebook (the one place for both).

Identity is kept stable across round trips: coders, codes and documents get GUIDs minted from their
name, key and content hash (`stable_guid`), and a span's uid becomes its selection GUID (the uid is a
UUID written as 32 hex digits), so export -> import gives back the same uids and a second import of
the same file adds nothing. What REFI-QDA cannot carry (shortcuts, include/exclude rules, examples,
document attributes) is not exported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from annotator.core.codebook import Code as CodeNode
from annotator.core.errors import UserError
from annotator.core.exchange.refi_model import (
    QdaCode,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    stable_guid,
    walk_codes,
)
from annotator.core.exchange.refi_write import write_qdc, write_qdpx
from annotator.core.spans import check_offsets
from annotator.store.engine import Project
from annotator.store.services import codebooks, documents
from annotator.store.services.export import SpanFilter, resolve_filter
from annotator.store.services.output import check_output
from annotator.store.services.spans import iter_spans


def uid_to_guid(uid: str) -> str:
    """A span uid as a selection GUID (the same UUID, with dashes)."""
    try:
        return str(uuid.UUID(uid))
    except ValueError:  # a uid another program wrote into the database
        return stable_guid("span", uid)


def code_guid(key: str) -> str:
    return stable_guid("code", key)


def coder_guid(name: str) -> str:
    return stable_guid("coder", name)


def as_utc(value: datetime | None) -> datetime | None:
    """Stored times are UTC; the driver may hand them back without a zone."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


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


@dataclass
class QdpxExport:
    """What `export_qdpx` wrote, and the spans it had to leave out (with the reason, one line each)."""

    qda: QdaProject
    left_out: list[str] = field(default_factory=list)
    flavour: str = "standard"

    @property
    def unit(self) -> str:
        return "UTF-16 units, for NVivo" if self.flavour == "nvivo" else "code points"

    def summary(self, path: str | Path) -> str:
        qda = self.qda
        return (
            f"exported {len(qda.sources)} documents, {len(qda.all_codes())} codes, {len(qda.users)} coders, "
            f"{len(qda.selections)} spans to {path} (REFI-QDA 1.5, positions in {self.unit})"
            + (f"; {len(self.left_out)} span(s) left out" if self.left_out else "")
        )


def project_to_qda(project: Project, flt: SpanFilter | None = None) -> QdpxExport:
    """The project (or the filtered part of its spans) as a REFI-QDA model ready for `write_qdpx`.

    A span that does not fit its document (possible only through outside edits of the database) cannot
    be written as a selection; it is left out and named in `left_out` instead of failing the export.
    """
    resolved = resolve_filter(project, flt)
    book = codebooks.get_codebook(project)
    name = project.path.stem if project.path else "annotator project"
    out = QdpxExport(QdaProject(name=name, codes=codes_to_qda(book.codes)))
    qda = out.qda
    doc_guids: dict[int, str] = {}
    lengths: dict[int, int] = {}
    for info in documents.list_documents(project):
        if resolved.document_ids is not None and info.id not in resolved.document_ids:
            continue
        doc_guids[info.id] = stable_guid("document", info.sha256)
        lengths[info.id] = info.length
        qda.sources.append(QdaSource(doc_guids[info.id], info.name, documents.document_text(project, info.id)))
    users: dict[str, str] = {}
    for rec in iter_spans(
        project, coders=resolved.coders, document_ids=resolved.document_ids, code_keys=resolved.code_keys
    ):
        problem = check_offsets(lengths[rec.document_id], rec.start, rec.end)
        if problem:
            out.left_out.append(f"span {rec.uid} ({rec.coder}, {rec.code_key}) in '{rec.document}' left out: {problem}")
            continue
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
                created=as_utc(rec.created_at),
            )
        )
    return out


def _write(out: Path, write: Callable[[], None]) -> None:
    try:
        write()
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({exc.strerror or exc})") from None


def export_qdpx(
    project: Project, path: str | Path, flt: SpanFilter | None = None, flavour: str = "standard"
) -> QdpxExport:
    """`export qdpx` / File > Export > REFI-QDA project: the project as a `.qdpx` (atomic).

    `flavour` "nvivo" writes positions in UTF-16 units, as NVivo reads them; "standard" in code points.
    """
    out = check_output(project, path)
    result = project_to_qda(project, flt)
    result.flavour = flavour
    _write(out, lambda: write_qdpx(result.qda, out, flavour=flavour))
    return result


def export_qdc(project: Project, path: str | Path) -> int:
    """`export qdc` / File > Export > REFI-QDA codebook: the codebook as a `.qdc`; returns the code count."""
    out = check_output(project, path)
    codes = codes_to_qda(codebooks.get_codebook(project).codes)
    if not codes:
        raise UserError("the project has no codebook yet; load one with 'annotator codebook load FILE'")
    _write(out, lambda: write_qdc(codes, out))
    return sum(1 for _ in walk_codes(codes))
