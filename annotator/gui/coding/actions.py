"""The coding room's commands: one registered factory per `ActionId`, plus the codebook's code actions.

Each factory creates its QAction once per window (text, keys, tips, icon) and connects it to the
window's controller or dialogs; menus, toolbar and context menus share these actions through the
window's `ActionRegistry`. Keys that only make sense in the text pane (code keys, '.', Del,
Alt+arrows) use `WidgetShortcut` and are added to the text pane, so typing in the filter box or the
tree never codes anything. Code actions (one per code) are rebuilt by `code_actions` whenever the
codebook changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle

from annotator.core.codebook import Codebook
from annotator.gui.coding import file_actions, navigation
from annotator.gui.coding.codebook_model import swatch
from annotator.gui.common.actions import ActionFactories, ActionId, make_action
from annotator.store.services.coders import list_coders

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

FACTORIES = ActionFactories()

REPEAT_KEY = "."  # never a codebook shortcut: those are letters, digits or F-keys
STD = QKeySequence.StandardKey
SP = QStyle.StandardPixmap


def _icon(w: MainWindow, pixmap: QStyle.StandardPixmap) -> QIcon:
    return w.style().standardIcon(pixmap)


# -- file -----------------------------------------------------------------------------------------
@FACTORIES.register(ActionId.NEW_PROJECT)
def _new_project(w: MainWindow) -> QAction:
    a = make_action(
        w, "&New project…", STD.New, "Create an empty project file", icon=_icon(w, SP.SP_FileDialogNewFolder)
    )
    a.triggered.connect(lambda: file_actions.new_project(w))
    return a


@FACTORIES.register(ActionId.OPEN_PROJECT)
def _open_project(w: MainWindow) -> QAction:
    a = make_action(
        w, "&Open project…", STD.Open, "Open an existing project file", icon=_icon(w, SP.SP_DialogOpenButton)
    )
    a.triggered.connect(lambda: file_actions.open_project_dialog(w))
    return a


@FACTORIES.register(ActionId.IMPORT_DOCUMENTS)
def _import_documents(w: MainWindow) -> QAction:
    tip = "Add .txt, .md, .html, .docx or .pdf files to the project"
    a = make_action(w, "&Import documents…", "Ctrl+I", tip, icon=_icon(w, SP.SP_FileIcon))
    a.triggered.connect(lambda: file_actions.import_documents(w))
    return a


@FACTORIES.register(ActionId.LOAD_CODEBOOK)
def _load_codebook(w: MainWindow) -> QAction:
    tip = "Load or update the codebook (YAML or REFI-QDA .qdc)"
    a = make_action(w, "Load &codebook…", "Ctrl+Shift+L", tip, icon=_icon(w, SP.SP_FileDialogDetailedView))
    a.triggered.connect(lambda: file_actions.load_codebook_dialog(w))
    return a


@FACTORIES.register(ActionId.OPEN_EXAMPLE)
def _open_example(w: MainWindow) -> QAction:
    tip = "Load the threats codebook and the example documents into this project"
    a = make_action(w, "Open bundled &example", None, tip)
    a.triggered.connect(w.open_example)
    return a


@FACTORIES.register(ActionId.QUIT)
def _quit(w: MainWindow) -> QAction:
    a = make_action(w, "&Quit", STD.Quit, "Close the window (everything is already saved)")
    a.triggered.connect(w.close)
    return a


# -- edit -----------------------------------------------------------------------------------------
@FACTORIES.register(ActionId.UNDO)
def _undo(w: MainWindow) -> QAction:
    a = w.undo_group.createUndoAction(w, "&Undo")
    a.setShortcut(QKeySequence("Ctrl+Z"))
    a.setStatusTip("Undo the last coding action (it is undone in the project too)")
    a.setIcon(_icon(w, SP.SP_ArrowBack))
    return a


@FACTORIES.register(ActionId.REDO)
def _redo(w: MainWindow) -> QAction:
    a = w.undo_group.createRedoAction(w, "&Redo")
    a.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    a.setStatusTip("Redo the action just undone")
    a.setIcon(_icon(w, SP.SP_ArrowForward))
    return a


@FACTORIES.register(ActionId.FIND)
def _find(w: MainWindow) -> QAction:
    a = make_action(w, "&Find…", STD.Find, "Find text in the document", icon=_icon(w, SP.SP_FileDialogContentsView))
    a.triggered.connect(w.find_bar.open_bar)
    return a


@FACTORIES.register(ActionId.EDIT_MEMO)
def _edit_memo(w: MainWindow) -> QAction:
    tip = "Write a memo on the selected span"
    a = make_action(w, "&Memo…", "Ctrl+M", tip, icon=_icon(w, SP.SP_FileDialogInfoView))
    a.triggered.connect(lambda: w.controller.edit_memo())
    return a


@FACTORIES.register(ActionId.BOUNDS_TO_SELECTION)
def _bounds_to_selection(w: MainWindow) -> QAction:
    tip = "Move the selected span's boundaries to the selected text"
    a = make_action(w, "Set span to &selection", "Ctrl+B", tip)
    a.triggered.connect(lambda: w.controller.set_bounds_to_selection())
    return a


def _nudge(w: MainWindow, text: str, keys: str, edge: str, delta: int, unit: str = "grapheme") -> QAction:
    a = make_action(w, text, keys, "", widget_only=True)
    a.triggered.connect(lambda: w.controller.nudge(edge, delta, unit))
    return a


@FACTORIES.register(ActionId.START_EARLIER)
def _start_earlier(w: MainWindow) -> QAction:
    return _nudge(w, "Start one character earlier", "Alt+Left", "start", -1)


@FACTORIES.register(ActionId.START_LATER)
def _start_later(w: MainWindow) -> QAction:
    return _nudge(w, "Start one character later", "Alt+Right", "start", 1)


@FACTORIES.register(ActionId.END_EARLIER)
def _end_earlier(w: MainWindow) -> QAction:
    return _nudge(w, "End one character earlier", "Alt+Shift+Left", "end", -1)


@FACTORIES.register(ActionId.END_LATER)
def _end_later(w: MainWindow) -> QAction:
    return _nudge(w, "End one character later", "Alt+Shift+Right", "end", 1)


@FACTORIES.register(ActionId.START_EARLIER_WORD)
def _start_earlier_word(w: MainWindow) -> QAction:
    return _nudge(w, "Start one word earlier", "Ctrl+Alt+Left", "start", -1, "word")


@FACTORIES.register(ActionId.START_LATER_WORD)
def _start_later_word(w: MainWindow) -> QAction:
    return _nudge(w, "Start one word later", "Ctrl+Alt+Right", "start", 1, "word")


@FACTORIES.register(ActionId.END_EARLIER_WORD)
def _end_earlier_word(w: MainWindow) -> QAction:
    return _nudge(w, "End one word earlier", "Ctrl+Alt+Shift+Left", "end", -1, "word")


@FACTORIES.register(ActionId.END_LATER_WORD)
def _end_later_word(w: MainWindow) -> QAction:
    return _nudge(w, "End one word later", "Ctrl+Alt+Shift+Right", "end", 1, "word")


@FACTORIES.register(ActionId.DELETE_SPAN)
def _delete_span(w: MainWindow) -> QAction:
    tip = "Delete the selected span"
    a = make_action(w, "&Delete span", STD.Delete, tip, widget_only=True, icon=_icon(w, SP.SP_TrashIcon))
    a.triggered.connect(lambda: w.controller.delete_span())
    return a


@FACTORIES.register(ActionId.SNAP_WORDS)
def _snap_words(w: MainWindow) -> QAction:
    tip = "Widen every coded selection to whole words"
    a = make_action(w, "S&nap selections to whole words", "Ctrl+W", tip, checkable=True)

    def snap(on: bool) -> None:
        w.controller.snap = on

    a.toggled.connect(snap)
    return a


# -- code -----------------------------------------------------------------------------------------
@FACTORIES.register(ActionId.REPEAT_CODE)
def _repeat_code(w: MainWindow) -> QAction:
    tip = "Apply the last used code to the selected text"
    a = make_action(w, "Repeat &last code", REPEAT_KEY, tip, widget_only=True)
    a.triggered.connect(w.controller.repeat_last_code)
    return a


@FACTORIES.register(ActionId.MARK_DONE)
def _mark_done(w: MainWindow) -> QAction:
    tip = "Mark the shown document as completely coded by you"
    a = make_action(w, "Mark document &done", "Ctrl+D", tip, checkable=True, icon=_icon(w, SP.SP_DialogApplyButton))

    def done(on: bool) -> None:
        w.controller.set_done(on)
        navigation.after_done(w)  # offers the next document not done yet

    a.triggered.connect(done)
    return a


@FACTORIES.register(ActionId.NEXT_DOCUMENT)
def _next_document(w: MainWindow) -> QAction:
    a = make_action(w, "&Next document", "Ctrl+PgDown", "Open the next document in the list")
    a.triggered.connect(lambda: navigation.go(w, 1))
    return a


@FACTORIES.register(ActionId.PREVIOUS_DOCUMENT)
def _previous_document(w: MainWindow) -> QAction:
    a = make_action(w, "&Previous document", "Ctrl+PgUp", "Open the previous document in the list")
    a.triggered.connect(lambda: navigation.go(w, -1))
    return a


@FACTORIES.register(ActionId.SWITCH_CODER)
def _switch_coder(w: MainWindow) -> QAction:
    a = make_action(w, "S&witch coder…", "Ctrl+Shift+C", "Code under another name")
    a.triggered.connect(w.switch_coder)
    return a


# -- view -----------------------------------------------------------------------------------------
@FACTORIES.register(ActionId.ZOOM_IN)
def _zoom_in(w: MainWindow) -> QAction:
    a = make_action(w, "Zoom &in", STD.ZoomIn, "Larger text")
    a.setIconText("A+")
    a.triggered.connect(lambda: w.view.zoomIn(1))
    return a


@FACTORIES.register(ActionId.ZOOM_OUT)
def _zoom_out(w: MainWindow) -> QAction:
    a = make_action(w, "Zoom &out", STD.ZoomOut, "Smaller text")
    a.setIconText("A−")
    a.triggered.connect(lambda: w.view.zoomOut(1))
    return a


@FACTORIES.register(ActionId.BLIND_VIEW)
def _blind_view(w: MainWindow) -> QAction:
    tip = "Show only your own spans, so agreement stays honest"
    a = make_action(w, "&My spans only (blind coding)", "Ctrl+1", tip, checkable=True)
    a.setChecked(True)
    a.setIconText("Blind")
    a.triggered.connect(lambda: w.set_view_coders(None))
    return a


@FACTORIES.register(ActionId.SUPERVISOR_VIEW)
def _supervisor_view(w: MainWindow) -> QAction:
    tip = "Show the spans of every coder, each one distinguishable"
    a = make_action(w, "&Supervisor view: all coders", "Ctrl+2", tip, checkable=True)
    a.setIconText("All coders")
    a.triggered.connect(lambda: w.set_view_coders([n for n, _ in list_coders(w.controller.project)]))
    return a


@FACTORIES.register(ActionId.COLOUR_BLIND)
def _colour_blind(w: MainWindow) -> QAction:
    tip = "Show the codes in colours that stay distinct with colour-blindness (the codebook is not changed)"
    a = make_action(w, "&Colour-blind-safe colours", None, tip, checkable=True)
    a.toggled.connect(w.controller.set_colour_blind)
    return a


# -- help -----------------------------------------------------------------------------------------
@FACTORIES.register(ActionId.SHORTCUTS_HELP)
def _shortcuts_help(w: MainWindow) -> QAction:
    tip = "Every command and its keys, including the codebook's code keys"
    a = make_action(w, "&Keyboard shortcuts", "Ctrl+/", tip)
    a.triggered.connect(w.show_shortcuts)
    return a


@FACTORIES.register(ActionId.ABOUT)
def _about(w: MainWindow) -> QAction:
    a = make_action(w, "&About annotator", None, "Version, project file and coder")
    a.triggered.connect(w.show_about)
    return a


TEXT_PANE = (
    ActionId.REPEAT_CODE,
    ActionId.DELETE_SPAN,
    ActionId.START_EARLIER,
    ActionId.START_LATER,
    ActionId.END_EARLIER,
    ActionId.END_LATER,
    ActionId.START_EARLIER_WORD,
    ActionId.START_LATER_WORD,
    ActionId.END_EARLIER_WORD,
    ActionId.END_LATER_WORD,
)


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
            action.setProperty("codebook_shortcut", code.shortcut)  # shown as written: "e", not "E"
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setStatusTip(code.description[:200] if code.description else code.name)
        actions[code.key] = action
    return actions
