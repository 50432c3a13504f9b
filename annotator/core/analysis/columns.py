"""Spans as numpy columns, and the result sets that retrieval builds from them.

A million spans as Python objects cost seconds to build and to walk; as six int64 arrays they are a
few megabytes and every query step is a handful of vectorised calls. The store fills the columns
with one SELECT; nothing here knows where they came from.

A result set keeps, per result, the row numbers (into the columns) of the spans that made it: a
single code term gives one span per result, `A and B` two, nested queries more. Rows are padded with
-1 to a common width, so the set stays one 2-D array however the query was built; the first column
is never padding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Positions are packed with a group number into one int64 sort key (group << 32 | position).
MAX_OFFSET = (1 << 32) - 1


def as_ints(values: npt.ArrayLike) -> IntArray:
    """An int64 array of `values` (no copy when it already is one)."""
    return np.asarray(values, dtype=np.int64)


def _first_of_runs(ordered: IntArray) -> BoolArray:
    new = np.ones(len(ordered), bool)
    new[1:] = ordered[1:] != ordered[:-1]
    return new


def distinct(values: IntArray) -> IntArray:
    """Sorted distinct values.

    Sort-based on purpose: numpy 2's hash-based `np.unique` took seconds on a million ids here.
    """
    ordered = np.sort(values)
    return ordered[_first_of_runs(ordered)]


def dense_rank(values: IntArray) -> tuple[IntArray, IntArray]:
    """(sorted distinct values, each value's index among them)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = _first_of_runs(ordered)
    rank = np.empty(len(values), np.int64)
    rank[order] = np.cumsum(new) - 1
    return ordered[new], rank


def first_occurrences(values: IntArray) -> tuple[IntArray, IntArray]:
    """(sorted distinct values, index of the first occurrence of each)."""
    order = np.argsort(values, kind="stable")
    new = _first_of_runs(values[order])
    return values[order][new], order[new].astype(np.int64)


@dataclass(frozen=True, eq=False)
class SpanColumns:
    """One row per span: document id, coder id, code id, start, end (code points, end exclusive), span id.

    `code_ids` maps each code key to the id used in the `code` column; keys of the codebook that have
    no id simply have no spans.
    """

    document: IntArray
    coder: IntArray
    code: IntArray
    start: IntArray
    end: IntArray
    span_id: IntArray
    code_ids: Mapping[str, int]

    def __post_init__(self) -> None:
        names = ("document", "coder", "code", "start", "end", "span_id")
        for name in names:
            object.__setattr__(self, name, as_ints(getattr(self, name)))
        n = len(self.document)
        if any(len(getattr(self, name)) != n for name in names):
            raise ValueError("span columns differ in length")
        if n and (self.start.min() < 0 or np.any(self.end < self.start) or self.end.max() > MAX_OFFSET):
            raise ValueError(f"span offsets must satisfy 0 <= start <= end <= {MAX_OFFSET}")

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[int, int, str, int, int, int]], code_ids: Mapping[str, int] | None = None
    ) -> SpanColumns:
        """From (document, coder, code key, start, end, span id) tuples; code ids are assigned if not given."""
        ids: dict[str, int] = dict(code_ids or {})
        cols: list[list[int]] = [[], [], [], [], [], []]
        for document, coder, key, start, end, span_id in rows:
            if key not in ids:
                if code_ids is not None:
                    raise ValueError(f"code {key!r} has no id")
                ids[key] = len(ids)
            for col, value in zip(cols, (document, coder, ids[key], start, end, span_id), strict=True):
                col.append(value)
        arrays = [np.asarray(col, dtype=np.int64) for col in cols]
        return cls(arrays[0], arrays[1], arrays[2], arrays[3], arrays[4], arrays[5], ids)

    def __len__(self) -> int:
        return len(self.document)

    @cached_property
    def group(self) -> IntArray:
        """Dense number of each row's (document, coder) pair, in (document, coder) order.

        Binary query operators pair spans only within one group (same document, same coder).
        """
        if not len(self):
            return np.empty(0, np.int64)
        doc, coder = self.document, self.coder
        if doc.min() >= 0 and coder.min() >= 0:
            width = int(coder.max()) + 1
            if int(doc.max()) * width + width <= 4 * len(doc) + 1024:
                # Small ids (the usual case): dense ranks through a presence table, no sort.
                combined = doc * width + coder
                present = np.bincount(combined) > 0
                rank: IntArray = np.cumsum(present, dtype=np.int64) - 1
                dense: IntArray = rank[combined]
                return dense
        order = np.lexsort((coder, doc))
        new = np.ones(len(order), bool)
        new[1:] = (doc[order][1:] != doc[order][:-1]) | (coder[order][1:] != coder[order][:-1])
        out = np.empty(len(order), np.int64)
        out[order] = np.cumsum(new) - 1
        return out

    @cached_property
    def code_keys(self) -> dict[int, str]:
        """Code id -> key."""
        return {v: k for k, v in self.code_ids.items()}

    @cached_property
    def position_order(self) -> IntArray:
        """Row numbers in (document, coder, start) order: every sweep walks spans in this order.

        Rows delivered already in that order (ORDER BY document, coder, start) make this a linear pass.
        """
        sort_key = (self.group << 32) | self.start
        return np.argsort(sort_key, kind="stable").astype(np.int64, copy=False)

    def rows_with_codes(self, keys: Iterable[str]) -> IntArray:
        """Row numbers of the spans whose code is one of `keys`, in (document, coder, start) order."""
        ids = [self.code_ids[k] for k in keys if k in self.code_ids]
        if not ids:
            return np.empty(0, np.int64)
        codes = self.code_in_order
        if not len(codes):
            return np.empty(0, np.int64)
        low, high = int(codes.min()), int(codes.max())
        wanted = np.zeros(high - low + 1, bool)
        inside = [i - low for i in ids if low <= i <= high]
        wanted[inside] = True
        return self.position_order[wanted[codes - low]]

    @cached_property
    def code_in_order(self) -> IntArray:
        """The code column in `position_order` (selecting a code's spans then needs no gather)."""
        return self.code[self.position_order]


