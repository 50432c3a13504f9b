"""Agreement for a selection of documents, coders and codes: one call for the CLI and the GUI.

`span_agreement` returns one JSON-serialisable dict (see its docstring). Every selected document
counts as coded by every selected coder: a coder without spans in a document coded nothing there.
Values follow the convention in `measure.py`: a number or null, with `<key>_reason` beside a null
(for maps such as per_code: the sibling map `per_code_reason`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Protocol

from ..errors import UserError
from .bootstrap import Cancelled, Progress, bootstrap_alpha, bootstrap_alpha_u
from .measure import Measure, put_map, undefined
from .sentences import sentence_units
from .spans_f1 import span_f1
from .unitizing import UnitizingResult, end_to_end, per_document, unit_arrays
from .units import ReliabilityData, cohen_kappa, fleiss_kappa, krippendorff_alpha, pairwise
from .units import percent_agreement as pct


class SpanLike(Protocol):
    """What span_agreement reads from a span (annotator.core.spans.SpanRecord fits)."""

    document: str
    coder: str
    code_key: str
    start: int
    end: int


def _unitizing_json(res: UnitizingResult, codes: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    res.overall.put(out, "overall")
    out["D_o"] = res.overall.details.get("D_o")
    out["D_e"] = res.overall.details.get("D_e")
    per = {c: res.per_category.get(c, undefined("no coder used this code")) for c in codes}
    put_map(out, "per_code", per)
    out["per_code_detail"] = {c: {"D_o": m.details.get("D_o"), "D_e": m.details.get("D_e")} for c, m in per.items()}
    return out


class _Steps:
    """Maps the stages' own progress onto one done/total scale and honours cancellation."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and self.progress(self.done, self.total) is False:
            raise Cancelled(f"cancelled after {self.done} of {self.total} steps")

    def sub(self) -> Callable[[int, int], bool]:
        base = self.done

        def report(done: int, total: int) -> bool:
            self.done = base + done
            return self.progress is None or self.progress(self.done, self.total) is not False

        return report


def span_agreement(
    documents: Sequence[tuple[str, str]],
    spans: Iterable[SpanLike],
    coders: Sequence[str],
    codes: Sequence[str],
    *,
    bootstrap: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
    merge: bool = True,
) -> dict[str, Any]:
    """All span measures for the selection, as one JSON-ready dict.

    documents: (name, text) in document order (names are the keys of per-document results and
    are matched against span.document). Spans of other documents/coders/codes are ignored;
    spans reaching past the text are clipped (counted in counts.spans_clipped).

    Keys: counts {documents, coders, codes, characters, sentences, spans, spans_per_coder,
    spans_per_code, spans_per_coder_code, spans_clipped}; alpha_u {overall, D_o, D_e, per_code,
    per_code_detail, per_document, per_document_code, ci?}; f1_exact / f1_overlap (see
    spans_f1.span_f1); sentences {units, per_code: {code: {percent_agreement, fleiss_kappa,
    alpha_nominal, alpha_nominal_ci?, cohen_kappa: {"A|B": ...}, coded_by}}}.
    bootstrap > 0: that many resamples (documents for alpha_U, sentences for sentence alpha).
    progress(done, total) -> bool may return False to cancel: raises bootstrap.Cancelled.
    merge=True merges a coder's overlapping or touching spans of one code (within a document)
    before alpha_U; merge=False keeps every span its own unit, as DKPro/INCEpTION take their
    input (touching spans stay apart; overlapping ones are then a UserError). F1 and sentence
    units always use the spans as stored.
    """
    coders = list(dict.fromkeys(coders))
    codes = list(dict.fromkeys(codes))
    doc_index = {name: i for i, (name, _) in enumerate(documents)}
    lengths = [len(text) for _, text in documents]
    cidx = {c: i for i, c in enumerate(coders)}
    code_set = set(codes)
    steps = _Steps(progress, 3 + bootstrap * (1 + len(codes)))

    rows: list[tuple[int, Hashable, int, int, int]] = []
    clipped = 0
    per_coder_code = {c: dict.fromkeys(codes, 0) for c in coders}
    for s in spans:
        d = doc_index.get(s.document)
        if d is None or s.coder not in cidx or s.code_key not in code_set:
            continue
        start, end = max(0, int(s.start)), min(int(s.end), lengths[d])
        if (start, end) != (s.start, s.end):
            clipped += 1
        if end <= start:
            continue
        rows.append((cidx[s.coder], s.code_key, d, start, end))
        per_coder_code[s.coder][s.code_key] += 1

    out: dict[str, Any] = {"coders": coders, "codes": codes, "documents": [n for n, _ in documents], "merged": merge}
    out["alpha_u"] = _alpha_u_part(lengths, coders, codes, rows, documents, bootstrap, seed, steps, merge)
    steps.step()
    by_coder: dict[str, list[tuple[Hashable, Hashable, int, int]]] = {c: [] for c in coders}
    for r, code, d, s, e in rows:
        by_coder[coders[r]].append((d, code, s, e))
    for mode in ("exact", "overlap"):
        f1 = span_f1(by_coder, coders, codes, mode)  # type: ignore[arg-type]
        if len(coders) < 2:
            f1["micro"]["f1"] = None
            f1["micro"]["f1_reason"] = "needs at least two coders"
        out[f"f1_{mode}"] = f1
    steps.step()
    out["sentences"], n_sentences = _sentence_part(documents, rows, coders, codes, bootstrap, seed, steps)
    steps.step()
    out["counts"] = {
        "documents": len(documents),
        "coders": len(coders),
        "codes": len(codes),
        "characters": sum(lengths),
        "sentences": n_sentences,
        "spans": len(rows),
        "spans_per_coder": {c: sum(v.values()) for c, v in per_coder_code.items()},
        "spans_per_code": {k: sum(per_coder_code[c][k] for c in coders) for k in codes},
        "spans_per_coder_code": per_coder_code,
        "spans_clipped": clipped,
    }
    return out


