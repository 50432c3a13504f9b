"""The coding-stripes margin: one labelled bar per span of the visible lines (after MAXQDA).

Modelled on Qt's Code Editor example: a plain widget sitting in the text view's left viewport margin,
repainted from the view's visible blocks only. Bars are packed into lanes by their on-screen extent
(including the label), so labels never overlap; the lane nearest the text is used first.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from annotator.gui.span_index import Entry

BAR = 4
LANE = 9        # horizontal room per lane of bars
LANE_MIN = 6
LABEL_MIN = 90  # the label column keeps at least this much width


def initials(name: str) -> str:
    """Two-letter coder tag for stripe labels in the supervisor view."""
    parts = [p for p in name.replace(".", " ").replace("_", " ").split() if p]
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return name[:2].upper()


class StripesMargin(QWidget):
    """Paints bars for the visible spans of its `view` (a DocumentView) and reports clicks on them."""

    spanClicked = Signal(int)

    def __init__(self, view: QWidget, width: int = 220) -> None:
        super().__init__(view)
        self.view = view
        self.margin_width = width
        self.show_coders = False
        self.code_name: Callable[[str], str] = lambda key: key
        self.coder_color: Callable[[str], str] = lambda _name: "#555555"
        self.tooltip_for: Callable[[list[Entry]], str] = lambda _entries: ""
        self._hits: list[tuple[QRect, Entry]] = []   # bars and labels, for clicks and tooltips
        self.label_rects: list[tuple[QRect, Entry]] = []
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

    # -- layout -----------------------------------------------------------------------------------
    def layout_bars(self) -> list[tuple[Entry, int, int, int]]:
        """(entry, lane, top, bottom) for every visible span; a lane is reused once a bar has ended."""
        view = self.view
        rows = []
        blocks = view.visible_blocks()  # type: ignore[attr-defined]
        first = blocks[0].position()
        last = blocks[1].position() + blocks[1].length()
        starts, tops, bottoms = view.line_table(blocks)  # type: ignore[attr-defined]
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

    def layout_labels(self, bars: list[tuple[Entry, int, int, int]], lane_w: int) -> list[tuple[Entry, QRect, int]]:
        """Labels stacked top-down beside their bars, never overlapping: (entry, label rect, bar x)."""
        fm = QFontMetrics(self.font())
        height = fm.height() + 2
        lanes = max((b[1] for b in bars), default=-1) + 1
        label_right = self.width() - 6 - lanes * lane_w - 4
        next_free = -10_000
        labels = []
        for e, lane, top, _bottom in sorted(bars, key=lambda b: (b[2], -b[1])):
            y = max(top, next_free)
            next_free = y + height
            bar_x = self.width() - 6 - lane * lane_w - BAR
            labels.append((e, QRect(4, y, max(10, label_right - 4), height - 1), bar_x))
        return labels

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#f4f4f1"))
        painter.setPen(QColor("#d8d8d2"))
        painter.drawLine(self.width() - 1, event.rect().top(), self.width() - 1, event.rect().bottom())
        bars = self.layout_bars()
        self._hits = []
        self.label_rects = []
        if not bars:
            return
        lanes = max(b[1] for b in bars) + 1
        lane_w = max(LANE_MIN, min(LANE, (self.width() - LABEL_MIN) // lanes))
        selected = self.view.selected_span_id  # type: ignore[attr-defined]
        bar_rects: dict[int, QRect] = {}
        pens: dict[str, tuple[QColor, QPen]] = {}  # hundreds of bars share a handful of colours
        width = self.width()
        for e, lane, top, bottom in bars:
            right = max(BAR + 2, width - 6 - lane * lane_w)
            style = pens.get(e.color)
            if style is None:
                bar_color = QColor(e.color).darker(150)
                style = pens[e.color] = (bar_color, QPen(bar_color, 1))
            bar_color, pen = style
            bar = QRect(right - BAR, top + 1, BAR, max(3, bottom - top - 2))
            bar_rects[e.span_id] = bar
            painter.fillRect(bar, bar_color if e.span_id != selected else QColor("#1a1a1a"))
            painter.setPen(pen)
            painter.drawLine(right, bar.top(), right + 2, bar.top())
            painter.drawLine(right, bar.bottom(), right + 2, bar.bottom())
            if self.show_coders:
                painter.fillRect(QRect(right - BAR, bar.top(), BAR, 4), QColor(self.coder_color(e.coder)))
            self._hits.append((bar.adjusted(-2, 0, 3, 0), e))
        fm = QFontMetrics(self.font())
        for e, rect, bar_x in self.layout_labels(bars, lane_w):
            if rect.top() > self.height():
                break  # labels are stacked downwards: the rest are below the margin
            color = QColor(e.color)
            label = fm.elidedText(self.label(e), Qt.TextElideMode.ElideRight, rect.width() - 6)
            pill_w = fm.horizontalAdvance(label) + 6
            pill = QRect(rect.right() - pill_w + 1, rect.top(), pill_w, rect.height())
            bar = bar_rects[e.span_id]
            painter.setPen(QPen(color.darker(150), 1))
            target_y = pill.center().y() if bar.top() <= pill.center().y() <= bar.bottom() else bar.top() + 2
            painter.drawLine(pill.right() + 1, pill.center().y(), bar_x - 1, target_y)
            painter.fillRect(pill, color)
            if self.show_coders:
                painter.fillRect(QRect(pill.left(), pill.top(), 3, pill.height()), QColor(self.coder_color(e.coder)))
            if e.span_id == selected:
                painter.setPen(QPen(QColor("#1a1a1a"), 1.5))
                painter.drawRect(pill.adjusted(0, 0, -1, -1))
            painter.setPen(QColor("#1a1a1a"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
            self._hits.append((pill, e))
            self.label_rects.append((pill, e))

    # -- interaction ------------------------------------------------------------------------------
    def entries_at(self, pos: QPoint) -> list[Entry]:
        return [e for rect, e in self._hits if rect.contains(pos)]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hits = self.entries_at(event.position().toPoint())
        if hits:
            self.spanClicked.emit(hits[-1].span_id)
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event) -> bool:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.ToolTip:
            hits = self.entries_at(event.pos())
            if hits:
                QToolTip.showText(event.globalPos(), self.tooltip_for(hits), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
