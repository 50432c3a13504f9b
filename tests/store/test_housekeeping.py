"""Project housekeeping services on a real SQLite project: what they change, their backups, their undo."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.core.codebook import parse_codebook
from annotator.core.errors import UserError
from annotator.store.engine import open_project
from annotator.store.services import housekeeping as hk
from annotator.store.services.codebooks import load_codebook
from annotator.store.services.coders import list_coders
from annotator.store.services.documents import import_files, list_documents
from annotator.store.services.spans import add_span, list_spans
from annotator.store.services.status import set_status, statuses
from tests.gui.conftest import CODEBOOK

TEXTS = {
    "speech": "Мы говорим о терроризме 🇷🇺 и экстремизме.\nThe West and certain states.",
    "press": "A press report about illegal migration and terrorism.",
}


@pytest.fixture
def project(tmp_path):
    p = open_project(tmp_path / "house.db")
    load_codebook(p, parse_codebook(CODEBOOK, "t.yaml"), source="t.yaml")
    for name, text in TEXTS.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
    import_files(p, [tmp_path / "speech.txt", tmp_path / "press.txt"])
    yield p
    p.close()


def doc_ids(project) -> dict[str, int]:
    return {d.name: d.id for d in list_documents(project)}


def snapshot(project):
    return sorted(
        (s.id, s.uid, s.document, s.coder, s.code_key, s.start, s.end, s.memo, s.created_at)
        for s in list_spans(project)
    )


def code(project, doc, coder, key, start, end, memo=""):
    return add_span(project, document_id=doc, acting_coder=coder, code_key=key, start=start, end=end, memo=memo)


def seeded(project):
    ids = doc_ids(project)
    speech, press = ids["speech.txt"], ids["press.txt"]
    code(project, speech, "Bob", "threat.terrorism", 11, 23, "mine")
    code(project, speech, "bob", "threat.terrorism", 11, 23, "theirs")  # the same span: folds
    code(project, speech, "Bob", "threat.migration", 0, 2)
    code(project, speech, "bob", "source.west", 44, 52)
    code(project, press, "Bob", "threat.terrorism", 43, 52, "same")
    code(project, press, "bob", "threat.terrorism", 43, 52, "same")  # identical memos: kept once
    code(project, press, "alice", "threat.migration", 21, 38)
    set_status(project, speech, "Bob", "done")
    set_status(project, speech, "bob", "in_progress")
    set_status(project, press, "Bob", "in_progress")
    return speech, press


def test_rename_coder_keeps_spans_and_writes_a_backup(project, tmp_path):
    seeded(project)
    before = snapshot(project)
    preview = hk.preview_rename_coder(project, "alice", "Alice K.")
    assert preview.title == "Rename coder 'alice' to 'Alice K.'"
    assert preview.lines == ["1 span keep their coder, renamed"]
    backup = hk.rename_coder(project, "alice", "  Alice K. ")
    assert backup is not None
    assert backup.parent == tmp_path
    assert "pre-rename-coder" in backup.name
    with open_project(backup) as old:  # the backup is the project as it was
        assert ("alice", 1) in list_coders(old)
    after = snapshot(project)
    assert [r[3] for r in after].count("Alice K.") == 1
    assert [(r[0], r[1]) for r in after] == [(r[0], r[1]) for r in before]
    hk.rename_coder(project, "Alice K.", "alice", backup=False)  # the window's undo
    assert snapshot(project) == before
    with pytest.raises(UserError, match="exists already; to put both names together use 'annotator coders merge"):
        hk.rename_coder(project, "Bob", "bob")
    with pytest.raises(UserError, match="no coder named 'zed'"):
        hk.rename_coder(project, "zed", "x")
    with pytest.raises(UserError, match="empty"):
        hk.rename_coder(project, "Bob", "  ")
    assert snapshot(project) == before


def test_merge_folds_identical_spans_and_undo_restores_everything(project):
    speech, press = seeded(project)
    before = snapshot(project)
    before_status = (statuses(project, "Bob"), statuses(project, "bob"))
    preview = hk.preview_merge_coders(project, "Bob", "bob")
    assert preview.lines[:2] == [
        "1 span of 'Bob' become 'bob''s",
        "2 spans of 'Bob' that 'bob' has too are folded into 'bob''s (memos joined)",
    ]
    done = hk.merge_coders(project, "Bob", "bob")
    assert done.backup is not None
    assert done.backup.exists()
    spans = list_spans(project)
    assert {s.coder for s in spans} == {"bob", "alice"}
    identities = Counter((s.document_id, s.coder, s.code_key, s.start, s.end) for s in spans)
    assert max(identities.values()) == 1  # span identity stays unique
    memos = {(s.document_id, s.code_key, s.start): s.memo for s in spans if s.coder == "bob"}
    assert memos[(speech, "threat.terrorism", 11)] == "theirs\n\nmine"
    assert memos[(press, "threat.terrorism", 43)] == "same"
    assert memos[(speech, "threat.migration", 0)] == ""  # moved
    assert statuses(project, "bob") == {speech: "done", press: "in_progress"}  # the more advanced kept
    assert "Bob" not in dict(list_coders(project))
    hk.undo_merge_coders(project, done)
    assert snapshot(project) == before
    assert (statuses(project, "Bob"), statuses(project, "bob")) == before_status
    with pytest.raises(UserError, match="same coder"):
        hk.merge_coders(project, "bob", " bob")


def test_delete_document_and_restore(project):
    speech, _press = seeded(project)
    before = snapshot(project)
    docs_before = list_documents(project)
    preview = hk.preview_delete_document(project, "speech.txt")
    assert preview.title == "Delete document 'speech.txt' with its spans"
    assert preview.lines == [
        f"the document 'speech.txt' ({len(TEXTS['speech']):,} characters)",
        "2 spans of 'Bob'",
        "2 spans of 'bob'",
    ]
    gone = hk.delete_document(project, "speech.txt")
    assert gone.backup is not None
    assert [d.name for d in list_documents(project)] == ["press.txt"]
    assert {s.document for s in list_spans(project)} == {"press.txt"}
    assert speech not in statuses(project, "Bob")
    hk.restore_document(project, gone)
    assert snapshot(project) == before
    assert list_documents(project) == docs_before
    assert statuses(project, "Bob")[speech] == "done"
    with pytest.raises(UserError, match=r"no document named 'nothing\.txt'"):
        hk.delete_document(project, "nothing.txt")
    hk.delete_spans(project, "alice", ["press.txt"])
    hk.delete_spans(project, "Bob", ["press.txt"])
    hk.delete_spans(project, "bob", ["press.txt"])
    assert hk.preview_delete_document(project, "press.txt").lines[1:] == ["no spans (nobody coded it)"]


def test_delete_one_coders_spans_and_restore(project):
    speech, _press = seeded(project)
    before = snapshot(project)
    preview = hk.preview_delete_spans(project, "Bob", ["speech.txt", "press.txt"])
    assert preview.title == "Delete 3 spans of 'Bob'"
    assert preview.lines == ["2 spans on 'speech.txt'", "1 span on 'press.txt'"]
    gone = hk.delete_spans(project, "Bob", ["speech.txt"])
    assert len(gone.spans) == 2
    assert [s.coder for s in list_spans(project) if s.document == "speech.txt"] == ["bob", "bob"]
    assert statuses(project, "Bob")[speech] == "done"  # the status stays
    hk.restore_spans(project, gone)
    assert snapshot(project) == before
    with pytest.raises(UserError, match="at least one document"):
        hk.delete_spans(project, "Bob", [])
