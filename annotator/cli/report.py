"""`annotator report reliability OUT.html|OUT.md`: the reliability report a supervisor attaches to a paper.

It takes every selection option `agreement --coders` has and renders exactly the result
`agreement --json` prints for the same selection (annotator.core.reliability).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.agreement import add_selection_options, run_selection
from annotator.core.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    rp = sub.add_parser("report", help="write a report (reliability)").add_subparsers(
        dest="report_cmd", required=True, metavar="{reliability}"
    )
    p = rp.add_parser(
        "reliability",
        help="one self-contained HTML or Markdown file: design, measures with intervals, forest plot, "
        "warnings, disagreement breakdown",
        description="The reliability report for a selection of coders, documents and codes: the same "
        "numbers `annotator agreement --json` gives for the same options, laid out for a paper.",
    )
    p.add_argument("out", metavar="OUT.html|OUT.md", help="the report file; its extension picks the format")
    add_selection_options(p, table=False)
    p.set_defaults(func=cmd_report_reliability)


def cmd_report_reliability(args: argparse.Namespace) -> int:
    from annotator.core.atomic import atomic_file, check_writable

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    fmt = {"htm": "html", "markdown": "md"}.get(fmt, fmt)
    if fmt not in ("html", "md"):
        raise UserError(f"{out}: give a file name ending in .html or .md")
    check_writable(out)
    if args.bootstrap < 0:
        raise UserError("--bootstrap must be 0 (no intervals) or a positive number of resamples")
    _selection, result = run_selection(args)
    from annotator.core.reliability import render

    text = render(result, fmt)
    with atomic_file(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    for line in result["warnings"]:
        print(f"annotator: warning: {line}", file=sys.stderr)
    print(f"reliability report written: {out} ({len(result['documents'])} documents, {len(result['coders'])} coders)")
    return 0
