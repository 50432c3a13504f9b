"""Side-by-side view of one disagreement: the same passage once per coder, each with its spans.

The disputed stretch is underlined in every pane; each coder's spans are painted in their code's
colour, so "who marked what" reads across the panes at a glance.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement_report import Disagreement, passage
from annotator.core.offsets import OffsetMap


class CoderPane(QWidget):
    """A coder's name and what they coded over one read-only copy of the passage."""

    def __init__(self, coder: str, color: str) -> None:
        super().__init__()
        self.coder = coder
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet(f"QLabel {{ border-left: 4px solid {color}; padding-left: 4px; }}")
        self.edit = QPlainTextEdit()
        self.edit.setReadOnly(True)
        self.edit.setObjectName(f"pane_{coder}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.edit, 1)

    def show_passage(
        self,
        text: str,
        lo: int,
        hi: int,
        spans: tuple[tuple[str, int, int], ...],
        marked: tuple[int, int],
        code_name: Callable[[str], str],
        code_color: Callable[[str], str],
    ) -> None:
        piece = text[lo:hi]
        self.edit.setPlainText(piece)
        pos = OffsetMap.for_text(piece)
        selections = []
        for key, s, e in spans:
            s, e = max(s, lo) - lo, min(e, hi) - lo
            if e <= s:
                continue
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(code_color(key)))
            fmt.setToolTip(f"{code_name(key)} ({s + lo}\u2013{e + lo})")
            selections.append(self._selection(pos, s, e, fmt))
        ms, me = max(marked[0], lo) - lo, min(marked[1], hi) - lo
        if me > ms:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(QColor("#c00000"))
            fmt.setFontUnderline(True)
            selections.append(self._selection(pos, ms, me, fmt))
        self.edit.setExtraSelections(selections)
        what = "; ".join(f"{code_name(k)} {s}\u2013{e}" for k, s, e in spans)
        self.title.setText(f"<b>{self.coder}</b>: {what or '<i>nothing coded here</i>'}")
        cursor = self.edit.textCursor()
        cursor.setPosition(pos.to_utf16(ms))
        self.edit.setTextCursor(cursor)
        self.edit.centerCursor()

    def _selection(self, pos: OffsetMap, s: int, e: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.edit.document())
        cursor.setPosition(pos.to_utf16(s))
        cursor.setPosition(pos.to_utf16(e), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    def highlighted(self) -> list[tuple[int, int, str]]:
        """(start, end, background colour) of each painted span, in passage UTF-16 units."""
        out = []
        for sel in self.edit.extraSelections():
            brush = sel.format.background()
            if brush.style() != brush.style().NoBrush:
                out.append((sel.cursor.selectionStart(), sel.cursor.selectionEnd(), brush.color().name()))
        return out


class PassagePanes(QWidget):
    """One CoderPane per compared coder, side by side."""

    def __init__(self) -> None:
        super().__init__()
        self.panes: dict[str, CoderPane] = {}
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel("Select a disagreement to see the passage as each coder coded it.")
        self.hint.setStyleSheet("color: #666;")
        self.row.addWidget(self.hint)
        self.span: tuple[int, int] | None = None

    def set_coders(self, coders: list[str], color: Callable[[str], str]) -> None:
        for pane in self.panes.values():
            pane.setParent(None)
            pane.deleteLater()
        self.panes = {c: CoderPane(c, color(c)) for c in coders}
        for pane in self.panes.values():
            self.row.addWidget(pane, 1)
            pane.hide()
        self.hint.show()

    def show_disagreement(
        self, d: Disagreement | None, text: str, code_name: Callable[[str], str], code_color: Callable[[str], str]
    ) -> None:
        if d is None:
            self.span = None
            for pane in self.panes.values():
                pane.hide()
            self.hint.show()
            return
        self.hint.hide()
        lo, hi = passage(text, d.start, d.end, context=160)
        self.span = (lo, hi)
        for coder, pane in self.panes.items():
            pane.show_passage(text, lo, hi, d.spans.get(coder, ()), (d.start, d.end), code_name, code_color)
            pane.show()
