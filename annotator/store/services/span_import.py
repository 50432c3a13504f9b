"""Importing coded spans from a CSV file: streamed, checked row by row, all or nothing.

Rows are read, checked and inserted in batches inside one write transaction, so a million rows cost
about as much memory as one batch; any bad row rolls the whole import back. A row is the same span as
one already there by `annotator.core.span_identity` (the one rule imports, merges and the schema
share): identical identity and memo is skipped, identical identity with another memo or a known
span_id on another identity is refused with its row number.

The stored spans a batch may collide with are found through a temporary table joined on the span
table's unique indexes (uid, identity), because rows of earlier batches are already in the span table.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table, and_, func, select, union_all
from sqlalchemy.engine import Connection
from sqlmodel import Session

from annotator.core.errors import UserError
from annotator.core.exchange.spans_csv import iter_span_rows
from annotator.core.span_identity import KnownSpan, Match, SpanKey, SpanLedger, canonical_uid, new_uid
from annotator.core.spans import SpanRow, check_offsets
from annotator.core.text import normalise_newlines
from annotator.store.bulk import bulk_insert
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span, SpanUid, utcnow
from annotator.store.services.coders import coder_id
from annotator.store.services.status import mark_in_progress, set_done

BATCH = 5_000
SHOWN_PROBLEMS = 20
_INSERT_COLUMNS = ("uid", "document_id", "coder_id", "code_id", "start", "end", "memo")


@dataclass
class SpanImportReport:
    added: int = 0
    skipped: int = 0  # identity and memo equal a span already there
    marked_done: int | None = None  # (document, coder) pairs marked done, with mark_done=True

    def summary(self) -> str:
        line = self._added_line()
        if self.marked_done is not None:
            line += f"\nmarked {self.marked_done} (document, coder) pair(s) done"
        return line

    def _added_line(self) -> str:
        return f"imported {self.added} spans" + (f" ({self.skipped} already present, skipped)" if self.skipped else "")


@dataclass
class _Problems:
    source: str
    lines: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, line: str) -> None:
        self.count += 1
        if len(self.lines) < SHOWN_PROBLEMS:
            self.lines.append(line)

    def error(self) -> UserError:
        more = [f"... and {self.count - len(self.lines)} more"] if self.count > len(self.lines) else []
        return UserError(
            "\n".join(self.lines + more) + f"\n{self.source}: nothing imported; fix the rows above and retry"
        )


class _Project:
    """What checking a row needs from the project, read once: documents, codes, coders (ids and names)."""

    def __init__(self, s: Session) -> None:
        self.session = s
        self.docs = {
            name: (doc_id, length)
            for doc_id, name, length in s.exec(select(Document.id, Document.name, func.length(Document.text))).all()
        }
        self.doc_names = {doc_id: name for name, (doc_id, _n) in self.docs.items()}
        self.codes = {key: (cid, codable) for cid, key, codable in s.exec(select(Code.id, Code.key, Code.codable))}
        self.code_keys = {cid: key for key, (cid, _c) in self.codes.items()}
        self.coder_ids = {name: cid for cid, name in s.exec(select(Coder.id, Coder.name))}
        self.coder_names = {cid: name for name, cid in self.coder_ids.items()}
        self._texts: dict[int, str] = {}

    def text(self, doc_id: int) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.session.execute(select(Document.text).where(Document.id == doc_id)).scalar_one()
        return self._texts[doc_id]

    def coder(self, name: str) -> int:
        if name not in self.coder_ids:
            self.coder_ids[name] = coder_id(self.session, name)
            self.coder_names[self.coder_ids[name]] = name
        return self.coder_ids[name]

    def describe(self, key: SpanKey) -> str:
        return (
            f"{self.coder_names.get(key.coder, '?')}'s {self.code_keys.get(key.code, '?')} at "
            f"{key.start}:{key.end} in '{self.doc_names.get(key.document, '?')}'"
        )

    def check(self, r: SpanRow, where: str) -> str | SpanKey:
        """The row's identity in this project, or why the row cannot be imported."""
        doc = self.docs.get(r.document)
        if doc is None:
            return (
                f"{where}: unknown document '{r.document}'; import it first or fix the name "
                "(see 'annotator documents list')"
            )
        code = self.codes.get(r.code)
        if code is None:
            return f"{where}: unknown code '{r.code}'; load a codebook that defines it"
        if not code[1]:
            return f"{where}: code '{r.code}' is a grouping (codable: false); use one of its children"
        name = r.coder.strip()
        if not name:
            return f"{where}: empty coder; every row needs the coder's name"
        problem = check_offsets(doc[1], r.start, r.end)
        if problem:
            return f"{where}: {problem}"
        if r.text is not None:
            # A spreadsheet may write line breaks inside a cell as \r\n; stored text only has \n.
            stored = self.text(doc[0])[r.start : r.end]
            if stored != normalise_newlines(r.text):
                return _mismatch(where, stored, r.text, r.start, r.end)
        return SpanKey(doc[0], self.coder(name), code[0], r.start, r.end)


