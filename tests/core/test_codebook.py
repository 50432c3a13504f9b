"""Codebook YAML: every problem as FILE:LINE: message; bombs, tags and deep nesting refused cheaply."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from annotator.core.codebook import (
    DEFAULT_PALETTE,
    CodebookError,
    codebook_to_yaml,
    load_codebook_file,
    parse_codebook,
    valid_shortcut,
)
from annotator.core.errors import UserError

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
title: Test codebook
version: 2
rules: |
  Code the smallest passage.
codes:
  - key: threat
    name: Threat type
    codable: false
    children:
      - key: threat.terrorism
        name: Terrorism
        color: "#f88b81"
        shortcut: "1"
        description: Terrorism as a phenomenon.
        include: ["the word terrorism"]
        exclude: "extremism alone"
        examples: ["terrorism and organised crime"]
      - key: threat.crime
        name: Organised crime
  - key: response
    name: Response
"""

BAD = """\
title: Broken
colour: "#ffffff"
codes:
  - key: a
    name: A
    color: "#zzzzzz"
    shortcut: "1"
    exlude: [x]
  - key: a
    name: ""
    shortcut: "1"
  - key: b
    name: B
    color: red
    children:
      - key: b.c
        nme: C
"""


def test_good_codebook_parses():
    book = parse_codebook(GOOD, "good.yaml")
    assert book.title == "Test codebook"
    assert book.version == "2"
    assert book.rules == "Code the smallest passage."
    keys = [c.key for c in book.iter_codes()]
    assert keys == ["threat", "threat.terrorism", "threat.crime", "response"]
    terror = book.codes[0].children[0]
    assert terror.parent_key == "threat"
    assert terror.exclude == ["extremism alone"]
    assert terror.color == "#f88b81"
    assert not book.codes[0].codable
    # codes without a colour get readable palette colours, distinct from each other
    assert book.codes[0].children[1].color in DEFAULT_PALETTE
    assert len({c.color for c in book.iter_codes()}) == 4


def test_roundtrip_through_yaml():
    book = parse_codebook(GOOD, "good.yaml")
    again = parse_codebook(codebook_to_yaml(book), "again.yaml")
    assert again == book or [c.key for c in again.iter_codes()] == [c.key for c in book.iter_codes()]
    assert [(c.name, c.color, c.shortcut, c.include, c.codable) for c in again.iter_codes()] == [
        (c.name, c.color, c.shortcut, c.include, c.codable) for c in book.iter_codes()
    ]


def test_every_problem_reported_with_its_line():
    with pytest.raises(CodebookError) as info:
        parse_codebook(BAD, "bad.yaml")
    problems = info.value.problems
    expected = {
        2: "unknown field 'colour'",
        6: "colour '#zzzzzz'",
        8: "unknown field 'exlude'",
        9: "duplicate key 'a'",
        10: "empty name",
        11: "shortcut '1'",
        14: "colour 'red'",
        16: "has no 'name'",
        17: "unknown field 'nme'",
    }
    for line, text in expected.items():
        assert any(p.startswith(f"bad.yaml:{line}: ") and text in p for p in problems), (line, problems)
    assert all(p.startswith("bad.yaml:") for p in problems)
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines)
    assert any("did you mean 'exclude'" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("title: [unclosed\ncodes:\n  - key: a\n", 2, "malformed YAML"),
        ("title: T\ncodes:\n\t- key: a\n", 3, "malformed YAML"),
        ("- just\n- a list\n", 1, "mapping"),
        ("", 1, "empty"),
        ("title: T\n", 1, "no 'codes'"),
        ("title: ''\ncodes: []\n", 1, "title"),
        ("title: T\ntitle: U\ncodes: []\n", 2, "appears twice"),
        ("title: T\ncodes:\n  - name: No key\n", 3, "no 'key'"),
        ("title: T\ncodes:\n  - key: has space\n    name: X\n", 3, "not valid"),
        ("title: T\ncodes:\n  - key: a\n    name: A\n    codable: maybe\n", 5, "true or false"),
        ("title: T\ncodes:\n  - key: a\n    name: A\n    shortcut: Ctrl+Hyper+Q\n", 5, "shortcut"),
        (
            "title: T\ncodes:\n  - key: a\n    name: A\n    shortcut: x\n  - key: b\n    name: B\n    shortcut: X\n",
            8,
            "already used",
        ),
        ("title: T\ncodes:\n  - key: a\n", 3, "no 'name'"),
        ("title: T\ncodes:\n  - key: a\n    name: '   '\n", 4, "empty name"),
        ("title: !!python/object:os.system x\ncodes: []\n", 1, "tag"),
        ("title: T\ncodes:\n  - key: a\n    name: A\n    include: {x: 1}\n", 5, "include"),
    ],
)
def test_single_problem(text, line, fragment):
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "cb.yaml")
    assert any(p.startswith(f"cb.yaml:{line}: ") and fragment in p for p in info.value.problems), info.value.problems


BOMB = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    )
    + "\ntitle: T\ncodes: []\n"
)


def test_yaml_bomb_refused_quickly_without_memory():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(CodebookError) as info:
        parse_codebook(BOMB, "bomb.yaml")
    assert time.monotonic() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB
    assert info.value.problems[0].startswith("bomb.yaml:1: ")
    assert "aliases" in info.value.problems[0]


def test_deep_nesting_refused_not_crashing():
    text = "title: T\ncodes: " + "[" * 50_000 + "]" * 50_000 + "\n"
    with pytest.raises(CodebookError, match="nested more than"):
        parse_codebook(text, "deep.yaml")


def test_oversized_file_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("title: T\ncodes: []\n# " + "x" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="larger than"):
        load_codebook_file(path)


def test_file_errors(tmp_path):
    with pytest.raises(UserError, match="not found"):
        load_codebook_file(tmp_path / "missing.yaml")
    bad = tmp_path / "latin.yaml"
    bad.write_bytes(b"title: T\ncodes:\n  - key: a\n    name: Caf\xe9\n")
    with pytest.raises(CodebookError, match=r"latin\.yaml:4: not valid UTF-8"):
        load_codebook_file(bad)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_codebook_file(bom).title == "Test codebook"


@pytest.mark.parametrize(
    ("shortcut", "ok"),
    [
        ("1", True),
        ("a", True),
        ("F5", True),
        ("Ctrl+1", True),
        ("Ctrl+Shift+K", True),
        ("Ctrl+Ctrl+K", False),
        ("F13", False),
        ("", False),
        ("ab", False),
        ("Super+K", False),
    ],
)
def test_valid_shortcut(shortcut, ok):
    assert valid_shortcut(shortcut) is ok


@pytest.mark.parametrize("name", ["threats.yaml", "speech_acts.yaml"])
def test_shipped_codebooks_pass(name):
    path = REPO / "codebooks" / name
    if not path.exists():
        pytest.skip(f"{path} not written yet")
    book = load_codebook_file(path)
    codes = list(book.iter_codes())
    assert codes
    assert all(c.name and c.key for c in codes)
    if name == "threats.yaml":
        keys = {c.key for c in codes}
        assert len(keys) >= 30
        for word in ("terror", "migra", "sovereign", "west"):
            assert any(word in k.lower() for k in keys), word
        assert all(c.description for c in codes if c.codable)
