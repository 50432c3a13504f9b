"""The coding-stripes margin: one labelled bar per span of the visible lines (after MAXQDA).

Modelled on Qt's Code Editor example: a plain widget sitting in the text view's left viewport margin,
repainted from the view's visible blocks only. Bars are packed into lanes by their on-screen extent
(including the label), so labels never overlap; the lane nearest the text is used first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from annotator.gui.span_index import Entry

BAR = 4
GAP = 3
MIN_LANE = 34


def initials(name: str) -> str:
    """Two-letter coder tag for stripe labels in the supervisor view."""
    parts = [p for p in name.replace(".", " ").replace("_", " ").split() if p]
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return name[:2].upper()


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
        self._hits: list[tuple[QRect, Entry]] = []
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
        """(entry, lane, top, bottom) for every visible span, lanes packed by on-screen extent."""
        view = self.view
        visible = view.visible_entries()  # type: ignore[attr-defined]
        label_h = QFontMetrics(self.font()).height() + 2
        placed: list[tuple[Entry, int, int, int]] = []
        lane_bottoms: list[int] = []
        rows = []
        for e in visible:
            top, bottom = view.y_extent(e.start, e.end)  # type: ignore[attr-defined]
            rows.append((top, -(bottom - top), e, bottom))
        rows.sort(key=lambda r: (r[0], r[1], r[2].span_id))
        for top, _neg, e, bottom in rows:
            occupied = max(bottom, top + label_h) + 2
            for lane, last in enumerate(lane_bottoms):
                if last <= top:
                    lane_bottoms[lane] = occupied
                    break
            else:
                lane = len(lane_bottoms)
                lane_bottoms.append(occupied)
            placed.append((e, lane, top, bottom))
        return placed

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#f4f4f1"))
        painter.setPen(QColor("#d8d8d2"))
        painter.drawLine(self.width() - 1, event.rect().top(), self.width() - 1, event.rect().bottom())
        placed = self.layout_bars()
        self._hits = []
        if not placed:
            return
        lanes = max(p[1] for p in placed) + 1
        usable = self.width() - 8
        lane_w = max(MIN_LANE, usable // lanes)
        fm = QFontMetrics(self.font())
        selected = self.view.selected_span_id  # type: ignore[attr-defined]
        for e, lane, top, bottom in placed:
            right = self.width() - 6 - lane * lane_w
            if right - BAR < 2:  # more lanes than fit: stack the rest on the outermost lane
                right = 2 + BAR
            color = QColor(e.color)
            bar_color = color.darker(150)
            bar = QRect(right - BAR, top + 1, BAR, max(3, bottom - top - 2))
            painter.fillRect(bar, bar_color)
            painter.setPen(QPen(bar_color, 1))
            painter.drawLine(right, bar.top(), right + 3, bar.top())
            painter.drawLine(right, bar.bottom(), right + 3, bar.bottom())
            text_w = lane_w - BAR - GAP - 4
            label_rect = QRect(right - BAR - GAP - text_w, top + 1, text_w, fm.height())
            hit = QRect(label_rect.left(), bar.top(), right + 4 - label_rect.left(), max(bar.height(), fm.height()))
            self._hits.append((hit, e))
            if text_w >= 12:
                label = fm.elidedText(self.label(e), Qt.TextElideMode.ElideRight, text_w - 6)
                pill_w = fm.horizontalAdvance(label) + 6
                pill = QRect(label_rect.right() - pill_w + 1, label_rect.top(), pill_w, fm.height())
                painter.fillRect(pill, color)
                if e.span_id == selected:
                    painter.setPen(QPen(QColor("#1a1a1a"), 2))
                    painter.drawRect(pill.adjusted(0, 0, -1, -1))
                if self.show_coders:
                    underline = QRect(pill.left(), pill.bottom() - 2, pill_w, 3)
                    painter.fillRect(underline, QColor(self.coder_color(e.coder)))
                painter.setPen(QColor("#1a1a1a"))
                painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
            if e.span_id == selected:
                painter.fillRect(bar.adjusted(-1, 0, 1, 0), QColor("#1a1a1a"))

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
