"""Read paths the coding window needs to be fast: a document's spans as light records.

`spans.list_spans` builds ORM objects (about 1 s for 10,000 spans); the window only needs a few columns
to paint and list spans. Even executing a Core `select` costs several microseconds per row in
SQLAlchemy's result machinery (over a second for 100,000 spans), so the statement is compiled once per
database dialect (and number of coders) to its plain SQL string, in that driver's own parameter style
(`?` for SQLite, `%(name)s` for psycopg2), and run on the session's DBAPI cursor. The rows carry coder and
code ids (the few names are read once), and stay tuples in a `SpanRows` that builds a SpanRecord only for
a row someone reads. Timestamps are left out (None): the window never shows them, and undo of a delete uses the full
record `delete_span` returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from operator import itemgetter

import numpy as np
from sqlalchemy import String, bindparam, cast, func, literal_column, select
from sqlalchemy.engine import Dialect

from annotator.core.spans import SpanRecord
from annotator.store.engine import Project
from annotator.store.models import Code, Coder, Document, Span

# (dialect name, driver, paramstyle, number of coders or None) -> (SQL, parameter names in order or None)
_COMPILED: dict[tuple[str, str, str, int | None], tuple[str, tuple[str, ...] | None]] = {}


def _statement(dialect: Dialect, n_coders: int | None) -> tuple[str, tuple[str, ...] | None]:
    """The SQL for this dialect; parameter names in order for positional styles, None for named ones."""
    key = (dialect.name, dialect.driver, dialect.paramstyle, n_coders)
    found = _COMPILED.get(key)
    if found is None:
        sp, cr = Span.__table__, Coder.__table__
        # Integer ids, not the joined names: a name string per row costs ~0.5 us each in the driver; the
        # few distinct names are looked up once per call.
        # Raw driver rows skip the column type: PostgreSQL's native uuid is turned into our 32-hex text here.
        dash, empty = literal_column("'-'"), literal_column("''")
        uid = func.replace(cast(sp.c.uid, String), dash, empty) if dialect.name == "postgresql" else sp.c.uid
        q = (
            select(
                sp.c.id,
                uid,
                sp.c.coder_id,
                sp.c.code_id,
                sp.c.start,
                sp.c.end,
                func.coalesce(sp.c.memo, literal_column("''")),
            )
            .select_from(sp.join(cr, cr.c.id == sp.c.coder_id))
            .where(sp.c.document_id == bindparam("doc"))
        )
        if n_coders is not None:
            q = q.where(cr.c.name.in_([bindparam(f"c{i}") for i in range(n_coders)]))
        compiled = q.order_by(sp.c.start, sp.c.end, sp.c.id).compile(dialect=dialect)
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        found = _COMPILED[key] = (compiled.string, order)
    return found


def document_spans(project: Project, document_id: int, coders: Iterable[str] | None = None) -> list[SpanRecord]:
    """Spans of one document (of the given coders, or all), ordered by position."""
    return list(document_span_rows(project, document_id, coders))


def document_span_rows(project: Project, document_id: int, coders: Iterable[str] | None = None) -> SpanRows:
    """The same spans as `document_spans`, as a lazy `SpanRows` (no SpanRecord is built up front)."""
    names: Sequence[str] | None = None
    if coders is not None:
        names = list(coders)
        if not names:
            return SpanRows([])
    values: dict[str, object] = {"doc": document_id}
    if names is not None:
        values.update((f"c{i}", n) for i, n in enumerate(names))
    with project.read() as s:
        conn = s.connection()
        sql, order = _statement(conn.dialect, None if names is None else len(names))
        params = tuple(values[k] for k in order) if order is not None else values
        rows = conn.exec_driver_sql(sql, params).cursor.fetchall()
        if not rows:
            return SpanRows([])
        doc = conn.execute(select(Document.__table__.c.name).where(Document.__table__.c.id == document_id))
        cr, cd = Coder.__table__, Code.__table__
        return SpanRows(
            rows,
            document_id,
            doc.scalar_one(),
            dict(conn.execute(select(cr.c.id, cr.c.name)).all()),
            dict(conn.execute(select(cd.c.id, cd.c.key)).all()),
        )


class SpanRows(Sequence[SpanRecord]):
    """A query's spans kept as row tuples: the SpanRecord of row k is built when first asked for.

    Opening a document with 100,000 spans must not build 100,000 objects (~170 ms) when a coder sees a
    few dozen: the view indexes `starts`/`ends` (numpy, read from the tuples at C speed) and the table
    shows rows on demand. The same row always gives the same (cached) record object. Immutable.
    """

    def __init__(
        self,
        rows: list[tuple],
        document_id: int = 0,
        document: str = "",
        coders: dict[int, str] | None = None,
        codes: dict[int, str] | None = None,
    ) -> None:
        """`rows`: (id, uid, coder id, code id, start, end, memo) tuples; the dicts name the ids."""
        self._rows = rows
        self._doc = (document_id, document)
        self._coders = coders or {}
        self._codes = codes or {}
        self._recs: list[SpanRecord | None] = [None] * len(rows)
        self._pos: dict[int, int] | None = None
        self._cols: dict[int, np.ndarray] = {}

    def _col(self, k: int) -> np.ndarray:
        col = self._cols.get(k)
        if col is None:
            col = self._cols[k] = np.fromiter(map(itemgetter(k), self._rows), np.int64, len(self._rows))
        return col

    @property
    def ids(self) -> np.ndarray:
        return self._col(0)

    @property
    def starts(self) -> np.ndarray:
        return self._col(4)

    @property
    def ends(self) -> np.ndarray:
        return self._col(5)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, k):  # type: ignore[no-untyped-def, override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self._rows)))]
        r = self._recs[k]
        if r is None:
            sid, uid, coder, code, start, end, memo = self._rows[k]
            r = self._recs[k] = SpanRecord(
                sid, uid, *self._doc, self._coders[coder], self._codes[code], start, end, memo
            )
        return r

    def __iter__(self) -> Iterator[SpanRecord]:
        return (self[k] for k in range(len(self._rows)))

    def position(self, span_id: int) -> int | None:
        """Row number of span_id (the id -> row table is built on first use, ~5 ms per 100,000 rows)."""
        if self._pos is None:
            self._pos = dict(zip(map(itemgetter(0), self._rows), range(len(self._rows)), strict=True))
        return self._pos.get(span_id)

    def by_id(self, span_id: int) -> SpanRecord | None:
        k = self.position(span_id)
        return None if k is None else self[k]


class RecordMap(MutableMapping[int, SpanRecord]):
    """span id -> SpanRecord over a `SpanRows` plus the changes made since (a dict-like overlay).

    Lookups build only the record asked for; len() needs no records at all.
    """

    def __init__(self, base: SpanRows | None = None) -> None:
        self._base = base if base is not None else SpanRows([])
        self._overlay: dict[int, SpanRecord] = {}
        self._gone: set[int] = set()
        self._n = len(self._base)

    def _lookup(self, span_id: int) -> SpanRecord | None:
        r = self._overlay.get(span_id)
        if r is not None or span_id in self._gone:
            return r
        return self._base.by_id(span_id)

    def __getitem__(self, span_id: int) -> SpanRecord:
        r = self._lookup(span_id)
        if r is None:
            raise KeyError(span_id)
        return r

    def __contains__(self, span_id: object) -> bool:
        return isinstance(span_id, int) and self._lookup(span_id) is not None

    def __setitem__(self, span_id: int, record: SpanRecord) -> None:
        if self._lookup(span_id) is None:
            self._n += 1
        self._overlay[span_id] = record
        self._gone.discard(span_id)

    def __delitem__(self, span_id: int) -> None:
        if self._lookup(span_id) is None:
            raise KeyError(span_id)
        self._overlay.pop(span_id, None)
        self._gone.add(span_id)
        self._n -= 1

    def __iter__(self) -> Iterator[int]:
        overlay, gone = self._overlay, self._gone
        for sid in self._base.ids.tolist():
            if sid not in overlay and sid not in gone:
                yield sid
        yield from overlay

    def __len__(self) -> int:
        return self._n
