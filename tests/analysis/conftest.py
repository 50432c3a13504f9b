"""The exports the analysis tests share: made once per run, never changed (tests work on copies)."""

from __future__ import annotations

import os

import pytest

from tests.analysis import readme
from tests.analysis.export_corpus import SPANS, Export, make_sample_export, make_tricky_export
from tests.conftest import SHARED


@pytest.fixture(scope="package")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Export:
    export = make_tricky_export(tmp_path_factory.mktemp("tricky"), readme.export_command())
    assert len(export.rows) == len(SPANS)
    return export


@pytest.fixture(scope="package")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Export:
    if not SHARED.is_dir():  # the shared_dir fixture's rule; that fixture is function-scoped
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing but CI is set: CI must provide ../shared")
        pytest.skip(f"{SHARED} not present (only in the project's CI and dev machines)")
    return make_sample_export(
        tmp_path_factory.mktemp("sample"), SHARED, readme.worked_example(), readme.export_command()
    )
