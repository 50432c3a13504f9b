"""Where projects, logs and settings live by default."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from annotator.core.errors import UserError, is_utf8, shown


def user_data_dir() -> Path:
    """The platform's user data folder for annotator (ANNOTATOR_DATA_DIR overrides it, e.g. in tests)."""
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir("annotator", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_project_path() -> Path:
    return user_data_dir() / "default.annotator.db"


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of exactly this file: `#`, `?`, `%` and spaces in the name are quoted, never parsed."""
    if not is_utf8(path):
        raise UserError(f"{shown(path)}: the file name is not valid UTF-8; rename the project file")
    from sqlalchemy.engine import URL  # here: paths is read by the crash logger, which must not need SQLAlchemy

    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def project_url(project: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL for `--project`: a URL is taken as is, anything else is a SQLite file path."""
    if project is None:
        return sqlite_url(default_project_path())
    text = os.fspath(project)
    if "://" in text:
        return text
    return sqlite_url(Path(text).expanduser().resolve())
