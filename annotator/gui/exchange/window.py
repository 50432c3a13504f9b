"""File > Export / Import from / Merge project: the exchange services, in the window.

The window keeps one `ExchangeUi` as `window.exchange`; the menu entries are the window's registered
actions (`gui/exchange/actions.py`). Every command is "dialogs, then a plain method taking paths":

    ui.export_to(fmt, path, options=None)   # fmt: csv, excel, jsonl, qdpx, qdc, yaml
    ui.import_qdpx_path(path)
    ui.merge_paths(paths)                   # dry run, then the confirmation dialog, then the merge
    ui.run_merge(paths, allow_conflicts=False)

Each returns the running `Job` (run by `ui.runner`, one at a time); `ui.jobFinished(outcome)` is
emitted when it is over. File dialogs
are the replaceable callables `ui.ask_save_path(title, suggested, filter)`, `ui.ask_open_path(...)`
and `ui.ask_open_paths(...)`, so tests (and scripts) never block on a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from annotator.core.errors import UserError
from annotator.gui.coding.file_actions import PROJECT_FILTER
from annotator.gui.common.actions import ActionId
from annotator.gui.common.dialogs import ReportDialog
from annotator.gui.common.jobs import Job, JobContext, JobProgressDialog, JobRunner
from annotator.gui.exchange.dialogs import ExportOptions, ExportOptionsDialog, import_report_text
from annotator.store.services import export, merge, refi, refi_export
from annotator.store.services.export import SpanFilter
from annotator.store.services.output import check_output

if TYPE_CHECKING:
    from annotator.gui.coding.main_window import MainWindow
    from annotator.store.engine import Project


@dataclass(frozen=True)
class Format:
    label: str  # menu text
    what: str  # used in titles: "Export <what>"
    file_filter: str
    suffix: str
    suggested: str  # file name after the project's name
    spans: bool  # exports spans (so the filter dialog applies)
    attributes: bool  # can add document attributes as columns


FORMATS: dict[str, Format] = {
    "csv": Format("Spans as &CSV…", "spans as CSV", "CSV files (*.csv)", ".csv", "-spans.csv", True, True),
    "excel": Format(
        "Spans as CSV for &Excel…",
        "spans as CSV for Excel",
        "CSV files (*.csv)",
        ".csv",
        "-spans-excel.csv",
        True,
        True,
    ),
    "jsonl": Format(
        "Spans as &JSON Lines…", "spans as JSON Lines", "JSON Lines (*.jsonl)", ".jsonl", "-spans.jsonl", True, True
    ),
    "qdpx": Format(
        "REFI-QDA &project (.qdpx)…", "a REFI-QDA project", "REFI-QDA projects (*.qdpx)", ".qdpx", ".qdpx", True, False
    ),
    "qdc": Format(
        "REFI-QDA code&book (.qdc)…",
        "the codebook as REFI-QDA",
        "REFI-QDA codebooks (*.qdc)",
        ".qdc",
        "-codebook.qdc",
        False,
        False,
    ),
    "yaml": Format(
        "Codebook as &YAML…",
        "the codebook as YAML",
        "YAML codebooks (*.yaml *.yml)",
        ".yaml",
        "-codebook.yaml",
        False,
        False,
    ),
}
EXPORT_ACTIONS = {
    "csv": ActionId.EXPORT_CSV,
    "excel": ActionId.EXPORT_EXCEL,
    "jsonl": ActionId.EXPORT_JSONL,
    "qdpx": ActionId.EXPORT_QDPX,
    "qdc": ActionId.EXPORT_QDC,
    "yaml": ActionId.EXPORT_YAML,
}
QDPX_FILTER = "REFI-QDA projects (*.qdpx);;All files (*)"


class ExchangeUi(QObject):
    jobFinished = Signal(str)  # "ok" | "error" | "cancelled"

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runner = JobRunner(window)  # one exchange job at a time
        self.runner.cancelRequested.connect(lambda: window.statusBar().showMessage("Cancelling…", 5000))
        self.runner.jobFinished.connect(self.jobFinished)
        self.options_dialog: ExportOptionsDialog | None = None
        self.report_dialog: ReportDialog | None = None
        self.merge_dialog: ReportDialog | None = None
        self.problem_box: QMessageBox | None = None
        self.problems: list[str] = []
        self.ask_save_path: Callable[[str, str, str], str | None] = self._save_dialog
        self.ask_open_path: Callable[[str, str], str | None] = self._open_dialog
        self.ask_open_paths: Callable[[str, str], list[str]] = self._open_many_dialog

    @property
    def job(self) -> Job | None:
        """The running or last exchange job."""
        return self.runner.job

    @property
    def progress(self) -> JobProgressDialog | None:
        return self.runner.progress

    @property
    def cancel_button(self) -> QPushButton | None:
        return self.runner.progress.cancel_button if self.runner.progress is not None else None

    @property
    def project(self) -> Project:
        return self.window.controller.project

    # -- file dialogs (replaceable) ---------------------------------------------------------------
    def _last_dir(self) -> str:
        stored = self.window.settings.value("exchange/last_dir")
        if stored and Path(str(stored)).is_dir():
            return str(stored)
        return str(self.project.path.parent) if self.project.path else ""

    def _remember(self, path: str | Path) -> None:
        self.window.settings.setValue("exchange/last_dir", str(Path(path).parent))

    def _save_dialog(self, title: str, suggested: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(Path(self._last_dir()) / suggested), file_filter)
        return path or None

    def _open_dialog(self, title: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.window, title, self._last_dir(), file_filter)
        return path or None

    def _open_many_dialog(self, title: str, file_filter: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self.window, title, self._last_dir(), file_filter)
        return list(paths)

    # -- export -----------------------------------------------------------------------------------
    def make_options_dialog(self, fmt: str) -> ExportOptionsDialog:
        """The filter dialog for `fmt`, filled from the project (everything ticked)."""
        from annotator.store.services import codebooks, coders, documents

        book = codebooks.get_codebook(self.project)
        paths = codebooks.code_path(book)
        spec = FORMATS[fmt]
        return ExportOptionsDialog(
            self.window,
            spec.what,
            coders=[(name, f"{name} ({n} spans)") for name, n in coders.list_coders(self.project)],
            documents=[(d.name, d.name) for d in documents.list_documents(self.project)],
            codes=[(c.key, paths.get(c.key, c.name)) for c in book.iter_codes() if c.codable],
            attributes_option=spec.attributes,
            flavour_option=fmt == "qdpx",
        )

    def export_dialog(self, fmt: str) -> None:
        """Menu entry: filters (for span exports), then where to save, then the export."""
        if not FORMATS[fmt].spans:
            self._ask_path_and_export(fmt, None)
            return
        dialog = self.make_options_dialog(fmt)
        self.options_dialog = dialog
        dialog.accepted.connect(lambda: self._ask_path_and_export(fmt, dialog.options()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _ask_path_and_export(self, fmt: str, options: ExportOptions | None) -> Job | None:
        spec = FORMATS[fmt]
        stem = self.project.path.stem if self.project.path else "annotator"
        path = self.ask_save_path(f"Export {spec.what}", stem + spec.suggested, spec.file_filter + ";;All files (*)")
        if not path:
            return None
        if not Path(path).suffix:
            path += spec.suffix
        return self.export_to(fmt, path, options)

    def export_to(
        self, fmt: str, path: str | Path, options: ExportOptions | None = None, *, step_delay: float = 0.0
    ) -> Job | None:
        """Export to `path` in the background; None (and a message) when refused up front.

        `step_delay` (seconds per exported span) lets a test simulate a slow disk."""
        spec = FORMATS[fmt]
        options = options or ExportOptions(SpanFilter())
        try:
            out = check_output(self.project, path)  # refused before any work, as the services would
        except UserError as exc:
            self.show_problem(f"Export {spec.what}", str(exc))
            return None
        self._remember(out)
        work = {
            "csv": self._export_rows_work,
            "excel": self._export_rows_work,
            "jsonl": self._export_rows_work,
            "qdpx": self._export_qdpx_work,
            "qdc": self._export_qdc_work,
            "yaml": self._export_yaml_work,
        }[fmt](fmt, out, options)
        return self.start(
            Job(f"Exporting {spec.what}…", work, self, step_delay=step_delay),
            self._exported,
            f"Export {spec.what} failed",
        )

    def _exported(self, result: str | tuple[str, list[str]]) -> None:
        """The summary in the status bar; what had to be left out, if anything, in a report."""
        summary, left_out = (result, []) if isinstance(result, str) else result
        self.window.statusBar().showMessage(summary, 10000)
        if left_out:
            self.report_dialog = self._report("Exported with spans left out", summary, left_out)

    def _export_rows_work(self, fmt: str, out: Path, options: ExportOptions) -> Callable[[JobContext], str]:
        project, flt, attributes = self.project, options.flt, options.attributes

        def work(ctx: JobContext) -> str:
            ctx.stage("Preparing the export…")
            total = estimate_spans(project, flt)
            ctx.set_total(total)
            ctx.stage(f"Writing {out.name}…")
            n = export.export_spans(
                project,
                out,
                fmt="jsonl" if fmt == "jsonl" else "csv",
                flt=flt,
                attributes=attributes,
                excel=fmt == "excel",
                # ctx.step raises Cancelled: the temporary file is removed, nothing appears
                progress=lambda count: ctx.step(count - ctx.count),
                progress_every=max(1, total // 1000),
            )
            ctx.written()
            return f"Exported {n} spans to {out}"

        return work

    def _export_qdpx_work(
        self, _fmt: str, out: Path, options: ExportOptions
    ) -> Callable[[JobContext], tuple[str, list[str]]]:
        project, flt, flavour = self.project, options.flt, options.flavour

        def work(ctx: JobContext) -> tuple[str, list[str]]:
            ctx.stage(f"Collecting documents, codes and spans, writing {out.name}…")
            result = refi_export.export_qdpx(project, out, flt, flavour=flavour)
            ctx.written()
            summary = result.summary(out)
            return summary[:1].upper() + summary[1:], result.left_out

        return work

    def _export_qdc_work(self, _fmt: str, out: Path, _options: ExportOptions) -> Callable[[JobContext], str]:
        project = self.project

        def work(ctx: JobContext) -> str:
            ctx.stage(f"Writing {out.name}…")
            n = refi_export.export_qdc(project, out)
            ctx.written()
            return f"Exported the codebook ({n} codes) to {out} (REFI-QDA 1.5)"

        return work

    def _export_yaml_work(self, _fmt: str, out: Path, _options: ExportOptions) -> Callable[[JobContext], str]:
        project = self.project

        def work(ctx: JobContext) -> str:
            ctx.stage(f"Writing {out.name}…")
            n = export.export_codebook_yaml(project, out)
            ctx.written()
            return f"Exported the codebook ({n} codes) to {out}"

        return work

    # -- import -----------------------------------------------------------------------------------
    def import_dialog(self) -> None:
        path = self.ask_open_path("Import a REFI-QDA project", QDPX_FILTER)
        if path:
            self.import_qdpx_path(path)

    def import_qdpx_path(self, path: str | Path) -> Job:
        """Read and store a .qdpx in the background; afterwards show what was added and adjusted."""
        path = Path(path)
        project = self.project
        self._remember(path)

        def work(ctx: JobContext) -> refi.RefiImportReport:
            ctx.stage(f"Reading {path.name}…")
            return refi.import_qdpx(
                project,
                path,
                storing=lambda: ctx.stage("Storing documents, codes and spans in the project…", cancellable=False),
            )

        def done(report: refi.RefiImportReport) -> None:
            self.refresh_window()
            title, summary, lines = import_report_text(path.name, report.summary(), report)
            self.report_dialog = self._report(title, summary, lines)
            self.window.statusBar().showMessage(f"{path.name}: {report.summary()}", 10000)

        return self.start(
            Job(f"Importing {path.name}…", work, self), done, f"Import of {path.name} failed (nothing imported)"
        )

    # -- merge ------------------------------------------------------------------------------------
    def merge_dialog_flow(self) -> None:
        paths = self.ask_open_paths("Merge projects into this one", PROJECT_FILTER)
        if paths:
            self.merge_paths(paths)

    def merge_paths(self, paths: Sequence[str | Path]) -> Job:
        """Dry run first; its summary (with conflicts) asks whether to go on."""
        paths = [Path(p) for p in paths]
        project = self.project

        def work(ctx: JobContext) -> merge.MergeReport:
            ctx.stage("Comparing the projects (nothing is changed yet)…")
            return merge.merge_projects(project, list(paths), allow_conflicts=True, dry_run=True)

        return self.start(
            Job("Comparing projects…", work, self),
            lambda report: self._confirm_merge(paths, report),
            "Merge not possible",
        )

    def _confirm_merge(self, paths: list[Path], report: merge.MergeReport) -> None:
        lines = report.lines()
        summary, details = lines[-1], lines[:-1]
        names = ", ".join(p.name for p in paths)
        nothing = not (report.documents_added or report.codes_added or report.coders_added or report.spans_added)
        if nothing:
            self.merge_dialog = self._report(
                "Nothing to merge", f"<b>{names}</b>: nothing new to merge. {summary}", details
            )
            return
        if report.conflicts:
            text = (
                f"<b>Merging {names}</b><br>{summary}<br><br><b>{len(report.conflicts)} conflict(s)</b>: the "
                "same coder has different spans here and there. Check with the coders first; merging anyway "
                "adds their differing spans and keeps this project's version of spans edited in both."
            )
            choices = [("allow", "Merge anyway, with conflicts"), ("cancel", "Cancel")]
            default = "cancel"
        else:
            text = f"<b>Merging {names}</b><br>{summary}<br>A backup of this project is written first."
            choices, default = [("merge", "Merge"), ("cancel", "Cancel")], "merge"
        dialog = ReportDialog(self.window, "Merge projects", text, details, choices=choices, default=default)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.chosen.connect(lambda key: key in ("merge", "allow") and self.run_merge(paths, key == "allow"))
        self.merge_dialog = dialog
        dialog.open()

    def run_merge(self, paths: Sequence[str | Path], allow_conflicts: bool = False) -> Job:
        paths = [Path(p) for p in paths]
        project = self.project

        def work(ctx: JobContext) -> merge.MergeReport:
            ctx.stage("Merging (a backup of this project is written first)…", cancellable=False)
            return merge.merge_projects(project, list(paths), allow_conflicts=allow_conflicts)

        def done(report: merge.MergeReport) -> None:
            self.refresh_window()
            lines = report.lines()
            self.report_dialog = self._report("Merged", lines[-1], lines[:-1])
            self.window.statusBar().showMessage(lines[-1], 10000)

        return self.start(Job("Merging projects…", work, self), done, "Merge refused")

    # -- running jobs -----------------------------------------------------------------------------
    def start(self, job: Job, on_success: Callable[[Any], None], failure_title: str) -> Job:
        """Run `job` behind a window-modal progress dialog with a Cancel button."""
        self._set_busy(True)
        return self.runner.start(job, lambda done: self._finished(done, on_success, failure_title))

    def _finished(self, job: Job, on_success: Callable[[Any], None], title: str) -> None:
        self._set_busy(False)
        if job.outcome == "ok":
            on_success(job.result)
        elif job.outcome == "error":
            self.show_problem(title, job.error or "failed")
        else:
            self.window.statusBar().showMessage(f"{job.title.rstrip('…')} cancelled; nothing was written", 10000)

    def _set_busy(self, busy: bool) -> None:
        ids = [*EXPORT_ACTIONS.values(), ActionId.IMPORT_QDPX, ActionId.MERGE_PROJECT]
        for action_id in ids:
            self.window.action(action_id).setEnabled(not busy)

    # -- feedback ---------------------------------------------------------------------------------
    def show_problem(self, title: str, text: str) -> None:
        """A non-blocking warning with the one-line message (no traceback), also in the status bar."""
        self.problems.append(text)
        self.window.statusBar().showMessage(text.splitlines()[0] if text else title, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setModal(False)
        box.show()
        self.problem_box = box

    def _report(self, title: str, summary: str, lines: Sequence[str]) -> ReportDialog:
        dialog = ReportDialog(self.window, title, summary, lines)
        dialog.show()
        return dialog

    def refresh_window(self) -> None:
        """New documents, codes, coders or spans: reload the models the window shows."""
        window, ctl = self.window, self.window.controller
        ctl.reload_codebook()  # also reopens the shown document with its spans
        window.refresh_documents()
        if ctl.doc_id is None:
            window.open_first_document()


def estimate_spans(project: Project, flt: SpanFilter) -> int:
    """How many spans the export will write (exact unless codes are filtered; then an upper bound)."""
    from annotator.store.services import coders, spans, status

    if flt.coders is None and flt.documents is None:
        return spans.count_spans(project)
    resolved = export.resolve_filter(project, flt)
    names = resolved.coders if resolved.coders is not None else [n for n, _ in coders.list_coders(project)]
    total = 0
    for name in names:
        for doc_id, n in status.span_counts(project, name).items():
            if resolved.document_ids is None or doc_id in resolved.document_ids:
                total += n
    return total
