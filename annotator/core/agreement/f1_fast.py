"""Span F1 for every coder pair from SpanArrays, vectorised (same results as `spans_f1.span_f1`).

Exact matches: spans sorted by (document, code, start, end) form runs of identical spans; each pair
of coders inside a run is one true positive (a coder's identical spans count once).

Overlap matches (one-to-one, maximum): for a pair, their spans of one code in one document fall
into clusters (connected runs of overlapping spans). A cluster with spans of both coders where one
coder has a single span yields exactly one match; only clusters with two or more spans of each
coder need the greedy matching of `spans_f1.max_overlap_matching`, which is rare in real coding.

Besides the JSON of `span_f1`, the matches per document and code are kept (`per_doc`), so the
document bootstrap can recompute F1 for any resample with one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .span_data import SpanArrays
from .spans_f1 import F1Counts, Mode, max_overlap_matching


@dataclass(frozen=True)
class F1Parts:
    """tp per (pair, code); tp summed over pairs per (document, code); spans per (coder, document, code)."""

    pairs: list[tuple[int, int]]
    tp_pair_code: np.ndarray  # (P, C)
    tp_doc_code: np.ndarray  # (D, C)
    n: np.ndarray  # (R, D, C)

    def per_doc(self) -> tuple[np.ndarray, np.ndarray]:
        """(TP, NN) per (document, code): true positives over all pairs, and the sum over pairs of
        both coders' span counts, (R - 1) x spans. F1 = 2 TP / NN for any document weighting."""
        r = self.n.shape[0]
        return self.tp_doc_code, (r - 1) * self.n.sum(0)


def _dedup(sp: SpanArrays) -> tuple[np.ndarray, ...]:
    """Unique (coder, doc, code, start, end), sorted by (doc, code, start, end, coder)."""
    if len(sp) == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e, e
    arr = np.stack([sp.doc, sp.code, sp.start, sp.end, sp.coder], axis=1)
    arr = np.unique(arr, axis=0)  # lexicographic: doc, code, start, end, coder
    return arr[:, 4], arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]


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
            i = np.flatnonzero(same_next)
            if len(i) == 0:
                continue
            p = pid[coder[i], coder[i + off]]
            tp_pc += np.bincount(p * c + code[i], minlength=len(pairs) * c).reshape(len(pairs), c)
            tp_dc += np.bincount(doc[i] * c + code[i], minlength=d * c).reshape(d, c)
    elif mode == "overlap":
        for p, (i, j) in enumerate(pairs):
            _overlap_pair(coder, doc, code, s, e, i, j, c, d, tp_pc[p], tp_dc)
    else:
        raise ValueError(f"unknown mode {mode!r}: use 'exact' or 'overlap'")
    return F1Parts(pairs, tp_pc, tp_dc, n)


def _overlap_pair(coder, doc, code, s, e, i, j, n_codes, n_docs, tp_code, tp_dc) -> None:
    """Adds the pair's maximum overlap matching to tp_code (C,) and tp_dc (D, C)."""
    sel = (coder == i) | (coder == j)
    if not sel.any():
        return
    side, dd, cc, ss, ee = coder[sel] == j, doc[sel], code[sel], s[sel], e[sel]
    group = np.cumsum(np.append(True, (dd[1:] != dd[:-1]) | (cc[1:] != cc[:-1])))
    big = int(ee.max()) + 1
    reach = np.maximum.accumulate(ee + group * big) - group * big  # furthest end so far in the group
    new = np.append(True, (group[1:] != group[:-1]) | (ss[1:] >= reach[:-1]))
    cluster = np.cumsum(new) - 1
    nb = np.bincount(cluster, weights=side)
    na = np.bincount(cluster) - nb
    first = np.flatnonzero(new)
    tp = ((na >= 1) & (nb >= 1) & ((na == 1) | (nb == 1))).astype(float)
    for k in np.flatnonzero((na >= 2) & (nb >= 2)):
        lo = first[k]
        hi = first[k + 1] if k + 1 < len(first) else len(ss)
        a = [(int(x), int(y)) for x, y, b in zip(ss[lo:hi], ee[lo:hi], side[lo:hi], strict=True) if not b]
        b_ = [(int(x), int(y)) for x, y, b in zip(ss[lo:hi], ee[lo:hi], side[lo:hi], strict=True) if b]
        tp[k] = len(max_overlap_matching(a, b_))
    key = dd[first] * n_codes + cc[first]
    tp_code += np.bincount(cc[first], weights=tp, minlength=n_codes)
    tp_dc += np.bincount(key, weights=tp, minlength=n_docs * n_codes).reshape(n_docs, n_codes)


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


def f1_values(tp: np.ndarray, nn: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(B, 1 + C): micro F1 then per-code F1 for document weights w (B, D); NaN where no spans."""
    t, m = w @ tp, w @ nn
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(m > 0, 2 * t / m, np.nan)
        micro = np.where(m.sum(1) > 0, 2 * t.sum(1) / m.sum(1), np.nan)
    return np.column_stack([micro, per])
