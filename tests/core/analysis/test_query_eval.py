"""Evaluating retrieval queries: worked examples on Cyrillic/emoji text, and a brute-force oracle.

The oracle states each operator's meaning in the plainest Python (every pair of results, compared one
by one); Hypothesis then checks the vectorised evaluator against it on random spans and random
nested queries.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Mapping, Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.analysis.codetree import CodeTree
from annotator.core.analysis.columns import SpanColumns
from annotator.core.analysis.query_eval import evaluate, retrieve
from annotator.core.analysis.query_syntax import Binary, Node, Term, parse_query

TREE = CodeTree(
    {
        "threat": None,
        "threat.terrorism": "threat",
        "threat.extremism": "threat",
        "source": None,
        "source.the_west": "source",
    }
)

# Code points: the emoji is one, e + U+0301 two, ё one.
TEXT = "Угроза терроризма 🙂 растёт. Запад виноват! Экстремизм e\u0301 тоже.\n\nНовый абзац о Западе."
SENTENCES = [0, 28, 43, 64]  # "Угроза ...", "Запад ...", "Экстремизм ...", "Новый абзац ..."


def at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def _spans(rows: Sequence[tuple[int, int, str, tuple[int, int], int]]) -> SpanColumns:
    return SpanColumns.from_rows(
        [(doc, coder, key, s, e, span_id) for doc, coder, key, (s, e), span_id in rows],
        {k: i for i, k in enumerate(TREE.keys)},
    )


ANNA, BORIS = 1, 2
SPANS = _spans(
    [
        (7, ANNA, "threat.terrorism", at("Угроза терроризма 🙂"), 101),
        (7, ANNA, "threat", at("терроризма 🙂 растёт"), 102),
        (7, ANNA, "source.the_west", at("🙂 растёт. Запад"), 103),
        (7, ANNA, "threat.extremism", at("Экстремизм e\u0301"), 104),
        (7, ANNA, "source.the_west", at("Западе"), 105),
        (7, BORIS, "source.the_west", at("терроризма"), 201),  # overlaps Anna's threat, but another coder
        (7, BORIS, "threat.terrorism", at("Новый"), 202),
    ]
)


def _rows(query: str, sentences: Mapping[int, Sequence[int]] | None = None) -> list[tuple[object, ...]]:
    result = retrieve(query, SPANS, TREE, sentences=sentences)
    return [(r.coder, r.codes, TEXT[r.start : r.end], r.span_ids) for r in result.rows()]


def test_code_term_gives_one_result_per_span_and_parents_match_children() -> None:
    assert _rows("code:threat") == [
        (ANNA, ("threat.terrorism",), "Угроза терроризма 🙂", (101,)),
        (ANNA, ("threat",), "терроризма 🙂 растёт", (102,)),  # overlaps 101: not merged
        (ANNA, ("threat.extremism",), "Экстремизм e\u0301", (104,)),
        (BORIS, ("threat.terrorism",), "Новый", (202,)),
    ]


def test_and_is_the_overlap_of_one_coders_spans_one_result_per_pair() -> None:
    assert _rows("code:threat and code:source") == [
        (ANNA, ("threat.terrorism", "source.the_west"), "🙂", (101, 103)),
        (ANNA, ("threat", "source.the_west"), "🙂 растёт", (102, 103)),
    ]
    # A span is not paired with itself: 101 matches both sides but only meets 102.
    assert _rows("code:threat and code:threat.terrorism") == [
        (ANNA, ("threat", "threat.terrorism"), "терроризма 🙂", (102, 101))
    ]


def test_or_not_near_and_in_sentence() -> None:
    assert [r[3] for r in _rows("code:threat.extremism or code:source")] == [(103,), (104,), (105,), (201,)]
    assert [r[3] for r in _rows("code:threat not code:source")] == [(104,), (202,)]
    # 104 ends after "e\u0301" (56); "Западе" starts at 78: 22 characters between them.
    gap = at("Западе")[0] - at("Экстремизм e\u0301")[1]
    assert gap == 22
    near = _rows(f"code:threat.extremism near code:source within {gap}")
    assert [r[3] for r in near] == [(104, 103), (104, 105)]  # 103 ends 10 characters before 104
    assert near[1][2] == TEXT[at("Экстремизм")[0] : at("Западе")[1]]  # the result covers both spans
    assert [r[3] for r in _rows(f"code:threat.extremism near code:source within {gap - 1}")] == [(104, 103)]
    assert _rows("code:threat.extremism near code:source within 9") == []
    sentences = {7: SENTENCES}
    assert [r[3] for r in _rows("code:threat in-sentence code:source", sentences)] == [(101, 103), (102, 103)]
    # 103 runs into the second sentence, 105 is in the fourth: no sentence holds both with extremism.
    assert _rows("code:threat.extremism in-sentence code:source", sentences) == []


def test_parentheses_change_the_result() -> None:
    loose = _rows("code:threat.extremism or code:threat.terrorism and code:source")
    grouped = _rows("(code:threat.extremism or code:threat.terrorism) and code:source")
    assert [r[3] for r in loose] == [(101, 103), (104,)]
    assert [r[3] for r in grouped] == [(101, 103)]


def test_in_sentence_without_sentences_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="sentence boundaries"):
        retrieve("code:threat in-sentence code:source", SPANS, TREE)


def test_sentences_may_come_from_a_function_and_empty_input_is_fine() -> None:
    calls: list[int] = []

    def sentences(doc: int) -> list[int]:
        calls.append(doc)
        return SENTENCES

    assert len(retrieve("code:threat in-sentence code:source", SPANS, TREE, sentences=sentences)) == 2
    assert calls == [7]
    empty = _spans([])
    assert len(retrieve("code:threat and code:source", empty, TREE)) == 0
    assert len(retrieve("code:threat in-sentence code:source", empty, TREE, sentences={})) == 0
    assert retrieve("code:threat or code:source", empty, TREE).rows() == []


def test_result_rows_and_lazy_row_access_agree() -> None:
    result = retrieve("code:threat and code:source or code:threat.extremism", SPANS, TREE)
    assert [result.row(i) for i in range(len(result))] == result.rows()
    assert result.span_id_matrix().tolist() == [[101, 103], [102, 103], [104, -1]]


# ------------------------------------------------------------------------------------------ oracle

Key = tuple[int, int, int, int, tuple[int, ...]]  # document, coder, start, end, sorted span ids
Raw = tuple[int, int, int, int, int, int]  # document, coder, code id, start, end, span id


def _unit(starts: Sequence[int], pos: int) -> int:
    fixed = [0, *starts[1:]] if starts else [0]
    return max(bisect.bisect_right(fixed, pos) - 1, 0)


def oracle(node: Node, spans: list[Raw], keys: Sequence[str], sentences: Mapping[int, Sequence[int]]) -> set[Key]:
    if isinstance(node, Term):
        ids = {keys.index(k) for k in TREE.descendants(node.key)}
        return {(d, c, s, e, (i,)) for d, c, code, s, e, i in spans if code in ids}
    left = oracle(node.left, spans, keys, sentences)
    right = oracle(node.right, spans, keys, sentences)
    if node.op == "or":
        return left | right
    if node.op == "not":
        return {a for a in left if not any(_same(a, b) and max(a[2], b[2]) < min(a[3], b[3]) for b in right)}
    out: set[Key] = set()
    for a in left:
        for b in right:
            if not _same(a, b) or set(a[4]) & set(b[4]):
                continue
            if node.op == "and":
                ok = max(a[2], b[2]) < min(a[3], b[3])
                extent = (max(a[2], b[2]), min(a[3], b[3]))
            else:
                if node.op == "near":
                    ok = max(a[2], b[2]) - min(a[3], b[3]) <= (node.within or 0)
                else:
                    sa = (_unit(sentences[a[0]], a[2]), _unit(sentences[a[0]], a[3] - 1))
                    sb = (_unit(sentences[b[0]], b[2]), _unit(sentences[b[0]], b[3] - 1))
                    ok = max(sa[0], sb[0]) <= min(sa[1], sb[1])
                extent = (min(a[2], b[2]), max(a[3], b[3]))
            if ok:
                out.add((a[0], a[1], *extent, tuple(sorted(a[4] + b[4]))))
    return out


def _same(a: Key, b: Key) -> bool:
    return a[0] == b[0] and a[1] == b[1]


KEYS = TREE.keys
terms_st = st.sampled_from(KEYS).map(lambda k: Term(k, 1, TREE.descendants(k)))


def _binary(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.builds(
        lambda op, left, right, within: Binary(op, left, right, 1, within if op == "near" else None),
        st.sampled_from(["and", "or", "not", "near", "in-sentence"]),
        children,
        children,
        st.integers(0, 12),
    )


queries = st.recursive(terms_st, _binary, max_leaves=5)
raw_spans = st.lists(
    st.tuples(
        st.integers(0, 2),  # document
        st.integers(0, 1),  # coder
        st.integers(0, len(KEYS) - 1),  # code
        st.integers(0, 60),  # start
        st.integers(1, 15),  # length
    ),
    max_size=40,
)
sentence_starts = st.lists(st.integers(0, 80), max_size=6).map(lambda xs: sorted(set(xs)))

LONG = os.environ.get("ANNOTATOR_LONG") == "1"


@settings(max_examples=1500 if LONG else 200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries, raw_spans, st.tuples(sentence_starts, sentence_starts, sentence_starts))
def test_evaluator_matches_the_oracle(node: Node, raw: list[tuple[int, ...]], starts: tuple[list[int], ...]) -> None:
    spans: list[Raw] = [(d, c, code, s, s + n, 1000 + i) for i, (d, c, code, s, n) in enumerate(raw)]
    sentences = dict(enumerate(starts))
    columns = SpanColumns(
        np.array([r[0] for r in spans], np.int64),
        np.array([r[1] for r in spans], np.int64),
        np.array([r[2] for r in spans], np.int64),
        np.array([r[3] for r in spans], np.int64),
        np.array([r[4] for r in spans], np.int64),
        np.array([r[5] for r in spans], np.int64),
        {k: i for i, k in enumerate(KEYS)},
    )
    result = evaluate(node, columns, sentences=sentences)
    got = [(r.document, r.coder, r.start, r.end, tuple(sorted(r.span_ids))) for r in result.rows()]
    assert sorted(got) == sorted(oracle(node, spans, KEYS, sentences)), str(node)
    assert len(got) == len(set(got)), "duplicates"
    assert [g[:4] for g in got] == sorted(g[:4] for g in got), "not in (document, coder, start, end) order"
    assert str(parse_query(str(node), TREE)) == str(node)
