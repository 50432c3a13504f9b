"""The reliability report as a document model built from the agreement result dict.

Reports are views of JSON: `build(result)` reads only the dict `annotator agreement --json` prints
(plus the optional keys later features add) and returns sections of paragraphs, tables and a
figure; `html.py` and `markdown.py` only lay that out. Every number goes through `fmt`/`fmt_ci`,
the command line's own formatting, so the report and `agreement --json` can never disagree.

Optional sections, rendered only when their key is present (no placeholder content):
- `result["adjudication"]` (adjudication and gold, issue 14): {"summary": {label: value},
  "against_gold": {coder: {measure: number or null}}} becomes "Each coder against gold" and an
  adjudication summary;
- `result["codebook_versions"]` (codebook versions, issue 18): [{"version", "title", "loaded_at",
  "spans"}] becomes a table in the design section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core.agreement.checks import BOUNDARY_SHARE, DOMINANT_SHARE, FEW_SPANS, FEW_UNITS, UNBALANCED
from annotator.core.agreement.resampling import MIN_RESAMPLED
from annotator.core.agreement_text import fmt, fmt_ci


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # a bullet list
    tables: list[Table] = field(default_factory=list)
    figure: str | None = None  # SVG text
    figure_caption: str = ""


@dataclass
class Report:
    title: str
    sections: list[Section]


def _na(result: dict[str, Any]) -> str:
    """What an interval cell says when there is none: '' (none asked for) or 'n/a'."""
    return "n/a" if result.get("ci_method") else ""


def _ci(parent: dict[str, Any] | None, key: str, na: str) -> str:
    """The 95% interval under parent[key], or `na` when intervals were asked for but none could be
    given here (the reason is stated in the section)."""
    value = None if parent is None else parent.get(key)
    return na if value is None else fmt_ci(value)


def _cis(part: dict[str, Any], key: str) -> dict[str, Any] | None:
    ci = part.get("ci")
    return None if ci is None else ci.get(key)


def build(result: dict[str, Any], *, figure: str | None = None) -> Report:
    """The report's sections from an agreement result (figure: the forest plot SVG, if drawn)."""
    d = result.get("design", {})
    book = d.get("codebook", {})
    title = f"Reliability report: {book.get('title') or 'inter-coder agreement'}"
    sections = [_design(result), _measures(result, figure), _per_code(result)]
    if result["alpha_u"].get("per_parent"):
        sections.append(_groups(result))
    sections.append(_warnings(result))
    sections.append(_breakdown(result))
    sections.append(_documents(result))
    if result.get("adjudication"):
        sections += _adjudication(result["adjudication"])
    return Report(title, sections)


def _design(result: dict[str, Any]) -> Section:
    d = result.get("design", {})
    sel = result.get("selection", {})
    book = d.get("codebook", {})
    c = result["counts"]
    s = Section("Design")
    s.items = [
        f"Coders ({len(result['coders'])}): {', '.join(result['coders'])}",
        f"Documents: {c['documents']}; {sel.get('description', 'as selected')}",
        f"Codes: {c['codes']} ({', '.join(result['codes'])})",
        f"Codebook: {book.get('title') or 'untitled'}"
        + (f", version {book['version']}" if book.get("version") else ""),
        f"Units for alpha_U: {d.get('units', {}).get('alpha_u', 'characters')}",
        f"Sentence units: {d.get('units', {}).get('sentences', result['sentences']['units'])}",
        f"Spans: {c['spans']} ({', '.join(f'{k}: {v}' for k, v in c['spans_per_coder'].items())})",
        f"Date: {d.get('date', '')}; annotator {d.get('annotator_version', '')}",
        f"Command: {d.get('command') or 'annotator agreement (the window)'}",
    ]
    if result.get("ci_method"):
        s.items.append(f"Intervals: 95%, {result['ci_method']}; none with fewer than {MIN_RESAMPLED} documents")
    excluded = sel.get("excluded", {})
    if excluded:
        s.tables.append(
            Table(
                ["document left out", "not marked done by"],
                [[doc, ", ".join(who)] for doc, who in excluded.items()],
                f"{len(excluded)} document(s) left out because not every coder marked them done",
            )
        )
    versions = result.get("codebook_versions")
    if versions:
        s.tables.append(
            Table(
                ["codebook version", "title", "loaded", "spans"],
                [
                    [
                        str(v.get("version", "")),
                        str(v.get("title", "")),
                        str(v.get("loaded_at", "")),
                        fmt(v.get("spans")),
                    ]
                    for v in versions
                ],
                "codebook versions the spans were coded under",
            )
        )
    return s


def _measures(result: dict[str, Any], figure: str | None) -> Section:
    na = _na(result)
    au, ex, ov = result["alpha_u"], result["f1_exact"], result["f1_overlap"]
    s = Section("Agreement")
    how = "laid end to end in document order (DKPro/INCEpTION)" if result.get("concatenated") else "order-free"
    rows = [
        ["alpha_U, all codes", fmt(au["overall"]), _ci(au.get("ci"), "overall", na), au.get("overall_reason", how)],
        ["span F1 exact (micro)", fmt(ex["micro"]["f1"]), _ci(ex.get("ci"), "micro", na),
         ex["micro"].get("f1_reason", "")],
        ["span F1 overlap (micro)", fmt(ov["micro"]["f1"]), _ci(ov.get("ci"), "micro", na),
         ov["micro"].get("f1_reason", "")],
    ]  # fmt: skip
    s.tables.append(Table(["measure", "value", "95% CI", "note"], rows))
    if au.get("ci") is None and au.get("ci_reason"):
        s.paragraphs.append(f"No intervals: {au['ci_reason']}.")
    s.figure, s.figure_caption = figure, "alpha_U per code with 95% intervals (dashed lines: 0.667 and 0.800)"
    return s


