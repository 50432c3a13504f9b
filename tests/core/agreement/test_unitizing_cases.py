"""alpha_U: every case of ../shared/agreement/unitizing_cases.json, plus checks against a literal
port of DKPro's sweep on random studies, and the corpus helpers."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from annotator.core.agreement import (
    alpha_u,
    corpus_alpha,
    end_to_end,
    merge_spans,
    unit_arrays,
)

from .dkpro_oracle import expected as oracle_expected
from .dkpro_oracle import observed as oracle_observed


def _cases(shared_dir):
    path = shared_dir / "agreement" / "unitizing_cases.json"
    return json.loads(path.read_text("utf-8"))["cases"]


def test_every_unitizing_case(shared_dir):
    cases = _cases(shared_dir)
    assert len(cases) >= 7
    for case in cases:
        res = alpha_u(case["continuum_begin"], case["continuum_length"], case["raters"], case["units"])
        exp = case["expected"]
        if "alpha_overall" in exp:
            if exp["alpha_overall"] == "NaN":
                assert res.overall.value is None, case["id"]
                assert res.overall.reason, case["id"]
            else:
                tol = exp.get("alpha_overall_tolerance", 0.0)
                assert res.overall.value == pytest.approx(exp["alpha_overall"], abs=tol), case["id"]
        for key in ("D_o", "D_e"):
            if key in exp:
                assert res.overall.details[key] == pytest.approx(exp[key], abs=1e-3), case["id"]
        if exp.get("D_e_positive"):
            assert res.overall.details["D_e"] > 0
        for cat, values in exp.get("per_category", {}).items():
            m = res.per_category[cat]
            tol = values["tolerance"]
            for key in ("D_o", "D_e"):
                if key in values:
                    assert m.details[key] == pytest.approx(values[key], abs=tol), (case["id"], cat)
            if "alpha" in values:
                assert m.value == pytest.approx(values["alpha"], abs=tol), (case["id"], cat)
        # the independent implementations' full output, to 1e-9
        ref = case["verification"]["dkpro_java_output"]
        for cat, values in ref["per_category"].items():
            m = res.per_category[cat]
            assert m.details["D_o"] == pytest.approx(values["D_o"], abs=1e-9)
            assert m.details["D_e"] == pytest.approx(values["D_e"], abs=1e-9)
            assert m.value == pytest.approx(values["alpha"], abs=1e-9)


def test_dkpro_unit_test_example():
    """UnitizingAgreementTest.createExample: r0 -11111111-, r1 --1-1-1---."""
    res = alpha_u(0, 10, 2, [(0, "A", 1, 8), (1, "A", 2, 1), (1, "A", 4, 1), (1, "A", 6, 1)])
    m = res.per_category["A"]
    assert m.details["D_o"] == pytest.approx(0.9100, abs=1e-4)
    assert m.details["D_e"] == pytest.approx(0.5351, abs=1e-4)
    assert m.value == pytest.approx(-0.7003, abs=1e-4)


def _random_study(rng: random.Random):
    length, begin, raters = rng.randint(1, 40), rng.randint(0, 5), rng.randint(2, 4)
    units = []
    for r in range(raters):
        for cat in "xy":
            pos = begin
            while True:
                pos += rng.randint(0, 4)
                n = rng.choice([0, 1, 1, 2, 3, 5, 8])
                if pos + n > begin + length:
                    break
                if rng.random() < 0.7:
                    units.append((r, cat, pos, n))
                pos += n
    return begin, length, raters, units


def test_matches_literal_dkpro_sweep_on_random_studies():
    rng = random.Random(7)
    for _ in range(400):
        begin, length, raters, units = _random_study(rng)
        res = alpha_u(begin, length, raters, units)
        for cat, m in res.per_category.items():
            d_o = float(oracle_observed(begin, length, raters, units, cat))
            d_e = float(oracle_expected(begin, length, raters, units, cat))
            assert m.details["D_o"] == pytest.approx(d_o, abs=1e-12), (begin, length, units)
            assert m.details["D_e"] == pytest.approx(d_e, abs=1e-12), (begin, length, units)


def test_merge_spans():
    assert merge_spans([(7, 9), (0, 3), (3, 5), (4, 6)]) == [(0, 6), (7, 9)]
    assert merge_spans([]) == []
    # merge=True merges a rater's overlapping/touching same-category units before alpha_U
    merged = alpha_u(0, 20, 2, [(0, "a", 0, 5), (0, "a", 5, 5), (1, "a", 0, 10)], merge=True)
    assert merged.overall.value == pytest.approx(1.0)
    with pytest.raises(ValueError, match="overlap"):
        alpha_u(0, 20, 2, [(0, "a", 0, 5), (0, "a", 3, 5), (1, "a", 0, 10)])


def test_degenerate_inputs_are_undefined_with_reason():
    one = alpha_u(0, 20, 1, [(0, "a", 0, 5)])
    assert one.overall.value is None
    assert "two" in one.overall.reason
    empty = alpha_u(0, 20, 3, [])
    assert empty.overall.value is None
    assert empty.overall.reason
    unused = alpha_u(0, 20, 2, [(0, "a", 0, 5), (1, "a", 0, 5)], categories=["a", "b"])
    assert unused.per_category["b"].value is None
    assert unused.per_category["b"].reason
    assert unused.overall.value == pytest.approx(1.0)
    with pytest.raises(ValueError, match="outside"):
        alpha_u(0, 20, 2, [(0, "a", 15, 10)])


def _docs(rng, n_docs, raters=3, spans=8):
    lengths = [int(x) for x in rng.integers(50, 300, n_docs)]
    rows = []
    for d, n in enumerate(lengths):
        for r in range(raters):
            for _ in range(spans):
                s = int(rng.integers(0, n - 10))
                rows.append((r, str(rng.choice(["p", "q"])), d, s, s + int(rng.integers(1, 10))))
    return lengths, rows


def test_corpus_per_document_equals_single_document_computation():
    rng = np.random.default_rng(3)
    lengths, rows = _docs(rng, 6)
    res = corpus_alpha(lengths, 3, rows)
    for d, n in enumerate(lengths):
        single = alpha_u(0, n, 3, [(r, c, s, e - s) for r, c, dd, s, e in rows if dd == d], merge=True)
        assert res.per_document[d].overall.value == pytest.approx(single.overall.value, abs=1e-12)
    # end to end = one continuum with offsets shifted by the cumulative length
    shift = np.concatenate([[0], np.cumsum(lengths)])
    merged = []
    for d in range(len(lengths)):
        for r in range(3):
            for c in ("p", "q"):
                own = [(s, e) for rr, cc, dd, s, e in rows if (rr, cc, dd) == (r, c, d)]
                merged += [(r, c, s + int(shift[d]), e - s) for s, e in merge_spans(own)]
    flat = alpha_u(0, int(shift[-1]), 3, merged)
    assert res.corpus.overall.value == pytest.approx(flat.overall.value, abs=1e-12)
    assert res.total_length == sum(lengths)


def test_touching_spans_in_neighbouring_documents_are_not_merged():
    res = corpus_alpha([10, 10], 2, [(0, "a", 0, 5, 10), (0, "a", 1, 0, 5), (1, "a", 0, 5, 10), (1, "a", 1, 0, 5)])
    assert res.corpus.per_category["a"].details["units"] == 4
    assert res.corpus.overall.value == pytest.approx(1.0)


def test_take_documents_lays_out_the_drawn_documents():
    rng = np.random.default_rng(5)
    lengths, rows = _docs(rng, 4)
    arrays = unit_arrays(lengths, 3, rows)
    picked = arrays.take_documents(np.array([1, 1, 3]))
    expected_rows = []
    for new, d in enumerate([1, 1, 3]):
        expected_rows += [(r, c, new, s, e) for r, c, dd, s, e in rows if dd == d]
    direct = end_to_end(unit_arrays([lengths[1], lengths[1], lengths[3]], 3, expected_rows))
    assert end_to_end(picked).overall.value == pytest.approx(direct.overall.value, abs=1e-12)
