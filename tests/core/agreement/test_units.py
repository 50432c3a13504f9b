"""Unit measures: agreement with the `krippendorff` package, input formats, degenerate data."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from annotator.core.agreement import (
    ReliabilityData,
    bennett_s,
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_counts,
    krippendorff_alpha,
    pairwise,
    percent_agreement,
    scott_pi,
    weighted_kappa,
)

LEVELS = ("nominal", "ordinal", "interval", "ratio")


@pytest.mark.parametrize("seed", range(8))
def test_alpha_equals_krippendorff_package_on_random_matrices(seed):
    rng = np.random.default_rng(seed)
    coders, units, values = rng.integers(2, 7), rng.integers(5, 300), rng.integers(2, 9)
    m = rng.integers(1, values + 1, size=(coders, units)).astype(float)
    m[:, : units // 2] = m[0, : units // 2]  # some real agreement
    m[rng.random(m.shape) < 0.2] = np.nan
    for level in LEVELS:
        ours = krippendorff_alpha(m, level).value
        theirs = krippendorff.alpha(reliability_data=m, level_of_measurement=level)
        assert ours == pytest.approx(theirs, abs=1e-9), (seed, level)
        # the same data as Python lists with None gives the same value
        as_lists = [[None if np.isnan(x) else int(x) for x in row] for row in m]
        assert krippendorff_alpha(as_lists, level).value == pytest.approx(ours, abs=1e-12)


def test_label_values_and_missing():
    data = [["a", "b", None, "a"], ["a", "b", "b", None], [None, "a", "b", "a"]]
    r = krippendorff_alpha(data)
    assert r.value is not None
    assert r.details["pairable_values"] == 9
    assert krippendorff_alpha(data, "interval").value is None  # labels have no distances
    assert "numeric" in krippendorff_alpha(data, "interval").reason


@pytest.mark.parametrize(
    "matrix",
    [
        [[1, 2, 3]],  # one coder
        [[1, None, None], [None, 2, 3]],  # nothing pairable
        [[1, 1, 1], [1, 1, 1]],  # every coder identical, one category: D_e = 0
        [],  # no data
    ],
)
def test_degenerate_inputs_give_none_with_reason(matrix):
    for level in LEVELS:
        m = krippendorff_alpha(matrix, level)
        assert m.value is None
        assert m.reason


def test_two_coder_measures_need_two_coders():
    three = [[1, 2, 1], [1, 2, 2], [1, 1, 2]]
    for fn in (cohen_kappa, scott_pi, weighted_kappa):
        m = fn(three)
        assert m.value is None
        assert "two coders" in m.reason
    pairs = pairwise(three, cohen_kappa, ["A", "B", "C"])
    assert set(pairs) == {"A|B", "A|C", "B|C"}


def test_identical_single_category_is_undefined_not_nan():
    same = [["x", "x"], ["x", "x"]]
    assert percent_agreement(same).value == 1.0
    for fn in (cohen_kappa, scott_pi, bennett_s, fleiss_kappa, krippendorff_alpha):
        m = fn(same)
        assert m.value is None, fn.__name__
        assert m.reason, fn.__name__


def test_fleiss_needs_complete_data_and_equal_raters():
    assert fleiss_kappa([[1, None], [1, 2]]).value is None
    assert fleiss_kappa_counts([[2, 0], [1, 2]]).value is None
    perfect = fleiss_kappa([[1, 2, 3, 1], [1, 2, 3, 1], [1, 2, 3, 1]])
    assert perfect.value == pytest.approx(1.0)


def test_numpy_and_contingency_inputs():
    d = ReliabilityData.from_contingency([[3, 1], [0, 4]], ["y", "n"])
    assert d.n_units == 8
    assert percent_agreement(d).value == pytest.approx(7 / 8)
    arr = np.array([[0, 1, 1, 0], [0, 1, 0, 0]])
    assert cohen_kappa(arr).value == pytest.approx(cohen_kappa(arr.tolist()).value)
    assert weighted_kappa([[1, 2, 3], [1, 2, 3]], "quadratic").value == pytest.approx(1.0)
