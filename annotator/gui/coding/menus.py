"""Menus, toolbar and the text pane's context menu, all built from the window's registered actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from annotator.gui.coding.codebook_model import swatch
from annotator.gui.common.actions import ActionId
from annotator.store.services.coders import list_coders

if TYPE_CHECKING:
    from annotator.core.spans import SpanRecord
    from annotator.gui.coding.controller import CodingController
    from annotator.gui.coding.main_window import MainWindow

EXPORTS = (ActionId.EXPORT_CSV, ActionId.EXPORT_EXCEL, ActionId.EXPORT_JSONL)
REFI_EXPORTS = (ActionId.EXPORT_QDPX, ActionId.EXPORT_QDC, ActionId.EXPORT_YAML)
NUDGES = (ActionId.START_EARLIER, ActionId.START_LATER, ActionId.END_EARLIER, ActionId.END_LATER)
WORD_NUDGES = (
    ActionId.START_EARLIER_WORD,
    ActionId.START_LATER_WORD,
    ActionId.END_EARLIER_WORD,
    ActionId.END_LATER_WORD,
)


def build_menus(w: MainWindow) -> dict[str, QMenu]:
    """The menu bar from the window's registered actions; returns the menus by name."""
    a = w.action
    menus: dict[str, QMenu] = {}
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a(ActionId.NEW_PROJECT), a(ActionId.OPEN_PROJECT)])
    file_menu.addSeparator()
    file_menu.addActions([a(ActionId.IMPORT_DOCUMENTS), a(ActionId.LOAD_CODEBOOK), a(ActionId.OPEN_EXAMPLE)])
    file_menu.addSeparator()
    menus["file.import"] = file_menu.addMenu("I&mport from")
    menus["file.import"].addAction(a(ActionId.IMPORT_QDPX))
    menus["file.export"] = export = file_menu.addMenu("&Export")
    export.addActions([a(i) for i in EXPORTS])
    export.addSeparator()
    export.addActions([a(i) for i in REFI_EXPORTS])
    file_menu.addAction(a(ActionId.MERGE_PROJECT))
    file_menu.addSeparator()
    file_menu.addAction(a(ActionId.QUIT))
    menus["file"] = file_menu

    edit = bar.addMenu("&Edit")
    edit.addActions([a(ActionId.UNDO), a(ActionId.REDO)])
    edit.addSeparator()
    edit.addAction(a(ActionId.FIND))
    edit.addSeparator()
    edit.addActions([a(ActionId.EDIT_MEMO), a(ActionId.BOUNDS_TO_SELECTION)])
    nudges = edit.addMenu("Adjust span boundaries")
    nudges.addActions([a(i) for i in NUDGES])
    nudges.addSeparator()
    nudges.addActions([a(i) for i in WORD_NUDGES])
    edit.addAction(a(ActionId.DELETE_SPAN))
    edit.addSeparator()
    edit.addAction(a(ActionId.SNAP_WORDS))
    menus["edit"] = edit

    menus["code"] = bar.addMenu("&Code")  # filled by fill_code_menu whenever the codebook changes

    view = bar.addMenu("&View")
    view.addActions([a(ActionId.ZOOM_IN), a(ActionId.ZOOM_OUT), a(ActionId.COLOUR_BLIND)])
    view.addSeparator()
    view.addActions([a(ActionId.BLIND_VIEW), a(ActionId.SUPERVISOR_VIEW)])
    coders = view.addMenu("Supervisor view: &choose coders")
    coders.aboutToShow.connect(lambda: fill_coders_menu(w, coders))
    menus["view.coders"] = coders
    view.addSeparator()
    for dock in (w.documents_dock, w.codebook_dock, w.spans_dock):
        view.addAction(dock.toggleViewAction())
    menus["view"] = view

    menus["tools"] = tools = bar.addMenu("&Tools")
    tools.addAction(a(ActionId.AGREEMENT))
    menus["help"] = helpm = bar.addMenu("&Help")
    helpm.addActions([a(ActionId.SHORTCUTS_HELP), a(ActionId.ABOUT)])
    return menus


TOOLBAR = (
    (ActionId.OPEN_PROJECT, ActionId.IMPORT_DOCUMENTS, ActionId.LOAD_CODEBOOK),
    (ActionId.UNDO, ActionId.REDO),
    (ActionId.FIND, ActionId.EDIT_MEMO, ActionId.DELETE_SPAN, ActionId.MARK_DONE),
    (ActionId.ZOOM_IN, ActionId.ZOOM_OUT),
    (ActionId.BLIND_VIEW, ActionId.SUPERVISOR_VIEW),
)


