"""The spans of the shown document as a table (code, coder, position, excerpt, memo) + a filter proxy."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.core.spans import SpanRecord

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 2
HEADERS = ("Code", "Coder", "Position", "Excerpt", "Memo")
EXCERPT = 90

Index = QModelIndex | QPersistentModelIndex


class SpansModel(QAbstractTableModel):
    """Rows are SpanRecords; the text is kept only to cut excerpts."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[SpanRecord] = []
        self._keys: list = []  # sort key of each row, kept in step with records
        self.text = ""
        self.code_name: Callable[[str], str] = lambda key: key
        self.code_color: Callable[[str], str] = lambda _key: "#cccccc"

    def set_spans(self, records: list[SpanRecord], text: str) -> None:
        self.beginResetModel()
        self.text = text
        self.records = sorted(records, key=self._sort_key(self.sort_column), reverse=self._reverse)
        self._keys = [self._sort_key(self.sort_column)(r) for r in self.records]
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
            return lambda r: self.text[r.start:r.start + 60].lower()
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
        self._keys = [self._sort_key(self.sort_column)(r) for r in self.records]
        rows = {r.id: n for n, r in enumerate(self.records)}
        self.changePersistentIndexList(persistent, [self.index(rows[sid], col) for sid, col in old])
        self.layoutChanged.emit()

    def row_of(self, span_id: int) -> int:
        for row, r in enumerate(self.records):
            if r.id == span_id:
                return row
        return -1

    def upsert(self, record: SpanRecord) -> None:
        row = self.row_of(record.id or 0)
        if row >= 0:
            self.records[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
            self._resort()
            return
        new = self._sort_key(self.sort_column)(record)
        if self._reverse:
            row = bisect.bisect_left(self._keys, True, key=lambda k: k < new)  # keys are descending
        else:
            row = bisect.bisect_right(self._keys, new)
        self.beginInsertRows(QModelIndex(), row, row)
        self.records.insert(row, record)
        self._keys.insert(row, new)
        self.endInsertRows()

    def remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.records[row]
            del self._keys[row]
            self.endRemoveRows()

    def excerpt(self, r: SpanRecord) -> str:
        passage = " ".join(self.text[r.start:r.end].split())
        return passage if len(passage) <= EXCERPT else passage[:EXCERPT - 1] + "…"

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
            return self.text[r.start:r.end][:1000] + (f"\n\nMemo: {r.memo}" if r.memo else "")
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
