"""Fuzzed codebooks: any mutation of a valid codebook, or any bytes, gives a codebook or `FILE:LINE: message`.

Never a traceback: the only exceptions allowed out of the codebook reader are CodebookError (every problem
as `FILE:LINE: message`) and, for unreadable files, UserError. ANNOTATOR_LONG=1 runs many more examples.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.codebook import Codebook, CodebookError, load_codebook_file, parse_codebook
from annotator.core.errors import UserError

LONG = os.environ.get("ANNOTATOR_LONG") == "1"
SETTINGS = settings(
    max_examples=3000 if LONG else 200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
REPO = Path(__file__).resolve().parents[2]

VALID = """\
title: Threats
version: 2
description: >-
  Codes for threat constructions.
rules: |
  1. Code the smallest passage.
codes:
  - key: threat
    name: Threat
    codable: false
    color: "#f4a6a6"
    children:
      - key: threat.terror
        name: Terrorism
        shortcut: Ctrl+T
        include: [bombings, "attacks on civilians"]
        exclude:
          - crime
        examples: "«террористическая угроза»"
      - key: threat.migration
        name: Illegal migration
        shortcut: M
  - key: response
    name: Response
    description: What should be done.
"""

NASTY = [
    ":",
    "- ",
    "-",
    "&a ",
    "*a",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!timestamp ",
    "!!binary ",
    "!!set ",
    "!!python/object:os.system ",
    "!!omap ",
    "!!str ",
    "!custom ",
    "[",
    "]",
    "{",
    "}",
    "|",
    ">",
    "'",
    '"',
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "? ",
    "#",
    "\t",
    "\x00",
    "\x07",
    "\ufeff",
    "\u2028",
    "\\",
    "@",
    "`",
    "0x",
    "0o9",
    "2001-13-99",
    ".nan",
    "~",
    "null",
    "yes",
    "no",
    "maybe",
    "<<: ",
    "\n",
    "  ",
    "😀",
    "é",
]

ERROR_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): \S")


def _check_problems(exc: CodebookError, source: str, n_lines: int) -> None:
    assert exc.problems, "a CodebookError must name at least one problem"
    for problem in exc.problems:
        assert "\n" not in problem, problem
        match = ERROR_LINE.match(problem)
        assert match, f"not FILE:LINE: message: {problem!r}"
        assert match["file"] == source
        assert 1 <= int(match["line"]) <= n_lines + 1, problem
        assert "Traceback" not in problem


def _parse_or_problems(text: str, source: str = "cb.yaml") -> Codebook | None:
    try:
        return parse_codebook(text, source)
    except CodebookError as exc:
        _check_problems(exc, source, text.count("\n") + 1)
        return None


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = VALID.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "dup", "swap", "indent", "dedent", "insert", "replace", "truncate"]))
        if op == "delete":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 5)) + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip(" ")
        elif op in ("insert", "replace"):
            junk = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=6)))
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            if op == "insert":
                lines[i] = line[:at] + junk + line[at:]
            else:
                colon = line.find(": ")
                lines[i] = (line[: colon + 2] + junk + "\n") if colon >= 0 else junk + "\n"
        else:
            text = "".join(lines)
            lines = [text[: draw(st.integers(0, len(text)))]]
    return "".join(lines)


def test_the_unmutated_codebook_is_valid() -> None:
    book = parse_codebook(VALID, "cb.yaml")
    assert [c.key for c in book.iter_codes()] == ["threat", "threat.terror", "threat.migration", "response"]


@SETTINGS
@given(mutated())
def test_mutated_codebook_gives_a_codebook_or_file_line_problems(text: str) -> None:
    _parse_or_problems(text)


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_reader(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.yaml"
    path.write_bytes(data)
    message = None
    try:
        load_codebook_file(path)
    except CodebookError as exc:
        _check_problems(exc, str(path), data.count(b"\n") + 1)
    except UserError as exc:
        message = str(exc)
    if message is not None:
        assert "\n" not in message
        assert message.startswith(str(path))


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("[]{}-:?,'\"!&*|> \n#abc")), max_size=200))
def test_yaml_punctuation_soup_never_crashes(text: str) -> None:
    _parse_or_problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "- " * 3000 + "x\n",  # deeply nested block sequences
        "[" * 3000 + "]" * 3000 + "\n",  # deeply nested flow sequences
        "{a: " * 2000 + "b" + "}" * 2000 + "\n",
        "title: t\ncodes:\n- key: a\n  name: !!timestamp 2001-13-99\n",
        "title: t\ncodes:\n- key: a\n  name: x\n  codable: !!bool maybe\n",
        "title: !!int 0x\ncodes: []\n",
        "title: t\ncodes:\n- key: !!float .x\n  name: y\n",
        "title: t\ncodes:\n- key: a\n  name: !!binary '@@@'\n",
        "title: t\ncodes:\n- key: a\n  name: !!python/object:os.system x\n",
        "title: t\ncodes:\n- key: a\n  name: !!set {x: 1}\n",
        "title: t\ncodes:\n- key: a\n  name: x\n  include: [!!int x]\n",
        "title: t\ncodes:\n- {key: a, name: b, children: [{key: c, name: !!omap [x]}]}\n",
        "title: t\ncodes:\n- key: a\n  name: x\n  <<: {color: '#ffffff'}\n",
        "title: t\ncodes:\n- key: a\n  name: x\n- key: a\n  name: y\n  shortcut: Ctrl+Ctrl+A\n",
    ],
)
def test_known_nasty_codebooks_give_file_line_problems(text: str) -> None:
    assert _parse_or_problems(text) is None


def test_cli_reports_fuzzed_files_one_problem_per_line(tmp_path: Path) -> None:
    cases = {
        "deep.yaml": "- " * 3000 + "x\n",
        "tags.yaml": "title: t\ncodes:\n- key: a\n  name: !!timestamp 2001-13-99\n",
        "binary.yaml": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "latin1.yaml": "title: caf\xe9\ncodes: []\n",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content.encode("latin-1") if name != "deep.yaml" else content.encode())
        result = subprocess.run(
            [sys.executable, "-m", "annotator", "codebook", "check", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
        )
        assert result.returncode == 1, (name, result.stderr)
        assert "Traceback" not in result.stderr
        assert "internal error" not in result.stderr, result.stderr
        for line in result.stderr.strip().splitlines():
            assert line.startswith((str(path), "annotator:")), line
