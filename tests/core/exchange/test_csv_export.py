"""CSV/JSONL writers: RFC 4180 output read back exactly by csv and pandas, Excel mode, atomic files."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from annotator.core.atomic import atomic_text_file
from annotator.core.errors import UserError
from annotator.core.exchange.csv_export import COLUMNS, neutralise, write_csv, write_jsonl

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


def rows() -> list[tuple[object, ...]]:
    """Tuples in COLUMNS order, as the export service streams them."""
    return [
        (f"u{i}", "d,1.txt", "анна", "k", "Код", "A > Код", i, i + 1, t, t[::-1], "2024-01-01T00:00:00+00:00", None)
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
    gen = ((str(i), "x") for i in range(50_000))
    n = write_csv(out, ["span_id", "text"], gen, progress=seen.append)
    assert n == 50_000
    assert seen == [10_000, 20_000, 30_000, 40_000, 50_000]
    assert sum(1 for _ in csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline=""))) == 50_001


def test_progress_granularity_and_cancel(tmp_path: Path) -> None:
    """Progress after every `progress_every` rows (and at the end); an exception from the callback (a
    cancel) leaves no file behind."""
    seen: list[int] = []
    assert (
        write_csv(tmp_path / "p.csv", ["span_id"], ((i,) for i in range(25)), progress=seen.append, progress_every=10)
        == 25
    )
    assert seen == [10, 20, 25]

    def cancel(n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_csv(tmp_path / "c.csv", ["span_id"], ((i,) for i in range(30_000)), progress=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv"]


def test_new_files_follow_the_umask_and_overwritten_ones_keep_their_mode(tmp_path: Path) -> None:
    """Exports used to be 0600 whatever the umask (mkstemp), and replaced an existing file's mode."""
    old = os.umask(0o022)
    try:
        write_csv(tmp_path / "new.csv", list(COLUMNS), rows())
        assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644
        os.umask(0o027)
        write_jsonl(tmp_path / "new.jsonl", list(COLUMNS), rows())
        assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o640
        kept = tmp_path / "kept.csv"
        kept.write_text("old", encoding="utf-8")
        kept.chmod(0o664)
        write_csv(kept, list(COLUMNS), rows())
        assert stat.S_IMODE(kept.stat().st_mode) == 0o664
        assert kept.read_text(encoding="utf-8").startswith("span_id,")
    finally:
        os.umask(old)
