"""Helpers for foundation tests: run the CLI the user's way and make real input files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_cli(
    project: Path | str | None, *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m annotator [--project P] ARGS...` in a subprocess (inherits ANNOTATOR_DATA_DIR)."""
    cmd = [sys.executable, "-m", "annotator"]
    if project is not None:
        cmd += ["--project", str(project)]
    cmd += list(args)
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=cwd or REPO, timeout=timeout)


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """stderr lines, without warnings about optional command modules other helpers are still writing."""
    return [line for line in result.stderr.splitlines() if line.strip() and "warning: commands from" not in line]


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str]) -> Path:
    """A real PDF with a text layer (reportlab); no lines gives a page with only a drawing (a 'scan')."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    if not lines:
        c.rect(100, 100, 300, 300, fill=1)
    for i, line in enumerate(lines):
        c.drawString(72, 720 - 18 * i, line)
    c.showPage()
    c.save()
    return path


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path
