"""The layering the project promises: no Qt in core, store or the CLI (except `gui`), no SQL in core."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import textwrap
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

_PROBE = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class Block:
        # Any import of these packages fails, as on a machine without them.
        def __init__(self, names): self.names = names
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in self.names:
                raise ImportError(f"blocked import of {name}")
            return None

    sys.meta_path.insert(0, Block(set(sys.argv[2].split(","))))
    import annotator
    pkg = importlib.import_module(sys.argv[1])
    names = [pkg.__name__] + [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
    for name in names:
        if ".migrations" in name:  # Alembic scripts run only inside Alembic
            continue
        importlib.import_module(name)
    print(len(names))
    """
)


def _import_all(package: str, blocked: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _PROBE, package, blocked], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_core_imports_neither_qt_nor_database():
    result = _import_all("annotator.core", "PySide6,sqlalchemy,sqlmodel,alembic")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 10


def test_store_imports_no_qt():
    result = _import_all("annotator.store", "PySide6")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 5


def test_cli_works_without_qt():
    """Every CLI module imports, and a headless command runs, with PySide6 unavailable."""
    result = _import_all("annotator.cli", "PySide6")
    assert result.returncode == 0, result.stderr
    probe = (
        "import sys\n"
        "class B:\n"
        "    def find_spec(self, n, p=None, t=None):\n"
        "        if n.split('.')[0] == 'PySide6': raise ImportError(n)\n"
        "sys.meta_path.insert(0, B())\n"
        "from annotator.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, "codebook", "check", "codebooks/threats.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "OK" in run.stdout


MAX_MODULE_LINES = 500
PACKAGE = REPO / "annotator"


def test_no_module_over_500_lines():
    """Small modules with one job each: every module of the package, in every room added later too."""
    sizes = {
        p.relative_to(REPO).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 50
    too_long = {path: n for path, n in sizes.items() if n > MAX_MODULE_LINES}
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines (split them by job): {too_long}"


def test_own_modules_are_imported_directly():
    """No import_module/__import__ of annotator modules: a missing or broken module fails here, it is not
    skipped at run time."""
    offenders = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in ("import_module", "__import__"):
                continue
            target = node.args[0]
            # Another package's optional or private module (xlsxwriter, re._parser) may be loaded by a
            # literal name; an own module, or a name computed at run time, may not.
            if not (isinstance(target, ast.Constant) and not str(target.value).startswith("annotator")):
                offenders.add(path.relative_to(REPO).as_posix())
    assert offenders == set()


def test_every_gui_module_imports():
    result = _import_all("annotator.gui", "")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 25


_TIMING = re.compile(r"\d[\d,.]*\s*(?:ms|µs|us|ns|s|sec|seconds?|minutes?)\b")


def _docstrings_and_comments(path: Path) -> Iterator[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield (node.body[0].lineno, doc)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield (token.start[0], token.string)


def test_docstrings_and_comments_carry_no_timings():
    """Measured times go stale: they live in the README's benchmark table, not in the code."""
    found = [
        f"{path.relative_to(REPO).as_posix()}:{line}: {m.group(0)!r}"
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        for line, text in _docstrings_and_comments(path)
        for m in _TIMING.finditer(text)
    ]
    assert not found, found


def test_a_broken_command_module_fails_the_command_line():
    """The command modules are imported directly: if one is broken, `annotator` fails loudly."""
    probe = (
        "import sys\n"
        "class Broken:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'annotator.cli.exchange': raise SyntaxError('broken on purpose')\n"
        "sys.meta_path.insert(0, Broken())\n"
        "from annotator.cli.main import main\n"
        "sys.exit(main(['--help']))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "broken on purpose" in run.stderr
    assert "usage:" not in run.stdout, "the CLI must not start with some of its commands missing"


def test_no_merge_conflict_markers_anywhere():
    """A merge left half-done must not land: no tracked text file holds a conflict marker."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=False).stdout.decode(
        "utf-8", "surrogateescape"
    )
    files = [REPO / name for name in tracked.split("\0") if name]
    if not files:
        pytest.skip("not a git checkout (a source archive): nothing to check")
    markers = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)
    found = []
    for path in files:
        if not path.is_file() or path.suffix in {".png", ".pdf", ".docx", ".qdpx", ".db", ".xlsx", ".zip"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{path.relative_to(REPO)}:{text.count(chr(10), 0, m.start()) + 1}" for m in markers.finditer(text)]
    assert not found, found
