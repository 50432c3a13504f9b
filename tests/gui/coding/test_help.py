"""Help menu: a generated, non-modal table of every command and its keys (code keys included), and About."""

from __future__ import annotations

from PySide6.QtCore import Qt

import annotator
from annotator.core.codebook import parse_codebook
from annotator.gui.coding.help_dialogs import ShortcutsDialog, shortcut_rows
from annotator.gui.common.actions import ActionId
from annotator.store.services.codebooks import load_codebook


def _help_action(window, text: str):
    menu = window.menu("help")
    return next(a for a in menu.actions() if a.text().replace("&", "").startswith(text))


def test_shortcuts_table_lists_actions_and_code_keys(qtbot, window):
    _help_action(window, "Keyboard shortcuts").trigger()
    dialog = window.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog)
    assert dialog.isVisible()
    assert not dialog.isModal()
    rows = dict(dialog.rows())
    assert rows["Undo"] == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in rows["Redo"]
    assert rows["Find"] == "Ctrl+F"
    assert rows["Mark document done"] == "Ctrl+D"
    assert rows["Terrorism"] == "1"  # codebook shortcuts from the code actions
    assert rows["Certain states"] == "Ctrl+3"
    assert rows["Repeat last code"] == "."
    # every QAction with a key is in the table
    keyed = {
        a.text().replace("&", "").rstrip("…")
        for a in window.action_registry
        if hasattr(a, "shortcut") and not a.shortcut().isEmpty()
    }
    assert keyed <= set(rows)
    where = {r.command: r.where for r in shortcut_rows(window)}
    assert where["Terrorism"] == "text pane"
    assert where["Undo"] == "window"
    qtbot.keyClicks(dialog.filter, "terror")
    assert [c for c, _ in dialog.rows()] == ["Terrorism"]


def test_shortcuts_follow_the_codebook(qtbot, window, project):
    dialog = _open(window)
    book = parse_codebook("title: New\ncodes:\n  - key: econ\n    name: Economy\n    shortcut: e\n", "n.yaml")
    load_codebook(project, book, source="n.yaml")
    window.controller.reload_codebook()
    assert dict(dialog.rows())["Economy"] == "e"  # as the codebook writes it


def _open(window):
    window.action(ActionId.SHORTCUTS_HELP).trigger()
    return window.shortcuts_dialog


def test_shortcut_key_opens_table(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert window.shortcuts_dialog.isVisible()


def test_about_is_non_modal(qtbot, window, project):
    _help_action(window, "About").trigger()
    box = window.about_box
    assert box.isVisible()
    assert not box.isModal()
    assert annotator.__version__ in box.text()
    assert str(project.path) in box.text()
    assert "alice" in box.text()
