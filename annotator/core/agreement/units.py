"""Agreement on reliability data: coders x units, each cell a value or None (missing).

Input formats (all end up as `ReliabilityData`):
- reliability matrix: one row per coder, one column per unit; None (or NaN) = missing. Values are
  any hashable labels for nominal measures, numbers for ordinal/interval/ratio alpha;
- 2-coder contingency table + category list (`ReliabilityData.from_contingency`);
- subject ratings (one row per subject listing the categories it got, raters unidentified) and
  subject x category count tables: Fleiss' kappa only (`fleiss_kappa_counts`, `subject_counts`).

Every measure returns a `Measure`; undefined cases (one coder, nothing pairable, no variation)
return `value=None` with the reason. Definitions follow coding_cases.json `measure_definitions`
(Cohen 1960, Scott 1955, Bennett et al. 1954, Fleiss 1971, Krippendorff 2011).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from .measure import Measure, defined, undefined

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")
Distance = Callable[[Any, Any], float]


@dataclass(frozen=True)
class ReliabilityData:
    """Encoded reliability data: `codes[coder, unit]` indexes `domain`, -1 = missing.

    `domain` is sorted when all values are numbers (so ordinal/interval/ratio can use it).
    """

    codes: NDArray[Any]
    domain: tuple[Any, ...]
    numeric: bool

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])

    @classmethod
    def from_matrix(cls, matrix: Any) -> ReliabilityData:
        """Encode a coders x units matrix (lists or a numpy array; None/NaN = missing)."""
        if isinstance(matrix, ReliabilityData):
            return matrix
        if isinstance(matrix, np.ndarray) and matrix.dtype.kind in "biuf":
            return _encode_numeric(matrix.astype(float, copy=False))
        rows = [list(r) for r in matrix]
        if rows and len({len(r) for r in rows}) != 1:
            raise ValueError("every coder row must have the same number of units")
        flat = [v for r in rows for v in r if not _missing(v)]
        if all(isinstance(v, Real) for v in flat):
            arr = np.array(rows, dtype=float) if rows else np.zeros((0, 0))
            return _encode_numeric(arr.reshape(len(rows), len(rows[0]) if rows else 0))
        return _encode_labels(rows, flat)

    @classmethod
    def from_contingency(cls, table: Sequence[Sequence[int]], categories: Sequence[Hashable]) -> ReliabilityData:
        """Two coders from a K x K table: cell (i, j) = units coded categories[i] by coder 1 and
        categories[j] by coder 2. The category order is kept as the domain (weights use it)."""
        t = np.asarray(table, dtype=np.int64)
        k = len(categories)
        if t.shape != (k, k) or (t < 0).any():
            raise ValueError(f"contingency table must be {k}x{k} non-negative counts")
        i, j = np.divmod(np.repeat(np.arange(k * k), t.ravel()), k)
        numeric = all(isinstance(c, Real) for c in categories)
        return cls(np.vstack([i, j]), tuple(categories), numeric)

    def value_counts(self) -> NDArray[Any]:
        """units x values matrix: how many coders gave value v to unit u."""
        v = len(self.domain)
        units = np.broadcast_to(np.arange(self.n_units), self.codes.shape)
        ok = self.codes >= 0
        flat = units[ok] * v + self.codes[ok]
        return np.bincount(flat, minlength=self.n_units * v).reshape(self.n_units, v)


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _encode_numeric(arr: NDArray[Any]) -> ReliabilityData:
    if arr.ndim != 2:
        raise ValueError("reliability data must be a 2-D coders x units matrix")
    mask = ~np.isnan(arr)
    present = arr[mask]
    small = present.astype(np.int64) if present.size else present
    if present.size and np.array_equal(small, present) and small.max() - small.min() < 1 << 20:
        lo = small.min()  # small integer codes: a counting pass instead of a sort
        used = np.bincount(small - lo) > 0
        domain = (np.flatnonzero(used) + lo).astype(float)
        inv = (np.cumsum(used) - 1)[small - lo]
    else:
        domain, inv = np.unique(present, return_inverse=True)
    codes = np.full(arr.shape, -1, dtype=np.int64)
    codes[mask] = inv
    values = tuple(int(x) if float(x).is_integer() else float(x) for x in domain.tolist())
    return ReliabilityData(codes, values, True)


def _encode_labels(rows: list[list[Any]], flat: list[Any]) -> ReliabilityData:
    uniq = list(dict.fromkeys(flat))
    with contextlib.suppress(TypeError):
        uniq.sort()
    index = {v: i for i, v in enumerate(uniq)}
    codes = np.array([[-1 if _missing(v) else index[v] for v in r] for r in rows], dtype=np.int64)
    return ReliabilityData(codes.reshape(len(rows), -1), tuple(uniq), False)


def as_data(data: Any) -> ReliabilityData:
    return data if isinstance(data, ReliabilityData) else ReliabilityData.from_matrix(data)


# --------------------------------------------------------------------------- pairwise, 2 coders


def _two_coder_table(data: ReliabilityData) -> NDArray[Any] | Measure:
    if data.n_coders != 2:
        return undefined(f"needs exactly two coders (got {data.n_coders})")
    a, b = data.codes
    both = (a >= 0) & (b >= 0)
    if not both.any():
        return undefined("no unit was coded by both coders")
    k = len(data.domain)
    return np.bincount(a[both] * k + b[both], minlength=k * k).reshape(k, k).astype(float)


def _chance_corrected(p_o: float, p_e: float, n: int, what: str) -> Measure:
    if p_e >= 1.0 - 1e-15:
        return undefined(f"expected agreement is 1 ({what}): the coefficient is 0/0", p_o=p_o, p_e=p_e, units=n)
    return defined((p_o - p_e) / (1.0 - p_e), p_o=p_o, p_e=p_e, units=n)


def cohen_kappa(data: Any) -> Measure:
    """Cohen's (1960) kappa for two coders on units both coded; p_e from each coder's marginals."""
    t = _two_coder_table(as_data(data))
    if isinstance(t, Measure):
        return t
    n = t.sum()
    p_o = np.trace(t) / n
    p_e = float((t.sum(1) / n) @ (t.sum(0) / n))
    return _chance_corrected(float(p_o), p_e, int(n), "both coders used one category only")


def scott_pi(data: Any) -> Measure:
    """Scott's (1955) pi for two coders: like kappa, but p_e from the pooled marginals."""
    t = _two_coder_table(as_data(data))
    if isinstance(t, Measure):
        return t
    n = t.sum()
    pooled = (t.sum(1) + t.sum(0)) / (2 * n)
    return _chance_corrected(float(np.trace(t) / n), float(pooled @ pooled), int(n), "only one category was used")


