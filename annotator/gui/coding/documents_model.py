"""The project's documents with this coder's status and span count, and one column per attribute key.

Attribute keys differ between corpora (speaker, year, country...), so the columns are made from the
keys the documents have; a document without a key shows an empty cell. The tooltip of every cell has
the full name, size, source file and all attributes.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from annotator.store.services.documents import DocumentInfo

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 3
STATUS_ROLE = Qt.ItemDataRole.UserRole + 4  # "not_started" | "in_progress" | "done"
FIXED_HEADERS = ("Document", "Status", "Spans")
NAME, STATUS, SPANS = 0, 1, 2
STATUS_LABEL = {"not_started": "not started", "in_progress": "in progress", "done": "✓ done"}
STATUS_COLOR = {"not_started": "#8a8a8a", "in_progress": "#b36b00", "done": "#1e7b34"}

Index = QModelIndex | QPersistentModelIndex


def _status_icon(status: str) -> QIcon:
    """A small disc: hollow grey (not started), half amber (in progress), full green (done)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(STATUS_COLOR[status])
    painter.setPen(color)
    painter.setBrush(Qt.BrushStyle.NoBrush if status == "not_started" else color)
    if status == "in_progress":
        painter.drawEllipse(1, 1, 10, 10)
        painter.setBrush(QColor("white"))
        painter.drawPie(1, 1, 10, 10, 90 * 16, 180 * 16)
    else:
        painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class DocumentsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.docs: list[DocumentInfo] = []
        self.statuses: dict[int, str] = {}
        self.counts: dict[int, int] = {}
        self.attribute_keys: list[str] = []
        self._icons: dict[str, QIcon] = {}

    def set_documents(self, docs: list[DocumentInfo], statuses: dict[int, str], counts: dict[int, int]) -> None:
        self.beginResetModel()
        self.docs, self.statuses, self.counts = list(docs), dict(statuses), dict(counts)
        self.attribute_keys = sorted({k for d in self.docs for k in d.attributes})
        self.endResetModel()

    def update_counts(self, statuses: dict[int, str], counts: dict[int, int]) -> None:
        self.statuses, self.counts = dict(statuses), dict(counts)
        if self.docs:
            self.dataChanged.emit(self.index(0, STATUS), self.index(len(self.docs) - 1, SPANS))

    def adjust_count(self, doc_id: int, delta: int) -> None:
        """One span more or less (no query); a first span marks the document started, as the store does."""
        self.counts[doc_id] = max(0, self.counts.get(doc_id, 0) + delta)
        if delta > 0 and self.statuses.get(doc_id, "not_started") == "not_started":
            self.statuses[doc_id] = "in_progress"
        row = self.row_of(doc_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, STATUS), self.index(row, SPANS))

    def row_of(self, doc_id: int) -> int:
        return next((i for i, d in enumerate(self.docs) if d.id == doc_id), -1)

    def status_of(self, doc_id: int) -> str:
        status = self.statuses.get(doc_id, "not_started")
        return status if status in STATUS_LABEL else "not_started"

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.docs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_HEADERS) + len(self.attribute_keys)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                FIXED_HEADERS[section]
                if section < len(FIXED_HEADERS)
                else self.attribute_keys[section - len(FIXED_HEADERS)]
            )
        if role == Qt.ItemDataRole.ToolTipRole and section >= len(FIXED_HEADERS):
            return f"Document attribute '{self.attribute_keys[section - len(FIXED_HEADERS)]}'"
        return None

    def tooltip(self, d: DocumentInfo) -> str:
        status = self.status_of(d.id)
        lines = [
            d.name,
            f"{d.length:,} characters · {self.counts.get(d.id, 0)} of your spans · {STATUS_LABEL[status].lstrip('✓ ')}",
        ]
        if d.source_filename:
            lines.append(f"from {d.source_filename}")
        lines += [f"{k}: {v}" for k, v in sorted(d.attributes.items())]
        return "\n".join(lines)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self.docs):
            return None
        d = self.docs[index.row()]
        col = index.column()
        status = self.status_of(d.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NAME:
                return d.name
            if col == STATUS:
                return STATUS_LABEL[status]
            if col == SPANS:
                return self.counts.get(d.id, 0)
            return str(d.attributes.get(self.attribute_keys[col - len(FIXED_HEADERS)], ""))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(d)
        if col == STATUS:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(STATUS_COLOR[status]))
            if role == Qt.ItemDataRole.DecorationRole:
                if status not in self._icons:
                    self._icons[status] = _status_icon(status)
                return self._icons[status]
        if role == Qt.ItemDataRole.FontRole and status == "done" and col == STATUS:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SPANS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DOC_ID_ROLE:
            return d.id
        if role == STATUS_ROLE:
            return status
        return None
