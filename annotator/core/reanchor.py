"""Re-anchoring spans when a document's text is replaced by a corrected version.

A span is (id, start, end) in code points of the old text; spans of every coder, overlapping or not, and
gold spans are all handled alike. Offsets are mapped through the character alignment of the two texts
(`annotator.core.text_diff.align`), and every span lands in exactly one of three lists, so none can
disappear silently:

* **moved** - the passage is unchanged, and the new offsets hold exactly its old text (checked, not
  assumed). Unchanged means one of:
  - its characters survive the diff as one equal run;
  - the diff split it, but near its old place (within AMBIGUITY_MARGIN + its length on each side) the new
    text holds the passage whole, and either it occurs exactly once in both neighbourhoods or aligning
    it whole costs no more edits than the diff's own alignment there. A diff is ambiguous about
    repeated text: an insertion of "the " before "the threat" can sit on either side of the span's
    edge, and in "threat threat" the cheapest diff may pair the letters of a passage with the other
    copy of the word;
  - none of its characters survive, but its exact text occurs exactly once in the old text and exactly
    once in the new text: the passage was moved elsewhere (a reordered paragraph comes out of a diff
    as deleted and inserted). Each such search reads both texts; once RELOCATE_BUDGET characters have
    been read, the remaining spans are not searched (a revision that rewrote everything has nothing
    to relocate).
* **changed** - some characters of the passage survive but not as one run: text inside it was edited.
  Its start and end are mapped through the diff. An edge on a surviving character moves with it. An
  edge in deleted text moves inwards to the nearest surviving character of the passage, except that
  when the span covers a replaced piece up to its edge (the edge sits exactly where the replaced text
  began, or ended), the replacement is taken into the span. Text inserted exactly at an edge stays
  outside. The span is flagged "text changed" for a coder to review; the old text is reported with it.
* **lost** - no character of the passage survives: it was deleted or rewritten. It is reported with
  its original offsets and text, never dropped, until a coder re-places or deletes it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rapidfuzz.distance import Indel

from annotator.core.text_diff import Alignment, align

K = TypeVar("K", bound=Hashable)

# How far beyond a changed span's edges an equally cheap alignment keeping it whole is looked for.
AMBIGUITY_MARGIN = 64
# An ambiguity window is only examined up to this many characters per side.
MAX_WINDOW = 4_096
MAX_OCCURRENCES = 32
# Characters that relocating spans without survivors may read in all (see the module docstring).
RELOCATE_BUDGET = 200_000_000


@dataclass(frozen=True)
class MovedSpan(Generic[K]):
    """A span whose passage is unchanged: new_text[start:end] == old_text[old_start:old_end]."""

    id: K
    old_start: int
    old_end: int
    start: int
    end: int


@dataclass(frozen=True)
class ChangedSpan(Generic[K]):
    """A span whose passage was edited; moved to where its surviving edges map, flagged "text changed"."""

    id: K
    old_start: int
    old_end: int
    start: int
    end: int
    old_text: str
    text: str


@dataclass(frozen=True)
class LostSpan(Generic[K]):
    """A span whose passage was deleted: kept with its original offsets and text."""

    id: K
    old_start: int
    old_end: int
    old_text: str


@dataclass(frozen=True)
class Summary:
    """Counts for the command's output: every span is counted once."""

    moved: int
    changed: int
    lost: int

    @property
    def total(self) -> int:
        return self.moved + self.changed + self.lost

    def as_dict(self) -> dict[str, int]:
        return {"moved": self.moved, "changed": self.changed, "lost": self.lost, "total": self.total}

    def __str__(self) -> str:
        return f"{self.moved} moved, {self.changed} changed (text changed), {self.lost} lost"


@dataclass
class Reanchoring(Generic[K]):
    """The outcome for every span, each list in input order."""

    moved: list[MovedSpan[K]] = field(default_factory=list)
    changed: list[ChangedSpan[K]] = field(default_factory=list)
    lost: list[LostSpan[K]] = field(default_factory=list)

    def summary(self) -> Summary:
        return Summary(len(self.moved), len(self.changed), len(self.lost))

    def to_json(self) -> dict[str, object]:
        """JSON-ready form (for `--dry-run --json` and review lists)."""
        return {
            "summary": self.summary().as_dict(),
            "moved": [vars(s) for s in self.moved],
            "changed": [vars(s) for s in self.changed],
            "lost": [vars(s) for s in self.lost],
        }


