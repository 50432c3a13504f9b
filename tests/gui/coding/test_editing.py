"""Editing spans as a coder does; every step undone and redone, each result checked in the store."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui.common.actions import ActionId
from annotator.store.services.spans import list_spans
from annotator.store.services.status import statuses
from tests.gui.conftest import TEXT, select


def code(qtbot, window, passage: str, key=Qt.Key.Key_1):
    start = TEXT.index(passage)
    select(window, start, start + len(passage))
    qtbot.keyClick(window.view, key)
    return window.controller.selected_span()


def undo(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def texts(project):
    return sorted((s.code_key, TEXT[s.start : s.end], s.memo) for s in list_spans(project))


def test_undo_redo_coding(qtbot, window, project):
    code(qtbot, window, "terrorism")
    code(qtbot, window, "illegal migration", Qt.Key.Key_2)
    [first_id] = [s.id for s in list_spans(project) if s.code_key == "threat.terrorism"]
    undo(qtbot, window)
    assert texts(project) == [("threat.terrorism", "terrorism", "")]
    assert window.spans_model.rowCount() == 1
    undo(qtbot, window)
    assert texts(project) == []
    assert len(window.view.index) == 0
    redo(qtbot, window)
    assert [s.id for s in list_spans(project)] == [first_id]  # same span back, same id
    redo(qtbot, window)
    assert len(list_spans(project)) == 2
    assert len(window.view.index) == 2


def test_delete_and_undo_restores_same_span(qtbot, window, project):
    span = code(qtbot, window, "terrorism")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert list_spans(project) == []
    assert window.spans_model.rowCount() == 0
    undo(qtbot, window)
    [back] = list_spans(project)
    assert (back.id, back.uid, back.start, back.end) == (span.id, span.uid, span.start, span.end)
    redo(qtbot, window)
    assert list_spans(project) == []


def test_delete_from_spans_table(qtbot, window, project):
    code(qtbot, window, "terrorism")
    table = window.spans_panel.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert list_spans(project) == []


def test_memo(qtbot, window, project, prompts):
    code(qtbot, window, "terrorism")
    prompts.memo = "unsure: terrorism or extremism?"
    qtbot.keyClick(window.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert texts(project) == [("threat.terrorism", "terrorism", "unsure: terrorism or extremism?")]
    assert "terrorism" in prompts.asked[-1]
    assert window.spans_model.index(0, 4).data() == "unsure: terrorism or extremism?"
    undo(qtbot, window)
    assert texts(project) == [("threat.terrorism", "terrorism", "")]
    prompts.memo = None  # cancelled dialog changes nothing
    window.action(ActionId.EDIT_MEMO).trigger()
    assert texts(project) == [("threat.terrorism", "terrorism", "")]


def test_change_code_by_key_and_context_menu(qtbot, window, project):
    from annotator.gui.coding import menus

    span = code(qtbot, window, "the West")
    window.view.setTextCursor(window.view.textCursor())  # keep focus, clear the text selection:
    cursor = window.view.textCursor()
    cursor.clearSelection()
    window.view.setTextCursor(cursor)
    qtbot.keyClick(window.view, Qt.Key.Key_W)  # no text selected: recode the selected span
    assert texts(project) == [("source.west", "the West", "")]
    qtbot.keyClick(window.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert texts(project) == [("source.states", "the West", "")]
    menu = menus.context_menu(window, [span.id])
    sub = next(a.menu() for a in menu.actions() if a.menu() and "Certain states" in a.text())
    change = next(a.menu() for a in sub.actions() if a.text() == "Change code to")
    next(a for a in change.actions() if a.text() == "Other source").trigger()
    assert texts(project) == [("source.other", "the West", "")]
    undo(qtbot, window)
    undo(qtbot, window)
    assert texts(project) == [("source.west", "the West", "")]


def test_boundaries_to_selection_and_nudges(qtbot, window, project):
    code(qtbot, window, "illegal migration", Qt.Key.Key_2)
    start = TEXT.index("illegal")
    select(window, start, start + len("illegal"))
    qtbot.keyClick(window.view, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert texts(project) == [("threat.migration", "illegal", "")]
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert texts(project) == [("threat.migration", "nd illegal", "")]
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert texts(project) == [("threat.migration", "nd illegal ", "")]
    undo(qtbot, window)  # the nudges are one step
    assert texts(project) == [("threat.migration", "illegal", "")]
    undo(qtbot, window)
    assert texts(project) == [("threat.migration", "illegal migration", "")]
    redo(qtbot, window)
    redo(qtbot, window)
    assert texts(project) == [("threat.migration", "nd illegal ", "")]


def test_mark_done(qtbot, window, project, doc_id):
    code(qtbot, window, "terrorism")
    assert statuses(project, "alice")[doc_id] == "in_progress"
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert statuses(project, "alice")[doc_id] == "done"
    assert window.action(ActionId.MARK_DONE).isChecked()
    assert "done" in window.documents_model.index(0, 1).data()
    undo(qtbot, window)
    assert statuses(project, "alice")[doc_id] == "in_progress"
    assert window.documents_model.index(0, 1).data() == "in progress"


def test_undo_switches_back_to_the_document(qtbot, make_window, project, doc_id):
    from tests.gui.conftest import add_document

    other = add_document(project, "other", "A second text about extremism.")
    window = make_window(project)
    window.controller.open_document(doc_id)
    code(qtbot, window, "terrorism")
    window.controller.open_document(other)
    undo(qtbot, window)
    assert window.controller.doc_id == doc_id
    assert list_spans(project) == []


def test_store_is_current_without_saving(qtbot, window, project, tmp_path):
    """Every action is committed as it happens: a second connection sees it immediately."""
    from annotator.store.engine import open_project

    code(qtbot, window, "terrorism")
    other = open_project(project.path)
    try:
        assert len(list_spans(other)) == 1
    finally:
        other.close()


def test_coding_the_same_passage_with_the_same_code_twice_is_refused(qtbot, window, project):
    """A span's identity is unique (schema 0002): the second key press says so and adds nothing."""
    first = code(qtbot, window, "terrorism")
    code(qtbot, window, "terrorism")
    assert [s.id for s in list_spans(project)] == [first.id]
    assert "already has this code from this coder" in window.controller.errors[-1]
    assert "already has this code" in window.statusBar().currentMessage()
    assert window.spans_model.rowCount() == 1
    undo(qtbot, window)  # the refused press left nothing on the undo stack: this undoes the first one
    assert list_spans(project) == []
