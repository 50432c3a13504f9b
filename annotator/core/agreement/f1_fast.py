"""Span F1 for every coder pair from SpanArrays, vectorised (same results as `spans_f1.span_f1`).

Exact matches: spans sorted by (document, code, start, end) form runs of identical spans; each pair
of coders inside a run is one true positive (a coder's identical spans count once).

Overlap matches (one-to-one, maximum): for a pair, their spans of one code in one document fall
into clusters (connected runs of overlapping spans). A cluster with spans of both coders where one
coder has a single span yields exactly one match. Clusters with two or more spans of each coder are
matched in bulk: a two-pointer sweep where neither coder's spans overlap each other, else the greedy
of `spans_f1.max_overlap_matching` run in lock step over all such clusters (`_greedy`).

Besides the JSON of `span_f1`, the matches per document and code are kept (`per_doc`), so the
document bootstrap can recompute F1 for any resample with one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .span_data import SpanArrays
from .spans_f1 import F1Counts, Mode


@dataclass(frozen=True)
class F1Parts:
    """tp per (pair, code); tp summed over pairs per (document, code); spans per (coder, document, code)."""

    pairs: list[tuple[int, int]]
    tp_pair_code: NDArray[Any]  # (P, C)
    tp_doc_code: NDArray[Any]  # (D, C)
    n: NDArray[Any]  # (R, D, C)

    def per_doc(self) -> tuple[NDArray[Any], NDArray[Any]]:
        """(TP, NN) per (document, code): true positives over all pairs, and the sum over pairs of
        both coders' span counts, (R - 1) x spans. F1 = 2 TP / NN for any document weighting."""
        r = self.n.shape[0]
        return self.tp_doc_code, (r - 1) * self.n.sum(0)


def _dedup(sp: SpanArrays) -> tuple[NDArray[Any], ...]:
    """Unique (coder, doc, code, start, end), sorted by (doc, code, start, end, coder)."""
    if len(sp) == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e, e
    order = np.lexsort((sp.coder, sp.end, sp.start, sp.code, sp.doc))
    cols = [x[order] for x in (sp.coder, sp.doc, sp.code, sp.start, sp.end)]
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = np.any([c[1:] != c[:-1] for c in cols], axis=0)
    coder, doc, code, s, e = (c[keep] for c in cols)
    return coder, doc, code, s, e


def f1_parts(sp: SpanArrays, mode: Mode) -> F1Parts:
    coder, doc, code, s, e = _dedup(sp)
    r, c, d = len(sp.coders), len(sp.codes), len(sp.lengths)
    pairs = [(i, j) for i in range(r) for j in range(i + 1, r)]
    pid = np.full((r, r), -1, dtype=np.int64)
    for p, (i, j) in enumerate(pairs):
        pid[i, j] = p
    n = np.bincount((coder * d + doc) * c + code, minlength=r * d * c).reshape(r, d, c).astype(float)
    tp_pc = np.zeros((len(pairs), c))
    tp_dc = np.zeros((d, c))
    if mode == "exact":
        same_next = np.zeros(0, dtype=bool)
        for off in range(1, r):
            if len(s) <= off:
                break
            same_next = (doc[off:] == doc[:-off]) & (code[off:] == code[:-off])
            same_next &= (s[off:] == s[:-off]) & (e[off:] == e[:-off])
            hit = np.flatnonzero(same_next)
            if len(hit) == 0:
                continue
            p_of = pid[coder[hit], coder[hit + off]]
            tp_pc += np.bincount(p_of * c + code[hit], minlength=len(pairs) * c).reshape(len(pairs), c)
            tp_dc += np.bincount(doc[hit] * c + code[hit], minlength=d * c).reshape(d, c)
    elif mode == "overlap":
        mine = [np.flatnonzero(coder == k) for k in range(r)]
        for p, (i, j) in enumerate(pairs):
            idx = np.sort(np.concatenate([mine[i], mine[j]]))  # the pair's spans, in the global order
            _overlap_pair(coder[idx] == j, doc[idx], code[idx], s[idx], e[idx], c, d, tp_pc[p], tp_dc)
    else:
        raise ValueError(f"unknown mode {mode!r}: use 'exact' or 'overlap'")
    return F1Parts(pairs, tp_pc, tp_dc, n)


