"""Frequency tables: how often each code occurs per document, per coder or per document attribute.

Counts (`count`):
- spans: the number of spans;
- documents: the number of distinct documents with at least one span;
- characters: the number of characters coded, per coder and document the union of the spans (a
  passage double-coded by one coder counts once), summed over coders and documents.

With `rollup` (the default) a parent code's row counts its own spans and those of every code below
it, so `threat` answers "how often is any threat named"; without it, only spans coded with the
parent itself. Totals count the union of what they sum up, never a span twice: a row's Total is the
count over all its columns (for documents: the distinct documents, not the sum over coders), the
Total row counts every selected span once even when it appears in a child's and its parent's row,
and the corner is the count over everything selected. `per_words` (document id -> number of words)
turns every count into a rate per 1000 words of the documents the column stands for: its document,
the documents with its attribute value, or (for a coder, and for the Total column) all documents
given in `per_words`.

Everything is bincounts over integer codes; no Python step per span.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from annotator.core.analysis.codetree import CodeTree
from annotator.core.analysis.columns import IntArray, SpanColumns, dense_rank, distinct
from annotator.core.analysis.crosstab import Crosstab, FloatArray
from annotator.core.analysis.intervals import keys

Count = Literal["spans", "documents", "characters"]
COUNTS: tuple[Count, ...] = ("spans", "documents", "characters")
MISSING = "(missing)"


@dataclass(frozen=True)
class ColumnsBy:
    """What the columns are: `by` documents, coders or one document attribute.

    `labels` maps a document id (documents, attribute) or coder id (coders) to the column label: the
    document's or coder's name, or the document's value of the attribute. Documents and coders appear
    in the order of `labels`; attribute values sorted, documents without the attribute under
    "(missing)".
    """

    by: Literal["document", "coder", "attribute"]
    labels: Mapping[int, str]
    name: str

    @classmethod
    def documents(cls, names: Mapping[int, str]) -> ColumnsBy:
        return cls("document", names, "document")

    @classmethod
    def coders(cls, names: Mapping[int, str]) -> ColumnsBy:
        return cls("coder", names, "coder")

    @classmethod
    def attribute(cls, key: str, values: Mapping[int, str]) -> ColumnsBy:
        return cls("attribute", values, key)


def frequencies(
    spans: SpanColumns,
    tree: CodeTree,
    columns: ColumnsBy,
    *,
    rows: Sequence[str] | None = None,
    count: Count = "spans",
    rollup: bool = True,
    per_words: Mapping[int, int] | None = None,
) -> Crosstab:
    """Codes (`rows`, default every code of `tree`) x `columns`, counted as `count` (see the module)."""
    if count not in COUNTS:
        raise ValueError(f"unknown count {count!r}; choose from {', '.join(COUNTS)}")
    row_keys = tuple(tree.keys if rows is None else rows)
    for key in row_keys:
        if key not in tree:
            raise ValueError(tree.unknown_key_message(key))
    col_labels, col_of_span = _columns(spans, columns)
    label, member = _memberships(spans, tree, row_keys, rollup)
    n_rows, n_cols = len(row_keys), len(col_labels)
    # Pseudo-row n_rows = every selected span once (the Total row); one pseudo-column = all columns.
    selected = np.zeros(len(spans), bool)
    selected[member] = True
    everything = np.flatnonzero(selected).astype(np.int64)
    label = np.concatenate([label, np.full(len(everything), n_rows, np.int64)])
    member = np.concatenate([member, everything])
    by_col = _count(spans, label, member, col_of_span[member], n_rows + 1, n_cols, count)
    by_row = _count(spans, label, member, np.zeros(len(member), np.int64), n_rows + 1, 1, count)
    cells, col_totals = by_col[:n_rows], by_col[n_rows]
    row_totals, total = by_row[:n_rows, 0], float(by_row[n_rows, 0])
    if per_words is not None:
        words = _column_words(spans, columns, col_labels, per_words)
        all_words = float(sum(per_words.values()))
        cells = _per_thousand(cells, words)
        col_totals = _per_thousand(col_totals, words)
        row_totals = _per_thousand(row_totals, np.array(all_words))
        total = float(_per_thousand(np.array(total), np.array(all_words)))
    return Crosstab("code", columns.name, row_keys, col_labels, cells, row_totals, col_totals, total, per_words is None)


def _columns(spans: SpanColumns, columns: ColumnsBy) -> tuple[tuple[str, ...], IntArray]:
    """Column labels and each span's column number."""
    ids = list(columns.labels)
    source = spans.coder if columns.by == "coder" else spans.document
    if columns.by == "attribute":
        values = sorted(set(columns.labels.values()))
        present = np.isin(spans.document, np.asarray(ids, np.int64))
        if not present.all() or not ids:
            values.append(MISSING)
        index = {v: i for i, v in enumerate(values)}
        per_id = [index[columns.labels[i]] for i in ids]
        missing = len(values) - 1
        return tuple(values), _lookup(source, ids, per_id, default=missing)
    if len(set(columns.labels.values())) != len(ids):
        raise ValueError(f"two {columns.by}s share a name; columns need distinct labels")
    return tuple(columns.labels[i] for i in ids), _lookup(source, ids, list(range(len(ids))), default=None)


