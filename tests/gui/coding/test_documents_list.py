"""The document list: attribute columns, full names unless the dock is narrow, readable status with a done marker."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui.coding.documents_model import STATUS_ROLE
from annotator.store.services.documents import import_files
from annotator.store.services.status import set_status

LONG = "speech_by_the_chair_of_the_council_of_security_secretaries_2014_part_two.txt"


def _import(project, tmp_path, name: str, attrs: dict[str, str]) -> int:
    path = tmp_path / name
    path.write_text(f"Text of {name} about cooperation.\n", encoding="utf-8")
    report = import_files(project, [path], attributes=attrs)
    assert not report.errors, report.errors
    return report.imported[0].id


def _columns(model) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_attributes_have_columns_and_tooltips(qtbot, make_window, project, tmp_path, qtmodeltester):
    _import(project, tmp_path, "a.txt", {"speaker": "Chair", "year": "2014"})
    _import(project, tmp_path, "b.txt", {"country": "Kazakhstan"})
    window = make_window(project)
    model = window.documents_model
    qtmodeltester.check(model)
    assert _columns(model) == ["Document", "Status", "Spans", "country", "speaker", "year"]
    row = model.row_of(next(d.id for d in model.docs if d.name == "a.txt"))
    assert [model.index(row, c).data() for c in range(3, 6)] == ["", "Chair", "2014"]
    tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "a.txt" in tip
    assert "speaker: Chair" in tip
    assert "year: 2014" in tip


def test_full_name_shown_when_wide_elided_in_middle_when_narrow(qtbot, make_window, project, tmp_path):
    _import(project, tmp_path, LONG, {"speaker": "Chair"})
    window = make_window(project)
    panel = window.documents_panel
    assert panel.textElideMode() == Qt.TextElideMode.ElideMiddle
    row = window.documents_model.row_of(next(d.id for d in window.documents_model.docs if d.name == LONG))
    needed = panel.fontMetrics().horizontalAdvance(LONG)
    window.documents_dock.setFloating(True)
    window.documents_dock.resize(needed + 400, 300)
    qtbot.waitUntil(lambda: panel.columnWidth(0) >= needed, timeout=3000)  # wide dock: the whole name
    window.documents_dock.resize(260, 300)
    qtbot.waitUntil(lambda: panel.columnWidth(0) < needed, timeout=3000)  # narrow: elided (in the middle)
    assert panel.columnWidth(1) >= panel.sizeHintForColumn(1)  # status never squeezed
    assert window.documents_model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole).startswith(LONG)


def test_status_words_and_done_marker(qtbot, window, project, doc_id, tmp_path):
    other = _import(project, tmp_path, "other.txt", {})
    third = _import(project, tmp_path, "third.txt", {})
    set_status(project, other, "alice", "in_progress")
    set_status(project, third, "alice", "done")
    window.refresh_documents()
    model = window.documents_model
    status = {d.id: model.index(model.row_of(d.id), 1) for d in model.docs}
    assert status[doc_id].data() == "not started"
    assert status[other].data() == "in progress"
    assert status[third].data() == "✓ done"
    assert status[third].data(STATUS_ROLE) == "done"
    assert status[third].data(Qt.ItemDataRole.FontRole).bold()
    assert not status[third].data(Qt.ItemDataRole.DecorationRole).isNull()
    colours = {status[i].data(Qt.ItemDataRole.ForegroundRole).color().name() for i in (doc_id, other, third)}
    assert len(colours) == 3  # three distinguishable states
