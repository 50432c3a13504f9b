"""A merge into a PostgreSQL project backs it up first, on the server, as the README promises.

It used to write nothing and say nothing. The backup is a schema `annotator_pre_merge_<time>` holding a
copy of every table, made in the merge's own transaction; the README's restore steps bring it back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import psycopg2

from annotator.core.codebook import load_codebook_file
from annotator.store.engine import open_project
from annotator.store.services import codebooks, documents, spans
from tests.pg.conftest import PgCluster
from tests.pg.helpers import REPO, THREATS, find, stored, write_texts
from tests.safety.test_schema_upgrade import _migrations_with_0002

OPEN_WITH = """
import sys
from pathlib import Path
import annotator.store.engine as engine
engine.MIGRATIONS = Path(sys.argv[1])
project = engine.open_project(sys.argv[2])
print(project.backup_schema_made)
project.close()
"""


def _cli(url: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", "--project", url, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
    )


def _fill(url: str, folder: Path, coder: str, needle: str) -> None:
    folder.mkdir(exist_ok=True)
    with open_project(url) as project:
        assert not documents.import_files(project, write_texts(folder)).errors
        codebooks.load_codebook(project, load_codebook_file(THREATS), source=str(THREATS))
        start, end = find(stored("cyr.txt"), needle)
        spans.add_span(project, document_id=1, acting_coder=coder, code_key="threat.terrorism", start=start, end=end)


def _rows(dsn: str, sql: str) -> list[tuple]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg2://", "postgresql://")


def _dump(dsn: str) -> dict[str, list[tuple]]:
    tables = ["document", "codebook", "code", "coder", "span", "document_status"]
    return {t: sorted(map(repr, _rows(dsn, f"SELECT * FROM {t}"))) for t in tables}  # type: ignore[misc]


def _readme_restore_sql(schema: str) -> str:
    """The README's restore steps for a PostgreSQL backup, with the schema name filled in."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sql\n(BEGIN;.*?COMMIT;)\n```", readme, re.DOTALL)
    assert block, "the README shows how to restore a PostgreSQL backup"
    return block.group(1).replace("annotator_pre_merge_TIME", schema)


def test_merge_into_postgresql_backs_up_first_and_the_readme_restores_it(pg_url: str, tmp_path: Path) -> None:
    _fill(pg_url, tmp_path / "a", "anna", "терроризма")
    coder = tmp_path / "ben.db"
    _fill(str(coder), tmp_path / "b", "ben", "экстремизма")
    before = _dump(_dsn(pg_url))
    result = _cli(pg_url, "merge", coder)
    assert result.returncode == 0, result.stderr
    match = re.search(r"backup before merging: schema (annotator_pre_merge_\w+) on the server", result.stdout)
    assert match, result.stdout
    schema = match.group(1)
    copied = {name for (name,) in _rows(_dsn(pg_url), f"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}'")}
    assert {"document", "span", "code", "coder", "codebook", "document_status", "alembic_version"} <= copied
    assert _rows(_dsn(pg_url), f'SELECT count(*) FROM "{schema}".span') == [(1,)]
    assert _dump(_dsn(pg_url)) != before
    with psycopg2.connect(_dsn(pg_url)) as conn, conn.cursor() as cur:
        cur.execute(_readme_restore_sql(schema))
    assert _dump(_dsn(pg_url)) == before
    again = _cli(pg_url, "status")  # the restored project opens and can be written to again
    assert again.returncode == 0, again.stderr
    assert "spans: 1" in again.stdout
    assert _cli(pg_url, "merge", coder).returncode == 0


def test_a_merge_without_permission_for_a_backup_changes_nothing(
    pg_cluster: PgCluster, pg_url: str, tmp_path: Path
) -> None:
    _fill(pg_url, tmp_path / "a", "anna", "терроризма")
    coder = tmp_path / "ben.db"
    _fill(str(coder), tmp_path / "b", "ben", "экстремизма")
    pg_cluster.admin("DROP ROLE IF EXISTS merger")
    pg_cluster.admin("CREATE ROLE merger LOGIN")
    with psycopg2.connect(_dsn(pg_url)) as conn, conn.cursor() as cur:  # may write the tables, not create schemas
        cur.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO merger")
        cur.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO merger")
    before = _dump(_dsn(pg_url))
    result = _cli(pg_url.replace("//postgres@", "//merger@"), "merge", coder)
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert "no backup could be made" in line
    assert "nothing changed" in line
    assert _dump(_dsn(pg_url)) == before


def test_a_migration_of_a_postgresql_project_backs_it_up_first(pg_url: str, tmp_path: Path) -> None:
    _fill(pg_url, tmp_path / "a", "anna", "терроризма")
    before = _dump(_dsn(pg_url))
    scripts, _ = _migrations_with_0002(tmp_path, pause=0)
    run = subprocess.run(
        [sys.executable, "-c", OPEN_WITH, str(scripts), pg_url], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    schema = run.stdout.strip()
    assert schema.startswith("annotator_pre_migration_"), schema
    tables = ["document", "codebook", "code", "coder", "span", "document_status"]
    copy = {t: sorted(map(repr, _rows(_dsn(pg_url), f'SELECT * FROM "{schema}".{t}'))) for t in tables}
    assert copy == before