def _overlap_pair(
    side: NDArray[Any],
    dd: NDArray[Any],
    cc: NDArray[Any],
    ss: NDArray[Any],
    ee: NDArray[Any],
    n_codes: int,
    n_docs: int,
    tp_code: NDArray[Any],
    tp_dc: NDArray[Any],
) -> None:
    """Adds one pair's maximum overlap matching to tp_code (C,) and tp_dc (D, C); `side` is True for
    the second coder's spans, all sorted by (document, code, start, end)."""
    if len(ss) == 0:
        return
    group = np.cumsum(np.append(True, (dd[1:] != dd[:-1]) | (cc[1:] != cc[:-1])))
    big = int(ee.max()) + 1
    reach = np.maximum.accumulate(ee + group * big) - group * big  # furthest end so far in the group
    new = np.append(True, (group[1:] != group[:-1]) | (ss[1:] >= reach[:-1]))
    cluster = np.cumsum(new) - 1
    nb = np.bincount(cluster, weights=side)
    na = np.bincount(cluster) - nb
    first = np.flatnonzero(new)
    tp = ((na >= 1) & (nb >= 1) & ((na == 1) | (nb == 1))).astype(float)
    hard = (na >= 2) & (nb >= 2)
    if hard.any():
        _hard_clusters(hard, cluster, side, ss, ee, first, tp)
    key = dd[first] * n_codes + cc[first]
    tp_code += np.bincount(cc[first], weights=tp, minlength=n_codes)
    tp_dc += np.bincount(key, weights=tp, minlength=n_docs * n_codes).reshape(n_docs, n_codes)


def _hard_clusters(
    hard: NDArray[Any],
    cluster: NDArray[Any],
    side: NDArray[Any],
    ss: NDArray[Any],
    ee: NDArray[Any],
    first: NDArray[Any],
    tp: NDArray[Any],
) -> None:
    """Clusters with two or more spans of each coder. Where neither coder's spans overlap each other
    (the usual case) a two-pointer sweep is a maximum matching: of the two current spans, the one
    ending first can only match the other one, so match them if they overlap, else drop it. All such
    clusters advance together, one step per round. Clusters with a coder's own spans overlapping
    go to the general greedy matching."""
    in_hard = hard[cluster]
    general = np.zeros(len(hard), dtype=bool)
    for flag in (False, True):  # sorted by start: a side overlaps itself iff two consecutive spans overlap
        idx = np.flatnonzero(in_hard & (side == flag))
        clash = (cluster[idx[1:]] == cluster[idx[:-1]]) & (ss[idx[1:]] < ee[idx[:-1]])
        general[cluster[idx[1:]][clash]] = True
    simple = hard & ~general
    if simple.any():
        _sweep(simple, cluster, side, ss, ee, tp)
    if general.any():
        _greedy(general, cluster, side, ss, ee, first, tp)


def _greedy(
    which: NDArray[Any],
    cluster: NDArray[Any],
    side: NDArray[Any],
    ss: NDArray[Any],
    ee: NDArray[Any],
    first: NDArray[Any],
    tp: NDArray[Any],
) -> None:
    """The greedy maximum matching of `spans_f1.max_overlap_matching` in every cluster of `which`
    at once: clusters padded to a common size (bucketed by size), spans in order of their end; at
    step t each cluster's t-th span, if still free, takes the free span of the other coder that
    starts before it ends and ends first."""
    ks = np.flatnonzero(which)
    lo = first[ks]
    hi = np.append(first[1:], len(ss))[ks]
    size = hi - lo
    for cap in (4, 8, 16, 32, 64, None):
        pick = (size <= cap) if cap is not None else np.ones(len(ks), dtype=bool)
        pick &= size > 0
        if not pick.any():
            continue
        kk, ll, nn = ks[pick], lo[pick], size[pick]
        size[pick] = 0  # done
        m = int(nn.max())
        col = np.arange(m)
        valid = col[None, :] < nn[:, None]
        pos = np.where(valid, ll[:, None] + col[None, :], 0)
        s_ = np.where(valid, ss[pos], 0)
        e_ = np.where(valid, ee[pos], np.iinfo(np.int64).max)
        sd = np.where(valid, side[pos], False)
        order = np.argsort(e_, axis=1, kind="stable")
        s_, e_, sd = (np.take_along_axis(x, order, axis=1) for x in (s_, e_, sd))
        valid = np.take_along_axis(valid, order, axis=1)
        free = valid.copy()
        count = np.zeros(len(kk))
        rows = np.arange(len(kk))
        big = np.iinfo(np.int64).max
        for t in range(m):
            live = free[:, t]
            if not live.any():
                continue
            cand = free & (sd != sd[:, t : t + 1]) & (s_ < e_[:, t : t + 1]) & live[:, None]
            cand[:, t] = False
            ends = np.where(cand, e_, big)
            j = ends.argmin(axis=1)
            got = cand[rows, j]
            count += got
            free[rows[got], j[got]] = False
            free[rows[got], t] = False
            free[:, t] &= ~live  # processed
        tp[kk] = count
        if cap is None or not (size > 0).any():
            break


