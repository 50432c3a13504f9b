"""The text pane: read-only, selectable text, span highlights, the stripes margin and hover tooltips.

Works in Qt positions internally and speaks stored offsets (code points) at its edges through
`Positions`. `load(text, spans)` and `put_span(record)` are the paths the benchmark suite times.

Loading is progressive: `QPlainTextEdit.setPlainText` of a long text lays out all of it before anything
can be painted, so `load` puts only the first `FIRST_CHUNK` characters (cut after a '\n', many screens) into
the QTextDocument and appends the rest in `CHUNK`-sized pieces (also cut after a '\n') from a zero-timeout
timer. Appending at the end never shifts an earlier Qt position, so the span index (built for the whole
text), the lazy highlighter and the stripes stay right while the text grows; `loaded_qt_length` says
where the loaded text ends. Whatever needs a position beyond it (selecting a stored range, jumping to a
span, find, select-all, Ctrl+End) calls `ensure_loaded()` first, which appends the rest synchronously.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.span_table import SpanTable
from annotator.core.spans import SpanRecord
from annotator.gui.coding.highlighter import SpanHighlighter
from annotator.gui.coding.span_index import FALLBACK_COLOR, Entry, SpanIndex
from annotator.gui.coding.stripes import StripesMargin
from annotator.gui.common.positions import Positions

MARGIN_SHARE, MARGIN_MIN, MARGIN_MAX = 0.24, 190, 360  # stripes margin: share of the pane's width, bounds
SELECTION_TINT = QColor(0, 0, 0, 20)  # laid over the selected span; highlighter.MIN_CONTRAST allows for it
_WHOLE_TEXT_KEYS = (
    QKeySequence.StandardKey.SelectAll,
    QKeySequence.StandardKey.MoveToEndOfDocument,
    QKeySequence.StandardKey.SelectEndOfDocument,
)


class DocumentView(QPlainTextEdit):
    """Shows one document and the spans the controller gives it; never talks to the store."""

    spanClicked = Signal(object)  # span id (bar or passage clicked), or None (uncoded text clicked)
    contextMenuWanted = Signal(QPoint, list)  # global position, span ids under the mouse
    FIRST_CHUNK = 32_000  # characters shown at once (about ten screens); the rest follows in the background
    CHUNK = 128_000  # characters appended per timer tick: small enough for the event loop to stay responsive

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        font = QFont("DejaVu Serif", 12)
        font.setStyleHint(QFont.StyleHint.Serif)
        self.setFont(font)
        self.document().setDocumentMargin(14)
        self.document().setUndoRedoEnabled(False)  # read-only view: appended chunks need no undo history
        self.positions = Positions("")
        self._text = ""
        self._loaded = 0  # code points of self._text in the QTextDocument
        self.loaded_qt_length = 0  # the same in Qt positions (UTF-16 units)
        self._loader = QTimer(self)
        self._loader.setInterval(0)
        self._loader.timeout.connect(self._load_next_chunk)
        self.index = SpanIndex()
        self.colors: dict[str, str] = {}
        self.selected_span_id: int | None = None
        self.tooltip_for: Callable[[list[Entry]], str] = lambda entries: "\n".join(e.code_key for e in entries)
        self.highlighter = SpanHighlighter(self.document(), self.index)
        self.stripes = StripesMargin(self)
        self.stripes.spanClicked.connect(self.spanClicked.emit)
        self.stripes.tooltip_for = lambda entries: self.tooltip_for(entries)
        self.updateRequest.connect(self._on_update_request)
        self.setViewportMargins(self.stripes.margin_width, 0, 0, 0)
        self.verticalScrollBar().valueChanged.connect(self.reveal_visible)
        self._press: QPoint | None = None  # where the left button went down (a click, not a drag)

    # -- loading and changing spans ---------------------------------------------------------------
    def entry(self, record: SpanRecord) -> Entry:
        q_start, q_end = self.positions.range_to_qt(record.start, record.end)
        return Entry(
            q_start,
            q_end,
            record.id or 0,
            self.colors.get(record.code_key, FALLBACK_COLOR),
            record.coder,
            record.code_key,
        )

    def load(self, text: str, spans: SpanTable) -> None:
        """Show `text` with `spans` (stored offsets); only the blocks on screen are highlighted now.

        The span columns are converted to Qt positions in numpy; entries are made when a span first
        comes on screen, so opening 100,000 spans costs about what 10,000 do.
        """
        self._loader.stop()  # chunks still pending from the previous document are dropped
        self.positions = Positions(text)
        self.selected_span_id = None
        self.index = self._index_for(spans)
        self.highlighter.index = self.index
        self.highlighter.reset()
        self.fit_margin()
        self._text = text
        cut = self._cut(0, self.FIRST_CHUNK)
        self.setPlainText(text[:cut])  # the highlighter formats nothing yet: no block is revealed
        self._loaded_to(cut)
        # Show or hide the scroll bar now, not at the next event loop turn: else the first screen is laid
        # out and painted at the old width, then wrapped and painted again.
        QCoreApplication.sendPostedEvents(self, QEvent.Type.LayoutRequest)
        self.setExtraSelections([])
        self.reveal_visible()
        self.stripes.changed()
        if cut < len(text):
            self._loader.start()

    # -- progressive loading ----------------------------------------------------------------------
    @property
    def fully_loaded(self) -> bool:
        return self._loaded >= len(self._text)

    def _cut(self, start: int, size: int) -> int:
        """End (code points) of the piece starting at `start`: just after the first '\n' from start + size."""
        if start + size >= len(self._text):
            return len(self._text)
        i = self._text.find("\n", start + size)
        return len(self._text) if i < 0 else i + 1

    def _loaded_to(self, cut: int) -> None:
        """Record that text[:cut] is in the document; the Qt length must match (the old sanity check)."""
        self._loaded = cut
        self.loaded_qt_length = self.positions.to_qt(cut)
        if self.document().characterCount() - 1 != self.loaded_qt_length:
            self._loader.stop()
            raise RuntimeError("Qt document length differs from the stored text (unexpected line separator?)")

    def _end_off_screen(self) -> bool:
        """True if the loaded text's last block is surely below the screen (every block is >= one line)."""
        lines = self.viewport().height() // max(1, self.fontMetrics().lineSpacing()) + 2
        return self.firstVisibleBlock().blockNumber() + lines < self.document().blockCount() - 1

    def _append(self, cut: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        layout = self.document().documentLayout()
        # Below the screen nothing visible changes: skip the full repaint Qt would schedule per chunk and
        # only let the scroll bar know the document grew.
        quiet = self._end_off_screen()
        layout.blockSignals(quiet)
        try:
            cursor.insertText(self._text[self._loaded : cut])  # at the end: no earlier position moves
        finally:
            layout.blockSignals(False)
        if quiet:
            layout.documentSizeChanged.emit(layout.documentSize())
        self._loaded_to(cut)
        if self.fully_loaded:
            self._loader.stop()

    def _load_next_chunk(self) -> None:
        if self.fully_loaded:
            self._loader.stop()
            return
        self._append(self._cut(self._loaded, self.CHUNK))

    def ensure_loaded(self, upto_qt_pos: int | None = None) -> None:
        """Make sure the document holds the text up to `upto_qt_pos` (default: all of it), synchronously."""
        if self.fully_loaded or (upto_qt_pos is not None and upto_qt_pos <= self.loaded_qt_length):
            return
        self._append(len(self._text))

    def find(self, *args):  # type: ignore[no-untyped-def, override]
        """QPlainTextEdit.find over the whole text, not only what is loaded yet."""
        self.ensure_loaded()
        return super().find(*args)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.fully_loaded and any(event.matches(k) for k in _WHOLE_TEXT_KEYS):
            self.ensure_loaded()
        super().keyPressEvent(event)

    def _index_for(self, table: SpanTable) -> SpanIndex:
        to_qt = self.positions.array_to_qt
        return SpanIndex(table, to_qt(table.starts), to_qt(table.ends), self.colors)

    def set_spans(self, spans: SpanTable) -> None:
        """Replace all spans (e.g. other coders shown) without reloading the text."""
        self.index = self._index_for(spans)
        self.highlighter.index = self.index
        self.highlighter.forget()
        self.fit_margin()
        self.reveal_visible()
        self._refresh_selection()
        self.stripes.changed()

    def put_span(self, record: SpanRecord) -> None:
        """Add or update one span; repaints only the blocks its old and new ranges touch."""
        entry = self.entry(record)
        old = self.index.put(entry)
        if old is None and len(self.index) == 1:
            self.fit_margin()  # the first span: the margin opens
        if old is not None and (old.start, old.end) != (entry.start, entry.end):
            self.highlighter.rehighlight_range(old.start, old.end)
        self.highlighter.rehighlight_range(entry.start, entry.end)
        self._refresh_selection()
        if old is None:
            self.stripes.span_added(entry)  # one bar placed into the cached stripes layout
        else:
            self.stripes.changed()

    def remove_span(self, span_id: int) -> None:
        old = self.index.remove(span_id)
        if old is not None:
            self.highlighter.rehighlight_range(old.start, old.end)
        if self.selected_span_id == span_id:
            self.selected_span_id = None
        self._refresh_selection()
        self.fit_margin()
        self.stripes.changed()

    def set_colors(self, colors: dict[str, str]) -> None:
        self.colors = dict(colors)

    def clear_text_selection(self) -> None:
        """Drop the selected text (the caret stays where it is)."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)

    # -- selection in stored offsets --------------------------------------------------------------
    def selection_range(self) -> tuple[int, int] | None:
        """The selected text as stored offsets, or None if nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.positions.range_to_store(cursor.selectionStart(), cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        q_start, q_end = self.positions.range_to_qt(start, end)
        self.ensure_loaded(q_end)
        cursor = self.textCursor()
        cursor.setPosition(q_start)
        cursor.setPosition(q_end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def select_span(self, span_id: int | None, *, scroll: bool = False) -> None:
        """Mark a span as the selected one (outlined); optionally scroll it into view."""
        self.selected_span_id = span_id
        self._refresh_selection()
        entry = self.index.get(span_id) if span_id is not None else None
        if entry is not None and scroll:
            cursor = self.textCursor()
            cursor.setPosition(entry.end)
            self.setTextCursor(cursor)
            cursor.setPosition(entry.start)
            self.setTextCursor(cursor)
            self.centerCursor()
        self.stripes.update()

    def _refresh_selection(self) -> None:
        entry = self.index.get(self.selected_span_id) if self.selected_span_id is not None else None
        if entry is None:
            self.setExtraSelections([])
            return
        self.ensure_loaded(entry.end)  # a span selected in the table or stripes may lie beyond the loaded text
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(entry.start)
        cursor.setPosition(entry.end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(SELECTION_TINT)
        fmt.setProperty(QTextFormat.Property.OutlinePen, QPen(QColor("#202020"), 1.5))
        sel.format = fmt
        self.setExtraSelections([sel])

    # -- geometry for the stripes margin ---------------------------------------------------------
    def visible_blocks(self) -> tuple[QTextBlock, QTextBlock]:
        """The first and last block (partly) on screen."""
        block = self.firstVisibleBlock()
        first = last = block
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= height:
            last = block
            block = block.next()
        return first, last

    def visible_range(self) -> tuple[int, int]:
        first, last = self.visible_blocks()
        return first.position(), last.position() + last.length()

    def reveal_visible(self) -> None:
        """Highlight the on-screen blocks not highlighted yet (after load, scroll, resize; before paint)."""
        first, last = self.visible_blocks()
        if first.isValid():
            self.highlighter.reveal(first, last.blockNumber())

    def visible_entries(self) -> list[Entry]:
        first, last = self.visible_range()
        return self.index.query(first, last)

    def line_table(
        self,
        visible: tuple[QTextBlock, QTextBlock] | None = None,
    ) -> tuple[list[int], list[float], list[float]]:
        """Start position, viewport top and bottom of every laid-out line of the visible blocks.

        Built once per stripes paint (a few hundred Qt calls), so placing each of hundreds of bars is a
        binary search instead of several Qt calls.
        """
        first, last = visible or self.visible_blocks()
        starts: list[int] = []
        tops: list[float] = []
        bottoms: list[float] = []
        offset = self.contentOffset()
        block = first
        stop = last.blockNumber()
        while block.isValid() and block.blockNumber() <= stop:
            geo = self.blockBoundingGeometry(block).translated(offset)
            pos, top = block.position(), geo.top()
            layout = block.layout()
            count = layout.lineCount() if layout is not None else 0
            if count == 0:
                starts.append(pos)
                tops.append(top)
                bottoms.append(geo.bottom())
            for i in range(count):
                line = layout.lineAt(i)
                starts.append(pos + line.textStart())
                tops.append(top + line.y())
                bottoms.append(top + line.y() + line.height())
            block = block.next()
        return starts, tops, bottoms

    def y_extent(self, q_start: int, q_end: int, visible: tuple[int, int] | None = None) -> tuple[int, int]:
        """Viewport y of the top of q_start's line and the bottom of (q_end - 1)'s line.

        Spans starting above (ending below) the visible blocks run off the top (bottom) edge.
        """
        first, last = visible or self.visible_range()
        height = self.viewport().height()
        top = self._line_rect(q_start) if q_start >= first else None
        end = max(q_start, q_end - 1)
        bottom = self._line_rect(end) if end < last else None
        return (int(top[0]) if top else -4), (int(bottom[1]) if bottom else height + 4)

    def _line_rect(self, pos: int) -> tuple[float, float] | None:
        block = self.document().findBlock(pos)
        if not block.isValid() or not block.isVisible():
            return None
        geo = self.blockBoundingGeometry(block).translated(self.contentOffset())
        layout = block.layout()
        line = layout.lineForTextPosition(pos - block.position()) if layout is not None else None
        if line is None or not line.isValid():
            return geo.top(), geo.bottom()
        return geo.top() + line.y(), geo.top() + line.y() + line.height()

    def margin_for(self, width: int) -> int:
        """The stripes margin's width for a text pane `width` pixels wide: a share of it, so a wide
        window gives code labels room instead of eliding them."""
        return max(MARGIN_MIN, min(MARGIN_MAX, round(width * MARGIN_SHARE)))

    def fit_margin(self) -> None:
        """Size the stripes margin to the pane, or collapse it when the document shows no spans."""
        width = self.margin_for(self.width()) if len(self.index) else 0
        if width != self.stripes.margin_width or self.stripes.isHidden() == bool(width):
            self.stripes.margin_width = width
            self.setViewportMargins(width, 0, 0, 0)
            self.stripes.setVisible(bool(width))
            self._place_stripes()
            self.stripes.changed()

    def _place_stripes(self) -> None:
        cr = self.contentsRect()
        self.stripes.setGeometry(QRect(cr.left(), cr.top(), self.stripes.margin_width, cr.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_margin()
        self._place_stripes()
        self.reveal_visible()

    def paintEvent(self, event: QPaintEvent) -> None:
        self.reveal_visible()  # catches what scrolling and resizing did not (zoom, relayout); usually a no-op
        super().paintEvent(event)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self.stripes.scroll(0, dy)
        self.stripes.update(0, rect.y(), self.stripes.width(), rect.height())

    # -- hover and context menu -------------------------------------------------------------------
    def entries_at_point(self, point: QPoint) -> list[Entry]:
        cursor = self.cursorForPosition(point)
        pos = cursor.position()
        # cursorForPosition rounds to the nearest gap; test the character on each side.
        hits = {e.span_id: e for e in self.index.at(pos)}
        if pos > 0:
            rect = self.cursorRect(cursor)
            if point.x() < rect.x():
                hits = {e.span_id: e for e in self.index.at(pos - 1)}
        return sorted(hits.values(), key=lambda e: (e.start, e.end))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            entries = self.entries_at_point(event.pos())
            if entries:
                QToolTip.showText(event.globalPos(), self.tooltip_for(entries), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click (not a drag) on a coded passage selects its shortest span; again cycles through the rest."""
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        pos = event.position().toPoint()
        if (
            press is None
            or event.button() != Qt.MouseButton.LeftButton
            or (pos - press).manhattanLength() >= QApplication.startDragDistance()
            or self.textCursor().hasSelection()
        ):
            return
        entries = sorted(self.entries_at_point(pos), key=lambda e: (e.end - e.start, e.start, e.span_id))
        ids = [e.span_id for e in entries]
        if not ids:
            self.spanClicked.emit(None)
        elif self.selected_span_id in ids:
            self.spanClicked.emit(ids[(ids.index(self.selected_span_id) + 1) % len(ids)])
        else:
            self.spanClicked.emit(ids[0])

    def _context_menu(self, pos: QPoint) -> None:
        ids = [e.span_id for e in self.entries_at_point(pos)]
        self.contextMenuWanted.emit(self.viewport().mapToGlobal(pos), ids)
