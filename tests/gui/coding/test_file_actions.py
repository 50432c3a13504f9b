"""File menu: background import with progress, cancel and a report; codebooks from YAML or .qdc, errors by line."""

from __future__ import annotations

from pathlib import Path

from annotator.gui.coding import file_actions
from annotator.gui.common.actions import ActionId
from annotator.gui.common.dialogs import ReportDialog
from annotator.store.services.codebooks import get_codebook
from annotator.store.services.documents import list_documents

QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Test tool">
  <Codes>
    <Code guid="0f6a3c1e-8d2b-4c7a-9f00-1a2b3c4d5e6f" name="Economy" isCodable="false" color="#336699">
      <Code guid="1f6a3c1e-8d2b-4c7a-9f00-1a2b3c4d5e6f" name="Jobs" isCodable="true" color="#cc3300">
        <Description>Employment and wages.</Description>
      </Code>
    </Code>
  </Codes>
</CodeBook>
"""


def _files(tmp_path: Path, n: int, bad: int = 0) -> list[Path]:
    paths = []
    for i in range(n):
        p = tmp_path / f"doc{i:02d}.txt"
        p.write_text(f"Document number {i} about security and cooperation.\n", encoding="utf-8")
        paths.append(p)
    for i in range(bad):
        p = tmp_path / f"empty{i}.txt"
        p.write_bytes(b"")
        paths.append(p)
    return paths


def test_import_runs_in_background_and_reports_bad_files(qtbot, window, project, tmp_path):
    before = len(list_documents(project))
    paths = [*_files(tmp_path, 3, bad=1), tmp_path / "missing.txt"]
    window.ask_path = lambda kind, *_: paths if kind == "open_many" else []
    window.action(ActionId.IMPORT_DOCUMENTS).trigger()  # the real menu action, file dialog injected
    job = window.import_runner.job
    assert job is not None
    assert not window.action(ActionId.IMPORT_DOCUMENTS).isEnabled()  # no second import while one runs
    qtbot.waitUntil(lambda: job.outcome is not None, timeout=10000)
    assert job.outcome == "ok"
    assert len(list_documents(project)) == before + 3
    assert window.documents_model.rowCount() == before + 3
    assert window.action(ActionId.IMPORT_DOCUMENTS).isEnabled()
    report = window.last_problem
    assert isinstance(report, ReportDialog)
    assert report.isVisible()
    assert not report.isModal()
    text = report.details.toPlainText()
    assert "empty0.txt" in text
    assert "missing.txt" in text
    assert "Traceback" not in text
    assert "2 files were not imported" in report.summary.text()


def test_import_cancel_between_files_stores_nothing(qtbot, window, project, tmp_path):
    before = len(list_documents(project))
    job = file_actions.import_paths(window, _files(tmp_path, 20), step_delay=0.15)
    dialog = window.import_runner.progress
    qtbot.waitUntil(lambda: job.context.count >= 2, timeout=10000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: job.outcome is not None, timeout=10000)
    assert job.outcome == "cancelled"
    assert job.context.count < 20
    assert len(list_documents(project)) == before  # one transaction at the end: nothing partial
    assert window.import_runner.progress is None
    assert "cancelled" in window.statusBar().currentMessage()


def test_import_into_empty_project_opens_first_document(qtbot, make_window, tmp_path):
    from annotator.store.engine import open_project

    project = open_project(tmp_path / "empty.db")
    try:
        window = make_window(project)
        job = file_actions.import_paths(window, _files(tmp_path, 2))
        qtbot.waitUntil(lambda: job.outcome is not None, timeout=10000)
        assert window.controller.doc_id is not None
        assert not window.banner.isVisible()
        assert "Imported 2 documents" in window.statusBar().currentMessage()
    finally:
        project.close()


def test_load_qdc_codebook(qtbot, window, project, tmp_path):
    path = tmp_path / "book.qdc"
    path.write_text(QDC, encoding="utf-8")
    window.ask_path = lambda kind, *_: [str(path)]
    window.action(ActionId.LOAD_CODEBOOK).trigger()
    book = get_codebook(project)
    names = {c.name for c in book.iter_codes()}
    assert {"Economy", "Jobs"} <= names
    jobs = next(c for c in book.iter_codes() if c.name == "Jobs")
    assert jobs.key in window.code_actions
    assert window.codebook_model.rowCount() >= 1


def test_load_shared_qdc_sample(qtbot, window, project, shared_dir):
    path = shared_dir / "refi-qda" / "samples" / "spec-annexA1_codebook.qdc"
    assert file_actions.load_codebook_path(window, path)
    assert len(list(get_codebook(project).iter_codes())) > 1


def test_codebook_yaml_errors_listed_by_line(qtbot, window, project, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "title: Bad\ncodes:\n  - key: a\n    name: A\n    colour: red\n"
        "  - key: a\n    name: Again\n    shortcut: 'Ctrl+Alt+Shift+Meta+Q+W'\n",
        encoding="utf-8",
    )
    keys_before = set(window.code_actions)
    assert not file_actions.load_codebook_path(window, path)
    report = window.last_problem
    assert isinstance(report, ReportDialog)
    assert report.isVisible()
    assert not report.isModal()
    lines = report.details.toPlainText().splitlines()
    assert len(lines) >= 2
    assert all(line.startswith(f"{path}:") and line.split(":")[1].isdigit() for line in lines), lines
    assert "nothing was loaded" in report.summary.text()
    assert set(window.code_actions) == keys_before


def test_open_and_new_project_through_injected_dialogs(qtbot, window, tmp_path):
    target = tmp_path / "second.db"
    window.ask_path = lambda kind, *_: [str(target)] if kind == "save" else []
    window.action(ActionId.NEW_PROJECT).trigger()
    assert window.controller.project.path == target
    assert window.settings.value("project/last") == str(target)
    window.ask_path = lambda kind, *_: [str(tmp_path / "p.db")] if kind == "open" else []
    window.action(ActionId.OPEN_PROJECT).trigger()
    assert window.controller.project.path == tmp_path / "p.db"
