"""Shared fixtures. Qt runs offscreen; tests never touch the user's real settings or data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point the user data/config folders at a temp dir so tests never read or write real settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    return


@pytest.fixture
def shared_dir() -> Path:
    """The `../shared` folder beside the repo: skipped in a user's clone, required in CI."""
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing but CI is set: CI must provide ../shared")
        pytest.skip(f"{SHARED} not present (only in the project's CI and dev machines)")
    return SHARED
