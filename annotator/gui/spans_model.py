"""The spans of the shown document as a table (code, coder, position, excerpt, memo) + a filter proxy."""

from __future__ import annotations

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
        self.text = ""
        self.code_name: Callable[[str], str] = lambda key: key
        self.code_color: Callable[[str], str] = lambda _key: "#cccccc"

    def set_spans(self, records: list[SpanRecord], text: str) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.text = text
        self.endResetModel()

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
            return
        row = len(self.records)
        self.beginInsertRows(QModelIndex(), row, row)
        self.records.append(record)
        self.endInsertRows()

    def remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.records[row]
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
            return (self.code_name(r.code_key), r.coder, f"{r.start}–{r.end}", self.excerpt(r),
                    r.memo.replace("\n", " "))[col]
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return (self.code_name(r.code_key).lower(), r.coder.lower(), r.start, self.excerpt(r).lower(),
                    r.memo.lower())[col]
        if role == Qt.ItemDataRole.BackgroundRole and col == 0:
            return QBrush(QColor(self.code_color(r.code_key)))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.text[r.start:r.end][:1000] + (f"\n\nMemo: {r.memo}" if r.memo else "")
        if role == SPAN_ID_ROLE:
            return r.id
        return None


class SpansProxy(QSortFilterProxyModel):
    """Sorts by real values (positions numerically) and filters on every column, case-insensitively."""

    def __init__(self, source: SpansModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