def _lookup(source: IntArray, ids: Sequence[int], values: Sequence[int], default: int | None) -> IntArray:
    """values[ids.index(x)] for every x of `source` (vectorised); `default` for ids not listed."""
    if not len(source):
        return np.empty(0, np.int64)
    order = np.argsort(np.asarray(ids, np.int64))
    sorted_ids = np.asarray(ids, np.int64)[order]
    where = np.minimum(np.searchsorted(sorted_ids, source), max(len(ids) - 1, 0))
    found = sorted_ids[where] == source if len(ids) else np.zeros(len(source), bool)
    if not found.all():
        if default is None:
            raise ValueError(f"a span's id {int(source[~found][0])} has no column label")
        out = np.full(len(source), default, np.int64)
        out[found] = np.asarray(values, np.int64)[order][where[found]]
        return out
    return np.asarray(values, np.int64)[order][where]


def _memberships(
    spans: SpanColumns, tree: CodeTree, row_keys: Sequence[str], rollup: bool
) -> tuple[IntArray, IntArray]:
    """(row number, span row) for every span in every row it counts for."""
    pairs = [
        (spans.code_ids[code], r)
        for r, key in enumerate(row_keys)
        for code in (tree.descendants(key) if rollup else (key,))
        if code in spans.code_ids
    ]
    if not pairs or not len(spans):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    codes = np.asarray([c for c, _ in pairs], np.int64)
    labels = np.asarray([r for _, r in pairs], np.int64)
    order = np.argsort(codes, kind="stable")
    codes, labels = codes[order], labels[order]
    if int(spans.code.min()) >= 0 and int(spans.code.max()) < (1 << 20):
        every_id = np.arange(int(spans.code.max()) + 1, dtype=np.int64)  # small ids: look up, no search
        lo = np.searchsorted(codes, every_id, "left")[spans.code]
        hi = np.searchsorted(codes, every_id, "right")[spans.code]
    else:
        lo = np.searchsorted(codes, spans.code, "left")
        hi = np.searchsorted(codes, spans.code, "right")
    counts = hi - lo
    member = np.repeat(np.arange(len(spans), dtype=np.int64), counts)
    first = np.repeat(lo - (np.cumsum(counts) - counts), counts)
    label = labels[first + np.arange(len(member), dtype=np.int64)]
    return label, member


def _count(
    spans: SpanColumns, label: IntArray, member: IntArray, col: IntArray, n_labels: int, n_cols: int, count: Count
) -> FloatArray:
    """The (n_labels, n_cols) table of `count` over (label, column, span row) memberships."""
    cell = label * n_cols + col
    size = n_labels * n_cols
    if count == "spans":
        out = np.bincount(cell, minlength=size)
    elif count == "documents":
        docs, doc_rank = dense_rank(spans.document[member])
        pairs = distinct(cell * max(len(docs), 1) + doc_rank)
        out = np.bincount(pairs // max(len(docs), 1), minlength=size)
    else:
        out = np.bincount(cell, weights=_new_characters(spans, label, member), minlength=size)
    return out.astype(np.float64).reshape(n_labels, n_cols)


def _new_characters(spans: SpanColumns, label: IntArray, member: IntArray) -> FloatArray:
    """Per membership, the characters it adds to its (label, coder, document) union, so sums are unions.

    In (label, group, start) order an interval adds the part of it beyond the furthest end seen so
    far in its segment; the running maximum is one accumulate over (segment, end) keys.
    """
    if not len(member):
        return np.zeros(0, np.float64)
    segment = label * (int(spans.group.max()) + 1) + spans.group[member]
    start, end = spans.start[member], spans.end[member]
    order = np.argsort(keys(segment, start), kind="stable")
    seg_o, start_o, end_o = segment[order], start[order], end[order]
    reach = np.maximum.accumulate(keys(seg_o, end_o))
    previous = np.zeros(len(order), np.int64)
    same = seg_o[1:] == seg_o[:-1]
    previous[1:] = np.where(same, reach[:-1] & 0xFFFFFFFF, 0)
    added = np.maximum(end_o - np.maximum(start_o, previous), 0).astype(np.float64)
    out = np.empty(len(order), np.float64)
    out[order] = added
    return out


def _column_words(
    spans: SpanColumns, columns: ColumnsBy, labels: Sequence[str], per_words: Mapping[int, int]
) -> FloatArray:
    missing = set(distinct(spans.document).tolist()) - set(per_words)
    if missing:
        raise ValueError(f"no word count for document {sorted(missing)[0]}")
    if columns.by == "coder":
        return np.full(len(labels), float(sum(per_words.values())))
    if columns.by == "document":
        return np.asarray([float(per_words.get(doc, 0)) for doc in columns.labels], np.float64)
    index = {label: i for i, label in enumerate(labels)}
    words = np.zeros(len(labels), np.float64)
    for doc, n in per_words.items():
        value = columns.labels.get(doc, MISSING)
        if value in index:
            words[index[value]] += n
    return words


def _per_thousand(counts: FloatArray, words: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(words > 0, counts * 1000.0 / np.where(words > 0, words, 1.0), 0.0)
    return rate.astype(np.float64)
