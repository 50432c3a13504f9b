"""The shortcuts window with a real codebook: every code key visible at once, written as the codebook
writes it, and no column cut (issue 15, flow)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.bundled import example_codebook
from annotator.core.codebook import load_codebook_file
from annotator.store.engine import open_project
from annotator.store.services.codebooks import load_codebook
from tests.gui.conftest import add_document


@pytest.fixture
def threats_window(make_window, tmp_path):
    project = open_project(tmp_path / "keys.db")
    load_codebook(project, load_codebook_file(example_codebook()), source="threats.yaml")
    add_document(project, "speech", "A speech about terrorism.")
    yield make_window(project)
    project.close()


def test_code_keys_visible_without_scrolling_and_columns_not_cut(qtbot, threats_window):
    window = threats_window
    qtbot.keyClick(window.view, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    dialog = window.shortcuts_dialog
    qtbot.waitExposed(dialog)
    book = window.controller.book
    written = {c.name: c.shortcut for c in book.iter_codes() if c.codable and c.shortcut}
    grid = dialog.codes
    assert dict(grid.rows()) == written  # every code key, as the codebook writes it
    assert written["Economic security"] == "e"
    shown = {}
    for row in range(grid.rowCount()):
        for col in range(0, grid.columnCount(), 2):
            key, name = grid.item(row, col), grid.item(row, col + 1)
            if key is None:
                continue
            shown[name.text().strip()] = key.text()
            for item in (key, name):  # inside the grid's viewport, and the grid inside the dialog
                rect = grid.visualItemRect(item)
                assert grid.viewport().rect().contains(rect), (item.text(), rect)
                assert grid.fontMetrics().horizontalAdvance(item.text()) <= rect.width()  # not cut
    assert shown == written
    top_left = grid.mapTo(dialog, grid.rect().topLeft())
    assert top_left.y() >= 0
    assert top_left.y() + grid.height() <= dialog.height()
    assert grid.verticalScrollBar().maximum() == 0
    table = dialog.table
    header = table.horizontalHeader()
    for col in range(4):
        assert header.sectionSize(col) >= table.sizeHintForColumn(col), col
    assert table.horizontalScrollBar().maximum() == 0  # nothing runs off to the right
    for row in range(table.model().rowCount()):  # the wrapped last column shows its whole text
        assert table.rowHeight(row) >= table.sizeHintForRow(row)
    qtbot.keyClicks(dialog.filter, "terror")
    assert [name for name, _ in grid.rows()] == ["Terrorism", "Terrorist and extremist organisations"]
