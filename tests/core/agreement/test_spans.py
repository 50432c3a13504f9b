"""Span measures on hand-made data where the answer is obvious, and the selection entry point."""

from __future__ import annotations

import json
import random

import pytest

from annotator.core.agreement import (
    Cancelled,
    max_overlap_matching,
    span_agreement,
    span_f1,
    split_sentences,
)
from annotator.core.errors import UserError
from annotator.core.spans import SpanRecord

TEXT = (
    "The minister spoke first. Then the opposition replied! Was it fair? Nobody knows.\n\n"
    "A second paragraph follows. It has two sentences."
)
DOCS = [("speech", TEXT), ("reply", "Short reply here. Another one. And a third sentence.")]


def _span(doc, coder, code, start, end):
    return SpanRecord(None, f"{doc}{coder}{code}{start}", 0, doc, coder, code, start, end)


def _coded(coder, shift=0):
    return [
        _span("speech", coder, "blame", 0 + shift, 25 + shift),
        _span("speech", coder, "praise", 26, 54),
        _span("speech", coder, "blame", 85, 112),
        _span("reply", coder, "praise", 0, 17),
    ]


def test_identical_coders_agree_perfectly():
    spans = _coded("A") + _coded("B")
    out = span_agreement(DOCS, spans, ["A", "B"], ["blame", "praise"])
    assert out["alpha_u"]["overall"] == pytest.approx(1.0)
    assert out["alpha_u"]["per_code"]["blame"] == pytest.approx(1.0)
    assert out["alpha_u"]["per_document"]["speech"] == pytest.approx(1.0)
    for mode in ("f1_exact", "f1_overlap"):
        assert out[mode]["pairs"]["A|B"]["micro"]["f1"] == pytest.approx(1.0)
        assert out[mode]["micro"]["f1"] == pytest.approx(1.0)
    sent = out["sentences"]["per_code"]["blame"]
    assert sent["alpha_nominal"] == pytest.approx(1.0)
    assert sent["percent_agreement"] == pytest.approx(1.0)
    assert sent["cohen_kappa"]["A|B"] == pytest.approx(1.0)
    assert out["counts"]["spans_per_coder"] == {"A": 4, "B": 4}
    json.dumps(out, allow_nan=False)


def test_disjoint_coders_are_below_zero():
    spans = [
        _span("speech", "A", "blame", 0, 25),
        _span("speech", "A", "blame", 54, 67),
        _span("speech", "B", "blame", 26, 53),
        _span("speech", "B", "blame", 85, 112),
    ]
    out = span_agreement(DOCS, spans, ["A", "B"], ["blame"])
    assert out["alpha_u"]["overall"] < 0
    assert out["f1_exact"]["micro"]["f1"] == 0
    assert out["f1_overlap"]["micro"]["f1"] == 0
    assert out["sentences"]["per_code"]["blame"]["alpha_nominal"] < 0


def test_boundary_differences_count_for_overlap_not_exact():
    spans = _coded("A") + _coded("B", shift=2)
    out = span_agreement(DOCS, spans, ["A", "B"], ["blame", "praise"])
    assert out["f1_exact"]["per_code"]["blame"]["f1"] == pytest.approx(0.5)
    assert out["f1_overlap"]["per_code"]["blame"]["f1"] == pytest.approx(1.0)
    assert 0 < out["alpha_u"]["per_code"]["blame"] < 1


@pytest.mark.parametrize(
    ("coders", "spans"),
    [
        (["A"], [_span("speech", "A", "blame", 0, 10)]),  # one coder
        (["A", "B"], []),  # no spans at all
        (["A", "B", "C"], [_span("nowhere", "A", "blame", 0, 10)]),  # spans outside the selection
    ],
)
def test_degenerate_selections_give_reasons_not_nan(coders, spans):
    out = span_agreement(DOCS, spans, coders, ["blame", "unused"], bootstrap=5)
    text = json.dumps(out, allow_nan=False)
    assert "NaN" not in text
    assert out["alpha_u"]["overall"] is None
    assert out["alpha_u"]["overall_reason"]
    assert out["alpha_u"]["per_code"]["unused"] is None
    assert out["alpha_u"]["per_code_reason"]["unused"]
    assert out["f1_exact"]["micro"]["f1"] is None
    assert out["sentences"]["per_code"]["unused"]["alpha_nominal"] is None
    assert out["sentences"]["per_code"]["unused"]["alpha_nominal_reason"]


def test_code_nobody_used_and_clipping():
    spans = _coded("A") + _coded("B") + [_span("reply", "A", "praise", 40, 999)]
    out = span_agreement(DOCS, spans, ["A", "B"], ["blame", "praise", "irony"])
    assert out["alpha_u"]["per_code"]["irony"] is None
    assert out["alpha_u"]["overall"] is not None
    assert out["counts"]["spans_clipped"] == 1
    assert out["f1_exact"]["per_code"]["irony"]["f1"] is None


