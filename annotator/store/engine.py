"""Opening a project: one engine per project, SQLite pragmas, migrations on open, and transactions.

`Project.write()` is the one place that opens a write transaction. On SQLite it starts with
`BEGIN IMMEDIATE`, so two processes writing the same file queue on the write lock instead of failing
halfway through a transaction; while waiting, `on_busy` is told once ("project busy, retrying") and the
wait goes on up to `busy_wait_seconds` before a clear `ProjectBusy` error. On PostgreSQL, write
transactions queue the same way on one transaction-scoped advisory lock, and every connection works in
UTC (the timestamp columns hold naive UTC times).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError
from sqlmodel import Session, create_engine

from annotator.core.errors import UserError
from annotator.core.secrets import redact
from annotator.store.backup import backup_schema, backup_sqlite, restore_hint
from annotator.store.paths import project_url

MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_SLICE_MS = 1000
# Page size of NEW project files (existing files keep theirs: SQLite fixes it when the file is created).
# 32 KB instead of SQLite's 4 KB: a ~10 KB document fits in one page instead of a chain of overflow
# pages, so importing 1,000 documents writes about half the bytes and stays under the WAL's
# 1,000-page autocheckpoint; a one-span write costs the same (measured with bench/run.py).
NEW_PROJECT_PAGE_SIZE = 32_768
# Key of the PostgreSQL advisory lock that write transactions queue on (any constant; "annotatr").
_PG_WRITE_LOCK = 0x616E6E6F74617472


class ProjectBusy(UserError):  # noqa: N818 (public name, kept)
    """Another process held the project's write lock for longer than we were willing to wait."""


def _alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


