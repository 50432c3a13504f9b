"""Offsets at the Qt boundary: astral characters, Cyrillic, combining marks and CRLF input.

Passages are located with Qt's own `QTextDocument.find` (UTF-16 positions, independent of our
conversion), selected in the real widget, coded with the shortcut key; the stored span's
`text[start:end]` must be exactly the passage.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.gui.common.positions import Positions
from annotator.store.services.documents import document_text
from annotator.store.services.spans import list_spans
from tests.gui.conftest import add_document

TEXT = (
    "Emoji first: 👍🏽 then terrorism 🚀🚀 and more.\n"
    "Кириллица: угрозы терроризма и экстремизма.\n"
    "Combining: cafe\u0301 re\u0301sume\u0301 and nai\u0308ve extremism.\n"
    "Mixed 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and ещё 😀 illegal migration."
)

PASSAGES = [
    "terrorism",
    "🚀🚀 and",
    "угрозы терроризма",
    "cafe\u0301 re\u0301sume\u0301",
    "nai\u0308ve",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "ещё 😀 illegal",
    "👍🏽",
]


@pytest.fixture
def crlf_window(make_window, project):
    doc = add_document(project, "unicode", TEXT, newline="\r\n")
    assert document_text(project, doc) == TEXT  # CRLF became LF on import
    return make_window(project)


def _select_with_qt(view, passage: str) -> None:
    cursor = view.document().find(passage)
    assert not cursor.isNull(), passage
    view.setTextCursor(cursor)
    view.setFocus()


@pytest.mark.parametrize("passage", PASSAGES)
def test_selected_passage_is_stored_exactly(qtbot, crlf_window, project, passage):
    view = crlf_window.view
    _select_with_qt(view, passage)
    assert view.textCursor().selectedText() == passage  # Qt agrees on what is selected
    qtbot.keyClick(view, Qt.Key.Key_1)
    [span] = list_spans(project)
    assert TEXT[span.start : span.end] == passage
    # and back: the span is painted over the same Qt range
    entry = view.index.get(span.id)
    cursor = QTextCursor(view.document())
    cursor.setPosition(entry.start)
    cursor.setPosition(entry.end, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == passage


def test_mouse_drag_after_emoji(qtbot, crlf_window, project):
    view = crlf_window.view
    found = view.document().find("terrorism")
    start, end = QTextCursor(view.document()), QTextCursor(view.document())
    start.setPosition(found.selectionStart())
    end.setPosition(found.selectionEnd())
    a = view.cursorRect(start)
    b = view.cursorRect(end)
    p1 = QPoint(a.left() + 1, a.center().y())
    p2 = QPoint(b.left(), b.center().y())
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=p1)
    qtbot.mouseMove(view.viewport(), p2)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=p2)
    assert view.textCursor().selectedText() == "terrorism"
    qtbot.keyClick(view, Qt.Key.Key_2)
    [span] = list_spans(project)
    assert TEXT[span.start : span.end] == "terrorism"
    assert span.code_key == "threat.migration"


def test_selected_span_reselects_same_passage(crlf_window, project, qtbot):
    view = crlf_window.view
    _select_with_qt(view, "ещё 😀 illegal")
    qtbot.keyClick(view, Qt.Key.Key_W)
    [span] = list_spans(project)
    view.select_range(span.start, span.end)
    assert view.textCursor().selectedText() == "ещё 😀 illegal"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab\nжé\u0301😀👍🏽𝔘")), max_size=40), st.data())
def test_positions_round_trip(text, data):
    pos = Positions(text)
    assert pos.qt_length == len(text.encode("utf-16-le")) // 2
    cp = data.draw(st.integers(0, len(text)))
    assert pos.to_store(pos.to_qt(cp)) == cp
    assert pos.to_qt(cp) == len(text[:cp].encode("utf-16-le")) // 2
    if text:
        a = data.draw(st.integers(0, pos.qt_length))
        b = data.draw(st.integers(a, pos.qt_length))
        s, e = pos.range_to_store(a, b)
        assert pos.to_qt(s) <= a
        assert pos.to_qt(e) >= b  # a range never loses half of a surrogate pair
