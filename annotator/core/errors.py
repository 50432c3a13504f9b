"""Errors meant for the person using the tool.

A `UserError` carries a message that is shown as-is (one line, no traceback): it should say
what went wrong, where (file, line, row) and what to do about it.
"""


class UserError(ValueError):
    """A mistake in the user's input or request, reported as one readable line."""
