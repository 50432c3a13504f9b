"""Percent agreement, Gwet's AC1, Brennan-Prediger, Fleiss' kappa and nominal alpha from "kinds" of units.

Units with the same value counts are interchangeable for all of these measures, so a set of units
is described by its kinds (a K x Q matrix `nv`: how many coders gave value q to a unit of kind k)
and how many units of each kind there are (a weight row). Resampling units or documents then only
changes the weights, and B resamples are a (B, K) weight matrix: every coefficient of every
resample comes out of a few matrix products (see `kind_values`).

Definitions (as irrCAC computes them, Gwet 2014, with missing values):
- units without any value are dropped; percent agreement p_a is the mean over units rated by two
  or more coders of sum_q r_q (r_q - 1) / (r (r - 1));
- AC1: p_e = sum_q pi_q (1 - pi_q) / (Q - 1), pi_q = mean over rated units of r_q / r;
- Brennan-Prediger (Bennett's S): p_e = 1 / Q; Q = categories used (or given);
- coefficient = (p_a - p_e) / (1 - p_e); undefined when Q < 2 (nothing to tell apart) or p_e = 1;
- Fleiss' kappa (no missing values only) and Krippendorff's nominal alpha as in `units`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .measure import Measure, defined, undefined
from .units import as_data

MEASURES = ("percent_agreement", "gwet_ac1", "brennan_prediger", "fleiss_kappa", "alpha_nominal")


def kinds_of(data: Any) -> tuple[NDArray[Any], NDArray[Any]]:
    """(nv, counts): the distinct value-count rows of reliability data and how many units have each."""
    nv = as_data(data).value_counts()
    nv = nv[nv.sum(1) > 0]
    if len(nv) == 0:
        return np.zeros((0, nv.shape[1])), np.zeros(0)
    kinds, counts = np.unique(nv, axis=0, return_counts=True)
    return kinds.astype(float), counts.astype(float)


def kind_values(nv: NDArray[Any], w: NDArray[Any], categories: int | None = None) -> dict[str, NDArray[Any]]:
    """Every measure of MEASURES for each row of kind weights `w` (B, K); NaN where undefined.

    `categories`: Q for AC1 and Brennan-Prediger; None = the categories used in each row.
    """
    nv = np.asarray(nv, dtype=float)
    w = np.atleast_2d(np.asarray(w, dtype=float))
    m = nv.sum(1)
    pair = m >= 2
    den = np.where(pair, m * (m - 1), 1.0)
    agree = np.where(pair, (nv * (nv - 1)).sum(1) / den, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_pair = w @ pair.astype(float)
        pa = (w @ agree) / n_pair
        share = nv / np.where(m > 0, m, 1.0)[:, None]
        n_rated = w @ (m > 0).astype(float)
        pi = (w @ share) / n_rated[:, None]
        n_c = w @ nv  # values per category
        q = np.full(len(w), float(categories)) if categories is not None else (n_c > 0).sum(1).astype(float)
        pe_ac1 = np.where(q >= 2, (pi * (1 - pi)).sum(1) / (q - 1), np.nan)
        pe_bp = np.where(q >= 2, 1 / q, np.nan)
        out = {
            "percent_agreement": pa,
            "gwet_ac1": _coefficient(pa, pe_ac1),
            "brennan_prediger": _coefficient(pa, pe_bp),
        }
        # Fleiss (complete data: every unit has the same number of values)
        complete = len(np.unique(m)) == 1 and len(m) > 0 and m[0] >= 2
        if complete:
            p_j = n_c / (n_c.sum(1, keepdims=True))
            out["fleiss_kappa"] = _coefficient(pa, (p_j**2).sum(1))
        else:
            out["fleiss_kappa"] = np.full(len(w), np.nan)
        # nominal alpha over pairable units
        npair = w @ (nv * pair[:, None])
        big_n = npair.sum(1)
        d_o = (w @ np.where(pair, (m**2 - (nv**2).sum(1)) / np.where(pair, m - 1, 1.0), 0.0)) / big_n
        d_e = (big_n**2 - (npair**2).sum(1)) / (big_n * (big_n - 1))
        out["alpha_nominal"] = np.where(d_e > 0, 1 - d_o / d_e, np.nan)
    return {k: np.where(np.isfinite(v), v, np.nan) for k, v in out.items()}


def _coefficient(pa: NDArray[Any], pe: NDArray[Any]) -> NDArray[Any]:
    return np.where(pe < 1 - 1e-15, (pa - pe) / (1 - pe), np.nan)


def _single(data: Any, key: str, categories: int | None) -> Measure:
    d = as_data(data)
    if d.n_coders < 2:
        return undefined(f"needs at least two coders (got {d.n_coders})")
    nv, counts = kinds_of(d)
    if not (nv.sum(1) >= 2).any():
        return undefined("no unit was coded by two or more coders")
    q = categories if categories is not None else int((nv.sum(0) > 0).sum())
    if q < 2:
        return undefined(f"only one category was used: {key.replace('_', ' ')} has nothing to tell apart")
    value = float(kind_values(nv, counts[None, :], q)[key][0])
    pa = float(kind_values(nv, counts[None, :], q)["percent_agreement"][0])
    if not np.isfinite(value):
        return undefined("expected agreement is 1: the coefficient is 0/0", p_o=pa, categories=q)
    return defined(value, p_o=pa, categories=q)


def gwet_ac1(data: Any, categories: int | None = None) -> Measure:
    """Gwet's AC1 (unweighted), with missing values as irrCAC's gwet.ac1.raw treats them."""
    return _single(data, "gwet_ac1", categories)


def brennan_prediger(data: Any, categories: int | None = None) -> Measure:
    """Brennan and Prediger's coefficient (Bennett et al.'s S): p_e = 1/Q, as irrCAC's bp.coeff.raw."""
    return _single(data, "brennan_prediger", categories)


def binary_kinds(raters: int) -> NDArray[Any]:
    """Kinds of a yes/no unit rated by every one of `raters` coders: row y = (R - y no, y yes)."""
    y = np.arange(raters + 1, dtype=float)
    return np.stack([raters - y, y], axis=1)
