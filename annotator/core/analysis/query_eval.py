"""Evaluating a retrieval query over span columns: every operator is a vectorised sweep.

A code term selects span rows (`np.isin`); `and`, `near` and `in-sentence` build the pairs of
intermediate results that overlap within one (document, coder) group (`intervals.overlap_pairs`, on
positions widened by N + 1 for `near`, on sentence numbers for `in-sentence`); `not` asks only
whether any overlap exists (`intervals.overlaps_any`, no pairs built); `or` stacks both sides.
After each step results are sorted by (document, coder, start, end) and exact duplicates (same
extent, same set of spans) are dropped, so `code:a or code:a` or a pair found from both sides
counts once, while different spans with the same extent stay separate results. A pair never joins
a span with itself: `code:threat and code:threat.terrorism` pairs a terrorism span with other
threat spans, not with itself.

Distances: `A near B within N` holds when at most N characters lie between the two spans (touching
or overlapping spans are 0 apart). Sentences for `in-sentence` come from the caller as `Boundaries`
(document id -> sentence start offsets, from the project's sentence splitter `core.segment`), so
this module and the reliability report agree on what a sentence is.
"""

from __future__ import annotations

import numpy as np

from annotator.core.analysis.codetree import CodeTree
from annotator.core.analysis.columns import BoolArray, IntArray, ResultSet, SpanColumns
from annotator.core.analysis.intervals import keys, overlap_pairs, overlaps_any, widen
from annotator.core.analysis.query_syntax import Binary, Node, Term, parse_query
from annotator.core.analysis.units import Boundaries, UnitIndex


class _Context:
    def __init__(self, spans: SpanColumns, sentences: Boundaries | None) -> None:
        self.spans = spans
        self.sentences = sentences
        self._units: UnitIndex | None = None

    @property
    def units(self) -> UnitIndex:
        if self._units is None:
            if self.sentences is None:
                raise ValueError("'in-sentence' needs sentence boundaries (pass sentences=...)")
            self._units = UnitIndex(self.spans.document, self.sentences)
        return self._units


def retrieve(query: str, spans: SpanColumns, tree: CodeTree, *, sentences: Boundaries | None = None) -> ResultSet:
    """Parse `query` against the codebook `tree` and evaluate it (raises QueryError on a malformed query)."""
    return evaluate(parse_query(query, tree), spans, sentences=sentences)


def evaluate(node: Node, spans: SpanColumns, *, sentences: Boundaries | None = None) -> ResultSet:
    """The passages matching `node`, sorted by (document, coder, start, end)."""
    result = _eval(node, _Context(spans, sentences))
    return result if isinstance(node, Binary) and node.op != "not" else sorted_unique(result)


def _eval(node: Node, ctx: _Context) -> ResultSet:
    if isinstance(node, Term):
        return ResultSet.of_rows(ctx.spans, ctx.spans.rows_with_codes(node.keys or (node.key,)))
    left = _eval(node.left, ctx)
    right = _eval(node.right, ctx)
    if node.op == "not":
        hit = overlaps_any(left.group, left.start, left.end, right.group, right.start, right.end)
        return left.take(~hit)
    if node.op == "or":
        width = max(left.width, right.width)
        return sorted_unique(
            ResultSet(
                ctx.spans,
                np.concatenate([left.start, right.start]),
                np.concatenate([left.end, right.end]),
                np.vstack([left.padded(width), right.padded(width)]),
            )
        )
    return sorted_unique(_pairs(node, left, right, ctx))


def _pairs(node: Binary, a: ResultSet, b: ResultSet, ctx: _Context) -> ResultSet:
    if node.op == "and":
        ia, ib = overlap_pairs(a.group, a.start, a.end, b.group, b.start, b.end)
    elif node.op == "near":
        # At most N characters between them <=> they overlap once one side grows by N + 1 each way.
        sa, ea = widen(a.start, a.end, (node.within or 0) + 1)
        ia, ib = overlap_pairs(a.group, sa, ea, b.group, b.start, b.end)
    else:
        fa, la = ctx.units.unit_range(a.document, a.start, a.end)
        fb, lb = ctx.units.unit_range(b.document, b.start, b.end)
        ia, ib = overlap_pairs(a.group, fa, la, b.group, fb, lb)
    ma, mb = a.members[ia], b.members[ib]
    keep = ~_share_a_span(ma, mb)
    ia, ib, ma, mb = ia[keep], ib[keep], ma[keep], mb[keep]
    if node.op == "and":
        start = np.maximum(a.start[ia], b.start[ib])
        end = np.minimum(a.end[ia], b.end[ib])
    else:
        start = np.minimum(a.start[ia], b.start[ib])
        end = np.maximum(a.end[ia], b.end[ib])
    return ResultSet(ctx.spans, start, end, np.hstack([ma, mb]))


def _share_a_span(ma: IntArray, mb: IntArray) -> BoolArray:
    shared = np.zeros(len(ma), bool)
    for i in range(ma.shape[1]):
        for j in range(mb.shape[1]):
            shared |= (ma[:, i] == mb[:, j]) & (ma[:, i] >= 0)
    return shared


def sorted_unique(result: ResultSet) -> ResultSet:
    """Results ordered by (document, coder, start, end, spans), exact duplicates removed."""
    if len(result) < 2:
        return result
    if result.width == 1:
        same_spans = result.members
    elif result.width == 2:
        pair = result.members
        same_spans = np.column_stack([pair.min(axis=1), pair.max(axis=1)])
    else:
        same_spans = np.sort(result.members, axis=1)
    columns = [*_position_keys(result.group, result.start, result.end), *same_spans.T]
    order = np.argsort(columns[0])
    primary = columns[0][order]
    equal = primary[1:] == primary[:-1]
    if not equal.any():
        return result.take(order)  # no two results share a position: ordered, and no duplicates
    # Only the runs of results at the same position need the other columns; they are re-sorted in place
    # (least significant column first, each pass stable: np.lexsort is several times slower).
    tied = np.zeros(len(order), bool)
    tied[1:] |= equal
    tied[:-1] |= equal
    where = np.flatnonzero(tied)
    sub = order[where]
    for column in reversed(columns):
        sub = sub[np.argsort(column[sub], kind="stable")]
    order[where] = sub
    first = np.ones(len(order), bool)
    same = np.ones(len(where) - 1, bool)
    for column in columns:
        ordered = column[sub]
        same &= ordered[1:] == ordered[:-1]
    first[where[1:][same]] = False
    return result.take(order[first])


def _position_keys(group: IntArray, start: IntArray, end: IntArray) -> list[IntArray]:
    """Sort columns for (group, start, end): one packed int64 when the values fit, else two."""
    span = int(end.max()) + 1
    if (int(group.max()) + 1) * span * span < (1 << 62):
        return [(group * span + start) * span + end]
    return [keys(group, start), end]
