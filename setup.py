"""Build hook: ship the repository's codebooks/ and resources/ inside the package.

They stay at the repository root (the project's layout; the README and other tools read them there) and
are copied into `annotator/_data/` of every build, so that an installed wheel has its example codebook
and documents too (read with importlib.resources, see annotator/core/bundled.py). Everything else is in
pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("codebooks", "resources")


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "annotator" / "_data"
        for name in BUNDLED:
            source = ROOT / name
            if source.is_dir():  # an sdist carries them too (MANIFEST.in)
                shutil.copytree(source, target / name, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithBundledData})
