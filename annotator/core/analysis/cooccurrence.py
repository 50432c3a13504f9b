"""Co-occurrence tables: which codes one coder applied together, and how often.

Units (`unit`), each counted per coder and summed over the coders given:
- overlap: the number of pairs of spans of one coder that share at least one character;
- sentence: the number of sentences in which one coder coded both codes (a span touching a sentence
  by one character counts for it); sentence starts come from the project's sentence splitter
  (`core.segment`), passed in as `boundaries`;
- paragraph: the same with paragraphs (blank-line separated, `units.paragraph_starts`);
- document: the number of documents in which one coder coded both codes.

Each span counts for one row: the nearest of the selected codes at or above its own code, so with
`threat` selected (and not its children) every threat.* span counts as `threat`, and with both
`threat` and `threat.terrorism` selected a terrorism span counts as `threat.terrorism` only: a
passage never co-occurs with itself through its parent. Spans under no selected code are left out.
The diagonal (a code with itself) is not counted and stays empty. The table is symmetric; a row's
Total is the sum of its cells (co-occurrences of that code with any other), and the corner is the
sum of all cells, in which each co-occurrence appears twice (once per direction).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from annotator.core.analysis.codetree import CodeTree
from annotator.core.analysis.columns import IntArray, SpanColumns, dense_rank, distinct, first_occurrences
from annotator.core.analysis.crosstab import Crosstab
from annotator.core.analysis.intervals import expand_ranges, overlap_pairs
from annotator.core.analysis.units import Boundaries, UnitIndex, whole_documents

Unit = Literal["overlap", "sentence", "paragraph", "document"]
UNITS: tuple[Unit, ...] = ("overlap", "sentence", "paragraph", "document")


def cooccurrence(
    spans: SpanColumns,
    tree: CodeTree,
    *,
    unit: Unit = "overlap",
    codes: Sequence[str] | None = None,
    boundaries: Boundaries | None = None,
) -> Crosstab:
    """Codes x codes (`codes`, default the codes that occur, in codebook order), counted per `unit`."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; choose from {', '.join(UNITS)}")
    keys = tuple(codes) if codes is not None else _used_codes(spans, tree)
    for key in keys:
        if key not in tree:
            raise ValueError(tree.unknown_key_message(key))
    rows, label = _labels(spans, tree, keys)
    n = len(keys)
    if unit == "overlap":
        a, b = _overlap_pairs(spans, rows)
    else:
        if unit == "document":
            boundaries = whole_documents
        elif boundaries is None:
            raise ValueError(f"unit '{unit}' needs the {unit} boundaries of each document")
        a, b = _unit_pairs(spans, rows, label, UnitIndex(spans.document[rows], boundaries))
    la, lb = label[a], label[b]
    distinct = la != lb
    la, lb = la[distinct], lb[distinct]
    counts = np.bincount(np.concatenate([la * n + lb, lb * n + la]), minlength=n * n)
    cells = counts.astype(np.float64).reshape(n, n)
    np.fill_diagonal(cells, np.nan)
    row_totals = np.nansum(cells, axis=1)
    return Crosstab("code", "code", keys, keys, cells, row_totals, row_totals.copy(), float(row_totals.sum()))


def _used_codes(spans: SpanColumns, tree: CodeTree) -> tuple[str, ...]:
    used = {spans.code_keys[int(c)] for c in distinct(spans.code)}
    return tuple(k for k in tree.keys if k in used)


def _labels(spans: SpanColumns, tree: CodeTree, keys: Sequence[str]) -> tuple[IntArray, IntArray]:
    """Rows of the spans that count, and for each the row number of its nearest selected code."""
    selected = {key: i for i, key in enumerate(keys)}
    table = np.full(max(spans.code_ids.values(), default=-1) + 1, -1, np.int64)
    for key, code_id in spans.code_ids.items():
        if key not in tree or code_id < 0:
            continue
        for candidate in (key, *tree.ancestors(key)):
            if candidate in selected:
                table[code_id] = selected[candidate]
                break
    if not len(spans):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    safe = np.where((spans.code >= 0) & (spans.code < len(table)), spans.code, 0)
    label = np.where((spans.code >= 0) & (spans.code < len(table)), table[safe], -1)
    rows = np.flatnonzero(label >= 0).astype(np.int64)
    return rows, label


def _overlap_pairs(spans: SpanColumns, rows: IntArray) -> tuple[IntArray, IntArray]:
    g, s, e = spans.group[rows], spans.start[rows], spans.end[rows]
    ia, ib = overlap_pairs(g, s, e, g, s, e)
    once = ia < ib  # each unordered pair of distinct spans once
    return rows[ia[once]], rows[ib[once]]


def _unit_pairs(spans: SpanColumns, rows: IntArray, label: IntArray, units: UnitIndex) -> tuple[IntArray, IntArray]:
    """Pairs of span rows standing for two different codes of one coder in one unit, one per unit.

    Every span becomes (coder, unit, code) for each unit it touches; duplicates go; within each
    (coder, unit) every two distinct codes form one pair.
    """
    first, stop = units.unit_range(spans.document[rows], spans.start[rows], spans.end[rows])
    owner, offset = expand_ranges(np.zeros(len(rows), np.int64), stop - first)
    unit = first[owner] + offset
    row = rows[owner]
    _, coder_rank = dense_rank(spans.coder[row])
    n_labels = int(label.max()) + 1 if len(label) else 1
    place = (coder_rank * max(len(units), 1) + unit) * n_labels + label[row]
    place, keep = first_occurrences(place)
    row = row[keep]
    bucket = place // n_labels
    boundary = np.flatnonzero(np.diff(bucket)) + 1
    bucket_end = np.repeat(np.append(boundary, len(bucket)), np.diff(np.concatenate([[0], boundary, [len(bucket)]])))
    i, j = expand_ranges(np.arange(len(bucket), dtype=np.int64) + 1, bucket_end)
    return row[i], row[j]
