"""Lay the report model out as one self-contained HTML or Markdown file."""

from __future__ import annotations

import base64
import html

from .model import Report, Table

_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:72rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;color:#555;padding:.2rem 0}
figure{margin:1rem 0}figcaption{color:#555;font-size:.9rem}
"""


def _is_num(cell: str) -> bool:
    t = cell.replace("[", "").replace("]", "").replace(",", "").replace("!", "").replace("%", "").split()
    return bool(t) and all(p.replace(".", "", 1).replace("-", "", 1).isdigit() or p == "-" for p in t)


def _html_table(t: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in t.headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{html.escape(c)}</td>' if _is_num(c) else f"<td>{html.escape(c)}</td>"
                         for c in row) + "</tr>"
        for row in t.rows
    )  # fmt: skip
    cap = f"<caption>{html.escape(t.caption)}</caption>" if t.caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: Report) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1>",
    ]
    for s in report.sections:
        parts.append(f"<h2>{html.escape(s.title)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in s.paragraphs]
        if s.items:
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in s.items) + "</ul>")
        parts += [_html_table(t) for t in s.tables]
        if s.figure:
            parts.append(f"<figure>{s.figure}<figcaption>{html.escape(s.figure_caption)}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(t: Table) -> str:
    lines = []
    if t.caption:
        lines += [f"*{_md_cell(t.caption)}*", ""]
    lines.append("| " + " | ".join(_md_cell(h) for h in t.headers) + " |")
    lines.append("|" + "|".join("---:" if all(_is_num(r[i]) for r in t.rows if r[i]) and t.rows else "---"
                                for i in range(len(t.headers))) + "|")  # fmt: skip
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in t.rows]
    return "\n".join(lines)


def to_markdown(report: Report) -> str:
    parts = [f"# {report.title}"]
    for s in report.sections:
        parts.append(f"## {s.title}")
        parts += list(s.paragraphs)
        if s.items:
            parts.append("\n".join(f"- {i}" for i in s.items))
        parts += [_md_table(t) for t in s.tables]
        if s.figure:
            data = base64.b64encode(s.figure.encode("utf-8")).decode("ascii")
            parts.append(f"![{s.figure_caption}](data:image/svg+xml;base64,{data})")
    return "\n\n".join(parts) + "\n"
