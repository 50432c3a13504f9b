"""Codebooks: the documented YAML format, parsed with line numbers and validated.

Every problem is reported as `FILE:LINE: message`, all at once, so a codebook author can fix a whole file
in one pass. Aliases and anchors are refused before anything is built: a YAML bomb (nested aliases)
therefore costs nothing, and a codebook never needs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from annotator.core.errors import UserError
from annotator.core.textfile import read_utf8_file

MAX_CODEBOOK_BYTES = 2 * 1024 * 1024
# YAML collections nested deeper than this are refused before composing (PyYAML composes recursively).
# Each code level costs two (the children list and the code mapping): 60 allows trees ~28 codes deep.
MAX_NESTING = 60
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map"))
KEY_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
_KEY_NAME_RE = re.compile(r"^([A-Za-z0-9]|F([1-9]|1[0-2]))$")
TOP_FIELDS = frozenset({"title", "version", "description", "rules", "codes"})
CODE_FIELDS = frozenset(
    {"key", "name", "color", "shortcut", "description", "include", "exclude", "examples", "codable", "children"}
)

# Light, distinct colours: dark text stays readable on each, and neighbours differ in hue.
DEFAULT_PALETTE = (
    "#f4a6a6",
    "#a6d8f4",
    "#b8e6a1",
    "#f9d98c",
    "#d3b8f0",
    "#f7b7d9",
    "#9fe0d4",
    "#f5c29a",
    "#c4d0f5",
    "#e2e89a",
    "#e0b4a8",
    "#a8e3b8",
    "#f0c6f0",
    "#b9dcdc",
    "#f3e1a6",
    "#c9c1e8",
)


@dataclass
class Code:
    """One code (or grouping) of a codebook."""

    key: str
    name: str
    color: str
    shortcut: str | None = None
    description: str = ""
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    codable: bool = True
    parent_key: str | None = None
    children: list[Code] = field(default_factory=list)
    line: int = 0


@dataclass
class Codebook:
    """A parsed codebook: metadata plus a tree of codes."""

    title: str
    version: str = ""
    description: str = ""
    rules: str = ""
    codes: list[Code] = field(default_factory=list)
    # Keys whose colour came from the default palette, not the YAML: a reload keeps their stored colour.
    default_colored: set[str] = field(default_factory=set, compare=False, repr=False)

    def iter_codes(self) -> Iterator[Code]:
        """Every code, parents before children, in file order."""
        stack = list(reversed(self.codes))
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(code.children))


class CodebookError(UserError):
    """A codebook with one or more problems; `problems` holds each `FILE:LINE: message`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def valid_shortcut(text: str) -> bool:
    """Shortcut syntax: optional modifiers joined by '+', then one letter/digit or F1-F12."""
    parts = text.split("+")
    if not all(p in _MODIFIERS for p in parts[:-1]) or len(set(parts[:-1])) != len(parts) - 1:
        return False
    return bool(_KEY_NAME_RE.match(parts[-1]))


