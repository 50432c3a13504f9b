"""The spans of the shown document as a table (code, coder, position, excerpt, memo) + a filter proxy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.span_table import LiveSpans, SpanTable
from annotator.core.spans import SpanRecord

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 2
HEADERS = ("Code", "Coder", "Position", "Excerpt", "Memo")
EXCERPT = 90

Index = QModelIndex | QPersistentModelIndex


class SpansModel(QAbstractTableModel):
    """The rows of a `SpanTable` kept in the current sort order; the text is kept only to cut excerpts.

    In position order (the default) a row is just its table row number until it is shown, so a document
    opens without Python work per span. Finding a row (insert, update, remove) is a binary search with
    the sort key computed for about log2(n) rows, so one change stays cheap at any number of spans.
    """

    def __init__(self) -> None:
        super().__init__()
        self.table = SpanTable.empty()
        self._rows: list[int | SpanRecord] = []  # an int is that table row, unchanged since loading
        self._shown = LiveSpans()  # the record each row holds, by span id (to find its row)
        self.text = ""
        self.code_name: Callable[[str], str] = lambda key: key
        self.code_color: Callable[[str], str] = lambda _key: "#cccccc"

    def set_spans(self, spans: SpanTable, text: str) -> None:
        """Show the spans of `spans`; in position order no record is built until its row is shown."""
        self.beginResetModel()
        self.text = text
        self.table, self._shown = spans, LiveSpans(spans)
        if self.sort_column == 2 and not self._reverse:
            self._rows = list(range(len(spans)))  # a SpanTable is in position order
        else:
            records = sorted(spans.records(), key=self._sort_key(self.sort_column), reverse=self._reverse)
            self._rows = list(records)
        self.endResetModel()

    def record_at(self, row: int) -> SpanRecord:
        item = self._rows[row]
        return self.table.record(item) if isinstance(item, int) else item

    # Sorting happens here, with one Python key per row, not in the proxy: QSortFilterProxyModel would
    # call data() many times per row to sort.
    sort_column = 2
    _reverse = False

    def _sort_key(self, column: int) -> Callable[[SpanRecord], Any]:
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
        old = [(self.record_at(i.row()).id, i.column()) for i in persistent]
        records = [self.record_at(row) for row in range(len(self._rows))]
        records.sort(key=self._sort_key(self.sort_column), reverse=self._reverse)
        self._rows = list(records)
        rows = {r.id: n for n, r in enumerate(records)}
        self.changePersistentIndexList(persistent, [self.index(rows[sid], col) for sid, col in old])
        self.layoutChanged.emit()

    def _first_row(self, past: Callable[[SpanRecord], bool], skip: int = -1) -> int:
        """Binary search: the first row (rows counted without row `skip`) whose record is `past` the
        target; `past` must be False for a prefix of the rows and True for the rest."""
        lo, hi = 0, len(self._rows) - (1 if skip >= 0 else 0)
        while lo < hi:
            mid = (lo + hi) // 2
            if past(self.record_at(mid + 1 if 0 <= skip <= mid else mid)):
                hi = mid
            else:
                lo = mid + 1
        return lo

    def _insertion_row(self, record: SpanRecord, skip: int = -1) -> int:
        """Where `record` goes (rows counted without row `skip`): after the rows with an equal key."""
        key = self._sort_key(self.sort_column)
        new = key(record)
        if self._reverse:  # keys descend: the first row whose key is smaller
            return self._first_row(lambda r: key(r) < new, skip)
        return self._first_row(lambda r: key(r) > new, skip)

    def row_of(self, span_id: int) -> int:
        """The row of span_id, or -1 (a binary search on the row's sort key, then a short scan of ties)."""
        record = self._shown.get(span_id)
        if record is None:
            return -1
        key = self._sort_key(self.sort_column)
        target = key(record)
        if self._reverse:
            row = self._first_row(lambda r: key(r) <= target)
        else:
            row = self._first_row(lambda r: key(r) >= target)
        n = len(self._rows)
        while row < n and self.record_at(row) is not record:
            row += 1
        if row < n:
            return row
        # keys changed meanwhile (a codebook reload renamed codes): look at every row
        return next((k for k in range(n) if self.record_at(k) is record), -1)

    def upsert(self, record: SpanRecord) -> None:
        """Insert one row, or update one row in place (moved if its sort key changed): never a reset."""
        row = self.row_of(record.id or 0)
        if row < 0:
            row = self._insertion_row(record)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, record)
            self._shown.put(record)
            self.endInsertRows()
            return
        new_row = self._insertion_row(record, skip=row)
        dest = new_row if new_row <= row else new_row + 1
        moving = dest not in (row, row + 1)
        if moving:
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
        del self._rows[row]
        self._rows.insert(new_row, record)
        self._shown.put(record)
        if moving:
            self.endMoveRows()
        self.dataChanged.emit(self.index(new_row, 0), self.index(new_row, len(HEADERS) - 1))

    def remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self._shown.remove(span_id)
            self.endRemoveRows()

    def excerpt(self, r: SpanRecord) -> str:
        passage = " ".join(self.text[r.start : r.end].split())
        return passage if len(passage) <= EXCERPT else passage[: EXCERPT - 1] + "…"

    # -- QAbstractTableModel ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 5:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self.record_at(index.row())
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
