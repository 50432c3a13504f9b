"""Help menu windows: a table of every command and its keys (read from the live QActions), and About.

The shortcuts table is generated, not written by hand: it walks the menu bar (so extension commands
and the codebook's code keys are included) and the window's fixed actions, so it cannot drift from
what the keys really do. Both windows are non-modal.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QSortFilterProxyModel, Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableView,
    QVBoxLayout,
)

import annotator

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

COLUMNS = ("Command", "Keys", "Menu", "Works in", "What it does")
FOOTNOTE = (
    "Code keys and the keys marked 'text pane' work while the text has the focus, so typing in a "
    "filter box never codes anything. In the codebook tree, Enter or a double-click applies the "
    "code to the selected text. Click a bar in the stripes margin to select its span."
)


@dataclass(frozen=True)
class ShortcutRow:
    command: str
    keys: str
    menu: str
    where: str
    tip: str


def _keys(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty())


def _row(action: QAction, menu: str) -> ShortcutRow:
    keys = _keys(action)
    where = (
        "" if not keys else "text pane" if action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut else "window"
    )
    return ShortcutRow(
        action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…"),
        keys,
        menu,
        where,
        action.statusTip(),
    )


def shortcut_rows(w: MainWindow) -> list[ShortcutRow]:
    """Every command of the window with its keys: menu bar first (in menu order), then any others."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} > {sub.title().replace('&', '')}")
            elif id(action) not in seen and action.text() and (action.isEnabled() or _keys(action)):
                seen.add(id(action))
                rows.append(_row(action, path))

    for top in w.menuBar().actions():
        if isinstance(top.menu(), QMenu):
            walk(top.menu(), top.text().replace("&", ""))
    extra = [*w.action_registry, *w.code_actions.values()]
    for action in extra:
        if id(action) not in seen:
            seen.add(id(action))
            rows.append(_row(action, "(text pane)" if action in w.code_actions.values() else ""))
    return rows


class ShortcutsDialog(QDialog):
    """A filterable, sortable table of commands and keys; refreshed when the codebook changes."""

    def __init__(self, w: MainWindow) -> None:
        super().__init__(w)
        self.window_ = w
        self.setWindowTitle("Keyboard shortcuts — annotator")
        self.setModal(False)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter commands or keys…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # menu order first
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        note = QLabel(FOOTNOTE)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(1040, 600)
        w.controller.codebookChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for r in shortcut_rows(self.window_):
            items = [QStandardItem(text) for text in (r.command, r.keys, r.menu, r.where, r.tip)]
            for item in items:
                item.setToolTip(r.tip or r.command)
            self.model.appendRow(items)

    def rows(self) -> list[tuple[str, str]]:
        """(command, keys) as shown, for tests and scripts."""
        return [(self.proxy.index(i, 0).data(), self.proxy.index(i, 1).data()) for i in range(self.proxy.rowCount())]


def show_shortcuts(w: MainWindow, dialog: ShortcutsDialog | None = None) -> ShortcutsDialog:
    """Show the shortcuts table: `dialog` (refreshed) if the window has one already, else a new one."""
    if dialog is None:
        dialog = ShortcutsDialog(w)
    else:
        dialog.refresh()
    dialog.show()
    dialog.raise_()
    return dialog


def about_text(w: MainWindow) -> str:
    project = w.controller.project
    where = str(project.path) if project.path else project.display_name
    return (
        f"<h3>annotator {annotator.__version__}</h3>"
        "<p>A desktop tool for coding political discourse: select a passage, press a code's key. "
        "Every action is stored as it happens (no save button) and can be undone.</p>"
        f"<p><b>Project:</b> {where}<br><b>Coder:</b> {w.controller.coder}</p>"
        f"<p style='color:#666'>Python {platform.python_version()} · Qt {qVersion()} · "
        f"PySide6 {PySide6.__version__}</p>"
    )


def show_about(w: MainWindow) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "About annotator", about_text(w), QMessageBox.StandardButton.Ok, w)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setModal(False)
    box.show()
    return box
