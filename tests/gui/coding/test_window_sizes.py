"""The stripes margin and the docks size with the window; the margin collapses without spans (issue 15, flow).

At 1920 px the old fixed 190 px margin cut code labels to about 8 characters and the 250 px documents dock
elided names while the screen had room; both are checked at 1280x800 and 1920x1080 by resizing the window.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.bundled import example_codebook
from annotator.core.codebook import load_codebook_file
from annotator.store.engine import open_project
from annotator.store.services.codebooks import load_codebook
from annotator.store.services.spans import add_span
from tests.gui.conftest import add_document, select

TEXT = (
    "In recent years certain states have tried to interfere in the internal affairs of our countries, to "
    "undermine the legitimate authorities and constitutional order, and to spread terrorism and extremism.\n"
    "We answer with an exchange of experience and information between our special services.\n"
)
CODED = [
    ("alice", "source.certain_states", "certain states"),
    ("alice", "threat.foreign_interference", "interfere in the internal affairs of our countries"),
    ("alice", "referent.authorities", "legitimate authorities and constitutional order"),
    ("bob", "threat.foreign_interference", "certain states have tried to interfere"),
    ("bob", "referent.authorities", "the legitimate authorities"),
    ("bob", "threat.terrorism", "terrorism"),
    ("bob", "response.exchange", "exchange of experience and information"),
]
NAME = "2014-11-08 president, CSTO summit, Moscow (full text).txt"


@pytest.fixture
def threats_project(tmp_path):
    project = open_project(tmp_path / "sizes.db")
    load_codebook(project, load_codebook_file(example_codebook()), source="threats.yaml")
    yield project
    project.close()


def shown_labels(window) -> list[tuple[str, str]]:
    """(label as drawn, full label) for every label in the stripes margin."""
    stripes = window.view.stripes
    stripes.repaint()
    return [(text, stripes.label(e)) for _pill, e, text in stripes.current_layout().labels]


def resize(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    qtbot.wait(20)  # the docks' layout follows in the same event loop turn


def test_margin_and_docks_grow_with_the_window(qtbot, make_window, threats_project):
    doc = add_document(threats_project, NAME, TEXT)
    for coder, code, passage in CODED:
        at = TEXT.index(passage)
        add_span(threats_project, document_id=doc, acting_coder=coder, code_key=code, start=at, end=at + len(passage))
    window = make_window(threats_project)
    window.controller.show_coders(["alice", "bob"])
    resize(qtbot, window, 1280, 800)
    small = (window.view.stripes.width(), window.documents_dock.width(), window.codebook_dock.width())
    labels_small = shown_labels(window)
    name_small = window.documents_panel.horizontalHeader().sectionSize(0)
    resize(qtbot, window, 1920, 1080)
    large = (window.view.stripes.width(), window.documents_dock.width(), window.codebook_dock.width())
    assert all(b > a * 1.25 for a, b in zip(small, large, strict=True)), (small, large)
    labels = shown_labels(window)
    assert len(labels) == len(CODED)
    for drawn, full in labels:  # 8 characters was the complaint; full labels where they fit
        assert drawn == full or len(drawn.rstrip("…")) >= 24, (drawn, full)
    assert sum(len(d) for d, _ in labels) > sum(len(d) for d, _ in labels_small)
    panel, header = window.documents_panel, window.documents_panel.horizontalHeader()
    room = panel.viewport().width() - header.sectionSize(1) - header.sectionSize(2)
    assert header.sectionSize(0) == min(panel.sizeHintForColumn(0) + 4, room)  # the name takes the free room
    assert header.sectionSize(0) > name_small
    resize(qtbot, window, 1280, 800)  # and back: the docks give the room back to the text
    assert window.documents_dock.width() <= small[1] + 4
    assert window.view.stripes.width() == small[0]


def test_margin_collapses_without_spans_and_opens_with_the_first(qtbot, make_window, threats_project):
    add_document(threats_project, "plain", TEXT)
    window = make_window(threats_project)
    view = window.view
    assert view.viewportMargins().left() == 0
    assert not view.stripes.isVisible()
    at = TEXT.index("terrorism")
    select(window, at, at + 9)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert view.viewportMargins().left() >= 190
    assert view.stripes.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.viewportMargins().left() == 0
    assert not view.stripes.isVisible()
