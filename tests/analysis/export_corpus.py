"""Real exports to run analysts' recipes on, made with the command line the way a researcher makes them.

The layout is the README's worked example: documents in `<root>/shared/corpus`, the project and the
export in `<root>/work`, so a recipe that reads `spans.csv` and `../shared/corpus` runs unchanged there.
"""

from __future__ import annotations

import csv
import glob
import itertools
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from annotator.store.engine import open_project
from annotator.store.services import documents
from tests.conftest import REPO

THREATS = REPO / "codebooks" / "threats.yaml"

# Files as they arrive: a CRLF transcript with a byte-order mark, an LF press report and an old Mac file
# with lone CRs. Cyrillic, emoji outside the BMP (flag, skin tone), a combining breve, quotes, a
# backslash, the word NA and cells a spreadsheet would run as formulas.
FILES = {
    "speech_ru.txt": (
        '\ufeffУгрозы безопасности 🇷🇺: терроризм и "наркотрафик".\r\n'
        "Наш ответ — коллективный 🙂, превентивный; вои\u0306на не выход.\r\n"
        "Суверенитет и стабильность (NA).\r\n"
        "=SUM(A1:A2) +7 -3 @home\tэто конец; путь C:\\temp.\r\n"
    ),
    "press_en.txt": (
        "Terrorism 👍🏽 and drug trafficking.\n"
        'The West, "certain states", and special services.\n\n'
        "Water security, 2014."
    ),
    "old_mac.txt": "Line one: illegal migration.\rLine two: extremism 😀 spreads.\r",
}
# The attribute the README's recipes count by; one document has none (an empty cell), one says NA.
ATTRIBUTES = {
    "speech_ru.txt": ["source=kremlin.ru", "speaker=Путин"],
    "press_en.txt": ["source=NA", "speaker=@press"],
    "old_mac.txt": [],
}
# (document, coder, code, passage, memo); offsets are found in the stored text.
SPANS = [
    ("speech_ru.txt", "alice", "threat.general", "Угрозы", "\rcarriage"),
    ("speech_ru.txt", "alice", "threat.terrorism", "терроризм", 'memo, with "quotes"\nand a newline'),
    ("speech_ru.txt", "bob", "threat.terrorism", "терроризм", ""),
    ("speech_ru.txt", "alice", "threat.drug_trafficking", '"наркотрафик".\nНаш ответ', ""),
    ("speech_ru.txt", "bob", "response.collective", "коллективный 🙂", "=cmd|' /C calc'!A0"),
    ("speech_ru.txt", "bob", "threat.regional_conflict", "вои\u0306на", "multi\r\nline memo"),
    ("speech_ru.txt", "alice", "referent.sovereignty", "Суверенитет", "+memo"),
    ("speech_ru.txt", "bob", "referent.stability", "NA", "-"),
    ("speech_ru.txt", "alice", "threat.information", "=SUM(A1:A2)", "@x"),
    ("speech_ru.txt", "bob", "threat.economic", "+7", "\tindented"),
    ("speech_ru.txt", "alice", "threat.general", "-3", ""),
    ("speech_ru.txt", "bob", "threat.information", "@home\tэто", ""),
    ("speech_ru.txt", "alice", "threat.general", "\tэто конец", ""),
    ("speech_ru.txt", "bob", "threat.general", "путь C:\\temp.\n", ""),
    ("press_en.txt", "alice", "threat.terrorism", "Terrorism 👍🏽", ""),
    ("press_en.txt", "bob", "source.certain_states", '"certain states"', ""),
    ("press_en.txt", "alice", "source.special_services", "special services.\n\nWater security", ""),
    ("old_mac.txt", "alice", "threat.illegal_migration", "illegal migration.\nLine two", ""),
    ("old_mac.txt", "bob", "threat.extremism", "extremism 😀", ""),
]


