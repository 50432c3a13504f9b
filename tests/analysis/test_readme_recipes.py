"""The README's analyst recipes, run as written on real exports: a recipe that drifts from the code fails.

Every ```r and ```python block of the README's analyst section runs in a folder holding the export made
by the section's own `export csv` command, with the documents in ../shared/corpus, as on the sample
corpus. What each computes is checked against the stored texts and the export: the passages equal
document[start:end], the context is document[start - 60:end + 60], the counts are the export's counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.analysis import readme
from tests.analysis.export_corpus import Export
from tests.analysis.recipes import as_columns, as_counts, run_python, run_python_failing, run_r, run_r_failing

CONTEXT = 60  # characters either side, as the README's recipes say


def check_passages(value: Any, export: Export) -> None:
    frame = as_columns(value)
    wanted = {"passage", "context"} & frame.keys()
    assert wanted, f"'spans' has neither a passage nor a context column: {sorted(frame)}"
    by_id = {row["span_id"]: row for row in export.rows}
    assert sorted(frame["span_id"]) == sorted(by_id), "the recipe lost or invented spans"
    for i, span_id in enumerate(frame["span_id"]):
        row = by_id[span_id]
        text, start, end = export.texts[row["document"]], int(row["start"]), int(row["end"])
        if "passage" in wanted:
            assert frame["passage"][i] == text[start:end], f"passage of {row}"
        if "context" in wanted:
            assert frame["context"][i] == text[max(0, start - CONTEXT) : end + CONTEXT], f"context of {row}"


def counts_by(key: Callable[[dict[str, str]], Any]) -> Callable[[Any, Export], None]:
    def check(value: Any, export: Export) -> None:
        assert as_counts(value) == Counter(key(row) for row in export.rows)

    return check


# What the recipes compute, by variable name; a new recipe's results need a check here.
CHECKS: dict[str, Callable[[Any, Export], None]] = {
    "spans": check_passages,
    "per_code": counts_by(lambda row: row["code"]),
    "per_source": counts_by(lambda row: row["attr_source"]),
    "per_code_and_source": counts_by(lambda row: (row["code"], row["attr_source"])),
}


def run_recipes(language: str, export: Export, tmp_path: Path, run: Callable[[str, Path], dict]) -> None:
    """Run every block of `language` in its own copy of the export; check all it computed."""
    recipes = readme.analyst_blocks(language)
    assert recipes, f"the README's analyst section has no ```{language} block"
    checked: set[str] = set()
    for n, code in enumerate(recipes, 1):
        copy = export.copy_to(tmp_path / f"{language}-{n}")
        results = run(code, copy.work)
        known = CHECKS.keys() & results.keys()
        assert known, f"```{language} block {n} computes nothing this test checks ({sorted(results)}): add a check"
        for name in sorted(known):
            CHECKS[name](results[name], export)
        checked |= known
    assert checked == CHECKS.keys(), f"```{language} blocks never compute {sorted(CHECKS.keys() - checked)}"


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
def test_r_recipes_on_tricky_export(tricky: Export, tmp_path: Path, locale: str) -> None:
    run_recipes("r", tricky, tmp_path, lambda code, work: run_r(code, work, locale))


def test_pandas_recipes_on_tricky_export(tricky: Export, tmp_path: Path) -> None:
    run_recipes("python", tricky, tmp_path, run_python)


def test_r_recipes_on_sample_corpus(sample: Export, tmp_path: Path) -> None:
    run_recipes("r", sample, tmp_path, lambda code, work: run_r(code, work, "C.UTF-8"))


def test_pandas_recipes_on_sample_corpus(sample: Export, tmp_path: Path) -> None:
    run_recipes("python", sample, tmp_path, run_python)


def test_offsets_paragraph_one_liners(tricky: Export, tmp_path: Path) -> None:
    """The offsets paragraph's `text[start:end]` (Python) and `substr(...)` (R) give every passage."""
    paragraph = readme.section(readme.OFFSETS_HEADING)
    python_form = re.findall(r"`(text\[[^`]*\])` in Python", paragraph)
    r_form = re.findall(r"`(substr\([^`]*\))` in R", paragraph)
    assert python_form == ["text[start:end]"], python_form
    assert len(r_form) == 1, r_form
    code = (
        'spans <- read.csv("spans.csv", encoding = "UTF-8", na.strings = character(0))\n'
        "passage <- character(nrow(spans))\n"
        "for (i in seq_len(nrow(spans))) {\n"
        '  path <- file.path("../shared/corpus", spans$document[i])\n'
        "  text <- readChar(path, file.size(path), useBytes = TRUE)\n"
        '  Encoding(text) <- "UTF-8"\n'
        '  text <- gsub("\\r\\n?", "\\n", sub("^\\ufeff", "", text))\n'
        "  start <- spans$start[i]\n"
        "  end <- spans$end[i]\n"
        f"  passage[i] <- {r_form[0]}\n"
        "}\n"
        "spans <- data.frame(span_id = spans$span_id, passage = passage)\n"
    )
    check_passages(run_r(code, tricky.copy_to(tmp_path / "copy").work, "C.UTF-8")["spans"], tricky)


@pytest.mark.parametrize("language", ["r", "python"])
def test_recipes_stop_when_a_file_is_not_the_stored_text(tricky: Export, tmp_path: Path, language: str) -> None:
    """A file edited after import shifts every offset: the recipe says which document and stops."""
    copy = tricky.copy_to(tmp_path / "edited")
    edited = copy.work.parent / "shared" / "corpus" / "press_en.txt"
    edited.write_text("Edited. " + edited.read_text(encoding="utf-8"), encoding="utf-8")
    run = run_r_failing if language == "r" else run_python_failing
    for code in readme.analyst_blocks(language):
        stderr = run(code, copy.work)
        assert "press_en.txt" in stderr, stderr
        assert "speech_ru.txt" not in stderr, stderr
