"""Tools > Agreement: choose, compute off the GUI thread, read the numbers, browse disagreements."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from annotator.core.agreement import span_agreement
from annotator.gui.agreement.models import ITEM_ROLE, AlphaModel, PairMatrixModel
from annotator.gui.common.actions import ActionId
from annotator.store.services import agreement as service
from annotator.store.services.spans import add_span
from annotator.store.services.status import mark_done, set_status
from tests.gui.conftest import TEXT, add_document

TEXT2 = "Another speech about terrorism and migration.\nThe West is to blame, say certain states.\n"
CODERS = ["anna", "ben", "cleo"]


@pytest.fixture
def coded(project):
    """Two documents coded by three coders, with every kind of disagreement."""
    d1 = add_document(project, "speech", TEXT)
    d2 = add_document(project, "second", TEXT2)
    rows = [
        # speech: all agree on 'terrorism'; migration: boundaries differ; cleo adds a source span
        (d1, "anna", "threat.terrorism", 8, 17),
        (d1, "ben", "threat.terrorism", 8, 17),
        (d1, "cleo", "threat.terrorism", 8, 17),
        (d1, "anna", "threat.migration", 22, 39),
        (d1, "ben", "threat.migration", 30, 39),
        (d1, "cleo", "threat.migration", 22, 39),
        (d1, "cleo", "source.states", 41, 55),
        # second: different codes on the same passage, and one coder only
        (d2, "anna", "source.west", 46, 54),
        (d2, "ben", "source.states", 46, 54),
        (d2, "cleo", "source.west", 46, 54),
        (d2, "anna", "threat.terrorism", 21, 30),
        (d2, "ben", "threat.terrorism", 21, 30),
    ]
    for doc, coder, code, s, e in rows:
        add_span(project, document_id=doc, acting_coder=coder, code_key=code, start=s, end=e)
    for coder in CODERS:  # only what was coded counts: every coder finished both documents
        mark_done(project, coder, None)
    return {"speech": d1, "second": d2}


@pytest.fixture
def dialog(make_window, project, coded, qtbot):
    window = make_window(project)
    assert window.action(ActionId.AGREEMENT) in window.menu("tools").actions()
    window.action(ActionId.AGREEMENT).trigger()
    dlg = window.agreement.dialog
    qtbot.addWidget(dlg)
    dlg.set_checked("coders", CODERS)
    dlg.bootstrap.setValue(200)
    dlg.seed.setValue(4)
    return dlg


def run(dlg, qtbot):
    """Compute and wait for the worker; the results are then shown."""
    dlg.outcome = None
    assert dlg.run() is not None
    qtbot.waitUntil(lambda: dlg.job is None, timeout=60000)
    assert dlg.outcome is not None, dlg.summary.text()


def test_menu_opens_with_sensible_choices(dialog):
    coders = {
        dialog.coders_list.item(i).data(Qt.ItemDataRole.UserRole): dialog.coders_list.item(i).checkState()
        for i in range(dialog.coders_list.count())
    }
    assert coders["alice"] == Qt.CheckState.Unchecked  # the window's own coder, no spans
    assert all(coders[c] == Qt.CheckState.Checked for c in CODERS)
    codes = [dialog.codes_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.codes_list.count())]
    assert "threat" not in codes  # groupings cannot carry spans
    assert "source.other" in codes  # unused codes can be chosen (undefined, with reason)
    assert dialog.documents_list.count() == 2


def test_numbers_shown_match_span_agreement(dialog, project, qtbot, qtmodeltester):
    run(dialog, qtbot)
    sel = service.load_selection(project, CODERS)
    ref = span_agreement(sel.documents, sel.spans, sel.coders, sel.codes, bootstrap=200, seed=4, parents=sel.parents)
    m = dialog.alpha_model
    assert m.text(0, 0) == "All codes"
    assert m.text(0, 1) == f"{ref['alpha_u']['overall']:.3f}"
    assert ref["alpha_u"]["ci"] is None  # two documents: no interval, and the tooltip says why
    assert m.text(0, 2) == "n/a"
    assert m.data(m.index(0, 2), Qt.ItemDataRole.ToolTipRole) == "too few documents (2) for a bootstrap interval"
    assert m.text(0, 3) == f"{ref['f1_exact']['micro']['f1']:.3f}"
    assert m.text(0, 4) == f"{ref['f1_overlap']['micro']['f1']:.3f}"
    for row, code in enumerate(sel.codes, start=1):
        value = ref["alpha_u"]["per_code"][code]
        shown = m.text(row, 1)
        assert shown == ("\u2014" if value is None else f"{value:.3f}"), code
        if value is None:
            assert m.data(m.index(row, 1), Qt.ItemDataRole.ToolTipRole)  # the reason
    row = sel.codes.index("source.other") + 1
    assert "no coder used" in m.text(row, 7)
    pairs = dialog.pair_model
    assert pairs.coders == CODERS
    for i, a in enumerate(CODERS):
        for j, b in enumerate(CODERS):
            if i < j:
                f1 = ref["f1_exact"]["pairs"][f"{a}|{b}"]["micro"]["f1"]
                assert pairs.text(i, j) == pairs.text(j, i) == f"{f1:.3f}"
    dialog.pair_measure.setCurrentIndex(1)
    f1 = ref["f1_overlap"]["pairs"]["anna|ben"]["micro"]["f1"]
    assert pairs.text(0, 1) == f"{f1:.3f}"
    kappa_row = 2 + sel.codes.index("threat.migration")
    dialog.pair_measure.setCurrentIndex(kappa_row)
    k = ref["sentences"]["per_code"]["threat.migration"]["cohen_kappa"]["anna|ben"]
    assert pairs.text(0, 1) == ("\u2014" if k is None else f"{k:.3f}")
    docs = dialog.doc_model
    assert docs.text(0, 0) == "speech"
    assert docs.text(0, 1) == f"{ref['alpha_u']['per_document']['speech']:.3f}"
    assert "alpha_U =" in dialog.summary.text()
    breakdown = dialog.breakdown_model
    row = sel.codes.index("threat.migration")
    cell = ref["disagreement_breakdown"]["threat.migration"]
    assert [breakdown.text(row, k) for k in (1, 2, 4, 6)] == [
        str(sum(cell.values())),
        str(cell["boundary"]),
        str(cell["label"]),
        str(cell["omission"]),
    ]
    models = (dialog.alpha_model, dialog.doc_model, dialog.pair_model, dialog.dis_model, dialog.dis_proxy, breakdown)
    for model in models:
        qtmodeltester.check(model)


def test_disagreements_sorted_side_by_side_and_jump(dialog, project, coded, qtbot):
    run(dialog, qtbot)
    dialog.tabs.setCurrentIndex(2)
    view, proxy = dialog.dis_view, dialog.dis_proxy
    sizes = [proxy.index(r, 0).data(ITEM_ROLE).size for r in range(proxy.rowCount())]
    assert sizes == sorted(sizes, reverse=True)
    kinds = {proxy.index(r, 0).data(ITEM_ROLE).kind for r in range(proxy.rowCount())}
    assert kinds == {"missing", "codes", "boundaries"}
    # the 'different codes' passage in the second document
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(ITEM_ROLE).kind == "codes")
    view.selectRow(row)
    d = dialog.current_disagreement()
    assert (d.document, d.start, d.end) == ("second", 46, 54)
    panes = dialog.panes.panes
    assert list(panes) == CODERS
    lo, hi = dialog.panes.span
    for pane in panes.values():
        assert pane.isVisibleTo(dialog)
        assert pane.edit.toPlainText() == TEXT2[lo:hi]
        assert pane.edit.isReadOnly()
    assert "The West" in panes["anna"].title.text()
    assert "Certain states" in panes["ben"].title.text()
    west = dialog.code_color("source.west")
    states = dialog.code_color("source.states")
    assert (46 - lo, 54 - lo, west) in panes["anna"].highlighted()
    assert (46 - lo, 54 - lo, states) in panes["ben"].highlighted()
    # a 'missing' one: only cleo coded 'Certain states' in the speech
    dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findData("missing"))
    assert all(proxy.index(r, 0).data(ITEM_ROLE).kind == "missing" for r in range(proxy.rowCount()))
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(ITEM_ROLE).document == "speech")
    view.selectRow(row)
    d = dialog.current_disagreement()
    assert "nothing coded here" in panes["anna"].title.text()
    assert panes["anna"].highlighted() == []
    assert len(panes["cleo"].highlighted()) == 1
    assert dialog.jump_button.isEnabled()
    qtbot.mouseClick(dialog.jump_button, Qt.MouseButton.LeftButton)
    ctl = dialog.main.controller
    assert ctl.doc_id == coded["speech"]
    assert dialog.main.view.selection_range() == (d.start, d.end)
    assert set(ctl.visible_coders()) == set(CODERS)


def test_cancel_keeps_the_window_usable(dialog, project, qtbot):
    for i in range(10):  # intervals need ten documents: then 100,000 resamples take a while
        doc = add_document(project, f"extra{i}", TEXT2 + f" {i}")
        add_span(project, document_id=doc, acting_coder="anna", code_key="threat.terrorism", start=21, end=30)
    for coder in CODERS:
        mark_done(project, coder, None)
    dialog.refresh_choices()
    dialog.bootstrap.setValue(100000)
    job = dialog.run()
    qtbot.waitUntil(lambda: dialog.progress is not None and dialog.progress.maximum() > 0, timeout=20000)
    button = dialog.progress.findChild(QPushButton)
    assert button.text() == "Cancel"
    with qtbot.waitSignal(job.cancelled, timeout=60000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog.wait()
    assert dialog.job is None
    assert dialog.run_button.isEnabled()
    assert "Cancelled" in dialog.summary.text()
    dialog.bootstrap.setValue(0)
    run(dialog, qtbot)
    assert dialog.alpha_model.rowCount() > 1
    assert dialog.alpha_model.text(0, 2) == ""  # no bootstrap, no interval


def test_degenerate_choices_say_why(dialog, qtbot):
    dialog.set_checked("coders", [])
    assert dialog.run() is None
    assert "at least one coder" in dialog.summary.text()
    dialog.set_checked("coders", ["anna"])
    run(dialog, qtbot)
    assert dialog.alpha_model.text(0, 1) == "\u2014"
    assert "two coders" in dialog.alpha_model.text(0, 7)
    assert "two coders" in dialog.summary.text()
    assert dialog.dis_model.rowCount() == 0


def test_models_alone(qtmodeltester):
    res = span_agreement([("d", "one two three. four five.")], [], ["a", "b"], ["x"])
    alpha, pairs = AlphaModel(), PairMatrixModel()
    alpha.set_result(res)
    pairs.set_result(res)
    qtmodeltester.check(alpha)
    qtmodeltester.check(pairs)
    assert alpha.text(0, 1) == "\u2014"


def test_render_to_png(dialog, qtbot, tmp_path):
    """Render the view offscreen (look at it: it must be readable)."""
    run(dialog, qtbot)
    dialog.tabs.setCurrentIndex(0)
    out = Path(os.environ.get("ANNOTATOR_SHOT_DIR", tmp_path))
    assert dialog.grab().save(str(out / "agreement_overview.png"))
    dialog.tabs.setCurrentIndex(2)
    dialog.dis_view.selectRow(0)
    assert dialog.grab().save(str(out / "agreement_disagreements.png"))
    dialog.tabs.setCurrentIndex(3)
    assert dialog.grab().save(str(out / "agreement_breakdown.png"))


def test_only_documents_every_coder_finished_and_the_switch(dialog, project, coded, qtbot):
    set_status(project, coded["second"], "ben", "in_progress")
    assert dialog.done_only.isChecked()
    assert not dialog.documents_list.isEnabled()
    run(dialog, qtbot)
    assert dialog.outcome.result["documents"] == ["speech"]
    assert "1 document(s) left out" in dialog.summary.text()
    assert "second: not marked done by ben" in dialog.left_out.text()
    second = dialog.documents_list.item(1)
    assert second.toolTip() == "left out: not marked done by ben"
    qtbot.mouseClick(dialog.done_only, Qt.MouseButton.LeftButton)  # off: every ticked document counts
    assert dialog.documents_list.isEnabled()
    run(dialog, qtbot)
    assert dialog.outcome.result["documents"] == ["speech", "second"]
    assert "1 (document, coder) pair(s) not marked done" in dialog.summary.text()
    assert "second: ben has not marked it done" in dialog.left_out.text()
    for coder in CODERS:
        set_status(project, coded["second"], coder, "in_progress")
        set_status(project, coded["speech"], coder, "in_progress")
    qtbot.mouseClick(dialog.done_only, Qt.MouseButton.LeftButton)
    dialog.outcome = None
    dialog.run()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60000)
    assert dialog.outcome is None
    assert "--documents all" in dialog.summary.text()  # the same one line as the command line


def test_save_report_writes_the_shown_numbers(dialog, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    assert not dialog.report_button.isEnabled()
    run(dialog, qtbot)
    assert dialog.report_button.isEnabled()
    target = tmp_path / "reliability.md"
    # the one stand-in: the user's choice in the file dialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Markdown (*.md)"))
    qtbot.mouseClick(dialog.report_button, Qt.MouseButton.LeftButton)
    text = target.read_text("utf-8")
    res = dialog.outcome.result
    assert f"| alpha_U, all codes | {res['alpha_u']['overall']:.3f} |" in text
    assert "## Disagreement breakdown" in text
    assert "agreement --coders anna,ben,cleo" in text  # the equivalent command
    assert "Reliability report written" in dialog.summary.text()