def _alpha_u_part(lengths, coders, codes, rows, documents, bootstrap, seed, steps, merge):
    if len(coders) < 2:
        why = undefined(f"needs at least two coders (got {len(coders)})")
        empty = UnitizingResult(why, {c: why for c in codes})
        part = _unitizing_json(empty, codes)
        put_map(part, "per_document", {n: why for n, _ in documents})
        return part
    arrays = unit_arrays(lengths, len(coders), rows, merge=merge, categories=codes)
    try:
        part = _unitizing_json(end_to_end(arrays), codes)
        docs = per_document(arrays)
    except ValueError:
        raise UserError(
            "a coder has overlapping spans of one code, which cannot be separate "
            "units; merge them (merge=True) to compute alpha_U"
        ) from None
    names = [n for n, _ in documents]
    put_map(part, "per_document", {n: r.overall for n, r in zip(names, docs, strict=True)})
    part["per_document_code"] = {}
    for n, r in zip(names, docs, strict=True):
        cell: dict[str, Any] = {}
        put_map(cell, "per_code", {c: r.per_category.get(c, undefined("no coder used this code")) for c in codes})
        part["per_document_code"][n] = cell
    if bootstrap > 0:
        overall, per = bootstrap_alpha_u(arrays, resamples=bootstrap, seed=seed, progress=steps.sub())
        part["ci"] = {"overall": overall.to_json(), "per_code": {c: per[c].to_json() for c in codes}}
    return part


def _sentence_part(documents, rows, coders, codes, bootstrap, seed, steps):
    names = [n for n, _ in documents]
    spans5 = [(names[d], coders[r], code, s, e) for r, code, d, s, e in rows]
    units, matrices = sentence_units(documents, spans5, coders, codes)
    part: dict[str, Any] = {"units": len(units), "per_code": {}}
    for code in codes:
        data = ReliabilityData.from_matrix(matrices[code])
        cell: dict[str, Any] = {}
        m: Measure = pct(data)
        m.put(cell, "percent_agreement")
        fleiss_kappa(data).put(cell, "fleiss_kappa")
        alpha = krippendorff_alpha(data, "nominal")
        alpha.put(cell, "alpha_nominal")
        put_map(cell, "cohen_kappa", pairwise(data, cohen_kappa, coders))
        cell["coded_by"] = {c: int(matrices[code][i].sum()) for i, c in enumerate(coders)}
        if bootstrap > 0:
            if alpha.value is not None:
                cell["alpha_nominal_ci"] = bootstrap_alpha(
                    data, "nominal", resamples=bootstrap, seed=seed, progress=steps.sub()
                ).to_json()
            else:
                steps.step(bootstrap)
        part["per_code"][code] = cell
    return part, len(units)
