"""A password in `--project postgresql+psycopg2://user:PW@...` is never shown, logged or saved.

It used to go into crash.log (created 0644) with the command line, and the user was asked to send it.
The cluster trusts local connections, so the password is accepted and ignored: every command really runs.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.core.codebook import load_codebook_file
from annotator.store.engine import open_project
from annotator.store.services import codebooks, documents
from tests.pg.conftest import PG_USER, PgCluster
from tests.pg.helpers import REPO, THREATS, write_texts

SECRET = "Zq7-hunter2-Pw9"


def _url(cluster: PgCluster, database: str) -> str:
    return f"postgresql+psycopg2://{PG_USER}:{SECRET}@127.0.0.1:{cluster.port}/{database}"


def _cli(url: str, *args: str | Path, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"ANNOTATOR_DATA_DIR": str(data)} if data else {})}
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", url, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
        env=env,
        preexec_fn=lambda: os.umask(0o022),  # the usual umask: files would be world-readable by default
    )
    assert SECRET not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


@pytest.fixture
def filled(pg_cluster: PgCluster, tmp_path: Path) -> str:
    url = _url(pg_cluster, pg_cluster.new_database("secret").rsplit("/", 1)[1])
    with open_project(url) as project:
        assert not documents.import_files(project, write_texts(tmp_path)).errors
        codebooks.load_codebook(project, load_codebook_file(THREATS), source=str(THREATS))
    return url


def test_an_internal_error_logs_no_password_in_an_owner_only_crash_log(filled: str, tmp_path: Path) -> None:
    import psycopg2

    dsn = filled.replace("postgresql+psycopg2://", "postgresql://")
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:  # data damaged by another tool
        cur.execute("""UPDATE document SET attributes = '["not", "a", "mapping"]' WHERE id = 1""")
    data = tmp_path / "data"
    result = _cli(filled, "documents", "list", data=data)
    assert result.returncode == 2, result.stderr
    assert "internal error" in result.stderr
    log = data / "crash.log"
    assert str(log) in result.stderr
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text
    assert SECRET not in text
    assert f"{PG_USER}:***@127.0.0.1" in text, "the command line is logged, its password masked"
    log.chmod(0o644)  # an old log made before this fix is made owner-only by the next crash
    _cli(filled, "documents", "list", data=data)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert SECRET not in log.read_text(encoding="utf-8")


def test_messages_never_show_the_password(pg_cluster: PgCluster, filled: str, tmp_path: Path) -> None:
    unreachable = f"postgresql+psycopg2://{PG_USER}:{SECRET}@127.0.0.1:1/x"
    no_port = f"postgresql+psycopg2://{PG_USER}:{SECRET}@127.0.0.1:notaport/x"
    no_database = _url(pg_cluster, "no_such_database")
    for url, args in [
        (unreachable, ["status"]),
        (no_port, ["status"]),
        (no_database, ["status"]),
        (filled, ["backup"]),
        (filled, ["export", "csv", str(tmp_path / "missing" / "x.csv")]),
    ]:
        result = _cli(url, *args)  # asserts the password is in neither stdout nor stderr
        assert result.returncode == 1, (url, args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    status = _cli(filled, "status")
    assert status.returncode == 0, status.stderr
    assert f"{PG_USER}:***@127.0.0.1" in status.stdout


def test_exported_files_hold_no_password(filled: str, tmp_path: Path) -> None:
    outputs = {
        "csv": tmp_path / "spans.csv",
        "jsonl": tmp_path / "spans.jsonl",
        "qdpx": tmp_path / "p.qdpx",
        "qdc": tmp_path / "book.qdc",
        "codebook": tmp_path / "book.yaml",
    }
    for kind, out in outputs.items():
        result = _cli(filled, "export", kind, out)
        assert result.returncode == 0, result.stderr
        data = out.read_bytes()
        assert SECRET.encode() not in data, kind
    with zipfile.ZipFile(outputs["qdpx"]) as archive:
        for member in archive.namelist():
            assert SECRET.encode() not in archive.read(member), member


def test_the_window_shows_and_saves_no_password(filled: str, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui import app as gui_app
    from annotator.gui.coding.help_dialogs import about_text
    from annotator.gui.coding.main_window import MainWindow

    gui_app.remember_secrets_in(filled)
    settings_file = tmp_path / "settings.ini"
    project = open_project(filled)
    window = MainWindow(project, coder="anna", settings=QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.open_first_document()
    shown: list[str] = []
    old = sys.excepthook
    try:
        hook = gui_app.install_excepthook(show=shown.append)
        try:
            raise RuntimeError(f"could not reach {filled}")
        except RuntimeError as exc:
            hook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old
    seen = [window.windowTitle(), window.statusBar().currentMessage(), about_text(window), *shown]
    window.close()
    project.close()
    assert all(SECRET not in text for text in seen), seen
    assert "***" in shown[0]
    assert SECRET not in settings_file.read_text(encoding="utf-8")
    assert SECRET not in gui_app.crash_log_path().read_text(encoding="utf-8")
