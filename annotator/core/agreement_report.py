"""Agreement results as readable text tables, and the list of places where coders disagree.

Pure Python: the CLI prints `format_span_report` / `format_table_report`; the agreement view
lists `disagreements`. Undefined values are shown as "undefined" with their reason, never NaN.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from annotator.core.agreement import merge_spans

KINDS = {"missing": "only some coded", "codes": "different codes", "boundaries": "different boundaries"}


# ------------------------------------------------------------------------------------ formatting


def fmt(value: Any, digits: int = 3) -> str:
    """A number with `digits` decimals; None as '-' (the reason is shown elsewhere)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def fmt_sig(value: Any, digits: int = 4) -> str:
    """Significant digits for disagreement terms (D_o, D_e), which are often far below 0.001."""
    return fmt(value) if not isinstance(value, float) else f"{value:.{digits}g}"


def fmt_ci(ci: dict[str, Any] | None) -> str:
    """'[0.712, 0.905]', or '' when there is no interval, or 'undefined' when it has a reason."""
    if not ci:
        return ""
    if ci.get("low") is None or ci.get("high") is None:
        return "undefined"
    return f"[{ci['low']:.3f}, {ci['high']:.3f}]"


def render_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], indent: str = "  ") -> str:
    """Columns padded to their widest cell; numbers right-aligned, text left-aligned."""
    cells = [[str(c) for c in headers]] + [[fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_is_num(r[i]) for r in cells[1:]) and len(cells) > 1 for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        parts = [c.rjust(w) if numeric[i] and n else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        lines.append(indent + "  ".join(parts).rstrip())
        if n == 0:
            lines.append(indent + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _is_num(text: str) -> bool:
    return text == "-" or text.replace(".", "", 1).replace("-", "", 1).isdigit()


def _reason(obj: dict[str, Any], key: str, name: str) -> str:
    return obj.get(f"{key}_reason", {}).get(name, "") if obj.get(key, {}).get(name) is None else ""


def format_span_report(res: dict[str, Any]) -> str:
    """The whole span_agreement result as text: alpha_U, per document, F1, sentences, counts."""
    c, au = res["counts"], res["alpha_u"]
    out = [
        f"Agreement of {len(res['coders'])} coder(s) ({', '.join(res['coders'])}) on "
        f"{c['documents']} document(s), {c['characters']} characters, {c['spans']} spans, "
        f"{c['codes']} code(s)"
    ]
    if not res.get("merged", True):
        out.append("(spans kept as stored: touching spans of one coder and code are not merged)")
    ci = au.get("ci", {})
    out += ["", "Unitizing alpha (alpha_U), documents laid end to end"]
    rows = [
        [
            "ALL CODES",
            au["overall"],
            fmt_ci(ci.get("overall")),
            fmt_sig(au.get("D_o")),
            fmt_sig(au.get("D_e")),
            c["spans"],
            au.get("overall_reason", ""),
        ]
    ]
    for code in res["codes"]:
        d = au.get("per_code_detail", {}).get(code, {})
        rows.append(
            [
                code,
                au["per_code"].get(code),
                fmt_ci(ci.get("per_code", {}).get(code)),
                fmt_sig(d.get("D_o")),
                fmt_sig(d.get("D_e")),
                c["spans_per_code"].get(code, 0),
                _reason(au, "per_code", code),
            ]
        )
    out.append(render_table(["code", "alpha_U", "95% CI" if ci else "", "D_o", "D_e", "spans", "note"], rows))
    out += ["", "alpha_U per document"]
    out.append(
        render_table(
            ["document", "alpha_U", "note"],
            [[n, au["per_document"].get(n), _reason(au, "per_document", n)] for n in res["documents"]],
        )
    )
    out += [
        "",
        "Span F1 per coder pair (exact: same code, start and end; overlap: one-to-one "
        "overlapping spans of the same code)",
    ]
    ex, ov = res["f1_exact"], res["f1_overlap"]
    rows = []
    for pair in ex["pairs"]:
        e, o = ex["pairs"][pair]["micro"], ov["pairs"][pair]["micro"]
        rows.append([pair.replace("|", " / "), e["f1"], o["f1"], e["tp"], o["tp"], e["spans_a"], e["spans_b"]])
    e, o = ex["micro"], ov["micro"]
    rows.append(["micro (all pairs)", e["f1"], o["f1"], e["tp"], o["tp"], e["spans_a"], e["spans_b"]])
    out.append(render_table(["pair", "F1 exact", "F1 overlap", "tp exact", "tp overlap", "spans A", "spans B"], rows))
    if not ex["pairs"]:
        out.append("  (F1 needs at least two coders)")
    out += ["", "F1 per code (micro over pairs)"]
    out.append(
        render_table(
            ["code", "F1 exact", "F1 overlap"],
            [[k, ex["per_code"][k]["f1"], ov["per_code"][k]["f1"]] for k in res["codes"]],
        )
    )
    sent = res["sentences"]
    out += [
        "",
        f"Sentence units ({sent['units']} sentences; a sentence counts as coded when a span of the code touches it)",
    ]
    rows = []
    for code in res["codes"]:
        cell = sent["per_code"][code]
        kappas = cell.get("cohen_kappa", {})
        pairs = ", ".join(f"{p.replace('|', '/')}={fmt(v)}" for p, v in kappas.items())
        rows.append(
            [
                code,
                cell["percent_agreement"],
                cell["fleiss_kappa"],
                cell["alpha_nominal"],
                fmt_ci(cell.get("alpha_nominal_ci")),
                pairs,
                cell.get("alpha_nominal_reason", ""),
            ]
        )
    out.append(
        render_table(
            [
                "code",
                "% agree",
                "Fleiss k",
                "alpha",
                "95% CI" if any(r[4] for r in rows) else "",
                "Cohen k per pair",
                "note",
            ],
            rows,
        )
    )
    out += ["", "Counts"]
    rows = [[coder, n] for coder, n in c["spans_per_coder"].items()]
    out.append(render_table(["coder", "spans"], rows))
    if c.get("spans_clipped"):
        out.append(f"  {c['spans_clipped']} span(s) reached past their document and were clipped")
    return "\n".join(out)


TABLE_MEASURES = (
    ("percent_agreement", "Percent agreement"),
    ("cohen_kappa", "Cohen's kappa"),
    ("scott_pi", "Scott's pi"),
    ("bennett_s", "Bennett's S"),
    ("weighted_kappa_linear", "Weighted kappa (linear)"),
    ("fleiss_kappa", "Fleiss' kappa"),
    ("alpha", "Krippendorff's alpha"),
)


def format_table_report(res: dict[str, Any], source: str = "") -> str:
    """table_agreement's result as text, one measure per line with the reason when undefined."""
    head = (
        f"Reliability table{' ' + source if source else ''}: {len(res['coders'])} coders "
        f"({', '.join(res['coders'])}), {res['units']} units, level {res['level']}"
    )
    rows = []
    for key, label in TABLE_MEASURES:
        if key not in res:
            continue
        if key == "alpha":
            label = f"{label} ({res['level']})"
        rows.append([label, res[key], res.get(f"{key}_reason", "")])
    if "alpha_ci" in res:
        rows.append(["  95% CI (bootstrap)", fmt_ci(res["alpha_ci"]), ""])
    det = res.get("alpha_details", {})
    rows.append(
        [
            "  alpha D_o / D_e",
            f"{fmt(det.get('D_o'), 4)} / {fmt(det.get('D_e'), 4)}",
            f"{det.get('pairable_values')} pairable values",
        ]
    )
    text = head + "\n" + render_table(["measure", "value", "note"], rows)
    pairs = res.get("cohen_kappa_pairs")
    if pairs:
        text += "\n\nCohen's kappa per coder pair\n" + render_table(
            ["pair", "kappa", "note"],
            [[p.replace("|", " / "), v, res.get("cohen_kappa_pairs_reason", {}).get(p, "")] for p, v in pairs.items()],
        )
    return text


# -------------------------------------------------------------------------------- disagreements


@dataclass(frozen=True)
class Disagreement:
    """A passage where coders differ. spans: coder -> ((code, start, end), ...) in the passage."""

    document: str
    start: int
    end: int
    size: int  # characters where the coders' codings differ
    kind: str  # "missing" | "codes" | "boundaries"
    codes: tuple[str, ...]
    spans: dict[str, tuple[tuple[str, int, int], ...]]

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def _clusters(per_coder: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int, dict]]:
    """Connected groups of overlapping intervals over all coders: (start, end, coder -> ivs)."""
    items = sorted((s, e, c) for c, ivs in per_coder.items() for s, e in ivs)
    out: list[tuple[int, int, dict]] = []
    for s, e, c in items:
        if out and s < out[-1][1]:
            start, end, members = out[-1]
            members.setdefault(c, []).append((s, e))
            out[-1] = (start, max(end, e), members)
        else:
            out.append((s, e, {c: [(s, e)]}))
    return out


def _differing_chars(start: int, end: int, coders: Sequence[str], spans: dict[str, list[tuple[str, int, int]]]) -> int:
    """Characters in [start, end) where the coders do not all have the same set of codes."""
    cuts = sorted({start, end} | {p for sp in spans.values() for _k, s, e in sp for p in (s, e) if start < p < end})
    total = 0
    for a, b in pairwise(cuts):
        sets = {frozenset(k for k, s, e in spans.get(c, ()) if s <= a and b <= e) for c in coders}
        if len(sets) > 1:
            total += b - a
    return total


def disagreements(
    documents: Sequence[tuple[str, str]], spans: Iterable[Any], coders: Sequence[str], codes: Sequence[str]
) -> list[Disagreement]:
    """Every place where the coders differ, largest first.

    Spans (objects with document, coder, code_key, start, end) are merged per coder and code, as
    alpha_U sees them. Per document and code, overlapping spans of all coders form a passage;
    a passage not coded identically by every coder is a disagreement: 'boundaries' if every
    coder marked it, else 'missing'. Overlapping 'missing' passages of different codes are joined
    into one; when every coder marked something there it is 'codes' (different codes).
    """
    coders = list(dict.fromkeys(coders))
    code_set, coder_set = set(codes), set(coders)
    names = {n for n, _t in documents}
    raw: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for s in spans:
        if s.document in names and s.coder in coder_set and s.code_key in code_set and s.end > s.start:
            raw[(s.document, s.code_key)][s.coder].append((s.start, s.end))
    found: dict[str, list[Disagreement]] = defaultdict(list)
    loose: dict[str, list[tuple[int, int, dict[str, list[tuple[str, int, int]]]]]] = defaultdict(list)
    for (doc, code), by_coder in raw.items():
        merged = {c: merge_spans(ivs) for c, ivs in by_coder.items()}
        for start, end, members in _clusters(merged):
            if len(members) == len(coders) and len({tuple(v) for v in members.values()}) == 1:
                continue
            tagged = {c: [(code, s, e) for s, e in ivs] for c, ivs in members.items()}
            if len(members) == len(coders):
                size = _differing_chars(start, end, coders, tagged)
                found[doc].append(_make(doc, start, end, size, "boundaries", tagged, coders))
            else:
                loose[doc].append((start, end, tagged))
    for doc, items in loose.items():
        items.sort(key=lambda t: (t[0], t[1]))
        groups: list[list[Any]] = []
        for start, end, tagged in items:
            if groups and start < groups[-1][1]:
                g = groups[-1]
                g[1] = max(g[1], end)
                for c, sp in tagged.items():
                    g[2].setdefault(c, []).extend(sp)
            else:
                groups.append([start, end, {c: list(sp) for c, sp in tagged.items()}])
        for start, end, tagged in groups:
            kind = "codes" if len(tagged) == len(coders) else "missing"
            size = _differing_chars(start, end, coders, tagged)
            found[doc].append(_make(doc, start, end, size, kind, tagged, coders))
    order = {n: i for i, (n, _t) in enumerate(documents)}
    result = [d for doc in found for d in found[doc]]
    result.sort(key=lambda d: (-d.size, order[d.document], d.start, d.end))
    return result


def _make(
    doc: str,
    start: int,
    end: int,
    size: int,
    kind: str,
    tagged: dict[str, list[tuple[str, int, int]]],
    coders: Sequence[str],
) -> Disagreement:
    spans = {c: tuple(sorted(tagged.get(c, []), key=lambda t: (t[1], t[2], t[0]))) for c in coders}
    codes = tuple(sorted({k for sp in spans.values() for k, _s, _e in sp}))
    return Disagreement(doc, start, end, size, kind, codes, spans)


def passage(text: str, start: int, end: int, context: int = 80) -> tuple[int, int]:
    """The passage around [start, end) widened to whole lines, at most `context` chars each side."""
    lo = max(0, start - context)
    nl = text.rfind("\n", lo, start)
    lo = nl + 1 if nl >= 0 else lo
    hi = min(len(text), end + context)
    nl = text.find("\n", end, hi)
    hi = nl if nl >= 0 else hi
    return lo, hi


__all__ = [
    "KINDS",
    "TABLE_MEASURES",
    "Disagreement",
    "disagreements",
    "fmt",
    "fmt_ci",
    "format_span_report",
    "format_table_report",
    "passage",
    "render_table",
]
