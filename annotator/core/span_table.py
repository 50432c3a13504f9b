"""The spans of one document as columns: the one value the store hands the coding window.

A document may carry 100,000 spans while a coder sees a few dozen, so the window must not build an
object per span when it opens one. `SpanTable` keeps the spans as numpy columns (ids, starts, ends,
coder ids, code ids) plus the uids and memos, and two small maps naming the coder and code ids; a
`SpanRecord` is built only for a row someone reads (and then reused). Rows are always in position
order (start, end, id), so the text view's index and the spans table need no sort at load.

`LiveSpans` is what the window shows after edits: a table plus the spans put or removed since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
from numpy.typing import NDArray

from annotator.core.spans import SpanRecord

IntArray = NDArray[np.int64]


def int_array(values: Iterable[int], count: int = -1) -> IntArray:
    """An int64 column from any iterable of ints (C speed for tuples, lists and `map` objects)."""
    return np.fromiter(values, np.int64, count)


@dataclass(frozen=True, eq=False)
class SpanTable:
    """The spans of one document (or of some of its coders) as columns, in position order.

    Offsets are stored code-point offsets. `coder_names` maps every coder id in `coder_ids` to a name,
    `code_keys` every code id in `code_ids` to a code key. Immutable: changes made after loading are
    tracked by `LiveSpans` (and by the view's index and the spans table, each in its own terms).
    """

    document_id: int
    document: str
    ids: IntArray
    starts: IntArray
    ends: IntArray
    coder_ids: IntArray
    code_ids: IntArray
    uids: Sequence[str]
    memos: Sequence[str]
    coder_names: Mapping[int, str]
    code_keys: Mapping[int, str]
    _records: list[SpanRecord | None] = field(init=False, repr=False)
    _rows: dict[int, int] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if not all(len(c) == n for c in (self.starts, self.ends, self.coder_ids, self.code_ids, self.uids, self.memos)):
            raise ValueError("span table columns differ in length")
        if not _in_position_order(self.starts, self.ends, self.ids):
            order = np.lexsort((self.ids, self.ends, self.starts))
            for name in ("ids", "starts", "ends", "coder_ids", "code_ids"):
                object.__setattr__(self, name, getattr(self, name)[order])
            picks = order.tolist()
            object.__setattr__(self, "uids", [self.uids[k] for k in picks])
            object.__setattr__(self, "memos", [self.memos[k] for k in picks])
        object.__setattr__(self, "_records", [None] * n)

    # -- construction -----------------------------------------------------------------------------
    @classmethod
    def empty(cls, document_id: int = 0, document: str = "") -> SpanTable:
        none = np.empty(0, np.int64)
        return cls(document_id, document, none, none, none, none, none, (), (), {}, {})

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[tuple[int, str, int, int, int, int, str]],
        document_id: int,
        document: str,
        coder_names: Mapping[int, str],
        code_keys: Mapping[int, str],
    ) -> SpanTable:
        """From (id, uid, coder id, code id, start, end, memo) tuples, as a query returns them."""
        if not rows:
            return cls.empty(document_id, document)
        n = len(rows)

        def ints(k: int) -> IntArray:
            return int_array(map(itemgetter(k), rows), n)

        return cls(
            document_id,
            document,
            ints(0),
            ints(4),
            ints(5),
            ints(2),
            ints(3),
            list(map(itemgetter(1), rows)),
            list(map(itemgetter(6), rows)),
            coder_names,
            code_keys,
        )

    @classmethod
    def from_records(cls, records: Iterable[SpanRecord]) -> SpanTable:
        """From records of one document (tests, benchmarks, anything already holding records)."""
        items = list(records)
        if not items:
            return cls.empty()
        coders = {name: k for k, name in enumerate(dict.fromkeys(r.coder for r in items))}
        codes = {key: k for k, key in enumerate(dict.fromkeys(r.code_key for r in items))}
        rows = [(r.id or 0, r.uid, coders[r.coder], codes[r.code_key], r.start, r.end, r.memo) for r in items]
        return cls.from_rows(
            rows,
            items[0].document_id,
            items[0].document,
            {k: name for name, k in coders.items()},
            {k: key for key, k in codes.items()},
        )

    # -- reading ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    def coder(self, row: int) -> str:
        return self.coder_names[int(self.coder_ids[row])]

    def code_key(self, row: int) -> str:
        return self.code_keys[int(self.code_ids[row])]

    def record(self, row: int) -> SpanRecord:
        """The record of one row, built on first use; the same row always gives the same object."""
        found = self._records[row]
        if found is None:
            found = self._records[row] = SpanRecord(
                int(self.ids[row]),
                self.uids[row],
                self.document_id,
                self.document,
                self.coder(row),
                self.code_key(row),
                int(self.starts[row]),
                int(self.ends[row]),
                self.memos[row],
            )
        return found

    def records(self) -> list[SpanRecord]:
        """Every record, in position order (builds them all: for tests and small documents)."""
        return [self.record(k) for k in range(len(self))]

    def row_of(self, span_id: int) -> int | None:
        """The row holding span_id, or None (the id -> row table is built on first use)."""
        rows = self._rows
        if rows is None:
            rows = dict(zip(self.ids.tolist(), range(len(self)), strict=True))
            object.__setattr__(self, "_rows", rows)
        return rows.get(span_id)


def _in_position_order(starts: IntArray, ends: IntArray, ids: IntArray) -> bool:
    """True if the rows are sorted by (start, end, id): vectorised, no sort."""
    if len(starts) < 2:
        return True
    ds, de, di = np.diff(starts), np.diff(ends), np.diff(ids)
    return bool(np.all((ds > 0) | ((ds == 0) & ((de > 0) | ((de == 0) & (di >= 0))))))


class LiveSpans:
    """A table's spans plus the changes made since it was read: the spans shown now, by span id."""

    def __init__(self, table: SpanTable | None = None) -> None:
        self.table = table if table is not None else SpanTable.empty()
        self._changed: dict[int, SpanRecord | None] = {}  # span id -> record put later, None = removed
        self._count = len(self.table)

    def get(self, span_id: int) -> SpanRecord | None:
        if span_id in self._changed:
            return self._changed[span_id]
        row = self.table.row_of(span_id)
        return None if row is None else self.table.record(row)

    def __contains__(self, span_id: int) -> bool:
        return self.get(span_id) is not None

    def __len__(self) -> int:
        return self._count

    def put(self, record: SpanRecord) -> SpanRecord | None:
        """Add or replace a span; returns the record it replaces."""
        span_id = record.id or 0
        old = self.get(span_id)
        if old is None:
            self._count += 1
        self._changed[span_id] = record
        return old

    def remove(self, span_id: int) -> SpanRecord | None:
        """Remove a span; returns the removed record (None if it was not shown)."""
        old = self.get(span_id)
        if old is not None:
            self._changed[span_id] = None
            self._count -= 1
        return old

    def ids(self) -> list[int]:
        """Every shown span id: the table's (in position order) first, then those added later."""
        changed = self._changed
        kept = [sid for sid in self.table.ids.tolist() if changed.get(sid, True) is not None]
        table_ids = set(self.table.ids.tolist()) if changed else set()
        return kept + [sid for sid, r in changed.items() if r is not None and sid not in table_ids]

    def records(self) -> list[SpanRecord]:
        found = (self.get(sid) for sid in self.ids())
        return [r for r in found if r is not None]
