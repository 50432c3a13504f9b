"""The list of places where coders disagree (and, re-exported, the text formatting of results).

Pure Python: the agreement view lists `disagreements`; the CLI prints `format_span_report` /
`format_table_report` from `annotator.core.agreement_text`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from annotator.core.agreement import merge_spans
from annotator.core.agreement_text import (
    TABLE_MEASURES,
    fmt,
    fmt_ci,
    fmt_sig,
    format_span_report,
    format_table_report,
    render_table,
)

KINDS = {"missing": "only some coded", "codes": "different codes", "boundaries": "different boundaries"}


# -------------------------------------------------------------------------------- disagreements


@dataclass(frozen=True)
class Disagreement:
    """A passage where coders differ. spans: coder -> ((code, start, end), ...) in the passage."""

    document: str
    start: int
    end: int
    size: int  # characters where the coders' codings differ
    kind: str  # "missing" | "codes" | "boundaries"
    codes: tuple[str, ...]
    spans: dict[str, tuple[tuple[str, int, int], ...]]

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def _clusters(per_coder: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int, dict[str, list[tuple[int, int]]]]]:
    """Connected groups of overlapping intervals over all coders: (start, end, coder -> ivs)."""
    items = sorted((s, e, c) for c, ivs in per_coder.items() for s, e in ivs)
    out: list[tuple[int, int, dict[str, list[tuple[int, int]]]]] = []
    for s, e, c in items:
        if out and s < out[-1][1]:
            start, end, members = out[-1]
            members.setdefault(c, []).append((s, e))
            out[-1] = (start, max(end, e), members)
        else:
            out.append((s, e, {c: [(s, e)]}))
    return out


def _differing_chars(start: int, end: int, coders: Sequence[str], spans: dict[str, list[tuple[str, int, int]]]) -> int:
    """Characters in [start, end) where the coders do not all have the same set of codes."""
    cuts = sorted({start, end} | {p for sp in spans.values() for _k, s, e in sp for p in (s, e) if start < p < end})
    total = 0
    for a, b in pairwise(cuts):
        sets = {frozenset(k for k, s, e in spans.get(c, ()) if s <= a and b <= e) for c in coders}
        if len(sets) > 1:
            total += b - a
    return total


def disagreements(
    documents: Sequence[tuple[str, str]], spans: Iterable[Any], coders: Sequence[str], codes: Sequence[str]
) -> list[Disagreement]:
    """Every place where the coders differ, largest first.

    Spans (objects with document, coder, code_key, start, end) are merged per coder and code, as
    alpha_U sees them. Per document and code, overlapping spans of all coders form a passage;
    a passage not coded identically by every coder is a disagreement: 'boundaries' if every
    coder marked it, else 'missing'. Overlapping 'missing' passages of different codes are joined
    into one; when every coder marked something there it is 'codes' (different codes).
    """
    coders = list(dict.fromkeys(coders))
    code_set, coder_set = set(codes), set(coders)
    names = {n for n, _t in documents}
    raw: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for s in spans:
        if s.document in names and s.coder in coder_set and s.code_key in code_set and s.end > s.start:
            raw[(s.document, s.code_key)][s.coder].append((s.start, s.end))
    found: dict[str, list[Disagreement]] = defaultdict(list)
    loose: dict[str, list[tuple[int, int, dict[str, list[tuple[str, int, int]]]]]] = defaultdict(list)
    for (doc, code), by_coder in raw.items():
        merged = {c: merge_spans(ivs) for c, ivs in by_coder.items()}
        for start, end, members in _clusters(merged):
            if len(members) == len(coders) and len({tuple(v) for v in members.values()}) == 1:
                continue
            tagged = {c: [(code, s, e) for s, e in ivs] for c, ivs in members.items()}
            if len(members) == len(coders):
                size = _differing_chars(start, end, coders, tagged)
                found[doc].append(_make(doc, start, end, size, "boundaries", tagged, coders))
            else:
                loose[doc].append((start, end, tagged))
    for doc, items in loose.items():
        items.sort(key=lambda t: (t[0], t[1]))
        groups: list[list[Any]] = []
        for start, end, tagged in items:
            if groups and start < groups[-1][1]:
                g = groups[-1]
                g[1] = max(g[1], end)
                for c, sp in tagged.items():
                    g[2].setdefault(c, []).extend(sp)
            else:
                groups.append([start, end, {c: list(sp) for c, sp in tagged.items()}])
        for start, end, tagged in groups:
            kind = "codes" if len(tagged) == len(coders) else "missing"
            size = _differing_chars(start, end, coders, tagged)
            found[doc].append(_make(doc, start, end, size, kind, tagged, coders))
    order = {n: i for i, (n, _t) in enumerate(documents)}
    result = [d for doc in found for d in found[doc]]
    result.sort(key=lambda d: (-d.size, order[d.document], d.start, d.end))
    return result


def _make(
    doc: str,
    start: int,
    end: int,
    size: int,
    kind: str,
    tagged: dict[str, list[tuple[str, int, int]]],
    coders: Sequence[str],
) -> Disagreement:
    spans = {c: tuple(sorted(tagged.get(c, []), key=lambda t: (t[1], t[2], t[0]))) for c in coders}
    codes = tuple(sorted({k for sp in spans.values() for k, _s, _e in sp}))
    return Disagreement(doc, start, end, size, kind, codes, spans)


def passage(text: str, start: int, end: int, context: int = 80) -> tuple[int, int]:
    """The passage around [start, end) widened to whole lines, at most `context` chars each side."""
    lo = max(0, start - context)
    nl = text.rfind("\n", lo, start)
    lo = nl + 1 if nl >= 0 else lo
    hi = min(len(text), end + context)
    nl = text.find("\n", end, hi)
    hi = nl if nl >= 0 else hi
    return lo, hi


__all__ = [
    "KINDS",
    "TABLE_MEASURES",
    "Disagreement",
    "disagreements",
    "fmt",
    "fmt_ci",
    "fmt_sig",
    "format_span_report",
    "format_table_report",
    "passage",
    "render_table",
]
