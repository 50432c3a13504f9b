"""Span F1 between coders, per code and micro-averaged, for every coder pair.

A span is (document, code, start, end) with code-point offsets, end exclusive. Identical spans of
one coder count once. For a pair (A, B), with A taken as reference:

- exact match: same document, code, start and end;
- overlap match: same document and code, sharing at least one character, matched one-to-one.
  The matching is a maximum matching, found greedily: take the interval that ends first (either
  coder), pair it with the other coder's unmatched overlapping interval that ends first. For
  intervals this greedy choice is provably maximum (exchange argument), so no Hungarian step.

precision = tp / |B|, recall = tp / |A|, F1 = 2 tp / (|A| + |B|) (symmetric in A and B).
Micro averages add tp, |A|, |B| over codes (and over pairs for the overall micro).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .measure import Measure, defined, undefined

SpanTuple = tuple[Hashable, Hashable, int, int]  # (document, code, start, end)
Mode = Literal["exact", "overlap"]


@dataclass(frozen=True)
class F1Counts:
    """Matched spans and each coder's span count; F1 and friends follow from them."""

    tp: int = 0
    n_a: int = 0
    n_b: int = 0

    def __add__(self, other: F1Counts) -> F1Counts:
        return F1Counts(self.tp + other.tp, self.n_a + other.n_a, self.n_b + other.n_b)

    @property
    def f1(self) -> Measure:
        if self.n_a + self.n_b == 0:
            return undefined("neither coder marked a span here")
        return defined(2 * self.tp / (self.n_a + self.n_b))

    @property
    def precision(self) -> Measure:
        if self.n_b == 0:
            return undefined("the second coder marked no span here")
        return defined(self.tp / self.n_b)

    @property
    def recall(self) -> Measure:
        if self.n_a == 0:
            return undefined("the first coder marked no span here")
        return defined(self.tp / self.n_a)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"tp": self.tp, "spans_a": self.n_a, "spans_b": self.n_b}
        self.f1.put(out, "f1")
        self.precision.put(out, "precision")
        self.recall.put(out, "recall")
        return out


def max_overlap_matching(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching of overlapping (start, end) intervals: (index in a, in b)."""
    items = [(e, s, 0, i) for i, (s, e) in enumerate(a)] + [(e, s, 1, i) for i, (s, e) in enumerate(b)]
    items.sort()
    by_start = [sorted(range(len(a)), key=lambda i: a[i][0]), sorted(range(len(b)), key=lambda i: b[i][0])]
    sides = (a, b)
    ptr = [0, 0]
    heaps: list[list[tuple[int, int]]] = [[], []]
    done = [[False] * len(a), [False] * len(b)]
    pairs: list[tuple[int, int]] = []
    for end, start, side, i in items:
        if done[side][i]:
            continue
        other = 1 - side
        order, ivs, heap = by_start[other], sides[other], heaps[other]
        while ptr[other] < len(order) and ivs[order[ptr[other]]][0] < end:
            j = order[ptr[other]]
            heapq.heappush(heap, (ivs[j][1], j))
            ptr[other] += 1
        while heap and done[other][heap[0][1]]:
            heapq.heappop(heap)
        if heap and heap[0][0] > start:
            _, j = heapq.heappop(heap)
            done[other][j] = True
            pairs.append((i, j) if side == 0 else (j, i))
        done[side][i] = True
    return pairs


def _group(spans: Iterable[SpanTuple]) -> dict[tuple[Hashable, Hashable], list[tuple[int, int]]]:
    groups: dict[tuple[Hashable, Hashable], set[tuple[int, int]]] = defaultdict(set)
    for doc, code, s, e in spans:
        groups[(doc, code)].add((int(s), int(e)))
    return {k: sorted(v) for k, v in groups.items()}


def pair_counts(
    spans_a: Iterable[SpanTuple], spans_b: Iterable[SpanTuple], mode: Mode = "exact"
) -> dict[Hashable, F1Counts]:
    """F1Counts per code for one coder pair."""
    return _pair_counts(_group(spans_a), _group(spans_b), mode)


def _pair_counts(
    ga: dict[tuple[Hashable, Hashable], list[tuple[int, int]]],
    gb: dict[tuple[Hashable, Hashable], list[tuple[int, int]]],
    mode: Mode,
) -> dict[Hashable, F1Counts]:
    per_code: dict[Hashable, F1Counts] = defaultdict(F1Counts)
    for key in set(ga) | set(gb):
        a, b = ga.get(key, []), gb.get(key, [])
        if mode == "exact":
            tp = len(set(a) & set(b))
        elif mode == "overlap":
            tp = len(max_overlap_matching(a, b)) if a and b else 0
        else:
            raise ValueError(f"unknown mode {mode!r}: use 'exact' or 'overlap'")
        per_code[key[1]] = per_code[key[1]] + F1Counts(tp, len(a), len(b))
    return dict(per_code)


def span_f1(
    spans_by_coder: dict[str, Iterable[SpanTuple]],
    coders: Sequence[str],
    codes: Sequence[Hashable],
    mode: Mode = "exact",
) -> dict[str, Any]:
    """JSON-ready F1 for every coder pair ('A|B', in `coders` order), per code and micro.

    Result: {"mode", "pairs": {"A|B": {"coders", "micro", "per_code": {code: counts}}},
    "micro": counts over all pairs and codes, "per_code": counts over all pairs}; each counts
    object has tp, spans_a, spans_b, f1, precision, recall (null + `<key>_reason` if undefined).
    """
    groups = {c: _group(spans_by_coder.get(c, [])) for c in coders}
    pairs: dict[str, Any] = {}
    total = F1Counts()
    by_code: dict[Hashable, F1Counts] = {c: F1Counts() for c in codes}
    for i, ca in enumerate(coders):
        for cb in coders[i + 1 :]:
            counts = _pair_counts(groups[ca], groups[cb], mode)
            micro = F1Counts()
            per: dict[str, Any] = {}
            for code in codes:
                c = counts.get(code, F1Counts())
                micro, by_code[code] = micro + c, by_code[code] + c
                per[str(code)] = c.to_json()
            total = total + micro
            pairs[f"{ca}|{cb}"] = {"coders": [ca, cb], "micro": micro.to_json(), "per_code": per}
    return {
        "mode": mode,
        "pairs": pairs,
        "micro": total.to_json(),
        "per_code": {str(c): v.to_json() for c, v in by_code.items()},
    }
