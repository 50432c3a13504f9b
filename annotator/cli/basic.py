"""Foundation commands: import, codebook, spans import, documents/coders list, status, backup, gui.

The store (SQLAlchemy, Alembic) is imported inside the commands that open a project, so `--help` and
`codebook check` start fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli import housekeeping
from annotator.cli.common import parse_attrs, project_from
from annotator.core.codebook import CodebookError, load_codebook_file
from annotator.core.errors import UserError


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.store.services import documents

    if any(str(f).lower().endswith(".qdpx") for f in args.files):
        from annotator.cli.exchange import import_qdpx_files  # REFI-QDA projects have their own path

        return import_qdpx_files(args)
    with project_from(args) as project:
        report = documents.import_files(project, args.files, attributes=parse_attrs(args.attr), name=args.name)
    for info in report.imported:
        print(f"imported {info.name} ({info.length} characters)")
    for err in report.errors:
        print(err, file=sys.stderr)
    print(f"{len(report.imported)} imported, {len(report.errors)} not imported")
    return 0 if not report.errors else 1


def cmd_codebook_check(args: argparse.Namespace) -> int:
    try:
        book = load_codebook_file(args.file)
    except CodebookError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{args.file}: {len(exc.problems)} problem(s)", file=sys.stderr)
        return 1
    from annotator.core.colour import look_alikes

    n = sum(1 for _ in book.iter_codes())
    warnings = look_alikes(book)
    for pair in warnings:  # a warning, not an error: the codebook still loads (exit status 0)
        print(f"{args.file}:{pair.second.line}: {pair.message()}", file=sys.stderr)
    note = f" ({len(warnings)} warning(s) above)" if warnings else ""
    print(f"{args.file}: OK: '{book.title}' with {n} codes{note}")
    return 0


def cmd_codebook_load(args: argparse.Namespace) -> int:
    from annotator.store.services import codebooks

    if str(args.file).lower().endswith((".qdc", ".qdpx", ".qde")):  # REFI-QDA codebook or project
        from annotator.cli.exchange import read_qdc_as_codebook

        book = read_qdc_as_codebook(args.file)
    else:
        try:
            book = load_codebook_file(args.file)
        except CodebookError as exc:  # FILE:LINE: lines, as `codebook check` prints them
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(
                f"{args.file}: not loaded; fix the {len(exc.problems)} problem(s) above "
                f"(annotator codebook check {args.file})",
                file=sys.stderr,
            )
            return 1
    with project_from(args) as project:
        report = codebooks.load_codebook(project, book, source=Path(args.file).name)
    print(f"loaded '{book.title}': {report.summary()}")
    return 0


def _rows_read(n: int) -> None:
    print(f"\r{n:,} rows read", end="", file=sys.stderr, flush=True)


def cmd_spans_import(args: argparse.Namespace) -> int:
    from annotator.store.services import span_import

    on_terminal = sys.stderr.isatty()
    with project_from(args) as project:
        try:
            report = span_import.import_spans_csv(
                project, args.file, progress=_rows_read if on_terminal else None, mark_done=args.mark_done
            )
        finally:
            if on_terminal:
                print(file=sys.stderr)  # end the progress line
    print(report.summary())
    return 0


def cmd_documents_done(args: argparse.Namespace) -> int:
    from annotator.cli.common import split_list
    from annotator.store.services import status

    with project_from(args) as project:
        new, already = status.mark_done(project, args.coder, split_list(args.documents))
    print(
        f"marked {len(new)} document(s) done for {args.coder.strip()}"
        + (f" ({len(already)} already done)" if already else "")
    )
    return 0


def cmd_documents_list(args: argparse.Namespace) -> int:
    from annotator.store.services import documents, status

    with project_from(args) as project:
        docs = documents.list_documents(project)
        counts = status.span_counts(project)
    if not docs:
        print("no documents; add some with 'annotator import FILE...'")
    for d in docs:
        attrs = " ".join(f"{k}={v}" for k, v in sorted(d.attributes.items()))
        print(f"{d.name}\t{d.length} chars\t{counts.get(d.id, 0)} spans" + (f"\t{attrs}" if attrs else ""))
    return 0


def cmd_coders_list(args: argparse.Namespace) -> int:
    from annotator.store.services import coders

    with project_from(args) as project:
        rows = coders.list_coders(project)
    if not rows:
        print("no coders yet")
    for name, n in rows:
        print(f"{name}\t{n} spans")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from annotator.store.services import status

    with project_from(args) as project:
        counts = status.project_counts(project)
        where = project.display_name
    print(f"project: {where}")
    for key in ("documents", "codes", "coders", "spans"):
        print(f"{key}: {counts[key]}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from annotator.store.backup import backup_sqlite

    with project_from(args) as project:
        if project.path is None:
            raise UserError("backup works on SQLite project files; use your server's tools for PostgreSQL")
        target = backup_sqlite(project.path, "backup")
    print(f"backup written: {target}")
    return 0


def _no_screen() -> bool:
    """On Linux/BSD without a display Qt aborts the process; say so in one line instead."""
    import os

    if not sys.platform.startswith(("linux", "freebsd", "openbsd")) or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_gui(args: argparse.Namespace) -> int:
    if _no_screen():
        raise UserError(
            "no screen to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); run it "
            "in a desktop session, or use the commands in 'annotator --help' on a server"
        )
    from annotator.gui.app import run_gui  # the only place the CLI imports Qt

    return run_gui(args.project)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="start the coding window (the default command)")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("import", help="import documents (.txt .md .html .docx .pdf) or a REFI-QDA .qdpx")
    p.add_argument("files", nargs="+", help="files to import")
    p.add_argument(
        "--attr",
        action="append",
        metavar="KEY=VALUE",
        help="document attribute (repeatable), e.g. --attr speaker=Putin --attr date=2023-11-08",
    )
    p.add_argument("--name", help="document name (single file only; default: the file name)")
    p.set_defaults(func=cmd_import)

    cb = sub.add_parser("codebook", help="check or load a YAML codebook").add_subparsers(
        dest="codebook_cmd", required=True, metavar="{check,load}"
    )
    p = cb.add_parser("check", help="validate a codebook file and report FILE:LINE problems")
    p.add_argument("file")
    p.set_defaults(func=cmd_codebook_check)
    p = cb.add_parser("load", help="load (or update) the project's codebook from YAML, or a REFI-QDA .qdc/.qdpx/.qde")
    p.add_argument("file")
    p.set_defaults(func=cmd_codebook_load)

    sp = sub.add_parser("spans", help="import or delete coded spans").add_subparsers(
        dest="spans_cmd", required=True, metavar="{import,delete}"
    )
    p = sp.add_parser("import", help="import spans from CSV (document, coder, code, start, end[, memo, text])")
    p.add_argument("file")
    p.add_argument(
        "--mark-done",
        action="store_true",
        help="also mark every (document, coder) pair in the file done (what agreement counts as coded)",
    )
    p.set_defaults(func=cmd_spans_import)

    dl = sub.add_parser("documents", help="list, mark done or delete documents").add_subparsers(
        dest="documents_cmd", required=True, metavar="{list,done,delete}"
    )
    dl.add_parser("list", help="list documents with length and span counts").set_defaults(func=cmd_documents_list)
    p = dl.add_parser(
        "done",
        help="mark documents done for a coder (agreement counts only documents every coder marked done)",
        description="Mark documents done for a coder who codes outside the window. Agreement, by default, "
        "compares coders on the documents every one of them marked done.",
    )
    p.add_argument("--coder", required=True, help="the coder (an existing one; see 'annotator coders list')")
    p.add_argument("--documents", required=True, metavar="D1,D2|all", help="document names, or all")
    p.set_defaults(func=cmd_documents_done)

    cl = sub.add_parser("coders", help="list, rename or merge coders").add_subparsers(
        dest="coders_cmd", required=True, metavar="{list,rename,merge}"
    )
    cl.add_parser("list", help="list coders and their span counts").set_defaults(func=cmd_coders_list)

    housekeeping.register({"coders": cl, "documents": dl, "spans": sp})
    sub.add_parser("status", help="counts of documents, codes, coders and spans").set_defaults(func=cmd_status)
    sub.add_parser("backup", help="write a consistent backup copy next to the project").set_defaults(func=cmd_backup)
