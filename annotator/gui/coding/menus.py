"""Menus, toolbar and the text pane's context menu, all built from the shared actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QStyle

from annotator.gui.coding import file_actions, help_dialogs
from annotator.gui.coding.codebook_model import swatch
from annotator.store.services.coders import list_coders

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow

PLACEHOLDER = "(nothing installed yet)"


def build_menus(w: MainWindow) -> None:
    a = w.actions
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a.new_project, a.open_project])
    file_menu.addSeparator()
    file_menu.addActions([a.import_documents, a.load_codebook, a.open_example])
    file_menu.addSeparator()
    w._menus["file.import"] = file_menu.addMenu("I&mport from")
    w._menus["file.export"] = file_menu.addMenu("&Export")
    file_menu.addAction(a.merge_project)
    a.merge_project.setEnabled(False)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    w._menus["file"] = file_menu

    edit = bar.addMenu("&Edit")
    edit.addActions([a.undo, a.redo])
    edit.addSeparator()
    edit.addAction(a.find)
    edit.addSeparator()
    edit.addActions([a.edit_memo, a.bounds_to_selection])
    nudges = edit.addMenu("Adjust span boundaries")
    nudges.addActions([a.start_earlier, a.start_later, a.end_earlier, a.end_later])
    edit.addAction(a.delete_span)
    edit.addSeparator()
    edit.addAction(a.snap_words)
    w._menus["edit"] = edit

    w._menus["code"] = bar.addMenu("&Code")
    fill_code_menu(w)

    view = bar.addMenu("&View")
    view.addActions([a.zoom_in, a.zoom_out])
    view.addSeparator()
    view.addActions([a.blind_view, a.supervisor_view])
    coders = view.addMenu("Supervisor view: &choose coders")
    coders.aboutToShow.connect(lambda: fill_coders_menu(w, coders))
    w._menus["view.coders"] = coders
    view.addSeparator()
    for dock in (w.documents_dock, w.codebook_dock, w.spans_dock):
        view.addAction(dock.toggleViewAction())
    w._menus["view"] = view

    w._menus["tools"] = bar.addMenu("&Tools")
    helpm = bar.addMenu("&Help")
    helpm.addActions([a.shortcuts_help, a.about])
    w._menus["help"] = helpm


def build_toolbar(w: MainWindow) -> None:
    a = w.actions
    tb = w.addToolBar("Main")
    tb.setObjectName("mainToolbar")
    tb.setIconSize(QSize(18, 18))
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    style = w.style()
    sp = QStyle.StandardPixmap
    for action, pixmap in (
        (a.open_project, sp.SP_DialogOpenButton),
        (a.import_documents, sp.SP_FileIcon),
        (a.load_codebook, sp.SP_FileDialogDetailedView),
        (a.undo, sp.SP_ArrowBack),
        (a.redo, sp.SP_ArrowForward),
        (a.find, sp.SP_FileDialogContentsView),
        (a.edit_memo, sp.SP_FileDialogInfoView),
        (a.delete_span, sp.SP_TrashIcon),
        (a.mark_done, sp.SP_DialogApplyButton),
        (a.new_project, sp.SP_FileDialogNewFolder),
    ):
        action.setIcon(style.standardIcon(pixmap))
    a.zoom_in.setIconText("A+")
    a.zoom_out.setIconText("A−")
    a.blind_view.setIconText("Blind")
    a.supervisor_view.setIconText("All coders")
    tb.addActions([a.open_project, a.import_documents, a.load_codebook])
    tb.addSeparator()
    tb.addActions([a.undo, a.redo])
    tb.addSeparator()
    tb.addActions([a.find, a.edit_memo, a.delete_span, a.mark_done])
    tb.addSeparator()
    tb.addActions([a.zoom_in, a.zoom_out])
    tb.addSeparator()
    tb.addActions([a.blind_view, a.supervisor_view])


def connect_actions(w: MainWindow) -> None:
    a, ctl = w.actions, w.controller
    a.new_project.triggered.connect(lambda: file_actions.new_project(w))
    a.open_project.triggered.connect(lambda: file_actions.open_project_dialog(w))
    a.import_documents.triggered.connect(lambda: file_actions.import_documents(w))
    a.load_codebook.triggered.connect(lambda: file_actions.load_codebook_dialog(w))
    a.open_example.triggered.connect(w.open_example)
    a.shortcuts_help.triggered.connect(lambda: help_dialogs.show_shortcuts(w))
    a.about.triggered.connect(lambda: help_dialogs.show_about(w))
    a.quit.triggered.connect(w.close)
    a.find.triggered.connect(w.find_bar.open_bar)
    a.zoom_in.triggered.connect(lambda: w.view.zoomIn(1))
    a.zoom_out.triggered.connect(lambda: w.view.zoomOut(1))
    a.repeat_code.triggered.connect(ctl.repeat_last_code)
    a.delete_span.triggered.connect(lambda: ctl.delete_span())
    a.edit_memo.triggered.connect(lambda: ctl.edit_memo())
    a.bounds_to_selection.triggered.connect(lambda: ctl.set_bounds_to_selection())
    a.start_earlier.triggered.connect(lambda: ctl.nudge("start", -1))
    a.start_later.triggered.connect(lambda: ctl.nudge("start", 1))
    a.end_earlier.triggered.connect(lambda: ctl.nudge("end", -1))
    a.end_later.triggered.connect(lambda: ctl.nudge("end", 1))
    a.snap_words.toggled.connect(lambda on: setattr(ctl, "snap", on))
    a.mark_done.triggered.connect(lambda on: ctl.set_done(on))
    a.switch_coder.triggered.connect(w.switch_coder)
    a.blind_view.triggered.connect(lambda: set_view_coders(w, None))
    a.supervisor_view.triggered.connect(lambda: set_view_coders(w, [n for n, _ in list_coders(ctl.project)]))


def set_view_coders(w: MainWindow, coders: list[str] | None) -> None:
    w.controller.show_coders(coders)
    w._update_coder_label()


def fill_coders_menu(w: MainWindow, menu: QMenu) -> None:
    """Checkable list of coders; ticking one adds it to the supervisor view."""
    menu.clear()
    ctl = w.controller
    shown = set(ctl.visible_coders())
    for name, n in list_coders(ctl.project):
        action = menu.addAction(f"{name} ({n} spans)")
        action.setCheckable(True)
        action.setChecked(name in shown)
        action.setIcon(swatch(ctl.coder_color(name)))

        def toggle(on: bool, who: str = name) -> None:
            now = [c for c in ctl.visible_coders() if c != who] + ([who] if on else [])
            set_view_coders(w, now or None)

        action.toggled.connect(toggle)


def fill_code_menu(w: MainWindow) -> None:
    menu = w._menus["code"]
    menu.clear()
    add_code_actions(w, menu)
    menu.addSeparator()
    menu.addAction(w.actions.repeat_code)
    menu.addAction(w.actions.mark_done)
    menu.addAction(w.actions.switch_coder)


def add_code_actions(w: MainWindow, menu: QMenu) -> None:
    """The codes as a tree of submenus (groups) holding the shared code actions."""

    def walk(nodes, target: QMenu) -> None:  # type: ignore[no-untyped-def]
        for code in nodes:
            if code.children:
                sub = target.addMenu(code.name)
                if code.key in w.code_actions:
                    sub.addAction(w.code_actions[code.key])
                walk(code.children, sub)
            elif code.key in w.code_actions:
                target.addAction(w.code_actions[code.key])

    walk(w.controller.book.codes, menu)
    if not w.code_actions:
        menu.addAction("(load a codebook first)").setEnabled(False)


def context_menu(w: MainWindow, span_ids: list[int]) -> QMenu:
    """Right-click menu: code the selection; then, per span under the mouse, the span's own commands."""
    ctl = w.controller
    menu = QMenu(w)
    code_as = menu.addMenu("Code selection as")
    add_code_actions(w, code_as)
    code_as.setEnabled(w.view.selection_range() is not None)
    menu.addAction(w.actions.repeat_code)
    for sid in span_ids:
        record = ctl.spans.get(sid)
        if record is None:
            continue
        menu.addSeparator()
        title = f"{ctl.code_name(record.code_key)} — {record.coder}"
        sub = menu.addMenu(swatch(w.view.colors.get(record.code_key, "#ccc")), title)
        sub.addAction("Select span").triggered.connect(lambda _=False, s=sid: ctl.select_span(s, scroll=False))
        own = record.coder == ctl.coder
        change = sub.addMenu("Change code to")
        change.setEnabled(own)
        for key, action in w.code_actions.items():
            item = QAction(action.icon(), action.text(), change)
            item.triggered.connect(lambda _=False, s=sid, k=key: ctl.change_code(s, k))
            change.addAction(item)
        for text, fn in (
            ("Set to selected text", ctl.set_bounds_to_selection),
            ("Memo…", ctl.edit_memo),
            ("Delete span", ctl.delete_span),
        ):
            item = sub.addAction(text)
            item.setEnabled(own)
            item.triggered.connect(lambda _=False, s=sid, f=fn: f(s))
    menu.addSeparator()
    menu.addAction(w.actions.edit_memo)
    return menu


def fill_placeholders(w: MainWindow) -> None:
    """Extension menus still empty get a disabled note (the exchange and agreement issues fill them)."""
    for name in ("file.import", "file.export", "tools"):
        menu = w._menus[name]
        if menu.isEmpty():
            menu.addAction(PLACEHOLDER).setEnabled(False)
