"""CSV/JSONL writers: RFC 4180 output read back exactly by csv and pandas, Excel mode, atomic files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import UserError
from annotator.core.exchange.csv_export import (
    COLUMNS,
    atomic_text_file,
    csv_cell,
    csv_cell_excel,
    neutralise,
    write_csv,
    write_csv_lines,
    write_jsonl,
)

TRICKY = [
    "Привет, мир",
    "emoji 🙂🇷🇺👍🏽 and ZWJ 👩‍👩‍👧",
    'she said "no", then left',
    "line one\nline two\n\nline four",
    "=SUM(A1:A2)",
    "+7 plus",
    "-3 minus",
    "@mention",
    "\ttab first",
    "\rcarriage first",
    "trailing space ",
    " leading space",
    "",
    "a,b,c",
    "'already quoted",
]


def rows() -> list[dict[str, object]]:
    return [
        {
            "span_id": f"u{i}",
            "document": "d,1.txt",
            "coder": "анна",
            "code": "k",
            "code_name": "Код",
            "code_path": "A > Код",
            "start": i,
            "end": i + 1,
            "text": t,
            "memo": t[::-1],
            "created_at": "2024-01-01T00:00:00+00:00",
            "updated_at": None,
        }
        for i, t in enumerate(TRICKY)
    ]


def test_csv_reads_back_exactly_with_csv_module(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert write_csv(out, list(COLUMNS), rows()) == len(TRICKY)
    raw = out.read_bytes()
    assert raw.startswith(b"span_id,document,")
    assert raw.endswith(b"\r\n")
    with out.open(encoding="utf-8", newline="") as fh:
        back = list(csv.DictReader(fh))
    assert [r["text"] for r in back] == TRICKY
    assert [r["memo"] for r in back] == [t[::-1] for t in TRICKY]
    assert back[0]["document"] == "d,1.txt"
    assert back[0]["updated_at"] == ""
    assert back[3]["start"] == "3"


def test_csv_reads_back_exactly_with_pandas(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "out.csv"
    write_csv(out, list(COLUMNS), rows())
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(frame.columns) == list(COLUMNS)
    # \r at the start of a cell is data; pandas keeps it inside quotes just like csv does
    assert frame["text"].tolist() == TRICKY
    assert pd.read_csv(out)["start"].tolist() == list(range(len(TRICKY)))


def test_excel_mode_bom_and_neutralised_formulas(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(out, list(COLUMNS), rows(), excel=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfspan_id,")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.DictReader(fh))
    texts = [r["text"] for r in back]
    for original, written in zip(TRICKY, texts, strict=True):
        if original[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert written == "'" + original
        else:
            assert written == original
    assert back[0]["start"] == "0"  # numbers untouched
    assert not any(cell[:1] in "=+-@\t\r" for r in back for cell in r.values() if cell)


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("-") == "'-"
    assert neutralise("ok=1") == "ok=1"
    assert neutralise(-5) == -5
    assert neutralise(None) is None


def test_jsonl_one_object_per_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert write_jsonl(out, list(COLUMNS), rows()) == len(TRICKY)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert len(lines) == len(TRICKY) + 1
    back = [json.loads(line) for line in lines if line]
    assert [b["text"] for b in back] == TRICKY
    assert back[0]["updated_at"] is None
    assert "Привет" in lines[0]  # UTF-8, not \u escapes


def test_failed_export_keeps_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old content", encoding="utf-8")

    def failing():
        yield rows()[0]
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_csv(out, list(COLUMNS), failing())
    assert out.read_text(encoding="utf-8") == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_atomic_file_refuses_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"), atomic_text_file(tmp_path / "no" / "x.csv"):
        pass
    with pytest.raises(UserError, match="folder"), atomic_text_file(tmp_path):
        pass


def test_streams_generators(tmp_path: Path) -> None:
    """Rows are consumed lazily: a generator of 50,000 rows is written without building a list."""
    out = tmp_path / "big.csv"
    seen = []
    gen = ({"span_id": str(i), "text": "x"} for i in range(50_000))
    n = write_csv(out, ["span_id", "text"], gen, progress=seen.append)
    assert n == 50_000
    assert seen == [10_000, 20_000, 30_000, 40_000, 50_000]
    assert sum(1 for _ in csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline=""))) == 50_001


CELLS = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(alphabet=st.sampled_from("ab ,\"\n\r\t=+-@'я🙂"), max_size=12),
    st.text(max_size=12),
)


@given(st.lists(CELLS, min_size=2, max_size=6))
def test_csv_cell_is_what_csv_writer_writes(cells: list[object]) -> None:
    """The pre-formatted fast path writes byte for byte what csv.writer writes, plain and Excel."""
    for excel, cell in ((False, csv_cell), (True, csv_cell_excel)):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow([neutralise(c) for c in cells] if excel else cells)
        assert ",".join(cell(c) for c in cells) + "\r\n" == buf.getvalue()


def test_write_csv_lines_matches_write_csv(tmp_path: Path) -> None:
    for excel in (False, True):
        cell = csv_cell_excel if excel else csv_cell
        lines = (",".join(cell(r.get(c)) for c in COLUMNS) + "\r\n" for r in rows())
        seen: list[int] = []
        assert write_csv_lines(tmp_path / "lines.csv", list(COLUMNS), lines, excel=excel, progress=seen.append) == len(
            TRICKY
        )
        write_csv(tmp_path / "rows.csv", list(COLUMNS), rows(), excel=excel)
        assert (tmp_path / "lines.csv").read_bytes() == (tmp_path / "rows.csv").read_bytes()
        assert seen == []


def test_write_csv_lines_progress_and_cancel(tmp_path: Path) -> None:
    """Progress every 10,000 records; an exception from the callback (a cancel) leaves no file behind."""
    seen: list[int] = []
    lines = (f"u{i},x\r\n" for i in range(25_000))
    assert write_csv_lines(tmp_path / "p.csv", ["span_id", "text"], lines, progress=seen.append) == 25_000
    assert seen == [10_000, 20_000]

    def cancel(n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_csv_lines(tmp_path / "c.csv", ["span_id"], (f"{i}\r\n" for i in range(30_000)), progress=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv"]
