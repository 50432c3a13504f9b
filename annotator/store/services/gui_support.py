"""Where the coding window gets its spans: `document_spans`, one query giving one `SpanTable`.

`spans.list_spans` builds ORM objects per span; the window only needs a few columns to paint and list
spans. Even executing a Core `select` costs Python work per row in SQLAlchemy's result machinery, so
the statement is compiled once per database dialect (and number of coders) to its plain SQL string, in
that driver's own parameter style (`?` for SQLite, `%(name)s` for psycopg2), and run on the session's
DBAPI cursor. The rows carry coder and code ids (the few names are read once) and become
the columns of a `SpanTable`. Timestamps are left out: the window never shows them, and undo of a delete
uses the full record `delete_span` returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import String, bindparam, cast, func, literal_column, select
from sqlalchemy.engine import Dialect

from annotator.core.span_table import SpanTable
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
        # Integer ids, not the joined names: a name string per row costs the driver far more than an
        # integer; the few distinct names are looked up once per call.
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


def document_spans(project: Project, document_id: int, coders: Iterable[str] | None = None) -> SpanTable:
    """The spans of one document (of the given coders, or all) as a `SpanTable`, in position order."""
    names: Sequence[str] | None = None
    if coders is not None:
        names = list(coders)
        if not names:
            return SpanTable.empty(document_id)
    values: dict[str, object] = {"doc": document_id}
    if names is not None:
        values.update((f"c{i}", n) for i, n in enumerate(names))
    with project.read() as s:
        conn = s.connection()
        sql, order = _statement(conn.dialect, None if names is None else len(names))
        params = tuple(values[k] for k in order) if order is not None else values
        rows = conn.exec_driver_sql(sql, params).cursor.fetchall()
        if not rows:
            return SpanTable.empty(document_id)
        doc = conn.execute(select(Document.__table__.c.name).where(Document.__table__.c.id == document_id))
        cr, cd = Coder.__table__, Code.__table__
        return SpanTable.from_rows(
            rows,
            document_id,
            doc.scalar_one(),
            dict(conn.execute(select(cr.c.id, cr.c.name)).all()),
            dict(conn.execute(select(cd.c.id, cd.c.key)).all()),
        )
