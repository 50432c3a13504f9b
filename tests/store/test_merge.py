"""Merging coders' projects into a supervisor's project: three coders, idempotence, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.codebook import parse_codebook
from annotator.core.errors import UserError
from annotator.store.engine import Project, open_project
from annotator.store.services import codebooks, documents, spans, status
from annotator.store.services.merge import merge_projects
from tests.store.test_export import CODEBOOK, SPANS, TEXT_A, build_project

SMALL_CODEBOOK = """\
title: Threats
codes:
  - key: threat
    name: Threat
    codable: false
    children:
      - key: threat.military
        name: Military threat
"""


def span_set(project: Project) -> set[tuple]:
    return {(s.uid, s.document, s.coder, s.code_key, s.start, s.end, s.memo) for s in spans.list_spans(project)}


def coder_projects(tmp_path: Path) -> dict[str, Path]:
    """One project per coder, each holding only that coder's spans (as on their own laptops)."""
    return {
        coder: build_project(tmp_path / coder, spans_=[s for s in SPANS if s[1] == coder])
        for coder in ("anna", "boris", "vera")
    }


@pytest.fixture
def supervisor(tmp_path: Path) -> Path:
    """Has a.txt only and a smaller codebook: b.txt and the missing codes must come from the coders."""
    folder = tmp_path / "sup"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    path = folder / "supervisor.db"
    with open_project(path) as p:
        documents.import_files(p, [folder / "a.txt"])
        codebooks.load_codebook(p, parse_codebook(SMALL_CODEBOOK, "small.yaml"))
    return path


def test_three_coder_merge(tmp_path: Path, supervisor: Path) -> None:
    coders = coder_projects(tmp_path)
    expected: set[tuple] = set()
    for path in coders.values():
        with open_project(path) as p:
            expected |= span_set(p)
    assert len(expected) == len(SPANS)
    with open_project(supervisor) as sup:
        report = merge_projects(sup, list(coders.values()))
        assert not report.conflicts
        assert report.spans_added == len(SPANS)
        assert report.documents_added == ["b.txt"]
        assert set(report.codes_added) == {"threat.economic", "other"}
        assert sorted(report.coders_added) == ["anna", "boris", "vera"]
        assert report.backup is not None
        assert report.backup.exists()
        assert span_set(sup) == expected
        assert {d.name for d in documents.list_documents(sup)} == {"a.txt", "b.txt"}
        book = codebooks.get_codebook(sup)
        full = parse_codebook(CODEBOOK, "cb.yaml")
        assert {c.key: c.parent_key for c in book.iter_codes()} == {c.key: c.parent_key for c in full.iter_codes()}
        a_id = documents.find_document(sup, "a.txt").id
        assert status.statuses(sup, "anna")[a_id] == "in_progress"
        # the backup holds the supervisor as it was before the merge
        with open_project(report.backup) as old:
            assert spans.list_spans(old) == []
        # merging the same files again adds nothing
        again = merge_projects(sup, list(coders.values()))
        assert again.spans_added == 0
        assert again.spans_present == len(SPANS)
        assert not again.documents_added
        assert not again.codes_added
        assert not again.conflicts
        assert again.backup is None  # nothing to write, nothing to back up
        assert span_set(sup) == expected


def test_coder_continues_after_merge_is_no_conflict(tmp_path: Path, supervisor: Path) -> None:
    coders = coder_projects(tmp_path)
    with open_project(supervisor) as sup:
        merge_projects(sup, [coders["anna"]])
    with open_project(coders["anna"]) as anna:
        doc = documents.find_document(anna, "b.txt").id
        new = spans.add_span(anna, document_id=doc, acting_coder="anna", code_key="other", start=0, end=6)
    with open_project(supervisor) as sup:
        report = merge_projects(sup, [coders["anna"]])
        assert not report.conflicts
        assert report.spans_added == 1
        assert new.uid in {s.uid for s in spans.list_spans(sup)}


def _diverge(coders: dict[str, Path], supervisor: Path) -> tuple[str, str]:
    """Merge anna, then on her laptop delete one span and add another: both sides now differ."""
    with open_project(supervisor) as sup:
        merge_projects(sup, [coders["anna"]])
    with open_project(coders["anna"]) as anna:
        victim = next(s for s in spans.list_spans(anna) if s.document == "a.txt")
        spans.delete_span(anna, victim.id, acting_coder=victim.coder)
        doc = documents.find_document(anna, "a.txt").id
        added = spans.add_span(anna, document_id=doc, acting_coder="anna", code_key="other", start=1, end=3)
    return victim.uid, added.uid


def test_diverged_coder_is_a_conflict_and_refused(tmp_path: Path, supervisor: Path) -> None:
    coders = coder_projects(tmp_path)
    _victim, _added = _diverge(coders, supervisor)
    with open_project(supervisor) as sup:
        before = span_set(sup)
        with pytest.raises(UserError, match=r"coder 'anna' on 'a.txt'.*\n.*merge refused"):
            merge_projects(sup, [coders["boris"], coders["anna"]])
        assert span_set(sup) == before  # nothing at all, not even boris's spans
        backups = list(supervisor.parent.glob("*.pre-merge-*"))
        assert len(backups) == 1  # only the first merge's


