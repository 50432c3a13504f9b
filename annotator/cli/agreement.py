"""`annotator agreement`: span agreement over a project, or the classic measures for a CSV table.

The selection options (`add_selection_options`) are shared with `annotator report reliability`,
which renders the same result this command prints with --json.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Callable
from typing import Any

from annotator.core.errors import UserError

LEVELS = ("nominal", "ordinal", "interval", "ratio")  # == core.agreement.LEVELS (no numpy import here)


def add_selection_options(p: argparse.ArgumentParser, *, table: bool) -> None:
    """--coders, --documents, --codes, --bootstrap, --seed, --no-merge, --concatenate."""
    if table:
        what = p.add_mutually_exclusive_group(required=True)
        what.add_argument("--coders", metavar="A,B[,C...]", help="coders to compare (project spans)")
        what.add_argument("--table", metavar="FILE.csv", help="a reliability table (no project needed)")
    else:
        p.add_argument("--coders", metavar="A,B[,C...]", required=True, help="coders to compare")
    p.add_argument(
        "--documents",
        metavar="D1,D2|all",
        help="documents (default: those every selected coder marked done; 'all' or names count every "
        "chosen document as coded by every coder, with a warning per pair not marked done)",
    )
    p.add_argument("--codes", metavar="K1,K2|all", help="code keys (default: every codable code of the codebook)")
    p.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="N resamples of whole documents for 95%% intervals of every measure (default 0: none; "
        "Krippendorff recommends 1000 or more; none with fewer than 10 documents)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed of the bootstrap (default 0)")
    p.add_argument(
        "--no-merge",
        action="store_true",
        help="alpha_U on the spans as stored: touching spans of one coder and code stay "
        "separate units (as DKPro/INCEpTION take them); default merges them",
    )
    p.add_argument(
        "--concatenate",
        action="store_true",
        help="alpha_U on the documents laid end to end in document order, the value DKPro Statistics "
        "and INCEpTION report (it depends on the order); default: order-free, each document its own continuum",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "agreement",
        help="inter-coder agreement: alpha_U, span F1, sentence units; or a CSV table",
        description="Agreement between coders on the project's spans (--coders), or the classic "
        "measures for a reliability table (--table FILE.csv: header row naming the "
        "coders, one row per unit, empty cell = missing, optional first column 'unit').",
        epilog="Only what was coded counts: by default the documents every selected coder marked done "
        "(Ctrl+D in the window, 'annotator documents done', 'spans import --mark-done'); the others are "
        "listed as left out. With --documents all (or names) a coder without spans in a chosen document "
        "coded nothing there.",
    )
    add_selection_options(p, table=True)
    p.add_argument("--level", choices=LEVELS, help="--table only: alpha's level (default nominal)")
    p.add_argument(
        "--disagreements",
        type=int,
        default=0,
        metavar="N",
        help="also list the N largest places where the coders differ",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.set_defaults(func=cmd_agreement)


def cmd_agreement(args: argparse.Namespace) -> int:
    if args.bootstrap < 0:
        raise UserError("--bootstrap must be 0 (no intervals) or a positive number of resamples")
    if args.disagreements < 0:
        raise UserError("--disagreements must be 0 or a positive number")
    if args.table is not None:
        for flag, value in (
            ("--documents", args.documents),
            ("--codes", args.codes),
            ("--no-merge", args.no_merge or None),
            ("--concatenate", args.concatenate or None),
            ("--disagreements", args.disagreements or None),
        ):
            if value is not None:
                raise UserError(f"{flag} applies to project spans (--coders), not to --table")
        return _table(args)
    if args.level is not None:
        raise UserError("--level applies to --table; span measures use alpha_U and nominal alpha")
    return _spans(args)


def progress_printer(enabled: bool) -> Callable[[int, int], bool] | None:
    if not enabled:
        return None
    last = [-1]

    def report(done: int, total: int) -> bool:
        pct = int(100 * done / max(total, 1))
        if pct != last[0]:
            last[0] = pct
            print(f"\rbootstrap: {pct}%", end="" if pct < 100 else "\n", file=sys.stderr, flush=True)
        return True

    return report


def print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False))


def _table(args: argparse.Namespace) -> int:
    from annotator.core.agreement import read_table_csv, table_agreement
    from annotator.core.agreement_text import format_table_report

    table = read_table_csv(args.table)
    res = table_agreement(
        table,
        args.level or "nominal",
        bootstrap=args.bootstrap,
        seed=args.seed,
        progress=progress_printer(args.bootstrap > 0 and sys.stderr.isatty()),
    )
    if args.json:
        print_json(res)
    else:
        print(format_table_report(res, str(args.table)))
    return 0


def options_from(args: argparse.Namespace) -> Any:
    """The service's Options from the shared selection flags."""
    from annotator.cli.common import split_list
    from annotator.store.services.agreement import ALL, DONE, Options

    coders = split_list(args.coders)
    if coders is None:
        raise UserError("--coders needs the names of the coders to compare, e.g. --coders anna,ben")
    if args.documents is None:
        documents: Any = DONE
    else:
        listed = split_list(args.documents)
        documents = ALL if listed is None else listed
    return Options(
        coders,
        documents,
        split_list(args.codes),
        args.bootstrap,
        args.seed,
        merge=not args.no_merge,
        concatenate=args.concatenate,
    )


def command_line() -> str:
    """The command as typed, for the report's design section."""
    return shlex.join(["annotator", *sys.argv[1:]])


def run_selection(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """Open the project and run the agreement service for the selection flags."""
    from annotator.cli.common import project_from
    from annotator.store.services import agreement as service

    with project_from(args) as project:
        return service.run(
            project,
            options_from(args),
            progress=progress_printer(args.bootstrap > 0 and sys.stderr.isatty()),
            command=command_line(),
        )


def _spans(args: argparse.Namespace) -> int:
    from annotator.core.agreement_report import disagreements
    from annotator.core.agreement_text import format_span_report

    selection, res = run_selection(args)
    found = []
    if args.disagreements:
        found = disagreements(selection.documents, selection.spans, selection.coders, selection.codes)[
            : args.disagreements
        ]
    if args.json:
        if args.disagreements:
            res["disagreements"] = [
                {
                    "document": d.document,
                    "start": d.start,
                    "end": d.end,
                    "size": d.size,
                    "kind": d.kind,
                    "codes": list(d.codes),
                    "spans": {c: [list(t) for t in sp] for c, sp in d.spans.items()},
                }
                for d in found
            ]
        print_json(res)
        return 0
    for line in res["warnings"]:
        print(f"annotator: warning: {line}", file=sys.stderr)
    print(format_span_report(res))
    if args.disagreements:
        texts = dict(selection.documents)
        print(f"\nLargest disagreements ({len(found)} shown)")
        for d in found:
            snippet = texts[d.document][d.start : d.end].replace("\n", " ")
            snippet = snippet if len(snippet) <= 60 else snippet[:57] + "..."
            who = "; ".join(
                f"{c}: " + (", ".join(f"{k} {s}-{e}" for k, s, e in sp) or "nothing") for c, sp in d.spans.items()
            )
            print(f'  {d.document} {d.start}-{d.end} ({d.size} chars, {d.label}): "{snippet}"  [{who}]')
    return 0