def reanchor(
    old: str, new: str, spans: Iterable[tuple[K, int, int]], alignment: Alignment | None = None
) -> Reanchoring[K]:
    """Map spans (id, start, end) of `old` onto `new` (see the module docstring for the three outcomes).

    Pass `alignment` (from `align(old, new)`) to reuse one diff for several calls. Raises ValueError for
    a span that does not fit the old text: the caller's data is wrong and nothing may be guessed.
    """
    al = alignment if alignment is not None else align(old, new)
    if (al.old_length, al.new_length) != (len(old), len(new)):
        raise ValueError("the alignment was computed for other texts")
    records: list[MovedSpan[K] | ChangedSpan[K] | LostSpan[K]] = []
    budget = RELOCATE_BUDGET
    for span_id, start, end in spans:
        if not 0 <= start < end <= len(old):
            raise ValueError(f"span {span_id!r}: ({start}, {end}) is not a span of a {len(old)}-character text")
        record = _place(old, new, al, span_id, start, end)
        if isinstance(record, LostSpan) and budget >= len(old) + len(new):
            budget -= len(old) + len(new)
            found = _relocate(record.old_text, old, new)
            if found is not None:
                record = MovedSpan(span_id, start, end, found, found + end - start)
        records.append(record)
    out: Reanchoring[K] = Reanchoring()
    for record in records:
        if isinstance(record, MovedSpan):
            out.moved.append(record)
        elif isinstance(record, ChangedSpan):
            out.changed.append(record)
        else:
            out.lost.append(record)
    return out


def _place(
    old: str, new: str, al: Alignment, span_id: K, start: int, end: int
) -> MovedSpan[K] | ChangedSpan[K] | LostSpan[K]:
    """The span's outcome through the diff (relocation aside)."""
    new_start = al.equal_run(start, end)
    if new_start is None and al.survivors(start, end):
        new_start = _kept_whole(old, new, al, start, end)
    if new_start is not None:
        new_end = new_start + end - start
        if new[new_start:new_end] != old[start:end]:  # the alignment's contract; never trust it blindly
            raise AssertionError(f"span {span_id!r}: moved text differs")
        return MovedSpan(span_id, start, end, new_start, new_end)
    if not al.survivors(start, end):
        return LostSpan(span_id, start, end, old[start:end])
    new_start, new_end = al.map_start(start), al.map_end(end)
    return ChangedSpan(span_id, start, end, new_start, new_end, old[start:end], new[new_start:new_end])


def _relocate(passage: str, old: str, new: str) -> int | None:
    """Start of the passage in `new` when it occurs exactly once in each text, else None."""
    if _only(old, passage) is None:
        return None
    return _only(new, passage)


def _only(text: str, passage: str) -> int | None:
    at = text.find(passage)
    if at < 0 or text.find(passage, at + 1) >= 0:
        return None
    return at


def _kept_whole(old: str, new: str, al: Alignment, start: int, end: int) -> int | None:
    """Where old[start:end] can be kept as one equal run although the diff split it (see the module
    docstring), or None.

    The window reaches AMBIGUITY_MARGIN + the span's length beyond each edge, widened to aligned offsets, so
    any alignment inside it fits the rest of the diff. Each occurrence of the passage in the new window
    is tried; the cheapest wins (the one nearest the mapped start on a tie).
    """
    passage = old[start:end]
    reach = AMBIGUITY_MARGIN + end - start
    a0, b0 = al.aligned_before(max(0, start - reach))
    a1, b1 = al.aligned_after(min(len(old), end + reach))
    if a1 - a0 > MAX_WINDOW or b1 - b0 > MAX_WINDOW:
        return None
    found = new.find(passage, b0, b1)
    if found < 0:
        return None
    once_new = new.find(passage, found + 1, b1) < 0
    if once_new and old.find(passage, a0, a1) == start and old.find(passage, start + 1, a1) < 0:
        return found  # once in each neighbourhood: the same passage
    # Indel cost of the diff's alignment inside the window: everything not matched is deleted or inserted.
    ours = (a1 - a0) + (b1 - b0) - 2 * al.survivors(a0, a1)
    target = al.map_start(start)
    best: tuple[int, int, int] | None = None
    tries = 0
    while found >= 0 and tries < MAX_OCCURRENCES:
        cost = Indel.distance(old[a0:start], new[b0:found]) + Indel.distance(old[end:a1], new[found + end - start : b1])
        if cost <= ours:
            key = (cost, abs(found - target), found)
            if best is None or key < best:
                best = key
        tries += 1
        found = new.find(passage, found + 1, b1)
    return None if best is None else best[2]
