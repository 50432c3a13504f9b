"""alpha_U over a corpus of documents: units as arrays, per document, laid end to end, order-free.

Two ways to put several documents into one alpha_U:
- **order-free (the default, `pooled`)**: each document is its own continuum (no unit and no gap
  crosses a document boundary); observed and expected disagreement are pooled over documents, so
  any order of the documents gives the same value. See `unitizing_pooled`.
- **laid end to end (`end_to_end`, the `--concatenate` option)**: the documents form one continuum in
  document order, as DKPro Statistics and INCEpTION compute it; the gap at the end of one document
  merges with the gap at the start of the next, so the value depends on the order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .measure import undefined
from .unitizing import UnitizingResult, _categories, _grouped, _merge_arrays


@dataclass(frozen=True)
class CorpusUnitizingResult:
    """Documents laid end to end (`corpus`: overall and per category) and each on its own."""

    corpus: UnitizingResult
    per_document: list[UnitizingResult]
    total_length: int


@dataclass(frozen=True)
class UnitArrays:
    """Units of several documents as int arrays, sorted by document; `cats` names category ids.

    Built once by `unit_arrays`, then reused (the bootstrap resamples documents from it).
    """

    rater: NDArray[Any]
    cat: NDArray[Any]
    doc: NDArray[Any]
    start: NDArray[Any]
    end: NDArray[Any]
    cats: list[Hashable]
    lengths: NDArray[Any]
    raters: int

    def take_documents(self, docs: NDArray[Any]) -> UnitArrays:
        """The corpus made of documents `docs` (repeats allowed), in that order."""
        bounds = np.searchsorted(self.doc, np.arange(len(self.lengths) + 1))
        counts = bounds[docs + 1] - bounds[docs]
        first = np.repeat(bounds[docs] - np.cumsum(counts) + counts, counts)
        idx = first + np.arange(counts.sum())
        new_doc = np.repeat(np.arange(len(docs)), counts)
        return UnitArrays(
            self.rater[idx],
            self.cat[idx],
            new_doc,
            self.start[idx],
            self.end[idx],
            self.cats,
            self.lengths[docs],
            self.raters,
        )


def unit_arrays(
    lengths: Sequence[int],
    raters: int,
    units: Iterable[tuple[int, Hashable, int, int, int]],
    *,
    merge: bool = True,
    categories: Sequence[Hashable] | None = None,
) -> UnitArrays:
    """Validate and encode (rater, category, document index, start, end) units; merge=True merges
    a rater's overlapping or touching same-category units within each document."""
    rows = list(units)
    cats = _categories((r[1] for r in rows), categories)
    index = {c: i for i, c in enumerate(cats)}
    arr = np.array([(r, index[c], d, s, e) for r, c, d, s, e in rows], dtype=np.int64)
    rater, cat, seg, b, e = (arr.reshape(-1, 5)[:, i] for i in range(5))
    return encoded_units(lengths, raters, rater, cat, seg, b, e, cats, merge=merge)


def encoded_units(
    lengths: Sequence[int] | NDArray[Any],
    raters: int,
    rater: NDArray[Any],
    cat: NDArray[Any],
    seg: NDArray[Any],
    b: NDArray[Any],
    e: NDArray[Any],
    cats: Sequence[Hashable],
    *,
    merge: bool = True,
) -> UnitArrays:
    """`unit_arrays` for units already encoded as int arrays (cat indexes `cats`)."""
    cats = list(cats)
    seg_len = np.asarray(lengths, dtype=np.int64).reshape(-1)
    _validate(rater, seg, b, e, raters, seg_len)
    if merge:
        seg, rater, cat, b, e = _merge_arrays(seg, rater, cat, b, e)
    order = np.argsort(seg, kind="stable")
    return UnitArrays(rater[order], cat[order], seg[order], b[order], e[order], cats, seg_len, raters)


def per_document(arrays: UnitArrays, begin: int = 0) -> list[UnitizingResult]:
    """alpha_U of each document on its own continuum [begin, begin + length)."""
    a = arrays
    if a.raters < 2:
        return [UnitizingResult(undefined(f"needs at least two raters (got {a.raters})"), {}) for _ in a.lengths]
    seg_begin = np.full(len(a.lengths), begin, dtype=np.int64)
    res = _grouped(
        a.doc, a.rater, a.cat, a.start + begin, a.end + begin, seg_begin, np.maximum(a.lengths, 1), a.raters, a.cats
    )
    return [
        UnitizingResult(undefined("empty continuum (length 0)"), {}) if a.lengths[i] <= 0 else r
        for i, r in enumerate(res)
    ]


def end_to_end(arrays: UnitArrays) -> UnitizingResult:
    """alpha_U of the documents laid end to end in their order (offsets shifted by the
    cumulative length of the documents before)."""
    a = arrays
    if a.raters < 2:
        return UnitizingResult(undefined(f"needs at least two raters (got {a.raters})"), {})
    shift = np.concatenate([[0], np.cumsum(a.lengths)])
    total = int(shift[-1])
    if total <= 0:
        return UnitizingResult(undefined("empty continuum (no characters)"), {})
    zero = np.zeros(len(a.start), dtype=np.int64)
    return _grouped(
        zero,
        a.rater,
        a.cat,
        a.start + shift[a.doc],
        a.end + shift[a.doc],
        np.zeros(1, dtype=np.int64),
        np.array([total]),
        a.raters,
        a.cats,
    )[0]


def corpus_alpha_u(
    lengths: Sequence[int],
    raters: int,
    units: Iterable[tuple[int, Hashable, int, int, int]],
    *,
    merge: bool = True,
    categories: Sequence[Hashable] | None = None,
    begin: int = 0,
) -> list[UnitizingResult]:
    """alpha_U for each of several continua (documents) of the given lengths, computed together.

    `units` are (rater, category, document index, start, end), offsets relative to the start of
    their document. Returns one UnitizingResult per document (`corpus_alpha` adds the corpus).
    """
    arrays = unit_arrays(lengths, raters, units, merge=merge, categories=categories)
    return per_document(arrays, begin)


def _validate(
    rater: NDArray[Any], seg: NDArray[Any], b: NDArray[Any], e: NDArray[Any], raters: int, seg_len: NDArray[Any]
) -> None:
    if len(rater) == 0:
        return
    if rater.min() < 0 or rater.max() >= raters:
        raise ValueError(f"rater index outside 0..{raters - 1}")
    if seg.min() < 0 or seg.max() >= len(seg_len):
        raise ValueError("document index out of range")
    bad = (b < 0) | (e < b) | (e > seg_len[seg])
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"unit {int(b[i])}..{int(e[i])} of rater {int(rater[i])} lies outside "
            f"its continuum of length {int(seg_len[seg[i]])} or has negative length"
        )


def corpus_alpha(
    lengths: Sequence[int],
    raters: int,
    units: Iterable[tuple[int, Hashable, int, int, int]],
    *,
    merge: bool = True,
    categories: Sequence[Hashable] | None = None,
) -> CorpusUnitizingResult:
    """Documents laid end to end in the given order (offsets shifted by cumulative length) give
    the overall values; each document also gets its own values.

    `units` are (rater, category, document index, start, end) with document-local offsets.
    With merge=True a rater's overlapping/touching same-category units are merged within each
    document first (never across a document boundary).
    """
    arrays = unit_arrays(lengths, raters, units, merge=merge, categories=categories)
    return CorpusUnitizingResult(end_to_end(arrays), per_document(arrays), int(np.sum(arrays.lengths)))
