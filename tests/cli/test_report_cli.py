"""`annotator report reliability`: written as a user would, read back, and every number checked
against `annotator agreement --json` for the same selection (three decimals, as the CLI prints)."""

from __future__ import annotations

import random
from html.parser import HTMLParser
from pathlib import Path

import pytest

from annotator.core.agreement_text import fmt, fmt_ci
from tests.cli.test_agreement_cli import fails, ok, ok_json

BOOK = """title: Report study
version: 3
codes:
  - key: threat
    name: Threat
    codable: false
    children:
      - key: threat.terror
        name: Terrorism
      - key: threat.crime
        name: Crime
  - key: referent
    name: Referent
    codable: false
    children:
      - key: referent.sovereignty
        name: Sovereignty
"""
CODES = ["threat.terror", "threat.crime", "referent.sovereignty"]


def _study(tmp: Path, n_docs: int = 12) -> str:
    rng = random.Random(8)
    tmp.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n_docs):
        words = ["threat", "state", "crime", "values", "border", "security", "order"]
        text = ". ".join(" ".join(rng.choices(words, k=rng.randint(5, 12))).capitalize() for _ in range(12)) + "."
        path = tmp / f"doc{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    db = str(tmp / "p.db")
    ok("--project", db, "import", *files)
    (tmp / "book.yaml").write_text(BOOK, encoding="utf-8")
    ok("--project", db, "codebook", "load", str(tmp / "book.yaml"))
    rows = ["document,coder,code,start,end"]
    for i in range(n_docs):
        for _ in range(rng.randint(2, 5)):
            s, n, code = rng.randrange(0, 200), rng.randint(8, 60), rng.choice(CODES)
            for coder in ("anna", "ben", "cleo"):
                if rng.random() < 0.8:
                    other = code if rng.random() < 0.8 else rng.choice(CODES)
                    rows.append(f"doc{i:02d}.txt,{coder},{other},{s + rng.choice((0, 0, 2))},{s + n}")
    (tmp / "spans.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ok("--project", db, "spans", "import", str(tmp / "spans.csv"), "--mark-done")
    return db


def _md_tables(text: str) -> dict[str, list[list[str]]]:
    """First data row cell -> cells, for every Markdown table row (header rows included)."""
    rows: dict[str, list[list[str]]] = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows.setdefault(cells[0], []).append(cells)
    return rows


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_tables(text: str) -> dict[str, list[list[str]]]:
    p = _Cells()
    p.feed(text)
    rows: dict[str, list[list[str]]] = {}
    for r in p.rows:
        if r:
            rows.setdefault(r[0], []).append(r)
    return rows


def _expected_rows(res: dict) -> dict[str, list[str]]:
    """The cells the report must show, from the JSON, formatted as the command line formats them."""
    au, ex, ov, sent = res["alpha_u"], res["f1_exact"], res["f1_overlap"], res["sentences"]
    out = {
        "alpha_U, all codes": [fmt(au["overall"]), fmt_ci(au["ci"]["overall"])],
        "span F1 exact (micro)": [fmt(ex["micro"]["f1"]), fmt_ci(ex["ci"]["micro"])],
        "span F1 overlap (micro)": [fmt(ov["micro"]["f1"]), fmt_ci(ov["ci"]["micro"])],
    }
    for code in res["codes"]:
        cell = sent["per_code"][code]
        out[code] = [
            fmt(au["per_code"][code]),
            fmt_ci(au["ci"]["per_code"][code]),
            fmt(ex["per_code"][code]["f1"]),
            fmt(ov["per_code"][code]["f1"]),
            fmt_ci(ov["ci"]["per_code"][code]),
            fmt(cell["alpha_nominal"]),
            fmt_ci(cell["alpha_nominal_ci"]),
            fmt(cell["gwet_ac1"]),
            fmt_ci(cell["gwet_ac1_ci"]),
            fmt(cell["percent_agreement"]),
            fmt(cell["brennan_prediger"]),
        ]
    for group, value in au["per_parent"].items():
        out[group] = [fmt(value), fmt_ci(au["ci"]["per_parent"][group]), fmt(ex["per_parent"][group]["f1"])]
    for doc in res["documents"]:
        out[doc] = [fmt(au["per_document"][doc])]
    return out


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_report_numbers_equal_agreement_json(tmp_path, suffix):
    db = _study(tmp_path / "study")
    sel = ["--coders", "anna,ben,cleo", "--bootstrap", "200", "--seed", "4"]
    res = ok_json("--project", db, "agreement", *sel)
    out = tmp_path / f"report.{suffix}"
    said = ok("--project", db, "report", "reliability", str(out), *sel)
    assert f"reliability report written: {out}" in said
    text = out.read_text("utf-8")
    tables = _md_tables(text) if suffix == "md" else _html_tables(text)
    checked = 0
    for first, cells in _expected_rows(res).items():  # some table row for `first` shows every value
        rows = tables[first]
        assert any(all(v in row for v in cells) for row in rows), (first, cells, rows)
        checked += len(cells)
    assert checked > 40
    for code, cell in res["disagreement_breakdown"].items():
        row = next(r for r in tables[code] if len(r) == 8)  # code, characters, boundary, %, label, %, omission, %
        assert [row[1], row[2], row[4], row[6]] == [
            fmt(sum(cell.values())),
            fmt(cell["boundary"]),
            fmt(cell["label"]),
            fmt(cell["omission"]),
        ]
    for part in ("Design", "Per code group", "Warnings", "Disagreement breakdown", "Report study, version 3"):
        assert part in text, part
    assert "percentile bootstrap over documents" in text
    for fetched in ('src="http', "src='http", 'href="http', "<link", "url(http"):  # self-contained
        assert fetched not in text, fetched
    if suffix == "html":
        assert "<svg" in text
        assert "<script" not in text
    else:
        assert "data:image/svg+xml;base64," in text


def test_report_with_too_few_documents_and_errors(tmp_path):
    db = _study(tmp_path / "study", n_docs=4)
    out = tmp_path / "r.md"
    ok("--project", db, "report", "reliability", str(out), "--coders", "anna,ben", "--bootstrap", "100")
    text = out.read_text("utf-8")
    assert "No intervals: too few documents (4) for a bootstrap interval." in text
    assert "fewer than 10" in text
    assert ".html or .md" in fails(
        "--project", db, "report", "reliability", str(tmp_path / "r.pdf"), "--coders", "anna"
    )
    assert "does not exist" in fails(
        "--project", db, "report", "reliability", str(tmp_path / "no" / "r.md"), "--coders", "anna"
    )
    assert "unknown coder(s) zoe" in fails(
        "--project", db, "report", "reliability", str(tmp_path / "x.md"), "--coders", "anna,zoe"
    )
    assert not (tmp_path / "x.md").exists()
