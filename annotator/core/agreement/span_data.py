"""The selection's spans as integer arrays, built once and shared by every span measure.

A span is (coder, code, document, start, end) with code-point offsets into its document, end
exclusive. Spans of other coders, codes or documents are dropped; spans reaching past their
text are clipped (and counted); empty ones are dropped.

Code groups ("per parent"): a code that has children in the codebook is a group; a span of any
descendant code counts as a span of each group above it, so two coders who chose sibling codes
for the same passage agree at the group level. A coder's overlapping or touching spans of one
group are one unit there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray


class SpanLike(Protocol):
    """What the span measures read from a span (annotator.core.spans.SpanRecord fits)."""

    document: str
    coder: str
    code_key: str
    start: int
    end: int


@dataclass(frozen=True)
class SpanArrays:
    """Spans as parallel int arrays; `codes[code[i]]` names span i's code, `coders[coder[i]]` its coder."""

    coder: NDArray[Any]
    code: NDArray[Any]
    doc: NDArray[Any]
    start: NDArray[Any]
    end: NDArray[Any]
    coders: list[str]
    codes: list[str]
    lengths: NDArray[Any]
    clipped: int = 0

    def __len__(self) -> int:
        return len(self.start)

    def rows(self) -> list[tuple[int, str, int, int, int]]:
        """(coder index, code key, document index, start, end) per span, for unit_arrays."""
        keys = self.codes
        return [
            (int(r), keys[int(c)], int(d), int(s), int(e))
            for r, c, d, s, e in zip(self.coder, self.code, self.doc, self.start, self.end, strict=True)
        ]

    def counts(self) -> NDArray[Any]:
        """coders x codes span counts."""
        flat = np.bincount(self.coder * len(self.codes) + self.code, minlength=len(self.coders) * len(self.codes))
        return flat.reshape(len(self.coders), len(self.codes))


def span_arrays(
    documents: Sequence[tuple[str, str]],
    spans: Iterable[Any],
    coders: Sequence[str],
    codes: Sequence[str],
) -> SpanArrays:
    """Encode the selection's spans (objects with document, coder, code_key, start, end, or
    5-tuples in that order; SpanArrays of the same coders and codes pass through)."""
    if isinstance(spans, SpanArrays):
        if spans.coders != list(coders) or spans.codes != list(codes) or len(spans.lengths) != len(documents):
            raise ValueError("SpanArrays given for other coders, codes or documents")
        return spans
    doc_index = {name: i for i, (name, _t) in enumerate(documents)}
    cidx = {c: i for i, c in enumerate(coders)}
    kidx = {k: i for i, k in enumerate(codes)}
    rows: list[tuple[int, int, int, int, int]] = []
    for s in spans:
        doc, coder, code, start, end = s if isinstance(s, tuple) else (s.document, s.coder, s.code_key, s.start, s.end)
        d, r, k = doc_index.get(doc), cidx.get(coder), kidx.get(code)
        if d is None or r is None or k is None:
            continue
        rows.append((r, k, d, int(start), int(end)))
    lengths = np.array([len(t) for _n, t in documents], dtype=np.int64)
    arr = np.array(rows, dtype=np.int64).reshape(-1, 5)
    rater, code, doc, start, end = (arr[:, i] for i in range(5))
    cs, ce = np.maximum(start, 0), np.minimum(end, lengths[doc] if len(doc) else end)
    clipped = int(np.sum((cs != start) | (ce != end)))
    keep = ce > cs
    return SpanArrays(
        rater[keep], code[keep], doc[keep], cs[keep], ce[keep], list(coders), list(codes), lengths, clipped
    )


def code_groups(codes: Sequence[str], parents: Mapping[str, str | None]) -> dict[str, list[str]]:
    """group key -> the selected codes below it (any depth), for every ancestor of a selected code,
    in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for code in codes:
        seen: set[str] = set()
        p = parents.get(code)
        while p is not None and p not in seen:
            seen.add(p)
            groups.setdefault(p, []).append(code)
            p = parents.get(p)
    return groups


def by_group(sp: SpanArrays, groups: Mapping[str, Sequence[str]]) -> SpanArrays:
    """The spans again with each span's code replaced by each group that contains it, and a
    coder's overlapping or touching spans of one group merged into one unit: at the group level a
    passage coded with two sibling codes is one passage (for F1 as for alpha_U)."""
    names = list(groups)
    kidx = {k: i for i, k in enumerate(sp.codes)}
    pairs = [(kidx[c], g) for g, members in enumerate(groups.values()) for c in members if c in kidx]
    if not pairs or len(sp) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return SpanArrays(empty, empty, empty, empty, empty, sp.coders, names, sp.lengths)
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    lo = np.searchsorted(src, sp.code, side="left")
    hi = np.searchsorted(src, sp.code, side="right")
    cnt = hi - lo
    idx = np.repeat(np.arange(len(sp)), cnt)
    pos = np.repeat(lo, cnt) + (np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt))
    return SpanArrays(sp.coder[idx], dst[pos], sp.doc[idx], sp.start[idx], sp.end[idx], sp.coders, names, sp.lengths)
