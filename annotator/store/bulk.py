"""Inserting many rows with one DBAPI executemany, for the bulk imports (documents, spans).

Building an ORM object per row and flushing them cost more than reading and checking the input did
(1,000 documents, a million spans), so bulk imports hand the driver plain tuples instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection


def bulk_insert(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any] | None = None,
) -> None:
    """One executemany of `rows` (tuples in `columns` order) into `table`; `constants` go into every row.

    The statement is compiled by SQLAlchemy Core for the connection's dialect (right for SQLite and
    PostgreSQL alike) and values pass through the columns' own bind processors (datetime, JSON), so the
    stored values are the ones an ORM insert would write; a constant is processed once, not per row.
    """
    if not rows:
        return
    constants = dict(constants or {})
    dialect = connection.dialect
    names = [*columns, *constants]
    compiled = insert(table).compile(dialect=dialect, column_keys=names)

    def processor(name: str) -> Any:
        return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)

    values: list[Sequence[Any]] = list(zip(*rows, strict=True))  # column-wise: one C-level map per column
    for i, name in enumerate(columns):
        process = processor(name)
        if process is not None:
            values[i] = tuple(map(process, values[i]))
    n = len(rows)
    for name, value in constants.items():
        process = processor(name)
        values.append((process(value) if process is not None else value,) * n)
    positional = compiled.positiontup  # None for named paramstyles (e.g. psycopg's pyformat)
    if positional is not None:
        params: list[Any] = list(zip(*(values[names.index(k)] for k in positional), strict=True))
    else:
        params = [dict(zip(names, r, strict=True)) for r in zip(*values, strict=True)]
    # exec_driver_sql hands a list of parameter sets to the DBAPI's executemany as they are, and
    # still wraps driver errors the way Project.write() expects.
    connection.exec_driver_sql(str(compiled), params)
