"""Codebook versions: the content identity of a codebook, and what changed between two versions.

Why: a project keeps every version of its codebook, so a span can say which definitions it was coded
under and a reliability figure can name its codebook. A load must create a version only when the content
changed (not when the YAML was merely re-indented or its keys reordered), the history must say what
changed, and changed definitions must send their spans back for re-checking.

Content is what `canonical_codebook` returns: title, version, description, rules, and the tree of codes
in file order with every field. Two spellings of one value count as the same content: colours compare
case-insensitively (`#C0392B` is `#c0392b`) and shortcuts in their canonical form (`Alt+Ctrl+a` is
`Ctrl+Alt+A`, see `normalise_shortcut`). Hash the codebook as the project will hold it: a code whose YAML
gives no colour keeps the colour it had (`keep_default_colours`), or adding one uncoloured code would
shift the palette colours of the others. `content_hash` equal <=> `diff_codebooks` empty.

Every change is a plain dict `{"change": KIND, "key": code key or None, "old": ..., "new": ...}` (JSON-ready,
for `codebook history --json`); `describe` turns one into a line of text.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from annotator.core.codebook import Code, Codebook, normalise_shortcut

Change = dict[str, object]

# Codebook-level fields and the change kind each produces (key None).
BOOK_FIELDS = {
    "title": "title_changed",
    "version": "version_changed",
    "description": "codebook_description_changed",
    "rules": "rules_changed",
}
# Code fields compared in place and the change kind each produces.
CODE_FIELDS = {
    "name": "renamed",
    "color": "recoloured",
    "shortcut": "shortcut_changed",
    "description": "description_changed",
    "include": "include_changed",
    "exclude": "exclude_changed",
    "examples": "examples_changed",
    "codable": "codable_changed",
}
# A change to a code's definition: spans coded under an older version are listed for re-checking.
RECHECK_KINDS = frozenset({"description_changed", "include_changed", "exclude_changed"})


def keep_default_colours(book: Codebook, previous: Codebook | None) -> Codebook:
    """A copy of `book` in which codes that got a palette colour (none in the YAML) keep the colour they
    had in `previous`, as the store does on load: the codebook the project will hold."""
    if previous is None:
        return book
    before = {code.key: code.color for code in previous.iter_codes()}

    def copy(code: Code) -> Code:
        color = before.get(code.key, code.color) if code.key in book.default_colored else code.color
        return replace(code, color=color, children=[copy(child) for child in code.children])

    return replace(book, codes=[copy(code) for code in book.codes], default_colored=set(book.default_colored))


def code_content(code: Code) -> dict[str, object]:
    """One code's own content (its children excluded), values in their canonical spelling."""
    return {
        "key": code.key,
        "name": code.name,
        "color": code.color.lower(),
        "shortcut": normalise_shortcut(code.shortcut) if code.shortcut else None,
        "description": code.description,
        "include": list(code.include),
        "exclude": list(code.exclude),
        "examples": list(code.examples),
        "codable": code.codable,
    }


def canonical_codebook(book: Codebook) -> dict[str, object]:
    """The codebook's content as plain data: what `content_hash` covers and `codebook_from_canonical` reads."""

    def tree(code: Code) -> dict[str, object]:
        return {**code_content(code), "children": [tree(child) for child in code.children]}

    return {
        "title": book.title,
        "version": book.version,
        "description": book.description,
        "rules": book.rules,
        "codes": [tree(code) for code in book.codes],
    }


