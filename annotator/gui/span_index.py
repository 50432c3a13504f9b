"""Interval index over the spans of one document, in Qt positions (no Qt import: plain data).

Each highlighted block and each repaint of the stripes margin asks "which spans touch [a, b)?". Spans are
kept sorted by start with a running maximum of their ends, so a query is a binary search plus a short
backward walk. Very long spans (longer than LONG units) would make the running maximum useless, so they
live in a separate short list that is scanned linearly.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

LONG = 4000


@dataclass(frozen=True)
class Entry:
    """A span as the view needs it: Qt positions, colour and identity."""

    start: int
    end: int
    span_id: int
    color: str
    coder: str
    code_key: str


class SpanIndex:
    """Sorted starts + running max end; rebuilt on change (10,000 spans rebuild in a few ms)."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._by_id: dict[int, Entry] = {e.span_id: e for e in entries}
        self._rebuild()

    def _rebuild(self) -> None:
        short = sorted((e for e in self._by_id.values() if e.end - e.start <= LONG), key=self._key)
        self._short = short
        self._starts = [e.start for e in short]
        running = -1
        self._max_end: list[int] = []
        for e in short:
            running = max(running, e.end)
            self._max_end.append(running)
        self._long = [e for e in self._by_id.values() if e.end - e.start > LONG]

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, span_id: int) -> bool:
        return span_id in self._by_id

    def get(self, span_id: int) -> Entry | None:
        return self._by_id.get(span_id)

    def entries(self) -> list[Entry]:
        return list(self._short) + self._long

    @staticmethod
    def _key(e: Entry) -> tuple[int, int, int]:
        return (e.start, e.end, e.span_id)

    def _insert(self, entry: Entry) -> None:
        if entry.end - entry.start > LONG:
            self._long.append(entry)
            return
        i = bisect.bisect_left(self._short, self._key(entry), key=self._key)
        self._short.insert(i, entry)
        self._starts.insert(i, entry.start)
        max_end = self._max_end
        max_end.insert(i, max(max_end[i - 1] if i > 0 else -1, entry.end))
        # Later prefixes grow to entry.end until one already reaches it; from there nothing changes.
        j = i + 1
        while j < len(max_end) and max_end[j] < entry.end:
            max_end[j] = entry.end
            j += 1

    def _delete(self, entry: Entry) -> None:
        if entry.end - entry.start > LONG:
            self._long.remove(entry)
            return
        i = bisect.bisect_left(self._short, self._key(entry), key=self._key)
        del self._short[i]
        del self._starts[i]
        del self._max_end[i]
        # Recompute prefixes until one agrees with the stored value: the rest then agree too.
        running = self._max_end[i - 1] if i > 0 else -1
        for j in range(i, len(self._short)):
            running = max(running, self._short[j].end)
            if self._max_end[j] == running:
                break
            self._max_end[j] = running

    def put(self, entry: Entry) -> Entry | None:
        """Add or replace an entry (O(n) list moves, no re-sort); returns the replaced one."""
        old = self._by_id.get(entry.span_id)
        if old is not None:
            self._delete(old)
        self._by_id[entry.span_id] = entry
        self._insert(entry)
        return old

    def remove(self, span_id: int) -> Entry | None:
        old = self._by_id.pop(span_id, None)
        if old is not None:
            self._delete(old)
        return old

    def query(self, start: int, end: int) -> list[Entry]:
        """Entries with e.start < end and e.end > start, ordered by (start, end)."""
        found: list[Entry] = []
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self._max_end[i] > start:
            e = self._short[i]
            if e.end > start:
                found.append(e)
            i -= 1
        found.reverse()
        found.extend(e for e in self._long if e.start < end and e.end > start)
        if self._long:
            found.sort(key=lambda e: (e.start, e.end, e.span_id))
        return found

    def at(self, pos: int) -> list[Entry]:
        """Entries covering position `pos` (the character at pos)."""
        return self.query(pos, pos + 1)
