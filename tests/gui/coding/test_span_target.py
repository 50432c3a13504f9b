"""Which span a key acts on: the span the coder clicked (bar, table row or text), never a leftover selection.

Issue 15, bugs 1 and 4: after coding a passage its selection stays; clicking another span must make that
span the target of the next code key (a recode, not a new span), and after Del nothing is selected.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.store.services.spans import list_spans
from tests.gui.conftest import TEXT, select


def code(qtbot, window, passage: str, key=Qt.Key.Key_1):
    start = TEXT.index(passage)
    select(window, start, start + len(passage))
    qtbot.keyClick(window.view, key)
    return window.controller.selected_span()


def stored(project):
    return sorted((s.id, s.code_key, TEXT[s.start : s.end]) for s in list_spans(project))


def click_bar(qtbot, window, span_id: int) -> None:
    stripes = window.view.stripes
    stripes.repaint()
    rect = stripes.current_layout().bar_rects[span_id]
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=rect.center())


def text_point(window, offset: int) -> QPoint:
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view.positions.to_qt(offset))
    return window.view.cursorRect(cursor).center() + QPoint(3, 0)


def test_clicking_a_bar_makes_its_span_the_target_of_a_code_key(qtbot, window, project):
    first = code(qtbot, window, "terrorism")
    second = code(qtbot, window, "the West", Qt.Key.Key_W)  # its selection stays in the text
    assert window.view.selection_range() is not None
    click_bar(qtbot, window, first.id)
    assert window.view.selected_span_id == first.id
    assert window.view.selection_range() is None  # the leftover selection is gone
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    assert stored(project) == [
        (first.id, "threat.migration", "terrorism"),
        (second.id, "source.west", "the West"),
    ]
    assert "Recoded" in window.statusBar().currentMessage()


def test_clicking_a_table_row_makes_its_span_the_target(qtbot, window, project):
    first = code(qtbot, window, "terrorism")
    second = code(qtbot, window, "the West", Qt.Key.Key_W)
    table = window.spans_panel.table
    row = window.spans_panel.proxy.mapFromSource(window.spans_model.index(window.spans_model.row_of(first.id), 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(row).center())
    assert window.view.selected_span_id == first.id
    assert window.view.selection_range() is None
    qtbot.keyClick(table, Qt.Key.Key_2)  # code keys work in the spans table too
    assert stored(project) == [
        (first.id, "threat.migration", "terrorism"),
        (second.id, "source.west", "the West"),
    ]


def test_clicking_a_coded_passage_in_the_text_makes_it_the_target(qtbot, window, project):
    first = code(qtbot, window, "terrorism")
    second = code(qtbot, window, "the West", Qt.Key.Key_W)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=text_point(window, first.start + 3))
    assert window.view.selected_span_id == first.id
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    assert stored(project) == [
        (first.id, "threat.migration", "terrorism"),
        (second.id, "source.west", "the West"),
    ]


def test_clicking_uncoded_text_leaves_no_target(qtbot, window, project):
    code(qtbot, window, "terrorism")
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=text_point(window, TEXT.index("answer")))
    assert window.view.selected_span_id is None
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    assert stored(project)[0][1] == "threat.terrorism"
    assert len(stored(project)) == 1


def test_after_delete_nothing_is_selected_and_a_second_del_deletes_nothing(qtbot, window, project):
    first = code(qtbot, window, "terrorism")
    second = code(qtbot, window, "illegal migration", Qt.Key.Key_2)
    third = code(qtbot, window, "the West", Qt.Key.Key_W)
    click_bar(qtbot, window, second.id)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert [s[0] for s in stored(project)] == [first.id, third.id]
    assert window.view.selected_span_id is None
    assert window.controller.selected_span() is None
    assert window.spans_panel.table.selectionModel().selectedRows() == []
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert [s[0] for s in stored(project)] == [first.id, third.id]
    # the same from the spans table
    table = window.spans_panel.table
    row = window.spans_panel.proxy.mapFromSource(window.spans_model.index(window.spans_model.row_of(first.id), 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(row).center())
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [s[0] for s in stored(project)] == [third.id]
    assert window.view.selected_span_id is None
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [s[0] for s in stored(project)] == [third.id]
