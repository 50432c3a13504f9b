"""The rules a methodologist signs, run the user's way (subprocess, real project files):
only what was coded counts, alpha_U does not depend on import order, --concatenate reproduces
DKPro/INCEpTION, and --table keeps nominal labels as text."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.cli.test_agreement_cli import _project, _write_spans, _write_table, fails, ok, ok_json, run

TEXT = "We face terrorism and illegal migration. Certain states interfere. Our answer is peace.\n"


def _anna_ben(tmp: Path) -> str:
    """anna coded and finished d1 and d2; ben coded d1 the same way and finished only d1."""
    rows = [
        ("d1.txt", "anna", "terror", 8, 17),
        ("d1.txt", "ben", "terror", 8, 17),
        ("d2.txt", "anna", "terror", 22, 39),
    ]
    db = _project(tmp, ["terror"], {"d1.txt": TEXT, "d2.txt": TEXT.replace("We", "They")}, rows)
    ok("--project", str(db), "documents", "done", "--coder", "anna", "--documents", "all")
    ok("--project", str(db), "documents", "done", "--coder", "ben", "--documents", "d1.txt")
    return str(db)


def test_only_documents_every_coder_finished_count_by_default(tmp_path):
    db = _anna_ben(tmp_path)
    res = ok_json("--project", db, "agreement", "--coders", "anna,ben")
    assert res["documents"] == ["d1.txt"]
    assert res["alpha_u"]["overall"] == pytest.approx(1.0)  # ben's unfinished d2 does not drag it down
    assert res["selection"]["documents"] == "done"
    assert res["selection"]["excluded"] == {"d2.txt": ["ben"]}
    assert res["warnings"] == []
    text = run("--project", db, "agreement", "--coders", "anna,ben")
    assert "1 left out because not every coder marked them done" in text.stdout
    assert "left out d2.txt: not marked done by ben" in text.stdout
    assert text.stderr == ""


def test_documents_all_keeps_the_old_meaning_and_warns_per_pair(tmp_path):
    db = _anna_ben(tmp_path)
    res = ok_json("--project", db, "agreement", "--coders", "anna,ben", "--documents", "all")
    assert res["documents"] == ["d1.txt", "d2.txt"]
    assert res["alpha_u"]["overall"] < 1.0
    assert res["warnings"] == [
        "d2.txt: ben has not marked it done; counted as coded (no span there means nothing there)"
    ]
    named = run("--project", db, "agreement", "--coders", "anna,ben", "--documents", "d2.txt")
    assert named.returncode == 0
    assert "annotator: warning: d2.txt: ben has not marked it done" in named.stderr
    assert "warning" not in named.stdout


def test_nothing_finished_by_all_is_one_line_naming_documents_all(tmp_path):
    db = str(_project(tmp_path, ["terror"], {"d1.txt": TEXT}, [("d1.txt", "anna", "terror", 8, 17),
                                                                   ("d1.txt", "ben", "terror", 8, 17)]))  # fmt: skip
    err = fails("--project", db, "agreement", "--coders", "anna,ben")
    assert len(err.strip().splitlines()) == 1
    assert "no document is marked done by every selected coder" in err
    assert "--documents all" in err
    assert "no coder named 'zed'" in fails("--project", db, "documents", "done", "--coder", "zed", "--documents", "all")
    assert "unknown document(s) nope" in fails(
        "--project", db, "documents", "done", "--coder", "anna", "--documents", "nope"
    )
    assert "marked 1 document(s) done for anna" in ok(
        "--project", db, "documents", "done", "--coder", "anna", "--documents", "d1.txt"
    )
    assert "(1 already done)" in ok("--project", db, "documents", "done", "--coder", "anna", "--documents", "all")


def test_spans_import_mark_done(tmp_path):
    db = str(_project(tmp_path, ["terror"], {"d1.txt": TEXT, "d2.txt": TEXT + " "}, []))
    _write_spans(tmp_path / "s.csv", [("d1.txt", "anna", "terror", 8, 17), ("d1.txt", "ben", "terror", 8, 17),
                                      ("d2.txt", "anna", "terror", 8, 17)])  # fmt: skip
    out = ok("--project", db, "spans", "import", str(tmp_path / "s.csv"), "--mark-done")
    assert "marked 3 (document, coder) pair(s) done" in out
    res = ok_json("--project", db, "agreement", "--coders", "anna,ben")
    assert res["documents"] == ["d1.txt"]
    assert res["selection"]["excluded"] == {"d2.txt": ["ben"]}


def _study(seed: int, n_docs: int = 12):
    rng = random.Random(seed)
    docs = {
        f"doc{i:02d}.txt": "".join(rng.choice("abcde ") for _ in range(rng.randint(200, 400))) for i in range(n_docs)
    }
    rows = []
    for name, text in docs.items():
        for _ in range(rng.randint(1, 4)):
            s = rng.randrange(0, len(text) - 40)
            n = rng.randint(5, 30)
            for coder in ("anna", "ben"):
                if rng.random() < 0.85:
                    j = rng.choice((0, 0, -2, 3))
                    rows.append((name, coder, rng.choice(("x", "y")), max(0, s + j), s + n + j))
    return docs, rows


def test_alpha_u_does_not_depend_on_import_order_unless_concatenated(tmp_path):
    docs, rows = _study(11)
    names = list(docs)
    results, laid = [], []
    for k, order in enumerate([names, names[::-1], random.Random(3).sample(names, len(names))]):
        db = str(_project(tmp_path / f"order{k}", ["x", "y"], {n: docs[n] for n in order}, rows, mark_done=True))
        results.append(ok_json("--project", db, "agreement", "--coders", "anna,ben"))
        laid.append(ok_json("--project", db, "agreement", "--coders", "anna,ben", "--concatenate"))
    first = results[0]["alpha_u"]
    for other in results[1:]:
        assert other["alpha_u"]["overall"] == pytest.approx(first["overall"], abs=1e-12)
        assert other["alpha_u"]["per_code"] == pytest.approx(first["per_code"], abs=1e-12)
    assert len({round(r["alpha_u"]["overall"], 9) for r in laid}) > 1  # laid end to end: order matters
    assert laid[0]["concatenated"] is True
    assert first["method"].startswith("order-free")


def test_concatenate_no_merge_reproduces_published_cases_split_into_documents(shared_dir, tmp_path):
    """Each published continuum cut into documents where no unit crosses the cut, imported as a
    project: --concatenate --no-merge lays them end to end again and gives DKPro's value."""
    cases = json.loads((shared_dir / "agreement" / "unitizing_cases.json").read_text("utf-8"))["cases"]
    checked = 0
    for case in cases:
        units = case["units"]
        if not units or any(n == 0 for _r, _c, _b, n in units):
            continue  # empty or zero-length units cannot be stored as spans (checked in tests/core)
        begin, length = case["continuum_begin"], case["continuum_length"]
        cuts = [p for p in range(begin + 1, begin + length) if all(not (b < p < b + n) for _r, _c, b, n in units)]
        cut = cuts[len(cuts) // 2] if cuts else begin + length  # no free cut: one document
        docs = {"part1.txt": "a" * (cut - begin)}
        if cut < begin + length:
            docs["part2.txt"] = "b" * (begin + length - cut)
        raters = [f"r{i}" for i in range(case["raters"])]
        rows = []
        for r, c, b, n in units:
            doc, off = ("part1.txt", begin) if b + n <= cut else ("part2.txt", cut)
            rows.append((doc, raters[r], c, b - off, b - off + n))
        cats = sorted({u[1] for u in units})
        parts = ",".join(docs)
        docs["other.txt"] = "c" * 10  # every rater exists as a coder (one span here, not selected)
        rows += [("other.txt", r, "zz_other", 0, 5) for r in raters]
        db = str(_project(tmp_path / case["id"], [*cats, "zz_other"], docs, rows))
        args = [
            "--project",
            db,
            "agreement",
            "--coders",
            ",".join(raters),
            "--documents",
            parts,
            "--codes",
            ",".join(cats),
        ]
        res = ok_json(*args, "--concatenate", "--no-merge")
        ref = case["verification"]["dkpro_java_output"]
        if ref["alpha_overall"] != "NaN":
            assert res["alpha_u"]["overall"] == pytest.approx(ref["alpha_overall"], abs=1e-9), case["id"]
        for c, values in ref["per_category"].items():
            assert res["alpha_u"]["per_code"][c] == pytest.approx(values["alpha"], abs=1e-9), (case["id"], c)
        checked += 1
    assert checked >= 3


def test_table_nominal_labels_are_text_and_blank_rows_drop_alike(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("A,B\n01,1\n1,1.0\n1.0,01\n1,1\n", encoding="utf-8")
    res = ok_json("agreement", "--table", str(path))
    assert res["percent_agreement"] == pytest.approx(0.25)  # "01", "1", "1.0" are three categories
    assert res["brennan_prediger"] == res["bennett_s"]
    assert res["weighted_kappa_linear"] is None
    assert "ordered values" in res["weighted_kappa_linear_reason"]
    ordinal = ok_json("agreement", "--table", str(path), "--level", "ordinal")
    assert ordinal["percent_agreement"] == pytest.approx(1.0)  # as numbers they are all 1
    assert "every pairable value is the same" in ordinal["alpha_reason"]
    words = tmp_path / "words.csv"
    words.write_text("A,B\nlow,high\nhigh,high\n", encoding="utf-8")
    why = ok_json("agreement", "--table", str(words), "--level", "interval")["alpha_reason"]
    assert "'low' in" in why
    assert "words.csv:2 is not a number" in why
    rows = [[1, 1], [None, None], [2, 2], [1, 2]]
    for with_unit in (True, False):
        p = tmp_path / f"blank{with_unit}.csv"
        _write_table(p, ["A", "B"], rows, with_unit)
        assert ok_json("agreement", "--table", str(p))["units"] == 3, with_unit


def test_gwet_ac1_and_brennan_prediger_in_table_mode(tmp_path):
    """Gwet (2014, p. 120; irrCAC's cac.raw4raters): AC1 0.7754, pa 0.8182; BP = (pa - 1/5)/(1 - 1/5)."""
    path = tmp_path / "gwet.csv"
    path.write_text(
        "R1,R2,R3,R4\n1,1,,1\n2,2,3,2\n3,3,3,3\n3,3,3,3\n2,2,2,2\n1,2,3,4\n4,4,4,4\n1,1,2,1\n2,2,2,2\n,5,5,5\n,,1,1\n,,3,\n",
        encoding="utf-8",
    )
    res = ok_json("agreement", "--table", str(path))
    assert res["gwet_ac1"] == pytest.approx(0.77544, abs=5e-6)
    assert res["brennan_prediger"] == pytest.approx(0.77273, abs=5e-6)
    assert res["percent_agreement"] == pytest.approx(0.81818, abs=5e-6)
    text = ok("agreement", "--table", str(path))
    assert "Gwet's AC1" in text
    assert "0.775" in text
