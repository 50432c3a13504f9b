"""Help menu windows: the keys of every command and code (read from the live QActions), and About.

The shortcuts window is generated, not written by hand: it walks the menu bar (so extension commands
and the codebook's code keys are included) and the window's fixed actions, so it cannot drift from
what the keys really do. The code keys come first, all visible at once (`code_keys.CodeKeysGrid`),
written as the codebook writes them; below them the commands, whose columns are never cut (the last
one wraps). Both windows are non-modal.
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
    QApplication,
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
from annotator.gui.coding.code_keys import CodeKeysGrid

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

COLUMNS = ("Command", "Keys", "Menu", "Works in", "What it does")
FOOTNOTE = (
    "Code keys and the keys marked 'text pane' work while the text (or the spans table) has the focus, "
    "so typing in a filter box never codes anything. In the codebook tree, Enter or a double-click "
    "applies a code, also one without a key. Click a span (its bar, row or passage) to make it the "
    "target of the next key."
)


@dataclass(frozen=True)
class ShortcutRow:
    command: str
    keys: str
    menu: str
    where: str
    tip: str
    code: bool = False  # one of the codebook's codes (shown in the code keys grid)


def _keys(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty())


def _row(action: QAction, menu: str, code: bool = False) -> ShortcutRow:
    written = action.property("codebook_shortcut")  # a code key as the codebook writes it ("e", not "E")
    keys = str(written) if written else _keys(action)
    where = (
        "" if not keys else "text pane" if action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut else "window"
    )
    return ShortcutRow(
        action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…"),
        keys,
        menu,
        where,
        action.statusTip(),
        code,
    )


def shortcut_rows(w: MainWindow) -> list[ShortcutRow]:
    """Every command of the window with its keys: menu bar first (in menu order), then any others."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()

    codes = {id(a) for a in w.code_actions.values()}

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} > {sub.title().replace('&', '')}")
            elif id(action) not in seen and action.text() and (action.isEnabled() or _keys(action)):
                seen.add(id(action))
                rows.append(_row(action, path, id(action) in codes))

    for top in w.menuBar().actions():
        if isinstance(top.menu(), QMenu):
            walk(top.menu(), top.text().replace("&", ""))
    extra = [*w.action_registry, *w.code_actions.values()]
    for action in extra:
        if id(action) not in seen:
            seen.add(id(action))
            rows.append(_row(action, "(text pane)" if id(action) in codes else "", id(action) in codes))
    return rows


class ShortcutsDialog(QDialog):
    """Code keys (all visible) over a filterable, sortable table of commands; follows the codebook."""

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
        self.filter.setPlaceholderText("Filter codes, commands or keys…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.codes = CodeKeysGrid()
        self.codes_title = QLabel()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # menu order first
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)  # only the last column ever needs it: the others fit their contents
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        layout.addWidget(self.codes_title)
        layout.addWidget(self.codes)
        layout.addWidget(QLabel("<b>Commands</b>"))
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._code_rows: list[ShortcutRow] = []
        w.controller.codebookChanged.connect(self.refresh)
        self.refresh()
        self._fit()

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        rows = shortcut_rows(self.window_)
        self._code_rows = [r for r in rows if r.code and r.keys]
        for r in rows:
            if r.code:
                continue
            items = [QStandardItem(text) for text in (r.command, r.keys, r.menu, r.where, r.tip)]
            for item in items:
                item.setToolTip(r.tip or r.command)
            self.model.appendRow(items)
        self._filter(self.filter.text())

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        needle = text.casefold()
        colours = self.window_.view.colors
        keys = self.window_.code_actions
        pairs = [
            (r.keys, r.command, colours.get(_key_of(keys, r.command), "#cccccc"))
            for r in self._code_rows
            if needle in r.command.casefold() or needle in r.keys.casefold()
        ]
        self.codes.set_codes(pairs)
        self.codes_title.setText(
            f"<b>Code keys</b> ({len(pairs)} of {len(self._code_rows)})" if needle else "<b>Code keys</b>"
        )

    def _fit(self) -> None:
        """As wide as the codes grid and the commands' columns need, within the screen."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        fixed = sum(header.sectionSize(c) for c in range(len(COLUMNS) - 1))
        wanted = max(self.codes.sizeHint().width(), fixed + 420) + 60
        screen = (self.screen() or QApplication.primaryScreen()).availableGeometry()
        self.resize(min(wanted, screen.width() - 40), min(self.codes.sizeHint().height() + 560, screen.height() - 40))

    def rows(self) -> list[tuple[str, str]]:
        """(code or command, keys) as shown: the code keys, then the commands; for tests and scripts."""
        commands = [
            (self.proxy.index(i, 0).data(), self.proxy.index(i, 1).data()) for i in range(self.proxy.rowCount())
        ]
        return self.codes.rows() + commands


def _key_of(actions: dict[str, QAction], name: str) -> str:
    return next((key for key, a in actions.items() if a.text() == name), "")


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
