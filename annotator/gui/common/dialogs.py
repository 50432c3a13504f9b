"""Dialogs every room uses: the default (modal) prompts, and a non-blocking report.

The window takes the prompts as plain callables so tests inject non-blocking ones. `ReportDialog` is
opened with `show()`/`open()` and answers through a signal, so the window (and tests) keep running.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def ask_coder_dialog(parent: QWidget | None, current: str = "") -> str | None:
    """Who is coding? Returns a stripped non-empty name, or None if cancelled."""
    name, ok = QInputDialog.getText(
        parent,
        "Who is coding?",
        "Your coder name (spans are stored under it; other coders' spans stay hidden while you code):",
        QLineEdit.EchoMode.Normal,
        current,
    )
    name = name.strip()
    return name if ok and name else None


def ask_memo_dialog(parent: QWidget | None, title: str, memo: str) -> str | None:
    text, ok = QInputDialog.getMultiLineText(parent, "Span memo", title, memo)
    return text if ok else None


class ReportDialog(QDialog):
    """A summary line and a scrollable, selectable list (warnings, conflicts, notes); optional choices.

    `choices` are (key, button text) pairs; pressing one emits `chosen(key)` and closes the dialog.
    Closing it any other way emits `chosen("cancel")`.
    """

    chosen = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        summary: str,
        lines: Sequence[str],
        *,
        choices: Sequence[tuple[str, str]] = (),
        default: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._answered = False
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit("\n".join(lines))
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        self.details.setVisible(bool(lines))
        self.buttons = QDialogButtonBox()
        self.choice_buttons: dict[str, QPushButton] = {}
        for key, text in choices or (("close", "Close"),):
            role = (
                QDialogButtonBox.ButtonRole.RejectRole
                if key in ("cancel", "close")
                else QDialogButtonBox.ButtonRole.AcceptRole
            )
            button = self.buttons.addButton(text, role)
            button.clicked.connect(lambda _=False, k=key: self._answer(k))
            button.setDefault(key == default)
            button.setAutoDefault(key == default)
            self.choice_buttons[key] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 360 if lines else 140)

    def _answer(self, key: str) -> None:
        if not self._answered:
            self._answered = True
            self.chosen.emit(key)
        self.done(QDialog.DialogCode.Accepted if key not in ("cancel", "close") else QDialog.DialogCode.Rejected)

    def reject(self) -> None:  # Esc or the window's close button
        if not self._answered:
            self._answered = True
            self.chosen.emit("cancel")
        super().reject()
