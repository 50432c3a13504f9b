"""Agreement for a selection of documents, coders and codes: one call for the CLI, the GUI and the report.

`span_agreement` returns one JSON-serialisable dict (see its docstring). Every selected document
counts as coded by every selected coder: a coder without spans in a document coded nothing there
(which documents are selected is the store's decision: by default those every coder marked done).
Values follow the convention in `measure.py`: a number or null, with `<key>_reason` beside a null
(for maps such as per_code: the sibling map `per_code_reason`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..segment import SPLITTER
from .breakdown import disagreement_breakdown
from .checks import checks
from .resampling import DOCUMENT_METHOD, MIN_RESAMPLED, Cancelled, DocumentResamples, Progress, too_few
from .sentences import sentence_units
from .span_data import SpanLike, by_group, code_groups, span_arrays
from .span_parts import alpha_u_part, f1_part, sentence_part

__all__ = ["SpanLike", "span_agreement"]


class _Steps:
    """Maps the stages' own progress onto one done/total scale and honours cancellation."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, n: int = 1) -> None:
        self.done += n
        self._report()

    def _report(self) -> None:
        if self.progress is not None and self.progress(self.done, self.total) is False:
            raise Cancelled(f"cancelled after {self.done} of {self.total} steps")

    def stage(self, resamples: int) -> Callable[[int], None]:
        """A tick(done) for one resampling stage of `resamples` steps."""
        base = self.done

        def tick(done: int) -> None:
            self.done = base + done
            self._report()
            if done >= resamples:
                self.done = base + resamples

        return tick


def span_agreement(
    documents: Sequence[tuple[str, str]],
    spans: Iterable[SpanLike] | Iterable[tuple[str, str, str, int, int]],
    coders: Sequence[str],
    codes: Sequence[str],
    *,
    bootstrap: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
    merge: bool = True,
    concatenate: bool = False,
    parents: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """All span measures for the selection, as one JSON-ready dict.

    documents: (name, text) in document order (names are the keys of per-document results and
    are matched against span.document). Spans of other documents/coders/codes are ignored;
    spans reaching past the text are clipped (counted in counts.spans_clipped).

    Keys: coders, codes, documents, merged, concatenated; alpha_u {method, overall, D_o, D_e,
    per_code, per_code_detail, per_parent, per_document, per_document_unstable?,
    per_document_code, ci?}; f1_exact / f1_overlap (see spans_f1.span_f1, plus per_parent and
    ci?); sentences {units, splitter, rule, per_code: {code: {percent_agreement, fleiss_kappa,
    alpha_nominal, gwet_ac1, brennan_prediger, cohen_kappa: {"A|B": ...}, coded_by, <m>_ci?}}};
    disagreement_breakdown {code: {boundary, label, omission}}; checks [...]; counts {...};
    ci_method when bootstrap > 0.

    alpha_U is order-free by default (each document its own continuum, disagreement pooled);
    concatenate=True lays the documents end to end in document order as DKPro/INCEpTION do.
    merge=True merges a coder's overlapping or touching spans of one code (within a document)
    before alpha_U; merge=False keeps every span its own unit, as DKPro/INCEpTION take their
    input (touching spans stay apart; overlapping ones are then a UserError).
    parents: code key -> parent key (None at the top) from the codebook; every ancestor of a
    selected code becomes a group with its own alpha_U and F1 (`per_parent`).
    bootstrap > 0: that many resamples of whole documents for every interval; with fewer than
    MIN_RESAMPLED documents the intervals are null with the reason. progress(done, total) -> bool
    may return False to cancel: raises Cancelled.
    """
    coders = list(dict.fromkeys(coders))
    codes = list(dict.fromkeys(codes))
    names = [n for n, _t in documents]
    sp = span_arrays(documents, spans, coders, codes)
    groups_map = code_groups(codes, parents or {})
    groups = by_group(sp, groups_map) if groups_map else None
    resample = bootstrap > 0 and len(documents) >= MIN_RESAMPLED
    stages = 1 + 2 + len(codes)
    if groups is not None:
        stages += 3
    steps = _Steps(progress, 4 + (bootstrap * stages if resample else 0))
    draws = DocumentResamples(len(documents), bootstrap, seed) if resample else None

    out: dict[str, Any] = {"coders": coders, "codes": codes, "documents": names}
    out["merged"], out["concatenated"] = merge, concatenate
    if bootstrap > 0:
        out["ci_method"] = DOCUMENT_METHOD
    out["alpha_u"] = alpha_u_part(
        sp, names, groups, merge=merge, concatenate=concatenate, draws=draws, tick=steps.stage(bootstrap)
    )
    if groups is not None:
        out["alpha_u"]["per_parent_codes"] = groups_map
    steps.step()
    for mode in ("exact", "overlap"):
        out[f"f1_{mode}"] = f1_part(sp, groups, mode, draws, steps.stage(bootstrap))
    steps.step()
    units = sentence_units(documents, sp)
    out["sentences"] = sentence_part(units, sp, SPLITTER, draws, steps.stage(bootstrap))
    steps.step()
    out["disagreement_breakdown"] = disagreement_breakdown(sp)
    if bootstrap > 0 and not resample:
        _too_few(out, len(documents))
    per = sp.counts()
    out["counts"] = {
        "documents": len(documents),
        "coders": len(coders),
        "codes": len(codes),
        "characters": int(sp.lengths.sum()),
        "sentences": len(units.units),
        "spans": len(sp),
        "spans_per_coder": {c: int(per[i].sum()) for i, c in enumerate(coders)},
        "spans_per_code": {k: int(per[:, j].sum()) for j, k in enumerate(codes)},
        "spans_per_coder_code": {c: {k: int(per[i, j]) for j, k in enumerate(codes)} for i, c in enumerate(coders)},
        "spans_clipped": sp.clipped,
    }
    out["checks"] = checks(out)
    steps.step()
    return out


def _too_few(out: dict[str, Any], n_docs: int) -> None:
    """Bootstrap asked for, too few documents: every interval is null with the same reason."""
    why = too_few(n_docs)
    for key in ("alpha_u", "f1_exact", "f1_overlap"):
        out[key]["ci"] = None
        out[key]["ci_reason"] = why
    for cell in out["sentences"]["per_code"].values():
        for m in ("percent_agreement", "fleiss_kappa", "alpha_nominal", "gwet_ac1", "brennan_prediger"):
            cell[f"{m}_ci"] = None
            cell[f"{m}_ci_reason"] = why
