"""First start: "Who is coding?" with an empty name or Cancel asks again and says why (issue 15, bug 7).

The real modal dialogs are driven: a timer finds the dialog that is open, types or presses its buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from annotator.gui.app import NAME_NEEDED, _ask_coder, remembered_coder


def _drive(qtbot, steps: list[Callable[[object], bool]], seen: list[str]) -> None:
    """Run each step on the next modal dialog that opens (polling, as a coder would wait for it)."""

    def tick() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible() and steps:
            seen.append(type(dialog).__name__)
            steps.pop(0)(dialog)
        if steps:
            QTimer.singleShot(30, tick)

    QTimer.singleShot(30, tick)


def _enter(qtbot, text: str) -> Callable[[object], bool]:
    def step(dialog: QInputDialog) -> bool:
        assert isinstance(dialog, QInputDialog)
        edit = dialog.findChild(QLineEdit)
        edit.clear()
        if text:
            qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        return True

    return step


def _cancel(qtbot) -> Callable[[object], bool]:
    def step(dialog: QInputDialog) -> bool:
        assert isinstance(dialog, QInputDialog)
        qtbot.keyClick(dialog.findChild(QLineEdit), Qt.Key.Key_Escape)
        return True

    return step


def _answer(qtbot, button_text: str, texts: list[str]) -> Callable[[object], bool]:
    def step(box: QMessageBox) -> bool:
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        button = next(b for b in box.buttons() if b.text() == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        return True

    return step


def test_empty_name_and_cancel_ask_again_with_the_reason(qtbot, settings_file):
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    texts: list[str] = []
    seen: list[str] = []
    _drive(
        qtbot,
        [
            _enter(qtbot, ""),  # an empty name
            _answer(qtbot, "Enter a name", texts),
            _cancel(qtbot),  # Cancel
            _answer(qtbot, "Enter a name", texts),
            _enter(qtbot, "  dana "),
        ],
        seen,
    )
    assert _ask_coder(settings) == "dana"
    assert seen == ["QInputDialog", "QMessageBox", "QInputDialog", "QMessageBox", "QInputDialog"]
    assert texts == [NAME_NEEDED, NAME_NEEDED]
    assert remembered_coder(QSettings(str(settings_file), QSettings.Format.IniFormat)) == "dana"


def test_quitting_is_the_coders_explicit_choice(qtbot, settings_file):
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    texts: list[str] = []
    seen: list[str] = []
    _drive(qtbot, [_cancel(qtbot), _answer(qtbot, "Quit annotator", texts)], seen)
    assert _ask_coder(settings) is None
    assert seen == ["QInputDialog", "QMessageBox"]
    assert "needs one before the window opens" in texts[0]
    assert remembered_coder(settings) is None
