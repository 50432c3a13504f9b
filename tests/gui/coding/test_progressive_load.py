"""Progressive loading: the text pane shows the first part of a long document at once and appends the rest
in the background; offsets, highlights and stripes are right while it loads and after, and anything that
needs the unloaded text (selecting a stored range, jumping to a span, find, select-all) loads it first.

Chunk sizes are made tiny here so that a short multilingual text (emoji, Cyrillic, combining marks,
imported with CRLF line ends) is loaded in many pieces.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor

from annotator.core.span_table import SpanTable
from annotator.core.spans import SpanRecord
from annotator.gui.coding.document_view import DocumentView
from annotator.gui.coding.highlighter import blend
from annotator.gui.common.positions import Positions
from annotator.store.services.documents import document_text
from annotator.store.services.spans import list_spans
from tests.gui.conftest import add_document

LINES = [f"Абзац {i}: 👍🏽 terrorism 🚀 and cafe\u0301 migration 𝔘𝔫𝔦 in the West, line {i}." for i in range(300)]
TEXT = "\n".join(LINES) + "\nThe very last zebra sentence."
COLORS = {"a": "#f4a6a6", "b": "#a6d8f4"}


def _records() -> list[SpanRecord]:
    recs = []
    pos = 0
    for i, line in enumerate(LINES):
        t = pos + line.index("terrorism")
        recs.append(
            SpanRecord(
                id=2 * i + 1,
                uid=f"a{i}",
                document_id=1,
                document="d",
                coder="c",
                code_key="a",
                start=t,
                end=t + len("terrorism"),
            )
        )
        pos += len(line) + 1
    # long spans: each starts in one line and ends several lines later (across chunk boundaries)
    pos = 0
    starts = [0]
    for line in LINES:
        pos += len(line) + 1
        starts.append(pos)
    for i in range(0, 290, 7):
        s = starts[i] + LINES[i].index("migration")
        e = starts[i + 5] + LINES[i + 5].index("West")
        recs.append(
            SpanRecord(id=10_000 + i, uid=f"b{i}", document_id=1, document="d", coder="c", code_key="b", start=s, end=e)
        )
    return recs


@pytest.fixture
def view(qtbot) -> DocumentView:
    v = DocumentView()
    v.FIRST_CHUNK = 2_000
    v.CHUNK = 1_500
    qtbot.addWidget(v)
    v.set_colors(COLORS)
    v.resize(700, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def _span_text(view: DocumentView, q_start: int, q_end: int) -> str:
    cursor = QTextCursor(view.document())
    cursor.setPosition(q_start)
    cursor.setPosition(q_end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")


def _block_formats(view: DocumentView, n: int) -> dict[tuple[int, int], QColor]:
    block = view.document().findBlockByNumber(n)
    return {(r.start, r.length): r.format.background().color() for r in block.layout().formats()}


def _expected_formats(view: DocumentView, n: int) -> dict[tuple[int, int], QColor]:
    """Formats of block n computed independently: per UTF-16 unit, the sorted colours covering it."""
    block = view.document().findBlockByNumber(n)
    start, length = block.position(), block.length() - 1
    cover: list[tuple[str, ...]] = []
    for u in range(start, start + length):
        cover.append(tuple(sorted(e.color for e in view.index.entries() if e.start <= u < e.end)))
    out: dict[tuple[int, int], QColor] = {}
    u = 0
    while u < length:
        v = u
        while v < length and cover[v] == cover[u]:
            v += 1
        if cover[u]:
            out[(u, v - u)] = blend(cover[u])
        u = v
    return out


def _visible_block_numbers(view: DocumentView) -> range:
    first, last = view.visible_blocks()
    return range(first.blockNumber(), last.blockNumber() + 1)


def test_first_part_is_shown_at_once_and_the_rest_follows(qtbot, view):
    view.load(TEXT, SpanTable.from_records(_records()))
    assert not view.fully_loaded
    shown = view.toPlainText()
    assert shown.endswith("\n")
    assert TEXT.startswith(shown)
    assert len(shown) < len(TEXT) // 4
    assert view.loaded_qt_length == Positions(TEXT).to_qt(len(shown))
    assert view.document().characterCount() - 1 == view.loaded_qt_length
    for n in _visible_block_numbers(view):  # highlighted on screen at once
        assert _block_formats(view, n) == _expected_formats(view, n), n
    qtbot.waitUntil(lambda: view.fully_loaded)
    assert view.toPlainText() == TEXT
    assert view.document().characterCount() - 1 == Positions(TEXT).qt_length
    for e in view.index.entries():  # every span's Qt range holds exactly its stored passage
        r = next(r for r in _records() if r.id == e.span_id)
        assert _span_text(view, e.start, e.end) == TEXT[r.start : r.end]


def test_highlights_and_stripes_right_while_loading_and_after(qtbot, view):
    view.load(TEXT, SpanTable.from_records(_records()))
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())  # the end of what is loaded so far: spans there run past it
    view.repaint()
    assert not view.fully_loaded
    for n in _visible_block_numbers(view):
        assert _block_formats(view, n) == _expected_formats(view, n), n
    first, last = view.visible_range()
    assert {e.span_id for e, *_ in view.stripes.current_layout().rows} == {
        e.span_id for e in view.index.query(first, last)
    }
    seen = set(_visible_block_numbers(view))
    qtbot.waitUntil(lambda: view.fully_loaded)
    for n in seen:  # blocks revealed while loading (the last one grew) are still right
        assert _block_formats(view, n) == _expected_formats(view, n), n
    bar.setValue(bar.maximum())
    view.repaint()
    for n in _visible_block_numbers(view):
        assert _block_formats(view, n) == _expected_formats(view, n), n
    first, last = view.visible_range()
    assert {e.span_id for e, *_ in view.stripes.current_layout().rows} == {
        e.span_id for e in view.index.query(first, last)
    }
    assert last == view.document().characterCount()


def test_span_added_across_the_loaded_end_is_painted_in_the_loaded_part(view):
    view.load(TEXT, SpanTable.from_records(_records()[:1]))
    assert not view.fully_loaded
    n_last = view.document().blockCount() - 2  # last non-empty loaded block
    block = view.document().findBlockByNumber(n_last)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    view.repaint()
    q_start = block.position() + 3
    positions = Positions(TEXT)
    start = positions.to_store(q_start)
    rec = SpanRecord(
        id=77, uid="x", document_id=1, document="d", coder="c", code_key="b", start=start, end=start + 2_000
    )
    view.put_span(rec)
    formats = _block_formats(view, n_last)
    assert formats
    assert formats == _expected_formats(view, n_last)


def test_select_range_beyond_the_loaded_text_loads_it(view):
    view.load(TEXT, SpanTable.from_records(_records()))
    start = TEXT.index("zebra")
    view.select_range(start, start + 5)
    assert view.fully_loaded
    assert view.textCursor().selectedText() == "zebra"
    assert view.selection_range() == (start, start + 5)
    i = TEXT.index("Абзац 250: 👍🏽")
    passage = "Абзац 250: 👍🏽 terrorism 🚀"
    view.select_range(i, i + len(passage))
    assert view.textCursor().selectedText() == passage
    assert view.selection_range() == (i, i + len(passage))


def test_jump_to_a_far_span_loads_and_outlines_it(view):
    recs = _records()
    view.load(TEXT, SpanTable.from_records(recs))
    far = recs[280]  # 'terrorism' on line 280
    view.select_span(far.id, scroll=True)
    assert view.fully_loaded
    assert view.textCursor().position() == view.index.get(far.id).start
    [sel] = view.extraSelections()
    assert sel.cursor.selectedText() == "terrorism"
    first, last = view.visible_range()
    assert first <= view.index.get(far.id).start < last


def test_find_and_select_all_see_the_whole_text(qtbot, view):
    view.load(TEXT, SpanTable.empty())
    assert view.find("zebra")
    assert view.textCursor().selectedText() == "zebra"
    view.load(TEXT, SpanTable.empty())
    assert not view.fully_loaded
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert view.textCursor().selectedText().replace("\u2029", "\n") == TEXT
    assert view.selection_range() == (0, len(TEXT))


def test_loading_another_document_drops_the_pending_chunks(qtbot, view):
    view.load(TEXT, SpanTable.from_records(_records()))
    assert not view.fully_loaded
    view.load("short text\nsecond line", SpanTable.empty())
    assert view.fully_loaded
    qtbot.wait(50)
    assert view.toPlainText() == "short text\nsecond line"
    view.load(TEXT, SpanTable.from_records(_records()))
    view.load("", SpanTable.empty())
    qtbot.wait(50)
    assert view.toPlainText() == ""


def test_coding_by_key_while_loading_stores_exact_offsets(make_window, project, qtbot, monkeypatch):
    """A CRLF multilingual document opened through the window; passages coded before and after the rest loads."""
    monkeypatch.setattr(DocumentView, "FIRST_CHUNK", 1_000)
    monkeypatch.setattr(DocumentView, "CHUNK", 800)
    doc = add_document(project, "long", TEXT, newline="\r\n")
    assert document_text(project, doc) == TEXT
    window = make_window(project)
    view = window.view
    window.controller.open_document(doc)
    assert not view.fully_loaded
    found = view.document().find("terrorism 🚀 and cafe\u0301")  # in the loaded part
    assert not found.isNull()
    view.setTextCursor(found)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_1)
    [span] = list_spans(project)
    assert TEXT[span.start : span.end] == "terrorism 🚀 and cafe\u0301"
    assert not view.fully_loaded  # coding in the loaded part did not need the rest
    i = TEXT.index("Абзац 299")
    window.view.select_range(i, i + len("Абзац 299: 👍🏽"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_2)
    spans = sorted(list_spans(project), key=lambda s: s.start)
    assert TEXT[spans[-1].start : spans[-1].end] == "Абзац 299: 👍🏽"
    entry = view.index.get(spans[-1].id)
    assert _span_text(view, entry.start, entry.end) == "Абзац 299: 👍🏽"
