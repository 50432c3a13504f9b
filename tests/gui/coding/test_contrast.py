"""Dense overlaps keep the text readable: WCAG AA contrast (>= 4.5:1) at 1 to 12 layers (issue 15, bug 2).

Twelve nested spans are coded with the threats codebook's keys (its darkest, warmest colours overlap most),
so the passage has every depth from 1 to 12 layers; every highlighted segment is measured as painted: the
format's text colour on its fill, with the selected span's tint laid over where it applies.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextFormat

from annotator.core.bundled import example_codebook
from annotator.core.codebook import load_codebook_file
from annotator.store.engine import open_project
from annotator.store.services.codebooks import load_codebook
from tests.gui.conftest import add_document, select

KEYS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6]
KEYS += [Qt.Key.Key_7, Qt.Key.Key_8, Qt.Key.Key_9, Qt.Key.Key_0, Qt.Key.Key_E, Qt.Key.Key_I]
TEXT = (
    "Opening words before anything is coded. The heads of state named terrorism, extremism, radicalism, "
    "organised crime, drug trafficking and illegal migration as the threats common to all of us, and more. "
    "Closing words after."
)


@pytest.fixture
def threats_project(tmp_path):
    project = open_project(tmp_path / "dense.db")
    load_codebook(project, load_codebook_file(example_codebook()), source="threats.yaml")
    yield project
    project.close()


def luminance(c: QColor) -> float:
    """WCAG 2 relative luminance (written out here, independent of the highlighter's own)."""
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c.getRgbF()[:3]]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over(base: QColor, tint: QColor) -> QColor:
    """`tint` (with alpha) painted over opaque `base`."""
    a = tint.alphaF()
    return QColor.fromRgbF(*(t * a + b * (1 - a) for t, b in zip(tint.getRgbF()[:3], base.getRgbF()[:3], strict=True)))


def test_text_keeps_aa_contrast_at_every_depth_up_to_twelve_layers(qtbot, make_window, threats_project):
    doc = add_document(threats_project, "dense", TEXT)
    window = make_window(threats_project)
    window.controller.open_document(doc)
    middle = TEXT.index("illegal migration")
    for depth, key in enumerate(KEYS):  # nested: the outermost first
        reach = (len(KEYS) - depth) * 6
        select(window, middle - reach, middle + reach)
        qtbot.keyClick(window.view, key)
    assert len(window.controller.spans) == 12
    view = window.view
    block = view.document().firstBlock()
    text_color = view.palette().text().color()
    tint_ranges = [
        (s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.background().color())
        for s in view.extraSelections()
    ]
    depths = {}
    for fr in block.layout().formats():
        fill = fr.format.background().color()
        has_ink = fr.format.hasProperty(QTextFormat.Property.ForegroundBrush)
        ink = fr.format.foreground().color() if has_ink else text_color
        covering = sum(
            1
            for record in window.controller.spans.records()
            if record.start <= block.position() + fr.start < record.end
        )
        depths[covering] = min(depths.get(covering, 99.0), contrast(ink, fill))
        for a, b, tint in tint_ranges:
            if a <= fr.start < b:
                assert contrast(ink, over(fill, tint)) >= 4.5, (covering, fill.name())
    assert sorted(depths) == list(range(1, 13))
    for covering, ratio in depths.items():
        assert ratio >= 4.5, f"{covering} layers: contrast {ratio:.2f}:1"
