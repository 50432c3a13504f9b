"""Krippendorff's unitizing alpha (alpha_U, Krippendorff 1995/2004), as DKPro Statistics computes it.

The continuum is [begin, begin + length) (for text: the characters of a document). Each rater's
units of one category must not overlap (use `merge=True`, or `merge_spans`, to merge overlapping
or touching units first); uncovered stretches are gaps. Per category c (R raters, L length):

    D_o(c) = 2 / (R (R-1) L^2) * sum over rater pairs of
             sum over overlapping unit pairs (b1-b2)^2 + (e1-e2)^2
           + sum over units lying inside a gap of the other rater of length^2
    D_e(c) = (2/L) * sum_units [ (N_c-1)(2l^3-3l^2+l)/3 + l^2 * sum_{gaps g >= l} (g-l+1) ]
             / ( R L (R L - 1) - sum_units l (l-1) )

This is what DKPro's lock-step sweep adds up (each overlapping pair of sections once), computed
here with sorted arrays and binary search instead of a sweep in Python.
alpha_c = 1 - D_o(c)/D_e(c); overall alpha = 1 - sum_c D_o(c) / sum_c D_e(c).
DKPro conventions kept: D_o == D_e gives 0.0, or 1.0 when both are 0 but some unit has positive
length. Undefined (value None + reason) where DKPro gives NaN or divides by zero: no units at all,
fewer than two raters, an empty continuum, a category nobody used.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .measure import Measure, defined, undefined

UnitTuple = tuple[int, Hashable, int, int]  # (rater, category, begin, length)


@dataclass(frozen=True)
class UnitizingResult:
    """alpha_U overall and per category; each Measure's details hold D_o and D_e."""

    overall: Measure
    per_category: dict[Hashable, Measure]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or touching (start, end) intervals: [(0,3),(3,5),(7,9)] -> [(0,5),(7,9)]."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _merge_arrays(
    seg: NDArray[Any], rater: NDArray[Any], cat: NDArray[Any], b: NDArray[Any], e: NDArray[Any]
) -> tuple[NDArray[Any], ...]:
    """Vectorised merge_spans within each (segment, rater, category) group."""
    if len(b) == 0:
        return seg, rater, cat, b, e
    order = np.lexsort((e, b, cat, rater, seg))
    seg, rater, cat, b, e = seg[order], rater[order], cat[order], b[order], e[order]
    new_group = np.ones(len(b), dtype=bool)
    new_group[1:] = (seg[1:] != seg[:-1]) | (rater[1:] != rater[:-1]) | (cat[1:] != cat[:-1])
    gid = np.cumsum(new_group)
    big = int(max(e.max(), b.max())) + 1
    run_end = np.maximum.accumulate(e + gid * big) - gid * big  # max end so far, per group
    starts = new_group.copy()
    starts[1:] |= b[1:] > run_end[:-1]
    first = np.flatnonzero(starts)
    last = np.append(first[1:], len(b)) - 1
    return seg[first], rater[first], cat[first], b[first], run_end[last]


def _check_disjoint(seg: NDArray[Any], rater: NDArray[Any], b: NDArray[Any], e: NDArray[Any]) -> None:
    same = (seg[1:] == seg[:-1]) & (rater[1:] == rater[:-1])
    if np.any(same & (b[1:] < e[:-1])):
        raise ValueError("a rater's units of one category overlap; merge them first (merge=True or merge_spans)")


def _observed(
    seg: NDArray[Any], rater: NDArray[Any], b: NDArray[Any], e: NDArray[Any], n_seg: int, n_raters: int
) -> NDArray[Any]:
    """Raw D_o sums per segment for one category's units, sorted by (rater, segment, begin, length):
    sum over rater pairs of (b1-b2)^2 + (e1-e2)^2 for overlapping units, plus length^2 for a unit
    lying in the other rater's gap."""
    length = (e - b).astype(float)
    raw_o = np.zeros(n_seg)
    by_rater = [np.flatnonzero(rater == r) for r in range(n_raters)]
    for r1 in range(n_raters):
        a = by_rater[r1]
        for r2 in range(r1 + 1, n_raters):
            c = by_rater[r2]
            lo = np.searchsorted(e[c], b[a], side="right")
            hi = np.searchsorted(b[c], e[a], side="left")
            cnt = np.maximum(hi - lo, 0)
            ia = np.repeat(a, cnt)
            ic = c[np.repeat(lo, cnt) + (np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt))]
            d = (b[ia] - b[ic]).astype(float) ** 2 + (e[ia] - e[ic]).astype(float) ** 2
            raw_o += np.bincount(seg[ia], weights=d, minlength=n_seg)
            alone_a = a[cnt == 0]
            raw_o += np.bincount(seg[alone_a], weights=length[alone_a] ** 2, minlength=n_seg)
            back = np.searchsorted(b[a], e[c], side="left") - np.searchsorted(e[a], b[c], "right")
            alone_c = c[back <= 0]
            raw_o += np.bincount(seg[alone_c], weights=length[alone_c] ** 2, minlength=n_seg)
            if (length[a] == 0).any() or (length[c] == 0).any():
                raw_o -= _sweep_end_artifact(seg, b, length, a, c, n_seg)
    return raw_o


