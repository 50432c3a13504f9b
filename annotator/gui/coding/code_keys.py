"""The codebook's keys at a glance: a compact grid of key + code pairs, never scrolled.

Coders look up a code's key far more often than any other command's, so the shortcuts window shows
them first, all at once, in as many key/code column pairs as keep the grid short; keys are shown as the
codebook writes them ("e", "Ctrl+3"), not as Qt normalises them ("E").
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from annotator.gui.coding.codebook_model import swatch

ROWS_PER_PAIR = 12  # about this many codes per key/code column pair before another pair is added


class CodeKeysGrid(QTableWidget):
    """(key, code) pairs filled column by column; sized to show every row without scrolling."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("codeKeys")
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.pairs: list[tuple[str, str, str]] = []

    def set_codes(self, pairs: list[tuple[str, str, str]]) -> None:
        """Show (key as written, code name, colour) pairs."""
        self.pairs = list(pairs)
        columns = max(1, math.ceil(len(pairs) / ROWS_PER_PAIR))
        rows = math.ceil(len(pairs) / columns) if pairs else 0
        self.clear()
        self.setRowCount(rows)
        self.setColumnCount(2 * columns)
        bold = QFont(self.font())
        bold.setBold(True)
        for i, (key, name, color) in enumerate(pairs):
            row, pair = i % rows, i // rows
            key_item = QTableWidgetItem(key)
            key_item.setFont(bold)
            key_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            name_item = QTableWidgetItem(swatch(color), name + "   ")
            self.setItem(row, 2 * pair, key_item)
            self.setItem(row, 2 * pair + 1, name_item)
        self.resizeColumnsToContents()
        self.setFixedHeight(self.sizeHint().height())
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        frame = 2 * self.frameWidth()
        width = sum(self.columnWidth(c) for c in range(self.columnCount())) + frame
        height = self.rowCount() * self.verticalHeader().defaultSectionSize() + frame
        return QSize(width, height)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def rows(self) -> list[tuple[str, str]]:
        """(code name, key) as shown."""
        return [(name, key) for key, name, _color in self.pairs]
