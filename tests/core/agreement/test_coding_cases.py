"""Every case of ../shared/agreement/coding_cases.json, through the public functions."""

from __future__ import annotations

import json

import pytest

from annotator.core.agreement import (
    ReliabilityData,
    bennett_s,
    cohen_kappa,
    fleiss_kappa_counts,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    subject_ratings_counts,
    table_agreement,
    weighted_kappa,
)


def _chck_half(a, b):
    """Artstein & Poesio (2008) p. 568 weights: 0.5 when either category is 'Chck'."""
    if a == b:
        return 0.0
    return 0.5 if "Chck" in (a, b) else 1.0


def _cases(shared_dir):
    return json.loads((shared_dir / "agreement" / "coding_cases.json").read_text("utf-8"))["cases"]


def _data(case):
    d = case["data"]
    if "reliability_matrix" in d:
        return ReliabilityData.from_matrix(d["reliability_matrix"])
    if "contingency_table" in d:
        return ReliabilityData.from_contingency(d["contingency_table"], d["categories"])
    return None


def _fleiss(case):
    d = case["data"]
    if "subject_ratings" in d:
        counts, cats = subject_ratings_counts(d["subject_ratings"])
    else:
        counts = d["subject_category_counts"]
        cats = list(range(1, len(counts[0]) + 1))
    return fleiss_kappa_counts(counts, cats)


def _compute(case, key):
    data = _data(case)
    level = key.removeprefix("krippendorff_alpha_")
    simple = {
        "percent_agreement": lambda: percent_agreement(data).value,
        "cohen_kappa": lambda: cohen_kappa(data).value,
        "cohen_expected_agreement": lambda: cohen_kappa(data).details["p_e"],
        "scott_pi": lambda: scott_pi(data).value,
        "bennett_s": lambda: bennett_s(data).value,
        "weighted_kappa_linear": lambda: weighted_kappa(data, "linear").value,
        "weighted_kappa_chck_half": lambda: weighted_kappa(data, _chck_half).value,
        "krippendorff_alpha_weighted_chck_half": lambda: krippendorff_alpha(data, _chck_half).value,
        "alpha_nominal_D_o": lambda: krippendorff_alpha(data).details["D_o"],
        "alpha_nominal_D_e": lambda: krippendorff_alpha(data).details["D_e"],
        "fleiss_kappa": lambda: _fleiss(case).value,
        "fleiss_observed_agreement": lambda: _fleiss(case).details["P_bar"],
        "fleiss_expected_agreement": lambda: _fleiss(case).details["P_e"],
        "fleiss_per_category": lambda: _fleiss(case).details["per_category"],
    }
    if key in simple:
        return simple[key]()
    if level in ("nominal", "ordinal", "interval", "ratio"):
        return krippendorff_alpha(data, level).value
    raise AssertionError(f"no computation for expected key {key!r}")


def test_every_expected_value_is_reproduced(shared_dir):
    checked = 0
    cases = _cases(shared_dir)
    for case in cases:
        for key, expected in case["expected"].items():
            got = _compute(case, key)
            if isinstance(expected, dict):
                # per-category Fleiss kappas: DKPro's rounded assertions, tolerance 0.005 (notes)
                tol = 0.005
                for cat, value in expected.items():
                    assert got[cat] == pytest.approx(value, abs=tol), (case["id"], key, cat)
            else:
                assert got == pytest.approx(expected, abs=case["tolerance"]), (case["id"], key)
            checked += 1
    assert checked == sum(len(c["expected"]) for c in cases) > 50


def test_reliability_matrix_cases_through_table_agreement(shared_dir):
    """table_agreement (what `agreement --table` prints) gives the same numbers."""
    for case in _cases(shared_dir):
        data = case["data"]
        if "reliability_matrix" in data:
            matrix = data["reliability_matrix"]
        elif "contingency_table" in data:
            d = ReliabilityData.from_contingency(data["contingency_table"], data["categories"])
            matrix = [[d.domain[i] for i in row] for row in d.codes]
        else:
            continue
        exp, tol = case["expected"], case["tolerance"]
        for level in ("nominal", "ordinal", "interval", "ratio"):
            key = f"krippendorff_alpha_{level}"
            if key in exp:
                out = table_agreement(matrix, level)
                assert out["alpha"] == pytest.approx(exp[key], abs=tol), (case["id"], level)
        out = table_agreement(matrix, "nominal")
        for key in ("percent_agreement", "cohen_kappa", "scott_pi", "bennett_s"):
            if key in exp:
                assert out[key] == pytest.approx(exp[key], abs=tol), (case["id"], key)
        json.dumps(out, allow_nan=False)
