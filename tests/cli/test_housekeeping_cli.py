"""`coders rename`, `coders merge`, `documents delete`, `spans delete`, run as commands with a confirmation."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from annotator.store.engine import open_project
from annotator.store.services.coders import list_coders
from annotator.store.services.documents import list_documents
from annotator.store.services.spans import list_spans
from tests.gui.conftest import CODEBOOK
from tests.store.foundation_helpers import REPO, assert_no_traceback, run_cli, stderr_lines, write_csv
from tests.store.test_housekeeping import TEXTS


def annotator(project, *args: str, answer: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command with `answer` typed at its confirmation prompt (None: no input at all)."""
    return subprocess.run(
        [sys.executable, "-m", "annotator", "--project", str(project), *args],
        input=answer if answer is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
    )


@pytest.fixture
def db(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text(CODEBOOK, encoding="utf-8")
    files = []
    for name, text in TEXTS.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    db = tmp_path / "cli.db"
    assert run_cli(db, "codebook", "load", str(book)).returncode == 0
    assert run_cli(db, "import", *files).returncode == 0
    rows = [
        ["speech.txt", "Bob", "threat.terrorism", 11, 23, "mine"],
        ["speech.txt", "bob", "threat.terrorism", 11, 23, "theirs"],
        ["speech.txt", "Bob", "threat.migration", 0, 2, ""],
        ["press.txt", "Bob", "threat.terrorism", 43, 52, ""],
        ["press.txt", "alice", "threat.migration", 21, 38, ""],
    ]
    csv = write_csv(tmp_path / "spans.csv", ["document", "coder", "code", "start", "end", "memo"], rows)
    assert run_cli(db, "spans", "import", str(csv)).returncode == 0
    return db


def backups(db) -> list:
    return sorted(db.parent.glob(f"{db.stem}.pre-*"))


def test_coders_rename_asks_then_renames(db):
    refused = annotator(db, "coders", "rename", "alice", "Alice K.", answer="n\n")
    assert refused.returncode == 1
    assert "Rename coder 'alice' to 'Alice K.'" in refused.stdout
    assert "1 span keep their coder, renamed" in refused.stdout
    assert stderr_lines(refused) == [
        "annotator: not confirmed: nothing changed (answer 'y', or add --yes to rename without asking)"
    ]
    assert backups(db) == []
    done = annotator(db, "coders", "rename", "alice", "Alice K.", answer="y\n")
    assert done.returncode == 0, done.stderr
    [backup] = backups(db)
    assert f"renamed coder 'alice' to 'Alice K.'; backup written: {backup}" in done.stdout
    with open_project(db) as p:
        assert ("Alice K.", 1) in list_coders(p)
    clash = annotator(db, "coders", "rename", "Bob", "bob", "--yes")
    assert clash.returncode == 1
    assert "annotator coders merge Bob --into bob" in clash.stderr
    assert_no_traceback(clash)


def test_coders_merge_folds_identical_spans(db):
    no_input = annotator(db, "coders", "merge", "Bob", "--into", "bob")  # input not answered: nothing changes
    assert no_input.returncode == 1
    assert "not confirmed" in no_input.stderr
    done = annotator(db, "coders", "merge", "Bob", "--into", "bob", "--yes")
    assert done.returncode == 0, done.stderr
    assert "merged coder 'Bob' into 'bob': 2 spans moved, 1 folded into identical ones; backup written:" in done.stdout
    with open_project(db) as p:
        spans = list_spans(p)
        assert {s.coder for s in spans} == {"alice", "bob"}
        assert max(Counter((s.document, s.coder, s.code_key, s.start, s.end) for s in spans).values()) == 1
        assert {s.memo for s in spans if s.start == 11} == {"theirs\n\nmine"}


def test_documents_delete_and_spans_delete(db):
    done = annotator(db, "documents", "delete", "speech.txt", answer="yes\n")
    assert done.returncode == 0, done.stderr
    assert "Delete document 'speech.txt' with its spans" in done.stdout
    assert "2 spans of 'Bob'" in done.stdout
    assert "deleted document 'speech.txt' and its 3 spans; backup written:" in done.stdout
    done = annotator(db, "spans", "delete", "--coder", "Bob", "--documents", "press.txt", "-y")
    assert done.returncode == 0, done.stderr
    assert "deleted 1 spans of 'Bob'" in done.stdout
    with open_project(db) as p:
        assert [d.name for d in list_documents(p)] == ["press.txt"]
        assert [(s.coder, s.document) for s in list_spans(p)] == [("alice", "press.txt")]
    missing = annotator(db, "documents", "delete", "nothing.txt", "-y")
    assert missing.returncode == 1
    assert stderr_lines(missing) == [
        "annotator: no document named 'nothing.txt' in this project; see 'annotator documents list'"
    ]
    assert len(backups(db)) == 2
