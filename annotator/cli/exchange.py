"""Export (csv, jsonl, codebook, qdpx, qdc), REFI-QDA import and project merging from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli.common import parse_attrs, project_from, split_list
from annotator.core.errors import UserError

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) is imported inside the commands: `--help` stays fast
    from annotator.core.codebook import Codebook
    from annotator.store.services.export import SpanFilter


def _filter(args: argparse.Namespace) -> SpanFilter:
    from annotator.store.services.export import SpanFilter

    return SpanFilter(
        coders=split_list(args.coders), documents=split_list(args.documents), codes=split_list(args.codes)
    )


def _progress(n: int) -> None:
    print(f"... {n} spans written", file=sys.stderr, flush=True)


def cmd_export_spans(args: argparse.Namespace) -> int:
    from annotator.store.services import export

    with project_from(args) as project:
        n = export.export_spans(
            project,
            args.out,
            fmt=args.fmt,
            flt=_filter(args),
            attributes=args.attributes,
            excel=getattr(args, "excel", False),
            progress=_progress if args.verbose else None,
        )
    print(f"exported {n} spans to {args.out}")
    return 0


def cmd_export_codebook(args: argparse.Namespace) -> int:
    from annotator.store.services import export

    with project_from(args) as project:
        n = export.export_codebook_yaml(project, args.out)
    print(f"exported the codebook ({n} codes) to {args.out}")
    return 0


def cmd_export_qdpx(args: argparse.Namespace) -> int:
    from annotator.store.services import refi_export

    with project_from(args) as project:
        result = refi_export.export_qdpx(project, args.out, _filter(args), flavour=args.flavour)
    for line in result.left_out:
        print(f"annotator: {line}", file=sys.stderr)
    print(result.summary(args.out))
    return 0


def cmd_export_qdc(args: argparse.Namespace) -> int:
    from annotator.store.services import refi_export

    with project_from(args) as project:
        n = refi_export.export_qdc(project, args.out)
    print(f"exported the codebook ({n} codes) to {args.out} (REFI-QDA 1.5)")
    return 0


def import_qdpx_files(args: argparse.Namespace) -> int:
    """`annotator import` with .qdpx files (called by annotator.cli.basic); other files import as documents."""
    from annotator.store.services import documents, refi

    qdpx = [f for f in args.files if str(f).lower().endswith(".qdpx")]
    others = [f for f in args.files if f not in qdpx]
    failed = 0
    with project_from(args) as project:
        for path in qdpx:
            try:
                report = refi.import_qdpx(project, path)
            except UserError as exc:
                print(f"annotator: {exc}", file=sys.stderr)
                print(f"{path}: nothing imported", file=sys.stderr)
                failed += 1
                continue
            for warning in report.warnings:
                print(f"{path}: adjusted: {warning}", file=sys.stderr)
            print(f"{path}: {report.summary()}")
            for line in report.position_lines():
                print(f"{path}: {line}")
        if others:
            doc_report = documents.import_files(project, others, attributes=parse_attrs(getattr(args, "attr", None)))
            for info in doc_report.imported:
                print(f"imported {info.name} ({info.length} characters)")
            for err in doc_report.errors:
                print(err, file=sys.stderr)
            failed += len(doc_report.errors)
    return 1 if failed else 0


def read_qdc_as_codebook(path: str | Path) -> Codebook:
    """A REFI-QDA .qdc as our Codebook (for `codebook load X.qdc`); adjustments are printed to stderr."""
    from annotator.core.exchange.refi_qda import read_qdc
    from annotator.store.services import refi

    qdc = read_qdc(path)
    for warning in qdc.warnings:
        print(f"{path}: adjusted: {warning}", file=sys.stderr)
    if not qdc.codes:
        raise UserError(f"{path}: the codebook has no codes; nothing to load")
    return refi.qdc_to_codebook(qdc, Path(path).stem)


def cmd_merge(args: argparse.Namespace) -> int:
    from annotator.store.services import merge

    with project_from(args) as project:
        report = merge.merge_projects(project, args.others, allow_conflicts=args.allow_conflicts, dry_run=args.dry_run)
    for line in report.lines():
        print(line)
    return 0


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coders", metavar="A,B|all", help="only these coders (default: all)")
    p.add_argument("--documents", metavar="D1,D2|all", help="only these documents, by name (default: all)")
    p.add_argument("--codes", metavar="K1,K2|all", help="only these code keys (default: all)")


def register(sub: argparse._SubParsersAction) -> None:
    ex = sub.add_parser(
        "export", help="export spans (csv, jsonl), the codebook (yaml, qdc) or a REFI-QDA project (qdpx)"
    ).add_subparsers(dest="export_cmd", required=True, metavar="{csv,jsonl,codebook,qdpx,qdc}")
    for fmt, what in (("csv", "CSV (RFC 4180, UTF-8), one row per span"), ("jsonl", "JSON Lines, one object per span")):
        p = ex.add_parser(
            fmt,
            help=what,
            description=f"{what}. Columns: span_id, document, coder, code, "
            "code_name, code_path, start, end, text, memo, created_at, updated_at (offsets are "
            "code points, end-exclusive: text == document[start:end]).",
        )
        p.add_argument("out", metavar=f"OUT.{fmt}")
        _add_filters(p)
        p.add_argument("--attributes", action="store_true", help="add document attributes as attr_<name> columns")
        if fmt == "csv":
            p.add_argument(
                "--excel",
                action="store_true",
                help="for spreadsheets: UTF-8 with BOM, and cells starting with = + - @ tab or CR "
                "prefixed with ' so they are not run as formulas (not for re-import)",
            )
        p.add_argument("-v", "--verbose", action="store_true", help="report progress on stderr")
        p.set_defaults(func=cmd_export_spans, fmt=fmt)
    p = ex.add_parser("codebook", help="the project's codebook as YAML (loadable with 'codebook load')")
    p.add_argument("out", metavar="OUT.yaml")
    p.set_defaults(func=cmd_export_codebook)
    p = ex.add_parser(
        "qdpx",
        help="REFI-QDA 1.5 project for NVivo, MAXQDA, ATLAS.ti, QualCoder",
        description="A REFI-QDA 1.5 project: coders, codebook, texts and coded selections with memos. "
        "--for picks the unit of the selection positions (see the README's table of tools).",
    )
    p.add_argument("out", metavar="OUT.qdpx")
    _add_filters(p)
    p.add_argument(
        "--for",
        dest="flavour",
        choices=("standard", "nvivo"),
        default="standard",
        help="standard (default): positions in Unicode code points, as REFI-QDA says; nvivo: in UTF-16 "
        "units, as NVivo (and QualCoder) count them, so passages after an emoji land where they belong",
    )
    p.set_defaults(func=cmd_export_qdpx)
    p = ex.add_parser("qdc", help="REFI-QDA 1.5 codebook")
    p.add_argument("out", metavar="OUT.qdc")
    p.set_defaults(func=cmd_export_qdc)

    p = sub.add_parser(
        "merge",
        help="bring coders and spans of other projects into this one",
        description="Merge other projects (e.g. coders' laptops) into this one: documents are "
        "matched by content, codes by key, coders by name. A backup is written first. The same "
        "coder with diverging spans on a document is a conflict: the merge is refused and the "
        "conflicts listed, unless --allow-conflicts (then the other project's differing spans "
        "are added too and listed).",
    )
    p.add_argument("others", nargs="+", metavar="OTHER_PROJECT", help="project files to merge in")
    p.add_argument(
        "--allow-conflicts",
        action="store_true",
        help="merge even when a coder's spans diverge (their differing spans are added and listed)",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would be merged; change nothing")
    p.set_defaults(func=cmd_merge)
