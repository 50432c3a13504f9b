"""Agreement results as readable text tables (what `annotator agreement` prints without --json).

Pure Python over the JSON-ready dicts of span_agreement / table_agreement: numbers with three
decimals (`fmt`), undefined values as "-" with their reason beside them, never NaN. The
reliability report uses the same `fmt`/`fmt_ci`, so a number in the report reads exactly as here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


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
    """'[0.712, 0.905]' (with '!' when flagged), '' when there is no interval, 'undefined' when it has a reason."""
    if not ci:
        return ""
    if ci.get("low") is None or ci.get("high") is None:
        return "undefined"
    return f"[{ci['low']:.3f}, {ci['high']:.3f}]" + (" !" if ci.get("flag") else "")


def ci_cell(parent: dict[str, Any] | None, key: str) -> str:
    """The interval stored under `key` in `parent`, or its reason ('no interval: ...') when null."""
    if not parent or key not in parent:
        return ""
    if parent[key] is None:
        return "n/a"
    return fmt_ci(parent[key])


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


def _ci_reason(part: dict[str, Any]) -> str:
    return f"  (no intervals: {part['ci_reason']})" if part.get("ci") is None and part.get("ci_reason") else ""


def selection_lines(res: dict[str, Any]) -> list[str]:
    """How the documents were chosen and what was left out (from the store's `selection`)."""
    sel = res.get("selection")
    if not sel:
        return []
    out = [f"Documents: {sel['description']}"]
    for doc, who in sel.get("excluded", {}).items():
        out.append(f"  left out {doc}: not marked done by {', '.join(who)}")
    return out


def format_span_report(res: dict[str, Any]) -> str:
    """The whole span_agreement result as text: alpha_U, groups, per document, F1, sentences,
    disagreement breakdown, checks, counts."""
    c, au = res["counts"], res["alpha_u"]
    out = [
        f"Agreement of {len(res['coders'])} coder(s) ({', '.join(res['coders'])}) on "
        f"{c['documents']} document(s), {c['characters']} characters, {c['spans']} spans, "
        f"{c['codes']} code(s)"
    ]
    out += selection_lines(res)
    if not res.get("merged", True):
        out.append("(spans kept as stored: touching spans of one coder and code are not merged)")
    ci = au.get("ci") or {}
    how = (
        "documents laid end to end (DKPro/INCEpTION)"
        if res.get("concatenated")
        else "order-free, pooled over documents"
    )
    out += ["", f"Unitizing alpha (alpha_U), {how}{_ci_reason(au)}"]
    rows = [["ALL CODES", au["overall"], fmt_ci(ci.get("overall")), fmt_sig(au.get("D_o")), fmt_sig(au.get("D_e")),
             c["spans"], au.get("overall_reason", "")]]  # fmt: skip
    for code in res["codes"]:
        d = au.get("per_code_detail", {}).get(code, {})
        rows.append([code, au["per_code"].get(code), fmt_ci((ci.get("per_code") or {}).get(code)),
                     fmt_sig(d.get("D_o")), fmt_sig(d.get("D_e")), c["spans_per_code"].get(code, 0),
                     _reason(au, "per_code", code)])  # fmt: skip
    out.append(render_table(["code", "alpha_U", "95% CI" if ci else "", "D_o", "D_e", "spans", "note"], rows))
    if au.get("per_parent"):
        out += ["", "Agreement per code group (any child code counts as its group)"]
        ex, ov = res["f1_exact"].get("per_parent", {}), res["f1_overlap"].get("per_parent", {})
        rows = []
        for g, value in au["per_parent"].items():
            rows.append([g, value, fmt_ci((ci.get("per_parent") or {}).get(g)), ex.get(g, {}).get("f1"),
                         ov.get(g, {}).get("f1"), _reason(au, "per_parent", g)])  # fmt: skip
        out.append(render_table(["group", "alpha_U", "95% CI" if ci else "", "F1 exact", "F1 overlap", "note"], rows))
    out += ["", "alpha_U per document"]
    unstable = au.get("per_document_unstable", {})
    out.append(
        render_table(
            ["document", "alpha_U", "note"],
            [
                [n, au["per_document"].get(n), unstable.get(n) or _reason(au, "per_document", n)]
                for n in res["documents"]
            ],
        )
    )
    out += _f1_lines(res)
    out += _sentence_lines(res)
    out += _breakdown_lines(res)
    if res.get("checks"):
        out += ["", "Checks"] + [f"  - {chk['message']}" for chk in res["checks"]]
    out += ["", "Counts", render_table(["coder", "spans"], list(c["spans_per_coder"].items()))]
    if c.get("spans_clipped"):
        out.append(f"  {c['spans_clipped']} span(s) reached past their document and were clipped")
    if res.get("ci_method"):
        out.append(f"  Intervals: 95%, {res['ci_method']}")
    return "\n".join(out)


def _f1_lines(res: dict[str, Any]) -> list[str]:
    out = ["", "Span F1 per coder pair (exact: same code, start and end; overlap: one-to-one "
           "overlapping spans of the same code)"]  # fmt: skip
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
    eci, oci = ex.get("ci") or {}, ov.get("ci") or {}
    out += ["", "F1 per code (micro over pairs)"]
    rows = [[k, ex["per_code"][k]["f1"], fmt_ci((eci.get("per_code") or {}).get(k)), ov["per_code"][k]["f1"],
             fmt_ci((oci.get("per_code") or {}).get(k))] for k in res["codes"]]  # fmt: skip
    rows.append(["micro", ex["micro"]["f1"], fmt_ci(eci.get("micro")), ov["micro"]["f1"], fmt_ci(oci.get("micro"))])
    ci = "95% CI" if eci else ""
    out.append(render_table(["code", "F1 exact", ci, "F1 overlap", ci], rows))
    return out


def _sentence_lines(res: dict[str, Any]) -> list[str]:
    sent = res["sentences"]
    rule = sent.get("rule", "a sentence counts as coded when a span of the code touches it")
    out = ["", f"Sentence units ({sent['units']} sentences; {rule})"]
    rows = []
    for code in res["codes"]:
        cell = sent["per_code"][code]
        kappas = ", ".join(f"{p.replace('|', '/')}={fmt(v)}" for p, v in cell.get("cohen_kappa", {}).items())
        rows.append([code, cell["percent_agreement"], cell.get("gwet_ac1"), fmt_ci(cell.get("gwet_ac1_ci")),
                     cell.get("brennan_prediger"), cell["fleiss_kappa"], cell["alpha_nominal"],
                     fmt_ci(cell.get("alpha_nominal_ci")), kappas, cell.get("alpha_nominal_reason", "")])  # fmt: skip
    ci = "95% CI" if any(r[3] or r[7] for r in rows) else ""
    head = ["code", "% agree", "AC1", ci, "B-P", "Fleiss k", "alpha", ci, "Cohen k per pair", "note"]
    out.append(render_table(head, rows))
    return out


def _breakdown_lines(res: dict[str, Any]) -> list[str]:
    br = res.get("disagreement_breakdown")
    if not br:
        return []
    out = ["", "Disagreement breakdown (disagreeing characters summed over coder pairs)"]
    rows = []
    for code in res["codes"]:
        cell = br.get(code, {})
        total = sum(cell.values())
        share = {k: f"{cell.get(k, 0) / total:.0%}" if total else "-" for k in ("boundary", "label", "omission")}
        rows.append([code, total, cell.get("boundary", 0), share["boundary"], cell.get("label", 0), share["label"],
                     cell.get("omission", 0), share["omission"]])  # fmt: skip
    out.append(render_table(["code", "chars", "boundary", "%", "label", "%", "omission", "%"], rows))
    return out


TABLE_MEASURES = (
    ("percent_agreement", "Percent agreement"),
    ("cohen_kappa", "Cohen's kappa"),
    ("scott_pi", "Scott's pi"),
    ("gwet_ac1", "Gwet's AC1"),
    ("brennan_prediger", "Brennan-Prediger (Bennett's S)"),
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
        rows.append([label, res[key], ci_cell(res, f"{key}_ci"), res.get(f"{key}_reason", "") or _why(res, key)])
    det = res.get("alpha_details", {})
    rows.append(
        [
            "  alpha D_o / D_e",
            f"{fmt(det.get('D_o'), 4)} / {fmt(det.get('D_e'), 4)}",
            "",
            f"{det.get('pairable_values')} pairable values",
        ]
    )
    text = head + "\n" + render_table(["measure", "value", "95% CI" if res.get("ci_method") else "", "note"], rows)
    pairs = res.get("cohen_kappa_pairs")
    if pairs:
        text += "\n\nCohen's kappa per coder pair\n" + render_table(
            ["pair", "kappa", "note"],
            [[p.replace("|", " / "), v, res.get("cohen_kappa_pairs_reason", {}).get(p, "")] for p, v in pairs.items()],
        )
    if res.get("ci_method"):
        text += f"\n  Intervals: 95%, {res['ci_method']}"
    return text


def _why(res: dict[str, Any], key: str) -> str:
    """The reason there is no interval for `key`, or its flag."""
    ci = res.get(f"{key}_ci")
    if f"{key}_ci" in res and ci is None:
        return f"no interval: {res.get(f'{key}_ci_reason', '')}"
    return f"interval flagged: {ci['flag']}" if isinstance(ci, dict) and ci.get("flag") else ""
