"""`python3 dev.py` on a bare machine: a half-made .venv (no pip) is detected and made again.

On Debian without python3-venv the first try leaves a .venv with a python but no pip, and every rerun
used to crash with "No module named pip". Run here on a copy of dev.py with a one-module project.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "devsetup-probe"
version = "0.0.1"

[project.optional-dependencies]
test = []

[tool.setuptools]
py-modules = ["probe"]
"""


def _dev(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(folder / "dev.py"), *args], cwd=folder, capture_output=True, text=True, timeout=600
    )


def test_a_half_made_venv_is_made_again(tmp_path: Path) -> None:
    shutil.copy(REPO / "dev.py", tmp_path / "dev.py")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "probe.py").write_text("ANSWER = 42\n", encoding="utf-8")
    venv = tmp_path / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    assert subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True).returncode != 0

    first = _dev(tmp_path, "setup")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stderr
    assert "is broken (pip does not work there" in first.stdout, first.stdout
    assert subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True).returncode == 0
    works = subprocess.run([str(python), "-c", "import probe; print(probe.ANSWER)"], capture_output=True, text=True)
    assert works.stdout.strip() == "42", works.stderr

    again = _dev(tmp_path, "setup")  # set up and unchanged: nothing is redone
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""


def test_ci_installs_the_packages_the_readme_names() -> None:
    """The README's one apt-get line for the window and .ci/run's list are the same packages."""
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [line] = [ln for ln in readme.splitlines() if ln.startswith("sudo apt-get install -y python3-venv")]
    named = set(line.split()[4:])
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    listed = re.search(r'QT_RUNTIME_PACKAGES="(.*?)"', ci, re.DOTALL)
    assert listed, "the CI script lists the Qt runtime packages"
    assert set(listed.group(1).replace("\\\n", " ").split()) == named
    assert {"libegl1", "libgl1", "libfontconfig1", "libxkbcommon0", "libx11-xcb1", "libxcb-cursor0"} <= named
    assert re.search(r"^export CI=true$", ci, re.MULTILINE)
