"""The reliability report: one self-contained HTML or Markdown file rendered from an agreement result.

`render(result, "html" | "md")` draws the forest plot (matplotlib, imported only here) and lays
out `model.build(result)`. The result is exactly what `annotator agreement --json` prints for the
same selection (see `annotator.store.services.agreement.run`).
"""

from __future__ import annotations

from typing import Any

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


__all__ = ["FORMATS", "Report", "Section", "Table", "build", "forest_svg", "render", "to_html", "to_markdown"]
