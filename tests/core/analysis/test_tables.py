"""Frequency and co-occurrence tables on a corpus small enough to count by hand, and their files.

Every expected number below is counted in the comments from the span list, so a reader can check it.
The CSV is read back by pandas (and by R when it is installed) without options, the .xlsx by
openpyxl (an independent reader) and as raw XML, to prove that formula-looking names stay text.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from annotator.core.analysis.codetree import CodeTree
from annotator.core.analysis.columns import SpanColumns
from annotator.core.analysis.cooccurrence import cooccurrence
from annotator.core.analysis.crosstab import Crosstab
from annotator.core.analysis.frequencies import ColumnsBy, frequencies
from annotator.core.analysis.table_files import TableAbout, write_table_csv, write_table_xlsx
from annotator.core.analysis.units import paragraph_starts

TREE = CodeTree(
    {
        "threat": None,
        "threat.terrorism": "threat",
        "threat.extremism": "threat",
        "source": None,
        "source.the_west": "source",
    }
)
ANNA, BORIS = 10, 20
DOCS = {1: "Речь А", 2: "Speech B 🙂", 3: "=Doc C"}
CODERS = {ANNA: "анна", BORIS: "+boris"}
SPANS = SpanColumns.from_rows(
    [
        (1, ANNA, "threat.terrorism", 0, 10, 1),
        (1, ANNA, "threat.terrorism", 5, 15, 2),  # overlaps span 1 (same code, same coder)
        (1, ANNA, "threat", 20, 30, 3),
        (1, BORIS, "threat.terrorism", 0, 10, 4),
        (2, ANNA, "threat.extremism", 0, 4, 5),
        (2, ANNA, "source.the_west", 2, 8, 6),  # overlaps span 5
        (3, BORIS, "source.the_west", 0, 5, 7),
        (3, BORIS, "threat.terrorism", 100, 110, 8),
    ],
    {k: i for i, k in enumerate(TREE.keys)},
)


def _grid(table: Crosstab) -> dict[str, list[object]]:
    return {line[0]: line[1:] for line in table.wide()[1:]}  # type: ignore[misc]


def test_span_counts_by_document_with_and_without_rollup() -> None:
    table = frequencies(SPANS, TREE, ColumnsBy.documents(DOCS))
    assert table.wide()[0] == ["code", "Речь А", "Speech B 🙂", "=Doc C", "Total"]
    assert _grid(table) == {
        "threat": [4, 1, 1, 6],  # spans 1-4 | 5 | 8
        "threat.terrorism": [3, 0, 1, 4],
        "threat.extremism": [0, 1, 0, 1],
        "source": [0, 1, 1, 2],
        "source.the_west": [0, 1, 1, 2],
        "Total": [4, 2, 2, 8],  # each span once, not threat + its children again
    }
    flat = frequencies(SPANS, TREE, ColumnsBy.documents(DOCS), rollup=False)
    assert _grid(flat)["threat"] == [1, 0, 0, 1]  # only span 3 is coded `threat` itself
    assert _grid(flat)["source"] == [0, 0, 0, 0]
    assert _grid(flat)["Total"] == [4, 2, 2, 8]


def test_document_counts_by_coder_count_distinct_documents_in_totals() -> None:
    table = frequencies(SPANS, TREE, ColumnsBy.coders(CODERS), count="documents")
    assert _grid(table) == {
        "threat": [2, 2, 3],  # анна {1, 2}, +boris {1, 3}; together {1, 2, 3}, not 4
        "threat.terrorism": [1, 2, 2],
        "threat.extremism": [1, 0, 1],
        "source": [1, 1, 2],
        "source.the_west": [1, 1, 2],
        "Total": [2, 2, 3],
    }


def test_character_counts_are_unions_per_coder_and_document() -> None:
    table = frequencies(SPANS, TREE, ColumnsBy.documents(DOCS), count="characters")
    assert _grid(table) == {
        "threat": [35, 4, 10, 49],  # doc 1: анна [0,15) + [20,30) = 25, boris 10
        "threat.terrorism": [25, 0, 10, 35],  # анна's spans 1 and 2 overlap: 15 characters, not 20
        "threat.extremism": [0, 4, 0, 4],
        "source": [0, 6, 5, 11],
        "source.the_west": [0, 6, 5, 11],
        "Total": [35, 8, 15, 58],  # doc 2: [0,4) and [2,8) of анна cover 8 characters
    }


def test_attribute_columns_with_missing_values_and_chosen_rows() -> None:
    table = frequencies(
        SPANS, TREE, ColumnsBy.attribute("country", {1: "RU", 2: "KZ"}), rows=["threat", "source.the_west"]
    )
    assert table.wide()[0] == ["code", "KZ", "RU", "(missing)", "Total"]
    assert _grid(table) == {"threat": [1, 4, 1, 6], "source.the_west": [1, 0, 1, 2], "Total": [2, 4, 2, 8]}
    with pytest.raises(ValueError, match="unknown code 'thret'"):
        frequencies(SPANS, TREE, ColumnsBy.documents(DOCS), rows=["thret"])
    with pytest.raises(ValueError, match="no column label"):
        frequencies(SPANS, TREE, ColumnsBy.documents({1: "only one"}))


def test_per_thousand_words() -> None:
    words = {1: 500, 2: 250, 3: 1000}
    table = frequencies(SPANS, TREE, ColumnsBy.documents(DOCS), per_words=words)
    assert _grid(table)["threat"] == [8.0, 4.0, 1.0, 3.4286]  # 4/500, 1/250, 1/1000, 6/1750 per 1000
    by_coder = frequencies(SPANS, TREE, ColumnsBy.coders(CODERS), per_words=words)
    assert _grid(by_coder)["threat"] == [2.2857, 1.1429, 3.4286]  # анна 4 spans, boris 2, of 1750 words
    by_country = frequencies(SPANS, TREE, ColumnsBy.attribute("country", {1: "RU", 2: "KZ"}), per_words=words)
    assert _grid(by_country)["threat"] == [4.0, 8.0, 1.0, 3.4286]
    assert table.tidy()[0] == {"row": "threat", "col": "Речь А", "count": 8.0}
    with pytest.raises(ValueError, match="no word count for document 3"):
        frequencies(SPANS, TREE, ColumnsBy.documents(DOCS), per_words={1: 5, 2: 5})


def test_tidy_cells_have_no_totals_and_match_the_wide_table() -> None:
    table = frequencies(SPANS, TREE, ColumnsBy.documents(DOCS))
    cells = table.tidy()
    assert len(cells) == 5 * 3
    assert {"row": "threat", "col": "=Doc C", "count": 1} in cells
    assert all(c["row"] != "Total" and c["col"] != "Total" for c in cells)
    assert json.loads(json.dumps(cells, ensure_ascii=False)) == cells
    grid = _grid(table)
    for cell in cells:
        assert grid[str(cell["row"])][list(DOCS.values()).index(str(cell["col"]))] == cell["count"]


def test_cooccurrence_by_overlap_and_document() -> None:
    overlap = cooccurrence(SPANS, TREE)
    assert overlap.rows == ("threat", "threat.terrorism", "threat.extremism", "source.the_west")  # codes used
    grid = _grid(overlap)
    assert grid["threat.extremism"] == [0, 0, None, 1, 1]  # spans 5 and 6 of анна; the diagonal is empty
    assert grid["threat.terrorism"] == [0, None, 0, 0, 0]  # spans 1 and 2 share a code: not a co-occurrence
    assert grid["Total"] == [0, 0, 1, 1, 2]  # each co-occurrence once per direction
    assert {"row": "source.the_west", "col": "threat.extremism", "count": 1} in overlap.tidy()
    assert all(c["row"] != c["col"] for c in overlap.tidy())

    parents = cooccurrence(SPANS, TREE, codes=["threat", "source"])
    assert _grid(parents) == {"threat": [None, 1, 1], "source": [1, None, 1], "Total": [1, 1, 2]}

    documents = cooccurrence(SPANS, TREE, unit="document")
    grid = _grid(documents)
    assert grid["threat"][:4] == [None, 1, 0, 0]  # анна coded threat and terrorism in document 1
    assert grid["source.the_west"][:4] == [0, 1, 1, None]  # boris in document 3, анна in document 2
    parents = cooccurrence(SPANS, TREE, unit="document", codes=["threat", "source"])
    assert _grid(parents)["threat"] == [None, 2, 2]  # анна in 2, boris in 3; summed over coders


def test_cooccurrence_by_sentence_and_paragraph() -> None:
    sentences = {1: [0, 18], 2: [0, 3], 3: [0, 50]}
    table = cooccurrence(SPANS, TREE, unit="sentence", boundaries=sentences)
    # Spans 5 [0,4) and 6 [2,8) both touch sentences 0 and 1 of document 2.
    assert _grid(table)["threat.extremism"] == [0, 0, None, 2, 2]
    text = "x" * 3 + "\n\n" + "y" * 200  # document 2 in two paragraphs: [0,3) and [5,205)
    paragraphs = {1: [0], 2: paragraph_starts(text), 3: [0]}
    table = cooccurrence(SPANS, TREE, unit="paragraph", boundaries=paragraphs)
    assert _grid(table)["threat.extremism"] == [0, 0, None, 1, 1]  # span 5 stays in the first paragraph
    assert _grid(table)["threat"][:2] == [None, 1]  # spans 1 and 3 share document 1's only paragraph
    with pytest.raises(ValueError, match="needs the sentence boundaries"):
        cooccurrence(SPANS, TREE, unit="sentence")


def _about() -> TableAbout:
    return TableAbout(
        table="frequencies",
        counted="spans per code and document; parent codes include their children",
        coders=list(CODERS.values()),
        documents=list(DOCS.values()),
        codebook_version="3",
        date="2026-05-01",
        extra=(("normalised", "no"),),
    )


def test_csv_is_a_plain_table_pandas_reads_without_options(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    table = frequencies(SPANS, TREE, ColumnsBy.documents(DOCS))
    path = tmp_path / "частоты.csv"
    write_table_csv(path, table)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM: R's read.csv would put it into the first name
    frame = pd.read_csv(path)
    assert list(frame.columns) == ["code", "Речь А", "Speech B 🙂", "=Doc C", "Total"]
    assert frame["code"].tolist() == [*TREE.keys, "Total"]
    assert frame["=Doc C"].tolist() == [1, 1, 0, 1, 1, 2]
    co = cooccurrence(SPANS, TREE)
    write_table_csv(path, co)
    frame = pd.read_csv(path)
    assert math.isnan(frame.loc[0, "threat"])  # the empty diagonal reads as missing
    assert frame["Total"].tolist() == [0, 0, 1, 1, 2]


def test_r_reads_the_csv_without_options(tmp_path: Path) -> None:
    if shutil.which("Rscript") is None:
        pytest.skip("R is not installed")
    path = tmp_path / "table.csv"
    write_table_csv(path, frequencies(SPANS, TREE, ColumnsBy.documents(DOCS)))
    script = f'd <- read.csv("{path}"); cat(nrow(d), ncol(d), d$code[1], d$Total[6], sep="|")'
    out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout == "6|5|threat|8"


def test_xlsx_keeps_text_as_text_and_says_what_was_counted(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    table = frequencies(SPANS, TREE, ColumnsBy.documents(DOCS), per_words={1: 500, 2: 250, 3: 1000})
    path = tmp_path / "таблица.xlsx"
    write_table_xlsx(path, table, _about())
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Table", "About"]
    sheet = book["Table"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["code", "Речь А", "Speech B 🙂", "=Doc C", "Total"]
    assert rows[1] == ["threat", 8, 4, 1, 3.4286]
    assert sheet["D1"].data_type == "s"
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert "<f " not in xml
    about = [[cell.value for cell in row] for row in book["About"].iter_rows()]
    assert ["table", "frequencies"] in about
    assert ["date", "2026-05-01"] in about
    assert ["codebook version", "3"] in about
    assert ["coders (2)", "анна"] in about
    assert [None, "+boris"] in about
    assert ["documents (3)", "Речь А"] in about
    assert [None, "=Doc C"] in about
    assert ["normalised", "no"] in about
    co = cooccurrence(SPANS, TREE)
    write_table_xlsx(path, co, _about())  # replaces the file; the empty diagonal stays empty
    sheet = openpyxl.load_workbook(path)["Table"]
    assert sheet["B2"].value is None
    assert sheet["C2"].value == 0


def test_crosstab_checks_its_shape() -> None:
    with pytest.raises(ValueError, match="cells are"):
        Crosstab("code", "document", ("a",), ("x", "y"), np.zeros((1, 1)), np.zeros(1), np.zeros(2), 0.0)
