"""Re-anchoring on a real revision of a corpus text: emoji, Cyrillic, combining marks, CRLF files.

Both versions are written as CRLF files and read back by the importer (`read_document`), as
`import revised.txt --replaces NAME` will. Three coders' spans (overlapping, gold among them) are placed
by phrase and at random; passages are then inserted, deleted and edited before, inside, across and
after spans. The edit script says what happened to each span, and the result must agree: untouched
passages keep their exact text, wholly deleted ones are lost (with their text), none disappears.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.core.documents import read_document
from annotator.core.reanchor import Reanchoring, reanchor
from tests.core.revision import Edit, apply_edits, truth

EXTRA = (
    "\n\nУгроза терроризма 🇺🇦 остаётся главной, said the Secretary-General 👨\u200d👩\u200d👧 on Tuesday. "
    "At the cafe\u0301 the naïve delegates 👍🏽 met again 👨\u200d👩\u200d👧 before the vote.\n"
)


def _import(tmp_path: Path, name: str, text: str) -> str:
    """Write `text` as a CRLF UTF-8 file and read it back the way the importer does."""
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    stored = read_document(path).text
    assert "\r" not in stored
    assert stored == text
    return stored


def _at(text: str, phrase: str, nth: int = 0) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = text.find(phrase, pos + 1)
        assert pos >= 0, f"phrase not in text: {phrase!r}"
    return pos


def _span(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = _at(text, phrase, nth)
    return start, start + len(phrase)


def _edit(text: str, anchor: str, delete: str, insert: str) -> Edit:
    """Replace `delete`, found within the first occurrence of `anchor`, by `insert`."""
    pos = _at(text, anchor) + anchor.index(delete)
    assert text[pos : pos + len(delete)] == delete
    return (pos, len(delete), insert)


def _outcomes(result: Reanchoring[str]) -> dict[str, tuple[str, object]]:
    seen: dict[str, tuple[str, object]] = {}
    for kind, items in (("moved", result.moved), ("changed", result.changed), ("lost", result.lost)):
        for item in items:
            assert item.id not in seen, f"span {item.id} reported twice"
            seen[item.id] = (kind, item)
    return seen


def _check_invariants(old: str, new: str, spans: list[tuple[str, int, int]], result: Reanchoring[str]) -> None:
    seen = _outcomes(result)
    assert sorted(seen) == sorted(s[0] for s in spans), "every span must be reported exactly once"
    assert result.summary().total == len(spans)
    for moved in result.moved:
        assert 0 <= moved.start < moved.end <= len(new)
        assert new[moved.start : moved.end] == old[moved.old_start : moved.old_end]
    for changed in result.changed:
        assert 0 <= changed.start < changed.end <= len(new)
        assert changed.text == new[changed.start : changed.end]
        assert changed.old_text == old[changed.old_start : changed.old_end]
    for lost in result.lost:
        assert lost.old_text == old[lost.old_start : lost.old_end]


def test_designed_revision_of_a_corpus_text(tmp_path: Path, shared_dir: Path) -> None:
    corpus = (shared_dir / "corpus" / "001_1cbbcffc33b58b94.txt").read_text(encoding="utf-8")
    old = _import(tmp_path, "speech.txt", corpus.replace("\r\n", "\n").rstrip("\n") + EXTRA)
    phrases = {
        "alice:situation": ("extremely complicated and tense international situation", 0),
        "bob:states": ("tense international situation, a number of states", 0),
        "gold:undermine": ("undermine order in the CIS countries", 0),
        "alice:terrorism": ("terrorism and organized crime", 0),
        "bob:drugs": ("organized crime, drug trafficking", 0),
        "alice:stability": ("strengthen the stability and security of the CIS countries", 0),
        "gold:councils": ("cooperation through the security councils", 0),
        "bob:words": ("Vladimir Putin's words", 0),
        "bob:actions": ("the actions of some states are directly aimed", 0),
        "alice:cyrillic": ("Угроза терроризма 🇺🇦", 0),
        "bob:cyrillic": ("терроризма 🇺🇦 остаётся", 0),
        "gold:family": ("Secretary-General 👨\u200d👩\u200d👧", 0),
        "alice:cafe": ("cafe\u0301 the naïve", 0),
        "gold:thumbs": ("delegates 👍🏽 met", 0),
    }
    spans = [(sid, *_span(old, phrase, nth)) for sid, (phrase, nth) in phrases.items()]
    deleted_paragraph = _at(old, "The President of the Russian Federation expressed")
    deleted_end = _at(old, "Vladimir Putin's words")
    edits: list[Edit] = [
        (0, 0, "Editor's note: transcript corrected 🙂.\n\n"),  # before every span
        _edit(old, "extremely complicated and tense", "icated", "ex"),  # inside alice:situation
        _edit(old, "trying to undermine", "trying to under", ""),  # across gold:undermine's start
        _edit(old, "drug trafficking", "drug", "narcotics"),  # inside bob:drugs
        (deleted_paragraph, deleted_end - deleted_paragraph, ""),  # a whole paragraph with two spans
        (deleted_end + len("Vladimir Putin's words"), 0, ", indeed,"),  # right after bob:words
        _edit(old, "directly aimed at ", "directly aimed at ", ""),  # across bob:actions' end
        (_at(old, "терроризма 🇺🇦") + len("терроризма"), 0, " и экстремизма"),  # inside both Cyrillic spans
        _edit(old, "cafe\u0301", "\u0301", "\u0300"),  # a combining mark replaced inside alice:cafe
        _edit(old, "👨\u200d👩\u200d👧 before", "👨\u200d👩\u200d👧", "👩\u200d👩\u200d👦"),  # outside spans
        (len(old), 0, "Postscript: the vote was postponed.\n"),  # after every span
    ]
    new = _import(tmp_path, "speech-revised.txt", apply_edits(old, edits))

    result = reanchor(old, new, spans)
    _check_invariants(old, new, spans, result)
    outcome = _outcomes(result)
    expected_changed = {
        "alice:situation": "extremely complex and tense international situation",
        "gold:undermine": "mine order in the CIS countries",
        "bob:drugs": "organized crime, narcotics trafficking",
        "bob:actions": "the actions of some states are ",
        "alice:cyrillic": "Угроза терроризма и экстремизма 🇺🇦",
        "bob:cyrillic": "терроризма и экстремизма 🇺🇦 остаётся",
        "alice:cafe": "cafe\u0300 the naïve",
    }
    for sid, text in expected_changed.items():
        kind, item = outcome[sid]
        assert kind == "changed", f"{sid}: {kind}"
        assert item.text == text, f"{sid}: {item.text!r}"
    for sid in ("alice:stability", "gold:councils"):
        kind, item = outcome[sid]
        assert kind == "lost", f"{sid}: {kind}"
        assert item.old_text == phrases[sid][0]
    for sid in ("bob:states", "alice:terrorism", "bob:words", "gold:family", "gold:thumbs"):
        kind, item = outcome[sid]
        assert kind == "moved", f"{sid}: {kind}"
        expected = truth(edits, item.old_start, item.old_end)
        assert expected.kind == "untouched"
        assert (item.start, item.end) == (expected.start, expected.end), sid
        assert new[item.start : item.end] == phrases[sid][0]
    assert result.summary().as_dict() == {"moved": 5, "changed": 7, "lost": 2, "total": 14}


@pytest.mark.parametrize("name", ["000_a030802543de9fa8.txt", "001_1cbbcffc33b58b94.txt", "003_e1b9295e354fe26a.txt"])
def test_random_revisions_of_every_corpus_text(tmp_path: Path, shared_dir: Path, name: str) -> None:
    """Seeded random edits (sentences inserted from another text, passages deleted, words replaced) and
    three coders' random overlapping spans: the script's verdict for every span is the result's."""
    corpus = (shared_dir / "corpus" / name).read_text(encoding="utf-8").replace("\r\n", "\n")
    donor = (shared_dir / "corpus" / "003_e1b9295e354fe26a.txt").read_text(encoding="utf-8")
    old = _import(tmp_path, "old.txt", corpus.rstrip("\n") + EXTRA)
    for seed in range(5):
        rng = random.Random(f"{name}:{seed}")
        spans = []
        for coder in ("alice", "bob", "gold"):
            for k in range(60):
                length = rng.randint(1, 200)
                start = rng.randrange(0, len(old) - length)
                spans.append((f"{coder}:{k}", start, start + length))
        edits: list[Edit] = []
        cursor = rng.randrange(0, 40)
        while cursor < len(old) - 1:
            kind = rng.random()
            if kind < 0.35:  # insert a passage from another text
                at = rng.randrange(0, len(donor) - 120)
                edits.append((cursor, 0, donor[at : at + rng.randint(5, 120)]))
            elif kind < 0.7:  # delete a passage
                edits.append((cursor, min(rng.randint(1, 150), len(old) - cursor), ""))
            else:  # replace a few characters (an OCR fix)
                fix = rng.choice(["rn", "é", "0", "ё", "🙂"])
                edits.append((cursor, min(rng.randint(1, 4), len(old) - cursor), fix))
            cursor = edits[-1][0] + edits[-1][1] + rng.randint(1, 400)
        new = _import(tmp_path, "new.txt", apply_edits(old, edits))
        result = reanchor(old, new, spans)
        _check_invariants(old, new, spans, result)
        outcome = _outcomes(result)
        for sid, start, end in spans:
            expected = truth(edits, start, end)
            kind, _item = outcome[sid]
            if expected.kind == "untouched":
                assert kind == "moved", f"seed {seed}: untouched {sid} {old[start:end]!r} was {kind}"
            elif expected.kind == "deleted" and all(not e[2] for e in edits if e[0] < end and e[0] + e[1] > start):
                assert kind == "lost", f"seed {seed}: deleted {sid} {old[start:end]!r} was {kind}"
