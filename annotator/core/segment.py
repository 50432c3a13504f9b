"""Paragraphs, sentences and words of a stored text: the one segmenter agreement and analysis share.

Rules (offsets are code points into the stored text, end exclusive, trimmed of whitespace):

- **Paragraphs** end at a blank line (a line holding only whitespace). A single line break inside a
  paragraph is just a space: hard-wrapped lines and PDF lines are joined, never units of their own.
- **Sentences** end at a paragraph end, or after `.`, `!`, `?` or `…` (plus closing quotes and
  brackets) followed by whitespace, unless
  - the next word starts in lower case ("growing. the council met." is one sentence: the full stop
    is a typo or an abbreviation, not a boundary a coder would see);
  - the `.` ends a known English, Russian or German abbreviation ("Mr.", "e.g.", "z. B.", "т.е.",
    "г.", "Dr."), a single-letter initial ("J. Smith", "В. В. Путин"), or a number-only abbreviation
    before a number ("No. 5", "Art. 3", "ст. 12");
  - the `.` follows a day number before a month name ("am 8. November", "8. ноября"), or a list
    number that opens the sentence ("1. To prepare ...").
  "etc.", "usw.", "и т. д." and "и др." end a sentence when a capitalised word follows, and so does
  "г." after a year ("в 1991 г. Тогда ..."), unless the sentence opens with that date.
- **Words** are runs of letters, digits and underscores (`\\w+`) with their combining marks, so a
  sentence counts as coded when a span covers at least one of its words entirely (see
  annotator.core.agreement.sentences).

Own rules rather than a library: on the corpus, the bundled examples and the hand-checked
English/Russian/German cases they make no error where pysbd, sentencex, syntok and a Punkt model
make 10 to 46; they know the three languages' abbreviations, split inside long quotations (pysbd
and sentencex do not), run in linear time and never change between library releases, so a
published agreement value can be recomputed. The comparison: bench/compare_segmenters.py, with the
hand-checked cases in tests/core/segment_gold.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

SPLITTER = "annotator rules 2 (paragraphs at blank lines, abbreviations en/ru/de)"

# May stand before a full stop without ending the sentence (lower case, inner dots kept).
_ABBREVIATIONS = """
mr mrs ms messrs dr prof st sr jr vs cf e.g i.e viz approx ca al gen col lt sgt capt cmdr adm maj
gov sen rep pres rev hon inc ltd corp co dept univ assn bros jan feb mar apr jun jul aug sep sept oct
nov dec mon tue wed thu fri sat sun u.s u.k u.n e.u u.s.a ph.d m.a b.a a.m p.m
т.е т.к т.н т.ч г гг др пр см ср ул пер пл д кв стр тыс млн млрд руб коп им проф акад ген полк
подп лейт кап обл респ гос ин н.э в.в тов гр г-н г-жа напр прим ок
z.b bzw vgl ggf d.h u.a o.a s.o s.u u.u v.a z.t i.a u.ä hr fr frl dr.-ing dipl ing mio mrd jh jhd
evtl inkl exkl sog bspw usf geb gest ebd hrsg tel str chr allg ca.
"""
ABBREVIATIONS = frozenset(w.rstrip(".") for w in _ABBREVIATIONS.split())
# Abbreviations that do not end a sentence only when a number follows ("No. 5", "ст. 12").
_NUMBER_ABBREVIATIONS = "no nr art p pp vol fig sec ch abs para ст п пп рис гл т ч разд"
NUMBER_ABBREVIATIONS = frozenset(_NUMBER_ABBREVIATIONS.split())
# Abbreviations that often end a sentence: a boundary when a capitalised word follows.
_MAY_END = frozenset(["etc", "usw", "usf", "т.д", "т.п", "др"])
_MAY_END_SPACED = (("т", "д"), ("т", "п"), ("и", "др"))

_MONTHS = """
january february march april may june july august september october november december
januar jänner februar märz mai juni juli oktober dezember
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
"""
MONTHS = frozenset(_MONTHS.split())

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_OPENERS = "\"'“‘«([„‚-—–"
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"\w[\w{_MARKS}]*")  # combining marks belong to their word


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, trimmed; empty ones dropped."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        _trimmed(text, pos, m.start(), out)
        pos = m.end()
    _trimmed(text, pos, len(text), out)
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in order (see the module docstring for the rules)."""
    out: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text):
        start = p_start
        for m in _END.finditer(text, p_start, p_end):
            if m.end() < p_end and _is_boundary(text, m, p_end, start):
                _trimmed(text, start, m.end(), out)
                start = m.end()
        _trimmed(text, start, p_end, out)
    return out


def words(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each word (`\\w+`) in text[start:end]."""
    for m in _WORD.finditer(text, start, len(text) if end is None else end):
        yield m.start(), m.end()


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word of `text`, as a list (the fast form of `words`)."""
    return [m.span() for m in _WORD.finditer(text)]


def _trimmed(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def _next_word(text: str, pos: int, limit: int) -> str:
    while pos < limit and (text[pos].isspace() or text[pos] in _OPENERS):
        pos += 1
    m = _WORD.match(text, pos, limit)
    return m.group(0) if m else text[pos : pos + 1]


def _word_before(text: str, dot: int) -> tuple[str, int]:
    """The token before the full stop at `dot` (letters, digits, inner dots and hyphens) and its start."""
    k = dot
    while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "._-"):
        k -= 1
    return text[k:dot].strip(".").lower(), k


def _is_boundary(text: str, m: re.Match[str], limit: int, start: int) -> bool:
    nxt = _next_word(text, m.end(), limit)
    if not nxt:
        return True
    if nxt[0].islower():
        return False
    if m.group(0).rstrip("\"'”’»)]") != ".":
        return True
    word, k = _word_before(text, m.start())
    if not word:
        return True
    if word in _MAY_END or _spaced_may_end(text, k, word):
        return True
    if word in ("г", "гг") and _year_before(text, k):
        return len(_WORD.findall(text, start, k)) > 3  # "в 1991 г. Тогда" ends; "В 2014 г. Путин" opens
    if word in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha():
        return False
    if word in NUMBER_ABBREVIATIONS and nxt[0].isdigit():
        return False
    if word.isdigit() and len(word) <= 3 and not text[start:k].strip():
        return False  # "1. To prepare ...": a list number, not a sentence
    return not (word.isdigit() and len(word) <= 2 and nxt.lower() in MONTHS)


def _year_before(text: str, k: int) -> bool:
    before, _ = _word_before(text, max(0, k - 1))
    return before.isdigit()


def _spaced_may_end(text: str, k: int, word: str) -> bool:
    """'и т. д.' / 'и др.': the token before `word` (ending at k) completes a may-end abbreviation."""
    before, _ = _word_before(text, max(0, k - 1) if text[k - 1 : k] == " " else k)
    before = before.lower()
    return any(word == last and before == first for first, last in _MAY_END_SPACED)


__all__ = [
    "ABBREVIATIONS",
    "MONTHS",
    "NUMBER_ABBREVIATIONS",
    "SPLITTER",
    "paragraphs",
    "sentences",
    "word_spans",
    "words",
]
