"""View > Colour-blind-safe colours: the window shows the palette; the codebook keeps its own colours."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from annotator.gui.coding.highlighter import blend
from annotator.gui.coding.palette import TOL_LIGHT
from annotator.store.services.codebooks import get_codebook
from tests.gui.conftest import TEXT, select


def stored_colours(project) -> dict[str, str]:
    return {c.key: c.color for c in get_codebook(project).iter_codes()}


def test_palette_is_a_view_option_that_leaves_the_codebook_alone(qtbot, make_window, project, doc_id, settings_file):
    before = stored_colours(project)
    window = make_window(project)
    start = TEXT.index("terrorism")
    select(window, start, start + 9)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    option = next(a for a in window.menu("view").actions() if a.text() == "&Colour-blind-safe colours")
    assert not option.isChecked()
    option.trigger()
    assert window.view.colors["threat.terrorism"] == TOL_LIGHT[0]
    assert window.view.colors["threat.migration"] == TOL_LIGHT[1]  # siblings differ
    assert window.view.colors["source.west"] == TOL_LIGHT[0]
    assert window.codebook_model.book.codes[0].children[0].color == TOL_LIGHT[0]  # the tree's swatches too
    block = window.view.document().firstBlock()
    fills = [r.format.background().color() for r in block.layout().formats() if r.start == start]
    assert fills == [blend((TOL_LIGHT[0],))]
    assert window.view.selection_range() == (start, start + 9)  # nothing reloaded
    assert stored_colours(project) == before  # the codebook is unchanged
    window.close()  # remembered
    assert QSettings(str(settings_file), QSettings.Format.IniFormat).value("view/colour_blind") == "true"
    again = make_window(project)
    assert again.view.colors["threat.terrorism"] == TOL_LIGHT[0]
    again_option = next(a for a in again.menu("view").actions() if a.text() == "&Colour-blind-safe colours")
    again_option.trigger()
    assert again.view.colors["threat.terrorism"] == before["threat.terrorism"]
    assert stored_colours(project) == before
