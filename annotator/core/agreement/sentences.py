"""Sentences as coding units: each sentence is a unit, each code a yes/no variable.

Sentences come from `annotator.core.segment` (paragraphs at blank lines, single line breaks
joined, abbreviations of English, Russian and German known). A sentence without any word
(a lone dash, a row of dots) cannot be coded and is no unit.

**When a sentence counts as coded** with code c by coder X: when a span of X with code c covers at
least one whole word of the sentence. A span that runs a character or two into the next sentence
(a common slip of the mouse) therefore does not code that sentence; a span covering one complete
word of it does.

Every selected document counts as coded by every selected coder (the selection decides which
documents those are), so a sentence without a span is a "no", never missing. Per code, units
with the same number of "yes" votes are interchangeable; a document is summarised by how many of
its sentences got 0, 1, ..., R "yes" votes (`per_doc`), which is all the chance-corrected
coefficients need (see `chance`), for the corpus and for any document resample.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..segment import sentences, word_spans, words
from .span_data import SpanArrays

RULE = "a sentence counts as coded when a span of the code covers at least one whole word of it"


@dataclass(frozen=True)
class SentenceUnits:
    """Sentences of the selected documents and, per code, who coded which sentence."""

    units: list[tuple[int, int, int]]  # (document index, start, end)
    doc: NDArray[Any]  # (S,) document index of each sentence
    matrices: dict[Hashable, NDArray[Any]]  # code -> coders x sentences 0/1
    n_docs: int

    def per_doc(self, code: Hashable) -> NDArray[Any]:
        """(D, R + 1): how many sentences of each document got 0..R 'yes' votes for `code`."""
        m = self.matrices[code]
        r = m.shape[0]
        yes = m.sum(0)
        flat = np.bincount(self.doc * (r + 1) + yes, minlength=self.n_docs * (r + 1))
        return flat.reshape(self.n_docs, r + 1).astype(float)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences of `text` that contain a word: (start, end) code-point offsets."""
    return [(a, b) for a, b in sentences(text) if next(words(text, a, b), None) is not None]


def _cat(parts: list[NDArray[Any]]) -> NDArray[Any]:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def sentence_units(documents: Sequence[tuple[str, str]], sp: SpanArrays) -> SentenceUnits:
    """Split the documents and mark, per code and coder, the sentences a span covers a whole word of."""
    starts: list[NDArray[Any]] = []
    ends: list[NDArray[Any]] = []
    w_starts: list[NDArray[Any]] = []
    w_ends: list[NDArray[Any]] = []
    w_sents: list[NDArray[Any]] = []
    docs: list[NDArray[Any]] = []
    shift = n_sent = 0
    shifts: list[int] = []
    for d, (_name, text) in enumerate(documents):
        shifts.append(shift)
        sents = np.array(sentences(text), dtype=np.int64).reshape(-1, 2)
        w = np.array(word_spans(text), dtype=np.int64).reshape(-1, 2)
        in_sent = np.searchsorted(sents[:, 0], w[:, 0], side="right") - 1  # every word lies in a sentence
        used = np.bincount(in_sent, minlength=len(sents)) > 0  # sentences without a word are no units
        renumber = np.cumsum(used) - 1 + n_sent
        starts.append(sents[used, 0])
        ends.append(sents[used, 1])
        docs.append(np.full(int(used.sum()), d, dtype=np.int64))
        w_starts.append(w[:, 0] + shift)
        w_ends.append(w[:, 1] + shift)
        w_sents.append(renumber[in_sent])
        n_sent += int(used.sum())
        shift += len(text) + 1  # +1: a span never reaches into the next document
    doc, ws_arr, we_arr, sent_of = _cat(docs), _cat(w_starts), _cat(w_ends), _cat(w_sents)
    units = list(zip(doc.tolist(), _cat(starts).tolist(), _cat(ends).tolist(), strict=True))
    off = np.array(shifts, dtype=np.int64)
    n_coders = len(sp.coders)
    matrices: dict[Hashable, NDArray[Any]] = {}
    s = sp.start + (off[sp.doc] if len(sp) else 0)
    e = sp.end + (off[sp.doc] if len(sp) else 0)
    first = np.searchsorted(ws_arr, s, side="left")  # first word starting inside the span
    last = np.searchsorted(we_arr, e, side="right") - 1  # last word ending inside the span
    ok = (first <= last) & (first < len(ws_arr))
    for ci, code in enumerate(sp.codes):
        sel = ok & (sp.code == ci)
        lo, hi, who = sent_of[first[sel]], sent_of[last[sel]] + 1, sp.coder[sel]
        diff = np.zeros((n_coders, n_sent + 1), dtype=np.int64)
        np.add.at(diff, (who, lo), 1)
        np.add.at(diff, (who, hi), -1)
        matrices[code] = (np.cumsum(diff, axis=1)[:, :n_sent] > 0).astype(np.int64)
    return SentenceUnits(units, doc, matrices, len(documents))
