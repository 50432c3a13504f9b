"""Sentences as coding units: split texts, then turn spans into yes/no reliability data.

Splitting is rule-based and deliberately simple (no language model): every line break ends a
sentence (paragraphs, headings and list items are units of their own), and inside a line a
sentence ends after `.`, `!`, `?` or `…` (plus closing quotes/brackets) followed by whitespace,
unless the `.` ends a known abbreviation ("Mr.", "e.g.", "Dr." ...), a single-letter initial
("J. Smith") or the next word starts in lower case. Offsets are code points, end exclusive,
trimmed of surrounding whitespace; blank lines give no sentence.

A sentence counts as coded with code c by coder X when any span of X with code c overlaps it
by at least one character.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence

import numpy as np

_ABBREV_TEXT = """
mr mrs ms dr prof st sr jr vs etc e.g i.e cf vol pp fig sec ch ed eds
inc ltd corp dept gen col lt sgt capt gov sen rep pres rev hon approx ca al
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m
z.b bzw usw vgl ggf d.h u.a s.o hr fr nr abs
"""
ABBREVIATIONS = frozenset(_ABBREV_TEXT.split())

_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) code-point offsets of the sentences of `text`, in order."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        _split_line(line, pos, out)
        pos += len(line) + 1
    return out


def _split_line(line: str, offset: int, out: list[tuple[int, int]]) -> None:
    start = 0
    for m in _END.finditer(line):
        if not _is_boundary(line, m):
            continue
        _add(line, start, m.end(), offset, out)
        start = m.end()
    _add(line, start, len(line), offset, out)


def _is_boundary(line: str, m: re.Match[str]) -> bool:
    punct = m.group(0)
    nxt = m.end()
    while nxt < len(line) and line[nxt].isspace():
        nxt += 1
    if line[nxt : nxt + 1].islower():
        return False
    if punct.rstrip("\"'”’»)]") != ".":
        return True
    k = m.start()  # the word before the full stop, scanning back (linear, lines may be long)
    while k > 0 and (line[k - 1].isalnum() or line[k - 1] in "._"):
        k -= 1
    w = line[k : m.start()].strip(".").lower()
    if not w:
        return True
    return not (w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()))


def _add(line: str, s: int, e: int, offset: int, out: list[tuple[int, int]]) -> None:
    piece = line[s:e]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        out.append((offset + s + lead, offset + s + lead + len(stripped)))


def coded_matrix(
    sentences: Sequence[tuple[int, int]], spans_by_coder: Sequence[Iterable[tuple[int, int]]]
) -> np.ndarray:
    """coders x sentences 0/1 matrix: 1 where a span of that coder overlaps the sentence."""
    s = np.array([a for a, _ in sentences], dtype=np.int64)
    e = np.array([b for _, b in sentences], dtype=np.int64)
    out = np.zeros((len(spans_by_coder), len(sentences)), dtype=np.int64)
    for i, spans in enumerate(spans_by_coder):
        arr = np.array([(a, b) for a, b in spans if b > a], dtype=np.int64).reshape(-1, 2)
        if len(arr) == 0 or len(s) == 0:
            continue
        arr = arr[np.argsort(arr[:, 0], kind="stable")]
        reach = np.maximum.accumulate(arr[:, 1])  # furthest end among spans starting so far
        k = np.searchsorted(arr[:, 0], e, side="left")  # spans starting before the sentence ends
        hit = k > 0
        hit[hit] = reach[k[hit] - 1] > s[hit]
        out[i] = hit
    return out


def sentence_units(
    documents: Sequence[tuple[Hashable, str]],
    spans: Iterable[tuple[Hashable, str, Hashable, int, int]],
    coders: Sequence[str],
    codes: Sequence[Hashable],
) -> tuple[list[tuple[Hashable, int, int]], dict[Hashable, np.ndarray]]:
    """Sentences of all documents and, per code, a coders x sentences 0/1 matrix.

    `spans` are (document, coder, code, start, end). Every document counts as coded by every
    coder, so a sentence without a span is a 0, never missing.
    """
    shift: dict[Hashable, int] = {}
    units: list[tuple[Hashable, int, int]] = []
    glob: list[tuple[int, int]] = []
    total = 0
    for name, text in documents:
        shift[name] = total
        for a, b in split_sentences(text):
            units.append((name, a, b))
            glob.append((a + total, b + total))
        total += len(text) + 1  # +1: a sentence never touches the next document
    cidx = {c: i for i, c in enumerate(coders)}
    by: dict[Hashable, list[list[tuple[int, int]]]] = {k: [[] for _ in coders] for k in codes}
    for doc, coder, code, a, b in spans:
        if doc in shift and coder in cidx and code in by:
            by[code][cidx[coder]].append((a + shift[doc], b + shift[doc]))
    return units, {k: coded_matrix(glob, by[k]) for k in codes}
