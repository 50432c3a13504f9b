"""The foundation command line, run the user's way: `python -m annotator ...` on real files."""

from __future__ import annotations

import codecs
import csv
import glob
import os
import subprocess
import sys
import time

import pytest

from annotator.store.engine import open_project
from annotator.store.services import coders, documents, spans
from tests.store.foundation_helpers import (
    REPO,
    assert_no_traceback,
    make_docx,
    make_pdf,
    run_cli,
    stderr_lines,
    write_csv,
)

RU = "Угрозы терроризма и экстремизма остаются актуальными.\n"

CODEBOOK = """\
title: CLI test codebook
version: 1
codes:
  - key: threat
    name: Threat
    codable: false
    children:
      - key: threat.terror
        name: Terrorism
        shortcut: "1"
      - key: threat.crime
        name: Crime
  - key: source
    name: Source
"""


def stored_texts(db) -> dict[str, str]:
    with open_project(db) as p:
        return {d.name: documents.document_text(p, d.id) for d in documents.list_documents(p)}


def test_import_every_type_and_encoding(tmp_path):
    files = {
        "utf8.txt": ("  Café e\u0301 🙂 Привет  \n", "utf-8"),
        "bom.txt": (codecs.BOM_UTF8 + "BOM: Привет\r\nmir".encode(), None),
        "u16le.txt": (codecs.BOM_UTF16_LE + "UTF-16 LE: Привет\r\n".encode("utf-16-le"), None),
        "u16be.txt": (codecs.BOM_UTF16_BE + "UTF-16 BE: Привет".encode("utf-16-be"), None),
        "u16nobom.txt": ("Без BOM: Привет мир\n".encode("utf-16-le"), None),
        "cp1251.txt": ("cp1251: " + RU, "cp1251"),
        "koi8.txt": ("koi8: " + RU, "koi8_r"),
        "cr.txt": ("old\rmac\rlines", "utf-8"),
        "notes.md": ("# Title\r\n\r\n*emphasis*\n", "utf-8"),
        "page.html": (
            "<html><head><title>T</title><script>var x=1</script><style>p{}</style></head>"
            "<body><p>Visible <i>text</i> here</p></body></html>",
            "utf-8",
        ),
    }
    paths = []
    for name, (content, enc) in files.items():
        path = tmp_path / name
        path.write_bytes(content if enc is None else content.encode(enc))
        paths.append(str(path))
    paths.append(str(make_docx(tmp_path / "speech.docx", ["Речь 🙂", "Second"])))
    paths.append(str(make_pdf(tmp_path / "report.pdf", ["PDF text layer"])))
    db = tmp_path / "p.db"
    result = run_cli(db, "import", *paths, "--attr", "speaker=Putin", "--attr", "date=2023-11-08")
    assert result.returncode == 0, result.stderr
    assert stderr_lines(result) == []
    assert "12 imported" in result.stdout
    texts = stored_texts(db)
    assert texts["utf8.txt"] == "  Café e\u0301 🙂 Привет  \n"  # no NFC, no trimming
    assert texts["bom.txt"] == "BOM: Привет\nmir"
    assert texts["u16le.txt"] == "UTF-16 LE: Привет\n"
    assert texts["u16be.txt"] == "UTF-16 BE: Привет"
    assert texts["u16nobom.txt"] == "Без BOM: Привет мир\n"
    assert texts["cp1251.txt"] == "cp1251: " + RU
    assert texts["koi8.txt"] == "koi8: " + RU
    assert texts["cr.txt"] == "old\nmac\nlines"
    assert texts["notes.md"] == "# Title\n\n*emphasis*\n"
    assert texts["page.html"].strip() == "Visible text here"
    assert texts["speech.docx"] == "Речь 🙂\nSecond"
    assert "PDF text layer" in texts["report.pdf"]
    assert all("\r" not in t and not t.startswith("\ufeff") for t in texts.values())
    listing = run_cli(db, "documents", "list")
    assert listing.returncode == 0
    assert "utf8.txt\t21 chars\t0 spans\tdate=2023-11-08 speaker=Putin" in listing.stdout


