"""The three parts of span agreement (alpha_U, span F1, sentence units), each with its intervals.

Each builder returns the JSON part and, when intervals were asked for, fills them from the shared
document resamples (`resampling.DocumentResamples`): the same resampled corpora for every measure.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import UserError
from .chance import binary_kinds, kind_values
from .f1_fast import f1_json, f1_parts, f1_values
from .measure import Measure, put_map, undefined
from .resampling import DocumentResamples, Interval, interval_from, put_interval, run_batches
from .sentences import RULE, SentenceUnits
from .span_data import SpanArrays
from .unitizing import UnitizingResult
from .unitizing_corpus import UnitArrays, encoded_units, end_to_end, per_document
from .unitizing_pooled import PooledAlpha
from .unitizing_resample import DocumentResampler
from .units import ReliabilityData, cohen_kappa, pairwise

# A document's alpha_U is marked unstable when its D_e is under this share of the median document's,
# or when alpha_U < -1 (D_o more than twice D_e): both happen when expected disagreement is tiny.
UNSTABLE_SHARE = 0.1
SENTENCE_MEASURES = ("percent_agreement", "fleiss_kappa", "alpha_nominal", "gwet_ac1", "brennan_prediger")
Tick = Callable[[int], None]


def _nan(v: float | None) -> float:
    return np.nan if v is None else float(v)


def _intervals(values: NDArray[Any], points: Sequence[float | None], seed: int | None) -> list[Interval]:
    return [interval_from(values[:, k], points[k], seed=seed) for k in range(values.shape[1])]


# ------------------------------------------------------------------------------------ alpha_U


def _arrays(sp: SpanArrays, merge: bool) -> UnitArrays:
    try:
        return encoded_units(
            sp.lengths, len(sp.coders), sp.coder, sp.code, sp.doc, sp.start, sp.end, sp.codes, merge=merge
        )
    except ValueError:
        raise UserError(
            "a coder has overlapping spans of one code, which cannot be separate units; "
            "merge them (merge=True) to compute alpha_U"
        ) from None


def _corpus(arrays: UnitArrays, concatenate: bool) -> tuple[Measure, dict[Hashable, Measure], PooledAlpha | None]:
    if concatenate:
        res = end_to_end(arrays)
        return res.overall, res.per_category, None
    try:
        pooled = PooledAlpha(arrays)
        return (*pooled.result(), pooled)
    except ValueError:
        raise UserError(
            "a coder has overlapping spans of one code, which cannot be separate units; "
            "merge them (merge=True) to compute alpha_U"
        ) from None


def _resampled_alpha(
    arrays: UnitArrays, concatenate: bool, draws: DocumentResamples, tick: Tick, pooled: PooledAlpha | None = None
) -> NDArray[Any]:
    if not concatenate:
        return run_batches(draws, (pooled or PooledAlpha(arrays)).values, tick)
    fast = DocumentResampler(arrays)
    n_docs = len(arrays.lengths)
    out = np.full((draws.resamples, 1 + len(arrays.cats)), np.nan)
    for i in range(draws.resamples):
        overall, per = fast.alpha(np.repeat(np.arange(n_docs), draws.weights[i].astype(np.int64)))
        out[i] = [_nan(overall.value)] + [_nan(per[c].value) if c in per else np.nan for c in arrays.cats]
        if (i + 1) % draws.batch == 0 or i + 1 == draws.resamples:
            tick(i + 1)
    return out


def alpha_u_part(
    sp: SpanArrays,
    names: Sequence[str],
    groups: SpanArrays | None,
    *,
    merge: bool,
    concatenate: bool,
    draws: DocumentResamples | None,
    tick: Tick,
) -> dict[str, Any]:
    codes = sp.codes
    if len(sp.coders) < 2:
        why = undefined(f"needs at least two coders (got {len(sp.coders)})")
        part: dict[str, Any] = {}
        why.put(part, "overall")
        part["D_o"] = part["D_e"] = None
        put_map(part, "per_code", dict.fromkeys(codes, why))
        part["per_code_detail"] = {c: {"D_o": None, "D_e": None} for c in codes}
        put_map(part, "per_parent", dict.fromkeys(groups.codes if groups else [], why))
        put_map(part, "per_document", dict.fromkeys(names, why))
        return part
    arrays = _arrays(sp, merge)
    overall, per, pooled = _corpus(arrays, concatenate)
    part = {
        "method": "laid end to end in document order" if concatenate else "order-free: each document its own continuum"
    }
    overall.put(part, "overall")
    part["D_o"], part["D_e"] = overall.details.get("D_o"), overall.details.get("D_e")
    per_code = {c: per.get(c, undefined("no coder used this code")) for c in codes}
    put_map(part, "per_code", per_code)
    part["per_code_detail"] = {
        c: {"D_o": m.details.get("D_o"), "D_e": m.details.get("D_e")} for c, m in per_code.items()
    }
    group_arrays = None
    if groups is not None:
        group_arrays = _arrays(groups, True)  # sibling codes overlap: a group's units are always merged
        _g_overall, g_per, _g = _corpus(group_arrays, concatenate)
        put_map(
            part, "per_parent", {g: g_per.get(g, undefined("no coder used a code of this group")) for g in groups.codes}
        )
    docs = pooled.per_document() if pooled is not None else per_document(arrays)
    _per_document(part, names, docs, overall, codes)
    if draws is not None:
        values = _resampled_alpha(arrays, concatenate, draws, tick, pooled)
        cis = _intervals(values, [overall.value] + [per_code[c].value for c in codes], draws.seed)
        ci: dict[str, Any] = {}
        put_interval(ci, "overall", cis[0])
        ci["per_code"] = {}
        for c, iv in zip(codes, cis[1:], strict=True):
            put_interval(ci["per_code"], c, iv)
        if group_arrays is not None and groups is not None:
            gv = _resampled_alpha(group_arrays, concatenate, draws, tick, _g)
            gpoints = [part["per_parent"].get(g) for g in groups.codes]
            ci["per_parent"] = {}
            for g, iv in zip(groups.codes, _intervals(gv[:, 1:], gpoints, draws.seed), strict=True):
                put_interval(ci["per_parent"], g, iv)
        part["ci"] = _collapse(ci)
    return part


def _collapse(ci: dict[str, Any]) -> dict[str, Any]:
    """Maps of intervals keep null entries' reasons in a sibling `<map>_reason` (the JSON convention)."""
    for key in ("per_code", "per_parent"):
        if key in ci:
            cells = ci[key]
            ci[key] = {k: v for k, v in cells.items() if not k.endswith("_reason")}
            reasons = {k.removesuffix("_reason"): v for k, v in cells.items() if k.endswith("_reason")}
            if reasons:
                ci[f"{key}_reason"] = reasons
    return ci


