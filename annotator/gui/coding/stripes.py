"""The coding-stripes margin: one labelled bar per span of the visible lines (after MAXQDA).

Modelled on Qt's Code Editor example: a plain widget sitting in the text view's left viewport margin,
repainted from the view's visible blocks only. Bars are packed into lanes by their on-screen extent,
the lane nearest the text first; labels are stacked beside them and never overlap. At most
`max_lanes()` lanes are drawn: bars that would need more are counted in a "+N" marker on their line
(hover lists them, a click selects the first), so dense coding never pushes bars off the margin.

Painting is cheap because the layout (bar and label rectangles, grouped by colour) is cached: it is
rebuilt only when the visible lines' geometry changes (scroll, resize, zoom) or `changed()` is called
after a span change; a paint then draws each colour's bars with a single `drawRects`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QLine, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QStaticText,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from annotator.gui.coding.span_index import Entry

BAR = 4
LANE = 9  # horizontal room per lane of bars
LANE_MIN = 6
LABEL_MIN = 90  # the label column keeps at least this much width
MAX_LANES = 12  # more overlapping spans on one line are summarised as "+N"
OVERFLOW_W = 32  # room for the "+N" markers, left of the lanes
BACKGROUND = QColor("#f4f4f1")
EDGE = QColor("#d8d8d2")
INK = QColor("#1a1a1a")


def initials(name: str) -> str:
    """Two-letter coder tag for stripe labels in the supervisor view."""
    parts = [p for p in name.replace(".", " ").replace("_", " ").split() if p]
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return name[:2].upper()


@dataclass
class _Style:
    """Everything drawn in one code colour, batched into one call per kind."""

    fill: QColor
    bar: QColor
    pen: QPen
    bars: list[QRect] = field(default_factory=list)
    ticks: list[QLine] = field(default_factory=list)
    pills: list[QRect] = field(default_factory=list)
    links: list[QLine] = field(default_factory=list)


@dataclass
class _Layout:
    table: tuple[list[int], list[float], list[float]] = ([], [], [])
    visible: tuple[int, int] = (0, 0)
    rows: list[tuple[Entry, int, int, int]] = field(default_factory=list)  # every placed bar, hidden too
    lane_w: int = LANE
    lanes: int = 0  # lanes drawn
    reserve: int = 0  # room kept for "+N" markers
    styles: dict[str, _Style] = field(default_factory=dict)
    coder_marks: dict[str, list[QRect]] = field(default_factory=dict)
    bar_rects: dict[int, QRect] = field(default_factory=dict)
    bar_hits: list[tuple[QRect, Entry]] = field(default_factory=list)
    label_hits: list[tuple[QRect, Entry]] = field(default_factory=list)
    labels: list[tuple[QRect, Entry, str]] = field(default_factory=list)  # pill, entry, shown text
    hidden: list[tuple[Entry, int, int, int]] = field(default_factory=list)
    hidden_by_top: dict[int, list[Entry]] = field(default_factory=dict)
    overflow: list[tuple[QRect, str, list[Entry]]] = field(default_factory=list)


class StripesMargin(QWidget):
    """Paints bars for the visible spans of its `view` (a DocumentView) and reports clicks on them."""

    spanClicked = Signal(int)

    def __init__(self, view: QWidget, width: int = 190) -> None:
        super().__init__(view)
        self.view = view
        self.margin_width = width
        self.show_coders = False
        self.code_name: Callable[[str], str] = lambda key: key
        self.coder_color: Callable[[str], str] = lambda _name: "#555555"
        self.tooltip_for: Callable[[list[Entry]], str] = lambda _entries: ""
        self._hits: list[tuple[QRect, Entry]] = []  # bars and labels, for clicks and tooltips
        self.label_rects: list[tuple[QRect, Entry]] = []
        self.overflow: list[tuple[QRect, str, list[Entry]]] = []  # "+N" markers and the spans they hide
        self._layout: _Layout | None = None
        self._layout_key: tuple | None = None
        self._texts: dict[str, QStaticText] = {}
        self.layouts_built = 0  # how often the layout was rebuilt (tests: a plain repaint reuses it)
        self.setMouseTracking(True)
        self.setToolTip("")
        label_font = QFont(QApplication.font())  # not the text pane's serif, zoomable font
        label_font.setPointSizeF(max(7.5, label_font.pointSizeF() * 0.9))
        self.setFont(label_font)

    def sizeHint(self) -> QSize:
        return QSize(self.margin_width, 0)

    def label(self, e: Entry) -> str:
        name = self.code_name(e.code_key)
        return f"{initials(e.coder)} {name}" if self.show_coders else name

    def changed(self) -> None:
        """The spans changed (or their names/colours): rebuild the layout at the next paint."""
        self._layout_key = None
        self.update()

    def max_lanes(self) -> int:
        return max(1, min(MAX_LANES, (self.width() - LABEL_MIN - OVERFLOW_W) // LANE_MIN))

    # -- layout -----------------------------------------------------------------------------------
    def layout_bars(
        self,
        table: tuple[list[int], list[float], list[float]] | None = None,
    ) -> list[tuple[Entry, int, int, int]]:
        """(entry, lane, top, bottom) for every visible span; a lane is reused once a bar has ended.

        Lanes are not capped here (see `max_lanes`): bars in lane max_lanes() or beyond are not drawn.
        """
        view = self.view
        rows = []
        blocks = view.visible_blocks()  # type: ignore[attr-defined]
        first = blocks[0].position()
        last = blocks[1].position() + blocks[1].length()
        starts, tops, bottoms = table or view.line_table(blocks)  # type: ignore[attr-defined]
        height = self.view.viewport().height()  # type: ignore[attr-defined]
        for e in view.index.query(first, last):  # type: ignore[attr-defined]
            # Same rule as DocumentView.y_extent: spans running off the visible blocks run off the edge.
            top = int(tops[bisect.bisect_right(starts, e.start) - 1]) if e.start >= first else -4
            end = max(e.start, e.end - 1)
            bottom = int(bottoms[bisect.bisect_right(starts, end) - 1]) if end < last else height + 4
            rows.append((top, bottom, e))
        rows.sort(key=lambda r: (r[0], -(r[1] - r[0]), r[2].start, r[2].span_id))
        placed: list[tuple[Entry, int, int, int]] = []
        lane_bottoms: list[int] = []
        for top, bottom, e in rows:
            for lane, last in enumerate(lane_bottoms):
                if last <= top:
                    lane_bottoms[lane] = bottom + 2
                    break
            else:
                lane = len(lane_bottoms)
                lane_bottoms.append(bottom + 2)
            placed.append((e, lane, top, bottom))
        return placed

    def layout_labels(
        self, bars: list[tuple[Entry, int, int, int]], lane_w: int, left_reserve: int = 0
    ) -> list[tuple[Entry, QRect, int]]:
        """Labels stacked top-down beside their bars, never overlapping: (entry, label rect, bar x).

        Stops at the first label below the margin: the rest would be stacked further down still.
        """
        fm = QFontMetrics(self.font())
        height = fm.height() + 2
        lanes = max((b[1] for b in bars), default=-1) + 1
        label_right = self.width() - 6 - lanes * lane_w - 4 - left_reserve
        next_free = -10_000
        labels = []
        bottom = self.height()
        width = self.width()
        for e, lane, top, _bottom in sorted(bars, key=lambda b: (b[2], -b[1])):
            y = max(top, next_free)
            if y > bottom:
                break
            next_free = y + height
            bar_x = width - 6 - lane * lane_w - BAR
            labels.append((e, QRect(4, y, max(10, label_right - 4), height - 1), bar_x))
        return labels

    def _key(self, table: tuple[list[int], list[float], list[float]]) -> tuple:
        return (
            tuple(table[0]),
            tuple(table[1]),
            tuple(table[2]),
            self.width(),
            self.height(),
            self.show_coders,
            self.view.viewport().height(),
        )  # type: ignore[attr-defined]

    def current_layout(self) -> _Layout:
        """The cached layout, rebuilt when the visible lines moved or `changed()` was called."""
        table = self.view.line_table()  # type: ignore[attr-defined]
        key = self._key(table)
        if self._layout is None or key != self._layout_key:
            self._layout = self._build(table)
            self._layout_key = key
            self.layouts_built += 1
        return self._layout

    def _build(self, table: tuple[list[int], list[float], list[float]]) -> _Layout:
        out = _Layout(table=table)
        placed = self.layout_bars(table)
        blocks = self.view.visible_blocks()  # type: ignore[attr-defined]
        out.visible = (blocks[0].position(), blocks[1].position() + blocks[1].length())
        out.rows = placed
        if not placed:
            return out
        cap = self.max_lanes()
        bars = [b for b in placed if b[1] < cap]
        out.hidden = [b for b in placed if b[1] >= cap]
        out.lanes = max(b[1] for b in bars) + 1
        out.reserve = OVERFLOW_W if out.hidden else 0
        out.lane_w = max(LANE_MIN, min(LANE, (self.width() - LABEL_MIN - out.reserve) // out.lanes))
        for e, lane, top, bottom in bars:
            self._add_bar(out, e, lane, top, bottom)
        self._build_overflow(out)
        self._build_labels(out)
        return out

    def _add_bar(self, out: _Layout, e: Entry, lane: int, top: int, bottom: int) -> None:
        right = max(BAR + 2, self.width() - 6 - lane * out.lane_w)
        style = out.styles.get(e.color)
        if style is None:
            fill = QColor(e.color)
            bar_color = fill.darker(150)
            style = out.styles[e.color] = _Style(fill, bar_color, QPen(bar_color, 1))
        bar = QRect(right - BAR, top + 1, BAR, max(3, bottom - top - 2))
        out.bar_rects[e.span_id] = bar
        style.bars.append(bar)
        style.ticks.append(QLine(right, bar.top(), right + 2, bar.top()))
        style.ticks.append(QLine(right, bar.bottom(), right + 2, bar.bottom()))
        if self.show_coders:
            out.coder_marks.setdefault(self.coder_color(e.coder), []).append(QRect(right - BAR, bar.top(), BAR, 4))
        out.bar_hits.append((bar.adjusted(-2, 0, 3, 0), e))

    def _build_labels(self, out: _Layout) -> None:
        for style in out.styles.values():
            style.pills, style.links = [], []
        out.labels, out.label_hits = [], []
        fm = QFontMetrics(self.font())
        bars = [b for b in out.rows if b[1] < out.lanes]
        for e, rect, bar_x in self.layout_labels(bars, out.lane_w, out.reserve):
            style = out.styles[e.color]
            text = fm.elidedText(self.label(e), Qt.TextElideMode.ElideRight, rect.width() - 6)
            pill_w = fm.horizontalAdvance(text) + 6
            pill = QRect(rect.right() - pill_w + 1, rect.top(), pill_w, rect.height())
            bar = out.bar_rects[e.span_id]
            cy = pill.center().y()
            style.links.append(
                QLine(pill.right() + 1, cy, bar_x - 1, cy if bar.top() <= cy <= bar.bottom() else bar.top() + 2)
            )
            style.pills.append(pill)
            out.labels.append((pill, e, text))
            out.label_hits.append((pill, e))

    def _build_overflow(self, out: _Layout) -> None:
        """One "+N" marker per line for the bars beyond the last lane, right-aligned left of the lanes."""
        out.overflow = []
        if not out.hidden:
            return
        right = self.width() - 6 - out.lanes * out.lane_w - 2
        groups = out.hidden_by_top
        if not groups:
            for e, _lane, top, _bottom in out.hidden:
                groups.setdefault(max(0, top), []).append(e)
        fm = QFontMetrics(self.font())
        next_free = -10_000
        for top in sorted(groups):
            entries = groups[top]
            text = f"+{len(entries)}"
            w = min(OVERFLOW_W - 4, fm.horizontalAdvance(text) + 4)
            y = max(top, next_free)
            next_free = y + fm.height()
            out.overflow.append((QRect(right - w, y, w, fm.height()), text, entries))

    def span_added(self, entry: Entry) -> None:
        """A new span: place its bar into the cached layout (no rebuild), relabel; else rebuild later.

        The bar takes the nearest lane free over its extent, so nothing else moves; labels are
        restacked (a few dozen). A layout that no longer fits (new lane, first "+N") is rebuilt.
        """
        out = self._layout
        self.update()
        if out is None or self._layout_key is None:
            return
        first, last = out.visible
        if not (entry.start < last and entry.end > first):
            return  # off screen: the cached layout stays right
        starts, tops, bottoms = out.table
        if not starts:
            self.changed()
            return
        height = self.view.viewport().height()  # type: ignore[attr-defined]
        top = int(tops[bisect.bisect_right(starts, entry.start) - 1]) if entry.start >= first else -4
        end = max(entry.start, entry.end - 1)
        bottom = int(bottoms[bisect.bisect_right(starts, end) - 1]) if end < last else height + 4
        busy: set[int] = {lane for _e, lane, t, b in out.rows if t < bottom + 2 and top < b + 2}
        lane = next(n for n in range(len(busy) + 1) if n not in busy)
        cap = self.max_lanes()
        if (lane >= cap and not out.hidden) or (cap > lane >= out.lanes):
            self.changed()  # lane width or the "+N" column would change: rebuild
            return
        out.rows.append((entry, lane, top, bottom))
        if lane >= cap:
            out.hidden.append((entry, lane, top, bottom))
            out.hidden_by_top.setdefault(max(0, top), []).append(entry)
            self._build_overflow(out)
        else:
            self._add_bar(out, entry, lane, top, bottom)
            self._build_labels(out)

    # -- painting ---------------------------------------------------------------------------------
    def _static(self, text: str) -> QStaticText:
        st = self._texts.get(text)
        if st is None:
            if len(self._texts) > 2000:
                self._texts.clear()
            st = self._texts[text] = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
        return st

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        clip = event.rect()
        painter.fillRect(clip, BACKGROUND)
        painter.setPen(EDGE)
        painter.drawLine(self.width() - 1, clip.top(), self.width() - 1, clip.bottom())
        layout = self.current_layout()
        self._hits = layout.bar_hits + layout.label_hits
        self.label_rects = [(pill, e) for pill, e, _text in layout.labels]
        self.overflow = layout.overflow
        if not layout.rows:
            return
        selected = self.view.selected_span_id  # type: ignore[attr-defined]
        for style in layout.styles.values():
            if style.bars:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.bar)
                painter.drawRects(style.bars)
                painter.setPen(style.pen)
                painter.drawLines(style.ticks)
        for color, marks in layout.coder_marks.items():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(color))
            painter.drawRects(marks)
        selected_bar = layout.bar_rects.get(selected) if selected is not None else None
        if selected_bar is not None:
            painter.fillRect(selected_bar, INK)
        for style in layout.styles.values():
            if style.pills:
                painter.setPen(style.pen)
                painter.drawLines(style.links)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.fill)
                painter.drawRects(style.pills)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        fm_h = QFontMetrics(self.font()).height()
        for pill, e, _text in layout.labels:
            if self.show_coders:
                painter.fillRect(QRect(pill.left(), pill.top(), 3, pill.height()), QColor(self.coder_color(e.coder)))
            if e.span_id == selected:
                painter.setPen(QPen(INK, 1.5))
                painter.drawRect(pill.adjusted(0, 0, -1, -1))
        painter.setPen(INK)
        for pill, _e, text in layout.labels:
            painter.drawStaticText(pill.left() + 3, pill.top() + (pill.height() - fm_h) // 2, self._static(text))
        if layout.overflow:
            painter.setPen(QColor("#555555"))
            for rect, text, _entries in layout.overflow:
                painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

    # -- interaction ------------------------------------------------------------------------------
    def entries_at(self, pos: QPoint) -> list[Entry]:
        for rect, _text, entries in self.overflow:
            if rect.contains(pos):
                return list(entries)
        return [e for rect, e in self._hits if rect.contains(pos)]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        marker = next((entries for rect, _t, entries in self.overflow if rect.contains(pos)), None)
        hits = marker[:1] if marker else self.entries_at(pos)
        if hits:
            self.spanClicked.emit(hits[-1].span_id)
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event) -> bool:  # type: ignore[no-untyped-def]
        if event.type() == QEvent.Type.ToolTip:
            hits = self.entries_at(event.pos())
            if hits:
                QToolTip.showText(event.globalPos(), self.tooltip_for(hits), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
