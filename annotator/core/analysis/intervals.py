"""Which intervals of one set overlap which of another, within groups, without a loop per pair.

Every binary query operator and the overlap co-occurrence reduce to "pairs (a, b) in the same group
(document and coder) whose intervals share at least one position". Sorting one side by
(group, start) and binary-searching the other turns this into two range look-ups per interval:

- b starts inside a (`a.start <= b.start < a.end`): the b's whose key lies in [key(a.start), key(a.end));
- a starts strictly inside b (`b.start < a.start < b.end`): the a's whose key lies in (key(b.start), key(b.end)).

Each overlapping pair satisfies exactly one of the two, so the union has no duplicates. The ranges
are expanded into pairs with `np.repeat`, so the cost is O((n + m) log n + pairs), all in numpy.
A key packs the group into the high 32 bits and the position into the low 32 bits of an int64.
"""

from __future__ import annotations

import numpy as np

from annotator.core.analysis.columns import MAX_OFFSET, BoolArray, IntArray


def keys(group: IntArray, position: IntArray) -> IntArray:
    """One sortable int64 per (group, position); positions must lie in [0, 2**32)."""
    return (group << 32) | position


def expand_ranges(lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """(owner, position) for every position in [lo[i], hi[i]) of every i, without a Python loop."""
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    position = np.arange(total, dtype=np.int64) - np.repeat(first - lo, counts)
    return owner, position


def overlap_pairs(
    ga: IntArray, sa: IntArray, ea: IntArray, gb: IntArray, sb: IntArray, eb: IntArray
) -> tuple[IntArray, IntArray]:
    """Indices (ia, ib) of every pair with ga == gb sharing at least one position; empty intervals share none."""
    ga, sa, ea, real_a = _sorted_nonempty(ga, sa, ea)
    gb, sb, eb, real_b = _sorted_nonempty(gb, sb, eb)
    ka, kb = keys(ga, sa), keys(gb, sb)

    lo = np.searchsorted(kb, ka, "left")
    hi = np.searchsorted(kb, keys(ga, ea), "left")
    ia1, ib1 = expand_ranges(lo, hi)

    lo = np.searchsorted(ka, kb, "right")
    hi = np.searchsorted(ka, keys(gb, eb), "left")
    ib2, ia2 = expand_ranges(lo, hi)

    ia = np.concatenate([ia1, ia2])
    ib = np.concatenate([ib1, ib2])
    return real_a[ia], real_b[ib]


def _sorted_nonempty(g: IntArray, s: IntArray, e: IntArray) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The non-empty intervals in (group, start) order, with their original indices.

    Binary searches whose needles come in order stay in cache; input that is already in order (the
    usual case: spans arrive sorted and code terms keep that order) costs one check, not a sort.
    """
    index = np.arange(len(g), dtype=np.int64)
    if not (e > s).all():
        index = np.flatnonzero(e > s).astype(np.int64)
        g, s, e = g[index], s[index], e[index]
    k = keys(g, s)
    if len(k) > 1 and not (k[1:] >= k[:-1]).all():
        order = np.argsort(k, kind="stable")
        g, s, e, index = g[order], s[order], e[order], index[order]
    return g, s, e, index


def overlaps_any(ga: IntArray, sa: IntArray, ea: IntArray, gb: IntArray, sb: IntArray, eb: IntArray) -> BoolArray:
    """For each a: does some b of its group share a position with it? (No pairs are built.)

    Either a b starts inside a (a non-empty key range), or a b that starts before a ends after a's
    start: the largest (group, end) key among the b's sorted before a's start tells, because keys of
    earlier groups are always smaller than any key of a's group.
    """
    out = np.zeros(len(ga), bool)
    gb, sb, eb, _ = _sorted_nonempty(gb, sb, eb)
    if not len(gb) or not len(ga):
        return out
    ga, sa, ea, index = _sorted_nonempty(ga, sa, ea)
    kb = keys(gb, sb)
    ka = keys(ga, sa)
    lo = np.searchsorted(kb, ka, "left")
    hi = np.searchsorted(kb, keys(ga, ea), "left")
    hit = hi > lo
    end_max = np.maximum.accumulate(keys(gb, eb))
    before = lo > 0
    hit[before] |= end_max[lo[before] - 1] > ka[before]
    out[index] = hit
    return out


def widen(start: IntArray, end: IntArray, by: int) -> tuple[IntArray, IntArray]:
    """Intervals grown by `by` positions on each side, kept within [0, 2**32)."""
    return np.maximum(start - by, 0), np.minimum(end + by, MAX_OFFSET)
