"""Honest intervals (documents resampled, flags) and sentence units a linguist would accept."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.core.agreement import bootstrap_alpha, span_agreement
from annotator.core.agreement.resampling import interval_from


def test_flags_an_interval_without_its_estimate_and_a_degenerate_edge():
    skewed = interval_from(np.linspace(0.5, 0.7, 200), 0.9)
    assert skewed.flag.startswith("the interval does not contain the estimate 0.900")
    stuck = interval_from(np.array([1.0] * 150 + list(np.linspace(0.6, 0.99, 50))), 1.0)
    assert (stuck.high, stuck.flag.split(":")[0]) == (1.0, "the estimate 1.000 sits at the interval's edge")
    assert "150 of 200 resamples" in stuck.flag
    fine = interval_from(np.random.default_rng(0).normal(0.7, 0.05, 500), 0.7)
    assert fine.flag is None
    assert fine.to_json().keys() >= {"low", "high", "resamples", "seed", "undefined_resamples"}
    assert "flag" not in fine.to_json()
    gaps = interval_from(np.array([np.nan] * 10 + [0.5] * 90), 0.5)
    assert gaps.undefined_resamples == 10


def _sentences_in_documents(n_docs=12, per_doc=25, seed=3):
    """Each document has its own coding quality: codings within a document are dependent."""
    rng = np.random.default_rng(seed)
    sentence = "The council met and spoke about security. "
    docs, spans = [], []
    for d in range(n_docs):
        text = sentence * per_doc
        docs.append((f"d{d}", text))
        flip = rng.uniform(0.0, 0.5)  # how often coder B disagrees in this document
        for k in range(per_doc):
            start, end = k * len(sentence), (k + 1) * len(sentence) - 1
            a = rng.random() < 0.4
            b = a if rng.random() > flip else not a
            if a:
                spans.append((f"d{d}", "A", "x", start, end))
            if b:
                spans.append((f"d{d}", "B", "x", start, end))
    return docs, spans


def test_document_resampling_is_wider_than_resampling_sentences():
    docs, spans = _sentences_in_documents()
    res = span_agreement(docs, spans, ["A", "B"], ["x"], bootstrap=1000, seed=1)
    cell = res["sentences"]["per_code"]["x"]
    assert res["sentences"]["units"] == 300
    by_document = cell["alpha_nominal_ci"]["high"] - cell["alpha_nominal_ci"]["low"]
    rows = np.zeros((2, 300), dtype=int)
    for _d, coder, _c, s, _e in spans:
        d = int(_d[1:])
        rows["AB".index(coder), d * 25 + s // 42] = 1
    by_sentence = bootstrap_alpha(rows, "nominal", resamples=1000, seed=1)
    assert by_document > 1.3 * (by_sentence.high - by_sentence.low)
    assert res["ci_method"].startswith("percentile bootstrap over documents")


def test_a_sentence_counts_as_coded_only_with_a_whole_word_of_it():
    text = "The threat is growing. The council met in Moscow. Nothing else happened."
    docs = [("d", text)]
    first_end = text.index(".") + 1
    second = text.index("The council")
    overrun = [("d", "A", "x", 0, first_end), ("d", "B", "x", 0, second + 2)]  # B runs into "Th" of sentence 2
    res = span_agreement(docs, overrun, ["A", "B"], ["x"])
    cell = res["sentences"]["per_code"]["x"]
    assert cell["coded_by"] == {"A": 1, "B": 1}
    assert cell["percent_agreement"] == pytest.approx(1.0)
    assert "whole word" in res["sentences"]["rule"]
    word = [("d", "A", "x", 0, first_end), ("d", "B", "x", 0, second + 3)]  # "The" is a whole word
    assert span_agreement(docs, word, ["A", "B"], ["x"])["sentences"]["per_code"]["x"]["coded_by"]["B"] == 2
    inside = [("d", "A", "x", second + 4, second + 11)]  # "council" alone codes its sentence
    assert span_agreement(docs, inside, ["A", "B"], ["x"])["sentences"]["per_code"]["x"]["coded_by"]["A"] == 1
    part = [("d", "A", "x", second + 5, second + 9)]  # part of a word codes nothing
    assert span_agreement(docs, part, ["A", "B"], ["x"])["sentences"]["per_code"]["x"]["coded_by"]["A"] == 0


def test_hard_wrapped_lines_are_not_sentences():
    text = "The economy was\ngrowing fast and the\ncouncil met.\n\nA new paragraph."
    res = span_agreement([("d", text)], [], ["A", "B"], ["x"])
    assert res["sentences"]["units"] == 2