def weighted_kappa(data: Any, weights: str | Distance = "linear") -> Measure:
    """Cohen's weighted kappa, 1 - sum(w*o)/sum(w*e), with disagreement weights w.

    `weights`: "linear" |i-j|/(K-1) or "quadratic" ((i-j)/(K-1))^2 on the category's index in the
    domain (sorted values, or the contingency table's order), or a distance function d(a, b).
    """
    d = as_data(data)
    t = _two_coder_table(d)
    if isinstance(t, Measure):
        return t
    k = len(d.domain)
    if callable(weights):
        w = np.array([[float(weights(x, y)) for y in d.domain] for x in d.domain])
    elif weights in ("linear", "quadratic"):
        if k < 2:
            return undefined("only one category: weighted kappa is 0/0")
        idx = np.arange(k)
        w = np.abs(idx[:, None] - idx[None, :]) / (k - 1)
        w = w**2 if weights == "quadratic" else w
    else:
        raise ValueError(f"unknown weights {weights!r}: use 'linear', 'quadratic' or a function")
    n = t.sum()
    o = t / n
    e = np.outer(t.sum(1) / n, t.sum(0) / n)
    d_o, d_e = float((w * o).sum()), float((w * e).sum())
    if d_e <= 0:
        return undefined("expected weighted disagreement is 0: weighted kappa is 0/0", D_o=d_o, D_e=d_e)
    return defined(1 - d_o / d_e, D_o=d_o, D_e=d_e, units=int(n))