def _sweep(
    which: NDArray[Any], cluster: NDArray[Any], side: NDArray[Any], ss: NDArray[Any], ee: NDArray[Any], tp: NDArray[Any]
) -> None:
    """Two-pointer maximum matching in every cluster of `which` at once (spans of a side disjoint)."""
    rows = which[cluster]
    ia_idx = np.flatnonzero(rows & ~side)  # A spans, cluster by cluster, in start order
    ib_idx = np.flatnonzero(rows & side)
    ks = np.flatnonzero(which)
    a_lo = np.searchsorted(cluster[ia_idx], ks, side="left")
    a_hi = np.searchsorted(cluster[ia_idx], ks, side="right")
    b_lo = np.searchsorted(cluster[ib_idx], ks, side="left")
    b_hi = np.searchsorted(cluster[ib_idx], ks, side="right")
    ia, ib = a_lo.copy(), b_lo.copy()
    matched = np.zeros(len(ks))
    active = (ia < a_hi) & (ib < b_hi)
    while active.any():
        act = np.flatnonzero(active)
        pa, pb = ia_idx[ia[act]], ib_idx[ib[act]]
        overlap = (ss[pa] < ee[pb]) & (ss[pb] < ee[pa])
        a_first = ee[pa] <= ee[pb]
        matched[act] += overlap
        ia[act] += overlap | a_first
        ib[act] += overlap | ~a_first
        active[act] = (ia[act] < a_hi[act]) & (ib[act] < b_hi[act])
    tp[ks] = matched


def f1_json(parts: F1Parts, sp: SpanArrays, mode: Mode) -> dict[str, Any]:
    """The JSON layout of `spans_f1.span_f1`."""
    n = parts.n.sum(1)  # (R, C)
    pairs: dict[str, Any] = {}
    total = F1Counts()
    by_code = {k: F1Counts() for k in sp.codes}
    for p, (i, j) in enumerate(parts.pairs):
        micro = F1Counts()
        per: dict[str, Any] = {}
        for ci, key in enumerate(sp.codes):
            cnt = F1Counts(int(parts.tp_pair_code[p, ci]), int(n[i, ci]), int(n[j, ci]))
            micro, by_code[key] = micro + cnt, by_code[key] + cnt
            per[key] = cnt.to_json()
        total = total + micro
        a, b = sp.coders[i], sp.coders[j]
        pairs[f"{a}|{b}"] = {"coders": [a, b], "micro": micro.to_json(), "per_code": per}
    return {
        "mode": mode,
        "pairs": pairs,
        "micro": total.to_json(),
        "per_code": {k: v.to_json() for k, v in by_code.items()},
    }


def f1_values(tp: NDArray[Any], nn: NDArray[Any], w: NDArray[Any]) -> NDArray[Any]:
    """(B, 1 + C): micro F1 then per-code F1 for document weights w (B, D); NaN where no spans."""
    t, m = w @ tp, w @ nn
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(m > 0, 2 * t / m, np.nan)
        micro = np.where(m.sum(1) > 0, 2 * t.sum(1) / m.sum(1), np.nan)
    return np.column_stack([micro, per])
