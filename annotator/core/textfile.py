"""Reading small UTF-8 files the user names (codebooks, span tables), with one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.errors import UserError


def read_utf8_file(path: Path, *, max_bytes: int, kind: str, error: Callable[[str], UserError] = UserError) -> str:
    """The file's text (a UTF-8 BOM is dropped); refused by size before it is read.

    `error` builds the exception, so a codebook can report in its own `FILE:LINE` problem list.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = f"{max_bytes >> 20} MB" if max_bytes >= 1 << 20 else f"{max_bytes >> 10} KB"
            raise error(f"{path}:1: the {kind} is larger than {limit}; split it")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: file not found; check the path and spelling") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{path}:{line}: not valid UTF-8; save the {kind} as UTF-8") from None
