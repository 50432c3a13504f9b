"""Working through the documents: Ctrl+PgDn / Ctrl+PgUp, the offer after "mark done", "n of m done"."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.store.services.status import set_status, statuses
from tests.gui.conftest import add_document

CTRL = Qt.KeyboardModifier.ControlModifier


def three_documents(project) -> list[int]:
    return [add_document(project, name, f"The {name} text about terrorism.") for name in ("first", "second", "third")]


def test_ctrl_page_keys_open_the_next_and_previous_document(qtbot, make_window, project):
    first, second, third = three_documents(project)
    window = make_window(project)
    assert window.controller.doc_id == first
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, CTRL)
    assert window.controller.doc_id == second
    assert window.documents_panel.selectionModel().selectedRows()[0].row() == 1
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, CTRL)
    assert window.controller.doc_id == third
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, CTRL)  # the last one: stays, and says so
    assert window.controller.doc_id == third
    assert "last document" in window.statusBar().currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, CTRL)
    assert window.controller.doc_id == second
    window.documents_panel.setFocus()  # also from the documents list
    qtbot.keyClick(window.documents_panel, Qt.Key.Key_PageUp, CTRL)
    assert window.controller.doc_id == first


def test_mark_done_offers_the_next_document_not_done(qtbot, make_window, project):
    first, second, third = three_documents(project)
    set_status(project, second, "alice", "done")
    window = make_window(project)
    assert window.documents_dock.windowTitle() == "Documents — 1 of 3 done"
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    assert statuses(project, "alice")[first] == "done"
    assert window.documents_dock.windowTitle() == "Documents — 2 of 3 done"
    bar = window.offer_bar
    assert bar.isVisible()
    assert "2 of 3 done" in bar.note.text()
    assert bar.button.text() == "Open the next not done: third"  # 'second' is done already: skipped
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert window.controller.doc_id == third
    assert not bar.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    assert window.documents_dock.windowTitle() == "Documents — 3 of 3 done"
    assert bar.isVisible()
    assert "All 3 documents are done" in bar.note.text()
    assert not bar.button.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undo: not done any more, the note goes
    assert window.documents_dock.windowTitle() == "Documents — 2 of 3 done"
    assert not bar.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()


def test_done_count_is_the_current_coders(qtbot, make_window, project, prompts):
    first, second, _third = three_documents(project)
    set_status(project, first, "bob", "done")
    set_status(project, second, "bob", "done")
    window = make_window(project)
    assert window.documents_dock.windowTitle() == "Documents — 0 of 3 done"
    prompts.coder = "bob"
    window.switch_coder()
    assert window.documents_dock.windowTitle() == "Documents — 2 of 3 done"
