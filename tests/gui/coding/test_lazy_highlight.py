"""Highlighting is lazy (only blocks on screen are formatted) yet every block a coder sees is highlighted."""

from __future__ import annotations

from PySide6.QtGui import QColor

from annotator.core.span_table import SpanTable
from annotator.core.spans import SpanRecord
from annotator.gui.coding.document_view import DocumentView
from annotator.gui.coding.highlighter import blend

PARAGRAPHS = 400
TEXT = "\n".join(f"Paragraph {i} about terrorism and migration 🙂 in the West." for i in range(PARAGRAPHS))
COLORS = {"a": "#f4a6a6", "b": "#a6d8f4"}


def _records() -> list[SpanRecord]:
    recs = []
    for i in range(PARAGRAPHS):
        s = TEXT.index(f"Paragraph {i} ")
        t = s + TEXT[s:].index("terrorism")
        recs.append(
            SpanRecord(
                id=2 * i + 1, uid=f"a{i}", document_id=1, document="d", coder="c", code_key="a", start=t, end=t + 9
            )
        )
        m = s + TEXT[s:].index("West")
        recs.append(
            SpanRecord(
                id=2 * i + 2, uid=f"b{i}", document_id=1, document="d", coder="c", code_key="b", start=m, end=m + 4
            )
        )
    return recs


def _formats(view: DocumentView, n: int) -> dict[int, QColor]:
    block = view.document().findBlockByNumber(n)
    return {r.start: r.format.background().color() for r in block.layout().formats()}


def _view(qtbot) -> DocumentView:
    view = DocumentView()
    qtbot.addWidget(view)
    view.set_colors(COLORS)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    view.load(TEXT, SpanTable.from_records(_records()))
    return view


def _expected(n: int) -> dict[int, QColor]:
    line = TEXT.split("\n")[n]
    u16 = lambda s: len(s.encode("utf-16-le")) // 2  # noqa: E731
    return {
        u16(line[: line.index("terrorism")]): blend(("#f4a6a6",)),
        u16(line[: line.index("West")]): blend(("#a6d8f4",)),
    }


def test_visible_blocks_are_highlighted_at_once_and_the_rest_lazily(qtbot):
    view = _view(qtbot)
    assert _formats(view, 0) == _expected(0)  # no paint needed
    assert _formats(view, 300) == {}  # far below the screen: not formatted yet
    assert len(view.highlighter.revealed) < 40


def test_scrolling_reveals_highlights(qtbot):
    view = _view(qtbot)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    first, last = view.visible_blocks()
    assert last.blockNumber() == PARAGRAPHS - 1
    for n in range(first.blockNumber(), last.blockNumber() + 1):
        assert _formats(view, n) == _expected(n), n
    view.resize(700, 800)  # more lines on screen
    first, last = view.visible_blocks()
    for n in range(first.blockNumber(), last.blockNumber() + 1):
        assert _formats(view, n) == _expected(n), n


def test_replacing_spans_clears_stale_formats(qtbot):
    view = _view(qtbot)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    middle = view.visible_blocks()[0].blockNumber()
    bar.setValue(0)
    view.set_spans(SpanTable.from_records(r for r in _records() if r.code_key == "a"))
    assert _formats(view, 0) == {k: v for k, v in _expected(0).items() if v == blend(("#f4a6a6",))}
    assert _formats(view, middle) == {}  # formatted before, now off screen: cleared, not stale
    bar.setValue(bar.maximum() // 2)
    assert _formats(view, middle) == {k: v for k, v in _expected(middle).items() if v == blend(("#f4a6a6",))}


def test_loaded_spans_can_be_changed_and_removed(qtbot):
    view = _view(qtbot)
    recs = _records()
    assert len(view.index) == 2 * PARAGRAPHS
    view.remove_span(1)
    assert 1 not in view.index
    assert len(view.index) == 2 * PARAGRAPHS - 1
    assert set(_formats(view, 0)) == {k for k, v in _expected(0).items() if v == blend(("#a6d8f4",))}
    moved = recs[1].with_changes(start=recs[0].start, end=recs[0].end)  # "West" span moved onto "terrorism"
    view.put_span(moved)
    assert _formats(view, 0) == {recs[0].start: blend(("#a6d8f4",))}
    assert [e.span_id for e in view.index.at(recs[0].start)] == [2]
