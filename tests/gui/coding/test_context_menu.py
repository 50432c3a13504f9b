"""The right-click menu on a dense passage: grouped by coder and code, each span named by position and text.

Before, a passage coded by two coders listed one entry per span, "Code — coder", many of them identical.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.store.services.spans import add_span, list_spans
from tests.gui.conftest import TEXT

DENSE = [  # (coder, code, passage): all cover "terrorism"
    ("alice", "threat.terrorism", "terrorism"),
    ("alice", "threat.terrorism", "face terrorism"),
    ("alice", "threat.terrorism", "We face terrorism"),
    ("alice", "threat.migration", "terrorism and illegal migration"),
    ("alice", "source.west", "terrorism and"),
    ("bob", "threat.terrorism", "terrorism"),
    ("bob", "threat.terrorism", "face terrorism and"),
    ("bob", "threat.migration", "We face terrorism and illegal migration."),
]


def right_click(qtbot, window, offset: int):
    """A real context-menu event on the text pane at stored offset `offset`; returns the menu shown."""
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.positions.to_qt(offset))
    point = view.cursorRect(cursor).center() + QPoint(3, 0)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: window.context_menu is not None and window.context_menu.isVisible())
    return window.context_menu


def entries(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_dense_passage_menu_is_grouped_by_coder_and_code(qtbot, make_window, project, doc_id):
    for coder, code, passage in DENSE:
        at = TEXT.index(passage)
        add_span(project, document_id=doc_id, acting_coder=coder, code_key=code, start=at, end=at + len(passage))
    window = make_window(project)
    window.set_view_coders(["alice", "bob"])
    menu = right_click(qtbot, window, TEXT.index("terrorism") + 3)
    sections = [a.text() for a in menu.actions() if a.isSeparator() and a.text()]
    assert sections == ["alice (you)", "bob"]
    top = entries(menu)
    assert len(top) == len(set(top))  # no two identical entries
    span_entries = [t for t in top if t not in ("Code selection as", "Repeat last code", "Memo…")]
    assert len(span_entries) == 5  # alice: 3 codes, bob: 2 codes (were 8 entries, one per span)
    groups = {a.text(): a.menu() for a in menu.actions() if a.menu() is not None}
    terror = groups["Terrorism  (3 spans)"]
    start = TEXT.index("We face")
    assert entries(terror) == [
        f"{start}–{start + 17} “We face terrorism”",
        f"{start + 3}–{start + 17} “face terrorism”",
        f"{start + 8}–{start + 17} “terrorism”",
    ]
    single = next(t for t in top if t.startswith("The West"))
    assert single == f"The West  ·  {start + 8}–{start + 21} “terrorism and”"
    long = next(t for t in top if t.startswith("Illegal migration") and "·" in t)
    assert long.endswith("…”")  # a short excerpt
    assert len(long) < 70
    # the span's own commands are one level down; picking "Select span" makes it the target
    first = terror.actions()[0].menu()
    assert [a.text() for a in first.actions() if not a.isSeparator()] == [
        "Select span",
        "Change code to",
        "Set to selected text",
        "Memo…",
        "Delete span",
    ]
    first.actions()[0].trigger()
    picked = window.controller.selected_span()
    assert (picked.coder, picked.start, picked.end) == ("alice", start, start + 17)
    menu.close()
    bob_terror = next(a.menu() for a in menu.actions() if a.menu() and a.text() == "Terrorism  (2 spans)")
    assert not next(a for a in bob_terror.actions()[0].menu().actions() if a.text() == "Delete span").isEnabled()
    assert len(list_spans(project)) == len(DENSE)


def test_right_click_on_a_single_span(qtbot, window, project):
    from tests.gui.conftest import select

    at = TEXT.index("terrorism")
    select(window, at, at + 9)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    menu = right_click(qtbot, window, at + 2)
    assert [a.text() for a in menu.actions() if a.isSeparator() and a.text()] == ["alice (you)"]
    assert f"Terrorism  ·  {at}–{at + 9} “terrorism”" in entries(menu)
    menu.close()
