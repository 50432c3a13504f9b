"""The window's indicators always describe what is on screen (issue 15, bugs 3, 5, 6 and 9)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui.common.actions import ActionId
from annotator.store.services.spans import add_span, list_spans
from annotator.store.services.status import statuses
from tests.gui.agreement.test_agreement_view import coded, dialog, run  # noqa: F401 - fixtures
from tests.gui.conftest import TEXT, add_document, select

CTRL = Qt.KeyboardModifier.ControlModifier


def test_show_in_text_pane_from_agreement_switches_the_indicators_too(dialog, qtbot):  # noqa: F811
    window = dialog.main
    assert "Blind" in window.mode_label.text()
    run(dialog, qtbot)
    dialog.tabs.setCurrentIndex(2)
    dialog.dis_view.selectRow(0)
    qtbot.mouseClick(dialog.jump_button, Qt.MouseButton.LeftButton)
    assert window.controller.supervisor
    assert "Blind" not in window.mode_label.text()
    assert "Supervisor view" in window.mode_label.text()
    assert not window.action(ActionId.BLIND_VIEW).isChecked()
    assert window.action(ActionId.SUPERVISOR_VIEW).isChecked()
    assert window.view.stripes.show_coders


def _long_document(project) -> tuple[int, str]:
    text = "\n".join(f"Paragraph {i}: the West and certain states speak of terrorism." for i in range(300))
    return add_document(project, "long", text), text


def test_switching_views_keeps_scroll_position_and_selection(qtbot, make_window, project):
    doc, text = _long_document(project)
    start = text.index("Paragraph 150:")
    add_span(project, document_id=doc, acting_coder="bob", code_key="threat.terrorism", start=start, end=start + 9)
    add_span(project, document_id=doc, acting_coder="alice", code_key="source.west", start=0, end=9)  # margin open
    window = make_window(project)
    window.controller.open_document(doc)
    span_start = text.index("Paragraph 140:")
    select(window, span_start, span_start + 9)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    own = window.controller.selected_span()
    select(window, start, start + 20)
    window.view.centerCursor()
    bar = window.view.verticalScrollBar()
    scrolled = bar.value()
    assert scrolled > 0
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL)  # supervisor view
    assert {r.coder for r in window.controller.spans.records()} == {"alice", "bob"}
    assert bar.value() == scrolled
    assert window.view.selection_range() == (start, start + 20)
    assert window.view.selected_span_id == own.id
    qtbot.keyClick(window.view, Qt.Key.Key_1, CTRL)  # blind again
    assert {r.coder for r in window.controller.spans.records()} == {"alice"}
    assert bar.value() == scrolled
    assert window.view.selection_range() == (start, start + 20)
    assert window.view.selected_span_id == own.id


def test_undoing_mark_done_releases_the_done_button(qtbot, window, project, doc_id):
    done = window.action(ActionId.MARK_DONE)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)
    assert statuses(project, "alice")[doc_id] == "done"
    assert done.isChecked()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert statuses(project, "alice").get(doc_id, "not_started") != "done"
    assert not done.isChecked()
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)  # the next Ctrl+D marks it done again
    assert statuses(project, "alice")[doc_id] == "done"
    assert done.isChecked()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo: nothing to redo
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert done.isChecked()


def test_stale_status_messages_go_when_the_screen_changes(qtbot, window, project):
    bar = window.statusBar()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # nothing selected
    assert "Select a passage first" in bar.currentMessage()
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # now something is
    assert bar.currentMessage() == ""
    start = TEXT.index("terrorism")
    select(window, start, start + 9)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert "Coded 9 characters as Terrorism" in bar.currentMessage()
    cursor = window.view.textCursor()
    cursor.clearSelection()
    window.view.setTextCursor(cursor)
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # recode the selected span: said in the status bar
    assert bar.currentMessage() == "Recoded the span from Terrorism to Illegal migration (Ctrl+Z undoes it)"
    assert [s.code_key for s in list_spans(project)] == ["threat.migration"]
    other = add_document(project, "other", "Another text.")
    window.refresh_documents()
    window.controller.open_document(other)  # another document: the message is about the old one
    assert bar.currentMessage() == ""