# --------------------------------------------------------------------------- any number of coders


def percent_agreement(data: Any) -> Measure:
    """Mean over units of the share of agreeing coder pairs (units with >= 2 values only).

    With two coders this is the share of units both coded identically.
    """
    d = as_data(data)
    if d.n_coders < 2:
        return undefined(f"needs at least two coders (got {d.n_coders})")
    nv = d.value_counts().astype(float)
    m = nv.sum(1)
    keep = m >= 2
    if not keep.any():
        return undefined("no unit was coded by two or more coders")
    agree = (nv[keep] * (nv[keep] - 1)).sum(1) / (m[keep] * (m[keep] - 1))
    return defined(agree.mean(), units=int(keep.sum()))


def bennett_s(data: Any, n_categories: int | None = None) -> Measure:
    """Bennett, Alpert & Goldstein's S: p_e = 1/K, K = categories in the domain (or given)."""
    d = as_data(data)
    pa = percent_agreement(d)
    if pa.value is None:
        return pa
    k = n_categories if n_categories is not None else len(d.domain)
    if k < 2:
        return undefined("only one category: S is 0/0", p_o=pa.value, categories=k)
    return defined((pa.value - 1 / k) / (1 - 1 / k), p_o=pa.value, p_e=1 / k, categories=k)


def subject_counts(data: Any) -> NDArray[Any]:
    """Subject x category counts from reliability data (for Fleiss' kappa)."""
    return as_data(data).value_counts()


def subject_ratings_counts(
    ratings: Sequence[Sequence[Hashable]], categories: Sequence[Hashable] | None = None
) -> tuple[NDArray[Any], list[Hashable]]:
    """Counts table from 'subject ratings' rows (categories each subject got; raters unnamed)."""
    cats: list[Hashable] = list(categories) if categories is not None else sorted({v for r in ratings for v in r})  # type: ignore[type-var]
    index = {c: i for i, c in enumerate(cats)}
    counts = np.zeros((len(ratings), len(cats)), dtype=np.int64)
    for i, row in enumerate(ratings):
        for v in row:
            counts[i, index[v]] += 1
    return counts, cats


def fleiss_kappa(data: Any) -> Measure:
    """Fleiss' (1971) kappa (= multi-pi) from reliability data without missing values."""
    d = as_data(data)
    if d.n_coders < 2:
        return undefined(f"needs at least two coders (got {d.n_coders})")
    if (d.codes < 0).any():
        return undefined("Fleiss' kappa needs every unit coded by every coder (missing values found)")
    return fleiss_kappa_counts(d.value_counts(), categories=list(d.domain))


def fleiss_kappa_counts(counts: Any, categories: Sequence[Hashable] | None = None) -> Measure:
    """Fleiss' kappa from a subjects x categories count table (each row sums to m raters).

    details: P_bar (observed), P_e (expected), per_category kappa_j (None where p_j is 0 or 1).
    """
    n = np.asarray(counts, dtype=float)
    if n.ndim != 2 or n.shape[0] == 0:
        return undefined("no subjects")
    m_row = n.sum(1)
    m = m_row[0]
    if not np.all(m_row == m):
        return undefined("Fleiss' kappa needs the same number of ratings for every subject")
    if m < 2:
        return undefined(f"needs at least two ratings per subject (got {int(m)})")
    big_n = n.shape[0]
    p_j = n.sum(0) / (big_n * m)
    p_i = (n * (n - 1)).sum(1) / (m * (m - 1))
    p_bar, p_e = float(p_i.mean()), float(p_j @ p_j)
    cats = list(categories) if categories is not None else list(range(n.shape[1]))
    per_cat: dict[str, float | None] = {}
    for j, c in enumerate(cats):
        den = big_n * m * (m - 1) * p_j[j] * (1 - p_j[j])
        per_cat[str(c)] = None if den == 0 else float(1 - (n[:, j] * (m - n[:, j])).sum() / den)
    res = _chance_corrected(p_bar, p_e, big_n, "every rating is the same category")
    return Measure(
        res.value,
        res.reason,
        {"P_bar": p_bar, "P_e": p_e, "subjects": big_n, "raters": int(m), "per_category": per_cat},
    )


