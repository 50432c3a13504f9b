"""Default (modal) prompts. The window takes them as plain callables so tests inject non-blocking ones."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


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
