"""A coder selects text and applies codes by key, by the tree and by the context menu."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui.common.actions import ActionId
from annotator.store.services.spans import list_spans
from tests.gui.conftest import TEXT, select


def stored(project):
    return [(s.code_key, s.coder, TEXT[s.start : s.end]) for s in list_spans(project)]


def test_code_by_digit_key(qtbot, window, project):
    start = TEXT.index("terrorism")
    select(window, start, start + len("terrorism"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert stored(project) == [("threat.terrorism", "alice", "terrorism")]
    assert window.spans_model.rowCount() == 1
    assert window.documents_model.counts[window.controller.doc_id] == 1


def test_code_by_letter_and_ctrl_shortcut(qtbot, window, project):
    start = TEXT.index("the West")
    select(window, start, start + len("the West"))
    qtbot.keyClick(window.view, Qt.Key.Key_W)
    start = TEXT.index("Certain states")
    select(window, start, start + len("Certain states"))
    qtbot.keyClick(window.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert sorted(stored(project)) == [
        ("source.states", "alice", "Certain states"),
        ("source.west", "alice", "the West"),
    ]


def test_key_without_selection_codes_nothing(qtbot, window, project):
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert stored(project) == []


def test_keys_in_filter_box_do_not_code(qtbot, window, project):
    select(window, 0, 5)
    window.spans_panel.filter.setFocus()
    qtbot.keyClicks(window.spans_panel.filter, "1w")
    assert stored(project) == []
    assert window.spans_panel.filter.text() == "1w"


def test_repeat_last_code_with_dot(qtbot, window, project):
    start = TEXT.index("terrorism")
    select(window, start, start + 9)
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    start = TEXT.index("illegal migration")
    select(window, start, start + len("illegal migration"))
    qtbot.keyClick(window.view, Qt.Key.Key_Period)
    assert sorted(stored(project)) == [
        ("threat.migration", "alice", "illegal migration"),
        ("threat.migration", "alice", "terrorism"),
    ]


def test_same_passage_two_codes(qtbot, window, project):
    start = TEXT.index("Certain states")
    select(window, start, start + len("Certain states"))
    qtbot.keyClick(window.view, Qt.Key.Key_W)
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # the selection stays: a second group's code
    assert len(list_spans(project)) == 2


def test_code_by_tree_double_click_and_enter(qtbot, window, project):
    tree = window.codebook_panel.tree
    model = window.codebook_model
    start = TEXT.index("illegal migration")
    select(window, start, start + len("illegal migration"))
    index = model.index_of("threat.migration")
    tree.scrollTo(index)
    rect = tree.visualRect(index)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a real double-click
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # is press, then dbl
    assert stored(project) == [("threat.migration", "alice", "illegal migration")]
    start = TEXT.index("cooperation")
    select(window, start, start + len("cooperation"))
    tree.setCurrentIndex(model.index_of("source.other"))
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert ("source.other", "alice", "cooperation") in stored(project)


def test_grouping_code_is_refused(qtbot, window, project):
    select(window, 0, 5)
    window.codebook_panel.codeActivated.emit("threat")
    assert stored(project) == []


def test_code_by_context_menu(qtbot, window, project):
    from annotator.gui.coding import menus

    start = TEXT.index("the West")
    select(window, start, start + len("the West"))
    menu = menus.context_menu(window, [])
    code_as = next(a.menu() for a in menu.actions() if a.text() == "Code selection as")
    assert code_as.isEnabled()
    groups = {a.text(): a.menu() for a in code_as.actions()}
    west = next(a for a in groups["Source"].actions() if a.text() == "The West")
    assert not west.icon().isNull()  # listed with its colour
    west.trigger()
    assert stored(project) == [("source.west", "alice", "the West")]


def test_context_menu_request_from_widget(qtbot, window, project):
    """Right-click on a coded passage offers that span's own commands."""
    start = TEXT.index("terrorism")
    select(window, start, start + 9)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    seen = []
    window.view.contextMenuWanted.connect(lambda pos, ids: seen.append(ids))
    cursor = window.view.textCursor()
    cursor.setPosition(start + 3)
    point = window.view.cursorRect(cursor).center()
    window.view.customContextMenuRequested.emit(point)
    for menu in window.findChildren(type(window.menuBar().actions()[0].menu())):
        if menu.isVisible() and menu.parent() is window:
            menu.close()
    assert seen
    assert len(seen[0]) == 1


def test_snap_to_words(qtbot, window, project):
    window.action(ActionId.SNAP_WORDS).setChecked(True)
    start = TEXT.index("terrorism")
    select(window, start + 2, start + 6)  # "rror"
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert stored(project) == [("threat.terrorism", "alice", "terrorism")]


def test_code_menu_lists_codes_with_shortcuts(window):
    menu = window.menu("code")
    texts = [a.text() for a in menu.actions()]
    assert "Threat type" in texts
    assert "Source" in texts
    assert window.code_actions["threat.terrorism"].shortcut().toString() == "1"