# --------------------------------------------------------------------------- Krippendorff's alpha


def _delta(domain: tuple[Any, ...], n_c: NDArray[Any], level: str | Distance) -> NDArray[Any]:
    if callable(level):
        return np.array([[float(level(a, b)) for b in domain] for a in domain])
    k = len(domain)
    if level == "nominal":
        return 1.0 - np.eye(k)
    vals = np.asarray(domain, dtype=float)
    if level == "interval":
        return np.asarray((vals[:, None] - vals[None, :]) ** 2)
    if level == "ratio":
        s = vals[:, None] + vals[None, :]
        diff = vals[:, None] - vals[None, :]
        return np.asarray(np.divide(diff, s, out=np.zeros_like(diff), where=s != 0) ** 2)
    if level == "ordinal":
        cs = np.concatenate([[0.0], np.cumsum(n_c)])
        lo = np.minimum.outer(np.arange(k), np.arange(k))
        hi = np.maximum.outer(np.arange(k), np.arange(k))
        between = cs[hi + 1] - cs[lo]
        return np.asarray((between - (n_c[:, None] + n_c[None, :]) / 2) ** 2)
    raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)} or a function")


def coincidences(data: Any) -> tuple[NDArray[Any], NDArray[Any]]:
    """Coincidence matrix o (values x values) over pairable units, and its marginals n_c."""
    nv = as_data(data).value_counts().astype(float)
    m = nv.sum(1)
    keep = m >= 2
    nv, m = nv[keep], m[keep]
    weighted = nv / (m - 1)[:, None]
    o = weighted.T @ nv - np.diag(weighted.sum(0))
    return o, nv.sum(0)


def krippendorff_alpha(data: Any, level: str | Distance = "nominal") -> Measure:
    """Krippendorff's alpha = 1 - D_o/D_e from the coincidence matrix (Krippendorff 2011).

    `level`: nominal, ordinal, interval, ratio (numeric values needed except nominal), or a
    distance function d(a, b). Units with fewer than two values are dropped.
    details: D_o, D_e, pairable_values (n), units (pairable units), level.
    """
    d = as_data(data)
    name = level if isinstance(level, str) else "custom"
    if d.n_coders < 2:
        return undefined(f"needs at least two coders (got {d.n_coders})", level=name)
    if name in ("ordinal", "interval", "ratio") and not d.numeric:
        return undefined(f"{name} alpha needs numeric values", level=name)
    o, n_c = coincidences(d)
    n = float(n_c.sum())
    if n < 2:
        return undefined("no unit was coded by two or more coders (no pairable values)", level=name)
    delta = _delta(d.domain, n_c, level)
    d_o = float((o * delta).sum() / n)
    d_e = float((np.outer(n_c, n_c) * delta).sum() / (n * (n - 1)))
    info = {"D_o": d_o, "D_e": d_e, "pairable_values": int(n), "level": name}
    if d_e <= 0:
        return undefined("every pairable value is the same (D_e = 0): alpha is undefined without variation", **info)
    return defined(1 - d_o / d_e, **info)


def pairwise(data: Any, measure: Callable[[Any], Measure], coders: Sequence[str] | None = None) -> dict[str, Measure]:
    """A two-coder measure for every coder pair, keyed 'A|B' (coder names or row indices)."""
    d = as_data(data)
    names = list(coders) if coders is not None else [str(i) for i in range(d.n_coders)]
    out: dict[str, Measure] = {}
    for i in range(d.n_coders):
        for j in range(i + 1, d.n_coders):
            sub = ReliabilityData(d.codes[[i, j]], d.domain, d.numeric)
            out[f"{names[i]}|{names[j]}"] = measure(sub)
    return out