def _per_document(
    part: dict[str, Any], names: Sequence[str], docs: list[UnitizingResult], overall: Measure, codes: Sequence[str]
) -> None:
    put_map(part, "per_document", {n: r.overall for n, r in zip(names, docs, strict=True)})
    des = [r.overall.details.get("D_e") for r in docs if r.overall.value is not None]
    typical = float(np.median([d for d in des if d is not None])) if des else 0.0
    unstable: dict[str, str] = {}
    for n, r in zip(names, docs, strict=True):
        de, do = r.overall.details.get("D_e"), r.overall.details.get("D_o")
        if r.overall.value is None or de is None or do is None:
            continue
        if de < UNSTABLE_SHARE * typical:
            unstable[n] = (
                f"unstable: expected disagreement here (D_e = {de:.3g}) is under a tenth of the median "
                f"document's (D_e = {typical:.3g}), so a few characters swing the value"
            )
        elif r.overall.value < -1:
            unstable[n] = (
                f"unstable: observed disagreement (D_o = {do:.3g}) is {do / de:.0f} times the expected "
                f"(D_e = {de:.3g}); expected disagreement this small (e.g. one coder marked nearly everything, "
                "another nothing) makes the value explode"
            )
    if unstable:
        part["per_document_unstable"] = unstable
    part["per_document_code"] = {}
    for n, r in zip(names, docs, strict=True):
        cell: dict[str, Any] = {}
        put_map(cell, "per_code", {c: r.per_category.get(c, undefined("no coder used this code")) for c in codes})
        part["per_document_code"][n] = cell