def _per_code(result: dict[str, Any]) -> Section:
    na = _na(result)
    au, ex, ov, sent = result["alpha_u"], result["f1_exact"], result["f1_overlap"], result["sentences"]
    names = result.get("code_names", {})
    counts = result["counts"]["spans_per_code"]
    rows = []
    for code in result["codes"]:
        cell = sent["per_code"][code]
        rows.append([
            code, names.get(code, code), fmt(counts.get(code, 0)),
            fmt(au["per_code"].get(code)), _ci(_cis(au, "per_code"), code, na),
            fmt(ex["per_code"][code]["f1"]), fmt(ov["per_code"][code]["f1"]), _ci(_cis(ov, "per_code"), code, na),
            fmt(cell["alpha_nominal"]), _ci(cell, "alpha_nominal_ci", na),
            fmt(cell.get("gwet_ac1")), _ci(cell, "gwet_ac1_ci", na),
            fmt(cell["percent_agreement"]), fmt(cell.get("brennan_prediger")),
            au.get("per_code_reason", {}).get(code, ""),
        ])  # fmt: skip
    s = Section("Per code")
    s.tables.append(
        Table(
            [
                "code",
                "name",
                "spans",
                "alpha_U",
                "95% CI",
                "F1 exact",
                "F1 overlap",
                "95% CI",
                "sentence alpha",
                "95% CI",
                "AC1",
                "95% CI",
                "% agreement",
                "Brennan-Prediger",
                "note",
            ],
            rows,
            f"sentence units: {sent['units']}; {sent.get('rule', '')}",
        )
    )
    return s


def _groups(result: dict[str, Any]) -> Section:
    na = _na(result)
    au, ex, ov = result["alpha_u"], result["f1_exact"], result["f1_overlap"]
    members = au.get("per_parent_codes", {})
    rows = [
        [g, ", ".join(members.get(g, [])), fmt(v), _ci(_cis(au, "per_parent"), g, na),
         fmt(ex.get("per_parent", {}).get(g, {}).get("f1")), fmt(ov.get("per_parent", {}).get(g, {}).get("f1")),
         _ci(_cis(ov, "per_parent"), g, na)]
        for g, v in au["per_parent"].items()
    ]  # fmt: skip
    s = Section("Per code group")
    s.paragraphs.append(
        "Any child code counts as its group: two coders who both marked a passage but chose sibling codes "
        "agree here. High group values with low per-code values mean the disagreement is about which child "
        "code, not whether something is there."
    )
    s.tables.append(Table(["group", "codes", "alpha_U", "95% CI", "F1 exact", "F1 overlap", "95% CI"], rows))
    return s


def _warnings(result: dict[str, Any]) -> Section:
    s = Section("Warnings")
    s.items = [f"{chk['message']} [threshold: {chk['threshold']}]" for chk in result.get("checks", [])]
    s.items += list(result.get("warnings", []))
    if not s.items:
        s.paragraphs.append("None of the checks applies.")
    s.paragraphs.append(
        f"Checks and thresholds: a dominant code (> {DOMINANT_SHARE:.0%} of spans), a code with fewer than "
        f"{FEW_SPANS} spans, fewer than {FEW_UNITS} sentence units, unbalanced coders (one with more than "
        f"{UNBALANCED:g} times the spans of another), boundary disagreement above {BOUNDARY_SHARE:.0%} of a "
        f"code's disagreeing characters, fewer than {MIN_RESAMPLED} documents (no intervals), unstable "
        "per-document values, and intervals that do not contain their estimate or degenerate at an edge."
    )
    return s


def _breakdown(result: dict[str, Any]) -> Section:
    s = Section("Disagreement breakdown")
    s.paragraphs.append(
        "Disagreeing characters per code, summed over coder pairs: boundary (both coded the passage, the "
        "edges differ), label (same place, different code), omission (one coded, the other not)."
    )
    rows = []
    for code in result["codes"]:
        cell = result.get("disagreement_breakdown", {}).get(code, {})
        total = sum(cell.values())
        share = [f"{cell.get(k, 0) / total:.0%}" if total else "-" for k in ("boundary", "label", "omission")]
        rows.append([code, fmt(total), fmt(cell.get("boundary", 0)), share[0], fmt(cell.get("label", 0)), share[1],
                     fmt(cell.get("omission", 0)), share[2]])  # fmt: skip
    s.tables.append(Table(["code", "characters", "boundary", "%", "label", "%", "omission", "%"], rows))
    return s


def _documents(result: dict[str, Any]) -> Section:
    au = result["alpha_u"]
    unstable = au.get("per_document_unstable", {})
    rows = [
        [n, fmt(au["per_document"].get(n)), unstable.get(n) or au.get("per_document_reason", {}).get(n, "")]
        for n in result["documents"]
    ]
    s = Section("alpha_U per document")
    s.tables.append(Table(["document", "alpha_U", "note"], rows))
    return s


def _adjudication(adj: dict[str, Any]) -> list[Section]:
    out = []
    gold = adj.get("against_gold") or {}
    if gold:
        measures = sorted({m for v in gold.values() for m in v})
        out.append(
            Section(
                "Each coder against gold",
                tables=[
                    Table(["coder", *measures], [[c, *(fmt(v.get(m)) for m in measures)] for c, v in gold.items()])
                ],
            )
        )
    summary = adj.get("summary") or {}
    if summary:
        out.append(Section("Adjudication", items=[f"{k}: {fmt(v)}" for k, v in summary.items()]))
    return out
