"""Renders the main window at 1280x800 with the sample corpus, the threats codebook and overlapping spans.

With ANNOTATOR_WRITE_SCREENSHOT=1 the picture is written to docs/screenshot.png (shown in the README);
otherwise to the test's temp folder, so ordinary runs never touch the repository.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.core.bundled import example_documents
from annotator.core.codebook import load_codebook_file
from annotator.store.engine import open_project
from annotator.store.services.codebooks import load_codebook
from annotator.store.services.documents import document_text, import_files, list_documents
from annotator.store.services.spans import add_span
from tests.conftest import REPO as ROOT

THREATS = ROOT / "codebooks" / "threats.yaml"

# (code, passage, memo) in the first corpus document; several overlap across code groups.
CODING = [
    ("source.certain_states", "certain states", ""),
    (
        "threat.foreign_interference",
        "actions of certain states are aimed at undermining the legitimate authorities",
        "interference named through its aim",
    ),
    ("referent.authorities", "legitimate authorities", ""),
    ("referent.stability", "public stability", ""),
    ("referent.values", "traditional values", ""),
    ("threat.general", "persistent threats", ""),
    ("threat.terrorism", "terrorism", ""),
    ("threat.organised_crime", "organised crime", ""),
    ("threat.drug_trafficking", "drug trafficking", ""),
    ("threat.illegal_migration", "illegal migration", ""),
    ("threat.radicalism", "radicalism", ""),
    ("threat.extremism", "extremism", ""),
    ("threat.economic", "economic", ""),
    ("threat.information", "information", ""),
    ("threat.biological", "biological security risks", ""),
    ("response.collective", "coordinated collective response", ""),
    ("response.prevention", "large-scale preventive efforts", "prevention, not response to an event"),
    ("threat.general", "global instability", ""),
    ("referent.ties", "close trade, cooperation and cultural ties", ""),
    ("threat.regional_conflict", "Old conflicts have reignited", ""),
]


def _corpus(shared: Path | None) -> list[Path]:
    if shared is not None and (shared / "corpus").is_dir():
        return sorted((shared / "corpus").glob("*.txt"))
    return example_documents()


@pytest.fixture
def corpus_files(request) -> list[Path]:
    try:
        shared = request.getfixturevalue("shared_dir")
    except pytest.skip.Exception:
        shared = None
    files = _corpus(shared)
    if not files or not THREATS.is_file():
        pytest.skip("needs the sample corpus (or resources/examples) and codebooks/threats.yaml")
    return files


def test_screenshot(qtbot, tmp_path, corpus_files):
    from annotator.gui.coding.main_window import MainWindow

    project = open_project(tmp_path / "shot.db")
    try:
        load_codebook(project, load_codebook_file(THREATS), source=str(THREATS))
        import_files(project, corpus_files)
        docs = list_documents(project)
        doc = docs[0]
        text = document_text(project, doc.id)
        first = None
        for code, passage, memo in CODING:
            pattern = r"\s+".join(re.escape(word) for word in passage.split())  # the corpus has NBSPs
            found = re.search(rf"\b{pattern}\b", text)
            if found is None:
                continue
            at = found.start()
            span = add_span(
                project, document_id=doc.id, acting_coder="alice", code_key=code, start=at, end=found.end(), memo=memo
            )
            first = first or span
        settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(
            project, coder="alice", settings=settings, ask_memo=lambda *_: None, ask_coder=lambda _c: None
        )
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.controller.open_document(doc.id)
        if first is not None:
            window.controller.select_span(first.id, scroll=True)
            view = window.view
            view.verticalScrollBar().setValue(max(0, view.verticalScrollBar().value() - 4))
            at = text.find("persistent threats")
            if at >= 0:
                view.select_range(at, at + len("persistent threats common to all of us"))
        tree = window.codebook_panel.tree
        tree.setCurrentIndex(window.codebook_model.index_of("threat.foreign_interference"))
        qtbot.wait(50)
        out = (
            (ROOT / "docs" / "screenshot.png")
            if os.environ.get("ANNOTATOR_WRITE_SCREENSHOT") == "1"
            else tmp_path / "screenshot.png"
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        image = window.grab()
        assert (image.width(), image.height()) == (1280, 800)
        assert image.save(str(out))
        assert out.stat().st_size > 20_000
    finally:
        project.close()
