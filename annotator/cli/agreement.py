"""`annotator agreement`: span agreement over a project, or the classic measures for a CSV table."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from annotator.core.errors import UserError

LEVELS = ("nominal", "ordinal", "interval", "ratio")  # == core.agreement.LEVELS (no numpy import here)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "agreement",
        help="inter-coder agreement: alpha_U, span F1, sentence units; or a CSV table",
        description="Agreement between coders on the project's spans (--coders), or the classic "
        "measures for a reliability table (--table FILE.csv: header row naming the "
        "coders, one row per unit, empty cell = missing, optional first column 'unit').",
        epilog="Every selected document counts as coded by every selected coder: a coder without "
        "spans in it coded nothing there.",
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--coders", metavar="A,B[,C...]", help="coders to compare (project spans)")
    what.add_argument("--table", metavar="FILE.csv", help="a reliability table (no project needed)")
    p.add_argument("--documents", metavar="D1,D2|all", help="documents (default: all)")
    p.add_argument("--codes", metavar="K1,K2|all", help="code keys (default: every codable code of the codebook)")
    p.add_argument("--level", choices=LEVELS, help="--table only: alpha's level (default nominal)")
    p.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="N resamples for 95%% confidence intervals of alpha (default 0: none; "
        "Krippendorff recommends 1000 or more)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed of the bootstrap (default 0)")
    p.add_argument(
        "--no-merge",
        action="store_true",
        help="alpha_U on the spans as stored: touching spans of one coder and code stay "
        "separate units (as DKPro/INCEpTION take them); default merges them",
    )
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
            ("--disagreements", args.disagreements or None),
        ):
            if value is not None:
                raise UserError(f"{flag} applies to project spans (--coders), not to --table")
        return _table(args)
    if args.level is not None:
        raise UserError("--level applies to --table; span measures use alpha_U and nominal alpha")
    return _spans(args)


def _progress(enabled: bool) -> Callable[[int, int], bool] | None:
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


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False))


def _table(args: argparse.Namespace) -> int:
    from annotator.core.agreement import read_table_csv, table_report
    from annotator.core.agreement_report import format_table_report

    res = table_report(
        read_table_csv(args.table),
        args.level or "nominal",
        bootstrap=args.bootstrap,
        seed=args.seed,
        progress=_progress(args.bootstrap > 0 and sys.stderr.isatty()),
    )
    if args.json:
        _print_json(res)
    else:
        print(format_table_report(res, str(args.table)))
    return 0


def _spans(args: argparse.Namespace) -> int:
    from annotator.cli.common import project_from, split_list
    from annotator.core.agreement_report import disagreements, format_span_report
    from annotator.store.services import agreement as service

    coders = split_list(args.coders)
    if coders is None:
        raise UserError("--coders needs the names of the coders to compare, e.g. --coders anna,ben")
    with project_from(args) as project:
        selection = service.load_selection(project, coders, split_list(args.documents), split_list(args.codes))
    res = service.compute(
        selection,
        bootstrap=args.bootstrap,
        seed=args.seed,
        merge=not args.no_merge,
        progress=_progress(args.bootstrap > 0 and sys.stderr.isatty()),
    )
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
        _print_json(res)
        return 0
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