def normalise_shortcut(text: str) -> str:
    """Canonical form for duplicate detection: single letters are case-insensitive."""
    parts = text.split("+")
    return "+".join([*sorted(parts[:-1]), parts[-1].upper()])


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self._loader_cls = yaml.SafeLoader
        # Lines of the 'key:' and 'shortcut:' values, by id(code): duplicates are reported where they are.
        self.key_line: dict[int, int] = {}
        self.shortcut_line: dict[int, int] = {}

    def err(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(f"{self.source}:{line}: {message}")

    def scalar(self, node: yaml.Node) -> object:
        loader = self._loader_cls("")
        try:
            return loader.construct_object(node, deep=True)
        except Exception:  # PyYAML constructors raise ValueError, KeyError, IndexError, YAMLError...
            # e.g. `!!int 0x`, `!!bool maybe`, `!!float .x`, a `<<` merge key: say so instead of crashing.
            kind = (node.tag or "").rsplit(":", 1)[-1] or "value"
            raw = node.value if isinstance(node.value, str) else "..."
            self.err(node, f"'{raw[:40]}' cannot be read as {kind}; write a plain value")
            return raw

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode):
            self.err(node, f"{what} must be text")
            return ""
        value = self.scalar(node)
        return "" if value is None else str(value)

    def text_list(self, node: yaml.Node, what: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            value = self.text(node, what)
            return [value] if value else []
        if isinstance(node, yaml.SequenceNode):
            return [self.text(item, f"each entry of {what}") for item in node.value]
        self.err(node, f"{what} must be text or a list of texts")
        return []

    def mapping(self, node: yaml.Node, allowed: frozenset[str], what: str) -> dict[str, tuple]:
        if not isinstance(node, yaml.MappingNode):
            self.err(node, f"{what} must be a mapping of 'field: value' lines")
            return {}
        fields: dict[str, tuple] = {}
        for key_node, value_node in node.value:
            key = str(self.scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key not in allowed:
                hint = _closest(key, allowed)
                self.err(
                    key_node,
                    f"unknown field '{key}' in {what}"
                    + (f" (did you mean '{hint}'?)" if hint else f"; allowed: {', '.join(sorted(allowed))}"),
                )
                continue
            if key in fields:
                self.err(key_node, f"field '{key}' appears twice in {what}")
                continue
            fields[key] = (key_node, value_node)
        return fields

    def code(self, node: yaml.Node, parent: str | None, index: int) -> Code | None:
        where = f"code #{index + 1}" + (f" under '{parent}'" if parent else "")
        fields = self.mapping(node, CODE_FIELDS, where)
        if not isinstance(node, yaml.MappingNode):
            return None
        key = ""
        if "key" not in fields:
            self.err(node, f"{where} has no 'key'; give every code a stable key such as threat.terrorism")
        else:
            key = self.text(fields["key"][1], "key").strip()
            if not KEY_RE.match(key):
                self.err(fields["key"][1], f"key '{key}' is not valid: use letters, digits, '_', '.', '-'")
        where = f"code '{key}'" if key else where
        name = self.text(fields["name"][1], "name").strip() if "name" in fields else ""
        if "name" not in fields:
            self.err(node, f"{where} has no 'name'; give it the label coders should see")
        elif not name:
            self.err(fields["name"][1], f"{where} has an empty name; give it the label coders should see")
        color = ""
        if "color" in fields:
            color = self.text(fields["color"][1], "color").strip()
            if not COLOR_RE.match(color):
                self.err(fields["color"][1], f"{where}: colour '{color}' is not of the form #rrggbb")
        shortcut = None
        if "shortcut" in fields:
            shortcut = self.text(fields["shortcut"][1], "shortcut").strip()
            if not valid_shortcut(shortcut):
                self.err(
                    fields["shortcut"][1],
                    f"{where}: shortcut '{shortcut}' is not valid; "
                    "use one letter or digit, F1-F12, optionally with Ctrl+/Alt+/Shift+",
                )
        codable = True
        if "codable" in fields:
            value = self.scalar(fields["codable"][1]) if isinstance(fields["codable"][1], yaml.ScalarNode) else None
            if not isinstance(value, bool):
                self.err(fields["codable"][1], f"{where}: codable must be true or false")
            else:
                codable = value
        code = Code(
            key=key,
            name=name,
            color=color,
            shortcut=shortcut or None,
            description=self.text(fields["description"][1], "description").strip() if "description" in fields else "",
            include=self.text_list(fields["include"][1], "include") if "include" in fields else [],
            exclude=self.text_list(fields["exclude"][1], "exclude") if "exclude" in fields else [],
            examples=self.text_list(fields["examples"][1], "examples") if "examples" in fields else [],
            codable=codable,
            parent_key=parent,
            line=node.start_mark.line + 1,
        )
        if "key" in fields:
            self.key_line[id(code)] = fields["key"][1].start_mark.line + 1
        if "shortcut" in fields:
            self.shortcut_line[id(code)] = fields["shortcut"][1].start_mark.line + 1
        if "children" in fields:
            code.children = self.code_list(fields["children"][1], key or parent)
        return code

    def code_list(self, node: yaml.Node, parent: str | None) -> list[Code]:
        if not isinstance(node, yaml.SequenceNode):
            self.err(node, "codes must be a list ('- key: ...' entries)")
            return []
        codes = [self.code(item, parent, i) for i, item in enumerate(node.value)]
        return [c for c in codes if c is not None]


def _closest(word: str, options: frozenset[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return match[0] if match else None


def _refuse_aliases(text: str, source: str) -> None:
    """Scan the event stream (flat, no recursion) for what a codebook never needs and an attacker might use:
    aliases (YAML bombs), custom tags (object construction) and absurd nesting (recursion limits)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise CodebookError(
                    [
                        f"{source}:{line}: YAML anchors and aliases (&name, *name) are not "
                        "allowed in codebooks; write each value out"
                    ]
                )
            tag = getattr(event, "tag", None)
            if tag and tag not in _PLAIN_TAGS and tag != "!":
                raise CodebookError(
                    [
                        f"{source}:{line}: YAML tag '{tag}' is not allowed in codebooks; "
                        "remove it and write the plain value"
                    ]
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    raise CodebookError(
                        [
                            f"{source}:{line}: nested more than {MAX_NESTING} levels deep; "
                            "a codebook tree needs far fewer levels"
                        ]
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CodebookError([f"{source}:{line}: malformed YAML: {problem}"]) from None


def parse_codebook(text: str, source: str = "<codebook>") -> Codebook:
    """Parse and validate codebook YAML; raise CodebookError listing every problem."""
    if len(text) > MAX_CODEBOOK_BYTES:
        raise CodebookError([f"{source}:1: codebook is larger than {MAX_CODEBOOK_BYTES // 1024} KB"])
    _refuse_aliases(text, source)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    p = _Parser(source)
    if root is None:
        raise CodebookError([f"{source}:1: the codebook is empty; it needs at least 'title' and 'codes'"])
    fields = p.mapping(root, TOP_FIELDS, "the codebook")
    if not isinstance(root, yaml.MappingNode):
        raise CodebookError(p.problems)
    title = p.text(fields["title"][1], "title").strip() if "title" in fields else ""
    if not title:
        p.err(fields["title"][1] if "title" in fields else root, "the codebook needs a non-empty 'title'")
    codes: list[Code] = []
    if "codes" not in fields:
        p.err(root, "the codebook has no 'codes' list")
    else:
        codes = p.code_list(fields["codes"][1], None)
    book = Codebook(
        title=title,
        version=p.text(fields["version"][1], "version").strip() if "version" in fields else "",
        description=p.text(fields["description"][1], "description").strip() if "description" in fields else "",
        rules=p.text(fields["rules"][1], "rules").strip() if "rules" in fields else "",
        codes=codes,
    )
    _check_uniqueness(book, p)
    if p.problems:
        raise CodebookError(sorted(p.problems, key=lambda problem: _line_of(problem, source)))
    _assign_default_colours(book)
    return book


def _line_of(problem: str, source: str) -> int:
    """The LINE of 'SOURCE:LINE: message' (messages themselves may contain colons)."""
    head = problem[len(source) + 1 :].split(":", 1)[0]
    return int(head) if head.isdigit() else 0


def _check_uniqueness(book: Codebook, p: _Parser) -> None:
    keys: dict[str, int] = {}
    shortcuts: dict[str, tuple[str, int]] = {}
    for code in book.iter_codes():
        key_line = p.key_line.get(id(code), code.line)
        if code.key and code.key in keys:
            p.problems.append(
                f"{p.source}:{key_line}: duplicate key '{code.key}' "
                f"(first used on line {keys[code.key]}); keys must be unique"
            )
        elif code.key:
            keys[code.key] = key_line
        if code.shortcut and valid_shortcut(code.shortcut):
            norm = normalise_shortcut(code.shortcut)
            line = p.shortcut_line.get(id(code), code.line)
            if norm in shortcuts:
                other, first = shortcuts[norm]
                p.problems.append(
                    f"{p.source}:{line}: shortcut '{code.shortcut}' of '{code.key}' is "
                    f"already used by '{other}' (line {first}); pick another"
                )
            else:
                shortcuts[norm] = (code.key, line)


def _assign_default_colours(book: Codebook) -> None:
    used = {c.color.lower() for c in book.iter_codes() if c.color}
    palette = [c for c in DEFAULT_PALETTE if c not in used] or list(DEFAULT_PALETTE)
    i = 0
    for code in book.iter_codes():
        if not code.color:
            code.color = palette[i % len(palette)]
            book.default_colored.add(code.key)
            i += 1


def load_codebook_file(path: str | Path) -> Codebook:
    """Read and parse a codebook file, reporting unreadable files as one line."""
    path = Path(path)
    text = read_utf8_file(
        path, max_bytes=MAX_CODEBOOK_BYTES, kind="codebook", error=lambda message: CodebookError([message])
    )
    return parse_codebook(text, str(path))


def codebook_to_yaml(book: Codebook) -> str:
    """Write a codebook back to the YAML format that parse_codebook accepts (used by export)."""

    def node(code: Code) -> dict[str, object]:
        out: dict[str, object] = {"key": code.key, "name": code.name}
        if not code.codable:
            out["codable"] = False
        out["color"] = code.color
        if code.shortcut:
            out["shortcut"] = code.shortcut
        for name in ("description",):
            if getattr(code, name):
                out[name] = getattr(code, name)
        for name in ("include", "exclude", "examples"):
            if getattr(code, name):
                out[name] = list(getattr(code, name))
        if code.children:
            out["children"] = [node(child) for child in code.children]
        return out

    doc: dict[str, object] = {"title": book.title}
    if book.version:
        doc["version"] = book.version
    if book.description:
        doc["description"] = book.description
    if book.rules:
        doc["rules"] = book.rules
    doc["codes"] = [node(c) for c in book.codes]
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