def _many_docs(n=12):
    docs = [(f"d{i}", TEXT) for i in range(n)]
    spans = []
    for d, _t in docs:
        spans += [_span(d, c, k, s + (3 if c == "B" and d != "d0" else 0), e) for c in "AB"
                  for k, s, e in (("blame", 0, 25), ("praise", 26, 54), ("blame", 85, 112))]  # fmt: skip
    return docs, spans


def test_bootstrap_and_cancellation():
    docs, spans = _many_docs()
    out = span_agreement(docs, spans, ["A", "B"], ["blame", "praise"], bootstrap=30, seed=1)
    again = span_agreement(docs, spans, ["A", "B"], ["blame", "praise"], bootstrap=30, seed=1)
    assert out["alpha_u"]["ci"] == again["alpha_u"]["ci"]
    assert out["alpha_u"]["ci"]["overall"]["resamples"] == 30
    assert out["ci_method"].startswith("percentile bootstrap over documents")
    cell = out["sentences"]["per_code"]["blame"]
    for key in ("alpha_nominal_ci", "gwet_ac1_ci", "brennan_prediger_ci", "percent_agreement_ci"):
        assert key in cell, key
    assert out["f1_overlap"]["ci"]["micro"]["low"] <= out["f1_overlap"]["micro"]["f1"]
    seen = []

    def stop_early(done, total):
        seen.append((done, total))
        return done < 10

    with pytest.raises(Cancelled):
        span_agreement(docs, spans, ["A", "B"], ["blame"], bootstrap=100, progress=stop_early)
    assert seen[-1][0] >= 10


def test_fewer_than_ten_documents_give_null_intervals_with_the_reason():
    spans = _coded("A") + _coded("B", shift=3)
    out = span_agreement(DOCS, spans, ["A", "B"], ["blame"], bootstrap=30)
    why = "too few documents (2) for a bootstrap interval"
    assert out["alpha_u"]["ci"] is None
    assert out["alpha_u"]["ci_reason"] == why
    assert out["f1_exact"]["ci_reason"] == why
    assert out["sentences"]["per_code"]["blame"]["gwet_ac1_ci"] is None
    assert out["sentences"]["per_code"]["blame"]["gwet_ac1_ci_reason"] == why
    assert any(c["id"] == "few_documents" for c in out["checks"])
    json.dumps(out, allow_nan=False)


def test_overlap_matching_is_maximum():
    def brute(a, b):  # augmenting paths (Kuhn)
        match: dict[int, int] = {}

        def go(i, seen):
            for j, (s, e) in enumerate(b):
                if a[i][0] < e and s < a[i][1] and j not in seen:
                    seen.add(j)
                    if j not in match or go(match[j], seen):
                        match[j] = i
                        return True
            return False

        return sum(go(i, set()) for i in range(len(a)))

    rng = random.Random(0)
    for _ in range(500):
        a = [(s, s + rng.randint(1, 9)) for s in (rng.randint(0, 30) for _ in range(rng.randint(0, 6)))]
        b = [(s, s + rng.randint(1, 9)) for s in (rng.randint(0, 30) for _ in range(rng.randint(0, 6)))]
        pairs = max_overlap_matching(a, b)
        assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
        assert len(pairs) == brute(a, b)


def test_f1_one_to_one():
    spans = {"A": [("d", "x", 0, 10)], "B": [("d", "x", 0, 4), ("d", "x", 5, 10)]}
    out = span_f1(spans, ["A", "B"], ["x"], "overlap")
    assert out["micro"]["tp"] == 1
    assert out["micro"]["f1"] == pytest.approx(2 / 3)


def test_sentence_splitter():
    text = 'Mr. Smith arrived. He said: "Hello!" Then e.g. he left... Really?\n\nNew part. J. Doe'
    got = [text[a:b] for a, b in split_sentences(text)]
    assert got == ["Mr. Smith arrived.", 'He said: "Hello!"', "Then e.g. he left...", "Really?", "New part.", "J. Doe"]
    assert split_sentences("") == []
    assert split_sentences(" \n \n") == []
    emoji = "Hi 😀 there. Bye."
    assert [emoji[a:b] for a, b in split_sentences(emoji)] == ["Hi 😀 there.", "Bye."]


def test_merge_flag_keeps_touching_spans_apart():
    touching = [
        _span("speech", "A", "blame", 0, 10),
        _span("speech", "A", "blame", 10, 25),
        _span("speech", "B", "blame", 0, 25),
    ]
    merged = span_agreement(DOCS, touching, ["A", "B"], ["blame"])
    assert merged["alpha_u"]["overall"] == pytest.approx(1.0)
    apart = span_agreement(DOCS, touching, ["A", "B"], ["blame"], merge=False)
    assert apart["alpha_u"]["overall"] < 1.0
    assert apart["merged"] is False
    overlapping = [*touching, _span("speech", "A", "blame", 5, 12)]
    with pytest.raises(UserError, match="overlapping"):
        span_agreement(DOCS, overlapping, ["A", "B"], ["blame"], merge=False)
