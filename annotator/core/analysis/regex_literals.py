"""What a search must contain: the literal pieces a trigram index can use to pre-select documents.

Regular expressions run only on the documents the index selects: `required_literals` reads the
pattern with Python's own regex parser and returns substrings (at least 3 characters, the trigram
size) that every match contains. A document lacking any one of them cannot match, so the store asks
its full-text index for documents holding all of them and runs the regex only there. When nothing
can be guaranteed (an alternation at the top, only character classes, pieces shorter than 3) the
answer is empty and the caller scans every document: slower, never wrong.

What is guaranteed: literal characters in sequence (zero-width anchors such as `\\b` do not break a
sequence), groups, and repeats taken at least once. Alternatives (`a|b`), optional parts, classes
and look-arounds contribute nothing. With `fold_yo` the pieces are cut at `е`/`ё`, because the index
holds the text unfolded. The index folds case one character to one character; a text where case
folding changes length (German `ß` matching `ss`) is found by the scan fallback only, so callers
that care may skip pre-selection for patterns containing `ss` (see `folding_safe`).
"""

from __future__ import annotations

import importlib
from typing import Any

MIN_LITERAL = 3
_YO = frozenset("еёЕЁ")
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def _parser() -> Any:
    """Python's regex parser (`re._parser` since 3.11, `sre_parse` before); Any: a private module."""
    try:
        return importlib.import_module("re._parser")
    except ImportError:  # Python 3.10
        return importlib.import_module("sre_parse")


def required_literals(
    pattern: str, *, regex: bool = True, fold_yo: bool = False, min_length: int = MIN_LITERAL
) -> tuple[str, ...]:
    """Substrings (>= `min_length` characters) that every match of `pattern` contains; () = cannot tell."""
    if not regex:
        runs = [pattern]
    else:
        try:
            parsed = _parser().parse(pattern)
        except Exception:  # an invalid pattern: the matcher reports it; here, nothing is known
            return ()
        runs = _runs(list(parsed))
    if fold_yo:
        runs = [piece for run in runs for piece in _split_yo(run)]
    return tuple(dict.fromkeys(run for run in runs if len(run) >= min_length))


def folding_safe(pattern: str) -> bool:
    """False when case folding could match text of another length (`ss` ~ `ß`): pre-selection may miss it."""
    low = pattern.casefold()
    return "ss" not in low and len(low) == len(pattern)


def _split_yo(run: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for char in run:
        if char in _YO:
            out.append("".join(current))
            current = []
        else:
            current.append(char)
    out.append("".join(current))
    return out


def _runs(items: list[tuple[Any, Any]]) -> list[str]:
    """Mandatory literal runs of one parsed sequence."""
    runs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            runs.append("".join(current))
            current.clear()

    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            current.append(chr(arg))
        elif name == "AT":
            continue  # zero width: the characters around it are still adjacent
        elif name == "SUBPATTERN" and _all_literal(list(arg[-1])):
            current.extend(chr(a) for o, a in arg[-1] if str(o) == "LITERAL")
        else:
            flush()
            if name == "SUBPATTERN":
                runs.extend(_runs(list(arg[-1])))
            elif name == "ATOMIC_GROUP":
                runs.extend(_runs(list(arg)))
            elif name in _REPEATS and arg[0] >= 1:
                runs.extend(_runs(list(arg[2])))
    flush()
    return runs


def _all_literal(items: list[tuple[Any, Any]]) -> bool:
    return all(str(op) in ("LITERAL", "AT") for op, _ in items)
