"""After "Open the bundled example": one dismissible line on how to code, remembered once closed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from annotator.gui.coding.example import example_available
from annotator.gui.coding.hints import HINT
from annotator.store.engine import open_project

pytestmark = pytest.mark.skipif(not example_available(), reason="the bundled example is not installed")


def test_hint_after_the_example_until_closed(qtbot, make_window, tmp_path, settings_file):
    project = open_project(tmp_path / "empty.db")
    try:
        window = make_window(project)
        assert not window.hint_bar.isVisible()
        qtbot.mouseClick(window.example_button, Qt.MouseButton.LeftButton)
        assert window.hint_bar.isVisible()
        assert window.hint_bar.note.text() == HINT
        assert "\n" not in HINT
        qtbot.waitUntil(lambda: window.hint_bar.note.height() > 0)
        assert window.hint_bar.note.height() < 2 * window.hint_bar.fontMetrics().height()  # one line at 1280 px
        assert "select a passage" in HINT
        assert "press the code's key" in HINT
        qtbot.mouseClick(window.hint_bar.close_button, Qt.MouseButton.LeftButton)
        assert not window.hint_bar.isVisible()
        assert QSettings(str(settings_file), QSettings.Format.IniFormat).value("hints/how_to_code") == "dismissed"
        window.close()
    finally:
        project.close()
    project = open_project(tmp_path / "second.db")  # another empty project, the same coder's settings
    try:
        window = make_window(project)
        qtbot.mouseClick(window.example_button, Qt.MouseButton.LeftButton)
        assert window.controller.doc_id is not None
        assert not window.hint_bar.isVisible()  # closed once: not shown again
    finally:
        project.close()
