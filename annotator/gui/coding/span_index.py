"""Interval index over the spans of one document, in Qt positions (no Qt import: plain data + numpy).

Each highlighted block and each repaint of the stripes margin asks "which spans touch [a, b)?".

Opening a document must not cost Python work per span (100,000 spans would take seconds), so the spans
given at load time live in numpy arrays: starts sorted with a running maximum of their ends, so a query
is two binary searches and one vectorised mask. `Entry` objects are made (and cached) only for the
spans a query returns, i.e. those on screen. Spans added or changed later go to a small sorted overlay
(insertion by bisect, no re-sort); a loaded span that is replaced or removed is marked dead in the base.
Very long spans (longer than LONG units) would make the running maximum useless, so they live in
separate short arrays/lists that are scanned linearly.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

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


def _key(e: Entry) -> tuple[int, int, int]:
    return (e.start, e.end, e.span_id)


class _Base:
    """The spans known at load time: arrays of Qt starts/ends; entries built on demand."""

    def __init__(
        self, starts: np.ndarray, ends: np.ndarray, make: Callable[[int], Entry], ids: Callable[[], np.ndarray]
    ) -> None:
        self.n = len(starts)
        self._make = make
        self._ids_fn = ids
        self._ids: np.ndarray | None = None
        self._cache: dict[int, Entry] = {}
        self.dead: set[int] = set()
        long = (ends - starts) > LONG
        if long.any():
            self.long_k = np.flatnonzero(long)
            self.long_s, self.long_e = starts[self.long_k], ends[self.long_k]
            short_k = np.flatnonzero(~long)
        else:
            self.long_k = self.long_s = self.long_e = np.empty(0, np.int64)
            short_k = None
        s = starts if short_k is None else starts[short_k]
        if len(s) > 1 and not bool(np.all(s[1:] >= s[:-1])):
            order = np.argsort(s, kind="stable")
            self.order = order if short_k is None else short_k[order]
        else:
            self.order = np.arange(self.n) if short_k is None else short_k
        self.starts = starts[self.order]
        self.ends = ends[self.order]
        self.max_end = np.maximum.accumulate(self.ends) if len(self.ends) else self.ends

    def entry(self, k: int) -> Entry:
        e = self._cache.get(k)
        if e is None:
            e = self._cache[k] = self._make(k)
        return e

    def find(self, span_id: int) -> int | None:
        """Base position of a live span id (one vectorised compare; ids are read on first use)."""
        if self._ids is None:
            self._ids = self._ids_fn()
        hits = np.flatnonzero(self._ids == span_id)
        for k in hits.tolist():
            if k not in self.dead:
                return k
        return None

    def query(self, start: int, end: int) -> list[Entry]:
        hi = int(np.searchsorted(self.starts, end, "left"))
        lo = int(np.searchsorted(self.max_end, start, "right"))
        ks: list[int] = []
        if hi > lo:
            sel = np.flatnonzero(self.ends[lo:hi] > start)
            ks = self.order[lo:hi][sel].tolist()
        if len(self.long_k):
            ks += self.long_k[(self.long_s < end) & (self.long_e > start)].tolist()
        dead = self.dead
        return [self.entry(k) for k in ks if k not in dead]


class SpanIndex:
    """Loaded spans in numpy arrays + an overlay of later changes kept sorted by bisect insertion."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        items = list({e.span_id: e for e in entries}.values())
        n = len(items)
        starts = np.fromiter((e.start for e in items), np.int64, n)
        ends = np.fromiter((e.end for e in items), np.int64, n)
        self._init(starts, ends, items.__getitem__, lambda: np.fromiter((e.span_id for e in items), np.int64, n))

    @classmethod
    def from_arrays(
        cls, starts: np.ndarray, ends: np.ndarray, make: Callable[[int], Entry], ids: Callable[[], np.ndarray]
    ) -> SpanIndex:
        """Index spans given as Qt start/end arrays; `make(k)` builds span k's Entry, `ids()` all ids.

        Span ids must be unique; nothing per span happens in Python until a query touches it.
        """
        self = cls.__new__(cls)
        self._init(starts, ends, make, ids)
        return self

    def _init(
        self, starts: np.ndarray, ends: np.ndarray, make: Callable[[int], Entry], ids: Callable[[], np.ndarray]
    ) -> None:
        self._base = _Base(np.asarray(starts, np.int64), np.asarray(ends, np.int64), make, ids)
        self._by_id: dict[int, Entry] = {}  # overlay: entries put after loading
        self._short: list[Entry] = []
        self._starts: list[int] = []
        self._max_end: list[int] = []
        self._long: list[Entry] = []

    def __len__(self) -> int:
        return self._base.n - len(self._base.dead) + len(self._by_id)

    def __contains__(self, span_id: int) -> bool:
        return self.get(span_id) is not None

    def get(self, span_id: int) -> Entry | None:
        e = self._by_id.get(span_id)
        if e is not None:
            return e
        k = self._base.find(span_id)
        return None if k is None else self._base.entry(k)

    def entries(self) -> list[Entry]:
        """Every entry (builds them all: for tests and small documents, not for painting)."""
        base = self._base
        found = [base.entry(k) for k in range(base.n) if k not in base.dead]
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
        i = bisect.bisect_left(self._short, _key(entry), key=_key)
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

    def _take(self, span_id: int) -> Entry | None:
        """Remove span_id from wherever it lives; returns the removed entry."""
        old = self._by_id.pop(span_id, None)
        if old is not None:
            self._delete(old)
            return old
        k = self._base.find(span_id)
        if k is None:
            return None
        self._base.dead.add(k)
        return self._base.entry(k)

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
        found = self._base.query(start, end)
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self._max_end[i] > start:
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


def record_arrays(records: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Stored start/end offsets of records as arrays (two C-speed passes, no Python loop body)."""
    from operator import attrgetter

    n = len(records)
    return (
        np.fromiter(map(attrgetter("start"), records), np.int64, n),
        np.fromiter(map(attrgetter("end"), records), np.int64, n),
    )
