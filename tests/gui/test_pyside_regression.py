"""PySide6 6.12.0 crashed (none_dealloc: None's refcount underflow) after many calls of void Qt methods.

The pin in pyproject keeps us below 6.12; this test makes a bad PySide6 fail loudly instead of the app
crashing after a few thousand keystrokes.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QWidget


def test_many_void_calls(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    doc = QTextDocument("x" * 100)
    cursor = QTextCursor(doc)
    for i in range(20_000):
        widget.setToolTip("tip")
        cursor.setPosition(i % 100)
    assert cursor.position() == 19_999 % 100
