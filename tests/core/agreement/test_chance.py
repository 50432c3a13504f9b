"""Gwet's AC1 and Brennan-Prediger: Gwet's (2014) published examples, and the `irrcac` package.

Published values: irrCAC's vignette ("Calculating Chance-corrected Agreement Coefficients",
Gwet) for the contingency table cont3x3abstractors, and Gwet (2014, Handbook of Inter-Rater
Reliability, 4th ed., p. 120) for the 4 raters x 12 subjects data with missing ratings
(irrCAC's cac.raw4raters, as printed in the irrCAC Python package's documentation).
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest

from annotator.core.agreement import (
    ReliabilityData,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from annotator.core.agreement.chance import binary_kinds, brennan_prediger, gwet_ac1, kind_values, kinds_of

RAW4 = [  # Gwet (2014) p. 120: rows are raters, columns the 12 subjects, None = not rated
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_gwet_2014_raw_ratings_with_missing_values():
    assert gwet_ac1(RAW4).value == pytest.approx(0.77544, abs=5e-6)
    assert gwet_ac1(RAW4).details["p_o"] == pytest.approx(0.81818, abs=5e-6)
    assert brennan_prediger(RAW4).value == pytest.approx(0.77273, abs=5e-6)  # (0.81818 - 1/5) / (1 - 1/5)
    assert krippendorff_alpha(RAW4).value == pytest.approx(0.7434, abs=5e-5)


def test_irrcac_vignette_contingency_table():
    d = ReliabilityData.from_contingency([[13, 0, 0], [0, 20, 7], [0, 4, 56]], ["Ectopic", "AIU", "NIU"])
    assert cohen_kappa(d).value == pytest.approx(0.7964094, abs=1e-7)
    assert scott_pi(d).value == pytest.approx(0.7962397, abs=1e-7)
    assert gwet_ac1(d).value == pytest.approx(0.8493305, abs=1e-7)
    assert brennan_prediger(d).value == pytest.approx(0.835, abs=1e-7)
    assert krippendorff_alpha(d).value == pytest.approx(0.7972585, abs=1e-7)
    assert percent_agreement(d).value == pytest.approx(0.89, abs=1e-12)


def test_undefined_with_reasons():
    assert gwet_ac1([[1, 1], [1, 1]]).value is None
    assert "one category" in gwet_ac1([[1, 1], [1, 1]]).reason
    assert "two coders" in brennan_prediger([[1, 2]]).reason
    assert brennan_prediger([[1, None], [None, 2]]).reason == "no unit was coded by two or more coders"


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="irrcac pins scipy 1.12, which has no wheel here")
def test_same_as_the_irrcac_package_on_random_data():
    pd = pytest.importorskip("pandas")
    from irrCAC.raw import CAC  # in the test extras; a failing import is a broken environment

    rng = np.random.default_rng(2024)
    compared = 0
    for _ in range(150):
        raters, units, cats = int(rng.integers(2, 6)), int(rng.integers(3, 40)), int(rng.integers(2, 6))
        m = rng.integers(0, cats, (units, raters)).astype(float)
        m[rng.random(m.shape) < 0.25] = np.nan
        frame = pd.DataFrame(m)
        if frame.dropna(how="all").shape[0] < 2 or len(np.unique(m[~np.isnan(m)])) < 2:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cac = CAC(frame, digits=12)
            ac1, bp = cac.gwet()["est"]["coefficient_value"], cac.bp()["est"]["coefficient_value"]
        ours = m.T
        if not np.isfinite(ac1):
            continue
        assert gwet_ac1(ours).value == pytest.approx(ac1, abs=1e-9)
        assert brennan_prediger(ours).value == pytest.approx(bp, abs=1e-9)
        compared += 1
    assert compared > 100


def test_kind_values_equal_the_unit_measures():
    rng = np.random.default_rng(1)
    for _ in range(50):
        full = rng.integers(0, 3, (int(rng.integers(2, 5)), int(rng.integers(5, 40))))
        nv, counts = kinds_of(full)
        v = kind_values(nv, counts[None, :])
        assert v["fleiss_kappa"][0] == pytest.approx(fleiss_kappa(full).value, abs=1e-12)
        assert v["alpha_nominal"][0] == pytest.approx(krippendorff_alpha(full).value, abs=1e-12)
        assert v["percent_agreement"][0] == pytest.approx(percent_agreement(full).value, abs=1e-12)
        assert v["gwet_ac1"][0] == pytest.approx(gwet_ac1(full).value, abs=1e-12)


def test_binary_kinds_for_sentence_units():
    """Yes/no units rated by all R coders: the histogram of 'yes' counts is all the measures need."""
    m = np.array([[1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 0, 1], [1, 1, 0, 1, 0, 0]])
    hist = np.bincount(m.sum(0), minlength=4).astype(float)
    v = kind_values(binary_kinds(3), hist[None, :], 2)
    assert v["alpha_nominal"][0] == pytest.approx(krippendorff_alpha(m).value, abs=1e-12)
    assert v["fleiss_kappa"][0] == pytest.approx(fleiss_kappa(m).value, abs=1e-12)
    assert v["gwet_ac1"][0] == pytest.approx(gwet_ac1(m, categories=2).value, abs=1e-12)
    assert v["brennan_prediger"][0] == pytest.approx(brennan_prediger(m, categories=2).value, abs=1e-12)
