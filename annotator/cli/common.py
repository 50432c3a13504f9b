"""Helpers shared by CLI command modules."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from annotator.core.errors import UserError, is_utf8, shown

if TYPE_CHECKING:
    from annotator.store.engine import Project


def project_from(args: argparse.Namespace) -> Project:
    """Open the project named by --project (or the default one), telling the user when it is busy."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError  # imported here: `--help` stays fast

    from annotator.store.engine import open_project

    try:
        project = open_project(args.project, on_busy=lambda msg: print(msg, file=sys.stderr, flush=True))
    except (ModuleNotFoundError, NoSuchModuleError, ArgumentError) as exc:
        # A URL for a database whose driver is missing, or no database URL at all.
        shown = _hide_password(str(args.project))
        detail = f"driver not installed: {exc.name}" if isinstance(exc, ModuleNotFoundError) else str(exc)
        raise UserError(
            f"--project {shown}: cannot open ({detail}); use a file path, sqlite:///path, or "
            "install the database driver"
        ) from None
    if project.backup_made:
        print(f"backup before migration: {project.backup_made}", file=sys.stderr)
    if project.backup_schema_made:
        print(f"backup before migration: schema {project.backup_schema_made} on the server", file=sys.stderr)
    for note in project.migration_notes:
        print(note, file=sys.stderr)
    return project


def _hide_password(project: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(project).render_as_string(hide_password=True) if "://" in project else project
    except ArgumentError:
        return project


def split_list(value: str | None) -> list[str] | None:
    """'a,b,c' -> ['a','b','c']; None or 'all' -> None (meaning everything)."""
    if value is None or value.strip().lower() == "all":
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    if not items:
        raise UserError("an empty list was given; name at least one item or use 'all'")
    return items


def parse_attrs(pairs: list[str] | None) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--attr {shown(pair)!r}: use key=value, e.g. --attr speaker=Putin")
        if not is_utf8(pair):
            raise UserError(f"--attr {shown(pair)}: not valid UTF-8; give attributes in UTF-8")
        attrs[key.strip()] = value.strip()
    return attrs
