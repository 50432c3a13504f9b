"""Helpers shared by CLI command modules."""

from __future__ import annotations

import argparse
import sys

from annotator.core.errors import UserError
from annotator.store.engine import Project, open_project


def project_from(args: argparse.Namespace) -> Project:
    """Open the project named by --project (or the default one), telling the user when it is busy."""
    project = open_project(args.project, on_busy=lambda msg: print(msg, file=sys.stderr, flush=True))
    if project.backup_made:
        print(f"backup before migration: {project.backup_made}", file=sys.stderr)
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
            raise UserError(f"--attr {pair!r}: use key=value, e.g. --attr speaker=Putin")
        attrs[key.strip()] = value.strip()
    return attrs