def _gaps(
    seg: NDArray[Any],
    rater: NDArray[Any],
    b: NDArray[Any],
    e: NDArray[Any],
    seg_begin: NDArray[Any],
    seg_len: NDArray[Any],
    n_raters: int,
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Every rater's gaps (positive lengths) and their segment: between consecutive units and at
    the segment's ends; a rater without units in a segment has one gap as long as the segment."""
    n_seg = len(seg_len)
    marks_b = np.concatenate([b, np.repeat(seg_begin, n_raters), np.repeat(seg_begin + seg_len, n_raters)])
    marks_e = np.concatenate([e, np.repeat(seg_begin, n_raters), np.repeat(seg_begin + seg_len, n_raters)])
    kind = np.concatenate([np.ones(len(b)), np.zeros(n_seg * n_raters), np.full(n_seg * n_raters, 2)])
    mseg = np.concatenate([seg, np.repeat(np.arange(n_seg), n_raters), np.repeat(np.arange(n_seg), n_raters)])
    mrat = np.concatenate([rater, np.tile(np.arange(n_raters), n_seg), np.tile(np.arange(n_raters), n_seg)])
    order = np.lexsort((marks_e - marks_b, kind, marks_b, mseg, mrat))
    mb, me, mseg, mrat = marks_b[order], marks_e[order], mseg[order], mrat[order]
    gap = mb[1:] - me[:-1]
    ok = (mseg[1:] == mseg[:-1]) & (mrat[1:] == mrat[:-1]) & (gap > 0)
    return gap[ok], mseg[1:][ok]


def _category_sums(
    seg: NDArray[Any],
    rater: NDArray[Any],
    b: NDArray[Any],
    e: NDArray[Any],
    n_seg: int,
    seg_begin: NDArray[Any],
    seg_len: NDArray[Any],
    n_raters: int,
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Raw D_o sums and D_e numerator parts per segment for one category's units.

    Units must be sorted by (rater, segment, begin, length).
    """
    length = (e - b).astype(float)
    raw_o = _observed(seg, rater, b, e, n_seg, n_raters)
    gap, gseg = _gaps(seg, rater, b, e, seg_begin, seg_len, n_raters)
    # sum over units of l^2 * sum_{gaps g >= l in the same segment} (g - l + 1)
    big = int(max(seg_len.max(), 0)) + 2
    gkey = gseg.astype(np.int64) * big + gap
    gorder = np.argsort(gkey, kind="stable")
    gkey, gsorted = gkey[gorder], gap[gorder].astype(float)
    csum = np.concatenate([[0.0], np.cumsum(gsorted)])
    ints = (e - b).astype(np.int64)
    pos = np.searchsorted(gkey, seg.astype(np.int64) * big + ints, side="left")
    end = np.searchsorted(gkey, (seg.astype(np.int64) + 1) * big, side="left")
    count = (end - pos).astype(float)
    gap_term = length**2 * ((csum[end] - csum[pos]) - (length - 1) * count)
    n_c = np.bincount(seg, minlength=n_seg).astype(float)
    s3 = np.bincount(seg, weights=(2 * length**3 - 3 * length**2 + length) / 3, minlength=n_seg)
    sq = np.bincount(seg, weights=length * (length - 1), minlength=n_seg)
    num_e = (n_c - 1) * s3 + np.bincount(seg, weights=gap_term, minlength=n_seg)
    return raw_o, num_e, sq, n_c


def _sweep_end_artifact(
    seg: NDArray[Any], b: NDArray[Any], length: NDArray[Any], a: NDArray[Any], c: NDArray[Any], n_seg: int
) -> NDArray[Any]:
    """What DKPro's sweep never adds: it stops once both raters' last units are loaded. When
    both raters' last units start at the same position P, one rater's last is zero-length and the
    other's last is a positive unit U, the sweep steps through the zero-length units at P one per
    iteration; if the zero-length side has more of them at P than U's side, it stops before U is
    compared with the gap after them, so U's length^2 is not added to D_o."""

    def tail(idx: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
        if len(idx) == 0:
            return idx, np.zeros(0)
        new = np.append(True, seg[idx][1:] != seg[idx][:-1])
        gid = np.cumsum(new) - 1
        last = idx[np.append(new[1:], True)]
        at_p = (length[idx] == 0) & (b[idx] == b[last][gid])
        return last, np.bincount(gid, weights=at_p)

    la, za = tail(a)
    lc, zc = tail(c)
    _, ia, ic = np.intersect1d(seg[la], seg[lc], return_indices=True)
    ua, uc, za, zc = la[ia], lc[ic], za[ia], zc[ic]
    same = b[ua] == b[uc]
    miss_a = same & (length[uc] == 0) & (length[ua] > 0) & (zc > za)
    miss_c = same & (length[ua] == 0) & (length[uc] > 0) & (za > zc)
    out = np.bincount(seg[ua[miss_a]], weights=length[ua[miss_a]] ** 2, minlength=n_seg)
    return out + np.bincount(seg[uc[miss_c]], weights=length[uc[miss_c]] ** 2, minlength=n_seg)


def _ratio(d_o: float, d_e: float, positive: bool, **info: Any) -> Measure:
    """alpha = 1 - D_o/D_e with DKPro's conventions for D_o == D_e."""
    if math.isclose(d_o, d_e, rel_tol=1e-12):
        value = 1.0 if (d_o == 0 and positive) else 0.0
        return defined(value, convention="D_o == D_e", **info)
    if d_e == 0:
        return undefined("expected disagreement D_e is 0 while D_o is not", **info)
    return defined(1 - d_o / d_e, **info)


def _grouped(
    seg: NDArray[Any],
    rater: NDArray[Any],
    cat: NDArray[Any],
    b: NDArray[Any],
    e: NDArray[Any],
    seg_begin: NDArray[Any],
    seg_len: NDArray[Any],
    n_raters: int,
    categories: Sequence[Hashable],
) -> list[UnitizingResult]:
    """One UnitizingResult per segment. Segments are disjoint continua (documents); offsets are
    absolute within their segment, which starts at seg_begin."""
    n_seg = len(seg_begin)
    off = np.concatenate([[0], np.cumsum(seg_len)])[:-1]  # lay segments end to end internally
    b, e = b + off[seg], e + off[seg]
    g_begin = seg_begin + off
    order = np.lexsort((e - b, b, seg, rater, cat))
    seg, rater, cat, b, e = seg[order], rater[order], cat[order], b[order], e[order]
    bounds = np.searchsorted(cat, np.arange(len(categories) + 1))
    sums = []
    for ci in range(len(categories)):
        sl = slice(bounds[ci], bounds[ci + 1])
        _check_disjoint(seg[sl], rater[sl], b[sl], e[sl])
        parts = _category_sums(seg[sl], rater[sl], b[sl], e[sl], n_seg, g_begin, seg_len, n_raters)
        positive = np.bincount(seg[sl], weights=(e[sl] > b[sl]), minlength=n_seg)
        sums.append((*parts, positive))
    big_l = seg_len.astype(float)
    r = float(n_raters)
    out = []
    for s in range(n_seg):
        per: dict[Hashable, Measure] = {}
        sum_o = sum_e = 0.0
        positive_any = False
        for ci, cname in enumerate(categories):
            raw_o, num_e, sq, n_c, positive = sums[ci]
            if n_c[s] == 0:
                per[cname] = undefined("no coder used this category (code)")
                continue
            d_o = float(2 * raw_o[s] / (r * (r - 1) * big_l[s] ** 2))
            d_e = float((2 / big_l[s]) * num_e[s] / (r * big_l[s] * (r * big_l[s] - 1) - sq[s]))
            sum_o, sum_e = sum_o + d_o, sum_e + d_e
            positive_any |= bool(positive[s] > 0)
            per[cname] = _ratio(d_o, d_e, bool(positive[s] > 0), D_o=d_o, D_e=d_e, units=int(n_c[s]))
        if not any(m.defined for m in per.values()):
            overall = undefined("no units: nobody marked anything, so alpha_U is 0/0")
        else:
            overall = _ratio(sum_o, sum_e, positive_any, D_o=sum_o, D_e=sum_e)
        out.append(UnitizingResult(overall, per))
    return out


def _categories(found: Iterable[Hashable], given: Sequence[Hashable] | None) -> list[Hashable]:
    cats = list(given) if given is not None else []
    seen = set(cats)
    for c in found:
        if c not in seen:
            seen.add(c)
            cats.append(c)
    return cats


def alpha_u(
    continuum_begin: int,
    continuum_length: int,
    raters: int,
    units: Iterable[UnitTuple],
    *,
    merge: bool = False,
    categories: Sequence[Hashable] | None = None,
) -> UnitizingResult:
    """alpha_U for one continuum. `units` are (rater, category, begin, length), rater in 0..R-1,
    begin absolute (continuum_begin <= begin, begin + length <= continuum_begin + length).

    merge=False reproduces DKPro exactly (a rater's same-category units must then not overlap;
    touching units stay separate); merge=True first merges overlapping or touching units.
    Categories listed in `categories` but never used are reported as undefined.
    """
    from .unitizing_corpus import corpus_alpha_u

    rows = [(int(r), c, 0, int(b) - continuum_begin, int(b) - continuum_begin + int(n)) for r, c, b, n in units]
    return corpus_alpha_u([continuum_length], raters, rows, merge=merge, categories=categories, begin=continuum_begin)[
        0
    ]
