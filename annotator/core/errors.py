"""Errors meant for the person using the tool.

A `UserError` carries a message that is shown as-is (one line, no traceback): it should say
what went wrong, where (file, line, row) and what to do about it.
"""

from __future__ import annotations

import os


class UserError(ValueError):
    """A mistake in the user's input or request, reported as one readable line."""


def shown(text: str | os.PathLike[str]) -> str:
    """A file name or argument as a message can print it: bytes that are not UTF-8 become `\\xff`.

    Python carries such bytes of file names and arguments as lone surrogates, which cannot be printed,
    stored or encoded; a message must still name the file, in one line, without failing itself.
    """
    value = os.fspath(text)
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_utf8(text: str | os.PathLike[str]) -> bool:
    """False for a name that carries bytes which are not UTF-8 (see `shown`)."""
    try:
        os.fspath(text).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
