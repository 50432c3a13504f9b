"""Schema changes: a project made by the first schema version opens with today's code, nothing lost.

tests/fixtures/project_v1.db was written by schema 0001 (see tests/fixtures/make_project_v1.py) and must
never be regenerated. A second test runs a real later migration (a table-copying batch change of `span`,
made up for the test) to prove the backup-then-migrate path, including a kill in the middle of it.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from annotator.core.span_identity import canonical_uid
from annotator.store.engine import MIGRATIONS, open_project
from annotator.store.services.spans import list_spans
from tests.safety.helpers import assert_clean_error, cli, dump, integrity

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()

MIGRATION_0002 = '''"""test only: rebuild the span table with one more column"""
import time
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "9002"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("span", recreate="always") as batch:
        batch.add_column(sa.Column("weight", sa.Integer(), nullable=True))
    marker = Path(r"{marker}")
    marker.write_text("migrating")
    time.sleep({pause})


def downgrade() -> None:
    with op.batch_alter_table("span", recreate="always") as batch:
        batch.drop_column("weight")
'''

OPEN_WITH = """
import sys
from pathlib import Path
import annotator.store.engine as engine
engine.MIGRATIONS = Path(sys.argv[1])
project = engine.open_project(sys.argv[2])
print(project.backup_made)
project.close()
"""


def _expected() -> list[dict]:
    return json.loads((FIXTURES / "project_v1.expected.json").read_text(encoding="utf-8"))


def _version(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def _check_spans(path: Path) -> None:
    with open_project(path) as project:
        records = {r.uid: r for r in list_spans(project)}
        from annotator.store.services.documents import document_text, find_document

        texts = {e["document"]: document_text(project, find_document(project, e["document"]).id) for e in _expected()}
    assert len(records) == len(_expected())
    for e in _expected():
        r = records[canonical_uid(e["uid"])]  # schema 0002 made the fixture's hand-made ids UUIDs
        assert (r.document, r.coder, r.code_key, r.start, r.end, r.memo) == (
            e["document"],
            e["coder"],
            e["code"],
            e["start"],
            e["end"],
            e["memo"],
        )
        assert texts[e["document"]][r.start : r.end] == e["text"]


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    target = tmp_path / "old project.db"
    shutil.copy(FIXTURES / "project_v1.db", target)
    return target


def test_fixture_is_still_schema_0001() -> None:
    assert _version(FIXTURES / "project_v1.db") == "0001", "the v1 fixture must never be regenerated"


def test_v1_project_opens_with_current_code_without_losing_a_span(v1: Path) -> None:
    result = cli("status", project=v1)
    assert result.returncode == 0, result.stderr
    assert "spans: 8" in result.stdout
    assert _version(v1) == HEAD
    assert integrity(v1) == "ok"
    _check_spans(v1)
    backups = sorted(v1.parent.glob("old project.pre-migration-*.db"))
    if HEAD == "0001":
        assert not backups, "no migration ran, so no backup is needed"
    else:
        assert len(backups) == 1, "a migration ran: a backup must have been written first"
        assert f"backup before migration: {backups[0]}" in result.stderr
        assert _version(backups[0]) == "0001"


def _migrations_with_0002(tmp_path: Path, pause: float) -> tuple[Path, Path]:
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    marker = tmp_path / "migrating.txt"
    (scripts / "versions" / "9002_test_only.py").write_text(
        MIGRATION_0002.format(head=HEAD, marker=marker, pause=pause), encoding="utf-8"
    )
    return scripts, marker


def test_a_later_migration_backs_up_first_and_keeps_every_span(v1: Path, tmp_path: Path) -> None:
    cli("status", project=v1)  # bring it to today's head first
    before = dump(v1)
    scripts, _ = _migrations_with_0002(tmp_path, pause=0)
    run = subprocess.run(
        [sys.executable, "-c", OPEN_WITH, str(scripts), str(v1)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    backup = Path(run.stdout.strip())
    assert backup.parent == v1.parent
    assert backup.name.startswith("old project.pre-migration-")
    assert dump(backup) == before, "the backup is the project exactly as it was before migrating"
    assert _version(v1) == "9002"
    con = sqlite3.connect(v1)
    assert con.execute("SELECT count(*) FROM span").fetchone()[0] == 8
    assert con.execute("SELECT count(*) FROM span WHERE weight IS NULL").fetchone()[0] == 8
    con.close()


def test_killed_during_a_migration_leaves_the_old_project_intact(v1: Path, tmp_path: Path) -> None:
    cli("status", project=v1)
    before = dump(v1)
    scripts, marker = _migrations_with_0002(tmp_path, pause=30)
    proc = subprocess.Popen(
        [sys.executable, "-c", OPEN_WITH, str(scripts), str(v1)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not marker.exists():  # the span table has been copied and dropped inside the transaction
        assert proc.poll() is None, "migration ended early"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert integrity(v1) == "ok"
    assert dump(v1) == before
    _check_spans(v1)  # and today's code still opens it


def test_project_from_a_newer_version_is_refused_clearly(v1: Path) -> None:
    con = sqlite3.connect(v1)
    con.execute("UPDATE alembic_version SET version_num = 'f00dfeed'")
    con.commit()
    con.close()
    before = dump(v1)
    result = cli("status", project=v1)
    assert_clean_error(result)
    assert "newer version of annotator" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(v1) == before
    assert not list(v1.parent.glob("*pre-migration*"))
