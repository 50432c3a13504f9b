"""The README's analyst section and worked example, as text the tests run."""

from __future__ import annotations

import re

from tests.conftest import REPO

README = REPO / "README.md"
ANALYST_HEADING = "## For analysts: R and pandas"
OFFSETS_HEADING = "### Documents and offsets"

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.M | re.S)


def section(heading: str) -> str:
    """The README text under `heading` up to the next heading of the same or a higher level.

    Lines inside fenced code blocks are not headings (an R or Python comment starts with `#` too).
    """
    lines = README.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\n") == heading]
    assert len(starts) == 1, f"README.md must have exactly one '{heading}' heading"
    level = len(heading.split(" ", 1)[0])
    body, fenced = [], False
    for line in lines[starts[0] + 1 :]:
        fenced ^= line.startswith("```")
        if not fenced and re.match(rf"#{{1,{level}}} ", line):
            break
        body.append(line)
    return "".join(body)


def blocks(text: str, language: str) -> list[str]:
    """Every fenced code block of `text` whose info string is `language` (```r, ```python, ```sh)."""
    return [code for lang, code in _FENCE.findall(text) if lang == language]


def analyst_blocks(language: str) -> list[str]:
    return blocks(section(ANALYST_HEADING), language)


def export_command() -> str:
    """The one `annotator ... export csv ...` line of the analyst section: the export the recipes read."""
    lines = [ln for code in analyst_blocks("sh") for ln in code.splitlines() if " export csv " in ln]
    assert len(lines) == 1, f"the analyst section should show one 'export csv' command, found {lines}"
    return lines[0]


def worked_example() -> str:
    """The `$ command` transcript of the README's worked example on the sample corpus."""
    found = [code for code in blocks(section("## The command line"), "console") if "../shared/corpus" in code]
    assert len(found) == 1, "README.md's command-line section should have one worked example on ../shared/corpus"
    return found[0]