@dataclass
class Export:
    """An export made through the command line, and the truth to check recipes against."""

    work: Path  # the researcher's folder: the project, spans.csv; recipes run here
    project: Path
    texts: dict[str, str]  # document name -> stored text, read back from the project
    rows: list[dict[str, str]]  # spans.csv as the csv module reads it

    def copy_to(self, folder: Path) -> Export:
        """The same export in a fresh folder (same layout), so one recipe's files never meet another's."""
        shutil.copytree(self.work.parent, folder)
        work = folder / self.work.name
        return Export(work, work / self.project.name, self.texts, self.rows)


def cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `annotator ARGS` as a user does; the user folders point into `cwd`'s parent, never the real ones."""
    home = cwd.parent / "home"
    env = {
        **os.environ,
        "ANNOTATOR_DATA_DIR": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "share"),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )
    if proc.returncode != 0:
        raise AssertionError(f"annotator {args} exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


def stored(text: str) -> str:
    """What the importer keeps of a file's text (README: BOM removed, line endings become \\n)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _layout(root: Path) -> tuple[Path, Path]:
    corpus = root / "shared" / "corpus"
    work = root / "work"
    corpus.mkdir(parents=True)
    work.mkdir()
    return corpus, work


def _spans_csv(path: Path, rows: list[tuple[str, str, str, int, int, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "coder", "code", "start", "end", "memo"])
        writer.writerows(rows)


def _export(work: Path, project: Path, export_command: str) -> Export:
    """Run the README's export command (`annotator --project P export csv ...`) in `work`."""
    words = shlex.split(export_command)
    assert words[:3] == ["annotator", "--project", project.name], export_command
    cli(*words[1:], cwd=work)
    out = work / words[words.index("csv") + 1]
    with open_project(project) as p:
        texts = {d.name: documents.document_text(p, d.id) for d in documents.list_documents(p)}
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Export(work, project, texts, rows)


def make_tricky_export(root: Path, export_command: str) -> Export:
    """Three awkward documents, 19 spans by two coders, imported and exported through the command line."""
    corpus, work = _layout(root)
    project = work / "speeches.db"
    for name, text in FILES.items():
        (corpus / name).write_bytes(text.encode("utf-8"))
        attrs = [arg for value in ATTRIBUTES[name] for arg in ("--attr", value)]
        cli("--project", project.name, "import", f"../shared/corpus/{name}", *attrs, cwd=work)
    cli("--project", project.name, "codebook", "load", THREATS, cwd=work)
    rows = []
    for doc, coder, code, passage, memo in SPANS:
        start = stored(FILES[doc]).index(passage)
        rows.append((doc, coder, code, start, start + len(passage), memo))
    _spans_csv(work / "coded.csv", rows)
    cli("--project", project.name, "spans", "import", "coded.csv", cwd=work)
    return _export(work, project, export_command)


def make_sample_export(root: Path, shared: Path, console: str, export_command: str) -> Export:
    """The README's worked example, run as written beside a copy of the sample corpus, then the export.

    `console` is the example's `$ command` / output transcript: `annotator` lines are run, `cat FILE`
    writes FILE with the output shown below it (that is how the example gives its spans.csv).
    """
    corpus, work = _layout(root)
    for path in sorted((shared / "corpus").glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    (work / "codebooks").mkdir()
    shutil.copy(THREATS, work / "codebooks" / THREATS.name)
    lines = console.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("$ "):
            continue
        words = shlex.split(line[2:])
        if words[0] == "cat":
            shown = itertools.takewhile(lambda s: not s.startswith("$ "), lines[i + 1 :])
            (work / words[1]).write_text("".join(s + "\n" for s in shown), encoding="utf-8")
        else:
            assert words[0] == "annotator", f"the worked example runs {line!r}: teach this test that command"
            args = [a for w in words[1:] for a in (sorted(glob.glob(w, root_dir=work)) if "*" in w else [w])]
            cli(*args, cwd=work)
    return _export(work, work / "speeches.db", export_command)
