"""The reliability report: one self-contained HTML or Markdown file rendered from an agreement result.

`render(result, "html" | "md")` draws the forest plot (matplotlib, imported only here) and lays
out `model.build(result)`. The result is exactly what `annotator agreement --json` prints for the
same selection (see `annotator.store.services.agreement.run`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.core.errors import UserError

from .forest import forest_svg
from .model import Report, Section, Table, build
from .render import to_html, to_markdown

FORMATS = ("html", "md")


def render(result: dict[str, Any], fmt: str) -> str:
    """The report as text in `fmt` ('html' or 'md')."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}: use html or md")
    report = build(result, figure=forest_svg(result))
    return to_html(report) if fmt == "html" else to_markdown(report)


def report_format(path: str | Path) -> str:
    """'html' or 'md' from the file name, or a UserError saying what to give."""
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
    if fmt not in FORMATS:
        raise UserError(f"{path}: give a file name ending in .html or .md")
    return fmt


def write_report(result: dict[str, Any], path: str | Path) -> Path:
    """Render and write the report (format from the extension) so that an interrupted write never
    leaves a truncated file under the real name. The command line and the window both call this."""
    from annotator.core.atomic import atomic_file, check_writable

    fmt = report_format(path)
    out = check_writable(path)
    text = render(result, fmt)
    with atomic_file(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return out


__all__ = [
    "FORMATS",
    "Report",
    "Section",
    "Table",
    "build",
    "forest_svg",
    "render",
    "report_format",
    "to_html",
    "to_markdown",
    "write_report",
]
