"""Project housekeeping commands: `coders rename`, `coders merge`, `documents delete`, `spans delete`.

The same services as the window's Tools > Project housekeeping. Each command prints what goes or
changes and asks for confirmation (`--yes` answers it); without an answer (input not a terminal, or
empty) nothing changes. A SQLite project is backed up before the change; the backup's path is printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import project_from
from annotator.core.errors import UserError


def _confirm(args: argparse.Namespace, preview_text: str, verb: str) -> None:
    print(preview_text)
    if args.yes:
        return
    print(f"{verb}? [y/N] ", end="", flush=True)
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        raise UserError(f"not confirmed: nothing changed (answer 'y', or add --yes to {verb.lower()} without asking)")


def _backup_note(path: Path | None) -> str:
    return f"; backup written: {path}" if path else ""


def cmd_coders_rename(args: argparse.Namespace) -> int:
    from annotator.store.services import housekeeping as hk

    with project_from(args) as project:
        _confirm(args, hk.preview_rename_coder(project, args.old, args.new).text(), "Rename")
        backup = hk.rename_coder(project, args.old, args.new)
    print(f"renamed coder '{args.old.strip()}' to '{args.new.strip()}'{_backup_note(backup)}")
    return 0


def cmd_coders_merge(args: argparse.Namespace) -> int:
    from annotator.store.services import housekeeping as hk

    with project_from(args) as project:
        _confirm(args, hk.preview_merge_coders(project, args.source, args.into).text(), "Merge")
        done = hk.merge_coders(project, args.source, args.into)
    print(
        f"merged coder '{done.source}' into '{done.into}': {len(done.moved)} spans moved, "
        f"{len(done.folded)} folded into identical ones{_backup_note(done.backup)}"
    )
    return 0


def cmd_documents_delete(args: argparse.Namespace) -> int:
    from annotator.store.services import housekeeping as hk

    with project_from(args) as project:
        _confirm(args, hk.preview_delete_document(project, args.name).text(), "Delete")
        gone = hk.delete_document(project, args.name)
    print(f"deleted document '{gone.name}' and its {len(gone.spans)} spans{_backup_note(gone.backup)}")
    return 0


def cmd_spans_delete(args: argparse.Namespace) -> int:
    from annotator.store.services import housekeeping as hk

    with project_from(args) as project:
        _confirm(args, hk.preview_delete_spans(project, args.coder, args.documents).text(), "Delete")
        gone = hk.delete_spans(project, args.coder, args.documents)
    print(f"deleted {len(gone.spans)} spans of '{args.coder.strip()}'{_backup_note(gone.backup)}")
    return 0


def _yes(p: argparse.ArgumentParser) -> None:
    p.add_argument("-y", "--yes", action="store_true", help="do it without asking for confirmation")


def register(groups: dict[str, argparse._SubParsersAction]) -> None:
    """Add the commands to the `coders`, `documents` and `spans` command groups (made in cli/basic.py)."""
    p = groups["coders"].add_parser("rename", help="rename a coder (all their spans follow)")
    p.add_argument("old", help="the coder's current name")
    p.add_argument("new", help="the new name (must not exist yet; to join two names use 'coders merge')")
    _yes(p)
    p.set_defaults(func=cmd_coders_rename)
    p = groups["coders"].add_parser(
        "merge", help="give all spans and statuses of coder A to coder B, then remove the name A"
    )
    p.add_argument("source", metavar="A", help="the coder name that goes")
    p.add_argument("--into", required=True, metavar="B", help="the coder who keeps the spans")
    _yes(p)
    p.set_defaults(func=cmd_coders_merge)
    p = groups["documents"].add_parser("delete", help="delete a document with all its spans")
    p.add_argument("name", help="the document's name (see 'documents list')")
    _yes(p)
    p.set_defaults(func=cmd_documents_delete)
    p = groups["spans"].add_parser("delete", help="delete one coder's spans on some documents")
    p.add_argument("--coder", required=True, help="whose spans")
    p.add_argument("--documents", required=True, nargs="+", metavar="D", help="on which documents (names)")
    _yes(p)
    p.set_defaults(func=cmd_spans_delete)
