"""Reliability tables from CSV files (the `agreement --table` input), read back from real files."""

from __future__ import annotations

import json

import pytest

from annotator.core.agreement import read_table_csv, table_agreement
from annotator.core.errors import UserError


def _write(tmp_path, text, name="table.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_reads_unit_column_missing_cells_and_numbers(tmp_path):
    path = _write(tmp_path, "\ufeffUnit,anna,boris\nu1,1,2\nu2,,3\nu3,4,\n")
    t = read_table_csv(path)
    assert t.coders == ["anna", "boris"]
    assert t.units == ["u1", "u2", "u3"]
    assert t.matrix == [["1", None, "4"], ["2", "3", None]]
    assert t.numbers() == ([[1, None, 4], [2, 3, None]], None)
    assert t.lines == [2, 3, 4]


def test_labels_stay_labels_when_any_cell_is_not_a_number(tmp_path):
    t = read_table_csv(_write(tmp_path, "A;B\n1;yes\n2;no\n"))
    assert t.units is None
    assert t.matrix == [["1", "2"], ["yes", "no"]]


def test_krippendorff_2011_example_from_csv(tmp_path):
    rows = [
        "1,1,,1",
        "2,2,3,2",
        "3,3,3,3",
        "3,3,3,3",
        "2,2,2,2",
        "1,2,3,4",
        "4,4,4,4",
        "1,1,2,1",
        "2,2,2,2",
        ",5,5,5",
        ",,1,1",
        ",3,,",
    ]
    path = _write(tmp_path, "A,B,C,D\n" + "\n".join(rows) + "\n")
    out = table_agreement(read_table_csv(path), "nominal")
    assert out["alpha"] == pytest.approx(0.743, abs=5e-4)
    assert out["alpha_details"]["pairable_values"] == 40
    assert out["cohen_kappa"] is None
    assert "two coders" in out["cohen_kappa_reason"]
    assert out["fleiss_kappa"] is None
    assert out["fleiss_kappa_reason"]
    assert set(out["cohen_kappa_pairs"]) == {"A|B", "A|C", "A|D", "B|C", "B|D", "C|D"}
    assert table_agreement(read_table_csv(path), "interval")["alpha"] == pytest.approx(0.849, abs=5e-4)
    json.dumps(out, allow_nan=False)


def test_two_coders_all_measures(tmp_path):
    path = _write(
        tmp_path,
        "unit,A,B\n"
        + "\n".join(
            f"{i},{a},{b}" for i, (a, b) in enumerate([("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("c", "c")])
        )
        + "\n",
    )
    out = table_agreement(read_table_csv(path))
    for key in ("percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "alpha"):
        assert isinstance(out[key], float), key
    ordinal = table_agreement(read_table_csv(path), "ordinal")
    assert ordinal["alpha"] is None
    assert "numeric" in ordinal["alpha_reason"]


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("", ":1:", "empty"),
        ("A,,B\n1,2,3\n", ":1:", "empty name"),
        ("A,A\n1,2\n", ":1:", "twice"),
        ("A,B\n1,2\n3,4,5\n", ":3:", "cells"),
        ("A,B\n", ":2:", "no units"),
    ],
)
def test_bad_tables_name_file_and_line(tmp_path, text, where, what):
    path = _write(tmp_path, text)
    with pytest.raises(UserError, match=what) as err:
        read_table_csv(path)
    assert f"{path}{where}" in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(UserError, match="not found"):
        read_table_csv(tmp_path / "nope.csv")
    with pytest.raises(UserError, match="UTF-8"):
        read_table_csv(_write(tmp_path, "A,B\nä,ö\n", encoding="latin-1"))


def test_unknown_level_is_a_user_error():
    with pytest.raises(UserError, match="level"):
        table_agreement([[1, 2], [1, 2]], "cardinal")