def test_bad_input_one_line_each_others_still_import(tmp_path):
    good1, good2 = tmp_path / "good1.txt", tmp_path / "good2.md"
    good1.write_text("first good document", encoding="utf-8")
    good2.write_text("second good document", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\nthis is not really a pdf \x00\x01")
    scan = make_pdf(tmp_path / "scan.pdf", [])
    unknown = tmp_path / "table.xlsx"
    unknown.write_bytes(b"PK\x03\x04")
    missing = tmp_path / "missing.txt"
    folder = tmp_path / "folder"
    folder.mkdir()
    bad = [binary, empty, corrupt, scan, unknown, missing, folder]
    db = tmp_path / "p.db"
    result = run_cli(db, "import", str(good1), *map(str, bad), str(good2))
    assert_no_traceback(result)
    assert result.returncode != 0
    lines = stderr_lines(result)
    assert len(lines) == len(bad), lines
    for path, fragment in zip(
        bad,
        ["binary", "empty", "not a readable PDF", "no extractable text", "unknown file type", "not found", "folder"],
        strict=True,
    ):
        [line] = [ln for ln in lines if ln.startswith(str(path) + ":")]
        assert fragment in line
    assert sorted(stored_texts(db)) == ["good1.txt", "good2.md"]
    assert "2 imported, 7 not imported" in result.stdout


def test_duplicates_and_names(tmp_path):
    db = tmp_path / "p.db"
    a = tmp_path / "a.txt"
    a.write_text("same content", encoding="utf-8")
    assert run_cli(db, "import", str(a)).returncode == 0
    copy = tmp_path / "copy.txt"
    copy.write_text("same content", encoding="utf-8")
    result = run_cli(db, "import", str(copy))
    assert result.returncode == 1
    assert stderr_lines(result) == ["copy.txt: identical text is already in the project as 'a.txt'; not imported again"]
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.txt").write_text("other content", encoding="utf-8")
    result = run_cli(db, "import", str(sub / "a.txt"))
    assert result.returncode == 1
    assert "a document named 'a.txt' already exists; import it with another --name" in result.stderr
    result = run_cli(db, "import", str(sub / "a.txt"), "--name", "a (2)")
    assert result.returncode == 0, result.stderr
    assert sorted(stored_texts(db)) == ["a (2)", "a.txt"]
    result = run_cli(db, "import", str(a), str(copy), "--name", "x")
    assert result.returncode == 1
    assert "--name can only be used when importing a single file" in result.stderr
    result = run_cli(db, "import", str(a), "--attr", "novalue")
    assert result.returncode == 1
    assert "use key=value" in result.stderr
    assert_no_traceback(result)


def test_codebook_check(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "title: Bad\ncodes:\n  - key: a\n    name: A\n    colr: '#ffffff'\n  - key: a\n    name: ''\n    color: blue\n",
        encoding="utf-8",
    )
    result = run_cli(None, "codebook", "check", str(bad))
    assert result.returncode == 1
    lines = stderr_lines(result)
    assert f"{bad}:5: unknown field 'colr' in code #1 (did you mean 'color'?)" in lines
    assert any(ln.startswith(f"{bad}:6: duplicate key 'a'") for ln in lines)
    assert any(ln.startswith(f"{bad}:7: ") and "empty name" in ln for ln in lines)
    assert any(ln.startswith(f"{bad}:8: ") and "'blue'" in ln for ln in lines)
    malformed = tmp_path / "malformed.yaml"
    malformed.write_text("title: T\ncodes:\n  - key: [a\n", encoding="utf-8")
    result = run_cli(None, "codebook", "check", str(malformed))
    assert result.returncode == 1
    assert stderr_lines(result)[0].startswith(f"{malformed}:")
    assert "malformed YAML" in result.stderr
    good = tmp_path / "good.yaml"
    good.write_text(CODEBOOK, encoding="utf-8")
    result = run_cli(None, "codebook", "check", str(good))
    assert result.returncode == 0
    assert "OK" in result.stdout
    assert_no_traceback(result)


def test_codebook_check_refuses_bomb_fast(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\ntitle: T\ncodes: []\n", encoding="utf-8")
    started = time.monotonic()
    result = run_cli(None, "codebook", "check", str(bomb))
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert stderr_lines(result)[0].startswith(f"{bomb}:1: YAML anchors and aliases")
    assert_no_traceback(result)


@pytest.mark.parametrize("path", sorted(glob.glob(str(REPO / "codebooks" / "*.yaml"))) or ["absent"])
def test_shipped_codebooks_pass_check(path):
    if path == "absent":
        pytest.skip("no codebooks/*.yaml yet")
    result = run_cli(None, "codebook", "check", path)
    assert result.returncode == 0, result.stderr
    assert ": OK: " in result.stdout


def test_codebook_reload_and_spans_import(tmp_path):
    db = tmp_path / "p.db"
    doc = tmp_path / "mixed.txt"
    content = "Терроризм 🙂 and e\u0301 crime\r\nwith 👍🏽 CRLF\r\n"
    doc.write_bytes(content.encode("utf-8"))
    stored = content.replace("\r\n", "\n")
    assert run_cli(db, "import", str(doc)).returncode == 0
    cb = tmp_path / "cb.yaml"
    cb.write_text(CODEBOOK, encoding="utf-8")
    result = run_cli(db, "codebook", "load", str(cb))
    assert result.returncode == 0, result.stderr
    assert "4 codes added" in result.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text(CODEBOOK.replace("name: Crime", "nam: Crime"), encoding="utf-8")
    result = run_cli(db, "codebook", "load", str(broken))
    assert result.returncode == 1
    assert f"{broken}:12: unknown field 'nam' in code #2 under 'threat' (did you mean 'name'?)" in stderr_lines(result)
    assert "not loaded" in stderr_lines(result)[-1]

    def span(text):
        start = stored.index(text)
        return start, start + len(text)

    rows = []
    for coder, code, piece in [
        ("alice", "threat.terror", "Терроризм"),
        ("alice", "source", "🙂"),
        ("bob", "threat.crime", "e\u0301 crime\nwith"),
        ("bob", "source", "👍🏽"),
    ]:
        s, e = span(piece)
        rows.append(["mixed.txt", coder, code, s, e, "a memo" if coder == "bob" else "", piece])
    header = ["document", "coder", "code", "start", "end", "memo", "text"]
    good = write_csv(tmp_path / "good.csv", header, rows)
    result = run_cli(db, "spans", "import", str(good))
    assert result.returncode == 0, result.stderr
    assert "imported 4 spans" in result.stdout
    with open_project(db) as p:
        got = {(r.coder, r.code_key): stored[r.start : r.end] for r in spans.list_spans(p)}
        assert coders.list_coders(p) == [("alice", 2), ("bob", 2)]
    assert got[("bob", "source")] == "👍🏽"
    assert got[("bob", "threat.crime")] == "e\u0301 crime\nwith"

    bad_rows = [
        ["mixed.txt", "carol", "threat.terror", 0, 3, "", stored[0:3]],
        ["mixed.txt", "carol", "nope", 0, 3, "", ""],
        ["other.txt", "carol", "source", 0, 3, "", ""],
        ["mixed.txt", "carol", "source", 0, len(stored) + 1, "", ""],
        ["mixed.txt", "carol", "source", 0, 3, "", "XYZ"],
    ]
    bad_rows[1][6] = bad_rows[2][6] = bad_rows[3][6] = None
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["document", "coder", "code", "start", "end", "memo"])
        w.writerows([r[:6] for r in bad_rows[:4]])
    result = run_cli(db, "spans", "import", str(bad))
    assert result.returncode == 1
    lines = stderr_lines(result)
    for row, fragment in [(3, "unknown code 'nope'"), (4, "unknown document 'other.txt'"), (5, "beyond")]:
        assert any(f"bad.csv: row {row}: " in ln and fragment in ln for ln in lines), lines
    assert "nothing imported" in lines[-1]
    mismatch = write_csv(tmp_path / "mismatch.csv", header, [bad_rows[0], bad_rows[4]])
    result = run_cli(db, "spans", "import", str(mismatch))
    assert result.returncode == 1
    assert "mismatch.csv: row 3: text column does not match" in result.stderr
    assert_no_traceback(result)
    listing = run_cli(db, "coders", "list")
    assert listing.stdout.splitlines() == ["alice\t2 spans", "bob\t2 spans"]  # carol never created

    # a new version renames and recolours; every span keeps its code
    v2 = CODEBOOK.replace("name: Terrorism", 'name: Terrorism v2\n        color: "#123456"').replace(
        "version: 1", "version: 2"
    )
    cb.write_text(v2, encoding="utf-8")
    result = run_cli(db, "codebook", "load", str(cb))
    assert result.returncode == 0, result.stderr
    assert "1 updated" in result.stdout
    # dropping a code that spans use is refused, naming it and its count; nothing changes
    v3 = v2.replace("  - key: source\n    name: Source\n", "")
    cb.write_text(v3, encoding="utf-8")
    result = run_cli(db, "codebook", "load", str(cb))
    assert result.returncode == 1
    assert "'source' (2 spans)" in result.stderr
    assert_no_traceback(result)
    status = run_cli(db, "status")
    assert "codes: 4" in status.stdout
    assert "spans: 4" in status.stdout
    with open_project(db) as p:
        after = {(r.coder, r.code_key): stored[r.start : r.end] for r in spans.list_spans(p)}
    assert after == got


def test_status_url_and_default_project(tmp_path):
    url = f"sqlite:///{tmp_path / 'url.db'}"
    doc = tmp_path / "d.txt"
    doc.write_text("text", encoding="utf-8")
    assert run_cli(url, "import", str(doc)).returncode == 0
    result = run_cli(url, "status")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"project: {tmp_path / 'url.db'}",
        "documents: 1",
        "codes: 0",
        "coders: 0",
        "spans: 0",
    ]
    # no --project: the default project in the user data folder (ANNOTATOR_DATA_DIR in tests)
    data_dir = os.environ["ANNOTATOR_DATA_DIR"]
    result = run_cli(None, "import", str(doc))
    assert result.returncode == 0, result.stderr
    result = run_cli(None, "status")
    assert f"project: {data_dir}" in result.stdout
    assert "documents: 1" in result.stdout
    assert any(name.endswith(".db") for name in os.listdir(data_dir))
    empty = run_cli(tmp_path / "new.db", "documents", "list")
    assert empty.returncode == 0
    assert "no documents" in empty.stdout
    assert "no coders" in run_cli(tmp_path / "new.db", "coders", "list").stdout


