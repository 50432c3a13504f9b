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

from sqlalchemy import String, select, type_coerce
from sqlalchemy.engine import Connection
from sqlmodel import Session

from annotator.core.codebook import codebook_to_yaml
from annotator.core.errors import UserError
from annotator.core.exchange.csv_export import (
    ATTR_PREFIX,
    COLUMNS,
    Row,
    atomic_text_file,
    csv_cell,
    csv_cell_excel,
    write_csv_lines,
    write_jsonl_rows,
)
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span
from annotator.store.services import codebooks, coders, documents


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


def _iso_raw(value: object) -> str | None:
    """`iso` of a timestamp as the driver returns it without type processing (a string on SQLite).

    SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC); rewriting that string gives exactly what
    `iso(datetime)` would, without building a datetime per cell. Anything else takes the slow path.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            frac = value[19:]
            return f"{value[:10]}T{value[11:19]}{'' if frac == '.000000' else frac}+00:00"
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return iso(value.astimezone(timezone.utc) if value.tzinfo is not None else value)
    return str(value)


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


def _span_query(s: Session, resolved: ResolvedFilter):  # type: ignore[no-untyped-def]
    """Plain columns only (Core, no ORM objects), in document order. Timestamps come untyped (see `_iso_raw`)."""
    sp, doc = Span.__table__, Document.__table__
    q = select(
        sp.c.uid,
        sp.c.document_id,
        sp.c.coder_id,
        sp.c.code_id,
        sp.c.start,
        sp.c.end,
        sp.c.memo,
        type_coerce(sp.c.created_at, String),
        type_coerce(sp.c.updated_at, String),
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


def _partitions(conn: Connection, q, batch: int) -> Iterator[list]:  # type: ignore[no-untyped-def]
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
        conv = _iso_raw
        for part in _partitions(conn, _span_query(s, resolved), batch):
            for uid, did, cid, kid, start, end, memo, created, updated in part:
                if did != current_id:  # one document's text in memory at a time
                    current_id, text = did, _text(conn, did)
                    dname, extra = docs[did]
                key, cname, cpath = codes[kid]
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
                    conv(created),
                    conv(updated),
                )
                yield row + extra if attr_keys else row


def iter_csv_lines(
    project: Project,
    flt: SpanFilter | None = None,
    *,
    attributes: bool = False,
    excel: bool = False,
    batch: int = 10_000,
) -> Iterator[str]:
    """The CSV records (CRLF-terminated) of `iter_export_tuples`, built with one f-string per span.

    Cells that repeat (document, coder, code columns, attributes) are formatted once per id; only the
    span's own cells (uid, text, memo, timestamps) go through `csv_cell` on every row.
    """
    resolved = resolve_filter(project, flt)
    attr_keys = _attribute_keys(project, resolved, attributes)
    cell = csv_cell_excel if excel else csv_cell
    with project.read() as s:
        conn = s.connection()
        look = _lookups(project, conn, attr_keys)
        coder_cells = {cid: cell(name) for cid, name in look.coders.items()}
        code_cells = {kid: ",".join(map(cell, info)) for kid, info in look.codes.items()}
        current_id: int | None = None
        text = doc_cell = tail = ""
        for part in _partitions(conn, _span_query(s, resolved), batch):
            for uid, did, cid, kid, start, end, memo, created, updated in part:
                if did != current_id:  # one document's text in memory at a time
                    current_id, text = did, _text(conn, did)
                    dname, extra = look.documents[did]
                    doc_cell = cell(dname)
                    tail = "".join("," + cell(v) for v in extra) + "\r\n"
                yield (
                    f"{cell(uid)},{doc_cell},{coder_cells[cid]},{code_cells[kid]},{start},{end},"
                    f"{cell(text[start:end])},{cell(memo)},{_iso_cell(created, cell)},"
                    f"{_iso_cell(updated, cell)}{tail}"
                )


def _iso_cell(value: object, cell: Callable[[object], str]) -> str:
    """`_iso_raw` as a CSV cell; SQLite's stored form takes the fast path (nothing to quote in it)."""
    if type(value) is str and len(value) == 26 and value[10] == " " and value[19] == ".":
        frac = value[19:]
        return f"{value[:10]}T{value[11:19]}{'' if frac == '.000000' else frac}+00:00"
    return cell(_iso_raw(value))


def iter_export_rows(project: Project, flt: SpanFilter | None = None, *, attributes: bool = False) -> Iterator[Row]:
    """One dict per span, in document order, with the columns of `export_columns`."""
    columns = export_columns(project, flt, attributes=attributes)
    for row in iter_export_tuples(project, flt, attributes=attributes):
        yield dict(zip(columns, row, strict=True))


def export_spans(
    project: Project,
    path: str | Path,
    *,
    fmt: str = "csv",
    flt: SpanFilter | None = None,
    attributes: bool = False,
    excel: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the spans to `path` as "csv" or "jsonl" (atomically); return the number of rows."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown export format {fmt!r}")
    columns = export_columns(project, flt, attributes=attributes)
    if fmt == "csv":
        lines = iter_csv_lines(project, flt, attributes=attributes, excel=excel)
        try:
            return write_csv_lines(path, columns, lines, excel=excel, progress=progress)
        finally:
            lines.close()
    rows = iter_export_tuples(project, flt, attributes=attributes)
    try:
        return write_jsonl_rows(path, columns, rows, progress=progress)
    finally:
        rows.close()


def export_codebook_yaml(project: Project, path: str | Path) -> int:
    """Write the project's codebook as YAML that `codebook load` accepts; return the number of codes."""
    book = codebooks.get_codebook(project)
    n = sum(1 for _ in book.iter_codes())
    if n == 0:
        raise UserError("the project has no codebook yet; load one with 'annotator codebook load FILE'")
    with atomic_text_file(path, newline="\n") as handle:
        handle.write(codebook_to_yaml(book))
    return n
