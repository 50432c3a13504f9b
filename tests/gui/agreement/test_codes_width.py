"""Tools > Agreement: the codes list is wide enough for the codes' names (issue 15, flow)."""

from __future__ import annotations

from annotator.core.bundled import example_codebook
from annotator.core.codebook import load_codebook_file
from annotator.gui.common.actions import ActionId
from annotator.store.engine import open_project
from annotator.store.services.codebooks import load_codebook
from tests.gui.conftest import add_document


def test_codes_list_shows_whole_names(qtbot, make_window, tmp_path):
    project = open_project(tmp_path / "agree.db")
    try:
        load_codebook(project, load_codebook_file(example_codebook()), source="threats.yaml")
        add_document(project, "speech", "A speech about terrorism.")
        window = make_window(project)
        window.menu("tools").actions()[0].trigger()
        assert window.menu("tools").actions()[0] is window.action(ActionId.AGREEMENT)
        dialog = window.agreement.dialog
        qtbot.addWidget(dialog)
        qtbot.waitExposed(dialog)
        lst = dialog.codes_list
        assert lst.count() > 30
        metrics = lst.fontMetrics()
        for i in range(lst.count()):
            item = lst.item(i)
            rect = lst.visualItemRect(item)
            text_room = lst.viewport().width() - rect.left() - 24  # the check box comes first
            assert metrics.horizontalAdvance(item.text()) <= text_room, item.text()
        assert dialog.splitter.sizes()[1] > dialog.splitter.sizes()[0]  # the results keep most of the room
    finally:
        project.close()
