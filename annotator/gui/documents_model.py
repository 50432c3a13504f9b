"""The project's documents with this coder's status and span count."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.store.services.documents import DocumentInfo

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 3
HEADERS = ("Document", "Status", "Spans", "Attributes")
STATUS_LABEL = {"not_started": "", "in_progress": "started", "done": "✓ done"}

Index = QModelIndex | QPersistentModelIndex


class DocumentsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.docs: list[DocumentInfo] = []
        self.statuses: dict[int, str] = {}
        self.counts: dict[int, int] = {}

    def set_documents(self, docs: list[DocumentInfo], statuses: dict[int, str], counts: dict[int, int]) -> None:
        self.beginResetModel()
        self.docs, self.statuses, self.counts = list(docs), dict(statuses), dict(counts)
        self.endResetModel()

    def update_counts(self, statuses: dict[int, str], counts: dict[int, int]) -> None:
        self.statuses, self.counts = dict(statuses), dict(counts)
        if self.docs:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.docs) - 1, 2))

    def adjust_count(self, doc_id: int, delta: int) -> None:
        """One span more or less (no query); a first span marks the document started, as the store does."""
        self.counts[doc_id] = max(0, self.counts.get(doc_id, 0) + delta)
        if delta > 0 and self.statuses.get(doc_id, "not_started") == "not_started":
            self.statuses[doc_id] = "in_progress"
        row = self.row_of(doc_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 1), self.index(row, 2))

    def row_of(self, doc_id: int) -> int:
        return next((i for i, d in enumerate(self.docs) if d.id == doc_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.docs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self.docs):
            return None
        d = self.docs[index.row()]
        col = index.column()
        status = self.statuses.get(d.id, "not_started")
        if role == Qt.ItemDataRole.DisplayRole:
            attrs = ", ".join(f"{k}={v}" for k, v in sorted(d.attributes.items()))
            return (d.name, STATUS_LABEL.get(status, status), self.counts.get(d.id, 0), attrs)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [d.name, f"{d.length:,} characters", f"from {d.source_filename}" if d.source_filename else ""]
            lines += [f"{k}: {v}" for k, v in sorted(d.attributes.items())]
            return "\n".join(line for line in lines if line)
        if role == Qt.ItemDataRole.ForegroundRole and col == 1 and status == "done":
            return QBrush(QColor("#1e7b34"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DOC_ID_ROLE:
            return d.id
        return None
