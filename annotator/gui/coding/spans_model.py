"""The spans of the shown document as a table (code, coder, position, excerpt, memo) + a filter proxy."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, MutableMapping, MutableSequence, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.spans import SpanRecord

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 2
HEADERS = ("Code", "Coder", "Position", "Excerpt", "Memo")
EXCERPT = 90

Index = QModelIndex | QPersistentModelIndex


class SpansModel(QAbstractTableModel):
    """Rows are SpanRecords kept in the current sort order; the text is kept only to cut excerpts.

    No per-row key list: finding a row (insert, update, remove) is a binary search with the sort key
    computed for about log2(n) rows, so one change costs microseconds even at 100,000 spans. Records
    arriving already in position order (what the store returns) are not re-sorted at load.
    """

    def __init__(self) -> None:
        super().__init__()
        self.records: MutableSequence[SpanRecord] = []
        self._by_id: MutableMapping[int, SpanRecord] = {}  # the record object each row holds, for finding its row
        self.text = ""
        self.code_name: Callable[[str], str] = lambda key: key
        self.code_color: Callable[[str], str] = lambda _key: "#cccccc"

    def set_spans(self, records: Sequence[SpanRecord], text: str) -> None:
        """Show `records`; a lazy store result (`SpanRows`) in position order stays lazy: rows are built
        when shown, so the table costs no Python work per span when a document opens."""
        self.beginResetModel()
        self.text = text
        lazy = _lazy_rows(records) if self.sort_column == 2 and not self._reverse else None
        if lazy is not None:
            self.records, self._by_id = lazy
        elif self.sort_column == 2 and not self._reverse:
            self.records = _by_position(list(records))
        else:
            self.records = sorted(records, key=self._sort_key(self.sort_column), reverse=self._reverse)
        if lazy is None:
            self._by_id = {r.id or 0: r for r in self.records}
        self.endResetModel()

    # Sorting happens here, with one Python key per row, not in the proxy: QSortFilterProxyModel would
    # call data() some 150,000 times to sort 10,000 spans.
    sort_column = 2
    _reverse = False

    def _sort_key(self, column: int):  # type: ignore[no-untyped-def]
        if column == 0:
            return lambda r: (self.code_name(r.code_key).lower(), r.start)
        if column == 1:
            return lambda r: (r.coder.lower(), r.start)
        if column == 3:
            return lambda r: self.text[r.start : r.start + 60].lower()
        if column == 4:
            return lambda r: (r.memo.lower(), r.start)
        return lambda r: (r.start, r.end, r.id or 0)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self.sort_column, self._reverse = column, order == Qt.SortOrder.DescendingOrder
        self._resort()

    def _resort(self) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old = [(self.records[i.row()].id, i.column()) for i in persistent]
        self.records.sort(key=self._sort_key(self.sort_column), reverse=self._reverse)
        rows = {r.id: n for n, r in enumerate(self.records)}
        self.changePersistentIndexList(persistent, [self.index(rows[sid], col) for sid, col in old])
        self.layoutChanged.emit()

    def _insertion_row(self, record: SpanRecord, records: Sequence[SpanRecord] | None = None) -> int:
        """Where `record` goes in `records` (default: all rows): after rows with an equal key."""
        records = self.records if records is None else records
        key = self._sort_key(self.sort_column)
        new = key(record)
        if self._reverse:  # keys descend: the first row whose key is smaller
            return bisect.bisect_left(records, True, key=lambda r: key(r) < new)
        return bisect.bisect_right(records, new, key=key)

    def row_of(self, span_id: int) -> int:
        """The row of span_id, or -1 (a binary search on the row's sort key, then a short scan of ties)."""
        record = self._by_id.get(span_id)
        if record is None:
            return -1
        key = self._sort_key(self.sort_column)
        target = key(record)
        if self._reverse:
            row = bisect.bisect_left(self.records, True, key=lambda r: key(r) <= target)
        else:
            row = bisect.bisect_left(self.records, target, key=key)
        records = self.records
        while row < len(records) and records[row] is not record:
            row += 1
        if row < len(records):
            return row
        return next((n for n, r in enumerate(records) if r is record), -1)  # keys changed meanwhile (codebook)

    def upsert(self, record: SpanRecord) -> None:
        """Insert one row, or update one row in place (moved if its sort key changed): never a reset."""
        span_id = record.id or 0
        row = self.row_of(span_id)
        if row < 0:
            row = self._insertion_row(record)
            self.beginInsertRows(QModelIndex(), row, row)
            self.records.insert(row, record)
            self._by_id[span_id] = record
            self.endInsertRows()
            return
        new_row = self._insertion_row(record, _Without(self.records, row))  # type: ignore[arg-type]
        dest = new_row if new_row <= row else new_row + 1
        moving = dest not in (row, row + 1)
        if moving:
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
        del self.records[row]
        self.records.insert(new_row, record)
        self._by_id[span_id] = record
        if moving:
            self.endMoveRows()
        self.dataChanged.emit(self.index(new_row, 0), self.index(new_row, len(HEADERS) - 1))

    def remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.records[row]
            del self._by_id[span_id]
            self.endRemoveRows()

    def excerpt(self, r: SpanRecord) -> str:
        passage = " ".join(self.text[r.start : r.end].split())
        return passage if len(passage) <= EXCERPT else passage[: EXCERPT - 1] + "…"

    # -- QAbstractTableModel ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 5:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        r = self.records[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.code_name(r.code_key)
            if col == 1:
                return r.coder
            if col == 2:
                return f"{r.start}–{r.end}"
            return self.excerpt(r) if col == 3 else r.memo.replace("\n", " ")
        if role == Qt.ItemDataRole.BackgroundRole and col == 0:
            return QBrush(QColor(self.code_color(r.code_key)))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.text[r.start : r.end][:1000] + (f"\n\nMemo: {r.memo}" if r.memo else "")
        if role == SPAN_ID_ROLE:
            return r.id
        return None


class SpansProxy(QSortFilterProxyModel):
    """Filters on every column, case-insensitively; sorting is passed on to the source model."""

    def __init__(self, source: SpansModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)  # the proxy keeps the source order (its sortColumn is -1)


def _by_position(records: list[SpanRecord]) -> list[SpanRecord]:
    """Records in (start, end, id) order; already ordered input (the store's) is only checked, in numpy."""
    from operator import attrgetter

    import numpy as np

    n = len(records)
    if n < 2:
        return list(records)
    starts = np.fromiter(map(attrgetter("start"), records), np.int64, n)
    ends = np.fromiter(map(attrgetter("end"), records), np.int64, n)
    ids = np.fromiter((r.id or 0 for r in records), np.int64, n)
    order = np.lexsort((ids, ends, starts))
    if bool(np.all(order[1:] > order[:-1])):
        return list(records)
    return [records[k] for k in order.tolist()]


class _Without(Sequence[SpanRecord]):
    """`records` without row `skip`, for a binary search (no copy of 100,000 rows per change)."""

    def __init__(self, records: Sequence[SpanRecord], skip: int) -> None:
        self._records, self._skip = records, skip

    def __len__(self) -> int:
        return len(self._records) - 1

    def __getitem__(self, k):  # type: ignore[no-untyped-def, override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        return self._records[k + 1 if k >= self._skip else k]


class _LazyRows(MutableSequence[SpanRecord]):
    """Table rows over a lazy store result: an int is row k of `base` (built when first read), later
    inserts are records. Sorting builds every record (a user action on the table)."""

    def __init__(self, base: Sequence[SpanRecord]) -> None:
        self._base = base
        self._items: list[int | SpanRecord] = list(range(len(base)))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, k):  # type: ignore[no-untyped-def, override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self._items)))]
        item = self._items[k]
        return self._base[item] if isinstance(item, int) else item

    def __setitem__(self, k, value) -> None:  # type: ignore[no-untyped-def, override]
        if isinstance(k, slice):
            self._items[k] = list(value)
        else:
            self._items[k] = value

    def __delitem__(self, k) -> None:  # type: ignore[no-untyped-def, override]
        del self._items[k]

    def insert(self, index: int, value: SpanRecord) -> None:
        self._items.insert(index, value)

    def __iter__(self) -> Iterator[SpanRecord]:
        return (self[k] for k in range(len(self._items)))

    def sort(self, *, key=None, reverse: bool = False) -> None:  # type: ignore[no-untyped-def]
        records = [self[k] for k in range(len(self._items))]
        records.sort(key=key, reverse=reverse)
        self._items = list(records)


def _lazy_rows(records: Sequence[SpanRecord]):  # type: ignore[no-untyped-def]
    """(rows, id -> record map) over a lazy store result already in (start, end, id) order, else None."""
    from annotator.store.services.gui_support import RecordMap

    try:
        ids, starts, ends = records.ids, records.starts, records.ends  # type: ignore[attr-defined]
    except AttributeError:
        return None
    import numpy as np

    if len(ids) > 1:
        order = np.lexsort((ids, ends, starts))
        if not bool(np.all(order[1:] > order[:-1])):
            return None
    return _LazyRows(records), RecordMap(records)  # type: ignore[arg-type]
