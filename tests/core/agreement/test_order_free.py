"""Order-free alpha_U (each document its own continuum, pooled), the --concatenate value, and the
vectorised F1 and disagreement breakdown against slow, obvious references."""

from __future__ import annotations

import itertools
import json
import random
from fractions import Fraction

import numpy as np
import pytest

from annotator.core.agreement import end_to_end, merge_spans, per_document, span_agreement, span_f1, unit_arrays
from annotator.core.agreement.breakdown import disagreement_breakdown
from annotator.core.agreement.f1_fast import f1_json, f1_parts
from annotator.core.agreement.span_data import by_group, code_groups, span_arrays
from annotator.core.agreement.unitizing_corpus import corpus_alpha_u
from annotator.core.agreement.unitizing_pooled import PooledAlpha

from .dkpro_oracle import observed as oracle_observed


def _rows(seed: int, docs: int, raters: int = 3):
    rng = np.random.default_rng(seed)
    lengths = [int(x) for x in rng.integers(30, 200, docs)]
    rows = []
    for d, n in enumerate(lengths):
        for r in range(raters):
            for _ in range(int(rng.integers(0, 6))):
                s = int(rng.integers(0, n - 5))
                rows.append((r, str(rng.choice(["p", "q"])), d, s, min(n, s + int(rng.integers(1, 12)))))
    return lengths, rows


def _pooled(lengths, raters, rows):
    return PooledAlpha(unit_arrays(lengths, raters, rows, categories=["p", "q"])).result()


def test_every_order_of_documents_gives_the_identical_value():
    lengths, rows = _rows(1, 5)
    seen = set()
    for perm in itertools.permutations(range(5)):
        where = {old: new for new, old in enumerate(perm)}
        moved = [(r, c, where[d], s, e) for r, c, d, s, e in rows]
        overall, per = _pooled([lengths[p] for p in perm], 3, moved)
        seen.add((overall.value, per["p"].value, per["q"].value))
    assert len(seen) == 1
    laid = set()
    for perm in [(0, 1, 2, 3, 4), (4, 3, 2, 1, 0), (2, 0, 4, 1, 3)]:
        moved = [(r, c, perm.index(d), s, e) for r, c, d, s, e in rows]
        laid.add(end_to_end(unit_arrays([lengths[p] for p in perm], 3, moved)).overall.value)
    assert len(laid) > 1  # laid end to end, the order matters


def test_a_single_document_gives_the_single_continuum_value():
    for seed in range(20):
        lengths, rows = _rows(seed, 1)
        arrays = unit_arrays(lengths, 3, rows, categories=["p", "q"])
        overall, per = PooledAlpha(arrays).result()
        one = per_document(arrays)[0]
        assert overall.value == one.overall.value or overall.value == pytest.approx(one.overall.value, abs=1e-12)
        for c in ("p", "q"):
            assert (per[c].value is None) == (one.per_category[c].value is None)


def _reference(lengths, raters, rows, cat):
    """D_o and D_e from the definitions with exact fractions: observed per document (DKPro's sweep),
    expected over all units and all gaps of all documents, every gap ending at its document's end."""
    units, gaps, total_o = [], [], Fraction(0)
    for d, n in enumerate(lengths):
        mine = [(r, c, s, e - s) for r, c, dd, s, e in rows if dd == d and c == cat]
        total_o += oracle_observed(0, n, raters, mine, cat) * raters * (raters - 1) * n * n / 2
        for r in range(raters):
            ivs = sorted((s, s + ln) for rr, _c, s, ln in mine if rr == r)
            pos = 0
            for s, e in ivs:
                if s > pos:
                    gaps.append(s - pos)
                pos = e
            if n > pos:
                gaps.append(n - pos)
        units += [ln for _r, _c, _s, ln in mine]
    big_l = sum(lengths)
    d_o = Fraction(2) * total_o / (raters * (raters - 1) * big_l * big_l)
    num = sum(
        Fraction((len(units) - 1) * (2 * ln**3 - 3 * ln**2 + ln), 3)
        + ln * ln * sum(g - ln + 1 for g in gaps if g >= ln)
        for ln in units
    )
    d_e = Fraction(2, big_l) * num / (raters * big_l * (raters * big_l - 1) - sum(ln * (ln - 1) for ln in units))
    return d_o, d_e


