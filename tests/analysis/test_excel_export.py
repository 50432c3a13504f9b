"""The README's `--excel` promise on a real export: a byte-order mark, and no cell a spreadsheet would run.

The csv module checks the file itself; LibreOffice (Debian's libreoffice-calc-nogui), where installed,
turns it into .xlsx as a user's spreadsheet would read it, and openpyxl reads the cells back.
"""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

from tests.analysis.export_corpus import Export, cli
from tests.analysis.recipes import need_tool

# The README: "any cell that starts with =, +, -, @, a tab or a carriage return gets a leading '".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = b"\xef\xbb\xbf"
# LibreOffice's CSV import options: comma-separated, " quotes, UTF-8 (76: what its import dialog
# preselects for a file that starts with a UTF-8 byte-order mark; the headless converter has no dialog
# and would assume Latin-1), from row 1; "evaluate formulas" stays at its default, on.
LIBREOFFICE_CSV = "CSV:44,34,76,1"


@pytest.fixture(scope="module")
def exports(tricky: Export, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The README's export (--attributes) and the same spans with --excel, through the command line."""
    work = tricky.copy_to(tmp_path_factory.mktemp("excel") / "export").work
    cli("--project", tricky.project.name, "export", "csv", "excel.csv", "--attributes", "--excel", cwd=work)
    return work / "spans.csv", work / "excel.csv"


def read_rows(path: Path, encoding: str) -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def excel_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def test_excel_csv_has_bom_and_every_formula_looking_cell_prefixed(exports: tuple[Path, Path]) -> None:
    plain, excel = exports
    assert excel.read_bytes().startswith(BOM)
    assert not plain.read_bytes().startswith(BOM)
    plain_rows, excel_rows = read_rows(plain, "utf-8"), read_rows(excel, "utf-8-sig")
    starts = {cell[0] for row in plain_rows for cell in row if cell}
    assert set(FORMULA_STARTS) <= starts, "the export should hold a cell of every formula-looking kind"
    assert len(excel_rows) == len(plain_rows)
    for plain_row, excel_row in zip(plain_rows, excel_rows, strict=True):
        assert excel_row == [excel_cell(cell) for cell in plain_row]
    cells = {cell for row in excel_rows for cell in row}
    assert {"терроризм", "Terrorism 👍🏽", "вои\u0306на", "'=SUM(A1:A2)"} <= cells


def convert_with_libreoffice(files: list[Path], tmp_path: Path) -> list[Path]:
    """`soffice --headless --convert-to xlsx`, with a profile and HOME of its own so parallel runs never clash."""
    soffice = need_tool("soffice", "libreoffice-calc-nogui")
    out, home = tmp_path / "xlsx", tmp_path / "home"
    home.mkdir()
    argv = [
        soffice,
        f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
        "--headless",
        f"--infilter={LIBREOFFICE_CSV}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    proc = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "HOME": str(home)}, timeout=300)
    converted = [out / f"{f.stem}.xlsx" for f in files]
    assert proc.returncode == 0, f"{argv}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert all(p.is_file() for p in converted), f"{argv} wrote {list(out.iterdir())}\n{proc.stdout}\n{proc.stderr}"
    return converted


def sheet_cells(path: Path) -> list[list[object]]:
    import openpyxl

    sheet = openpyxl.load_workbook(path).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def one_line_end(value: str) -> str:
    """Line endings as \\n: inside a cell LibreOffice keeps a line break, not which bytes made it."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def test_libreoffice_reads_excel_file_as_text_with_cyrillic_and_emoji(
    exports: tuple[Path, Path], tmp_path: Path
) -> None:
    plain, excel = exports
    excel_xlsx, plain_xlsx = convert_with_libreoffice([excel, plain], tmp_path)
    # Control: the same spans without --excel do become formulas, so the check below can see one.
    assert any(kind == "f" for row in sheet_cells(plain_xlsx) for _, kind in row)
    sheet = sheet_cells(excel_xlsx)
    formulas = [value for row in sheet for value, kind in row if kind == "f"]
    assert formulas == [], f"LibreOffice made formulas of {formulas}"
    rows = read_rows(excel, "utf-8-sig")
    header = rows[0]
    assert [value for value, _ in sheet[0]] == header
    assert len(sheet) == len(rows)
    texts = ["document", "coder", "code", "code_name", "text", "memo", "attr_source", "attr_speaker"]
    for csv_row, sheet_row in zip(rows[1:], sheet[1:], strict=True):
        for column in texts:
            i = header.index(column)
            value = sheet_row[i][0]
            assert one_line_end("" if value is None else str(value)) == one_line_end(csv_row[i]), column
    passages = {value for row in sheet for value, _ in row}
    assert {"терроризм", "коллективный 🙂", "Terrorism 👍🏽", "'=SUM(A1:A2)", "'@home\tэто"} <= passages
