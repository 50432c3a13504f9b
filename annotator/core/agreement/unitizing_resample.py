"""alpha_U of a corpus made of resampled documents, without re-running the whole computation.

Laying documents end to end, every part of alpha_U adds up per document except the gap term of
D_e, sum over units u and gaps g of l_u^2 (g - l_u + 1) for g >= l_u. Gaps inside a document are
fixed; only the gaps running across document boundaries depend on which documents are drawn. So:

- per document: D_o sum, N_c, sum (2l^3-3l^2+l)/3, sum l(l-1), each rater's leading and trailing
  gap, and per distinct unit length l_j: A[d, j] (sum of l^2 of d's units of that length) and
  F[d, j] (sum over d's inner gaps g >= l_j of g - l_j + 1);
- per resample (w = how often each document was drawn, drawn documents in document order):
  sums are w-weighted, the inner-gap term is (w A) . (w F), and the boundary gaps are rebuilt
  from the leading/trailing gaps and document lengths in a few vector operations.

Exactly equal to `end_to_end(arrays.take_documents(sorted draws))` for units of positive length
(tests check this); zero-length units (never produced by spans) are not supported here.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .measure import Measure, undefined
from .unitizing import _category_sums, _ratio
from .unitizing_corpus import UnitArrays


class _Category:
    """Per-document parts of one category."""

    def __init__(self, a: UnitArrays, ci: int) -> None:
        n_docs, raters = len(a.lengths), a.raters
        sel = a.cat == ci
        doc, rater, b, e = a.doc[sel], a.rater[sel], a.start[sel], a.end[sel]
        off = np.concatenate([[0], np.cumsum(a.lengths)])[:-1]
        order = np.lexsort((e - b, b, doc, rater))
        doc, rater, b, e = doc[order], rater[order], b[order], e[order]
        raw_o, _num_e, sq, n_c = _category_sums(doc, rater, b + off[doc], e + off[doc], n_docs, off, a.lengths, raters)
        length = (e - b).astype(float)
        self.raw_o, self.sq, self.n_c = raw_o, sq, n_c
        self.s3 = np.bincount(doc, weights=(2 * length**3 - 3 * length**2 + length) / 3, minlength=n_docs)
        # leading/trailing gap per (rater, document); -1 where the rater has no unit there
        self.lead = np.full((raters, n_docs), -1, dtype=np.int64)
        self.trail = np.full((raters, n_docs), -1, dtype=np.int64)
        key = rater * n_docs + doc
        change = key[1:] != key[:-1]
        first = np.append(True, change)[: len(key)]
        last = np.append(change, True)[: len(key)]
        self.lead[rater[first], doc[first]] = b[first]
        self.trail[rater[last], doc[last]] = a.lengths[doc[last]] - e[last]
        # inner gaps (between consecutive units of a rater in one document)
        inner = ~first[1:] & (b[1:] > e[:-1])
        gap, gdoc = (b[1:] - e[:-1])[inner], doc[1:][inner]
        # A[d, j]: sum of l^2 over units of d with the j-th distinct length l_j;
        # F[d, j]: sum over inner gaps g of d with g >= l_j of (g - l_j + 1). The inner-gap term
        # of a resample is then (w A) . (w F): sum over unit/gap document pairs, factorised.
        self.lengths_u, inv = np.unique(length, return_inverse=True)
        m = len(self.lengths_u)
        self.A = np.bincount(doc * m + inv, weights=length**2, minlength=n_docs * m).reshape(n_docs, m)
        big = int(gap.max(initial=0)) + int(self.lengths_u.max(initial=0)) + 2
        gkey = gdoc.astype(np.int64) * big + gap
        gorder = np.argsort(gkey)
        gkey, gs = gkey[gorder], gap[gorder].astype(float)
        cs = np.concatenate([[0.0], np.cumsum(gs)])
        grid = np.arange(n_docs)[:, None] * big + self.lengths_u.astype(np.int64)[None, :]
        pos = np.searchsorted(gkey, grid)
        end = np.searchsorted(gkey, (np.arange(n_docs) + 1) * big)[:, None]
        self.F = (cs[end] - cs[pos]) - (self.lengths_u[None, :] - 1) * (end - pos)

    def boundary_term(self, seq: NDArray[Any], doc_len: NDArray[Any], hw: NDArray[Any]) -> float:
        """Gap term of the gaps that run across document boundaries in the drawn sequence."""
        s = np.concatenate([[0], np.cumsum(doc_len[seq])])
        total = s[-1]
        gaps = []
        for r in range(self.lead.shape[0]):
            lead, trail = self.lead[r, seq], self.trail[r, seq]
            u = np.flatnonzero(lead >= 0)
            if len(u) == 0:
                gaps.append(np.array([total]))
                continue
            mid = trail[u[:-1]] + (s[u[1:]] - s[u[:-1] + 1]) + lead[u[1:]]
            gaps.append(np.concatenate([[s[u[0]] + lead[u[0]]], mid, [trail[u[-1]] + total - s[u[-1] + 1]]]))
        g = np.sort(np.concatenate(gaps))
        g = g[g > 0].astype(float)
        cs = np.concatenate([[0.0], np.cumsum(g)])
        pos = np.searchsorted(g, self.lengths_u)
        f = (cs[-1] - cs[pos]) - (self.lengths_u - 1) * (len(g) - pos)
        return float(hw @ f)


class DocumentResampler:
    """alpha_U (overall and per category) of resampled corpora of `arrays`' documents."""

    def __init__(self, arrays: UnitArrays) -> None:
        if (arrays.end <= arrays.start).any():
            raise ValueError("zero-length units are not supported by the fast resampler")
        self.arrays = arrays
        self.parts = [_Category(arrays, ci) for ci in range(len(arrays.cats))]

    def alpha(self, draws: NDArray[Any]) -> tuple[Measure, dict[Hashable, Measure]]:
        a = self.arrays
        seq = np.sort(draws)
        w = np.bincount(seq, minlength=len(a.lengths)).astype(float)
        big_l = float(w @ a.lengths)
        r = float(a.raters)
        per: dict[Hashable, Measure] = {}
        sum_o = sum_e = 0.0
        for name, p in zip(a.cats, self.parts, strict=True):
            n = float(w @ p.n_c)
            if n == 0:
                per[name] = undefined("no coder used this category (code)")
                continue
            hw = w @ p.A
            num_e = (n - 1) * float(w @ p.s3) + float(hw @ (w @ p.F))
            num_e += p.boundary_term(seq, a.lengths, hw)
            d_o = 2 * float(w @ p.raw_o) / (r * (r - 1) * big_l**2)
            d_e = (2 / big_l) * num_e / (r * big_l * (r * big_l - 1) - float(w @ p.sq))
            sum_o, sum_e = sum_o + d_o, sum_e + d_e
            per[name] = _ratio(d_o, d_e, True, D_o=d_o, D_e=d_e, units=int(n))
        if not any(m.defined for m in per.values()):
            return undefined("no units: nobody marked anything, so alpha_U is 0/0"), per
        return _ratio(sum_o, sum_e, True, D_o=sum_o, D_e=sum_e), per