def test_pooled_terms_equal_the_definitions():
    for seed in range(15):
        lengths, rows = _rows(100 + seed, 4)
        merged = []
        for d in range(4):
            for r in range(3):
                for c in ("p", "q"):
                    ivs = merge_spans([(s, e) for rr, cc, dd, s, e in rows if (rr, cc, dd) == (r, c, d)])
                    merged += [(r, c, d, s, e) for s, e in ivs]
        _overall, per = _pooled(lengths, 3, merged)
        for c in ("p", "q"):
            if per[c].value is None:
                continue
            d_o, d_e = _reference(lengths, 3, merged, c)
            assert per[c].details["D_o"] == pytest.approx(float(d_o), rel=1e-12)
            assert per[c].details["D_e"] == pytest.approx(float(d_e), rel=1e-12)


def test_concatenate_no_merge_reproduces_every_published_case_split_into_documents(shared_dir):
    """Every case, zero-length units included: the continuum cut into two documents where no unit
    crosses the cut, laid end to end again (as `agreement --concatenate --no-merge` does)."""
    cases = json.loads((shared_dir / "agreement" / "unitizing_cases.json").read_text("utf-8"))["cases"]
    for case in cases:
        begin, length, raters, units = case["continuum_begin"], case["continuum_length"], case["raters"], case["units"]
        free = [p for p in range(begin + 1, begin + length) if all(not (b < p <= b + n) for _r, _c, b, n in units)]
        cut = free[len(free) // 2] if free else begin + length
        lengths = [cut - begin] + ([begin + length - cut] if cut < begin + length else [])
        rows = []
        for r, c, b, n in units:
            first = b < cut or (b == cut and cut == begin + length)
            rows.append((r, c, 0, b - begin, b - begin + n) if first else (r, c, 1, b - cut, b - cut + n))
        arrays = unit_arrays(lengths, raters, rows, merge=False)
        res = end_to_end(arrays)
        ref = case["verification"]["dkpro_java_output"]
        if ref["alpha_overall"] == "NaN":
            assert res.overall.value is None, case["id"]
        else:
            assert res.overall.value == pytest.approx(ref["alpha_overall"], abs=1e-9), case["id"]
        for c, values in ref["per_category"].items():
            assert res.per_category[c].details["D_e"] == pytest.approx(values["D_e"], abs=1e-9), case["id"]
        assert len(corpus_alpha_u(lengths, raters, rows, merge=False)) == len(lengths)


def _random_selection(rng: random.Random):
    r = rng.randint(2, 4)
    docs = [(f"d{i}", "x" * rng.randint(20, 80)) for i in range(rng.randint(1, 4))]
    codes = ["a", "b", "c"][: rng.randint(1, 3)]
    spans = []
    for k in range(r):
        for _ in range(rng.randint(0, 10)):
            d = rng.randrange(len(docs))
            n = len(docs[d][1])
            s = rng.randrange(n - 1)
            spans.append((docs[d][0], f"c{k}", rng.choice(codes), s, min(n, s + rng.randint(1, 15))))
    return docs, spans, [f"c{k}" for k in range(r)], codes


def test_fast_f1_equals_the_reference_implementation():
    rng = random.Random(3)
    for _ in range(200):
        docs, spans, coders, codes = _random_selection(rng)
        sp = span_arrays(docs, spans, coders, codes)
        by = {c: [(d, k, s, e) for d, cc, k, s, e in spans if cc == c] for c in coders}
        for mode in ("exact", "overlap"):
            assert f1_json(f1_parts(sp, mode), sp, mode) == span_f1(by, coders, codes, mode)


def _breakdown_reference(docs, spans, coders, codes):
    out = {k: {"boundary": 0, "label": 0, "omission": 0} for k in codes}
    for name, _text in docs:
        units = {(c, k): merge_spans([(s, e) for d, cc, kk, s, e in spans if (d, cc, kk) == (name, c, k)])
                 for c in coders for k in codes}  # fmt: skip
        cover = {key: {x for s, e in ivs for x in range(s, e)} for key, ivs in units.items()}
        for a, b in itertools.permutations(coders, 2):
            anything = set().union(*(cover[(b, k)] for k in codes))
            for k in codes:
                for s, e in units[(a, k)]:
                    chars = set(range(s, e))
                    if chars & cover[(b, k)]:
                        out[k]["boundary"] += len(chars - cover[(b, k)])
                    else:
                        out[k]["label"] += len(chars & anything)
                        out[k]["omission"] += len(chars - anything)
    return out


def test_disagreement_breakdown_equals_a_character_by_character_count():
    rng = random.Random(5)
    for _ in range(200):
        docs, spans, coders, codes = _random_selection(rng)
        got = disagreement_breakdown(span_arrays(docs, spans, coders, codes))
        assert got == _breakdown_reference(docs, spans, coders, codes)


def test_breakdown_kinds_on_a_hand_made_case():
    docs = [("d", "x" * 100)]
    spans = [
        ("d", "A", "a", 0, 10), ("d", "B", "a", 2, 10),  # boundary: 2 chars
        ("d", "A", "a", 20, 30), ("d", "B", "b", 20, 30),  # label: 10 chars each way
        ("d", "A", "a", 50, 55),  # omission: 5 chars
    ]  # fmt: skip
    got = disagreement_breakdown(span_arrays(docs, spans, ["A", "B"], ["a", "b"]))
    assert got == {"a": {"boundary": 2, "label": 10, "omission": 5}, "b": {"boundary": 0, "label": 10, "omission": 0}}


def test_groups_count_any_child_as_the_parent():
    docs = [(f"d{i}", "x" * 60) for i in range(3)]
    parents = {"threat.a": "threat", "threat.b": "threat", "threat": None, "other": None}
    assert code_groups(["threat.a", "threat.b", "other"], parents) == {"threat": ["threat.a", "threat.b"]}
    spans = [(d, "A", "threat.a", 5, 20) for d, _t in docs] + [(d, "B", "threat.b", 5, 20) for d, _t in docs]
    sp = span_arrays(docs, spans, ["A", "B"], ["threat.a", "threat.b", "other"])
    grouped = by_group(sp, code_groups(sp.codes, parents))
    assert grouped.codes == ["threat"]
    assert len(grouped) == 6  # one merged unit per coder and document
    res = span_agreement(docs, spans, ["A", "B"], ["threat.a", "threat.b", "other"], parents=parents)
    assert res["alpha_u"]["per_code"]["threat.a"] < 0  # sibling codes: no agreement per code
    assert res["alpha_u"]["per_parent"] == {"threat": pytest.approx(1.0)}  # but full agreement on the group
    assert res["f1_exact"]["per_parent"]["threat"]["f1"] == pytest.approx(1.0)
    assert res["alpha_u"]["per_parent_codes"] == {"threat": ["threat.a", "threat.b"]}
    assert res["disagreement_breakdown"]["threat.a"]["label"] == 3 * 15


def test_unstable_per_document_values_are_marked_with_the_reason():
    long_text = "x" * 5000
    docs = [(f"d{i}", long_text) for i in range(4)] + [("tiny", "y" * 5000)]
    spans = []
    for d, _t in docs[:4]:
        for k in range(0, 4000, 400):
            spans += [(d, "A", "a", k, k + 150), (d, "B", "a", k + 5, k + 150)]
    spans += [("tiny", "A", "a", 0, 4990)]  # one coder marks nearly all of it, the other nothing
    res = span_agreement(docs, spans, ["A", "B"], ["a"])
    au = res["alpha_u"]
    assert au["per_document"]["tiny"] < -1
    assert au["per_document_unstable"]["tiny"].startswith("unstable: observed disagreement")
    assert "d0" not in au["per_document_unstable"]
    assert any(c["id"] == "unstable_documents" for c in res["checks"])
