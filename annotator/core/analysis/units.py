"""Sentences, paragraphs and documents as numbered units, so "same sentence" is an integer comparison.

`in-sentence` and the co-occurrence tables ask whether two spans touch a common unit. Each unit of
every document gets one global number (documents in id order, units in text order); a span becomes
the range of unit numbers it touches, and "share a unit" becomes "these integer ranges overlap",
which `intervals` answers for a million spans at once.

Sentence boundaries are not computed here: the project has one sentence splitter
(`annotator.core.segment`), and a second one would let "sentence" mean two things. The caller passes
its result as a mapping (or a function) from document id to the sorted start offsets of that
document's sentences. Paragraphs are defined here (blank-line separated) because nothing else needs
them. A unit runs from its start to the next unit's start, so whitespace between two sentences
belongs to the first; text before the first start belongs to the first unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from annotator.core.analysis.columns import IntArray, distinct
from annotator.core.analysis.intervals import keys

# document id -> sorted start offsets (code points) of its units, as a mapping or a function.
Boundaries = Mapping[int, Sequence[int] | npt.NDArray[np.int64]] | Callable[[int], Sequence[int] | IntArray]

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: maximal runs of non-blank lines, trimmed of outer whitespace."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*_PARAGRAPH_BREAK.finditer(text), None]:
        stop = len(text) if m is None else m.start()
        chunk = text[pos:stop]
        stripped = chunk.strip()
        if stripped:
            start = pos + (len(chunk) - len(chunk.lstrip()))
            out.append((start, start + len(stripped)))
        if m is not None:
            pos = m.end()
    return out


def paragraph_starts(text: str) -> list[int]:
    """Start offsets of the paragraphs of `text` (a `Boundaries` value for one document)."""
    return [start for start, _ in paragraph_bounds(text)]


def whole_documents(_document: int) -> list[int]:
    """Boundaries that make each document one unit."""
    return [0]


class UnitIndex:
    """Global unit numbers for positions in the given documents."""

    def __init__(self, documents: IntArray, boundaries: Boundaries) -> None:
        self.documents = distinct(documents)
        lookup: Callable[[int], Sequence[int] | IntArray]
        lookup = boundaries.__getitem__ if isinstance(boundaries, Mapping) else boundaries
        parts: list[IntArray] = []
        for rank, doc in enumerate(self.documents.tolist()):
            try:
                starts = np.asarray(lookup(doc), dtype=np.int64)
            except KeyError:
                raise ValueError(f"no unit boundaries given for document {doc}") from None
            if len(starts) == 0:
                starts = np.zeros(1, np.int64)
            elif np.any(np.diff(starts) < 0) or starts[0] < 0:
                raise ValueError(f"unit starts of document {doc} are not sorted non-negative offsets")
            else:
                starts = starts.copy()
                starts[0] = 0  # text before the first unit belongs to it
            parts.append(keys(np.full(len(starts), rank, np.int64), starts))
        self._keys = np.concatenate(parts) if parts else np.empty(0, np.int64)

    def __len__(self) -> int:
        return len(self._keys)

    def unit_of(self, document: IntArray, position: IntArray) -> IntArray:
        """Global number of the unit holding each (document, position)."""
        if not len(document):
            return np.empty(0, np.int64)
        rank = np.searchsorted(self.documents, document)
        known = rank < len(self.documents)
        if not known.all() or np.any(self.documents[rank] != document):
            raise ValueError("a document without unit boundaries")
        return np.searchsorted(self._keys, keys(rank.astype(np.int64), position), "right").astype(np.int64) - 1

    def unit_range(self, document: IntArray, start: IntArray, end: IntArray) -> tuple[IntArray, IntArray]:
        """[first, last + 1) unit numbers touched by each span (non-empty spans)."""
        first = self.unit_of(document, start)
        last = self.unit_of(document, np.maximum(end - 1, start))
        return first, last + 1
