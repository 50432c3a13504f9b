"""Alt+arrows move a boundary by what a reader calls a character, Ctrl+Alt+arrows by word (issue 15, bug 8).

The document has a flag (two regional indicators), a letter with a combining accent, a ZWJ emoji family,
Cyrillic words and CRLF line ends (stored as \\n): no nudge may leave a boundary inside any of them.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store.services.spans import list_spans
from tests.gui.conftest import add_document, select

TEXT = "Заявление.\nМы говорим 🇷🇺 о безопа́сности 👩‍👩‍👧 сегодня.\nКонец."
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def coded(qtbot, make_window, project):
    doc = add_document(project, "flags", TEXT, newline="\r\n")
    window = make_window(project)
    window.controller.open_document(doc)
    start = TEXT.index("о безопа́сности")
    select(window, start, start + len("о безопа́сности"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    return window


def passage(project) -> str:
    [span] = list_spans(project)
    return TEXT[span.start : span.end]


def press(qtbot, window, key, modifiers, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(window.view, key, modifiers)


def test_start_moves_over_a_flag_as_one_character(qtbot, coded, project):
    press(qtbot, coded, Qt.Key.Key_Left, ALT)
    assert passage(project) == " о безопа́сности"
    press(qtbot, coded, Qt.Key.Key_Left, ALT)
    assert passage(project) == "🇷🇺 о безопа́сности"  # not "🇺 о ..."
    press(qtbot, coded, Qt.Key.Key_Right, ALT, 2)
    assert passage(project) == "о безопа́сности"


def test_end_moves_over_combining_marks_and_zwj_sequences(qtbot, coded, project):
    press(qtbot, coded, Qt.Key.Key_Right, ALT | SHIFT, 2)
    assert passage(project) == "о безопа́сности 👩‍👩‍👧"  # the whole family, not one of its people
    press(qtbot, coded, Qt.Key.Key_Left, ALT | SHIFT, 2)
    assert passage(project) == "о безопа́сности"
    press(qtbot, coded, Qt.Key.Key_Left, ALT | SHIFT, 6)
    assert passage(project) == "о безопа́"  # the accent stays with its letter
    press(qtbot, coded, Qt.Key.Key_Left, ALT | SHIFT)
    assert passage(project) == "о безоп"
    qtbot.keyClick(coded.view, Qt.Key.Key_Z, CTRL)  # all the nudges are one undo step
    assert passage(project) == "о безопа́сности"


def test_ctrl_alt_moves_by_word(qtbot, coded, project):
    press(qtbot, coded, Qt.Key.Key_Left, CTRL | ALT)
    assert passage(project) == "говорим 🇷🇺 о безопа́сности"
    press(qtbot, coded, Qt.Key.Key_Right, CTRL | ALT | SHIFT)
    assert passage(project) == "говорим 🇷🇺 о безопа́сности 👩‍👩‍👧 сегодня"
    press(qtbot, coded, Qt.Key.Key_Right, CTRL | ALT)
    assert passage(project) == "о безопа́сности 👩‍👩‍👧 сегодня"
    press(qtbot, coded, Qt.Key.Key_Left, CTRL | ALT | SHIFT)
    assert passage(project) == "о безопа́сности"
    press(qtbot, coded, Qt.Key.Key_Right, CTRL | ALT, 5)  # never past its own end
    assert passage(project) == "безопа́сности"