class Project:
    """An open project. Create with `open_project`; close with `close()` (or use as a context manager)."""

    def __init__(
        self, url: str, *, on_busy: Callable[[str], None] | None = None, busy_wait_seconds: float = 120.0
    ) -> None:
        self.url = url
        self.on_busy = on_busy
        self.busy_wait_seconds = busy_wait_seconds
        try:
            parsed = make_url(url)
        except (ArgumentError, ValueError) as exc:  # e.g. a port that is not a number
            raise UserError(
                f"--project {redact(url)}: not a usable database URL ({redact(str(exc))}); use a file path, "
                "sqlite:///path or postgresql+psycopg2://user@host:port/database"
            ) from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.is_postgresql = parsed.get_backend_name() == "postgresql"
        self.path: Path | None = Path(parsed.database) if self.is_sqlite and parsed.database else None
        if self.path is not None:
            if not self.path.parent.is_dir():
                raise UserError(f"{self.path}: folder {self.path.parent} does not exist")
            if self.path.is_dir():
                raise UserError(f"{self.path}: is a folder, not a project file")
            _check_sqlite_header(self.path)
        if self.is_sqlite:
            self.engine: Engine = create_engine(parsed, connect_args={"timeout": _LOCK_SLICE_MS / 1000})
            self._install_sqlite_hooks()
        elif self.is_postgresql and parsed.get_driver_name() == "psycopg2":
            from annotator.store import pg  # psycopg2 is an optional extra

            target, connect_args = pg.prepare(parsed)
            # pre-ping: a window open across a server restart gets a fresh connection, not an error
            self.engine = create_engine(target, connect_args=connect_args, pool_pre_ping=True)
            pg.install(self.engine)
            self._install_postgresql_hooks()
        else:
            self.engine = create_engine(parsed, pool_pre_ping=self.is_postgresql)
            if self.is_postgresql:
                self._install_postgresql_hooks()
        self.backup_made: Path | None = None
        self.backup_schema_made: str | None = None  # PostgreSQL: the schema holding the pre-migration copy
        self.migration_notes: list[str] = []  # what an upgrade changed beyond the schema (from the migrations)
        try:
            self._migrate()
        except OperationalError as exc:
            self.engine.dispose()
            if _is_locked(exc):
                raise ProjectBusy(
                    f"{self.display_name}: project busy (another program is writing to it); try again in a moment"
                ) from None
            # one line: libpq's messages end in a newline and may carry DETAIL/HINT lines
            raise UserError(f"{self.display_name}: cannot open project ({' '.join(str(exc.orig).split())})") from None
        except DatabaseError as exc:  # "database disk image is malformed", "file is not a database", ...
            self.engine.dispose()
            detail = " ".join(str(exc.orig).split())
            if not self.is_sqlite:  # a server's error (permissions, ...) says nothing about a damaged file
                raise UserError(f"{self.display_name}: cannot open project ({detail})") from None
            hint = self._restore_hint()
            raise UserError(f"{self.display_name}: the project file is damaged ({detail}); {hint}") from None
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string(hide_password=True)

    # -- SQLite specifics -------------------------------------------------------------------------
    def _install_sqlite_hooks(self) -> None:
        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling defers it).
            dbapi_connection.isolation_level = None
            cur = dbapi_connection.cursor()
            # Only an empty file takes a page size, and only before journal_mode=WAL writes its header.
            if cur.execute("PRAGMA page_count").fetchone()[0] == 0:
                cur.execute(f"PRAGMA page_size={NEW_PROJECT_PAGE_SIZE}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            # FULL: a committed transaction survives a power cut too, not only a crash of this program.
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute(f"PRAGMA busy_timeout={_LOCK_SLICE_MS}")
            cur.close()

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn: Connection) -> None:
            immediate = conn.get_execution_options().get("annotator_write", False)
            if not immediate:
                conn.exec_driver_sql("BEGIN")
                return
            deadline = time.monotonic() + self.busy_wait_seconds
            told = False
            while True:
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                    return
                except OperationalError as exc:
                    if not _is_locked(exc) or time.monotonic() > deadline:
                        if _is_locked(exc):
                            raise ProjectBusy(
                                f"{self.display_name}: project busy for over {self.busy_wait_seconds:.0f} s "
                                "(another program keeps writing to it); try again later"
                            ) from None
                        raise
                    if not told and self.on_busy:
                        self.on_busy(f"{self.display_name}: project busy, retrying...")
                        told = True

    # -- PostgreSQL specifics ---------------------------------------------------------------------
    def _install_postgresql_hooks(self) -> None:
        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # The DateTime columns are 'timestamp without time zone' holding UTC; in a server or database
            # set to another zone the driver's aware datetimes would be stored shifted by that zone.
            cur = dbapi_connection.cursor()
            cur.execute("SET TIME ZONE 'UTC'")
            cur.close()
            dbapi_connection.commit()  # a SET inside a transaction rolled back by the pool would not stay

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # Writers queue like BEGIN IMMEDIATE on SQLite: the services' read-check-insert steps (coder
            # by name, status rows, duplicate spans, first migration) cannot interleave and fail halfway
            # with a unique violation. The lock is released at commit or rollback.
            if not conn.get_execution_options().get("annotator_write", False):
                return
            sql = f"SELECT pg_try_advisory_xact_lock({_PG_WRITE_LOCK})"
            deadline = time.monotonic() + self.busy_wait_seconds
            told = False
            while not conn.exec_driver_sql(sql).scalar():
                if time.monotonic() > deadline:
                    raise ProjectBusy(
                        f"{self.display_name}: project busy for over {self.busy_wait_seconds:.0f} s "
                        "(another program keeps writing to it); try again later"
                    )
                if not told and self.on_busy:
                    self.on_busy(f"{self.display_name}: project busy, retrying...")
                    told = True
                time.sleep(0.02)

    # -- migrations -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        script = ScriptDirectory(str(MIGRATIONS))
        head = script.get_current_head()
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            foreign = (
                current is None
                and conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'table'").scalar()
                if self.is_sqlite
                else False
            )
        if current == head:
            return
        if foreign:  # another program's database: never add our tables to it
            raise UserError(
                f"{self.display_name}: a SQLite database of another program, not an annotator "
                "project; pass another --project or a new file name to create one"
            )
        if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
            raise UserError(
                f"{self.display_name}: made by a newer version of annotator (schema {current}); "
                "update annotator to open it"
            )
        # Only a project that already has a schema is backed up (a new or empty file has nothing to lose).
        if current is not None and self.path is not None:
            self.backup_made = backup_sqlite(self.path, "pre-migration")
        with self.engine.connect().execution_options(annotator_write=True) as conn:
            config = _alembic_config(conn)
            if current is not None and self.is_postgresql:  # in the migration's transaction
                self.backup_schema_made = backup_schema(conn, "pre-migration")
            command.upgrade(config, "head")
            conn.commit()
        self.migration_notes = list(config.attributes.get("notes", []))

    # -- sessions ---------------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Session]:
        """One user action = one transaction: committed on success, rolled back on any error."""
        at_commit = False
        try:
            with (
                self.engine.connect().execution_options(annotator_write=True) as conn,
                Session(bind=conn, expire_on_commit=False) as session,
            ):
                try:
                    yield session
                    at_commit = True
                    session.commit()
                except BaseException:
                    with suppress(DBAPIError):  # a lost connection cannot roll back; the server does
                        session.rollback()
                    raise
        except DBAPIError as exc:
            raise self._user_error(exc, writing=True, at_commit=at_commit) from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (WAL readers never block writers)."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except DBAPIError as exc:
            raise self._user_error(exc, writing=False, at_commit=False) from None

    def _user_error(self, exc: DBAPIError, *, writing: bool, at_commit: bool) -> BaseException:
        """A damaged SQLite file or any PostgreSQL error as one line; anything else stays as it is."""
        if self.is_postgresql and self.engine.dialect.driver == "psycopg2":
            from annotator.store import pg

            return pg.user_error(exc, self.display_name, writing=writing, at_commit=at_commit)
        if isinstance(exc, DatabaseError):
            damaged = self._damaged(exc)
            if damaged:
                return damaged
        return exc

    def _damaged(self, exc: DatabaseError) -> UserError | None:
        """A clear message for a damaged file (instead of 'database disk image is malformed' as a crash)."""
        text = str(exc.orig).lower()
        if "malformed" in text or "not a database" in text or "disk i/o error" in text:
            detail = " ".join(str(exc.orig).split())
            return UserError(f"{self.display_name}: the project file is damaged ({detail}); {self._restore_hint()}")
        return None

    def _restore_hint(self) -> str:
        return restore_hint(self.path) if self.path is not None else "restore it from your server's backups"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_sqlite_header(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        raise UserError(
            f"{path}: not an annotator project (not a SQLite database); "
            "pass another --project or a new file name to create one"
        )


def open_project(project: str | Path | None = None, **kwargs: object) -> Project:
    """Open (creating and migrating as needed) the project at a path, URL, or the default location."""
    return Project(project_url(project), **kwargs)  # type: ignore[arg-type]
