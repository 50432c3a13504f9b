"""`annotator agreement`, run the user's way (subprocess) on real files.

Every case of ../shared/agreement/coding_cases.json goes through `--table` as a CSV file, every
case of unitizing_cases.json through a project (codebook load, spans import, agreement --json).
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PARALLEL = max(2, os.cpu_count() or 2)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or REPO,
        timeout=120,
    )


def ok(*args: str) -> str:
    r = run(*args)
    assert r.returncode == 0, (args, r.stderr)
    assert "Traceback" not in r.stderr
    return r.stdout


def ok_json(*args: str) -> dict:
    return json.loads(ok(*args, "--json"))


def fails(*args: str, code: int = 1) -> str:
    """The command fails with a readable message, never a traceback; returns stderr."""
    r = run(*args)
    assert r.returncode == code, (args, r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    assert "internal error" not in r.stderr, r.stderr
    assert r.stderr.strip()
    return r.stderr


# ---------------------------------------------------------------------------- coding cases (--table)


def _case_rows(case: dict) -> tuple[list[str], list[list]]:
    """The case data as a reliability table: coder names, one row per unit."""
    data = case["data"]
    if "reliability_matrix" in data:
        m = data["reliability_matrix"]
        return [f"coder{i + 1}" for i in range(len(m))], [list(u) for u in zip(*m, strict=True)]
    if "contingency_table" in data:
        cats, table = data["categories"], data["contingency_table"]
        rows = [[cats[i], cats[j]] for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
        return ["rater1", "rater2"], rows
    if "subject_category_counts" in data:
        rows = [[k + 1 for k, n in enumerate(counts) for _ in range(n)] for counts in data["subject_category_counts"]]
        return [f"r{i + 1}" for i in range(len(rows[0]))], rows
    if "subject_ratings" in data:
        rows = [list(r) for r in data["subject_ratings"]]
        return [f"r{i + 1}" for i in range(len(rows[0]))], rows
    raise AssertionError(f"unknown data layout in {case['id']}: {list(data)}")


def _write_table(path: Path, coders: list[str], rows: list[list], with_unit: bool) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow((["unit"] if with_unit else []) + coders)
        for i, row in enumerate(rows):
            w.writerow(([f"u{i + 1}"] if with_unit else []) + ["" if v is None else v for v in row])


# Expected keys the CLI does not report (custom weight matrices; checked in tests/core/agreement).
NOT_REPORTED = {"krippendorff_alpha_weighted_chck_half", "weighted_kappa_chck_half"}


def _reported(res_by_level: dict[str, dict], key: str, case: dict):
    nominal = res_by_level["nominal"]
    if key.startswith("krippendorff_alpha_"):
        return res_by_level[key.removeprefix("krippendorff_alpha_")]["alpha"]
    if key == "weighted_kappa_linear":  # linear weights need ordered values: numbers parsed at ordinal
        return res_by_level["ordinal"][key]
    simple = {"percent_agreement", "cohen_kappa", "scott_pi", "bennett_s", "fleiss_kappa"}
    if key in simple:
        return nominal[key]
    paths = {
        "alpha_nominal_D_o": ("alpha_details", "D_o"),
        "alpha_nominal_D_e": ("alpha_details", "D_e"),
        "cohen_expected_agreement": ("details", "cohen_kappa", "p_e"),
        "fleiss_observed_agreement": ("details", "fleiss_kappa", "P_bar"),
        "fleiss_expected_agreement": ("details", "fleiss_kappa", "P_e"),
        "fleiss_per_category": ("details", "fleiss_kappa", "per_category"),
    }
    value = nominal
    for part in paths[key]:
        value = value[part]
    return value


def test_every_coding_case_through_table(shared_dir, tmp_path):
    doc = json.loads((shared_dir / "agreement" / "coding_cases.json").read_text("utf-8"))
    assert len(doc["cases"]) >= 15
    jobs = {}
    for n, case in enumerate(doc["cases"]):
        coders, rows = _case_rows(case)
        path = tmp_path / f"{case['id']}.csv"
        _write_table(path, coders, rows, with_unit=n % 2 == 0)  # both layouts, with/without `unit`
        levels = {"nominal"} | {
            k.removeprefix("krippendorff_alpha_")
            for k in case["expected"]
            if k.removeprefix("krippendorff_alpha_") in ("ordinal", "interval", "ratio")
        }
        if "weighted_kappa_linear" in case["expected"]:
            levels.add("ordinal")
        for lvl in levels:
            jobs[(case["id"], lvl)] = ("agreement", "--table", str(path), "--level", lvl)
    with ThreadPoolExecutor(PARALLEL) as pool:  # independent CLI runs: save wall time
        out = dict(zip(jobs, pool.map(lambda a: ok_json(*a), jobs.values()), strict=True))
    checked = 0
    for case in doc["cases"]:
        coders, rows = _case_rows(case)
        res = {lvl: v for (cid, lvl), v in out.items() if cid == case["id"]}
        coded = [r for r in rows if any(v is not None for v in r)]  # blank rows are no units, with or without `unit`
        assert res["nominal"]["units"] == len(coded)
        tol = case["tolerance"]
        for key, expected in case["expected"].items():
            if key in NOT_REPORTED:
                continue
            got = _reported(res, key, case)
            if isinstance(expected, dict):  # per category (Fleiss): DKPro's rounded assertions
                for cat, value in expected.items():
                    assert got[cat] == pytest.approx(value, abs=max(tol, 0.005)), (case["id"], key)
            else:
                assert got == pytest.approx(expected, abs=tol), (case["id"], key, got)
            checked += 1
    total = sum(len(c["expected"]) for c in doc["cases"])
    skipped = sum(1 for c in doc["cases"] for k in c["expected"] if k in NOT_REPORTED)
    assert skipped <= 2
    assert checked == total - skipped >= 55


def test_table_text_output_and_not_applicable_measures(tmp_path):
    path = tmp_path / "three.csv"
    _write_table(path, ["A", "B", "C"], [[1, 1, 1], [2, 2, None], [3, 3, 3], [1, 2, 1]], True)
    out = ok("agreement", "--table", str(path), "--level", "ordinal")
    assert "Krippendorff's alpha (ordinal)" in out
    assert "Percent agreement" in out
    assert "nan" not in out.lower().replace("brennan", "")
    res = ok_json("agreement", "--table", str(path))
    assert set(res) >= {"percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "alpha"}
    assert res["cohen_kappa"] is None
    assert "two coders" in res["cohen_kappa_reason"]
    assert res["fleiss_kappa"] is None
    assert "missing" in res["fleiss_kappa_reason"]
    assert res["alpha"] is not None
    few = ok_json("agreement", "--table", str(path), "--bootstrap", "200")
    assert few["alpha_ci"] is None
    assert few["alpha_ci_reason"] == "too few units (4) for a bootstrap interval"
    assert few["gwet_ac1_ci_reason"] == "too few units (4) for a bootstrap interval"
    big = tmp_path / "big.csv"
    _write_table(big, ["A", "B", "C"], [[i % 3, i % 3, (i + (i % 4 == 0)) % 3] for i in range(40)], False)
    boot = ok_json("agreement", "--table", str(big), "--bootstrap", "200", "--seed", "3")
    again = ok_json("agreement", "--table", str(big), "--bootstrap", "200", "--seed", "3")
    assert boot["alpha_ci"] == again["alpha_ci"]
    assert boot["alpha_ci"]["resamples"] == 200
    for key in ("gwet_ac1", "brennan_prediger", "percent_agreement"):
        assert boot[f"{key}_ci"]["low"] <= boot[key] <= boot[f"{key}_ci"]["high"], key
    assert boot["ci_method"].startswith("percentile bootstrap over units")


def test_table_errors_are_one_line(tmp_path):
    assert "not found" in fails("agreement", "--table", str(tmp_path / "nope.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B\n1,2,3\n", encoding="utf-8")
    assert "bad.csv:2" in fails("agreement", "--table", str(bad))
    good = tmp_path / "good.csv"
    good.write_text("A,B\n1,2\n2,2\n", encoding="utf-8")
    assert "not allowed" in fails("agreement", "--table", str(good), "--coders", "a,b", code=2)
    assert "--documents" in fails("agreement", "--table", str(good), "--documents", "x")
    assert "required" in fails("agreement", code=2)
    assert "--bootstrap" in fails("agreement", "--table", str(good), "--bootstrap", "-1")


# --------------------------------------------------------------------------- unitizing cases (spans)


def _project(tmp: Path, codes: list[str], docs: dict[str, str], rows: list[tuple], mark_done: bool = False) -> Path:
    """A project built through the CLI: documents, a codebook with `codes`, spans imported (and
    with mark_done every (document, coder) pair of the spans marked done)."""
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / "p.db"
    for name, text in docs.items():
        (tmp / name).write_text(text, encoding="utf-8")
    ok("--project", str(db), "import", *[str(tmp / n) for n in docs])
    book = "title: cases\ncodes:\n" + "".join(f"  - key: {c}\n    name: Code {c}\n" for c in codes)
    (tmp / "book.yaml").write_text(book, encoding="utf-8")
    ok("--project", str(db), "codebook", "load", str(tmp / "book.yaml"))
    if rows:
        _write_spans(tmp / "spans.csv", rows)
        ok("--project", str(db), "spans", "import", str(tmp / "spans.csv"), *(["--mark-done"] if mark_done else []))
    return db


def _write_spans(path: Path, rows: list[tuple]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["document", "coder", "code", "start", "end"])
        w.writerows(rows)


def _touching(units: list, cat: str) -> bool:
    by_rater: dict[int, list[tuple[int, int]]] = {}
    for r, c, b, n in units:
        if c == cat:
            by_rater.setdefault(r, []).append((b, b + n))
    for ivs in by_rater.values():
        ivs.sort()
        if any(s2 <= e1 for (_s1, e1), (s2, _e2) in itertools.pairwise(ivs)):
            return True
    return False


def _unitizing_run(case: dict, tmp: Path) -> tuple:
    """Project for one case, through the CLI; returns rows, stored rows, codes, and the results
    with --no-merge (each unit as given, as DKPro takes them) and by default (merged)."""
    begin, length = case["continuum_begin"], case["continuum_length"]
    raters = [f"r{i}" for i in range(case["raters"])]
    cats = sorted({u[1] for u in case["units"]})
    docs = {"case.txt": "a" * length, "other.txt": "b" * 10}
    rows = [("case.txt", raters[r], c, b - begin, b - begin + n) for r, c, b, n in case["units"]]
    stored = [r for r in rows if r[4] > r[3]]
    other = [("other.txt", r, "zz_other", 0, 5) for r in raters]
    db = _project(tmp, [*cats, "zz_other"], docs, stored + other)
    if len(stored) < len(rows):
        _write_spans(tmp / "zero.csv", rows)
        err = fails("--project", str(db), "spans", "import", str(tmp / "zero.csv"))
        assert "row" in err
    sel = [
        "--project",
        str(db),
        "agreement",
        "--coders",
        ",".join(raters),
        "--documents",
        "case.txt",
        "--codes",
        ",".join(cats) if cats else "all",
    ]
    return rows, stored, cats, ok_json(*sel, "--no-merge"), ok_json(*sel)


def test_every_unitizing_case_through_spans_import(shared_dir, tmp_path):
    """The case's continuum [begin, begin+L) becomes one document of exactly L characters with
    every unit shifted by -begin: alpha_U depends on L and on unit lengths and distances only, so
    the shift changes nothing. Raters r0.. must exist as coders: a second document ('other.txt',
    not selected) holds one span of each. Zero-length units cannot be stored: `spans import`
    refuses them in one line; the case is then computed without them."""
    cases = json.loads((shared_dir / "agreement" / "unitizing_cases.json").read_text("utf-8"))
    assert len(cases["cases"]) >= 7
    with ThreadPoolExecutor(PARALLEL) as pool:
        runs = list(pool.map(lambda c: _unitizing_run(c, tmp_path / c["id"]), cases["cases"]))
    for case, (rows, stored, cats, res, merged) in zip(cases["cases"], runs, strict=True):
        cid = case["id"]
        au, exp = res["alpha_u"], case["expected"]
        ref = case["verification"]["dkpro_java_output"]
        zero_only = bool(cats) and not stored
        if exp.get("alpha_overall") == "NaN" or zero_only:
            # DKPro: no units -> NaN; zero-length-only studies have no storable unit at all
            assert au["overall"] is None, cid
            assert au["overall_reason"], cid
        elif "alpha_overall" in exp:
            tol = exp.get("alpha_overall_tolerance", 0.0)
            assert au["overall"] == pytest.approx(exp["alpha_overall"], abs=max(tol, 1e-9)), cid
        if zero_only:
            for c in cats:
                assert au["per_code"][c] is None, (cid, c)
                assert au["per_code_reason"][c], (cid, c)
            continue
        if "D_o" in exp:
            assert au["D_o"] == pytest.approx(exp["D_o"], abs=1e-3), cid
        if exp.get("D_e_positive"):
            assert au["D_e"] > 0, cid
        for c, values in exp.get("per_category", {}).items():
            detail = au["per_code_detail"][c]
            for key in ("D_o", "D_e"):
                if key in values:
                    assert detail[key] == pytest.approx(values[key], abs=values["tolerance"]), (cid, c, key)
            if "alpha" in values:
                assert au["per_code"][c] == pytest.approx(values["alpha"], abs=values["tolerance"]), (cid, c)
        if len(stored) == len(rows):  # the independent DKPro run, to 1e-9
            if ref["alpha_overall"] != "NaN":
                assert au["overall"] == pytest.approx(ref["alpha_overall"], abs=1e-9), cid
            for c, values in ref["per_category"].items():
                assert au["per_code"][c] == pytest.approx(values["alpha"], abs=1e-9), (cid, c)
                assert au["per_code_detail"][c]["D_e"] == pytest.approx(values["D_e"], abs=1e-9)
        for c in cats:  # merging changes nothing where no rater's units touch
            if not _touching(case["units"], c):
                assert merged["alpha_u"]["per_code"][c] == au["per_code"][c], (cid, c)
        if cid == "krippendorff1995_p57_stretch1":  # and does change B and D, whose units touch
            assert merged["alpha_u"]["per_code"]["B"] != au["per_code"]["B"]


# ------------------------------------------------------------------------ hand-built and degenerate

TEXT1 = "We face terrorism and illegal migration.\nCertain states interfere. Our answer is peace.\n"
TEXT2 = "Another text about terrorism. And about migration too.\n"


def _two_docs(tmp: Path, rows: list[tuple], codes: tuple[str, ...] = ("terror", "migration", "unused")) -> Path:
    return _project(tmp, list(codes), {"d1.txt": TEXT1, "d2.txt": TEXT2}, rows, mark_done=True)


def test_identical_coders_give_one_and_disjoint_coders_below_zero(tmp_path):
    base = [
        ("d1.txt", "terror", 8, 17),
        ("d1.txt", "migration", 22, 39),
        ("d2.txt", "terror", 19, 28),
        ("d2.txt", "migration", 41, 50),
    ]
    same = [(d, c, k, s, e) for d, k, s, e in base for c in ("anna", "ben", "cleo")]
    db = _two_docs(tmp_path / "same", same)
    res = ok_json("--project", str(db), "agreement", "--coders", "anna,ben,cleo", "--codes", "terror,migration")
    assert res["alpha_u"]["overall"] == pytest.approx(1.0)
    assert res["alpha_u"]["per_code"] == {"terror": pytest.approx(1.0), "migration": pytest.approx(1.0)}
    assert res["f1_exact"]["micro"]["f1"] == 1.0
    assert res["f1_overlap"]["micro"]["f1"] == 1.0
    assert set(res["f1_exact"]["pairs"]) == {"anna|ben", "anna|cleo", "ben|cleo"}
    assert res["counts"]["spans_per_coder"] == {"anna": 4, "ben": 4, "cleo": 4}
    assert res["sentences"]["per_code"]["terror"]["alpha_nominal"] == pytest.approx(1.0)

    apart = [
        ("d1.txt", "anna", "terror", 0, 10),
        ("d1.txt", "ben", "terror", 50, 60),
        ("d2.txt", "anna", "migration", 0, 12),
        ("d2.txt", "ben", "migration", 30, 40),
    ]
    db = _two_docs(tmp_path / "apart", apart)
    res = ok_json("--project", str(db), "agreement", "--coders", "anna,ben", "--codes", "terror,migration")
    assert res["alpha_u"]["overall"] < 0
    assert res["f1_overlap"]["micro"]["f1"] == 0.0
    out = ok("--project", str(db), "agreement", "--coders", "anna,ben", "--disagreements", "5")
    assert "Largest disagreements" in out
    assert "only some coded" in out


def test_degenerate_selections_say_why(tmp_path):
    rows = [("d1.txt", "anna", "terror", 8, 17), ("d2.txt", "ben", "terror", 19, 28)]
    db = str(_two_docs(tmp_path / "p", rows))  # anna marked d1 done, ben d2: measured on --documents all
    one = ok_json("--project", db, "agreement", "--coders", "anna", "--documents", "all")
    assert one["alpha_u"]["overall"] is None
    assert "two coders" in one["alpha_u"]["overall_reason"]
    assert one["f1_exact"]["micro"]["f1"] is None
    assert one["f1_exact"]["micro"]["f1_reason"]
    both = ok_json("--project", db, "agreement", "--coders", "anna,ben", "--documents", "all")
    assert set(both["codes"]) == {"terror", "migration", "unused"}  # codebook order, all codable
    assert both["alpha_u"]["per_code"]["unused"] is None
    assert "no coder used" in both["alpha_u"]["per_code_reason"]["unused"]
    assert both["alpha_u"]["overall"] is not None
    empty = ok_json("--project", db, "agreement", "--coders", "anna,ben", "--codes", "migration", "--documents", "all")
    assert empty["alpha_u"]["overall"] is None
    assert empty["alpha_u"]["overall_reason"]
    assert empty["counts"]["spans"] == 0
    for args in (
        ["--coders", "anna"],
        ["--coders", "anna,ben"],
        ["--coders", "anna,ben", "--codes", "unused", "--bootstrap", "50"],
    ):
        out = ok("--project", db, "agreement", *args, "--documents", "all")
        assert "nan" not in out.lower().replace("anna", "")
        assert "Unitizing alpha" in out
        assert "Span F1" in out
        assert "Sentence units" in out


def test_json_layout_bootstrap_and_selection(tmp_path):
    rows = [
        ("d1.txt", "anna", "terror", 8, 17),
        ("d1.txt", "ben", "terror", 8, 17),
        ("d1.txt", "anna", "migration", 22, 39),
        ("d1.txt", "ben", "migration", 30, 39),
        ("d2.txt", "anna", "terror", 19, 28),
        ("d2.txt", "ben", "migration", 19, 28),
    ]
    db = str(_two_docs(tmp_path / "p", rows))
    args = ["--project", db, "agreement", "--coders", "anna,ben", "--bootstrap", "100", "--seed", "7"]
    res = ok_json(*args)
    assert res["alpha_u"]["ci"] is None  # two documents: no interval, and why
    assert res["alpha_u"]["ci_reason"] == "too few documents (2) for a bootstrap interval"
    assert res["ci_method"].startswith("percentile bootstrap over documents")
    assert res["selection"]["documents"] == "done"
    assert res["warnings"] == []
    assert set(res["alpha_u"]["per_document"]) == {"d1.txt", "d2.txt"}
    assert res["f1_exact"]["pairs"]["anna|ben"]["micro"]["tp"] == 1
    assert res["f1_overlap"]["pairs"]["anna|ben"]["per_code"]["migration"]["tp"] == 1
    assert res["sentences"]["units"] >= 4
    assert "terror" in res["sentences"]["per_code"]
    assert res["counts"]["documents"] == 2
    assert res["counts"]["spans"] == 6
    only = ok_json("--project", db, "agreement", "--coders", "anna,ben", "--documents", "d2.txt", "--codes", "terror")
    assert only["documents"] == ["d2.txt"]
    assert only["codes"] == ["terror"]
    assert only["counts"]["spans"] == 1


def test_selection_errors_list_every_unknown_name(tmp_path):
    db = str(_two_docs(tmp_path / "p", [("d1.txt", "anna", "terror", 8, 17)]))
    err = fails(
        "--project",
        db,
        "agreement",
        "--coders",
        "anna,zed,yan",
        "--documents",
        "d1.txt,nope.txt",
        "--codes",
        "terror,bogus",
    )
    assert "zed, yan" in err
    assert "nope.txt" in err
    assert "bogus" in err
    assert "known:" in err
    assert "--level" in fails("--project", db, "agreement", "--coders", "anna", "--level", "ratio")
    assert "empty list" in fails("--project", db, "agreement", "--coders", ",")
