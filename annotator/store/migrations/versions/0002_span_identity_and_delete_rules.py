"""span identity, delete rules, status check, span indexes, uuid span ids

Revision ID: 0002
Revises: 0001

- span ids become canonical (32 hex digits, `canonical_uid`); on PostgreSQL the column is a native uuid;
- spans with the same identity (document, coder, code, start, end) are folded into the oldest one, their
  different memos joined, and a unique index `uq_span_identity` keeps it so;
- ON DELETE rules: deleting a parent code leaves its children at the top (SET NULL); a document, coder
  or code with spans cannot be deleted (RESTRICT);
- a CHECK on document_status.status; an index on span(document_id, start); the single-column indexes
  that a composite one now covers are dropped;
- on PostgreSQL a constraint trigger refuses a span that ends beyond its document's text.

What was changed is reported through `config.attributes["notes"]` (shown by the command and window).
The pre-migration backup is written by the engine before any migration runs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from annotator.core.span_identity import canonical_uid, new_uid

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("not_started", "in_progress", "done")
MEMO_SEPARATOR = "\n\n"


def _note(text: str) -> None:
    context.config.attributes.setdefault("notes", []).append(text)


def _canonical_uids(conn: sa.Connection) -> int:
    """Rewrite span ids that are not 32 lowercase hex digits; a clash gets a fresh id. Returns the count."""
    rows = conn.execute(sa.text("SELECT id, uid FROM span ORDER BY id")).all()
    taken = {uid for _id, uid in rows if canonical_uid(uid) == uid}
    changes = []
    for span_id, uid in rows:
        want = canonical_uid(uid)
        if want == uid:
            continue
        if want in taken:
            want = new_uid()
        taken.add(want)
        changes.append({"id": span_id, "uid": want})
    if changes:
        conn.execute(sa.text("UPDATE span SET uid = :uid WHERE id = :id"), changes)
    return len(changes)


def _fold_duplicates(conn: sa.Connection) -> int:
    """Keep the oldest span of each identity, with the group's distinct memos joined; returns spans removed."""
    rows = conn.execute(
        sa.text(
            'SELECT id, document_id, coder_id, code_id, start, "end", memo FROM span '
            'WHERE (document_id, coder_id, code_id, start, "end") IN ('
            '  SELECT document_id, coder_id, code_id, start, "end" FROM span '
            '  GROUP BY document_id, coder_id, code_id, start, "end" HAVING count(*) > 1) '
            "ORDER BY id"
        )
    ).all()
    groups: dict[tuple[int, int, int, int, int], list[tuple[int, str]]] = {}
    for span_id, doc, coder, code, start, end, memo in rows:
        groups.setdefault((doc, coder, code, start, end), []).append((span_id, memo or ""))
    removed = 0
    for members in groups.values():
        keep = members[0][0]
        ids = [span_id for span_id, _memo in members]
        memo = MEMO_SEPARATOR.join(dict.fromkeys(m for _id, m in members if m))
        conn.execute(
            sa.text(
                "UPDATE span SET memo = :memo, updated_at = (SELECT max(updated_at) FROM span WHERE id IN :ids) "
                "WHERE id = :keep"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"memo": memo, "ids": ids, "keep": keep},
        )
        conn.execute(
            sa.text("DELETE FROM span WHERE id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids[1:]},
        )
        removed += len(ids) - 1
    return removed


def _known_statuses(conn: sa.Connection) -> int:
    """Statuses written by hand outside annotator become 'in_progress' (the CHECK would refuse them)."""
    listed = ", ".join(f"'{s}'" for s in STATUSES)
    return conn.execute(
        sa.text(f"UPDATE document_status SET status = 'in_progress' WHERE status NOT IN ({listed})")
    ).rowcount


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        # Rebuilding `code` drops a table that spans reference; checked at commit instead (see _rebuild_sqlite).
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    renamed = _canonical_uids(conn)
    folded = _fold_duplicates(conn)
    statuses = _known_statuses(conn)
    if conn.dialect.name == "sqlite":
        _rebuild_sqlite(conn)
    else:
        _alter_postgresql(conn)
    if folded:
        _note(
            f"schema upgrade: {folded} duplicate span(s) (same document, coder, code, start and end) folded "
            "into the oldest of each, their memos joined"
        )
    if renamed:
        _note(f"schema upgrade: {renamed} span id(s) rewritten as UUIDs")
    if statuses:
        _note(f"schema upgrade: {statuses} unknown document status(es) set to 'in_progress'")


# -- SQLite: the 12-step table rebuild, inside the migration's transaction ------------------------------

SQLITE_CODE = """CREATE TABLE _new_code (
    id INTEGER NOT NULL,
    codebook_id INTEGER,
    "key" VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    parent_id INTEGER,
    color VARCHAR NOT NULL,
    shortcut VARCHAR,
    description TEXT NOT NULL,
    include JSON NOT NULL,
    exclude JSON NOT NULL,
    examples JSON NOT NULL,
    codable BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(codebook_id) REFERENCES codebook (id),
    FOREIGN KEY(parent_id) REFERENCES code (id) ON DELETE SET NULL
)"""

SQLITE_SPAN = """CREATE TABLE span (
    id INTEGER NOT NULL,
    uid VARCHAR(36) NOT NULL,
    document_id INTEGER NOT NULL,
    coder_id INTEGER NOT NULL,
    code_id INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    memo TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_span_offsets CHECK (start >= 0 AND "end" > start),
    FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE RESTRICT,
    FOREIGN KEY(coder_id) REFERENCES coder (id) ON DELETE RESTRICT,
    FOREIGN KEY(code_id) REFERENCES code (id) ON DELETE RESTRICT
)"""

SQLITE_STATUS = f"""CREATE TABLE document_status (
    id INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    coder_id INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_status_document_coder UNIQUE (document_id, coder_id),
    CONSTRAINT ck_document_status_value CHECK (status IN ({", ".join(f"'{s}'" for s in STATUSES)})),
    FOREIGN KEY(document_id) REFERENCES document (id),
    FOREIGN KEY(coder_id) REFERENCES coder (id)
)"""

SPAN_COLUMNS = 'id, uid, document_id, coder_id, code_id, start, "end", memo, created_at, updated_at'
STATUS_COLUMNS = "id, document_id, coder_id, status, updated_at"
INDEXES = (
    'CREATE UNIQUE INDEX ix_code_key ON code ("key")',
    "CREATE UNIQUE INDEX ix_span_uid ON span (uid)",
    "CREATE INDEX ix_span_coder_id ON span (coder_id)",
    "CREATE INDEX ix_span_code_id ON span (code_id)",
    'CREATE UNIQUE INDEX uq_span_identity ON span (document_id, coder_id, code_id, start, "end")',
    "CREATE INDEX ix_span_document_start ON span (document_id, start)",
    "CREATE INDEX ix_document_status_coder_id ON document_status (coder_id)",
)


def _rebuild_sqlite(conn: sa.Connection) -> None:
    """New table definitions (SQLite cannot alter constraints), without turning foreign keys off.

    `PRAGMA foreign_keys` cannot change inside a transaction, and dropping `code` while `span` rows
    point at it would count as violations that re-creating it does not undo. So `span` and
    `document_status` are parked in temporary tables first, `code` is rebuilt while nothing refers to
    it, then both come back; `foreign_key_check` proves every reference still holds before commit.
    """
    run = conn.exec_driver_sql
    run(f"CREATE TEMP TABLE _old_span AS SELECT {SPAN_COLUMNS} FROM span")
    run(f"CREATE TEMP TABLE _old_status AS SELECT {STATUS_COLUMNS} FROM document_status")
    run("DROP TABLE span")
    run("DROP TABLE document_status")
    run(SQLITE_CODE)
    run("INSERT INTO _new_code SELECT * FROM code")
    run("DROP TABLE code")
    run("ALTER TABLE _new_code RENAME TO code")
    run(SQLITE_SPAN)
    run(f"INSERT INTO span ({SPAN_COLUMNS}) SELECT {SPAN_COLUMNS} FROM _old_span")
    run(SQLITE_STATUS)
    run(f"INSERT INTO document_status ({STATUS_COLUMNS}) SELECT {STATUS_COLUMNS} FROM _old_status")
    run("DROP TABLE _old_span")
    run("DROP TABLE _old_status")
    for sql in INDEXES:
        run(sql)
    broken = run("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"schema upgrade stopped: {len(broken)} broken reference(s), first {broken[0]}")


# -- PostgreSQL: plain ALTERs, and the trigger that keeps spans inside their document -------------------

PG_TRIGGER = """
CREATE FUNCTION annotator_span_within_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    length integer;
BEGIN
    SELECT char_length(text) INTO length FROM document WHERE id = NEW.document_id;
    IF NEW."end" > length THEN
        RAISE EXCEPTION 'span % ends at %, beyond the end of its document (% characters)',
            NEW.uid, NEW."end", length
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_span_within_document';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ck_span_within_document
    AFTER INSERT OR UPDATE OF document_id, start, "end" ON span
    FOR EACH ROW EXECUTE FUNCTION annotator_span_within_document();
"""


def _alter_postgresql(conn: sa.Connection) -> None:
    inspector = sa.inspect(conn)
    rules = {
        ("code", "parent_id"): ("code", "SET NULL"),
        ("span", "document_id"): ("document", "RESTRICT"),
        ("span", "coder_id"): ("coder", "RESTRICT"),
        ("span", "code_id"): ("code", "RESTRICT"),
    }
    for (table, column), (parent, rule) in rules.items():
        for fk in inspector.get_foreign_keys(table):
            if fk["constrained_columns"] == [column] and fk["name"]:
                op.drop_constraint(fk["name"], table, type_="foreignkey")
        op.create_foreign_key(f"fk_{table}_{column}", table, parent, [column], ["id"], ondelete=rule)
    op.execute("ALTER TABLE span ALTER COLUMN uid TYPE uuid USING uid::uuid")
    op.drop_index("ix_span_document_id", table_name="span")
    op.drop_index("ix_span_document_coder", table_name="span")
    op.drop_index("ix_document_status_document_id", table_name="document_status")
    op.create_index("uq_span_identity", "span", ["document_id", "coder_id", "code_id", "start", "end"], unique=True)
    op.create_index("ix_span_document_start", "span", ["document_id", "start"])
    op.create_check_constraint(
        "ck_document_status_value", "document_status", "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")"
    )
    outside = conn.execute(
        sa.text(
            'SELECT count(*) FROM span s JOIN document d ON d.id = s.document_id WHERE s."end" > char_length(d.text)'
        )
    ).scalar_one()
    if outside:
        _note(
            f"schema upgrade: {outside} span(s) end beyond their document's text (edited outside annotator); "
            "they are kept, and REFI-QDA exports leave them out"
        )
    op.execute(PG_TRIGGER)


def downgrade() -> None:
    raise NotImplementedError(
        "0002 folds duplicate spans and rewrites span ids; restore the pre-migration backup instead"
    )
