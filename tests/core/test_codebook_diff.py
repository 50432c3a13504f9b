"""Codebook content identity and diff, on the bundled threats codebook and small revisions of it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.codebook import Codebook, codebook_to_yaml, load_codebook_file, parse_codebook
from annotator.core.codebook_diff import (
    canonical_codebook,
    codebook_from_canonical,
    codes_to_recheck,
    content_hash,
    describe,
    diff_codebooks,
    keep_default_colours,
    recode_needed,
)

THREATS = Path(__file__).resolve().parents[2] / "codebooks" / "threats.yaml"


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(THREATS.read_text(encoding="utf-8"))


def _book(data: dict) -> Codebook:
    return parse_codebook(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "<test>")


def _code(data: dict, key: str) -> dict:
    stack = list(data["codes"])
    while stack:
        node = stack.pop()
        if node["key"] == key:
            return node
        stack.extend(node.get("children", []))
    raise KeyError(key)


def _kinds(changes: list[dict]) -> list[tuple[str, str | None]]:
    return [(c["change"], c["key"]) for c in changes]


def test_hash_ignores_yaml_formatting_key_order_and_value_spelling(raw: dict) -> None:
    original = load_codebook_file(THREATS)
    # Every mapping's keys sorted, flow style, no comments, no block scalars: another file, same content.
    reformatted = parse_codebook(yaml.safe_dump(raw, allow_unicode=True, sort_keys=True, default_flow_style=True))
    assert THREATS.read_text(encoding="utf-8") != yaml.safe_dump(raw, sort_keys=True, default_flow_style=True)
    assert content_hash(reformatted) == content_hash(original)
    assert diff_codebooks(original, reformatted) == []
    # Colour case and the order of shortcut modifiers are spelling, not content.
    respelled = copy.deepcopy(raw)
    node = _code(respelled, "threat.terrorism")
    node["color"] = node["color"].upper()
    node["shortcut"] = "Alt+Ctrl+t"
    other = copy.deepcopy(raw)
    _code(other, "threat.terrorism")["shortcut"] = "Ctrl+Alt+T"
    assert content_hash(_book(respelled)) == content_hash(_book(other))
    # What the export writes reads back as the same content.
    assert content_hash(parse_codebook(codebook_to_yaml(original))) == content_hash(original)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: _code(d, "threat.terrorism").update(name="Terror"), "renamed"),
        (lambda d: _code(d, "threat.terrorism").update(color="#000001"), "recoloured"),
        (lambda d: _code(d, "threat.terrorism").update(shortcut="F9"), "shortcut_changed"),
        (lambda d: _code(d, "threat.terrorism").update(description="Only armed violence."), "description_changed"),
        (lambda d: _code(d, "threat.terrorism").update(include=["bombings"]), "include_changed"),
        (lambda d: _code(d, "threat.terrorism").update(exclude=["crime"]), "exclude_changed"),
        (lambda d: _code(d, "threat.terrorism").update(examples=["a new example"]), "examples_changed"),
        (lambda d: _code(d, "threat.terrorism").update(codable=False), "codable_changed"),
        (lambda d: d.update(title="Another title"), "title_changed"),
        (lambda d: d.update(version="2"), "version_changed"),
        (lambda d: d.update(rules="Code everything."), "rules_changed"),
        (lambda d: d.update(description="Shorter."), "codebook_description_changed"),
    ],
)
def test_each_content_change_is_one_diff_entry_and_a_new_hash(raw: dict, edit, expected: str) -> None:
    old = _book(raw)
    data = copy.deepcopy(raw)
    edit(data)
    new = _book(data)
    changes = diff_codebooks(old, new)
    assert [c["change"] for c in changes] == [expected]
    assert content_hash(new) != content_hash(old)
    assert json.loads(json.dumps(changes)) == changes
    assert describe(changes[0])


def _children(data: dict, key: str) -> list[dict]:
    return _code(data, key)["children"]


def _take(data: dict, parent: str, key: str) -> dict:
    children = _children(data, parent)
    return children.pop(next(i for i, c in enumerate(children) if c["key"] == key))


def test_added_removed_and_moved_codes(raw: dict) -> None:
    old = _book(raw)
    data = copy.deepcopy(raw)
    # A new first child must not make every later sibling "moved"; moving one code moves only it.
    _children(data, "threat").insert(0, {"key": "threat.cyber", "name": "Cyber attacks", "description": "Hacking."})
    _children(data, "threat").append(_take(data, "threat", "threat.terrorism"))
    _take(data, "threat", "threat.general")
    _children(data, "source").append(_take(data, "threat", "threat.biological"))
    new = keep_default_colours(_book(data), old)
    changes = diff_codebooks(old, new)
    assert sorted(_kinds(changes)) == [
        ("added", "threat.cyber"),
        ("moved", "threat.biological"),
        ("moved", "threat.terrorism"),
        ("removed", "threat.general"),
    ]
    moved = {c["key"]: c for c in changes if c["change"] == "moved"}
    assert moved["threat.biological"]["old"]["parent"] == "threat"
    assert moved["threat.biological"]["new"]["parent"] == "source"
    added = next(c for c in changes if c["change"] == "added")
    assert added["new"]["parent"] == "threat"
    assert added["new"]["name"] == "Cyber attacks"
    assert describe(added) == "added 'threat.cyber' (Cyber attacks) under 'threat'"
    assert describe(moved["threat.biological"]).startswith("moved 'threat.biological': under 'threat' at ")
    # Without keeping the stored colours, the palette colours of the uncoloured groups shift.
    assert "recoloured" in {c["change"] for c in diff_codebooks(old, _book(data))}


def test_first_version_is_all_added(raw: dict) -> None:
    book = _book(raw)
    changes = diff_codebooks(None, book)
    assert [c["key"] for c in changes] == [code.key for code in book.iter_codes()]
    assert {c["change"] for c in changes} == {"added"}


def test_recheck_lists_codes_whose_definition_changed(raw: dict) -> None:
    old = _book(raw)
    data = copy.deepcopy(raw)
    _code(data, "threat.terrorism")["description"] = "Armed violence against civilians for political aims."
    _code(data, "threat.extremism")["exclude"] = ["peaceful protest"]
    _code(data, "threat.drug_trafficking")["examples"] = ["new"]
    _code(data, "threat.illegal_migration")["name"] = "Migration"
    changes = diff_codebooks(old, _book(data))
    assert codes_to_recheck(changes) == ["threat.terrorism", "threat.extremism"]


def test_split_into_new_codes_under_the_old_parent(raw: dict) -> None:
    old = _book(raw)
    data = copy.deepcopy(raw)
    threat = _code(data, "threat")
    at = next(i for i, c in enumerate(threat["children"]) if c["key"] == "threat.terrorism")
    gone = threat["children"].pop(at)
    threat["children"][at:at] = [
        {"key": "threat.terrorism.domestic", "name": "Domestic terrorism", "color": "#aa0000"},
        {"key": "threat.int_terror", "name": "International terror", "description": f"Was part of {gone['key']}."},
        {"key": "threat.unrelated", "name": "Space debris"},
    ]
    changes = diff_codebooks(old, _book(data))
    splits = [c for c in changes if c["change"] == "split"]
    assert splits == [
        {
            "change": "split",
            "key": "threat.terrorism",
            "old": {"name": gone["name"]},
            "new": {"parent": "threat", "keys": ["threat.terrorism.domestic", "threat.int_terror"]},
        }
    ]
    assert describe(splits[0]) == "split 'threat.terrorism' into 'threat.terrorism.domestic', 'threat.int_terror'"
    assert recode_needed(changes) == [
        {"key": "threat.terrorism", "reason": "split", "into": ["threat.terrorism.domestic", "threat.int_terror"]}
    ]


def test_split_keeping_the_old_code_as_a_grouping(raw: dict) -> None:
    old = _book(raw)
    data = copy.deepcopy(raw)
    node = _code(data, "threat.extremism")
    node["codable"] = False
    node["children"] = [
        {"key": "threat.extremism.religious", "name": "Religious extremism"},
        {"key": "threat.extremism.political", "name": "Political extremism"},
    ]
    changes = diff_codebooks(old, _book(data))
    kinds = _kinds(changes)
    assert ("codable_changed", "threat.extremism") in kinds
    assert ("split", "threat.extremism") in kinds
    assert recode_needed(changes)[0]["reason"] == "split"


def test_no_split_without_a_reference_to_the_old_code(raw: dict) -> None:
    old = _book(raw)
    data = copy.deepcopy(raw)
    threat = _code(data, "threat")
    threat["children"] = [c for c in threat["children"] if c["key"] != "threat.terrorism"]
    threat["children"] += [{"key": "threat.a", "name": "Space debris"}, {"key": "threat.b", "name": "Solar storms"}]
    changes = diff_codebooks(old, _book(data))
    assert "split" not in {c["change"] for c in changes}
    assert recode_needed(changes) == [{"key": "threat.terrorism", "reason": "removed", "into": []}]


def test_canonical_content_round_trips_through_storage_and_export(raw: dict) -> None:
    book = load_codebook_file(THREATS)
    stored = json.loads(json.dumps(canonical_codebook(book), ensure_ascii=False))
    again = codebook_from_canonical(stored)
    assert content_hash(again) == content_hash(book)
    assert content_hash(parse_codebook(codebook_to_yaml(again))) == content_hash(book)
    assert [c.parent_key for c in again.iter_codes()] == [c.parent_key for c in book.iter_codes()]


FIELD_VALUES = {
    "name": st.sampled_from(["Terrorism", "Угроза", "Terror 🙂"]),
    "color": st.sampled_from(["#aa0000", "#AA0000", "#00aa00"]),
    "shortcut": st.sampled_from([None, "1", "Ctrl+Alt+t", "Alt+Ctrl+T", "F2"]),
    "description": st.sampled_from(["", "Armed violence.", "Armed violence. "]),
    "include": st.lists(st.sampled_from(["bombings", "hostage taking"]), max_size=2),
    "examples": st.lists(st.sampled_from(["e\u0301", "é"]), max_size=2),
    "codable": st.booleans(),
}


@pytest.fixture(scope="module")
def threats() -> Codebook:
    return load_codebook_file(THREATS)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_hash_equal_exactly_when_the_diff_is_empty(threats: Codebook, data: st.DataObject) -> None:
    """Random edits of one code's fields (some only re-spell a value): equal hash <=> empty diff."""
    old, new = copy.deepcopy(threats), copy.deepcopy(threats)
    for version in (old, new):
        node = next(c for c in version.iter_codes() if c.key == "threat.terrorism")
        for name, values in FIELD_VALUES.items():
            if data.draw(st.booleans()):
                setattr(node, name, data.draw(values))
    assert (content_hash(old) == content_hash(new)) == (diff_codebooks(old, new) == [])
