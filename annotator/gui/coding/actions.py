"""Every fixed user command as a QAction, created once and shared by menus, toolbar and context menus.

Code actions (one per code of the codebook) are built by `code_actions` whenever the codebook changes.
Keys that only make sense in the text pane (code keys, '.', Del, Alt+arrows) use `WidgetShortcut` and
are added to the text pane, so typing in the filter box or the tree never codes anything.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup

from annotator.core.codebook import Codebook
from annotator.gui.coding.codebook_model import swatch

REPEAT_KEY = "."  # never a codebook shortcut: those are letters, digits or F-keys


def _action(
    parent: QObject,
    text: str,
    shortcut: QKeySequence | str | None = None,
    tip: str = "",
    *,
    checkable: bool = False,
    widget_only: bool = False,
) -> QAction:
    action = QAction(text, parent)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(
            f"{text.replace('&', '').rstrip('…')}"
            + (f" ({action.shortcut().toString()})" if shortcut else "")
            + f"\n{tip}"
        )
    action.setCheckable(checkable)
    if widget_only:
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    return action


class Actions:
    """The window's fixed commands (attributes), plus undo/redo from the shared QUndoGroup."""

    def __init__(self, parent: QObject, undo_group: QUndoGroup) -> None:
        a = _action
        std = QKeySequence.StandardKey
        self.new_project = a(parent, "&New project…", std.New, "Create an empty project file")
        self.open_project = a(parent, "&Open project…", std.Open, "Open an existing project file")
        self.import_documents = a(
            parent, "&Import documents…", "Ctrl+I", "Add .txt, .md, .html, .docx or .pdf files to the project"
        )
        self.load_codebook = a(
            parent, "Load &codebook…", "Ctrl+Shift+L", "Load or update the codebook (YAML or REFI-QDA .qdc)"
        )
        self.open_example = a(
            parent,
            "Open bundled &example",
            None,
            "Load the threats codebook and the example documents into this project",
        )
        self.merge_project = a(parent, "&Merge project…", None, "Merge another project's coding into this one")
        self.quit = a(parent, "&Quit", std.Quit, "Close the window (everything is already saved)")
        self.undo = undo_group.createUndoAction(parent, "&Undo")
        self.undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo.setStatusTip("Undo the last coding action (it is undone in the project too)")
        self.redo = undo_group.createRedoAction(parent, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.setStatusTip("Redo the action just undone")
        self.find = a(parent, "&Find…", std.Find, "Find text in the document")
        self.zoom_in = a(parent, "Zoom &in", std.ZoomIn, "Larger text")
        self.zoom_out = a(parent, "Zoom &out", std.ZoomOut, "Smaller text")
        self.repeat_code = a(
            parent, "Repeat &last code", REPEAT_KEY, "Apply the last used code to the selected text", widget_only=True
        )
        self.delete_span = a(parent, "&Delete span", std.Delete, "Delete the selected span", widget_only=True)
        self.edit_memo = a(parent, "&Memo…", "Ctrl+M", "Write a memo on the selected span")
        self.bounds_to_selection = a(
            parent, "Set span to &selection", "Ctrl+B", "Move the selected span's boundaries to the selected text"
        )
        self.start_earlier = a(parent, "Start one character earlier", "Alt+Left", "", widget_only=True)
        self.start_later = a(parent, "Start one character later", "Alt+Right", "", widget_only=True)
        self.end_earlier = a(parent, "End one character earlier", "Alt+Shift+Left", "", widget_only=True)
        self.end_later = a(parent, "End one character later", "Alt+Shift+Right", "", widget_only=True)
        self.snap_words = a(
            parent,
            "S&nap selections to whole words",
            "Ctrl+W",
            "Widen every coded selection to whole words",
            checkable=True,
        )
        self.mark_done = a(
            parent,
            "Mark document &done",
            "Ctrl+D",
            "Mark the shown document as completely coded by you",
            checkable=True,
        )
        self.switch_coder = a(parent, "S&witch coder…", "Ctrl+Shift+C", "Code under another name")
        self.blind_view = a(
            parent,
            "&My spans only (blind coding)",
            "Ctrl+1",
            "Show only your own spans, so agreement stays honest",
            checkable=True,
        )
        self.supervisor_view = a(
            parent,
            "&Supervisor view: all coders",
            "Ctrl+2",
            "Show the spans of every coder, each one distinguishable",
            checkable=True,
        )
        self.blind_view.setChecked(True)
        self.shortcuts_help = a(
            parent, "&Keyboard shortcuts", "Ctrl+/", "Every command and its keys, including the codebook's code keys"
        )
        self.about = a(parent, "&About annotator", None, "Version, project file and coder")

    def text_pane_actions(self) -> list[QAction]:
        return [
            self.repeat_code,
            self.delete_span,
            self.start_earlier,
            self.start_later,
            self.end_earlier,
            self.end_later,
        ]


def code_actions(parent: QObject, book: Codebook) -> dict[str, QAction]:
    """One action per codable code, with its colour and (text-pane-only) shortcut."""
    actions: dict[str, QAction] = {}
    for code in book.iter_codes():
        if not code.codable:
            continue
        action = QAction(swatch(code.color), code.name, parent)
        action.setData(code.key)
        if code.shortcut:
            action.setShortcut(QKeySequence(code.shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setStatusTip(code.description[:200] if code.description else code.name)
        actions[code.key] = action
    return actions
