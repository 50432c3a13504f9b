"""Exporting a project's spans (CSV, JSON Lines) and codebook (YAML) for analysts.

Spans are streamed from the database (`iter_spans`, yield_per) in document order, and only the text of
the document being written is held in memory, so the export runs in constant memory however many
spans there are. Every row satisfies `text == document_text[start:end]` (code points, end-exclusive).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from annotator.core.codebook import codebook_to_yaml
from annotator.core.errors import UserError
from annotator.core.exchange.csv_export import ATTR_PREFIX, COLUMNS, Row, atomic_text_file, write_csv, write_jsonl
from annotator.store.engine import Project
from annotator.store.services import codebooks, coders, documents, spans


@dataclass(frozen=True)
class SpanFilter:
    """Which spans to export; None means all. Names are checked against the project (typos fail)."""

    coders: list[str] | None = None
    documents: list[str] | None = None
    codes: list[str] | None = None


@dataclass(frozen=True)
class ResolvedFilter:
    coders: list[str] | None
    document_ids: list[int] | None
    code_keys: list[str] | None


def _unknown(kind: str, names: list[str], hint: str) -> UserError:
    listed = ", ".join(f"'{n}'" for n in names)
    return UserError(f"unknown {kind} {listed}; {hint}")


def resolve_filter(project: Project, flt: SpanFilter | None) -> ResolvedFilter:
    """Turn names into ids/keys, refusing names the project does not have."""
    flt = flt or SpanFilter()
    doc_ids = None
    if flt.documents is not None:
        by_name = {d.name: d.id for d in documents.list_documents(project)}
        missing = [n for n in flt.documents if n not in by_name]
        if missing:
            raise _unknown("document(s)", missing, "see 'annotator documents list'")
        doc_ids = [by_name[n] for n in flt.documents]
    if flt.coders is not None:
        known = {name for name, _n in coders.list_coders(project)}
        missing = [n for n in flt.coders if n not in known]
        if missing:
            raise _unknown("coder(s)", missing, "see 'annotator coders list'")
    if flt.codes is not None:
        known = {c.key for c in codebooks.get_codebook(project).iter_codes()}
        missing = [k for k in flt.codes if k not in known]
        if missing:
            raise _unknown("code key(s)", missing, "use the keys from the codebook (e.g. threat.military)")
    return ResolvedFilter(flt.coders, doc_ids, flt.codes)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with offset; stored times are UTC even where the driver drops the zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def export_columns(project: Project, flt: SpanFilter | None = None, *, attributes: bool = False) -> list[str]:
    """The column list: the fixed ones, then `attr_<name>` for every attribute of the chosen documents."""
    columns = list(COLUMNS)
    if attributes:
        resolved = resolve_filter(project, flt)
        keys: set[str] = set()
        for d in documents.list_documents(project):
            if resolved.document_ids is None or d.id in resolved.document_ids:
                keys.update(d.attributes)
        columns += [ATTR_PREFIX + k for k in sorted(keys)]
    return columns


def iter_export_rows(project: Project, flt: SpanFilter | None = None, *,
                     attributes: bool = False) -> Iterator[Row]:
    """One dict per span, in document order, with the columns of `export_columns`."""
    resolved = resolve_filter(project, flt)
    book = codebooks.get_codebook(project)
    names = {c.key: c.name for c in book.iter_codes()}
    paths = codebooks.code_path(book)
    attrs = {d.id: d.attributes for d in documents.list_documents(project)} if attributes else {}
    current_id: int | None = None
    current_text = ""
    for rec in spans.iter_spans(project, coders=resolved.coders, document_ids=resolved.document_ids,
                                code_keys=resolved.code_keys):
        if rec.document_id != current_id:  # spans come grouped by document: one text in memory
            current_id, current_text = rec.document_id, documents.document_text(project, rec.document_id)
        row: Row = {
            "span_id": rec.uid, "document": rec.document, "coder": rec.coder, "code": rec.code_key,
            "code_name": names.get(rec.code_key, rec.code_key), "code_path": paths.get(rec.code_key, rec.code_key),
            "start": rec.start, "end": rec.end, "text": current_text[rec.start:rec.end], "memo": rec.memo,
            "created_at": iso(rec.created_at), "updated_at": iso(rec.updated_at),
        }
        for key, value in attrs.get(rec.document_id, {}).items():
            row[ATTR_PREFIX + key] = value
        yield row


def export_spans(project: Project, path: str | Path, *, fmt: str = "csv", flt: SpanFilter | None = None,
                 attributes: bool = False, excel: bool = False,
                 progress: Callable[[int], None] | None = None) -> int:
    """Write the spans to `path` as "csv" or "jsonl" (atomically); return the number of rows."""
    columns = export_columns(project, flt, attributes=attributes)
    rows = iter_export_rows(project, flt, attributes=attributes)
    if fmt == "csv":
        return write_csv(path, columns, rows, excel=excel, progress=progress)
    if fmt == "jsonl":
        return write_jsonl(path, columns, rows, progress=progress)
    raise ValueError(f"unknown export format {fmt!r}")


def export_codebook_yaml(project: Project, path: str | Path) -> int:
    """Write the project's codebook as YAML that `codebook load` accepts; return the number of codes."""
    book = codebooks.get_codebook(project)
    n = sum(1 for _ in book.iter_codes())
    if n == 0:
        raise UserError("the project has no codebook yet; load one with 'annotator codebook load FILE'")
    with atomic_text_file(path, newline="\n") as handle:
        handle.write(codebook_to_yaml(book))
    return n
