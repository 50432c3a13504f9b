"""Keeping passwords out of everything annotator writes or shows: messages, crash.log, titles, files.

A PostgreSQL project may be named with its password (`postgresql+psycopg2://user:PW@host/db`); the
README recommends ~/.pgpass or PGPASSWORD instead, but a password given on the command line must
still never be printed, logged or saved. `redact` replaces the password part of any URL, any
`password=` setting, and every password seen so far (`remember_secrets_in`) by `***`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

MASK = "***"
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)(?P<secret>[^/\s]*)(?P<tail>@)")
_SETTING = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'[^']*'|\"[^\"]*\"|[^&\s,;)]+)", re.IGNORECASE)
# Passwords shorter than this are masked where they appear as a URL's or setting's password only:
# masking a two-letter word everywhere would make every message unreadable.
_MIN_LITERAL = 4
_known: set[str] = set()


def remember_secrets_in(text: str) -> None:
    """Note the passwords in `text` (URLs, `password=` settings) so that `redact` masks them anywhere."""
    for pattern in (_URL_PASSWORD, _SETTING):
        for match in pattern.finditer(text):
            secret = match.group("secret").strip("'\"")
            for form in {secret, unquote(secret)}:
                if len(form) >= _MIN_LITERAL and form != MASK:
                    _known.add(form)


def redact(text: str) -> str:
    """`text` with every password masked as `***`."""
    text = _URL_PASSWORD.sub(
        lambda m: m.group("head") + MASK + m.group("tail") if m.group("secret") else m.group(0), text
    )
    text = _SETTING.sub(lambda m: m.group("head") + MASK, text)
    for secret in sorted(_known, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
