"""The bundled example: the threats codebook and the example documents shipped with the repository."""

from __future__ import annotations

from annotator.core.bundled import example_codebook, example_documents
from annotator.core.codebook import load_codebook_file
from annotator.store.engine import Project
from annotator.store.services.codebooks import load_codebook
from annotator.store.services.documents import ImportReport, import_files


def example_available() -> bool:
    return example_codebook().is_file() and bool(example_documents())


def load_example(project: Project) -> ImportReport:
    """Load the example codebook (merged into any existing one) and import the example documents."""
    book = load_codebook_file(example_codebook())
    load_codebook(project, book, source=str(example_codebook()), merge=True)
    return import_files(project, example_documents(), attributes={"collection": "bundled example"})
