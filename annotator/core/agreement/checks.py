"""Plain-word warnings about a span agreement result, each with the threshold it applies.

Computed from the result dict itself (so the command line, the window and the report say the
same), and stored in it as `checks`: a list of {"id", "threshold", "message"}. The thresholds are
rules of thumb for when a coefficient stops describing the coding well; they are stated in every
message so a reader can judge them.
"""

from __future__ import annotations

from typing import Any

from .breakdown import boundary_share
from .resampling import MIN_RESAMPLED

DOMINANT_SHARE = 0.85  # one code holds more than this share of all spans
FEW_SPANS = 5  # a code with fewer spans than this
FEW_UNITS = 30  # fewer sentence units than this
UNBALANCED = 2.0  # one coder marks more than this many times the spans of another
BOUNDARY_SHARE = 0.20  # boundary disagreement above this share of a code's disagreeing characters


def _check(cid: str, threshold: str, message: str) -> dict[str, str]:
    return {"id": cid, "threshold": threshold, "message": message}


def checks(res: dict[str, Any]) -> list[dict[str, str]]:
    """The warnings that apply to `res` (a span_agreement result)."""
    out: list[dict[str, str]] = []
    counts = res["counts"]
    total = counts["spans"]
    per_code = counts["spans_per_code"]
    if total:
        code, n = max(per_code.items(), key=lambda kv: kv[1])
        if n / total > DOMINANT_SHARE:
            out.append(
                _check(
                    "dominant_code",
                    f"> {DOMINANT_SHARE:.0%} of spans",
                    f"code {code} holds {n / total:.0%} of all spans (more than {DOMINANT_SHARE:.0%}): "
                    "the overall values mostly describe this one code; read the per-code values",
                )
            )
    few = [f"{code} ({n})" for code, n in per_code.items() if n < FEW_SPANS]
    if few:
        out.append(
            _check(
                "few_spans",
                f"< {FEW_SPANS} spans",
                f"{len(few)} code(s) with fewer than {FEW_SPANS} spans, whose alpha_U and F1 rest on too little "
                f"coding to mean much: {', '.join(few)}",
            )
        )
    units = counts["sentences"]
    if units < FEW_UNITS:
        out.append(
            _check(
                "few_units",
                f"< {FEW_UNITS} units",
                f"only {units} sentence unit(s) (fewer than {FEW_UNITS}): the sentence-level coefficients are unstable",
            )
        )
    spans = counts["spans_per_coder"]
    if len(spans) >= 2:
        most, least = max(spans.items(), key=lambda kv: kv[1]), min(spans.items(), key=lambda kv: kv[1])
        if most[1] > UNBALANCED * least[1]:
            out.append(
                _check(
                    "unbalanced_coders",
                    f"> {UNBALANCED:g}x the spans of another coder",
                    f"{most[0]} marked {most[1]} spans, {least[0]} {least[1]} (more than {UNBALANCED:g} times "
                    "as many): the coders read the guidelines differently, or one stopped early",
                )
            )
    for code, cell in res.get("disagreement_breakdown", {}).items():
        share = boundary_share(cell)
        if share is not None and share > BOUNDARY_SHARE:
            out.append(
                _check(
                    "boundary_disagreement",
                    f"> {BOUNDARY_SHARE:.0%} of disagreeing characters",
                    f"code {code}: {share:.0%} of the disagreeing characters are boundary disagreements "
                    f"(more than {BOUNDARY_SHARE:.0%}): the coders agree a passage is there but not where "
                    "it starts and ends; sharpen the unitizing rules",
                )
            )
    n_docs = counts["documents"]
    if n_docs < MIN_RESAMPLED:
        out.append(
            _check(
                "few_documents",
                f"< {MIN_RESAMPLED} documents",
                f"{n_docs} document(s) (fewer than {MIN_RESAMPLED}): too few for bootstrap intervals, none are given",
            )
        )
    unstable = res.get("alpha_u", {}).get("per_document_unstable", {})
    if unstable:
        out.append(
            _check(
                "unstable_documents",
                "document D_e < 1/10 of the median document's, or alpha_U < -1",
                f"{len(unstable)} document(s) have an unstable per-document alpha_U (marked in the per-document table)",
            )
        )
    out.extend(_flagged_intervals(res))
    return out


def _flagged_intervals(res: dict[str, Any]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []

    def visit(label: str, ci: Any) -> None:
        if isinstance(ci, dict) and ci.get("flag"):
            found.append(_check("interval_flag", "interval vs. estimate", f"{label}: {ci['flag']}"))

    au = res.get("alpha_u", {}).get("ci") or {}
    visit("alpha_U overall", au.get("overall"))
    for code, ci in (au.get("per_code") or {}).items():
        visit(f"alpha_U {code}", ci)
    for code, ci in (au.get("per_parent") or {}).items():
        visit(f"alpha_U group {code}", ci)
    for mode in ("exact", "overlap"):
        f1 = res.get(f"f1_{mode}", {}).get("ci") or {}
        visit(f"F1 {mode} micro", f1.get("micro"))
    for code, cell in res.get("sentences", {}).get("per_code", {}).items():
        for key in ("alpha_nominal", "gwet_ac1"):
            visit(f"sentence {key} {code}", cell.get(f"{key}_ci"))
    return found