def content_hash(book: Codebook) -> str:
    """SHA-256 (hex) of the canonical content: equal exactly when no change would be reported."""
    data = json.dumps(canonical_codebook(book), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def codebook_from_canonical(data: dict[str, object]) -> Codebook:
    """A Codebook from `canonical_codebook`'s output (e.g. a stored version), for show and export."""

    def code(node: dict[str, object], parent: str | None) -> Code:
        key = str(node["key"])
        shortcut = node.get("shortcut")
        return Code(
            key=key,
            name=str(node["name"]),
            color=str(node["color"]),
            shortcut=str(shortcut) if shortcut else None,
            description=str(node.get("description", "")),
            include=[str(v) for v in _list(node.get("include"))],
            exclude=[str(v) for v in _list(node.get("exclude"))],
            examples=[str(v) for v in _list(node.get("examples"))],
            codable=bool(node.get("codable", True)),
            parent_key=parent,
            children=[code(child, key) for child in _nodes(node.get("children"))],
        )

    return Codebook(
        title=str(data["title"]),
        version=str(data.get("version", "")),
        description=str(data.get("description", "")),
        rules=str(data.get("rules", "")),
        codes=[code(node, None) for node in _nodes(data.get("codes"))],
    )


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _nodes(value: object) -> list[dict[str, object]]:
    return [v for v in _list(value) if isinstance(v, dict)]


@dataclass(frozen=True)
class _Place:
    code: Code
    parent: str | None
    position: int  # among its siblings


def _places(book: Codebook | None) -> dict[str, _Place]:
    places: dict[str, _Place] = {}

    def walk(codes: list[Code], parent: str | None) -> None:
        for position, code in enumerate(codes):
            places[code.key] = _Place(code, parent, position)
            walk(code.children, code.key)

    if book is not None:
        walk(book.codes, None)
    return places


def diff_codebooks(old: Codebook | None, new: Codebook) -> list[Change]:
    """Every change from `old` (None: no codebook yet) to `new`, codebook-level first, then by code in
    the new codebook's order, then removed codes in the old order, then detected splits."""
    changes: list[Change] = []
    if old is not None:
        for name, kind in BOOK_FIELDS.items():
            if getattr(old, name) != getattr(new, name):
                changes.append(_change(kind, None, getattr(old, name), getattr(new, name)))
    before, after = _places(old), _places(new)
    moved = _moved_keys(before, after)
    for key, place in after.items():
        if key not in before:
            changes.append(_change("added", key, None, {**code_content(place.code), "parent": place.parent}))
            continue
        old_content, new_content = code_content(before[key].code), code_content(place.code)
        for name, kind in CODE_FIELDS.items():
            if old_content[name] != new_content[name]:
                changes.append(_change(kind, key, old_content[name], new_content[name]))
        if key in moved:
            old_place = before[key]
            changes.append(
                _change(
                    "moved",
                    key,
                    {"parent": old_place.parent, "position": old_place.position},
                    {"parent": place.parent, "position": place.position},
                )
            )
    for key, place in before.items():
        if key not in after:
            changes.append(_change("removed", key, {**code_content(place.code), "parent": place.parent}, None))
    changes.extend(_splits(before, after))
    return changes


def _change(kind: str, key: str | None, old: object, new: object) -> Change:
    return {"change": kind, "key": key, "old": old, "new": new}


def _moved_keys(before: dict[str, _Place], after: dict[str, _Place]) -> set[str]:
    """Codes under a new parent, and codes whose order among siblings kept in both versions changed.

    Order is judged by the longest common subsequence of those siblings, so adding or removing a code
    does not make all its later siblings "moved": only the codes that really changed places are.
    """
    common = [k for k in after if k in before]
    moved = {k for k in common if before[k].parent != after[k].parent}
    stay = [k for k in common if k not in moved]
    by_parent_old: dict[str | None, list[str]] = {}
    by_parent_new: dict[str | None, list[str]] = {}
    for k in sorted(stay, key=lambda k: before[k].position):
        by_parent_old.setdefault(before[k].parent, []).append(k)
    for k in sorted(stay, key=lambda k: after[k].position):
        by_parent_new.setdefault(after[k].parent, []).append(k)
    for parent, old_order in by_parent_old.items():
        new_order = by_parent_new[parent]
        matcher = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
        kept = {old_order[block.a + i] for block in matcher.get_matching_blocks() for i in range(block.size)}
        moved.update(k for k in old_order if k not in kept)
    return moved


def _splits(before: dict[str, _Place], after: dict[str, _Place]) -> list[Change]:
    """Splits: an old codable code K that is gone or no longer codable, and two or more new codable codes
    under one parent (K's old parent, or K itself when it stayed as a grouping) that each refer to K:
    their key extends K's (K + "."), or their name, description, include, exclude or examples mention
    K's key or K's old name as a whole word (case-insensitive).

    Only these explicit signals count; a code replaced without them shows as removed + added, and the
    service must ask the user what becomes of its spans (see `recode_needed`).
    """
    changes: list[Change] = []
    for key, old_place in before.items():
        old_code = old_place.code
        new_place = after.get(key)
        if not old_code.codable or (new_place is not None and new_place.code.codable):
            continue
        parents = {old_place.parent, key}
        targets = [
            k
            for k, place in after.items()
            if k not in before and place.code.codable and place.parent in parents and _refers_to(place.code, old_code)
        ]
        by_parent: dict[str | None, list[str]] = {}
        for k in targets:
            by_parent.setdefault(after[k].parent, []).append(k)
        for parent, keys in by_parent.items():
            if len(keys) >= 2:
                changes.append(_change("split", key, {"name": old_code.name}, {"parent": parent, "keys": keys}))
    return changes


def _refers_to(code: Code, old: Code) -> bool:
    if code.key.startswith(old.key + "."):
        return True
    words = [re.escape(old.key)] + ([re.escape(old.name)] if old.name.strip() else [])
    pattern = re.compile(r"(?<!\w)(" + "|".join(words) + r")(?!\w)", re.IGNORECASE)
    texts = [code.name, code.description, *code.include, *code.exclude, *code.examples]
    return any(pattern.search(text) for text in texts)


def codes_to_recheck(changes: Iterable[Change]) -> list[str]:
    """Keys whose description, include or exclude changed: their spans coded under an older version go
    to the re-check queue (in order of first appearance)."""
    keys: list[str] = []
    for change in changes:
        key = change["key"]
        if change["change"] in RECHECK_KINDS and isinstance(key, str) and key not in keys:
            keys.append(key)
    return keys


def recode_needed(changes: Iterable[Change]) -> list[dict[str, object]]:
    """Old codes whose spans cannot stay as they are: split (with the codes it was split into), removed,
    or made not codable. Nothing is recoded automatically; the service lists these spans for re-coding
    and, for a code removed or made uncodable without a detected split, asks the user what to do."""
    out: dict[str, dict[str, object]] = {}
    for change in changes:
        key = change["key"]
        if not isinstance(key, str):
            continue
        kind = change["change"]
        if kind == "split":
            new = change["new"]
            into = list(new["keys"]) if isinstance(new, dict) else []
            out[key] = {"key": key, "reason": "split", "into": into}
        elif kind == "removed" and key not in out:
            old = change["old"]
            if isinstance(old, dict) and old.get("codable"):
                out[key] = {"key": key, "reason": "removed", "into": []}
        elif kind == "codable_changed" and change["new"] is False and key not in out:
            out[key] = {"key": key, "reason": "not codable", "into": []}
    return list(out.values())


def describe(change: Change) -> str:
    """One line of text for a change, for `codebook history` without --json."""
    kind, key, old, new = change["change"], change["key"], change["old"], change["new"]
    if kind in BOOK_FIELDS.values():
        field = next(name for name, k in BOOK_FIELDS.items() if k == kind)
        return f"codebook {field} changed: {_short(old)} -> {_short(new)}"
    if kind == "added" and isinstance(new, dict):
        where = f" under '{new['parent']}'" if new.get("parent") else ""
        return f"added '{key}' ({new['name']}){where}"
    if kind == "removed" and isinstance(old, dict):
        return f"removed '{key}' ({old['name']})"
    if kind == "moved" and isinstance(old, dict) and isinstance(new, dict):
        return (
            f"moved '{key}': under {_parent(old['parent'])} at {int(str(old['position'])) + 1} -> "
            f"under {_parent(new['parent'])} at {int(str(new['position'])) + 1}"
        )
    if kind == "split" and isinstance(new, dict):
        return f"split '{key}' into " + ", ".join(f"'{k}'" for k in _list(new["keys"]))
    field = next((name for name, k in CODE_FIELDS.items() if k == kind), str(kind))
    return f"'{key}': {field} {_short(old)} -> {_short(new)}"


def _parent(key: object) -> str:
    return f"'{key}'" if key else "the top level"


def _short(value: object, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."