def build_toolbar(w: MainWindow) -> None:
    tb = w.addToolBar("Main")
    tb.setObjectName("mainToolbar")
    tb.setIconSize(QSize(18, 18))
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    for n, group in enumerate(TOOLBAR):
        if n:
            tb.addSeparator()
        tb.addActions([w.action(i) for i in group])


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
            w.set_view_coders(now or None)

        action.toggled.connect(toggle)


def fill_code_menu(w: MainWindow) -> None:
    menu = w.menu("code")
    menu.clear()
    add_code_actions(w, menu)
    menu.addSeparator()
    menu.addAction(w.action(ActionId.REPEAT_CODE))
    menu.addAction(w.action(ActionId.MARK_DONE))
    menu.addActions([w.action(ActionId.NEXT_DOCUMENT), w.action(ActionId.PREVIOUS_DOCUMENT)])
    menu.addAction(w.action(ActionId.SWITCH_CODER))


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


EXCERPT = 28  # characters of a span's text in its context-menu entry


def excerpt(text: str, start: int, end: int, size: int = EXCERPT) -> str:
    """A span's text on one line, cut to `size` characters with an ellipsis."""
    passage = " ".join(text[start:end].split())
    return passage if len(passage) <= size else passage[: size - 1].rstrip() + "…"


def context_menu(w: MainWindow, span_ids: list[int]) -> QMenu:
    """Right-click menu: code the selection; then the spans under the mouse, grouped by coder (own first)
    and by code, each named by its position and the start of its text, so a dense passage never shows
    a list of identical entries."""
    ctl = w.controller
    menu = QMenu(w)
    code_as = menu.addMenu("Code selection as")
    add_code_actions(w, code_as)
    code_as.setEnabled(w.view.selection_range() is not None)
    menu.addAction(w.action(ActionId.REPEAT_CODE))
    groups: dict[str, dict[str, list[SpanRecord]]] = {}
    for sid in span_ids:
        record = ctl.spans.get(sid)
        if record is not None:
            groups.setdefault(record.coder, {}).setdefault(record.code_key, []).append(record)
    for coder in sorted(groups, key=lambda c: (c != ctl.coder, c.lower())):
        menu.addSection(f"{coder} (you)" if coder == ctl.coder else coder)
        for key, records in sorted(groups[coder].items(), key=lambda kv: ctl.code_name(kv[0]).lower()):
            icon = swatch(w.view.colors.get(key, "#ccc"))
            records.sort(key=lambda r: (r.start, r.end))
            if len(records) == 1:
                _span_menu(w, menu.addMenu(icon, f"{ctl.code_name(key)}  ·  {_where(ctl, records[0])}"), records[0])
                continue
            sub = menu.addMenu(icon, f"{ctl.code_name(key)}  ({len(records)} spans)")
            for record in records:
                _span_menu(w, sub.addMenu(_where(ctl, record)), record)
    menu.addSeparator()
    menu.addAction(w.action(ActionId.EDIT_MEMO))
    return menu


def _where(ctl: CodingController, r: SpanRecord) -> str:
    return f"{r.start}–{r.end} “{excerpt(ctl.text, r.start, r.end)}”"


def _span_menu(w: MainWindow, sub: QMenu, record: SpanRecord) -> None:
    """One span's own commands (changing ones only on the coder's own spans)."""
    ctl, sid = w.controller, record.id
    sub.addAction("Select span").triggered.connect(lambda _=False: ctl.choose_span(sid, scroll=False))
    own = record.coder == ctl.coder
    change = sub.addMenu("Change code to")
    change.setEnabled(own)
    for key, action in w.code_actions.items():
        item = QAction(action.icon(), action.text(), change)
        item.triggered.connect(lambda _=False, k=key: ctl.change_code(sid, k))
        change.addAction(item)
    for text, fn in (
        ("Set to selected text", ctl.set_bounds_to_selection),
        ("Memo…", ctl.edit_memo),
        ("Delete span", ctl.delete_span),
    ):
        item = sub.addAction(text)
        item.setEnabled(own)
        item.triggered.connect(lambda _=False, f=fn: f(sid))
