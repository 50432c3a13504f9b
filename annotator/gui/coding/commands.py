"""Undoable coding actions (Qt's Undo Framework pattern).

The store is always current: the controller performs an action through a store service first (so an
error never leaves a half-done command on the stack) and then pushes a command holding what is needed to
reverse it. `redo()` skips its first call for that reason. Later `undo()`/`redo()` call the services
again; a deleted span is restored with its original id and uid (`restore_span`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from annotator.core.errors import UserError
from annotator.core.spans import SpanRecord
from annotator.store.services import spans as span_service
from annotator.store.services import status as status_service

if TYPE_CHECKING:
    from annotator.gui.coding.controller import CodingController

NUDGE_ID = 4711


class _StoreCommand(QUndoCommand):
    def __init__(self, ctl: CodingController, text: str) -> None:
        super().__init__(text)
        self.ctl = ctl
        self._done = True  # the action already happened when the command is pushed

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._guard(self.do)

    def undo(self) -> None:
        self._guard(self.reverse)

    def _guard(self, fn) -> None:  # type: ignore[no-untyped-def]
        try:
            fn()
        except UserError as exc:  # e.g. the span was deleted by another program meanwhile
            self.ctl.report_error(str(exc))
            self.setObsolete(True)

    def do(self) -> None:
        raise NotImplementedError

    def reverse(self) -> None:
        raise NotImplementedError


class AddSpanCommand(_StoreCommand):
    def __init__(self, ctl: CodingController, record: SpanRecord, label: str) -> None:
        super().__init__(ctl, f"code '{label}'")
        self.record = record

    def do(self) -> None:
        self.ctl.span_added(span_service.restore_span(self.ctl.project, self.record, acting_coder=self.ctl.coder))

    def reverse(self) -> None:
        self.ctl.span_removed(
            span_service.delete_span(self.ctl.project, self.record.id or 0, acting_coder=self.ctl.coder)
        )


class DeleteSpanCommand(_StoreCommand):
    def __init__(self, ctl: CodingController, record: SpanRecord, label: str) -> None:
        super().__init__(ctl, f"delete '{label}' span")
        self.record = record

    def do(self) -> None:
        self.ctl.span_removed(
            span_service.delete_span(self.ctl.project, self.record.id or 0, acting_coder=self.ctl.coder)
        )

    def reverse(self) -> None:
        self.ctl.span_added(span_service.restore_span(self.ctl.project, self.record, acting_coder=self.ctl.coder))


class UpdateSpanCommand(_StoreCommand):
    """Code, boundaries or memo changed. Consecutive nudges of one span merge into one undo step."""

    def __init__(
        self, ctl: CodingController, before: SpanRecord, after: SpanRecord, text: str, *, nudge: bool = False
    ) -> None:
        super().__init__(ctl, text)
        self.before, self.after, self.nudge = before, after, nudge

    def _apply(self, r: SpanRecord) -> None:
        _, now = span_service.update_span(
            self.ctl.project,
            r.id or 0,
            acting_coder=self.ctl.coder,
            code_key=r.code_key,
            start=r.start,
            end=r.end,
            memo=r.memo,
        )
        self.ctl.span_changed(now)

    def do(self) -> None:
        self._apply(self.after)

    def reverse(self) -> None:
        self._apply(self.before)

    def id(self) -> int:
        return NUDGE_ID if self.nudge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, UpdateSpanCommand) or not other.nudge or other.after.id != self.after.id:
            return False
        self.after = other.after
        return True


class StatusCommand(_StoreCommand):
    def __init__(self, ctl: CodingController, doc_id: int, coder: str, before: str, after: str) -> None:
        super().__init__(ctl, "mark done" if after == "done" else f"mark {after.replace('_', ' ')}")
        self.doc_id, self.coder, self.before, self.after = doc_id, coder, before, after

    def do(self) -> None:
        status_service.set_status(self.ctl.project, self.doc_id, self.coder, self.after)
        self.ctl.status_changed(self.doc_id)

    def reverse(self) -> None:
        status_service.set_status(self.ctl.project, self.doc_id, self.coder, self.before)
        self.ctl.status_changed(self.doc_id)
