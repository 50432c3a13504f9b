"""annotator.store.services.agreement: selection loading, name validation, computation."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.agreement import span_agreement
from annotator.core.codebook import parse_codebook
from annotator.core.errors import UserError
from annotator.store.engine import open_project
from annotator.store.services import agreement as service
from annotator.store.services.codebooks import load_codebook
from annotator.store.services.documents import import_files
from annotator.store.services.spans import add_span

BOOK = """\
title: Service test
codes:
  - key: threat
    name: Threat
    codable: false
    children:
      - key: terror
        name: Terrorism
      - key: migration
        name: Migration
  - key: unused
    name: Unused
"""
TEXTS = {
    "b_first.txt": "We face terrorism and illegal migration. Certain states interfere.\n",
    "a_second.txt": "Another text about terrorism. And about migration too.\n",
}


@pytest.fixture
def project(tmp_path: Path):
    p = open_project(tmp_path / "p.db")
    load_codebook(p, parse_codebook(BOOK, "book.yaml"), source="book.yaml")
    ids = {}
    for name, text in TEXTS.items():  # imported in this order: b_first before a_second
        (tmp_path / name).write_text(text, encoding="utf-8")
        ids[name] = import_files(p, [tmp_path / name]).imported[0].id
    b, a = ids["b_first.txt"], ids["a_second.txt"]
    for coder, doc, code, s, e in [
        ("anna", b, "terror", 8, 17),
        ("ben", b, "terror", 8, 17),
        ("anna", b, "migration", 22, 39),
        ("ben", b, "migration", 30, 39),
        ("anna", a, "terror", 19, 28),
        ("cleo", a, "terror", 19, 28),
    ]:
        add_span(p, document_id=doc, acting_coder=coder, code_key=code, start=s, end=e)
    yield p
    p.close()


def test_choices(project):
    ch = service.choices(project)
    assert ch.coders == [("anna", 3), ("ben", 2), ("cleo", 1)]
    assert [n for _i, n in ch.documents] == ["b_first.txt", "a_second.txt"]
    assert [(k, codable, used) for k, _n, codable, used in ch.codes] == [
        ("threat", False, 0),
        ("terror", True, 4),
        ("migration", True, 2),
        ("unused", True, 0),
    ]
    assert service.default_codes(ch) == ["terror", "migration", "unused"]


def test_selection_in_document_order_with_texts_and_filtered_spans(project):
    sel = service.load_selection(project, ["ben", "anna"], service.ALL)
    assert sel.coders == ["ben", "anna"]
    assert [n for n, _t in sel.documents] == ["b_first.txt", "a_second.txt"]
    assert dict(sel.documents) == TEXTS
    assert sel.codes == ["terror", "migration", "unused"]
    assert sel.code_names["terror"] == "Terrorism"
    assert {(s.coder, s.document, s.code_key) for s in sel.spans} == {
        ("anna", "b_first.txt", "terror"),
        ("ben", "b_first.txt", "terror"),
        ("anna", "b_first.txt", "migration"),
        ("ben", "b_first.txt", "migration"),
        ("anna", "a_second.txt", "terror"),
    }
    picked = service.load_selection(project, ["anna", "cleo"], ["a_second.txt", "b_first.txt"], ["terror"])
    assert [n for n, _t in picked.documents] == ["b_first.txt", "a_second.txt"]  # project order
    assert {s.code_key for s in picked.spans} == {"terror"}
    assert {s.coder for s in picked.spans} == {"anna", "cleo"}
    only = service.load_selection(project, ["anna", "cleo"], ["a_second.txt"])
    assert {s.document for s in only.spans} == {"a_second.txt"}


def test_unknown_names_are_all_listed(project):
    with pytest.raises(UserError) as err:
        service.load_selection(project, ["anna", "zed", "yan"], ["nope.txt"], ["terror", "bogus"])
    text = str(err.value)
    for part in (
        "unknown coder(s) zed, yan",
        "known: anna, ben, cleo",
        "unknown document(s) nope.txt",
        "unknown code(s) bogus",
    ):
        assert part in text
    assert len(text.splitlines()) == 3
    with pytest.raises(UserError, match="groupings"):
        service.load_selection(project, ["anna", "ben"], None, ["threat"])
    with pytest.raises(UserError, match="coders to compare"):
        service.load_selection(project, [])


def test_empty_project_says_what_to_do(tmp_path):
    with open_project(tmp_path / "empty.db") as p, pytest.raises(UserError, match="no documents"):
        service.load_selection(p, ["anna"])


def test_compute_is_span_agreement_on_the_selection(project):
    sel = service.load_selection(project, ["anna", "ben"], service.ALL)
    res = service.compute(sel, bootstrap=30, seed=5)
    direct = span_agreement(sel.documents, sel.spans, sel.coders, sel.codes, bootstrap=30, seed=5, parents=sel.parents)
    assert res["alpha_u"]["per_parent"] == {"threat": direct["alpha_u"]["per_parent"]["threat"]}
    assert res["alpha_u"] == direct["alpha_u"]
    assert res["f1_overlap"] == direct["f1_overlap"]
    assert res["merged"] is True
    assert res["code_names"]["migration"] == "Migration"
    assert res["alpha_u"]["per_code"]["unused"] is None
    with pytest.raises(UserError, match="bootstrap"):
        service.compute(sel, bootstrap=-1)


def test_no_merge_refuses_overlapping_spans_of_one_coder(project):
    doc = service.choices(project).documents[0][0]
    add_span(project, document_id=doc, acting_coder="anna", code_key="terror", start=10, end=20)
    sel = service.load_selection(project, ["anna", "ben"], service.ALL)
    assert service.compute(sel)["alpha_u"]["overall"] is not None  # merged by default
    with pytest.raises(UserError, match="--no-merge"):
        service.compute(sel, merge=False)


def test_default_selection_is_what_every_coder_marked_done(project):
    from annotator.store.services.status import mark_done

    with pytest.raises(UserError, match="--documents all") as err:
        service.load_selection(project, ["anna", "ben"])
    assert "no document is marked done by every selected coder (anna, ben)" in str(err.value)
    assert mark_done(project, "anna", None) == (["b_first.txt", "a_second.txt"], [])
    assert mark_done(project, "ben", ["b_first.txt"]) == (["b_first.txt"], [])
    assert mark_done(project, "ben", ["b_first.txt"]) == ([], ["b_first.txt"])
    sel = service.load_selection(project, ["anna", "ben"])
    assert [n for n, _t in sel.documents] == ["b_first.txt"]
    assert sel.excluded == {"a_second.txt": ["ben"]}
    assert sel.warnings() == []
    assert {s.document for s in sel.spans} == {"b_first.txt"}
    every = service.load_selection(project, ["anna", "ben"], service.ALL)
    assert every.not_done == [("a_second.txt", "ben")]
    assert every.warnings() == [
        "a_second.txt: ben has not marked it done; counted as coded (no span there means nothing there)"
    ]
    res = service.compute(sel)
    assert res["selection"]["excluded"] == {"a_second.txt": ["ben"]}
    assert res["selection"]["excluded_count"] == 1
    assert res["warnings"] == []
    with pytest.raises(UserError, match="no coder named 'zed'"):
        mark_done(project, "zed", None)
    with pytest.raises(UserError, match="unknown document"):
        mark_done(project, "anna", ["nope.txt"])


def test_run_gives_the_design_a_report_needs(project):
    from annotator.store.services.status import mark_done

    for coder in ("anna", "ben"):
        mark_done(project, coder, None)
    _sel, res = service.run(project, service.Options(["anna", "ben"], bootstrap=20), command="annotator x")
    d = res["design"]
    assert d["coders"] == ["anna", "ben"]
    assert d["documents"] == 2
    assert d["codebook"] == {"title": "Service test", "version": ""}
    assert d["command"] == "annotator x"
    assert d["annotator_version"]
    assert "each document its own continuum" in d["units"]["alpha_u"]
    assert "whole word" in d["units"]["sentences"]