def test_allow_conflicts_adds_theirs_and_keeps_ours(tmp_path: Path, supervisor: Path) -> None:
    coders = coder_projects(tmp_path)
    victim, added = _diverge(coders, supervisor)
    with open_project(supervisor) as sup:
        report = merge_projects(sup, [coders["anna"]], allow_conflicts=True)
        assert len(report.conflicts) == 1
        conflict = report.conflicts[0]
        assert (conflict.coder, conflict.document, conflict.only_here, conflict.only_there) == ("anna", "a.txt", 1, 1)
        assert report.spans_added == 1
        uids = {s.uid for s in spans.list_spans(sup)}
        assert {victim, added} <= uids


def test_edited_span_is_a_conflict(tmp_path: Path, supervisor: Path) -> None:
    coders = coder_projects(tmp_path)
    with open_project(supervisor) as sup:
        merge_projects(sup, [coders["vera"]])
    with open_project(coders["vera"]) as vera:
        moved = spans.list_spans(vera)[0]
        spans.update_span(vera, moved.id, acting_coder=moved.coder, end=moved.end + 1)
    with open_project(supervisor) as sup:
        with pytest.raises(UserError, match="1 span\\(s\\) edited differently"):
            merge_projects(sup, [coders["vera"]])
        report = merge_projects(sup, [coders["vera"]], allow_conflicts=True)
        kept = next(s for s in spans.list_spans(sup) if s.uid == moved.uid)
        assert kept.end == moved.end  # this project's version kept
        assert any("kept this project's version" in n for n in report.notes)


def test_older_copy_is_a_note_not_a_conflict(tmp_path: Path, supervisor: Path) -> None:
    coders = coder_projects(tmp_path)
    with open_project(supervisor) as sup:
        merge_projects(sup, [coders["boris"]])
        doc = documents.find_document(sup, "a.txt").id
        spans.add_span(sup, document_id=doc, acting_coder="boris", code_key="threat.military", start=0, end=2)
        report = merge_projects(sup, [coders["boris"]])
        assert not report.conflicts
        assert any("lacks" in n for n in report.notes)


def test_dry_run_changes_nothing(tmp_path: Path, supervisor: Path) -> None:
    coders = coder_projects(tmp_path)
    with open_project(supervisor) as sup:
        report = merge_projects(sup, list(coders.values()), dry_run=True)
        assert report.spans_added == len(SPANS)
        assert spans.list_spans(sup) == []
        assert len(documents.list_documents(sup)) == 1
    assert not list(supervisor.parent.glob("*.pre-merge-*"))


def test_document_name_clash_is_renamed(tmp_path: Path, supervisor: Path) -> None:
    other_folder = tmp_path / "other"
    other_folder.mkdir()
    (other_folder / "a.txt").write_text("a different text", encoding="utf-8")
    other = other_folder / "other.db"
    with open_project(other) as p:
        documents.import_files(p, [other_folder / "a.txt"])
    with open_project(supervisor) as sup:
        report = merge_projects(sup, [other])
        assert report.documents_added == ["a.txt (from other)"]


def test_refuses_self_and_missing(tmp_path: Path, supervisor: Path) -> None:
    with open_project(supervisor) as sup:
        with pytest.raises(UserError, match="being merged into"):
            merge_projects(sup, [supervisor])
        with pytest.raises(UserError, match="no such project"):
            merge_projects(sup, [tmp_path / "nope.db"])
    assert not (tmp_path / "nope.db").exists()


def test_the_same_span_with_another_memo_is_a_conflict_not_skipped(tmp_path: Path) -> None:
    """Issue 11, item 4: merge skipped a span equal in identity but not in memo (its memo was lost). The
    same coder, code and offsets with another memo is now "edited differently": refused, or with
    allow_conflicts this project's version is kept and the note says so."""
    one = [("a.txt", "anna", "other", "🙂", 2, "here")]
    mine = build_project(tmp_path / "mine", spans_=one)
    theirs = build_project(tmp_path / "theirs", spans_=[(*one[0][:5], "there")])  # another uid, another memo
    with open_project(mine) as target:
        before = span_set(target)
        with pytest.raises(UserError, match="1 span\\(s\\) edited differently"):
            merge_projects(target, [theirs])
        assert span_set(target) == before
        report = merge_projects(target, [theirs], allow_conflicts=True)
        assert report.spans_added == 0
        assert any("kept this project's version of 1 span(s)" in n for n in report.notes)
        assert [s.memo for s in spans.list_spans(target)] == ["here"]
    same = build_project(tmp_path / "same", spans_=one)  # equal in identity and memo: already present
    with open_project(mine) as target:
        report = merge_projects(target, [same])
        assert (report.spans_added, report.spans_present, report.conflicts) == (0, 1, [])
