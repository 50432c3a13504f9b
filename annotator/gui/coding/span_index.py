"""Interval index over the spans of one document, in Qt positions (no Qt import: plain data + numpy).

Each highlighted block and each repaint of the stripes margin asks "which spans touch [a, b)?".

Opening a document must not cost Python work per span, so the spans given at load time (a `SpanTable`,
already in position order) stay in numpy arrays: starts in order with a running maximum of their ends,
so a query is two binary searches and one vectorised mask. `Entry` objects are made (and cached) only
for the spans a query returns, i.e. those on screen. Spans added or changed later go to a small sorted
overlay (insertion by bisect, no re-sort); a loaded span that is replaced or removed is marked dead.
Very long spans (longer than LONG units) would make the running maximum useless, so they live in
separate short arrays/lists that are scanned linearly.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from annotator.core.span_table import IntArray, SpanTable

LONG = 4000
FALLBACK_COLOR = "#cccccc"  # a code the codebook does not (or no longer) have


@dataclass(frozen=True)
class Entry:
    """A span as the view needs it: Qt positions, colour and identity."""

    start: int
    end: int
    span_id: int
    color: str
    coder: str
    code_key: str


def _key(e: Entry) -> tuple[int, int, int]:
    return (e.start, e.end, e.span_id)


class SpanIndex:
    """The loaded `SpanTable` in numpy arrays of Qt positions + an overlay of later changes (bisect-sorted)."""

    def __init__(
        self,
        table: SpanTable | None = None,
        q_starts: IntArray | None = None,
        q_ends: IntArray | None = None,
        colors: Mapping[str, str] | None = None,
    ) -> None:
        """Index `table`; `q_starts`/`q_ends` are its offsets in Qt positions (default: the stored offsets,
        right for text without astral characters); `colors` maps code keys to colours. Nothing per span
        happens in Python until a query touches it."""
        self.table = table = table if table is not None else SpanTable.empty()
        starts = table.starts if q_starts is None else np.asarray(q_starts, np.int64)
        ends = table.ends if q_ends is None else np.asarray(q_ends, np.int64)
        self._q_starts, self._q_ends = starts, ends
        self._colors: Mapping[str, str] = colors if colors is not None else {}
        self._cache: dict[int, Entry] = {}  # table row -> its entry, built when a query first returns it
        self._dead: set[int] = set()  # table rows replaced or removed since loading
        long = (ends - starts) > LONG
        # The table is in position order, so the short spans' starts are already sorted.
        self._order = np.flatnonzero(~long) if long.any() else np.arange(len(table))
        self._long_k = np.flatnonzero(long)
        self._long_s, self._long_e = starts[self._long_k], ends[self._long_k]
        self._starts, self._ends = starts[self._order], ends[self._order]
        self._max_end = np.maximum.accumulate(self._ends) if len(self._ends) else self._ends
        # The overlay: entries put after loading.
        self._by_id: dict[int, Entry] = {}
        self._short: list[Entry] = []
        self._short_starts: list[int] = []
        self._short_max_end: list[int] = []
        self._long: list[Entry] = []

    def _entry(self, k: int) -> Entry:
        e = self._cache.get(k)
        if e is None:
            code_key = self.table.code_key(k)
            e = self._cache[k] = Entry(
                int(self._q_starts[k]),
                int(self._q_ends[k]),
                int(self.table.ids[k]),
                self._colors.get(code_key, FALLBACK_COLOR),
                self.table.coder(k),
                code_key,
            )
        return e

    def _find(self, span_id: int) -> int | None:
        """Table row of a live (not replaced or removed) loaded span."""
        k = self.table.row_of(span_id)
        return None if k is None or k in self._dead else k

    def _query_table(self, start: int, end: int) -> list[Entry]:
        hi = int(np.searchsorted(self._starts, end, "left"))
        lo = int(np.searchsorted(self._max_end, start, "right"))
        ks: list[int] = []
        if hi > lo:
            sel = np.flatnonzero(self._ends[lo:hi] > start)
            ks = self._order[lo:hi][sel].tolist()
        if len(self._long_k):
            ks += self._long_k[(self._long_s < end) & (self._long_e > start)].tolist()
        dead = self._dead
        return [self._entry(k) for k in ks if k not in dead]

    def __len__(self) -> int:
        return len(self.table) - len(self._dead) + len(self._by_id)

    def __contains__(self, span_id: int) -> bool:
        return self.get(span_id) is not None

    def get(self, span_id: int) -> Entry | None:
        e = self._by_id.get(span_id)
        if e is not None:
            return e
        k = self._find(span_id)
        return None if k is None else self._entry(k)

    def entries(self) -> list[Entry]:
        """Every entry (builds them all: for tests and small documents, not for painting)."""
        found = [self._entry(k) for k in range(len(self.table)) if k not in self._dead]
        found += self._short + self._long
        found.sort(key=_key)
        return found

    # -- the overlay ------------------------------------------------------------------------------
    def _insert(self, entry: Entry) -> None:
        if entry.end - entry.start > LONG:
            self._long.append(entry)
            return
        i = bisect.bisect_left(self._short, _key(entry), key=_key)
        self._short.insert(i, entry)
        self._short_starts.insert(i, entry.start)
        max_end = self._short_max_end
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
        i = bisect.bisect_left(self._short, _key(entry), key=_key)
        del self._short[i]
        del self._short_starts[i]
        del self._short_max_end[i]
        # Recompute prefixes until one agrees with the stored value: the rest then agree too.
        running = self._short_max_end[i - 1] if i > 0 else -1
        for j in range(i, len(self._short)):
            running = max(running, self._short[j].end)
            if self._short_max_end[j] == running:
                break
            self._short_max_end[j] = running

    def _take(self, span_id: int) -> Entry | None:
        """Remove span_id from wherever it lives; returns the removed entry."""
        old = self._by_id.pop(span_id, None)
        if old is not None:
            self._delete(old)
            return old
        k = self._find(span_id)
        if k is None:
            return None
        self._dead.add(k)
        return self._entry(k)

    def put(self, entry: Entry) -> Entry | None:
        """Add or replace an entry (bisect insertion into the overlay, no re-sort); returns the replaced one."""
        old = self._take(entry.span_id)
        self._by_id[entry.span_id] = entry
        self._insert(entry)
        return old

    def remove(self, span_id: int) -> Entry | None:
        return self._take(span_id)

    def query(self, start: int, end: int) -> list[Entry]:
        """Entries with e.start < end and e.end > start, ordered by (start, end, span_id)."""
        found = self._query_table(start, end)
        i = bisect.bisect_left(self._short_starts, end) - 1
        while i >= 0 and self._short_max_end[i] > start:
            e = self._short[i]
            if e.end > start:
                found.append(e)
            i -= 1
        found.extend(e for e in self._long if e.start < end and e.end > start)
        found.sort(key=_key)
        return found

    def at(self, pos: int) -> list[Entry]:
        """Entries covering position `pos` (the character at pos)."""
        return self.query(pos, pos + 1)
