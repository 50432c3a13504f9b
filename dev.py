#!/usr/bin/env python3
"""One entry point for newcomers: sets everything up on first use, then does what you ask.

    python3 dev.py app      # set up (first time) and start the coding window on the default project
    python3 dev.py test     # set up (first time) and run the whole test suite
    python3 dev.py bench    # set up (first time) and run the benchmark suite

Setting up = a virtual environment in .venv with annotator and its test tools installed. It is redone
only when pyproject.toml changes, or made again when it is broken (a half-made .venv without pip, left by
a first try on a machine without python3-venv). Needs nothing but python3 (3.10+) with its standard venv
module; the window also needs the Qt runtime libraries (README: "Two commands").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".annotator-setup"


def _say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def _venv_problem() -> str | None:
    """None when .venv has a Python that runs and has pip; else what is wrong with it."""
    if not PY.exists():
        return "it has no python"
    try:
        probe = subprocess.run([str(PY), "-m", "pip", "--version"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"its python does not run ({exc})"
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["pip does not run"])[-1]
        return f"pip does not work there ({last})"
    return None


def setup() -> None:
    """Create .venv and install annotator[test] unless pyproject.toml is unchanged since last time."""
    if sys.version_info < (3, 10):  # noqa: UP036 - dev.py runs under whatever python3 the user has
        sys.exit(f"[dev] annotator needs Python 3.10 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and PY.exists():
        return
    if VENV.exists():
        problem = _venv_problem()
        if problem:
            _say(f"the virtual environment in .venv is broken ({problem}); making it again ...")
            shutil.rmtree(VENV)
    if not VENV.exists():
        _say("creating virtual environment in .venv ...")
        made = subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode == 0
        if not made or _venv_problem():
            shutil.rmtree(VENV, ignore_errors=True)  # never leave a half-made .venv for the next run
            sys.exit(
                "[dev] could not create a virtual environment; on Debian/Ubuntu install it with "
                "'sudo apt-get install python3-venv' and run this again"
            )
    _say("installing annotator and its dependencies (first time takes a minute) ...")
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=False)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command not in ("app", "test", "bench", "setup"):
        print(f"[dev] unknown command {command!r}\n{__doc__}", file=sys.stderr)
        return 2
    setup()
    if command == "setup":
        return 0
    if command == "app":
        return subprocess.call([str(PY), "-m", "annotator", *rest])
    if command == "bench":
        return subprocess.call([str(PY), str(ROOT / "bench" / "run.py"), *rest], cwd=ROOT)
    sources = ["annotator", "tests", "bench", "dev.py"]
    lint = subprocess.call([str(PY), "-m", "ruff", "check", *sources], cwd=ROOT)
    lint = subprocess.call([str(PY), "-m", "ruff", "format", "--check", *sources], cwd=ROOT) or lint
    tests = subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    return tests or lint


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