def test_user_mistakes_are_one_line(tmp_path):
    not_db = tmp_path / "notes.txt"
    not_db.write_text("not a database", encoding="utf-8")
    for args in (
        ("status",),
        ("spans", "import", str(tmp_path / "missing.csv")),
        ("codebook", "load", str(tmp_path / "missing.yaml")),
    ):
        project = not_db if args == ("status",) else tmp_path / "p.db"
        result = run_cli(project, *args)
        assert result.returncode == 1, (args, result.stderr)
        assert_no_traceback(result)
        lines = stderr_lines(result)
        assert len(lines) == 1, lines
        assert lines[0].startswith("annotator: ")


@pytest.mark.parametrize("url", ["postgresql://user:secret@localhost/db", "nosuchdb://x/y"])
def test_unusable_project_url_is_one_line(url):
    result = run_cli(url, "status")
    assert result.returncode == 1
    assert_no_traceback(result)
    [line] = stderr_lines(result)
    assert line.startswith("annotator: --project ")
    assert "secret" not in line


def _command_paths() -> list[tuple[str, ...]]:
    import argparse

    from annotator.cli.main import build_parser

    paths: list[tuple[str, ...]] = [()]

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    paths.append((*prefix, name))
                    walk(sub, (*prefix, name))

    walk(build_parser(), ())
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "annotator")
def test_help_everywhere(path):
    result = run_cli(None, *path, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: annotator" in result.stdout
    assert_no_traceback(result)


def test_done_when_scenario(tmp_path, shared_dir):
    threats = REPO / "codebooks" / "threats.yaml"
    if not threats.exists():
        pytest.skip("codebooks/threats.yaml not written yet")
    corpus = sorted(glob.glob(str(shared_dir / "corpus" / "*.txt")))
    assert corpus
    db = tmp_path / "p.db"
    result = run_cli(db, "import", *corpus)
    assert result.returncode == 0, result.stderr
    result = run_cli(db, "codebook", "load", str(threats))
    assert result.returncode == 0, result.stderr
    texts = stored_texts(db)
    rows = []
    for name, text in texts.items():
        for word, code, coder in (
            ("terrorism", "threat.terrorism", "alice"),
            ("terrorism", "threat.terrorism", "bob"),
            ("sovereignty", "referent.sovereignty", "alice"),
        ):
            if word in text:
                start = text.index(word)
                rows.append([name, coder, code, start, start + len(word), "", word])
    assert len(rows) >= 3
    csv_path = write_csv(tmp_path / "hand.csv", ["document", "coder", "code", "start", "end", "memo", "text"], rows)
    result = run_cli(db, "spans", "import", str(csv_path))
    assert result.returncode == 0, result.stderr
    result = run_cli(db, "status")
    assert result.returncode == 0
    assert f"documents: {len(corpus)}" in result.stdout
    assert "coders: 2" in result.stdout
    assert f"spans: {len(rows)}" in result.stdout
    n_codes = int(next(ln for ln in result.stdout.splitlines() if ln.startswith("codes:")).split()[1])
    assert n_codes >= 30


def test_gui_without_a_screen_is_one_line(tmp_path):
    """Qt aborts the process without a display; the CLI says what is wrong instead."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", str(tmp_path / "p.db"), "gui"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert run.returncode == 1
    assert "no screen" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_codebook_check_warns_about_look_alike_colours(tmp_path):
    from tests.core.test_colour import BOOK

    book = tmp_path / "alike.yaml"
    book.write_text(BOOK, encoding="utf-8")
    result = run_cli(None, "codebook", "check", str(book))
    assert result.returncode == 0  # a warning, not an error
    [warning] = stderr_lines(result)
    assert warning.startswith(f"{book}:11: warning: codes 'threat.terrorism' (#f88b81) and 'threat.extremism'")
    assert "CIEDE2000 8.3 < 10" in warning
    assert "OK" in result.stdout
    assert "1 warning(s)" in result.stdout
    assert_no_traceback(result)
    result = run_cli(None, "codebook", "check", str(REPO / "codebooks" / "threats.yaml"))
    assert result.returncode == 0
    assert result.stderr == ""