def _mismatch(where: str, stored: str, given: str, start: int, end: int) -> str:
    """Say how the `text` cell differs from the document, including the invisible differences."""
    message = (
        f"{where}: text column does not match the document at {start}:{end} "
        f"(document has {stored[:40]!r}, file has {given[:40]!r})"
    )
    if unicodedata.normalize("NFC", stored) == unicodedata.normalize("NFC", given):
        return message + (
            "; the letters are the same but composed differently (e.g. e + accent vs é): "
            "offsets count code points of the stored text, which is never normalised"
        )
    return message + "; check the offsets (0-based code points, end exclusive)"


def _staging_table() -> Table:
    return Table(
        "annotator_incoming_span",
        MetaData(),
        Column("uid", SpanUid()),
        Column("document_id", Integer),
        Column("coder_id", Integer),
        Column("code_id", Integer),
        Column("start", Integer),
        Column("end", Integer),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )


def _stored_matches(conn: Connection, staging: Table, batch: list[tuple[str | None, SpanKey]]) -> Iterator[KnownSpan]:
    """The stored spans that share a uid or an identity with a span of `batch`."""
    conn.execute(staging.delete())
    bulk_insert(
        conn, staging, ("uid", "document_id", "coder_id", "code_id", "start", "end"), [(u, *k) for u, k in batch]
    )
    sp, st = Span.__table__, staging
    cols = (sp.c.uid, sp.c.document_id, sp.c.coder_id, sp.c.code_id, sp.c.start, sp.c.end, sp.c.memo)
    same_identity = and_(
        sp.c.document_id == st.c.document_id,
        sp.c.coder_id == st.c.coder_id,
        sp.c.code_id == st.c.code_id,
        sp.c.start == st.c.start,
        sp.c.end == st.c.end,
    )
    query = union_all(
        select(*cols).select_from(st.join(sp, sp.c.uid == st.c.uid)),
        select(*cols).select_from(st.join(sp, same_identity)),
    )
    for uid, doc, coder, code, start, end, memo in conn.execute(query):
        yield KnownSpan(uid, SpanKey(doc, coder, code, start, end), memo or "")


def _batches(rows: Iterable[SpanRow], size: int) -> Iterator[list[SpanRow]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def import_span_rows(
    project: Project,
    rows: Iterable[SpanRow],
    source: str,
    *,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH,
    mark_done: bool = False,
) -> SpanImportReport:
    """Check every row against the project and insert the new ones in one transaction, or none.

    mark_done=True also marks every (document, coder) pair of the file done, in the same transaction
    (for coders who code outside the window: `spans import --mark-done`).

    `rows` may be a stream (`iter_span_rows`); it is consumed inside the transaction, so a file that
    turns out malformed halfway leaves the project as it was. `progress(rows_read)` after each batch.
    """
    problems = _Problems(source)
    report = SpanImportReport()
    touched: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()  # every (document, coder) of the file
    read = 0
    with project.write() as s:
        known = _Project(s)
        conn = s.connection()
        staging = _staging_table()
        staging.create(conn)
        now = utcnow()
        for batch in _batches(rows, batch_size):
            checked: list[tuple[SpanRow, str | None, SpanKey]] = []
            for r in batch:
                where = f"{source}: row {r.row}"
                result = known.check(r, where)
                if isinstance(result, str):
                    problems.add(result)
                else:
                    checked.append((r, canonical_uid(r.uid) if r.uid else None, result))
                    pairs.add((result.document, result.coder))
            ledger = SpanLedger()
            for span in _stored_matches(conn, staging, [(uid, key) for _r, uid, key in checked]):
                ledger.add(span)
            new: list[tuple[object, ...]] = []
            for r, uid, key in checked:
                match, other = ledger.match(uid, key, r.memo)
                if match is Match.NEW:
                    uid = uid or new_uid()
                    ledger.add(KnownSpan(uid, key, r.memo, r.row))
                    new.append((uid, *key, r.memo))
                    touched.add((key.document, key.coder))
                elif match is Match.SAME:
                    report.skipped += 1
                else:
                    assert other is not None
                    problems.add(_conflict(f"{source}: row {r.row}", match, r, other, known))
            bulk_insert(conn, Span.__table__, _INSERT_COLUMNS, new, {"created_at": now, "updated_at": now})
            report.added += len(new)
            read += len(batch)
            if progress is not None:
                progress(read)
        if problems.count:
            raise problems.error()
        staging.drop(conn)
        mark_in_progress(s, touched)
        if mark_done:
            for doc_id, coder in sorted(pairs):
                set_done(s, doc_id, coder)
            report.marked_done = len(pairs)
    return report


def _conflict(where: str, match: Match, r: SpanRow, other: KnownSpan, known: _Project) -> str:
    there = f"row {other.row}" if other.row is not None else "the project"
    if match is Match.UID_ELSEWHERE:
        return (
            f"{where}: span_id {r.uid} already names another span in {there} ({known.describe(other.key)}); "
            "a span_id names one span: leave the cell empty to add this row as a new span"
        )
    return (
        f"{where}: the same span (document, coder, code, start, end) is in {there} with another memo "
        f"({other.memo[:40]!r} there, {r.memo[:40]!r} here); make the memos equal or drop one of them"
    )


def import_spans_csv(
    project: Project, path: str | Path, *, progress: Callable[[int], None] | None = None, mark_done: bool = False
) -> SpanImportReport:
    """`annotator spans import FILE [--mark-done]`: stream the CSV into the project, all or nothing."""
    return import_span_rows(project, iter_span_rows(path), str(path), progress=progress, mark_done=mark_done)
