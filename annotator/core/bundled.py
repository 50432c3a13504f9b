"""Where the bundled codebooks and example documents are, installed or in a source checkout.

A built wheel carries them inside the package (`annotator/_data/`, copied there by setup.py); a source
checkout or an editable install reads them from the repository root, their home.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_dir(name: str) -> Path:
    """The folder `codebooks` or `resources`, wherever this copy of annotator keeps it."""
    packaged = resources.files("annotator").joinpath("_data", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(str(resources.files("annotator"))).resolve().parent / name


def example_codebook() -> Path:
    return bundled_dir("codebooks") / "threats.yaml"


def example_documents() -> list[Path]:
    return sorted((bundled_dir("resources") / "examples").glob("*.txt"))
