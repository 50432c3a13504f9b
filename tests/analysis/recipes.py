"""Run an R or Python recipe as a researcher does, and read back what it computed.

The recipe's text runs unchanged; a few lines appended after it save its data frames and tables (R) or
DataFrames and Series (pandas) so the test can compare them with the stored texts. R writes strings as
lists of code points, so nothing depends on the locale R runs in.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

RESULTS = "__recipe_results__"

# Appended to an R recipe: every data.frame and table of the global environment as JSON, a table as the
# data frame as.data.frame() makes of it (one column per dimension, then Freq).
R_EPILOGUE = r"""
local({
  cps <- function(x) if (is.na(x)) "null" else paste0("[", paste(utf8ToInt(enc2utf8(x)), collapse = ","), "]")
  column <- function(v) {
    items <- if (is.numeric(v)) ifelse(is.na(v), "null", format(v, scientific = FALSE, trim = TRUE))
             else vapply(as.character(v), cps, "", USE.NAMES = FALSE)
    paste0("[", paste(items, collapse = ","), "]")
  }
  out <- character(0)
  for (name in ls(globalenv())) {
    value <- get(name, envir = globalenv())
    kind <- if (is.table(value)) "table" else if (is.data.frame(value)) "frame" else next
    if (kind == "table") value <- as.data.frame(value, stringsAsFactors = FALSE)
    cols <- vapply(names(value), function(n) paste0("[", cps(n), ",", column(value[[n]]), "]"), "")
    out <- c(out, paste0("[", cps(name), ",\"", kind, "\",[", paste(cols, collapse = ","), "]]"))
  }
  writeLines(paste0("[", paste(out, collapse = ","), "]"), "__recipe_results__.json")
})
"""

PY_EPILOGUE = """
import pickle as _recipe_pickle

import pandas as _recipe_pd

with open("__recipe_results__.pickle", "wb") as _recipe_out:
    _recipe_pickle.dump(
        {k: v for k, v in list(globals().items()) if isinstance(v, (_recipe_pd.DataFrame, _recipe_pd.Series))},
        _recipe_out,
    )
"""


class RTable(dict):
    """An R table as counts: {level: n} for one dimension, {(level, level): n} for two."""


def need_tool(command: str, package: str) -> str:
    """The tool's path; without it the test skips, or fails in CI (where .ci/run installs `package`)."""
    found = shutil.which(command)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{command} is missing but CI is set: .ci/run installs Debian's {package}")
    pytest.skip(f"{command} not found (install Debian's {package}: apt-get install {package})")


def _run(argv: list[str], work: Path, env: dict[str, str], *, fails: bool = False) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, cwd=work, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    if fails:
        assert proc.returncode != 0, f"{argv} in {work} should have failed\nstdout:\n{proc.stdout}"
        return proc
    problems = [w for w in ("Error", "Warning", "Traceback") if w in proc.stderr]
    report = f"{argv} in {work}: exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert proc.returncode == 0, report
    assert not problems, report
    return proc


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return "".join(map(chr, value))
    return value


def run_r_failing(code: str, work: Path) -> str:
    """Run a recipe that should stop; its stderr."""
    rscript = need_tool("Rscript", "r-base-core")
    (work / "recipe.R").write_text(code, encoding="utf-8")
    return _run([rscript, "--vanilla", "recipe.R"], work, {**os.environ, "LC_ALL": "C.UTF-8"}, fails=True).stderr


def run_python_failing(code: str, work: Path) -> str:
    """Run a recipe that should stop; its stderr."""
    (work / "recipe.py").write_text(code, encoding="utf-8")
    return _run([sys.executable, "recipe.py"], work, dict(os.environ), fails=True).stderr


def run_r(code: str, work: Path, locale: str) -> dict[str, Any]:
    """Run the recipe with Rscript in `work` under `locale`; its data frames and tables, by name."""
    rscript = need_tool("Rscript", "r-base-core")
    (work / "recipe.R").write_text(code + R_EPILOGUE, encoding="utf-8")
    env = {**os.environ, "LANG": locale, "LC_ALL": locale}
    _run([rscript, "--vanilla", "recipe.R"], work, env)
    results: dict[str, Any] = {}
    for name, kind, columns in json.loads((work / f"{RESULTS}.json").read_text(encoding="ascii")):
        frame = {_decode(col): [_decode(v) for v in values] for col, values in columns}
        if kind == "frame":
            results[_decode(name)] = frame
            continue
        counts = frame.pop("Freq")
        keys = list(zip(*frame.values(), strict=True)) if len(frame) > 1 else next(iter(frame.values()))
        results[_decode(name)] = RTable(zip(keys, counts, strict=True))
    return results


def run_python(code: str, work: Path) -> dict[str, Any]:
    """Run the recipe with this test run's Python (pandas from the test extras) in `work`."""
    (work / "recipe.py").write_text(code + PY_EPILOGUE, encoding="utf-8")
    _run([sys.executable, "recipe.py"], work, dict(os.environ))
    with (work / f"{RESULTS}.pickle").open("rb") as handle:
        return pickle.load(handle)


def as_counts(value: Any) -> dict[Any, int]:
    """An R table, pandas Series of counts or crosstab DataFrame as {key: n}, zero cells left out."""
    if isinstance(value, RTable):
        pairs = value.items()
    elif hasattr(value, "stack") and hasattr(value, "columns"):  # crosstab: rows x columns
        pairs = value.stack().items()
    else:
        pairs = value.items()
    return {key: int(n) for key, n in pairs if int(n)}


def as_columns(value: Any) -> dict[str, list[Any]]:
    """A data frame (R's as a dict of columns, or a pandas DataFrame) as {column: values}."""
    if isinstance(value, dict):
        return value
    return {str(c): value[c].tolist() for c in value.columns}
