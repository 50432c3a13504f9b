"""Spans as plain records, shared by the store, the GUI, agreement and export (no Qt, no database)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple


@dataclass(frozen=True)
class SpanRecord:
    """A coded passage: `text[start:end]` of document `document_id`, coded `code_key` by `coder`.

    Offsets are 0-based, end-exclusive code-point offsets into the stored document text.
    `uid` is globally unique and survives export, import and merging; `id` is local to one project.
    """

    id: int | None
    uid: str
    document_id: int
    document: str
    coder: str
    code_key: str
    start: int
    end: int
    memo: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def with_changes(self, **changes: object) -> SpanRecord:
        return replace(self, **changes)  # type: ignore[arg-type]

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


def check_offsets(text_length: int, start: int, end: int) -> str | None:
    """Why (start, end) is not a valid span of a text of this length, or None if it is."""
    if start < 0 or end < 0:
        return f"offsets must not be negative (start={start}, end={end})"
    if end <= start:
        return f"end ({end}) must be greater than start ({start})"
    if end > text_length:
        return f"end ({end}) is beyond the document's length ({text_length} characters)"
    return None


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen (start, end) to whole words, then trim surrounding whitespace: the 'snap to words' option."""

    def is_word(ch: str) -> bool:
        return ch.isalnum() or ch in "_'’-" or ch.isalpha() or _is_mark(ch)

    while start > 0 and start < len(text) and is_word(text[start - 1]) and is_word(text[start]):
        start -= 1
    while end < len(text) and end > 0 and is_word(text[end - 1]) and is_word(text[end]):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_mark(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch).startswith("M")


class SpanRow(NamedTuple):
    """One span as read from a file, before it is checked against a project.

    `row` is the record's number in the source file (header = 1), for error messages. A named tuple:
    an import builds a million of them.
    """

    row: int
    document: str
    coder: str
    code: str
    start: int
    end: int
    memo: str = ""
    text: str | None = None
    uid: str | None = None
