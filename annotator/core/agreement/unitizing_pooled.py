"""Order-free alpha_U: each document its own continuum, disagreement pooled over documents.

For one category c with R raters over documents of total length L (the formulas of `unitizing`,
with every gap ending at its document's boundary):

    D_o(c) = 2 / (R (R-1) L^2) * sum over documents of the raw observed sums
    D_e(c) = (2/L) * [ (N_c-1) sum_units (2l^3-3l^2+l)/3 + sum_units l^2 sum_{gaps g >= l} (g-l+1) ]
             / ( R L (R L - 1) - sum_units l (l-1) )

where the units and gaps range over all documents: expected disagreement pairs any unit with any
gap anywhere in the corpus, as alpha's expected disagreement pools all values. No term depends on
which document follows which, so every order gives the identical value; one document gives the
single-continuum (DKPro) value.

Every sum is a sum over documents, including the unit-gap term once it is factorised by unit
length: with A[d, j] = sum of l^2 over d's units of the j-th distinct length l_j and
F[d, j] = sum over d's gaps g >= l_j of (g - l_j + 1), the term is (w A) . (w F) for document
weights w. So the point estimate (w = 1) and thousands of document resamples (w = draw counts) are
a few matrix products.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .measure import Measure, defined, undefined
from .unitizing import UnitizingResult, _check_disjoint, _gaps, _observed
from .unitizing_corpus import UnitArrays

NO_UNITS = "no units: nobody marked anything, so alpha_U is 0/0"


@dataclass(frozen=True)
class CategoryParts:
    """Per-document parts of one category; any weighting of documents combines them."""

    raw_o: NDArray[Any]  # (D,) raw observed sums
    n_c: NDArray[Any]  # (D,) units
    s3: NDArray[Any]  # (D,) sum (2l^3 - 3l^2 + l)/3
    sq: NDArray[Any]  # (D,) sum l(l-1)
    positive: NDArray[Any]  # (D,) units of positive length
    a: NDArray[Any]  # (D, m) sum of l^2 by distinct length
    f: NDArray[Any]  # (D, m) gap sums by distinct length


def category_parts(arrays: UnitArrays, ci: int) -> CategoryParts:
    """The per-document parts of category index `ci`."""
    ar = arrays
    n_docs, raters = len(ar.lengths), ar.raters
    sel = ar.cat == ci
    doc, rater, b, e = ar.doc[sel], ar.rater[sel], ar.start[sel], ar.end[sel]
    off = np.concatenate([[0], np.cumsum(ar.lengths)])[:-1].astype(np.int64)
    order = np.lexsort((e - b, b, doc, rater))
    doc, rater, b, e = doc[order], rater[order], b[order] + off[doc[order]], e[order] + off[doc[order]]
    _check_disjoint(doc, rater, b, e)
    raw_o = _observed(doc, rater, b, e, n_docs, raters)
    gap, gdoc = _gaps(doc, rater, b, e, off, ar.lengths.astype(np.int64), raters)
    length = (e - b).astype(float)
    lengths_u, inv = np.unique(length, return_inverse=True)
    m = len(lengths_u)
    a = np.bincount(doc * m + inv, weights=length**2, minlength=n_docs * m).reshape(n_docs, m)
    big = int(gap.max(initial=0)) + int(lengths_u.max(initial=0)) + 2
    gkey = gdoc.astype(np.int64) * big + gap
    gorder = np.argsort(gkey)
    gkey, gs = gkey[gorder], gap[gorder].astype(float)
    cs = np.concatenate([[0.0], np.cumsum(gs)])
    grid = np.arange(n_docs)[:, None] * big + lengths_u.astype(np.int64)[None, :]
    pos = np.searchsorted(gkey, grid)
    end = np.searchsorted(gkey, (np.arange(n_docs) + 1) * big)[:, None]
    f = (cs[end] - cs[pos]) - (lengths_u[None, :] - 1) * (end - pos)
    return CategoryParts(
        raw_o,
        np.bincount(doc, minlength=n_docs).astype(float),
        np.bincount(doc, weights=(2 * length**3 - 3 * length**2 + length) / 3, minlength=n_docs),
        np.bincount(doc, weights=length * (length - 1), minlength=n_docs),
        np.bincount(doc, weights=(length > 0).astype(float), minlength=n_docs),
        a,
        f,
    )


def _weighted(p: CategoryParts, w: NDArray[Any], lengths: NDArray[Any], raters: int) -> tuple[NDArray[Any], ...]:
    """D_o, D_e, units and positive units per row of document weights w (B, D)."""
    big_l = w @ lengths
    r = float(raters)
    n = w @ p.n_c
    num_e = (n - 1) * (w @ p.s3) + np.einsum("bj,bj->b", w @ p.a, w @ p.f)
    with np.errstate(divide="ignore", invalid="ignore"):
        d_o = 2 * (w @ p.raw_o) / (r * (r - 1) * big_l**2)
        d_e = (2 / big_l) * num_e / (r * big_l * (r * big_l - 1) - w @ p.sq)
    return d_o, d_e, n, w @ p.positive


def _alpha(d_o: NDArray[Any], d_e: NDArray[Any], positive: NDArray[Any]) -> NDArray[Any]:
    """1 - D_o/D_e with DKPro's conventions (D_o == D_e: 1 if both 0 with a positive unit, else 0);
    NaN where D_e is 0 and D_o is not."""
    same = np.isclose(d_o, d_e, rtol=1e-12, atol=0.0)
    out = np.full(d_o.shape, np.nan)
    np.divide(d_o, d_e, out=out, where=(d_e != 0) & ~same)
    out = np.where(np.isnan(out), np.nan, 1 - out)
    return np.where(same, np.where((d_o == 0) & (positive > 0), 1.0, 0.0), out)


class PooledAlpha:
    """Order-free alpha_U of a corpus and of any resample of its documents."""

    def __init__(self, arrays: UnitArrays) -> None:
        self.arrays = arrays
        self.lengths = arrays.lengths.astype(float)
        self.parts = [category_parts(arrays, ci) for ci in range(len(arrays.cats))]

    def values(self, w: NDArray[Any]) -> NDArray[Any]:
        """(B, 1 + C): overall alpha_U then each category's, NaN where undefined."""
        b = w.shape[0]
        out = np.full((b, 1 + len(self.parts)), np.nan)
        sum_o, sum_e, pos_any = np.zeros(b), np.zeros(b), np.zeros(b)
        used = np.zeros(b, dtype=bool)
        for ci, p in enumerate(self.parts):
            d_o, d_e, n, pos = _weighted(p, w, self.lengths, self.arrays.raters)
            has = n > 0
            out[:, 1 + ci] = np.where(has, _alpha(d_o, d_e, pos), np.nan)
            sum_o += np.where(has, d_o, 0.0)
            sum_e += np.where(has, d_e, 0.0)
            pos_any += np.where(has, pos, 0.0)
            used |= has
        out[:, 0] = np.where(used, _alpha(sum_o, sum_e, pos_any), np.nan)
        return out

    def per_document(self) -> list[UnitizingResult]:
        """Each document on its own continuum (as `unitizing_corpus.per_document`), from the same parts:
        a document's own terms are the pooled formula with that document's weight alone."""
        a = self.arrays
        n_docs = len(self.lengths)
        if a.raters < 2:
            why = undefined(f"needs at least two raters (got {a.raters})")
            return [UnitizingResult(why, {}) for _ in range(n_docs)]
        big_l, r = self.lengths, float(a.raters)
        cols = []
        for p in self.parts:
            num_e = (p.n_c - 1) * p.s3 + np.einsum("dj,dj->d", p.a, p.f)
            with np.errstate(divide="ignore", invalid="ignore"):
                d_o = 2 * p.raw_o / (r * (r - 1) * big_l**2)
                d_e = (2 / big_l) * num_e / (r * big_l * (r * big_l - 1) - p.sq)
            cols.append((d_o, d_e, p.n_c, p.positive))
        out = []
        for d in range(n_docs):
            if big_l[d] <= 0:
                out.append(UnitizingResult(undefined("empty continuum (length 0)"), {}))
                continue
            per: dict[Hashable, Measure] = {}
            sum_o = sum_e = 0.0
            positive = False
            for name, (d_o, d_e, n, pos) in zip(a.cats, cols, strict=True):
                if n[d] == 0:
                    per[name] = undefined("no coder used this category (code)")
                    continue
                sum_o, sum_e, positive = sum_o + float(d_o[d]), sum_e + float(d_e[d]), positive or pos[d] > 0
                per[name] = _measure(float(d_o[d]), float(d_e[d]), bool(pos[d] > 0), units=int(n[d]))
            if not any(m.defined for m in per.values()):
                out.append(UnitizingResult(undefined(NO_UNITS), per))
            else:
                out.append(UnitizingResult(_measure(sum_o, sum_e, positive), per))
        return out

    def result(self) -> tuple[Measure, dict[Hashable, Measure]]:
        """The corpus's own overall and per-category values, with D_o and D_e in details."""
        a = self.arrays
        if a.raters < 2:
            why = undefined(f"needs at least two raters (got {a.raters})")
            return why, dict.fromkeys(a.cats, why)
        if float(self.lengths.sum()) <= 0:
            why = undefined("empty continuum (no characters)")
            return why, dict.fromkeys(a.cats, why)
        w = np.ones((1, len(self.lengths)))
        per: dict[Hashable, Measure] = {}
        sum_o = sum_e = 0.0
        positive = False
        for name, p in zip(a.cats, self.parts, strict=True):
            d_o, d_e, n, pos = (float(x[0]) for x in _weighted(p, w, self.lengths, a.raters))
            if n == 0:
                per[name] = undefined("no coder used this category (code)")
                continue
            sum_o, sum_e, positive = sum_o + d_o, sum_e + d_e, positive or pos > 0
            per[name] = _measure(d_o, d_e, pos > 0, units=int(n))
        if not any(m.defined for m in per.values()):
            return undefined(NO_UNITS), per
        return _measure(sum_o, sum_e, positive), per


def _measure(d_o: float, d_e: float, positive: bool, **info: int) -> Measure:
    if math.isclose(d_o, d_e, rel_tol=1e-12):
        return defined(1.0 if (d_o == 0 and positive) else 0.0, D_o=d_o, D_e=d_e, convention="D_o == D_e", **info)
    if d_e == 0:
        return undefined("expected disagreement D_e is 0 while D_o is not", D_o=d_o, D_e=d_e, **info)
    return defined(1 - d_o / d_e, D_o=d_o, D_e=d_e, **info)
