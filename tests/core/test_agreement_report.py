"""Text report and disagreement list of annotator.core.agreement_report."""

from __future__ import annotations

from types import SimpleNamespace

from annotator.core.agreement import span_agreement, table_agreement
from annotator.core.agreement_report import (
    disagreements,
    fmt,
    fmt_ci,
    format_span_report,
    format_table_report,
    passage,
    render_table,
)

TEXT = "We face terrorism and illegal migration.\nCertain states interfere. Our answer is peace.\n"
DOCS = [("d1", TEXT), ("d2", "Another text about terrorism.\n")]


def span(doc: str, coder: str, code: str, start: int, end: int) -> SimpleNamespace:
    return SimpleNamespace(document=doc, coder=coder, code_key=code, start=start, end=end)


def test_identical_coders_have_no_disagreement():
    spans = [span("d1", c, "t", 8, 17) for c in ("a", "b", "c")]
    assert disagreements(DOCS, spans, ["a", "b", "c"], ["t"]) == []
    assert disagreements(DOCS, spans[:1], ["a"], ["t"]) == []  # one coder: nothing to compare
    assert disagreements(DOCS, [], ["a", "b"], ["t"]) == []


def test_touching_spans_are_merged_as_alpha_u_sees_them():
    spans = [span("d1", "a", "t", 8, 12), span("d1", "a", "t", 12, 17), span("d1", "b", "t", 8, 17)]
    assert disagreements(DOCS, spans, ["a", "b"], ["t"]) == []


def test_three_kinds_sorted_by_size():
    spans = [
        span("d1", "a", "t", 8, 17),
        span("d1", "b", "t", 10, 17),  # boundaries: 2 chars
        span("d1", "a", "m", 22, 39),  # only a: 17 chars
        span("d2", "a", "t", 19, 28),
        span("d2", "b", "m", 19, 28),  # different codes: 9
        span("d1", "x", "t", 0, 5),  # not a selected coder
        span("d9", "a", "t", 0, 5),  # not a selected doc
        span("d1", "a", "zz", 0, 5),  # not a selected code
    ]
    found = disagreements(DOCS, spans, ["a", "b"], ["t", "m"])
    assert [(d.document, d.start, d.end, d.size, d.kind) for d in found] == [
        ("d1", 22, 39, 17, "missing"),
        ("d2", 19, 28, 9, "codes"),
        ("d1", 8, 17, 2, "boundaries"),
    ]
    codes = found[1]
    assert codes.codes == ("m", "t")
    assert codes.spans == {"a": (("t", 19, 28),), "b": (("m", 19, 28),)}
    assert found[0].spans["b"] == ()
    assert found[0].label == "only some coded"
    assert found[2].label == "different boundaries"


def test_three_coders_one_missing_and_chained_overlaps():
    spans = [
        span("d1", "a", "t", 0, 10),
        span("d1", "b", "t", 0, 10),
        span("d1", "a", "t", 20, 30),
        span("d1", "b", "t", 25, 40),
        span("d1", "c", "t", 28, 35),
    ]
    found = disagreements(DOCS, spans, ["a", "b", "c"], ["t"])
    by_start = {d.start: d for d in found}
    assert by_start[0].kind == "missing"  # c did not code 0-10
    assert by_start[0].size == 10
    assert by_start[20].kind == "boundaries"  # all three coded around 20-40, differently
    assert (by_start[20].end, by_start[20].size) == (40, 18)  # all three agree on 28-30
    assert [d.size for d in found] == sorted((d.size for d in found), reverse=True)


def test_formatting_helpers():
    assert fmt(None) == "-"
    assert fmt(0.12345) == "0.123"
    assert fmt(3) == "3"
    assert fmt_ci(None) == ""
    assert fmt_ci({"low": None, "high": None, "reason": "x"}) == "undefined"
    assert fmt_ci({"low": 0.1, "high": 0.25}) == "[0.100, 0.250]"
    table = render_table(["name", "value"], [["alpha", 0.5], ["beta", None]])
    lines = table.splitlines()
    assert lines[0].split() == ["name", "value"]
    assert lines[2].split() == ["alpha", "0.500"]
    assert lines[3].split() == ["beta", "-"]
    assert len({len(line) for line in lines[1:3]}) == 1


def test_span_report_shows_every_part_and_reasons_not_nan():
    spans = [span("d1", "a", "t", 8, 17), span("d1", "b", "t", 8, 17), span("d2", "a", "t", 19, 28)]
    res = span_agreement(DOCS, spans, ["a", "b"], ["t", "unused"], bootstrap=20)
    text = format_span_report(res)
    assert "no intervals: too few documents (2) for a bootstrap interval" in text
    many = [(f"d{i}", t) for i in range(10) for _n, t in DOCS[:1]]
    res10 = span_agreement(
        many, [span(f"d{i}", c, "t", 8, 17) for i in range(10) for c in "ab"], ["a", "b"], ["t"], bootstrap=20
    )
    assert "95% CI" in format_span_report(res10)
    for part in (
        "Unitizing alpha",
        "alpha_U per document",
        "Span F1",
        "Sentence units",
        "Counts",
        "ALL CODES",
        "no coder used",
        "a / b",
        "Disagreement breakdown",
        "Checks",
    ):
        assert part in text, part
    assert "nan" not in text.lower()
    one = format_span_report(span_agreement(DOCS, spans, ["a"], ["t"]))
    assert "needs at least two coders" in one


def test_table_report():
    res = table_agreement([[1, 2, 3, 3], [1, 2, 3, 4], [1, 2, None, 4]], "interval")
    text = format_table_report(res, "t.csv")
    assert "t.csv" in text
    assert "Krippendorff's alpha (interval)" in text
    assert "Cohen's kappa" in text
    assert "two coders" in text  # the reason beside the undefined kappa
    assert "Cohen's kappa per coder pair" in text


def test_passage_widens_to_lines():
    lo, hi = passage(TEXT, 50, 55, context=200)
    assert TEXT[lo:hi] == "Certain states interfere. Our answer is peace."
    lo, hi = passage(TEXT, 50, 55, context=3)
    assert (lo, hi) == (47, 58)