class ResultRow(NamedTuple):
    """One retrieved passage: codes are those of its spans, in query order, each once.

    A named tuple rather than a dataclass: a million of them are built in a third of the time.
    """

    document: int
    coder: int
    codes: tuple[str, ...]
    start: int
    end: int
    span_ids: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class ResultSet:
    """Passages with the spans that made them; `members[i]` are row numbers into `spans` (-1 = none)."""

    spans: SpanColumns
    start: IntArray
    end: IntArray
    members: IntArray

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def of_rows(cls, spans: SpanColumns, rows: IntArray) -> ResultSet:
        """One result per span row (a code term): overlapping spans stay separate results."""
        return cls(spans, spans.start[rows], spans.end[rows], rows.reshape(-1, 1))

    @property
    def width(self) -> int:
        return int(self.members.shape[1])

    @property
    def group(self) -> IntArray:
        return self.spans.group[self.members[:, 0]]

    @property
    def document(self) -> IntArray:
        return self.spans.document[self.members[:, 0]]

    @property
    def coder(self) -> IntArray:
        return self.spans.coder[self.members[:, 0]]

    def take(self, index: IntArray | BoolArray) -> ResultSet:
        return ResultSet(self.spans, self.start[index], self.end[index], self.members[index])

    def padded(self, width: int) -> IntArray:
        """`members` widened to `width` columns with -1."""
        if width == self.width:
            return self.members
        pad = np.full((len(self), width - self.width), -1, np.int64)
        return np.hstack([self.members, pad])

    def span_id_matrix(self) -> IntArray:
        """Span ids in the shape of `members` (-1 where there is no member)."""
        safe = np.where(self.members >= 0, self.members, 0)
        return np.where(self.members >= 0, self.spans.span_id[safe], -1)

    def row(self, i: int) -> ResultRow:
        """Result `i` as a plain row (a table model asks for the rows it shows, one at a time)."""
        members = [int(m) for m in self.members[i] if m >= 0]
        names = self.spans.code_keys
        codes = tuple(dict.fromkeys(names[int(self.spans.code[m])] for m in members))
        ids = tuple(int(self.spans.span_id[m]) for m in members)
        first = members[0]
        return ResultRow(
            int(self.spans.document[first]),
            int(self.spans.coder[first]),
            codes,
            int(self.start[i]),
            int(self.end[i]),
            ids,
        )

    def rows(self) -> list[ResultRow]:
        """All results as plain rows (for printing): column-wise conversion, no numpy call per row."""
        if not len(self):
            return []
        safe = np.where(self.members >= 0, self.members, 0)
        codes = np.where(self.members >= 0, self.spans.code[safe], -1)
        ids = self.span_id_matrix()
        names = self.spans.code_keys
        code_tuples: list[tuple[str, ...]]
        id_tuples: list[tuple[int, ...]]
        if self.width == 1:
            code_tuples = [(names[c],) for c in codes[:, 0].tolist()]
            id_tuples = [(i,) for i in ids[:, 0].tolist()]
        elif self.width == 2:
            pairs = zip(codes[:, 0].tolist(), codes[:, 1].tolist(), strict=True)
            code_tuples = [(names[a],) if b < 0 or a == b else (names[a], names[b]) for a, b in pairs]
            id_pairs = zip(ids[:, 0].tolist(), ids[:, 1].tolist(), strict=True)
            id_tuples = [(x,) if y < 0 else (x, y) for x, y in id_pairs]
        else:
            code_tuples = [tuple(dict.fromkeys(names[c] for c in row if c >= 0)) for row in codes.tolist()]
            id_tuples = [tuple(i for i in row if i >= 0) for row in ids.tolist()]
        return list(
            map(
                ResultRow,
                self.document.tolist(),
                self.coder.tolist(),
                code_tuples,
                self.start.tolist(),
                self.end.tolist(),
                id_tuples,
            )
        )
