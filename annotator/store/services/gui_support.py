"""Read paths the coding window needs to be fast: a document's spans as light records.

`spans.list_spans` builds ORM objects (about 1 s for 10,000 spans); the window only needs a few columns
to paint and list spans. Even a Core `select` costs several microseconds per row in SQLAlchemy's result
machinery (over a second for 100,000 spans), so this runs one plain SQL statement on the session's own
DBAPI connection and builds the records with `itertools.starmap` straight from the row tuples, whose
columns are already in SpanRecord's field order. Timestamps are left out (None): the window never shows
them, and undo of a delete uses the full record `delete_span` returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import starmap

from annotator.core.spans import SpanRecord
from annotator.store.engine import Project

_SQL = """SELECT s.id, s.uid, s.document_id, d.name, cr.name, cd.key, s.start, s."end", COALESCE(s.memo, '')
FROM span AS s JOIN document AS d ON d.id = s.document_id JOIN coder AS cr ON cr.id = s.coder_id
JOIN code AS cd ON cd.id = s.code_id WHERE s.document_id = ?{coders} ORDER BY s.start, s."end", s.id"""


def document_spans(project: Project, document_id: int, coders: Iterable[str] | None = None) -> list[SpanRecord]:
    """Spans of one document (of the given coders, or all), ordered by position."""
    params: list[object] = [document_id]
    where = ""
    if coders is not None:
        names = list(coders)
        if not names:
            return []
        where = f" AND cr.name IN ({', '.join('?' * len(names))})"
        params += names
    with project.read() as s:
        rows = s.connection().exec_driver_sql(_SQL.format(coders=where), tuple(params)).cursor.fetchall()
    return list(starmap(SpanRecord, rows))
