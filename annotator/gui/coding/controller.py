"""The coding controller: the one object that turns user intentions into store services and view updates.

Widgets call methods here; methods call `annotator.store.services` (each call is one committed
transaction), push an undo command, and update the view and models for just what changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.core.codebook import Code, Codebook
from annotator.core.errors import UserError
from annotator.core.span_table import LiveSpans, SpanTable
from annotator.core.spans import SpanRecord, snap_to_words
from annotator.gui.coding import palette
from annotator.gui.coding.commands import AddSpanCommand, DeleteSpanCommand, StatusCommand, UpdateSpanCommand
from annotator.gui.coding.document_view import DocumentView
from annotator.gui.coding.span_index import Entry
from annotator.gui.coding.spans_model import SpansModel
from annotator.store.engine import Project
from annotator.store.services import codebooks as codebook_service
from annotator.store.services import documents as document_service
from annotator.store.services import spans as span_service
from annotator.store.services import status as status_service
from annotator.store.services.gui_support import document_spans

CODER_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


class CodingController(QObject):
    message = Signal(str)  # status-bar text
    documentOpened = Signal(object)  # document id or None
    selectedSpanChanged = Signal(object)  # span id or None
    codebookChanged = Signal()
    coderChanged = Signal(str)
    viewChanged = Signal()  # blind coding / supervisor view or its coders changed: indicators follow
    documentsChanged = Signal()  # list/status/counts changed: re-read them
    spanCountChanged = Signal(int, str, int)  # document id, coder, +1/-1: adjust without a query

    def __init__(self, project: Project, coder: str, view: DocumentView, spans_model: SpansModel) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.view = view
        self.spans_model = spans_model
        self.undo_stack = QUndoStack(self)
        self.book: Codebook = Codebook(title="No codebook")
        self.codes: dict[str, Code] = {}
        self.paths: dict[str, str] = {}
        self.doc_id: int | None = None
        self.text = ""
        self.spans = LiveSpans()  # the spans shown: the document's SpanTable plus the changes since
        self.shown_coders: list[str] | None = None  # None = blind coding (only self.coder)
        self.last_code: str | None = None
        self.snap = False
        self.ask_memo: Callable[[str, str], str | None] = lambda _title, _memo: None
        self.errors: list[str] = []
        self.coder_palette: dict[str, str] = {}
        self.colour_blind = False  # View > colour-blind-safe colours: display only, the codebook keeps its own
        self.shown_book: Codebook = self.book  # the codebook as displayed (its colours may be the palette's)
        spans_model.code_name = self.code_name
        spans_model.code_color = lambda key: self.view.colors.get(key, "#cccccc")
        view.tooltip_for = self.tooltip
        view.stripes.code_name = self.code_name
        view.stripes.coder_color = self.coder_color
        view.spanClicked.connect(lambda sid: self.choose_span(sid, scroll=False))
        self.reload_codebook()

    # -- helpers ----------------------------------------------------------------------------------
    def code_name(self, key: str) -> str:
        code = self.codes.get(key)
        return code.name if code else key

    def coder_color(self, name: str) -> str:
        if name not in self.coder_palette:
            self.coder_palette[name] = CODER_COLORS[len(self.coder_palette) % len(CODER_COLORS)]
        return self.coder_palette[name]

    def visible_coders(self) -> list[str]:
        return [self.coder] if self.shown_coders is None else list(self.shown_coders)

    @property
    def supervisor(self) -> bool:
        return self.shown_coders is not None

    def report_error(self, text: str) -> None:
        self.errors.append(text)
        self.message.emit(text)

    def tooltip(self, entries: list[Entry]) -> str:
        lines = []
        for e in entries:
            r = self.spans.get(e.span_id)
            line = f"{self.code_name(e.code_key)} — {e.coder}"
            if r is not None and r.memo:
                line += f"\n    memo: {r.memo}"
            lines.append(line)
        return "\n".join(lines)

    # -- codebook and documents -------------------------------------------------------------------
    def reload_codebook(self) -> None:
        self.book = codebook_service.get_codebook(self.project)
        self.codes = {c.key: c for c in self.book.iter_codes()}
        self.paths = codebook_service.code_path(self.book)
        self._show_colours()
        if self.last_code not in self.codes:
            self.last_code = None
        self.codebookChanged.emit()
        self.refresh_spans()  # new colours and names; the text, its scroll position and selection stay

    def open_document(self, doc_id: int | None) -> None:
        """Show a document with the spans of the visible coders (one query, one highlight pass)."""
        self.doc_id = doc_id
        if doc_id is None:
            self.text, table = "", SpanTable.empty()
        else:
            self.text = document_service.document_text(self.project, doc_id)
            # Columns, not records: the view, the table and `spans` build a SpanRecord only for the spans
            # shown or touched, so 100,000 spans open about as fast as 10,000.
            table = document_spans(self.project, doc_id, self.visible_coders())
        self.spans = LiveSpans(table)
        self.view.load(self.text, table)
        self.spans_model.set_spans(table, self.text)
        self.selectedSpanChanged.emit(None)
        self.documentOpened.emit(doc_id)

    def _show_colours(self) -> None:
        if self.colour_blind:
            colours = palette.colour_blind_colours(self.book)
            self.shown_book = palette.with_colours(self.book, colours)
        else:
            colours, self.shown_book = {k: c.color for k, c in self.codes.items()}, self.book
        self.view.set_colors(colours)

    def set_colour_blind(self, on: bool) -> None:
        """Show the colour-blind-safe palette instead of the codebook's colours (the codebook is unchanged)."""
        self.colour_blind = on
        self._show_colours()
        self.codebookChanged.emit()
        self.refresh_spans()

    def refresh_spans(self) -> None:
        """Read the shown document's spans again without reloading its text: scroll position, selected
        text and the selected span (if still shown) stay as they are."""
        if self.doc_id is None:
            return
        table = document_spans(self.project, self.doc_id, self.visible_coders())
        selected = self.view.selected_span_id
        self.spans = LiveSpans(table)
        self.view.set_spans(table)
        self.spans_model.set_spans(table, self.text)
        self.select_span(selected if selected is not None and self.spans.get(selected) else None, scroll=False)

    def set_project(self, project: Project) -> None:
        """Switch to another project: nothing of the old one (undo history included) carries over."""
        from annotator.store.services.coders import ensure_coder

        self.project = project
        self.undo_stack.clear()
        self.doc_id = None
        ensure_coder(project, self.coder)
        self.reload_codebook()
        self.documentsChanged.emit()
        self.open_document(None)

    def set_coder(self, name: str) -> None:
        from annotator.store.services.coders import ensure_coder

        self.coder = ensure_coder(self.project, name)
        self.undo_stack.clear()
        self.coderChanged.emit(self.coder)
        self.documentsChanged.emit()
        self.open_document(self.doc_id)

    def show_coders(self, coders: list[str] | None) -> None:
        """None = blind coding (own spans only); a list = supervisor view of those coders."""
        self.shown_coders = None if coders is None else list(dict.fromkeys(coders))
        self.view.stripes.show_coders = self.supervisor
        self.refresh_spans()
        self.viewChanged.emit()

    # -- selection --------------------------------------------------------------------------------
    def selected_span(self) -> SpanRecord | None:
        sid = self.view.selected_span_id
        return self.spans.get(sid) if sid is not None else None

    def select_span(self, span_id: int | None, *, scroll: bool = True) -> None:
        self.view.select_span(span_id, scroll=scroll)
        self.selectedSpanChanged.emit(span_id)

    def choose_span(self, span_id: int | None, *, scroll: bool = False) -> None:
        """The coder clicked a span (bar, table row, passage): it is the target of the next key.

        A text selection left over from coding would otherwise win over the click (a code key codes the
        selection first), so it is cleared here.
        """
        self.view.clear_text_selection()
        self.select_span(span_id, scroll=scroll)
        record = self.spans.get(span_id) if span_id is not None else None
        if record is not None:
            whose = "" if record.coder == self.coder else f" by {record.coder}"
            keys = "press a code's key to recode it, Del to delete it" if not whose else "read only"
            self.message.emit(f"Selected the {self.code_name(record.code_key)} span{whose}: {keys}")

    def _own(self, record: SpanRecord | None) -> SpanRecord | None:
        if record is None:
            self.message.emit("No span selected: click a bar in the stripes margin or a row in the spans table")
            return None
        if record.coder != self.coder:
            self.message.emit(f"This span belongs to {record.coder}; coders change only their own spans")
            return None
        return record

    # -- coding actions ---------------------------------------------------------------------------
    def code_selection(self, code_key: str) -> SpanRecord | None:
        """Apply a code: to the selected text if any, else recode the selected span."""
        code = self.codes.get(code_key)
        if code is None or not code.codable:
            self.message.emit(f"'{code.name if code else code_key}' is a grouping; choose one of its codes")
            return None
        selection = self.view.selection_range()
        if selection is None:
            if self.view.selected_span_id is not None:
                return self.change_code(self.view.selected_span_id, code_key)
            self.message.emit("Select a passage first, then press a code's key")
            return None
        if self.doc_id is None:
            return None
        start, end = selection
        if self.snap:
            start, end = snap_to_words(self.text, start, end)
        if end <= start:
            self.message.emit("The selection holds no words to code")
            return None
        try:
            record = span_service.add_span(
                self.project, document_id=self.doc_id, acting_coder=self.coder, code_key=code_key, start=start, end=end
            )
        except UserError as exc:
            self.report_error(str(exc))
            return None
        self.last_code = code_key
        self.span_added(record)
        self.undo_stack.push(AddSpanCommand(self, record, code.name))
        self.message.emit(f"Coded {end - start} characters as {code.name}")
        return record

    def repeat_last_code(self) -> SpanRecord | None:
        if self.last_code is None:
            self.message.emit("No code used yet: press a code's key first ('.' then repeats it)")
            return None
        return self.code_selection(self.last_code)

    def change_code(self, span_id: int, code_key: str) -> SpanRecord | None:
        record = self._own(self.spans.get(span_id))
        if record is None or record.code_key == code_key:
            return record
        code = self.codes.get(code_key)
        if code is None or not code.codable:
            self.message.emit("Choose a codable code")
            return None
        self.last_code = code_key
        old = self.code_name(record.code_key)
        after = self._update(record, f"recode as '{code.name}'", code_key=code_key)
        if after is not None:
            self.message.emit(f"Recoded the span from {old} to {code.name} (Ctrl+Z undoes it)")
        return after

    def _update(self, record: SpanRecord, text: str, *, nudge: bool = False, **changes: object) -> SpanRecord | None:
        try:
            before, after = span_service.update_span(
                self.project,
                record.id or 0,
                acting_coder=self.coder,
                **changes,  # type: ignore[arg-type]
            )
        except UserError as exc:
            self.report_error(str(exc))
            return None
        self.span_changed(after)
        self.undo_stack.push(UpdateSpanCommand(self, before, after, text, nudge=nudge))
        return after

    def set_bounds_to_selection(self, span_id: int | None = None) -> SpanRecord | None:
        record = self._own(self.spans.get(span_id if span_id is not None else self.view.selected_span_id or -1))
        selection = self.view.selection_range()
        if record is None or selection is None:
            if record is not None:
                self.message.emit("Select the new passage first")
            return None
        start, end = snap_to_words(self.text, *selection) if self.snap else selection
        return self._update(record, "change span boundaries", start=start, end=end)

    def nudge(self, edge: str, delta: int, unit: str = "grapheme") -> SpanRecord | None:
        """Move the selected span's start or end one character (grapheme cluster: a flag or an accented
        letter moves as one) or, with unit="word", to the previous/next word start or end; `delta` gives
        the direction. Consecutive nudges merge into one undo step."""
        record = self._own(self.selected_span())
        if record is None:
            return None
        positions = self.view.positions
        start, end = record.start, record.end
        if edge == "start":
            moved = positions.step(start, delta > 0, unit, "start")
            start = moved if moved < end else start
        else:
            moved = positions.step(end, delta > 0, unit, "end")
            end = moved if moved > start else end
        if (start, end) == (record.start, record.end):
            return record
        return self._update(record, "adjust span boundaries", nudge=True, start=start, end=end)

    def edit_memo(self, span_id: int | None = None) -> SpanRecord | None:
        record = self._own(self.spans.get(span_id if span_id is not None else self.view.selected_span_id or -1))
        if record is None:
            return None
        passage = " ".join(self.text[record.start : record.end].split())[:80]
        memo = self.ask_memo(f"Memo for {self.code_name(record.code_key)}: “{passage}”", record.memo)
        if memo is None or memo == record.memo:
            return record
        return self._update(record, "edit memo", memo=memo)

    def delete_span(self, span_id: int | None = None) -> SpanRecord | None:
        record = self._own(self.spans.get(span_id if span_id is not None else self.view.selected_span_id or -1))
        if record is None:
            return None
        try:
            deleted = span_service.delete_span(self.project, record.id or 0, acting_coder=self.coder)
        except UserError as exc:
            self.report_error(str(exc))
            return None
        self.span_removed(deleted)
        self.undo_stack.push(DeleteSpanCommand(self, deleted, self.code_name(deleted.code_key)))
        self.message.emit(f"Deleted the {self.code_name(deleted.code_key)} span (Ctrl+Z brings it back)")
        return deleted

    def set_done(self, done: bool = True) -> None:
        if self.doc_id is None:
            return
        after = "done" if done else "in_progress"
        before = status_service.set_status(self.project, self.doc_id, self.coder, after)
        if before != after:
            self.undo_stack.push(StatusCommand(self, self.doc_id, self.coder, before, after))
        self.status_changed(self.doc_id)

    def is_done(self) -> bool:
        if self.doc_id is None:
            return False
        return status_service.statuses(self.project, self.coder).get(self.doc_id) == "done"

    # -- notifications from commands (the store already changed) ----------------------------------
    def _show_doc(self, doc_id: int) -> bool:
        """Make sure doc_id is the shown document; True if it was already shown."""
        if doc_id == self.doc_id:
            return True
        self.open_document(doc_id)
        return False

    def span_changed(self, record: SpanRecord) -> None:
        """Show a new or changed span: only its blocks are re-highlighted, one table row changes."""
        if self._show_doc(record.document_id) and record.coder in self.visible_coders():
            self.spans.put(record)
            self.view.put_span(record)
            self.spans_model.upsert(record)
        self.select_span(record.id, scroll=False)

    def span_added(self, record: SpanRecord) -> None:
        self.span_changed(record)
        self.spanCountChanged.emit(record.document_id, record.coder, 1)

    def span_removed(self, record: SpanRecord) -> None:
        if self._show_doc(record.document_id):
            self.spans.remove(record.id or 0)
            self.view.remove_span(record.id or 0)
            self.spans_model.remove(record.id or 0)
        self.spanCountChanged.emit(record.document_id, record.coder, -1)
        self.selectedSpanChanged.emit(self.view.selected_span_id)

    def status_changed(self, doc_id: int) -> None:
        self.documentsChanged.emit()
