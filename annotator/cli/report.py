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
    from annotator.core.atomic import check_writable
    from annotator.core.reliability import report_format, write_report

    out = Path(args.out)
    report_format(out)
    check_writable(out)  # before the work: a wrong folder is said at once
    if args.bootstrap < 0:
        raise UserError("--bootstrap must be 0 (no intervals) or a positive number of resamples")
    _selection, result = run_selection(args)
    write_report(result, out)
    for line in result["warnings"]:
        print(f"annotator: warning: {line}", file=sys.stderr)
    print(f"reliability report written: {out} ({len(result['documents'])} documents, {len(result['coders'])} coders)")
    return 0