# ------------------------------------------------------------------------------------ span F1


def f1_part(
    sp: SpanArrays, groups: SpanArrays | None, mode: str, draws: DocumentResamples | None, tick: Tick
) -> dict[str, Any]:
    parts = f1_parts(sp, mode)  # type: ignore[arg-type]
    out = f1_json(parts, sp, mode)  # type: ignore[arg-type]
    if len(sp.coders) < 2:
        out["micro"]["f1"] = None
        out["micro"]["f1_reason"] = "needs at least two coders"
    gparts = None
    if groups is not None:
        gparts = f1_parts(groups, mode)  # type: ignore[arg-type]
        out["per_parent"] = f1_json(gparts, groups, mode)["per_code"]  # type: ignore[arg-type]
    if draws is not None and len(sp.coders) >= 2:
        tp, nn = parts.per_doc()
        values = run_batches(draws, lambda w: f1_values(tp, nn, w), tick)
        points = [out["micro"]["f1"]] + [out["per_code"][c]["f1"] for c in sp.codes]
        cis = _intervals(values, points, draws.seed)
        ci: dict[str, Any] = {}
        put_interval(ci, "micro", cis[0])
        ci["per_code"] = {}
        for c, iv in zip(sp.codes, cis[1:], strict=True):
            put_interval(ci["per_code"], c, iv)
        if gparts is not None and groups is not None:
            gtp, gnn = gparts.per_doc()
            gv = run_batches(draws, lambda w: f1_values(gtp, gnn, w), tick)
            ci["per_parent"] = {}
            gpoints = [out["per_parent"][g]["f1"] for g in groups.codes]
            for g, iv in zip(groups.codes, _intervals(gv[:, 1:], gpoints, draws.seed), strict=True):
                put_interval(ci["per_parent"], g, iv)
        out["ci"] = _collapse(ci)
    return out


# ------------------------------------------------------------------------------ sentence units


def sentence_part(
    units: SentenceUnits, sp: SpanArrays, splitter: str, draws: DocumentResamples | None, tick: Tick
) -> dict[str, Any]:
    r = len(sp.coders)
    part: dict[str, Any] = {"units": len(units.units), "splitter": splitter, "rule": RULE, "per_code": {}}
    kinds = binary_kinds(r)
    for code in sp.codes:
        matrix = units.matrices[code]
        hist = units.per_doc(code)
        cell: dict[str, Any] = {}
        point = kind_values(kinds, hist.sum(0)[None, :], 2) if r >= 2 and len(units.units) else None
        for key in SENTENCE_MEASURES:
            _sentence_measure(point, key, r, len(units.units)).put(cell, key)
        put_map(cell, "cohen_kappa", pairwise(ReliabilityData.from_matrix(matrix), cohen_kappa, sp.coders))
        cell["coded_by"] = {c: int(matrix[i].sum()) for i, c in enumerate(sp.coders)}
        if draws is not None and point is not None:

            def stat(w: NDArray[Any], h: NDArray[Any] = hist) -> NDArray[Any]:
                return np.column_stack([kind_values(kinds, w @ h, 2)[k] for k in SENTENCE_MEASURES])

            values = run_batches(draws, stat, tick)
            for k, iv in zip(
                SENTENCE_MEASURES, _intervals(values, [cell[k] for k in SENTENCE_MEASURES], draws.seed), strict=True
            ):
                put_interval(
                    cell,
                    f"{k}_ci",
                    iv if cell[k] is not None else None,
                    None if cell[k] is not None else f"{k} is undefined",
                )
        part["per_code"][code] = cell
    return part


def _sentence_measure(point: dict[str, NDArray[Any]] | None, key: str, r: int, n: int) -> Measure:
    if r < 2:
        return undefined(f"needs at least two coders (got {r})")
    if point is None or n == 0:
        return undefined("no sentence units (no text with words)")
    v = float(point[key][0])
    if np.isfinite(v):
        return Measure(v)
    if key == "alpha_nominal":
        return undefined("every coder said the same for every sentence (no variation): alpha is undefined")
    if key == "fleiss_kappa":
        return undefined("expected agreement is 1 (every rating is the same): Fleiss' kappa is 0/0")
    return undefined("the coefficient is 0/0 here")
