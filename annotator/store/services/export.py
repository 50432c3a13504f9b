"""Exporting a project's spans (CSV, JSON Lines) and codebook (YAML) for analysts.

Spans are streamed from the database as plain columns (SQLAlchemy Core, stream_results/yield_per; no
ORM objects) in document order, and only the text of the document being written is held in memory,
so the export runs in constant memory however many spans there are. Every row satisfies
`text == document_text[start:end]` (code points, end-exclusive).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.engine import Connection, Row

from annotator.core.atomic import atomic_text_file
from annotator.core.codebook import codebook_to_yaml
from annotator.core.errors import UserError
from annotator.core.exchange.csv_export import ATTR_PREFIX, COLUMNS, write_csv, write_jsonl
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span
from annotator.store.services import codebooks, coders, documents
from annotator.store.services.output import check_output


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
        return value.isoformat() + "+00:00"
    return value.astimezone(timezone.utc).isoformat()


def export_columns(project: Project, flt: SpanFilter | None = None, *, attributes: bool = False) -> list[str]:
    """The column list: the fixed ones, then `attr_<name>` for every attribute of the chosen documents."""
    return list(COLUMNS) + [ATTR_PREFIX + k for k in _attribute_keys(project, resolve_filter(project, flt), attributes)]


def _attribute_keys(project: Project, resolved: ResolvedFilter, attributes: bool) -> list[str]:
    if not attributes:
        return []
    keys: set[str] = set()
    for d in documents.list_documents(project):
        if resolved.document_ids is None or d.id in resolved.document_ids:
            keys.update(d.attributes)
    return sorted(keys)


def _span_query(resolved: ResolvedFilter) -> Select[tuple[Any, ...]]:
    """Plain columns only (Core, no ORM objects), in document order.

    Timestamps come as datetimes through the column type, whatever form the database keeps them in.
    """
    sp, doc = Span.__table__, Document.__table__
    q = select(
        sp.c.uid,
        sp.c.document_id,
        sp.c.coder_id,
        sp.c.code_id,
        sp.c.start,
        sp.c.end,
        sp.c.memo,
        sp.c.created_at,
        sp.c.updated_at,
    ).select_from(sp.join(doc, doc.c.id == sp.c.document_id))
    if resolved.document_ids is not None:
        q = q.where(sp.c.document_id.in_(resolved.document_ids))
    if resolved.coders is not None:
        cd = Coder.__table__
        q = q.where(sp.c.coder_id.in_(select(cd.c.id).where(cd.c.name.in_(resolved.coders))))
    if resolved.code_keys is not None:
        cc = Code.__table__
        q = q.where(sp.c.code_id.in_(select(cc.c.id).where(cc.c.key.in_(resolved.code_keys))))
    return q.order_by(doc.c.position, sp.c.document_id, sp.c.start, sp.c.end, sp.c.id)


@dataclass(frozen=True)
class _Lookups:
    """What repeats across rows, fetched once: names by id, code (key, name, path), document attributes."""

    coders: dict[int, str]
    codes: dict[int, tuple[str, str, str]]
    documents: dict[int, tuple[str, tuple[object, ...]]]  # id -> (name, attribute values in column order)


def _lookups(project: Project, conn: Connection, attr_keys: list[str]) -> _Lookups:
    book = codebooks.get_codebook(project)
    names = {c.key: c.name for c in book.iter_codes()}
    paths = codebooks.code_path(book)
    doc, cd, cc = Document.__table__, Coder.__table__, Code.__table__
    codes = {
        cid: (key, names.get(key, key), paths.get(key, key))
        for cid, key in conn.execute(select(cc.c.id, cc.c.key)).all()
    }
    docs = {
        did: (name, tuple((attrs or {}).get(k) for k in attr_keys))
        for did, name, attrs in conn.execute(select(doc.c.id, doc.c.name, doc.c.attributes)).all()
    }
    return _Lookups(dict(conn.execute(select(cd.c.id, cd.c.name)).all()), codes, docs)


def _partitions(conn: Connection, q: Select[tuple[Any, ...]], batch: int) -> Iterator[list[Row[Any]]]:
    yield from conn.execution_options(stream_results=True, yield_per=batch).execute(q).partitions()


def _text(conn: Connection, document_id: int) -> str:
    doc = Document.__table__
    return conn.execute(select(doc.c.text).where(doc.c.id == document_id)).scalar_one()


def iter_export_tuples(
    project: Project, flt: SpanFilter | None = None, *, attributes: bool = False, batch: int = 10_000
) -> Iterator[tuple[object, ...]]:
    """One tuple per span in `export_columns` order, in document order, streamed in constant memory.

    Codes, coders and document names/attributes are looked up in small dicts built once; only the text
    of the current document is held (spans come grouped by document), and `text` is `text[start:end]`.
    """
    resolved = resolve_filter(project, flt)
    attr_keys = _attribute_keys(project, resolved, attributes)
    with project.read() as s:
        conn = s.connection()
        look = _lookups(project, conn, attr_keys)
        coder_names, codes, docs = look.coders, look.codes, look.documents
        current_id: int | None = None
        text = dname = ""
        extra: tuple[object, ...] = ()
        for part in _partitions(conn, _span_query(resolved), batch):
            for uid, did, cid, kid, start, end, memo, created, updated in part:
                if did != current_id:  # one document's text in memory at a time
                    current_id, text = did, _text(conn, did)
                    dname, extra = docs[did]
                key, cname, cpath = codes[kid]
                created_iso = iso(created)
                # A span never edited has updated == created: format it once.
                updated_iso = created_iso if updated == created else iso(updated)
                row = (
                    uid,
                    dname,
                    coder_names[cid],
                    key,
                    cname,
                    cpath,
                    start,
                    end,
                    text[start:end],
                    memo or "",
                    created_iso,
                    updated_iso,
                )
                yield row + extra if attr_keys else row


def export_spans(
    project: Project,
    path: str | Path,
    *,
    fmt: str = "csv",
    flt: SpanFilter | None = None,
    attributes: bool = False,
    excel: bool = False,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 10_000,
) -> int:
    """Write the spans to `path` as "csv" or "jsonl" (atomically); return the number of rows.

    The one span export: the command line and the window both call it. `progress(count)` is called
    every `progress_every` rows; an exception it raises (a cancel) leaves no file behind.
    """
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown export format {fmt!r}")
    out = check_output(project, path)
    columns = export_columns(project, flt, attributes=attributes)
    rows = iter_export_tuples(project, flt, attributes=attributes)
    try:
        if fmt == "csv":
            return write_csv(out, columns, rows, excel=excel, progress=progress, progress_every=progress_every)
        return write_jsonl(out, columns, rows, progress=progress, progress_every=progress_every)
    finally:
        rows.close()


def export_codebook_yaml(project: Project, path: str | Path) -> int:
    """Write the project's codebook as YAML that `codebook load` accepts; return the number of codes."""
    out = check_output(project, path)
    book = codebooks.get_codebook(project)
    n = sum(1 for _ in book.iter_codes())
    if n == 0:
        raise UserError("the project has no codebook yet; load one with 'annotator codebook load FILE'")
    with atomic_text_file(out, newline="\n") as handle:
        handle.write(codebook_to_yaml(book))
    return n
