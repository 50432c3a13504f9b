"""Backups that are not backups: a full disk, a kill mid-backup and a damaged project never leave a file
under a backup's name that is not a complete, checked copy; a damaged project is not "backed up".

Set ANNOTATOR_SEED to replay the kill test (the seed is in every failure message).
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from annotator.core.documents import ImportedDocument
from annotator.store.engine import open_project
from annotator.store.services.documents import store_documents
from tests.safety.helpers import assert_clean_error, cli, dump, make_project, ro_uri


def _seed() -> int:
    return int(os.environ.get("ANNOTATOR_SEED", random.randrange(1_000_000)))


def _backup_names(folder: Path) -> list[str]:
    """Files a user would restore from (`NAME.backup-TIME.db`, `NAME.pre-merge-TIME.db`)."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if (".backup-" in p.name or ".pre-merge-" in p.name) and not p.name.startswith(".") and p.suffix == ".db"
    )


def _restorable(path: Path) -> bool:
    """What a user needs of a backup: a SQLite file that passes integrity_check and holds a project."""
    if path.stat().st_size == 0:
        return False
    try:
        con = sqlite3.connect(ro_uri(path), uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return ok and con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
        finally:
            con.close()
    except sqlite3.Error:
        return False


@contextlib.contextmanager
def _small_disk(size: int) -> Iterator[tuple[Path, object]]:
    """A folder on a tmpfs of `size` bytes (a real full disk); without permission to mount one, a folder
    whose processes may not write files larger than `size` (RLIMIT_FSIZE, the kernel's write error).
    Yields (folder, preexec_fn for the subprocess)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="annotator-full-"))
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
        if shutil.which("mount") and os.geteuid() == 0
        else False
    )

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    try:
        yield folder, (None if mounted else limit)
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _run(args: list[str], preexec: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,  # type: ignore[arg-type]
    )


def test_backup_and_merge_on_a_full_disk_leave_no_backup_file(tmp_path: Path) -> None:
    made = tmp_path / "p.db"
    make_project(made)
    with open_project(made) as project:  # about 1 MB of text, so that a second copy does not fit
        store_documents(
            project, [ImportedDocument(f"big{i}.txt", "угроза " * 70_000 + str(i), "x.txt", "utf-8") for i in range(2)]
        )
    other = tmp_path / "other.db"
    make_project(other)
    source = tmp_path / "spans.csv"
    source.write_text("document,coder,code,start,end\nspeech.txt,ana,response,0,6\n", encoding="utf-8")
    assert cli("spans", "import", source, project=other).returncode == 0
    size = made.stat().st_size
    with _small_disk(size + size // 2) as (disk, preexec):
        project = disk / "p.db"
        shutil.copy(made, project)
        before = dump(project)
        result = _run(["--project", str(project), "backup"], preexec)
        assert_clean_error(result)
        assert "backup failed" in result.stderr, result.stderr
        assert _backup_names(disk) == [], "a failed backup leaves nothing under a backup's name"
        assert not [p for p in disk.iterdir() if "partial" in p.name]
        merged = _run(["--project", str(project), "merge", str(other)], preexec)
        assert_clean_error(merged)
        assert "backup failed" in merged.stderr, merged.stderr
        assert _backup_names(disk) == []
        assert dump(project) == before, "without its backup the merge must not write"


def _big_project(path: Path) -> None:
    """A real project of about 100 MB (four 25 MB documents)."""
    make_project(path)
    word = "безопасность 😀 security "
    docs = [
        ImportedDocument(f"book{i}.txt", word * (25_000_000 // len(word.encode())) + f"\n{i}\n", "b.txt", "utf-8")
        for i in range(4)
    ]
    with open_project(path) as project:
        store_documents(project, docs)
    assert path.stat().st_size > 95_000_000


def test_sigkill_during_a_100_mb_backup_leaves_no_half_backup(tmp_path: Path) -> None:
    seed = _seed()
    rng = random.Random(seed)
    project = tmp_path / "big.db"
    _big_project(project)
    size = project.stat().st_size
    threshold = rng.randrange(1_000_000, size // 2)
    start = {p.name for p in tmp_path.iterdir()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(project), "backup"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: tuple[str, int] | None = None
    deadline = time.monotonic() + 120
    while seen is None and proc.poll() is None and time.monotonic() < deadline:
        for path in tmp_path.iterdir():  # the moment: a copy is being written (any new file past the threshold)
            if path.name not in start and not path.name.endswith(("-wal", "-shm")):
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_size >= threshold:
                        seen = (path.name, path.stat().st_size)
                        proc.send_signal(signal.SIGKILL)
                        break
        time.sleep(0.0005)
    out, err = proc.communicate(timeout=60)
    assert seen is not None, f"seed {seed}: no backup file reached {threshold} bytes before the end: {out} {err}"
    assert proc.returncode == -signal.SIGKILL, f"seed {seed}: the backup finished before the kill"
    for name in _backup_names(tmp_path):  # a name a user would restore from holds a complete, checked copy
        assert _restorable(tmp_path / name), f"seed {seed}: {name} is a half-made backup (saw {seen})"
    assert _backup_names(tmp_path) == [], f"seed {seed}: killed before it finished, so no backup yet (saw {seen})"
    again = cli("backup", project=project)
    assert again.returncode == 0, again.stderr
    [name] = _backup_names(tmp_path)
    assert _restorable(tmp_path / name)
    leftovers = [p.name for p in tmp_path.iterdir() if "partial" in p.name]
    assert leftovers == [], f"seed {seed}: the killed backup's temporary file was not cleaned up"


def _damage_a_table(path: Path, table: str) -> None:
    """Overwrite the b-tree page header of `table`'s root page: the file opens, quick_check fails."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    con.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\x42" * 12)


def test_a_project_failing_its_check_is_not_backed_up(tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(project)
    _damage_a_table(project, "document_status")
    result = cli("backup", project=project)
    assert_clean_error(result)
    assert "integrity check" in result.stderr
    assert "no backup written" in result.stderr
    assert _backup_names(tmp_path) == []
    other = tmp_path / "other" / "other.db"
    other.parent.mkdir()
    make_project(other)
    source = tmp_path / "spans.csv"
    source.write_text("document,coder,code,start,end\nspeech.txt,ana,response,0,6\n", encoding="utf-8")
    assert cli("spans", "import", source, project=other).returncode == 0
    merged = cli("merge", other, project=project)
    assert_clean_error(merged)
    assert "integrity check" in merged.stderr
    assert _backup_names(tmp_path) == []


def test_damaged_project_message_names_a_real_backup_never_an_empty_one(tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    make_project(project)
    good = cli("backup", project=project)
    assert good.returncode == 0, good.stderr
    real = Path(good.stdout.strip().removeprefix("backup written: "))
    empty = tmp_path / "p.backup-29990101-000000-000000.db"  # newer by name, but 0 bytes
    empty.touch()
    no_schema = tmp_path / "p.pre-merge-29980101-000000-000000.db"  # a SQLite file without our tables
    sqlite3.connect(no_schema).execute("CREATE TABLE t(x)").connection.close()
    with project.open("r+b") as fh:  # page 1 after the header: the schema itself is damaged
        fh.seek(100)
        fh.write(b"\xff" * 400)
    result = cli("status", project=project)
    assert_clean_error(result)
    assert "damaged" in result.stderr
    assert str(real) in result.stderr, result.stderr
    assert empty.name not in result.stderr
    assert no_schema.name not in result.stderr
    empty.unlink()
    no_schema.unlink()
    real.unlink()
    none_left = cli("status", project=project)
    assert_clean_error(none_left)
    assert "no usable backup" in none_left.stderr
