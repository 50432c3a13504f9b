"""The codebook as a Qt tree model (name with colour swatch, shortcut) plus its definitions as HTML."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap

from annotator.core.codebook import Code, Codebook

CODE_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Code", "Key")

Index = QModelIndex | QPersistentModelIndex


def swatch(color: str, size: int = 14) -> QIcon:
    """A small filled square in the code's colour (menus, tree, table)."""
    pix = QPixmap(size, size)
    pix.fill(QColor(color))
    return QIcon(pix)


def code_details_html(code: Code | None, path: str = "") -> str:
    """Definition, include/exclude criteria and examples: what a coder checks before applying a code."""
    if code is None:
        return "<p style='color:#777'>Select or hover a code to see its definition.</p>"
    parts = [
        f"<h3 style='margin:0'><span style='background:{code.color}'>&nbsp;&nbsp;&nbsp;</span> "
        f"{html.escape(code.name)}</h3>",
        f"<p style='color:#666;margin-top:2px'>{html.escape(path or code.key)}"
        + (f" &middot; key <b>{html.escape(code.shortcut)}</b>" if code.shortcut else "")
        + ("" if code.codable else " &middot; <i>grouping, not codable</i>")
        + "</p>",
    ]
    if code.description:
        parts.append(f"<p>{html.escape(code.description)}</p>")
    for title, items in (("Include", code.include), ("Exclude", code.exclude), ("Examples", code.examples)):
        if items:
            lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
            parts.append(f"<p style='margin-bottom:0'><b>{title}</b></p><ul style='margin-top:2px'>{lis}</ul>")
    return "".join(parts)


class CodebookModel(QAbstractItemModel):
    """Read-only tree over a core `Codebook`; the codebook object is the single copy of the data."""

    def __init__(self, book: Codebook | None = None) -> None:
        super().__init__()
        self.book = book or Codebook(title="No codebook")
        self._parents: dict[int, Code | None] = {}
        self._index_parents()

    def _index_parents(self) -> None:
        self._parents = {}
        for c in self.book.codes:
            self._parents[id(c)] = None
        for code in self.book.iter_codes():
            for child in code.children:
                self._parents[id(child)] = code

    def set_codebook(self, book: Codebook) -> None:
        self.beginResetModel()
        self.book = book
        self._index_parents()
        self.endResetModel()

    def codes(self) -> list[Code]:
        return list(self.book.iter_codes())

    def _children(self, code: Code | None) -> list[Code]:
        return self.book.codes if code is None else code.children

    def code_at(self, index: Index) -> Code | None:
        return index.internalPointer() if index.isValid() else None  # type: ignore[return-value]

    def index_of(self, key: str) -> QModelIndex:
        for code in self.book.iter_codes():
            if code.key == key:
                siblings = self._children(self._parents.get(id(code)))
                return self.createIndex(siblings.index(code), 0, code)
        return QModelIndex()

    # -- QAbstractItemModel -----------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        children = self._children(self.code_at(parent))
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        code = self.code_at(index)
        if code is None:
            return QModelIndex()
        up = self._parents.get(id(code))
        if up is None:
            return QModelIndex()
        grand = self._parents.get(id(up))
        return self.createIndex(self._children(grand).index(up), 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(self.code_at(parent)))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 2:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        code = self.code_at(index)
        if code is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return code.name if col == 0 else (code.shortcut or "")
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and code.codable:
            return swatch(code.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            return code.description or code.name
        if role == Qt.ItemDataRole.FontRole and not code.codable:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not code.codable:
            return QBrush(QColor("#444444"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == CODE_KEY_ROLE:
            return code.key
        return None
